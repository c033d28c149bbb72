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

"""The tables of the OCCI database, as SQLAlchemy models.

Any change here needs a new alembic revision in
``ooi_save/db/migrations/versions/``.
"""

import sqlalchemy as sa
from sqlalchemy import orm


class Base(orm.DeclarativeBase):
    pass


class UserMixin(Base):
    """A mixin a client defined, in the project of that client.

    ``id`` is the short name the mixin goes by on the resources it is
    associated with (their Nova server tags); ``location`` is the path of
    its collection below the OCCI root, e.g. ``/mixins/web/``. ``applies``
    and ``depends`` hold category type ids separated by spaces.
    """

    __tablename__ = 'occi_user_mixins'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'scheme', 'term',
                            name='uniq_occi_user_mixins0project_type_id'),
        sa.UniqueConstraint('project_id', 'location',
                            name='uniq_occi_user_mixins0project_location'),
    )

    id = sa.Column(sa.String(32), primary_key=True)
    project_id = sa.Column(sa.String(64), nullable=False, index=True)
    scheme = sa.Column(sa.String(255), nullable=False)
    term = sa.Column(sa.String(255), nullable=False)
    title = sa.Column(sa.String(255), nullable=True)
    location = sa.Column(sa.String(255), nullable=False)
    applies = sa.Column(sa.Text, nullable=False, default='')
    depends = sa.Column(sa.Text, nullable=False, default='')
    created_at = sa.Column(sa.DateTime, nullable=False)
