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

"""Which computes ooi-save made nothing for in Neutron.

Deleting a compute releases the ports and floating IPs ooi-save made for it
(:mod:`ooi_save.backend.links.networkinterface`): to find them, the delete
lists the compute's ports in Neutron before Nova's DELETE, since Nova
unbinds them as it deletes the server. Most computes have none: created
without a link to a public network or an IP reservation, they boot on
ports Nova makes and deletes itself. For those the ``occi_bare_computes``
table of the OCCI database holds a row, written when the compute is
created, so that their delete removes one row of a local database (one
statement, which tells whether there was one) instead of asking Neutron
(12 ms on a quiet mini-cloud, over 100 ms at load).

The row is only ever a shortcut. It is removed before ooi-save makes a
floating IP for the compute (and when the database cannot remove it, no
floating IP is made: 503), and with the compute; a compute without one
(made before this table, by another tool, or with ports of ooi-save's) is
looked up in Neutron as ever; a database that fails at a create or a
delete is logged, and the delete asks Neutron. Without ``[occi_database]
connection`` there is no table and every delete asks Neutron.

NOTE(ooi-save): while nodes of an older ooi-save run beside this one (a
rolling upgrade), a floating IP linked to a compute through an old node
leaves the compute's row: its delete through a new node would not find
that floating IP. Upgrade every node, or link no public address, meanwhile.
"""

import datetime

from oslo_log import log as logging

from ooi_save.db import api
from ooi_save.db import models

LOG = logging.getLogger(__name__)

TABLE = models.BareCompute.__table__


def bare_computes_for(database_conf):
    """The bare computes of a ``[occi_database]`` group, or None.

    :param database_conf: the group's options
    """
    if not database_conf.connection:
        return None
    return BareComputes(api.facade_for(database_conf))


class BareComputes:
    """The rows of ``occi_bare_computes``.

    :meth:`add` and :meth:`take` never raise (the row is a shortcut);
    :meth:`forget` does, so that nothing is made that a delete would miss.

    :param facade: the connection's enginefacade
    """

    def __init__(self, facade):
        self._facade = facade

    def add(self, server_id):
        """Note that ooi-save made nothing for a new compute."""
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None)
        self._quietly('note compute %s as bare' % server_id,
                      TABLE.insert().values(server_id=server_id,
                                            created_at=now))

    @api.translated("the computes' public addresses")
    def forget(self, server_id):
        """Remove a compute's row before ooi-save makes something for it.

        :raises: ServiceUnavailable when the database fails: a row left
            would keep the compute's delete from releasing what is made
        """
        self._run(_removal(server_id))

    def take(self, server_id):
        """Remove a compute's row as its delete begins; whether it had one.

        One statement, whatever the answer. A compute whose DELETE Nova then
        refuses has lost its row: its next delete asks Neutron, as for any
        compute without one.

        :returns: whether it had a row; False when the database fails (its
            delete then asks Neutron)
        """
        return bool(self._quietly('take the row of compute %s' % server_id,
                                  _removal(server_id)))

    def _run(self, statement):
        """Run one statement in its own transaction; the rows it touched."""
        with api.connection(self._facade) as connection:
            return connection.execute(statement).rowcount

    def _quietly(self, what, statement):
        """:meth:`_run`, logging a failure and returning None instead."""
        try:
            return self._run(statement)
        except Exception as error:
            LOG.warning('Cannot %s in the OCCI database: %s', what, error)
            return None


def _removal(server_id):
    return TABLE.delete().where(TABLE.c.server_id == server_id)
