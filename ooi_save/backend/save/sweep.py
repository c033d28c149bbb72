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

"""Finding the deferred saves that no one drives any more.

On every nova-api process, shortly after the filter starts and then every
``[occi] save_sweep_interval`` seconds, a daemon thread lists the servers
tagged as saving, in all projects (one Nova call per page of 1000, with an
admin context built in-process), and resumes the chains whose driver is
gone or whose lease ran out (see :mod:`ooi_save.backend.save.claims`): the
server tag stays the sweep's index, the claim in the database says who
drives. A
node that dies mid-chain and stays dead has its chains finished by another
within ``save_lease + save_sweep_interval`` seconds, through the chain's
trust (:mod:`ooi_save.backend.save.delegation`).
"""

import threading
import time

from oslo_log import log as logging

from ooi_save.backend.save import chain as chain_mod
from ooi_save.backend.save import claims
from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import nova as nova_api

LOG = logging.getLogger(__name__)


def nova_admin_environ(project_id=None, user_id=None):
    """A WSGI environ carrying an in-process Nova admin context.

    Nova is imported here only, so that the rest of the package (and its
    tests) does not need it. Nova's RBAC defaults check roles, not only
    ``is_admin``, hence the roles.
    """
    from nova import context as nova_context

    context = nova_context.get_admin_context()
    context.roles = ['admin', 'member', 'reader']
    context.project_id = project_id
    context.user_id = user_id
    return {'nova.context': context,
            'openstack.request_id': context.request_id}


class Sweeper:
    """The sweep of one :class:`~ooi_save.backend.save.manager.SaveManager`.

    :param manager: the save manager
    """

    def __init__(self, manager):
        self.manager = manager

    def start(self):
        """Run the sweep loop in a daemon thread."""
        thread = threading.Thread(target=self._loop, name='ooi-save-sweep',
                                  daemon=True)
        thread.start()

    def _loop(self):
        manager = self.manager
        if manager.stopped.wait(manager.sweep_delay):
            return
        while True:
            try:
                self.sweep()
            except ImportError as error:
                LOG.warning('No resume sweep: the filter does not run '
                            'inside nova-api (%s)', error)
                return
            except Exception as error:
                LOG.warning('Cannot look for unfinished deferred saves '
                            '(%s); trying again in %d s', error,
                            manager.sweep_interval)
            if manager.stopped.wait(manager.sweep_interval):
                return

    def sweep(self):
        """Resume every unfinished deferred save that no one drives.

        :returns: how many chains were left to a driver that may be alive
        """
        manager = self.manager
        lister = nova_api.NovaAPI(manager.app, manager.admin_environ())
        held = 0
        tagged = set()
        # NOTE(ooi-save): servers being deleted too: a chain resumed on
        # one finds it gone and ends.
        for server in lister.list_servers(
                {'all_tenants': '1', 'tags': save_record.TAG}, deleting=True):
            tagged.add(server['id'])
            record = save_record.record_of(server)
            if save_record.active(record) and \
                    not manager.registry.may_take(record, server,
                                                  manager.lease,
                                                  manager.gate.store):
                held += 1
                continue
            environ = manager.admin_environ(server.get('tenant_id'),
                                            server.get('user_id'))
            chain = chain_mod.Chain(
                manager, server['id'],
                nova_api.NovaAPI(manager.app, environ),
                chain_id=record.get('id') if record else None)
            if not manager.registry.claim(server['id'], chain):
                continue
            LOG.info('Resuming the %s of compute %s found by the sweep',
                     save_record.label(record), server['id'])
            manager.registry.spawn(chain)
        self.prune(tagged)
        return held

    def prune(self, tagged):
        """Drop the claims left by processes that died holding them.

        A claim whose lease ran out a whole lease ago, of a hot save or an
        action (or of a chain nothing in Nova is left of: its server
        carries no tag), is of no one: the next save of its server would
        take it over, and a deleted server's would stay for ever.

        :param tagged: the ids of the servers tagged as saving
        """
        store = self.manager.gate.store
        for claim in store.expired_before(time.time() -
                                          self.manager.lease):
            if claim.kind in claims.CHAIN_KINDS and \
                    claim.server_id in tagged:
                continue
            if store.release(claim):
                LOG.info('Dropped the claim of compute %s left by %s (%s)',
                         claim.server_id, claim.owner, claim.kind)
