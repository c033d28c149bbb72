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

"""Starting the server again: after the snapshot, or when a save gives up.

No path leaves a server stopped by us: every abort records the ``restart``
step (:func:`give_up`) and goes through :func:`advance`, which starts the
server once no task runs and ends the chain once it is ACTIVE again. A 409
of ``os-start`` counts as done: the next poll shows why.

A snapshot that is done is handed back before the start (:func:`hand_back`):
Nova refuses metadata changes while it starts a server, so a record removed
only once the server runs again would keep the compute "being saved" for one
more poll and three more calls after Nova is done. The start tag
(``ooi-save-start``) is set while the upload runs (Nova lets tags change
during a task); once the upload is over the record goes, then ``os-start``
is sent; once Nova has taken it the tags go while Nova starts the server,
and the chain watches the server until it runs (:func:`bare`, on Nova's
action log: :mod:`~ooi_save.backend.save.awaiting`). Whoever finds the
start tag without a record starts the server, so a process that ends
between the record and the start leaves no server stopped either; a
server found stopped again after Nova took the chain's start is started
again only if Nova failed that start, not if another request stopped it.
"""

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend.save import claims
from ooi_save.backend.save import finish
from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)


def advance(chain, server, record, task):
    """Take the next action of a chain at its ``restart`` step.

    Called by :meth:`~ooi_save.backend.save.chain.Chain.step` with the
    server as just read, the chain's record and the server's task state.

    :returns: an outcome (:mod:`~ooi_save.backend.save.outcomes`)
    """
    if task:
        return outcomes.WAIT
    if server.get('status') == 'SHUTOFF':
        start(chain)
        return outcomes.WAIT
    return finish.finish(chain, record.get('err') or 'the save was abandoned',
                         keep=bool(record.get('keep')))


def give_up(chain, reason, error_class):
    """Abandon the save of a stopped server: start it again.

    :param reason: why, recorded as ``err``
    :param error_class: what to answer a waiting caller with
    :returns: :data:`~ooi_save.backend.save.outcomes.ABORT` when a caller
        is told, else :data:`~ooi_save.backend.save.outcomes.NEXT`
    """
    if chain.told and chain.error is None:
        chain.error = error_class('Compute %s was not saved: %s.'
                                  % (chain.server_id, reason))
    chain.adopt = False
    # The stop deadline and stop time are of no use any more: their room
    # goes to the reason.
    restarted = {key: value for key, value in chain.record.items()
                 if key not in ('dl', 'ts', 'rq')}
    restarted.update(step=save_record.RESTART, err=reason,
                     at=save_record.now(), keep=0 if chain.told else 1)
    if not chain.write(restarted):
        return outcomes.WAIT
    chain.record = restarted
    LOG.warning('Deferred save of compute %s abandoned (%s); starting '
                'it again', chain.server_id, reason)
    return outcomes.ABORT if chain.told else outcomes.NEXT


def start(chain):
    """Send ``os-start``; a 409 is left for the next poll to explain.

    :returns: whether Nova took it
    """
    try:
        chain.nova.server_action(chain.server_id, 'os-start')
    except exceptions.Conflict as error:
        # Already started, or a task still runs: the next poll tells.
        LOG.debug('os-start of compute %s refused: %s', chain.server_id,
                  error)
        return False
    LOG.info('Deferred save of compute %s: starting it again',
             chain.server_id)
    # Watch closely: a save asked once the compute runs again waits
    # for this chain to remove its record.
    chain.polls = 0
    return True


