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

"""User mixins: the first table.

Revision ID: 3f1c0a9e7b21
Revises:
Create Date: 2026-12-01 20:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '3f1c0a9e7b21'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occi_user_mixins',
        sa.Column('id', sa.String(32), primary_key=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('scheme', sa.String(255), nullable=False),
        sa.Column('term', sa.String(255), nullable=False),
        sa.Column('title', sa.String(255), nullable=True),
        sa.Column('location', sa.String(255), nullable=False),
        sa.Column('applies', sa.Text, nullable=False),
        sa.Column('depends', sa.Text, nullable=False),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.UniqueConstraint('project_id', 'scheme', 'term',
                            name='uniq_occi_user_mixins0project_type_id'),
        sa.UniqueConstraint('project_id', 'location',
                            name='uniq_occi_user_mixins0project_location'),
    )
    op.create_index('ix_occi_user_mixins_project_id', 'occi_user_mixins',
                    ['project_id'])
