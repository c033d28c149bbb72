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

"""The first step of a new deferred save: record it and stop the server.

The chain holds the server's claim already
(:mod:`~ooi_save.backend.save.gate`). The tag first (Nova tells whether it
was there already: a chain from before the claims, or of another process
without the database), then the record and the chain's trust, then
``os-stop``. Nova lets one stop of a server through: the chain whose stop
went through is the one, whatever record a racing request wrote meanwhile.
A chain whose stop Nova refused undoes what it wrote, unless (without the
database) another stopped the server: it may be another process's save.

A save asked of a compute usually finds it running with nothing under way:
the tag and the trust are then asked for while the server is read
(:class:`Opening`), and the record and the stop follow as soon as the read
shows the server as expected. When it does not (the server is not running,
runs a task, or carries another chain's tag or record), the opening is
undone and the save goes the careful way, one call after the other.
"""

import time
import uuid

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import claims
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import snapshot
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)


class Opening:
    """A new chain's tag and trust, asked for at once.

    Nova adds the tag and Keystone makes the trust, each in a thread of
    its own, from the moment this is made (while the server is read, when
    the save can go the quick way).

    :param chain: the new :class:`~ooi_save.backend.save.chain.Chain`
    """

    def __init__(self, chain):
        self.chain = chain
        #: The trust id, once made, keyed as in the server metadata.
        self.values = {}
        self._trust = concept.Meanwhile(lambda: chain.delegation.delegate(
            chain.nova.context, chain.manager.conf, self.values))
        self._tag = concept.Meanwhile(lambda: chain.nova.add_server_tag(
            chain.server_id, save_record.TAG))

    def tagged(self):
        """Whether Nova added the tag for us; what Nova refused is raised.

        NOTE(ooi-save): Nova answers 201 when it adds the tag and 204 when
        the server has it already: 204 means another save got here first.
        """
        return self._tag.result()

    def fresh(self):
        """Whether Nova added the tag for us (it was not there before)."""
        try:
            return self.tagged()
        except exceptions.Error:
            return False

    def unseen(self, server):
        """The server as read, without the tag we added ourselves."""
        if not self.fresh() or not save_record.tagged(server):
            return server
        return dict(server, tags=[tag for tag in server['tags']
                                  if tag != save_record.TAG])

    def ready(self, server):
        """Whether the chain can record itself and stop the server now.

        :param server: the server as read, without our own tag
            (:meth:`unseen`)
        """
        return (self.fresh() and server.get('status') == 'ACTIVE' and
                not nova_api.task_state(server) and
                not save_record.tagged(server) and
                save_record.record_of(server) is None and
                self._trusted())

    def delegated(self):
        """Wait for the trust; what Keystone's call raised is raised."""
        self._trust.result()

    def _trusted(self):
        """Whether the trust came through, or none was to be made."""
        try:
            self.delegated()
        except Exception as error:
            LOG.debug('Compute %s: no trust was made: %s',
                      self.chain.server_id, error)
            return False
        return True

    def undo(self):
        """Remove the tag we added and the trust made for nothing."""
        if self.fresh():
            claims.delete_tag(self.chain.nova, self.chain.server_id,
                              save_record.TAG)
        self.drop_trust()

    def drop_trust(self):
        """Delete the trust, which was written nowhere."""
        if self._trusted():
            self.chain.delegation.end(None)


