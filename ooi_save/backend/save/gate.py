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

"""The claim a save takes before it calls Nova, and holds to its end.

Nova guards a server's task state, but not exclusively: two snapshots, or a
snapshot and a stop, released together may both pass its check (it then
answers the loser 500, after registering its image), and a server tag is
no lock either (two racing PUTs both get 201). So every save first claims
the server in the OCCI database (:mod:`ooi_save.db.claims`): one row per
server, which only one node can insert. A hot save holds it until Nova
has answered ``createImage`` (from then on Nova's own task state refuses
the others); a deferred save holds it until its chain has started the
server again and removed its record, renewing its lease every third of
``[occi] save_lease``. The OCCI actions that change a server's power state
(start, stop, restart, suspend) hold it around their Nova call: a stop
cannot land between the steps of a deferred save and leave the compute
stopped once the save has answered; it is refused with 409 instead, as a
save is while the action's call runs.

A claim whose lease ran out, or whose process is provably gone (same
host, pid no longer alive), is taken over by a compare-and-set on its
token: by the save or action that finds it when nothing is left of it in
Nova (a hot save), or by the resumer of its chain
(:func:`ooi_save.backend.save.claims.take_over`) when a chain is recorded.

Without ``[occi_database] connection`` the claims are kept in the memory
of the process (:class:`ooi_save.db.claims.LocalClaims`): exclusive among
the requests of one nova-api process only, with the server tag as the
guard between processes, as before the database held them.
"""

import time

from oslo_log import log as logging

from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import claims
from ooi_save.backend.save import record as save_record
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

CLOSING = claims.CLOSING
CHAIN_KINDS = claims.CHAIN_KINDS


def since(claim):
    """The UTC time a claim was taken, as refusals show it."""
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(claim.created))


def refusal(server_id, holder, what='save'):
    """The Conflict of a request refused because another holds the server.

    :param holder: the claim of the other request
    :param what: what was refused (``save``, ``stop``...)
    """
    if holder.kind in CHAIN_KINDS:
        detail = ' (a deferred save, since %s)' % since(holder)
    elif holder.kind == save_record.HOT:
        detail = ' (a hot save, since %s)' % since(holder)
    else:
        return save_answer.busy(
            server_id, holder.kind, ', asked through OCCI at %s; the %s is '
            'refused' % (since(holder), what))
    if what == 'save':
        return save_answer.being_saved(server_id, detail)
    return exceptions.Conflict(
        'Compute %s is being saved%s: the %s is refused until the save has '
        'finished; try again then.' % (server_id, detail, what))


def restarted(server):
    """Whether a deferred chain has started its server again.

    Its record says it has snapshotted the server (or gave up), and the
    server runs with no task: the chain has its record to remove, and
    will in a moment.
    """
    record = save_record.record_of(server)
    return (save_record.active(record) and
            record.get('step') in (save_record.SNAPSHOT,
                                   save_record.RESTART) and
            server.get('status') == 'ACTIVE' and
            not server.get('OS-EXT-STS:task_state'))


class Gate:
    """Takes and releases the claims of one save manager.

    :param manager: the :class:`~ooi_save.backend.save.manager.SaveManager`
    :param store: a :class:`ooi_save.db.claims.DatabaseClaims` or
        :class:`ooi_save.db.claims.LocalClaims`
    """

    def __init__(self, manager, store):
        self.manager = manager
        self.store = store

    @property
    def exclusive(self):
        """Whether no other process can hold a server we hold."""
        return self.store.exclusive

    def gone(self, claim):
        """Whether a claim's holder is gone: lease over, or process dead."""
        return claims.gone(self.manager.registry, claim)

    def take(self, session, server_id, kind):
        """Claim a server for a new save or an action.

        :param session: the caller's session
        :param kind: ``hot``, ``deferred`` or the action's name
        :returns: our :class:`ooi_save.db.claims.Claim`
        :raises: Conflict when another save or action holds the server;
            ServiceUnavailable when the database cannot be used
        """
        manager = self.manager
        deadline = time.monotonic() + manager.close_wait
        what = 'save' if kind in (save_record.HOT, save_record.DEFERRED) \
            else kind
        while True:
            claim, holder = self.store.take(server_id, manager.owner, kind,
                                            manager.lease)
            if claim is not None:
                return claim
            if holder is None:
                # Released while we looked: try again.
                continue
            if self.gone(holder):
                claim = self._take_over(session, server_id, holder, kind)
                if claim is not None:
                    return claim
                continue
            if holder.kind in CHAIN_KINDS and \
                    time.monotonic() < deadline and (
                        holder.kind == CLOSING or
                        restarted(session.nova.get_server(server_id))):
                # A chain that has started its server again only removes
                # its record: wait for it rather than refuse.
                time.sleep(manager.poll_intervals[0])
                continue
            raise refusal(server_id, holder, what)

    def _take_over(self, session, server_id, holder, kind):
        """Take over a claim whose holder is gone, unless a chain needs it.

        A deferred chain still recorded in Nova is resumed instead (its
        resumer takes the claim over), and the request is refused.

        :returns: our claim, or None to look again
        """
        if holder.kind in CHAIN_KINDS:
            server = session.nova.get_server(server_id)
            if save_record.tagged(server) or save_record.active(
                    save_record.record_of(server)):
                self.manager.resume_if_pending(session, server)
                raise refusal(server_id, holder,
                              'save' if kind in (save_record.HOT,
                                                 save_record.DEFERRED)
                              else kind)
        claim = self.store.take_over(holder, self.manager.owner, kind,
                                     self.manager.lease)
        if claim is not None:
            LOG.info('Claim of compute %s by %s (%s) taken over: its holder '
                     'is gone', server_id, holder.owner, holder.kind)
        return claim

    def release(self, claim):
        """Drop a claim we hold; logged when the database refuses."""
        if claim is None:
            return
        try:
            self.store.release(claim)
        except exceptions.Error as error:
            LOG.warning('Cannot release the claim of compute %s (it runs '
                        'out with its lease): %s', claim.server_id, error)
