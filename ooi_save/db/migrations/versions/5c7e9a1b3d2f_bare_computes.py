# Copyright 2026 The ooi-save developers
#
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Bare computes: those for which ooi-save made nothing in Neutron.

Revision ID: 5c7e9a1b3d2f
Revises: 8b2d4e6f0a13
Create Date: 2026-12-03 18:15:00
"""

from alembic import op
import sqlalchemy as sa

revision = '5c7e9a1b3d2f'
down_revision = '8b2d4e6f0a13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occi_bare_computes',
        sa.Column('server_id', sa.String(36), primary_key=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
    )
