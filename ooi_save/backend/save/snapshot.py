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

"""The ``snapshot`` step of a deferred save: ``createImage``, then wait.

The server is SHUTOFF: the chain sends ``createImage`` with the recorded
name (:func:`send`) and a waiting caller is answered with the image. Then it
waits for the upload to end (the server's task state clears) and starts the
server (:mod:`~ooi_save.backend.save.restart`).

A resumer at this step with no task first decides whether ``createImage``
was sent (:mod:`~ooi_save.backend.save.evidence`): if it was, the snapshot
is over and the server is started; if not, it snapshots. Without a user
token it acts through the chain's trust
(:mod:`~ooi_save.backend.save.delegation`); without one either, it waits up
to ``read_grace`` seconds for a read of the compute to lend it the reader's
token (:meth:`Chain.offer`), then gives the save up, visibly.

NOTE(ooi-save): Nova refuses ``os-start`` while a snapshot task runs, so
``save_snapshot_timeout`` cannot start a server earlier: once it has passed
the chain only warns and goes on waiting.
"""

import time

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import evidence
from ooi_save.backend.save import finish
from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import restart
from ooi_save.backend.services import glance as glance_api
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: How many times a snapshot is sent again after a racing stop held it
#: back (see :func:`_stray_stop`).
MAX_STRAY_STOPS = 3

#: Why a save failed whose image Glance could not be asked about.
GLANCE_LOST = 'Glance could not be reached during the snapshot upload'

#: Task states of a running snapshot.
SNAPSHOT_TASKS = frozenset(('image_snapshot', 'image_snapshot_pending',
                            'image_pending_upload', 'image_uploading'))

#: What a chain waits for on Glance rather than on the server (see
#: :mod:`~ooi_save.backend.save.awaiting`): its image active.
UPLOADED = 'image active'

#: Glance's statuses of an image whose upload is not over.
UPLOADING = frozenset(('queued', 'saving', 'uploading', 'importing'))


def advance(chain, server, record, task):
    """Take the next action of a chain at its ``snapshot`` step.

    Called by :meth:`~ooi_save.backend.save.chain.Chain.step` with the
    server as just read, the chain's record and the server's task state.

    :returns: an outcome (:mod:`~ooi_save.backend.save.outcomes`)
    """
    status = server.get('status')
    if task:
        if task in SNAPSHOT_TASKS:
            chain.snapshot_sent = True
            _watch_upload(chain)
            _meanwhile(chain)
        return outcomes.WAIT
    if not sent(chain, record):
        if status != 'SHUTOFF':
            return finish.finish(chain, 'the compute was started before it '
                                 'could be saved', exceptions.Conflict)
        if chain.glance is None and not _act_through_trust(chain) and \
                _wait_for_token(chain):
            return outcomes.WAIT
        return send(chain, server, record)
    if status == 'SHUTOFF':
        if chain.failure is None and chain.glance is not None:
            # Glance is asked while the record goes.
            return restart.hand_back(
                chain, lambda: _check_upload(chain, record))
        _check_upload(chain, record)
        if chain.failure == '':
            return restart.hand_back(chain)
        # Failed, or not known yet: the record stays until the server runs
        # again, and the failure is asked again meanwhile.
        restart.start(chain)
        return outcomes.WAIT
    if status == 'ACTIVE':
        _check_upload(chain, record)
        if chain.failure is None:
            # NOTE(ooi-save): Glance does not answer, and Nova's action log
            # does not tell a failed upload (its message stays empty): the
            # save counts as failed until Glance shows the image active
            # (see finish.clean).
            chain.failure = GLANCE_LOST
        return finish.finish(chain, chain.failure or None)
    return finish.went(chain, status)


def _check_upload(chain, record):
    """Find out why the upload failed ('' when it did not).

    Once known it is kept; None (unknown: Glance does not answer) is
    asked again at the next step.
    """
    if chain.failure is None:
        chain.failure = evidence.snapshot_failure(
            chain.nova, chain.glance, chain.server_id,
            chain.image_id or record.get('img'), record)


def sent(chain, record):
    """Whether ``createImage`` was sent since the server stopped."""
    if chain.snapshot_sent is None:
        chain.snapshot_sent = evidence.snapshot_sent(
            chain.nova, chain.server_id, record)
    return chain.snapshot_sent


def _act_through_trust(chain):
    """Go on as the compute's owner through its trust, if we can.

    :returns: whether the chain now has a user token
    """
    environ = chain.delegation.environ(chain.record)
    if environ is None:
        return False
    chain.nova = nova_api.NovaAPI(chain.manager.app, environ)
    chain.glance = glance_api.GlanceAPI(environ, chain.manager.conf)
    return True


def request_tag(chain):
    """What ends the request id of the chain's next Nova calls."""
    return (chain.nova.request_id or '')[-12:]


