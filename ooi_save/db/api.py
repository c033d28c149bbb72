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

"""Reading and writing the user mixins, through oslo.db's enginefacade.

One :class:`MixinStore` per database connection serves every filter of
the process; each call is one reader or writer transaction. The store
never creates tables: ``ooi-save-manage db sync`` does.
"""

import datetime
import functools
import threading
import uuid

from oslo_db import exception as db_exception
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
import sqlalchemy as sa

from ooi_save.db import models
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: oslo.db options of ``[occi_database]`` that are no engine settings.
_NOT_ENGINE_OPTIONS = frozenset(('backend', 'use_db_reconnect',
                                 'db_retry_interval', 'db_inc_retry_interval',
                                 'db_max_retry_interval', 'db_max_retries',
                                 'mysql_enable_ndb', 'use_tpool'))

_STORES = {}
_STORES_LOCK = threading.RLock()
_FACADES = {}


def translated(method, what='user-defined mixins'):
    """Answer a database that is down or not synced with a clear 503.

    :param what: what the database is used for, named in the answer
    """
    if isinstance(method, str):
        return functools.partial(translated, what=method)

    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (db_exception.DBDuplicateEntry, exceptions.Error):
            raise
        except (db_exception.DBError, sa.exc.SQLAlchemyError) as exc:
            LOG.error('The OCCI database failed: %s', exc)
            raise exceptions.ServiceUnavailable(
                'The database of %s cannot be used now (is it up, and '
                'synced with "ooi-save-manage db sync"?).' % what)
    return call


@enginefacade.transaction_context_provider
class _Context:
    """What enginefacade keeps its transaction on, for one call."""


def facade_for(database_conf):
    """The enginefacade of a ``[occi_database]`` group, one per connection.

    Shared by the stores of one connection, so that they share one pool.

    :param database_conf: the group's options (``conf.occi_database``)
    """
    connection = database_conf.connection
    with _STORES_LOCK:
        facade = _FACADES.get(connection)
        if facade is None:
            facade = enginefacade.transaction_context()
            settings = {name: database_conf[name] for name in database_conf
                        if name not in _NOT_ENGINE_OPTIONS}
            facade.configure(**settings)
            _FACADES[connection] = facade
        return facade


def reader(facade):
    """A reader transaction of a facade, as a context manager."""
    return facade.reader.using(_Context())


def writer(facade):
    """A writer transaction of a facade, as a context manager."""
    return facade.writer.using(_Context())


def connection(facade, write=True):
    """A transaction on a bare connection (no ORM session), cheaper.

    :param write: a writer transaction, else a reader one
    """
    mode = facade.writer if write else facade.reader
    return mode.connection.using(_Context())


def store_for(database_conf):
    """The store of a ``[occi_database]`` group, or None without one.

    :param database_conf: the group's options (``conf.occi_database``)
    :returns: a :class:`MixinStore` shared by all callers of that
        connection, or None when ``connection`` is not set
    """
    connection = database_conf.connection
    if not connection:
        return None
    with _STORES_LOCK:
        store = _STORES.get(connection)
        if store is None:
            store = _STORES[connection] = MixinStore(database_conf)
        return store


def _values(row):
    return {
        'id': row.id, 'project_id': row.project_id, 'scheme': row.scheme,
        'term': row.term, 'title': row.title, 'location': row.location,
        'applies': row.applies.split() if row.applies else [],
        'depends': row.depends.split() if row.depends else [],
    }


class MixinStore:
    """The user mixins of every project, in one database.

    :param database_conf: the ``[occi_database]`` options
    """

    def __init__(self, database_conf):
        self._facade = facade_for(database_conf)

    def _reader(self):
        return reader(self._facade)

    def _writer(self):
        return writer(self._facade)

    @translated
    def list(self, project_id):
        """The mixins of a project, oldest first.

        :returns: a list of dicts (``id``, ``scheme``, ``term``, ``title``,
            ``location``, ``applies``, ``depends``)
        """
        with self._reader() as session:
            rows = session.scalars(
                sa.select(models.UserMixin)
                .where(models.UserMixin.project_id == project_id)
                .order_by(models.UserMixin.created_at,
                          models.UserMixin.id)).all()
            return [_values(row) for row in rows]

    @translated
    def create(self, project_id, mixins):
        """Add mixins to a project, all of them or none.

        :param project_id: the project
        :param mixins: dicts with ``scheme``, ``term``, ``title``,
            ``location``, ``applies`` and ``depends``
        :returns: the new mixins, with their ``id``
        :raises: Conflict when a type id or location is taken already
        """
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        created = []
        try:
            with self._writer() as session:
                for mixin in mixins:
                    row = models.UserMixin(
                        id=uuid.uuid4().hex, project_id=project_id,
                        scheme=mixin['scheme'], term=mixin['term'],
                        title=mixin.get('title'),
                        location=mixin['location'],
                        applies=' '.join(mixin.get('applies') or ()),
                        depends=' '.join(mixin.get('depends') or ()),
                        created_at=now)
                    session.add(row)
                    created.append(row)
                session.flush()
                return [_values(row) for row in created]
        except db_exception.DBDuplicateEntry:
            raise exceptions.Conflict(
                'A mixin of this project has that scheme and term, or that '
                'location, already (another request made it meanwhile).')

    @translated
    def delete(self, project_id, mixin_id):
        """Remove one mixin of a project.

        :returns: whether there was such a mixin
        """
        with self._writer() as session:
            result = session.execute(
                sa.delete(models.UserMixin)
                .where(models.UserMixin.project_id == project_id,
                       models.UserMixin.id == mixin_id))
            return result.rowcount > 0
