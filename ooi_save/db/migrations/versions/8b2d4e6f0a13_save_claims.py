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

"""Save claims: one row per server a save (or an action) holds.

Revision ID: 8b2d4e6f0a13
Revises: 3f1c0a9e7b21
Create Date: 2026-12-02 21:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '8b2d4e6f0a13'
down_revision = '3f1c0a9e7b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occi_save_claims',
        sa.Column('server_id', sa.String(36), primary_key=True),
        sa.Column('owner', sa.String(80), nullable=False),
        sa.Column('hold', sa.String(32), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('expires', sa.Float, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
    )