def send(chain, server, record):
    """Send ``createImage`` for a stopped server with no task.

    :returns: :data:`~ooi_save.backend.save.outcomes.IMAGE` once sent
    """
    if record.get('rq') != request_tag(chain):
        # Another context sends it than the one recorded (a reader lent
        # us its token): record which, or a resumer would not know.
        retagged = dict(record, rq=request_tag(chain), at=save_record.now())
        if not chain.write(retagged):
            return outcomes.WAIT
        chain.record = record = retagged
    name = record.get('name') or chain.name or save_answer.default_name(
        (server or {}).get('name'))
    if not chain.answered and record.get('id'):
        # A resumer: the nova-api it follows may have died inside its
        # createImage call.
        save_answer.discard_unsent(chain.glance, record['id'],
                                   chain.server_id)
    try:
        chain.image_id = save_answer.create_image(
            chain.nova, chain.server_id, name, save_record.DEFERRED,
            chain.compute_url, glance=chain.glance,
            mark=save_answer.chain_mark(record['id'])
            if record.get('id') else None)
    except exceptions.Error as error:
        chain.snapshot_sent = False
        if _stray_stop(chain, error):
            return outcomes.WAIT
        LOG.warning('Deferred save of compute %s: Nova refused the '
                    'snapshot: %s', chain.server_id, error)
        if chain.told and chain.error is None:
            chain.error = error
        reason = 'Nova refused the snapshot: %s' % error.message
        if chain.glance is None:
            reason = ('no user token to snapshot with (no read of '
                      'the compute within %g s); %s'
                      % (chain.manager.read_grace, reason))
        return restart.give_up(chain, reason, type(error))
    chain.snapshot_sent = True
    LOG.info('Deferred save of compute %s: snapshot %s under way',
             chain.server_id, chain.image_id)
    _meanwhile(chain)
    return outcomes.IMAGE


def _meanwhile(chain):
    """What the chain does while the upload runs.

    Nova lets tags change while the upload runs: the start tag is set now,
    so that the hand-back after it need not, in a thread of its own, not
    to slow the polls down. The upload is watched on Glance, when the
    chain knows its image and has a token to ask with (:func:`uploaded`).
    """
    if not chain.start_tagged and chain.start_tagging is None:
        chain.start_tagging = concept.Meanwhile(
            lambda: restart.tag_to_start(chain))
    if chain.image_id and chain.glance is not None and \
            chain.awaiting is None and chain.failure is None:
        chain.expect(UPLOADED)


def uploaded(chain):
    """Hand the save back once Glance shows the chain's image active.

    NOTE(ooi-save): Nova marks the image active, then clears the server's
    task state; on the mini-cloud a metadata change sent once Glance shows
    it active is taken the first time (18-28 ms later). A Glance read (10
    ms, no Neutron) thus tells the end of the upload sooner, and more
    cheaply, than a read of the server (55 ms, two Neutron calls), and
    doubles as the check of the upload. When Nova still refuses the
    record's removal, or Glance shows anything else, the server is read.

    :returns: an outcome, or None to read the server first
    """
    try:
        image = chain.glance.get_image(chain.image_id)
    except exceptions.Error as error:
        LOG.debug('Deferred save of compute %s: cannot watch image %s on '
                  'Glance: %s', chain.server_id, chain.image_id, error)
        return None
    if image.get('status') in UPLOADING:
        return outcomes.WAIT
    if image.get('status') != 'active':
        return None
    chain.failure = ''
    chain.awaiting = None
    return restart.hand_back(chain)


def _stray_stop(chain, error):
    """Whether the snapshot was refused for a racing stop, to retry.

    NOTE(ooi-save): Nova checks a stop against the server it read, then
    guards its write on the task state only: a racing request that read the
    server ACTIVE can stop it again once our stop is over, and its
    ``powering-off`` makes Nova refuse our snapshot (500, or 409). That
    stop leaves the server as it was, SHUTOFF, often before we look
    again: while the server is SHUTOFF with no other task, the
    snapshot is sent again, a few times at most.
    """
    if chain.stray_stops >= MAX_STRAY_STOPS or not (
            isinstance(error, exceptions.Conflict) or error.code >= 500):
        return False
    if isinstance(error, exceptions.ServiceUnavailable):
        # A service Nova could not reach is no racing stop.
        return False
    try:
        server = chain.nova.get_server(chain.server_id)
    except exceptions.Error:
        return False
    if nova_api.task_state(server) not in (None, 'powering-off') \
            or server.get('status') != 'SHUTOFF':
        return False
    chain.stray_stops += 1
    LOG.info('Deferred save of compute %s: a racing stop of the '
             'stopped compute held the snapshot back; sending it again '
             'once that stop is over', chain.server_id)
    return True


def _wait_for_token(chain):
    """Whether to wait longer for a reader to lend us a token."""
    if chain.token_wait is None:
        chain.token_wait = time.monotonic()
        LOG.info('Deferred save of compute %s needs a user token to '
                 'snapshot: waiting up to %d s for a read of the '
                 'compute', chain.server_id, chain.manager.read_grace)
    return time.monotonic() - chain.token_wait < chain.manager.read_grace


def _watch_upload(chain):
    """Warn, once, when the upload outlasts ``save_snapshot_timeout``."""
    if chain.upload_started is None:
        chain.upload_started = time.monotonic()
    timeout = chain.manager.conf.save_snapshot_timeout
    if not chain.upload_warned and (
            time.monotonic() - chain.upload_started > timeout):
        chain.upload_warned = True
        chain.overdue = True
        LOG.warning('Deferred save of compute %s: the snapshot upload '
                    'takes longer than %d s; Nova does not start a '
                    'server during a snapshot, so it will be started '
                    'once the upload ends', chain.server_id, timeout)
