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

"""The claims of servers by saves: a row per server, or a dict.

:class:`DatabaseClaims` keeps them in the ``occi_save_claims`` table of
the OCCI database, whose primary key is the server id: of two nodes that
insert a claim for one server at the same moment, the database lets one
through and refuses the other (a duplicate key). A claim is taken over
(its lease ran out, or its process is gone) by a compare-and-set on its
``hold`` token: one ``UPDATE ... WHERE hold = <the one read>``, which only
one taker can win.

:class:`LocalClaims` is the same in the memory of one process, for a
deployment without ``[occi_database] connection``: claims are exclusive
among the requests of that process only (see the configuration guide).

Times are epoch seconds of the node's clock.
"""

import collections
import datetime
import threading
import time
import uuid

from oslo_db import exception as db_exception
import sqlalchemy as sa

from ooi_save.db import api
from ooi_save.db import models

#: A claim as read: ``created`` and ``expires`` in epoch seconds.
Claim = collections.namedtuple(
    'Claim', 'server_id owner hold kind expires created')


def _token():
    return uuid.uuid4().hex


def expired(claim, now=None):
    """Whether a claim's lease has run out."""
    return (now or time.time()) > claim.expires


def claims_for(database_conf):
    """The claims of a ``[occi_database]`` group: in it, or in memory.

    :param database_conf: the group's options
    :returns: a :class:`DatabaseClaims` when ``connection`` is set, else a
        new :class:`LocalClaims`
    """
    if not database_conf.connection:
        return LocalClaims()
    return DatabaseClaims(api.facade_for(database_conf))


#: The claims table: claims are read and written with SQLAlchemy Core
#: statements on a bare connection, a millisecond cheaper a call than the
#: ORM on the hot save's path.
TABLE = models.SaveClaim.__table__


def _claim(row):
    created = row.created_at.replace(
        tzinfo=datetime.timezone.utc).timestamp()
    return Claim(row.server_id, row.owner, row.hold, row.kind, row.expires,
                 created)


translated = api.translated('save claims')


class DatabaseClaims:
    """Claims in the OCCI database, exclusive across every node.

    :param facade: the connection's enginefacade
    """

    #: Whether two processes cannot both hold a server.
    exclusive = True

    def __init__(self, facade):
        self._facade = facade

    @translated
    def get(self, server_id):
        """The claim of a server, or None."""
        with api.connection(self._facade, write=False) as connection:
            row = connection.execute(
                sa.select(TABLE).where(TABLE.c.server_id == server_id)
            ).first()
            return _claim(row) if row is not None else None

    @translated
    def expired_before(self, moment):
        """The claims whose lease ran out before a time (epoch s)."""
        with api.connection(self._facade, write=False) as connection:
            rows = connection.execute(
                sa.select(TABLE).where(TABLE.c.expires < moment)).all()
            return [_claim(row) for row in rows]

    @translated
    def take(self, server_id, owner, kind, lease):
        """Claim a server no one claims.

        :returns: (our claim, None), or (None, the holder's claim)
        """
        for _ in range(3):
            now = time.time()
            claim = Claim(server_id, owner, _token(), kind, now + lease, now)
            try:
                with api.connection(self._facade) as connection:
                    connection.execute(TABLE.insert().values(
                        server_id=server_id, owner=owner, hold=claim.hold,
                        kind=kind, expires=claim.expires,
                        created_at=datetime.datetime.fromtimestamp(
                            now, datetime.timezone.utc).replace(
                                tzinfo=None)))
                return claim, None
            except db_exception.DBDuplicateEntry:
                holder = self.get(server_id)
                if holder is not None:
                    return None, holder
                # Released between our insert and our read: again.
        return None, self.get(server_id)

    @translated
    def take_over(self, old, owner, kind, lease):
        """Take a claim over, if it is still the one read.

        :param old: the claim as read (its ``hold`` is compared)
        :returns: our claim, or None when another changed it first
        """
        claim = old._replace(owner=owner, hold=_token(), kind=kind,
                             expires=time.time() + lease)
        with api.connection(self._facade) as connection:
            result = connection.execute(
                TABLE.update()
                .where(TABLE.c.server_id == old.server_id,
                       TABLE.c.hold == old.hold)
                .values(owner=owner, hold=claim.hold, kind=kind,
                        expires=claim.expires))
            return claim if result.rowcount == 1 else None

    @translated
    def renew(self, claim, lease, kind=None):
        """Push a held claim's expiry back (and change its kind).

        :returns: the renewed claim, or None when it is held no more
        """
        renewed = claim._replace(expires=time.time() + lease,
                                 kind=kind or claim.kind)
        with api.connection(self._facade) as connection:
            result = connection.execute(
                TABLE.update()
                .where(TABLE.c.server_id == claim.server_id,
                       TABLE.c.hold == claim.hold)
                .values(expires=renewed.expires, kind=renewed.kind))
            return renewed if result.rowcount == 1 else None

    @translated
    def release(self, claim):
        """Drop a held claim; False when it was held no more."""
        with api.connection(self._facade) as connection:
            result = connection.execute(
                TABLE.delete()
                .where(TABLE.c.server_id == claim.server_id,
                       TABLE.c.hold == claim.hold))
            return result.rowcount == 1


class LocalClaims:
    """Claims in the memory of this process (no database configured)."""

    exclusive = False

    def __init__(self):
        self._lock = threading.Lock()
        self._claims = {}

    def get(self, server_id):
        with self._lock:
            return self._claims.get(server_id)

    def expired_before(self, moment):
        with self._lock:
            return [claim for claim in self._claims.values()
                    if claim.expires < moment]

    def take(self, server_id, owner, kind, lease):
        now = time.time()
        with self._lock:
            holder = self._claims.get(server_id)
            if holder is not None:
                return None, holder
            claim = Claim(server_id, owner, _token(), kind, now + lease, now)
            self._claims[server_id] = claim
            return claim, None

    def take_over(self, old, owner, kind, lease):
        with self._lock:
            current = self._claims.get(old.server_id)
            if current is None or current.hold != old.hold:
                return None
            claim = old._replace(owner=owner, hold=_token(), kind=kind,
                                 expires=time.time() + lease)
            self._claims[old.server_id] = claim
            return claim

    def renew(self, claim, lease, kind=None):
        with self._lock:
            current = self._claims.get(claim.server_id)
            if current is None or current.hold != claim.hold:
                return None
            renewed = claim._replace(expires=time.time() + lease,
                                     kind=kind or claim.kind)
            self._claims[claim.server_id] = renewed
            return renewed

    def release(self, claim):
        with self._lock:
            current = self._claims.get(claim.server_id)
            if current is None or current.hold != claim.hold:
                return False
            del self._claims[claim.server_id]
            return True