def hand_back(chain, check=None):
    """Remove the record of a save that is done, then start the server.

    Called at the ``snapshot`` step once the server is SHUTOFF with no
    task and its image is active, or with ``check`` to find that out
    (Glance is asked while the record goes: one round trip less when the
    upload went well, the usual case).

    :param check: sets ``chain.failure`` ('' when the upload went well),
        or None when it is known to be ''
    :returns: an outcome (:mod:`~ooi_save.backend.save.outcomes`)
    """
    chain.ending = True
    chain.closing()
    chain.settle_start_tag()
    if not chain.start_tagged and not tag_to_start(chain):
        # Without the start tag the record stays until the server runs.
        if check is not None:
            check()
        start(chain)
        return outcomes.WAIT
    chain.start_tagged = True
    checking = concept.Meanwhile(check) if check is not None else None
    try:
        forgotten = chain.forget(untag=False)
    finally:
        if checking is not None:
            checking.join()
    if checking is not None and chain.failure != '':
        return _upload_failed(chain, forgotten)
    if not forgotten:
        # A task began meanwhile: the next poll tells what to do.
        return outcomes.WAIT
    chain.handed_back = True
    # Nothing is left to hold the server for: the start tag tells whoever
    # comes next to start it, and Nova refuses another task while it does.
    # A process that ends from here on leaves no claim behind.
    chain.release()
    # The trust goes while Nova takes the start: the record that named it
    # is gone, and the image is uploaded, so it is of no more use.
    ended = concept.Meanwhile(lambda: chain.delegation.end(chain.record))
    try:
        return _start_bare(chain)
    finally:
        ended.join()


def _upload_failed(chain, forgotten):
    """Go on as a failed upload does once the record went for nothing.

    The upload failed, or Glance could not tell: the record is written
    back, and stays until the server runs again, when the save ends as
    failed (or, once Glance tells, saved).
    """
    chain.ending = False
    if forgotten and not chain.write(chain.record):
        LOG.warning('Deferred save of compute %s: its record could not be '
                    'written back after a failed upload (%s)',
                    chain.server_id, chain.failure or 'Glance did not tell')
    start(chain)
    return outcomes.WAIT


def bare(chain, server, task):
    """Watch a saved server whose record is gone until it runs again.

    Called with the server as just read, for a chain that handed its save
    back, or any chain finding the start tag without a record.

    :returns: an outcome (:mod:`~ooi_save.backend.save.outcomes`)
    """
    if task:
        return outcomes.WAIT
    if server.get('status') == 'SHUTOFF':
        if not chain.start_taken or _start_failed(chain):
            return _start_bare(chain)
        LOG.info('Deferred save of compute %s: started, then stopped by '
                 'another request; left stopped', chain.server_id)
    if save_record.to_start(server):
        # Ours still (a new save's tag comes without the start tag).
        chain.untag()
    return _done(chain)


def started(chain):
    """End the chain once Nova's action log shows its start done.

    :returns: an outcome, or None to read the server first
    """
    if not chain.handed_back or chain.start_tagged:
        return None
    return _done(chain)


def tag_to_start(chain):
    """Set the start tag; False when Nova refuses it (logged)."""
    return claims.tag(chain.nova, chain.server_id, save_record.START_TAG)


def _done(chain):
    LOG.info('Deferred save of compute %s done: image %s', chain.server_id,
             chain.image_id or '(resumed)')
    return outcomes.DONE


def _start_failed(chain):
    """Whether Nova failed the start this chain sent (or never logged it).

    A server found stopped again after the chain's start was taken either
    failed to start (Nova marks the action of the start failed), or ran
    and was stopped since by another request, and stays stopped.
    """
    try:
        action = chain.nova.instance_action(chain.server_id,
                                            chain.nova.request_id)
    except exceptions.NotFound:
        return True
    except exceptions.Error as error:
        LOG.warning('Deferred save of compute %s: cannot tell whether its '
                    'start failed: %s', chain.server_id, error)
        return False
    return action.get('action') != 'start' or action.get('message') == 'Error'


def _start_bare(chain):
    """Start a server whose record is gone; untag it once Nova took it.

    The chain then watches the server until it runs (:func:`bare`).
    """
    if start(chain):
        chain.handed_back = chain.start_taken = True
        chain.expect(nova_api.START_EVENT)
        chain.untag()
    return outcomes.WAIT