def begin(chain, server, opening=None):
    """Record the chain and stop the server.

    :param opening: the chain's :class:`Opening` when it is
        :meth:`~Opening.ready`, or None to tag and delegate here
    :raises: Conflict when another save or task got there first, or
        Nova refuses the stop (with Nova's reason); NotFound; what Nova
        answered when it failed otherwise
    """
    now = save_record.now()
    timeout = chain.manager.conf.save_stop_timeout
    chain.stop_deadline = time.monotonic() + timeout
    chain.chain_id = uuid.uuid4().hex[:8]
    # The record names the request createImage will be sent with (rq):
    # the chain snapshots once the stop is over without writing again.
    chain.record = {
        'v': 1, 'id': chain.chain_id, 'step': save_record.STOP,
        'm': save_record.DEFERRED,
        'from': server.get('status'), 't0': now, 'at': now,
        'dl': now + timeout + 1, 'own': chain.manager.owner,
        'rq': snapshot.request_tag(chain)}
    values = {save_record.RECORD_KEY: save_record.encode(chain.record),
              save_record.NAME_KEY: chain.name}
    if opening is not None:
        values.update(opening.values)
    else:
        _tag_and_delegate(chain, values)
    try:
        chain.nova.set_server_metadata(chain.server_id, values)
    except exceptions.Error as error:
        _refused(chain, error)
    try:
        chain.nova.server_action(chain.server_id, 'os-stop')
    except nova_api.NoAnswer as error:
        # The stop may still happen once Nova's queue answers: the chain
        # is told to give up at once, and its worker watches the server
        # to start it again if it stops.
        LOG.warning('Deferred save of compute %s: %s', chain.server_id,
                    error)
        chain.stop_deadline = time.monotonic()
        chain.stop_unanswered = error
    except exceptions.Error as error:
        _refused(chain, error)
    else:
        chain.expect(nova_api.STOP_EVENT)
    # Only one os-stop of a server gets through: ours did, so this chain
    # is the one, whatever record a racing request wrote meanwhile.
    chain.adopt = True
    chain.claimed = True
    # Nothing was snapshotted since this stop: no need to ask Nova's
    # action log before sending createImage.
    chain.snapshot_sent = False
    LOG.info('Deferred save of compute %s (chain %s): stopping',
             chain.server_id, chain.chain_id)


def _tag_and_delegate(chain, values):
    """Tag the server while Keystone makes the chain's trust.

    A trust made for a save that finds the tag taken is deleted again.

    :raises: Conflict when the tag was there already
    """
    opening = Opening(chain)
    try:
        tagged = opening.tagged()
    except Exception:
        opening.drop_trust()
        raise
    if not tagged:
        opening.drop_trust()
        raise save_answer.being_saved(chain.server_id)
    opening.delegated()
    values.update(opening.values)


def _refused(chain, error):
    """Undo what a chain Nova refused to record or stop wrote, and say why.

    NOTE(ooi-save): when two requests race for one server, Nova refuses the
    loser with 409 (the winner's task was set when it looked) or, when both
    passed its check together, with 500 (``UnexpectedTaskStateError``):
    either way the server now shows who won.

    :raises: Conflict when another stop, save or task got the server
        first, or Nova refused with 409; ``error`` otherwise
    """
    server = _cancel(chain)
    chain.delegation.end(chain.record)
    task = nova_api.task_state(server or {})
    if server is not None and _stopped_by_another(server):
        if chain.manager.gate.exclusive:
            # We hold the claim: no save stopped it, a native request did.
            raise exceptions.Conflict(
                'Compute %s cannot be stopped to be saved: another request '
                'stopped it first.' % chain.server_id,
                request_id=error.request_id)
        raise save_answer.being_saved(
            chain.server_id, ' (another request stopped it first)',
            request_id=error.request_id)
    if task:
        raise save_answer.busy(chain.server_id, task,
                               ', begun by another request',
                               request_id=error.request_id)
    if isinstance(error, exceptions.Conflict):
        raise exceptions.Conflict(
            'Compute %s cannot be stopped to be saved: %s'
            % (chain.server_id, error.message),
            request_id=error.request_id)
    if save_answer.lost_race(error):
        # The winner's task may be over already (a quick snapshot).
        raise save_answer.lost_race_conflict(chain.server_id, error)
    raise error


def _stopped_by_another(server):
    return nova_api.task_state(server) == 'powering-off' or \
        server.get('status') == 'SHUTOFF'


def _cancel(chain):
    """Undo the record of a chain that Nova refused.

    :returns: the server as read afterwards, or None
    """
    try:
        server = chain.nova.get_server(chain.server_id)
    except exceptions.Error:
        return None
    if _stopped_by_another(server) and not chain.manager.gate.exclusive:
        # Someone else stopped it, perhaps a save racing ours (without
        # the database, another process's save may): leave the record and
        # the tag to it.
        return server
    record = save_record.record_of(server)
    if record and record.get('id') == chain.chain_id:
        if not chain.forget():
            # NOTE(ooi-save): Nova refuses metadata changes while a task
            # runs, such as the snapshot that won the server: a worker
            # removes the record once it is over (see Chain.withdrawn and
            # finish.withdraw).
            chain.withdrawn = True
    elif not save_record.active(record):
        chain.untag()
    # else another chain recorded itself after us: the tag is its own.
    return server
