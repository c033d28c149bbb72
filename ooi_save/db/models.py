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


class SaveClaim(Base):
    """The claim of one server by a save, or by an OCCI action.

    One row per server at most (the primary key): a request that inserts
    it holds the server until it deletes it; no other node can insert one
    meanwhile. ``owner`` names the nova-api process (``host:pid:nonce``),
    ``hold`` the one claim (a new token at each take-over), ``kind``
    what holds it (``hot``, ``deferred``, ``closing`` once a deferred
    save only has its record to remove, or an action such as ``stop``),
    ``expires`` when the lease runs out (epoch seconds: the holder renews
    it; another node may take an expired claim over).
    """

    __tablename__ = 'occi_save_claims'

    server_id = sa.Column(sa.String(36), primary_key=True)
    owner = sa.Column(sa.String(80), nullable=False)
    hold = sa.Column(sa.String(32), nullable=False)
    kind = sa.Column(sa.String(16), nullable=False)
    expires = sa.Column(sa.Float, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False)


class BareCompute(Base):
    """A compute for which ooi-save made nothing in Neutron.

    Written when a compute is created with no port or floating IP of
    ooi-save's making, removed when ooi-save makes one for it (a
    networkinterface to a public network) and when it is deleted: deleting
    a compute with a row here does not ask Neutron what to release with it.
    A compute without a row (made before this table, by another tool, or
    with ports of ooi-save's) is looked up in Neutron as ever.
    """

    __tablename__ = 'occi_bare_computes'

    server_id = sa.Column(sa.String(36), primary_key=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
