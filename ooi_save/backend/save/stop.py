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

"""The ``stop`` step of a deferred save: wait for the server to stop.

:mod:`~ooi_save.backend.save.begin` sent ``os-stop`` (or a resumer finds the
record at this step). While the stop runs the chain waits, up to the stop
deadline; once the server is SHUTOFF with no task it snapshots at once. The
record of the stop names the request ``createImage`` is sent with (``rq``), so
the chain that wrote it does not write the ``snapshot`` step first (where the
claims are in the database, the only guard against a racing save of another
process): from then on a ``stop`` record whose ``createImage`` Nova's action
log shows (:mod:`~ooi_save.backend.save.evidence`), or whose server runs a
snapshot task, is at the ``snapshot`` step
(:mod:`~ooi_save.backend.save.snapshot`). A resumer records the ``snapshot``
step with its own request before it snapshots. A resumer never stops a server:
a ``stop`` record on an ACTIVE server with no task and no ``createImage`` sent
means the stop was never sent (or Nova gave it up), and the save is dropped.
"""

import time

from oslo_log import log as logging

from ooi_save.backend.save import finish
from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import restart
from ooi_save.backend.save import snapshot
from ooi_save import exceptions

LOG = logging.getLogger(__name__)


def advance(chain, server, record, task):
    """Take the next action of a chain at its ``stop`` step.

    Called by :meth:`~ooi_save.backend.save.chain.Chain.step` with the
    server as just read, the chain's record and the server's task state.

    :returns: an outcome (:mod:`~ooi_save.backend.save.outcomes`)
    """
    if _snapshotting(chain, record, task):
        return snapshot.advance(chain, server, record, task)
    status = server.get('status')
    if chain.stop_deadline is not None:
        late = time.monotonic() > chain.stop_deadline
    else:
        late = time.time() > (record.get('dl') or 0)
    if task:
        chain.overdue = late
        if late and chain.told and chain.error is None:
            chain.error = exceptions.ServiceUnavailable(
                'Compute %s did not stop within %d s; it was not saved '
                'and is being started again.'
                % (chain.server_id, chain.manager.conf.save_stop_timeout))
            if chain.stop_unanswered is not None:
                chain.error = exceptions.ServiceUnavailable(
                    "Compute %s was not saved: Nova did not answer its stop "
                    "in time (Nova's message queue cannot be reached). If "
                    "the stop still happens, the compute is started again; "
                    "try again later." % chain.server_id,
                    request_id=chain.stop_unanswered.request_id)
            LOG.warning('Deferred save of compute %s: the stop timed '
                        'out; the compute will be started again',
                        chain.server_id)
            return outcomes.ABORT
        return outcomes.WAIT
    if status == 'SHUTOFF':
        return _stopped(chain, record, server.get('updated'), late, server)
    if status == 'ACTIVE':
        # No stop is under way and the server runs: the stop was never
        # sent, or Nova gave it up. A resumer never stops a server.
        return finish.finish(
            chain, 'the compute was not stopped (Nova did not complete the '
            'stop, or nova-api was interrupted before sending it); it '
            'was not saved', exceptions.BackendError)
    return finish.went(chain, status)


def _snapshotting(chain, record, task):
    """Whether the chain is past its stop: ``createImage`` was sent.

    Known to the chain that sent it; otherwise told by a snapshot task,
    or, on a server with no task, by Nova's action log (one read, once).
    """
    if not record.get('rq'):
        # A record of the stop that names no request: createImage is sent
        # only once the snapshot step is recorded.
        return False
    if chain.snapshot_sent or task in snapshot.SNAPSHOT_TASKS:
        return True
    if task or chain.snapshot_sent is False:
        return False
    return snapshot.sent(chain, record)


def stopped(chain, finished):
    """Take the step once Nova's action log shows the stop done.

    :param finished: when the stop ended, as a server's ``updated``
    :returns: an outcome, or None to read the server first
    """
    record = chain.record
    if record is None or record.get('step') != save_record.STOP or \
            chain.stop_deadline is None or \
            time.monotonic() > chain.stop_deadline:
        return None
    return _stopped(chain, record, finished, False, None)


def _stopped(chain, record, updated, late, server):
    """Snapshot a stopped server, recording the ``snapshot`` step first.

    Not recorded again when the record names the request already (see the
    NOTE below).

    :param updated: when the server stopped, as its ``updated``
    :param late: whether the stop deadline has passed
    :param server: the server as just read, or None when Nova's action
        log told that it stopped
    """
    if late:
        reason = 'the compute did not stop within %d s' % (
            chain.manager.conf.save_stop_timeout)
        if chain.stop_unanswered is not None:
            reason = ("Nova did not answer the stop in time (its message "
                      "queue could not be reached)")
        return restart.give_up(chain, reason,
                               exceptions.ServiceUnavailable)
    # NOTE(ooi-save): a record that names the request createImage goes
    # with is not written again, where the claims are in the database.
    # Without it another process's save may have written over the record
    # before its stop was refused (Nova adds a tag twice when asked at
    # once): ours is written again then, as the snapshot step.
    if record.get('rq') != snapshot.request_tag(chain) or \
            chain.glance is None or not chain.manager.gate.exclusive:
        recorded = dict(record, step=save_record.SNAPSHOT, ts=updated,
                        rq=snapshot.request_tag(chain),
                        at=save_record.now(), own=chain.manager.owner)
        if not chain.write(recorded):
            return outcomes.WAIT
        chain.record = record = recorded
        # The record now names this chain and its image: no racing
        # request's record is ours any more.
        chain.adopt = False
    LOG.info('Deferred save of compute %s: stopped, snapshotting',
             chain.server_id)
    if chain.glance is None:
        return outcomes.NEXT
    # The server is stopped with no task, as just read (or as Nova's
    # action log tells): snapshot now rather than after one more read.
    return snapshot.send(chain, server, record)
