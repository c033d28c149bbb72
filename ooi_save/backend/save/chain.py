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

"""The steps of a deferred save.

On an ACTIVE server: record the chain in Nova
(:mod:`ooi_save.backend.save.record`), ``os-stop``, wait for SHUTOFF with
no task, ``createImage`` and answer the caller with the new image. A
background thread then waits for the upload to finish (the server's task
state clears), ``os-start``, waits for ACTIVE and removes the record.

Every step reads the server once and takes at most one action, decided by
the server as it is now and the record; so any step can be the first one
of a worker that resumes the chain. A resumer:

* never stops a server: a ``stop`` record on an ACTIVE server with no task
  means the stop was never sent, and the save is dropped;
* waits while any task runs;
* at ``snapshot`` with no task, decides whether ``createImage`` was sent
  (:mod:`ooi_save.backend.save.evidence`): if it was, the snapshot is over
  and the server is started; if not, it snapshots, with the recorded name.
  Without a user token it acts through the chain's trust
  (:mod:`ooi_save.backend.save.delegation`); without one either, it waits
  up to ``read_grace`` seconds for a read of the compute to lend it the
  reader's token, then gives the save up (visibly) and starts the server;
* treats a 409 of ``os-start`` as done (the next poll shows why).

Failures
    No path leaves a server stopped by us: every abort goes through
    ``restart``. A failure the caller was answered with (a stop that timed
    out: 503; a refused ``createImage``: 403/409/413/501) ends with the
    record removed. A failure nobody was told of (the upload failed, or a
    resumed chain could not snapshot) is left visible: the tag is removed
    but the record stays with ``step`` ``failed``, ``err`` saying why and
    ``img`` the image id when known, until the next deferred save of the
    compute replaces it or the user deletes the metadata key.

Limits
    Nova refuses ``os-start`` while a snapshot task runs, so
    ``save_snapshot_timeout`` cannot start a server earlier: once it has
    passed the worker only warns and goes on waiting.
"""

import time

from oslo_log import log as logging

from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import claims
from ooi_save.backend.save import delegation
from ooi_save.backend.save import evidence
from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import glance as glance_api
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Consecutive failed polls or refused writes after which a worker stops;
#: the chain stays recorded, so a later read or sweep resumes it.
MAX_SETBACKS = 100

#: How many times a snapshot is sent again after a racing stop held it
#: back (see Chain._stray_stop).
MAX_STRAY_STOPS = 3

#: Task states of a running snapshot.
SNAPSHOT_TASKS = frozenset(('image_snapshot', 'image_snapshot_pending',
                            'image_pending_upload', 'image_uploading'))

# What one step of a chain leaves the driver with.
WAIT = 'wait'
NEXT = 'next'
IMAGE = 'image'
ABORT = 'abort'
DONE = 'done'


class Chain:
    """One deferred save, driven one step at a time.

    Every step reads the server once and takes at most one action, decided
    by the server as it is now and the record; so any step can be the first
    one of a worker that resumes the chain.

    :param manager: the :class:`SaveManager`
    :param server_id: the server id
    :param nova: a :class:`ooi_save.backend.services.nova.NovaAPI`
    :param glance: a :class:`ooi_save.backend.services.glance.GlanceAPI`, or
        None
    :param chain_id: the id of the recorded chain to resume, or None
    :param name: the image name (a new chain)
    :param compute_url: the compute's OCCI location (a new chain)
    :param answered: whether a caller waits for the outcome, until it is
        answered with the image
    """

    def __init__(self, manager, server_id, nova, glance=None, chain_id=None,
                 name=None, compute_url=None, answered=False):
        self.manager = manager
        self.server_id = server_id
        self.nova = nova
        self.glance = glance
        self.chain_id = chain_id
        self.name = name
        self.compute_url = compute_url
        self.answered = answered
        self.image_id = None
        self.error = None
        self.record = None
        self.claimed = False
        self.adopt = False
        #: Set when Nova refused this chain's stop and its record could not
        #: be removed yet: the chain only withdraws it.
        self.withdrawn = False
        #: Set once the chain only has its record to remove.
        self.ending = False
        #: When the lease is to be renewed next (monotonic), and the lease
        #: tag this chain wrote last.
        self.renew_at = None
        self.lease_tag = None
        #: The lease tags on the server when it was last read.
        self.seen_leases = ()
        self.snapshot_sent = None
        self.failure = None
        self.upload_started = None
        self.upload_warned = False
        self.setbacks = 0
        #: Snapshots sent again after a racing request's stop.
        self.stray_stops = 0
        self.polls = 0
        self.overdue = False
        self.stop_deadline = None
        self.token_wait = None
        self.delegation = delegation.Delegation(manager.trustee, server_id)

    def offer(self, session):
        """Lend the chain the credentials of a caller reading the compute.

        A chain resumed by the start-up sweep acts with an admin context
        that has no token, with which Nova cannot create a snapshot image.

        :param session: the reader's :class:`ooi_save.backend.Session`
        """
        if self.glance is None:
            LOG.info('Deferred save of compute %s goes on with the '
                     'credentials of a reader', self.server_id)
            self.nova, self.glance = session.nova, session.glance

    @property
    def told(self):
        """Whether a failure now reaches the caller as an error."""
        return self.answered and self.image_id is None

    @property
    def path(self):
        return '/servers/%s' % self.server_id

    def _renew(self, server):
        """Renew the chain's lease when a third of it has passed."""
        now = time.monotonic()
        if self.renew_at is None or now >= self.renew_at:
            # The claim or the record just written counts as the first.
            tag = self.renew_at and claims.renew(
                self.nova, self.server_id, server, self.manager.lease)
            self.lease_tag = tag or self.lease_tag
            if tag or self.renew_at is None:
                self.renew_at = now + self.manager.lease / 3.0

    def untag(self):
        """Remove the chain's tags (logged when Nova refuses)."""
        for tag in set(self.seen_leases) | {self.lease_tag} - {None}:
            claims.delete_tag(self.nova, self.server_id, tag)
        claims.delete_tag(self.nova, self.server_id, save_record.TAG)

    # Driving.

    def drive(self):
        """Run the chain to its end (in a worker thread)."""
        while True:
            try:
                outcome = self.step()
            except exceptions.Error as error:
                self.setbacks += 1
                LOG.warning('Deferred save of compute %s: %s',
                            self.server_id, error)
                outcome = WAIT
            if outcome == DONE:
                return
            if self.setbacks >= MAX_SETBACKS:
                LOG.error('Deferred save of compute %s: giving up after %d '
                          'setbacks; a later read or sweep resumes it',
                          self.server_id, self.setbacks)
                return
            self.pause(outcome)

    def pause(self, outcome):
        """Sleep before the next step, longer while nothing changes."""
        if outcome != WAIT:
            self.polls = 0
            return
        intervals = self.manager.poll_intervals
        interval = intervals[min(self.polls, len(intervals) - 1)]
        if self.overdue:
            # Past a timeout Nova is stuck or very slow: keep watching, but
            # at a pace that costs it nothing.
            interval = max(interval, self.manager.slow_poll)
        time.sleep(interval)
        self.polls += 1

    def step(self):
        """Read the server and take the next action of the chain.

        :returns: one of the ``WAIT``, ``NEXT``, ``IMAGE``, ``ABORT``,
            ``DONE`` outcomes
        """
        try:
            server = self.nova.call('GET', self.path).body['server']
        except exceptions.NotFound as error:
            LOG.info('Deferred save of compute %s: the compute is gone',
                     self.server_id)
            self.error = self.error or error
            return DONE
        record = save_record.record_of(server)
        task = server.get('OS-EXT-STS:task_state')
        self.seen_leases = claims.lease_tags(server)
        if self.withdrawn:
            return self._withdraw(record, task)
        if record is None or record.get('step') == save_record.FAILED:
            if self.adopt and record is None and \
                    self.record.get('step') == save_record.STOP:
                # Our own stop went through; a racing request removed the
                # record it thought was its own. Keep going from memory.
                record = dict(self.record)
            else:
                if save_record.tagged(server):
                    self._stale_tag(server)
                return DONE
        if self.chain_id is None:
            self.chain_id = record.get('id')
        if record.get('id') != self.chain_id:
            if not (self.adopt and record.get('step') == save_record.STOP):
                return DONE
            record = dict(self.record)
        if not self.claimed:
            return self._take_over(server, record, task)
        self.record = record
        self._renew(server)
        step = record.get('step')
        if step == save_record.STOP:
            return self._stopping(server, record, task)
        if step == save_record.SNAPSHOT:
            return self._snapshotting(server, record, task)
        return self._restarting(server, record, task)

    def _withdraw(self, record, task):
        """Remove the record of a chain Nova refused, once it can."""
        if record is None or record.get('id') != self.chain_id:
            # Another chain recorded itself meanwhile: the tag is its own.
            return DONE
        if task:
            # Nova refuses metadata changes while a task runs.
            return WAIT
        if not self.forget():
            return WAIT
        LOG.info('Deferred save of compute %s: record of the refused save '
                 'removed', self.server_id)
        return DONE

    def _stale_tag(self, server):
        """Remove a tag left by a chain that was interrupted at its end."""
        time.sleep(self.manager.settle)
        server = self.nova.call('GET', self.path).body['server']
        if save_record.tagged(server) and not save_record.active(
                save_record.record_of(server)):
            LOG.info('Removing the tag left on compute %s by a finished '
                     'save', self.server_id)
            self.untag()

    def _take_over(self, server, record, task):
        owner_state = self.manager.registry.owner_state(record.get('own'))
        if owner_state == claims.ME:
            self.claimed = True
            return NEXT
        if self.record is not None:
            # We wrote our claim, and someone else wrote after us.
            LOG.info('Deferred save of compute %s is driven by %s',
                     self.server_id, record.get('own'))
            return DONE
        if owner_state == claims.UNKNOWN and not claims.stale(
                record, server, self.manager.lease):
            return DONE
        if task:
            # Nova refuses metadata changes while a task runs.
            return WAIT
        claim = dict(record, own=self.manager.owner, at=save_record.now())
        if not self._write(claim):
            return WAIT
        self.record = claim
        time.sleep(self.manager.settle)
        server = self.nova.call('GET', self.path).body['server']
        current = save_record.record_of(server)
        if current is None or current.get('own') != self.manager.owner:
            LOG.info('Deferred save of compute %s was claimed by another '
                     'worker', self.server_id)
            return DONE
        self.claimed = True
        LOG.info('Deferred save of compute %s (chain %s): taken over at '
                 'step %s', self.server_id, self.chain_id,
                 current.get('step'))
        return NEXT

    def _stopping(self, server, record, task):
        status = server.get('status')
        if self.stop_deadline is not None:
            late = time.monotonic() > self.stop_deadline
        else:
            late = time.time() > (record.get('dl') or 0)
        if task:
            self.overdue = late
            if late and self.told and self.error is None:
                self.error = exceptions.ServiceUnavailable(
                    'Compute %s did not stop within %d s; it was not saved '
                    'and is being started again.'
                    % (self.server_id, self.manager.conf.save_stop_timeout))
                LOG.warning('Deferred save of compute %s: the stop timed '
                            'out; the compute will be started again',
                            self.server_id)
                return ABORT
            return WAIT
        if status == 'SHUTOFF':
            if late:
                return self._give_up(
                    'the compute did not stop within %d s'
                    % self.manager.conf.save_stop_timeout,
                    exceptions.ServiceUnavailable)
            snapshot = dict(record, step=save_record.SNAPSHOT,
                            ts=server.get('updated'),
                            rq=self._request_tag(), at=save_record.now(),
                            own=self.manager.owner)
            if not self._write(snapshot):
                return WAIT
            self.record = snapshot
            # The record now names this chain and its image: no racing
            # request's record is ours any more.
            self.adopt = False
            LOG.info('Deferred save of compute %s: stopped, snapshotting',
                     self.server_id)
            if self.glance is None:
                return NEXT
            # The server is stopped with no task, as just read: snapshot now
            # rather than after one more read.
            return self._snapshot(server, snapshot)
        if status == 'ACTIVE':
            # No stop is under way and the server runs: the stop was never
            # sent, or Nova gave it up. A resumer never stops a server.
            return self._finish(
                'the compute was not stopped (Nova did not complete the '
                'stop, or nova-api was interrupted before sending it); it '
                'was not saved', exceptions.BackendError)
        return self._finish('the compute went %s while it was being saved'
                            % status, exceptions.BackendError)

    def _give_up(self, reason, error_class):
        """Abandon the save of a stopped server: start it again."""
        if self.told and self.error is None:
            self.error = error_class('Compute %s was not saved: %s.'
                                     % (self.server_id, reason))
        self.adopt = False
        # The stop deadline and stop time are of no use any more: their room
        # goes to the reason.
        restart = {key: value for key, value in self.record.items()
                   if key not in ('dl', 'ts', 'rq')}
        restart.update(step=save_record.RESTART, err=reason,
                       at=save_record.now(), keep=0 if self.told else 1)
        if not self._write(restart):
            return WAIT
        self.record = restart
        LOG.warning('Deferred save of compute %s abandoned (%s); starting '
                    'it again', self.server_id, reason)
        return ABORT if self.told else NEXT

    def _snapshotting(self, server, record, task):
        status = server.get('status')
        if task:
            if task in SNAPSHOT_TASKS:
                self.snapshot_sent = True
                self._watch_upload()
            return WAIT
        if not self._snapshot_sent(record):
            if status != 'SHUTOFF':
                return self._finish('the compute was started before it '
                                    'could be saved',
                                    exceptions.Conflict)
            if self.glance is None and not self._act_through_trust() and \
                    self._wait_for_token():
                return WAIT
            return self._snapshot(server, record)
        if status == 'SHUTOFF':
            if self.failure is None:
                self.failure = evidence.snapshot_failure(
                    self.nova, self.glance, self.server_id,
                    self.image_id or record.get('img'), record)
            self._start()
            return WAIT
        if status == 'ACTIVE':
            if self.failure is None:
                self.failure = evidence.snapshot_failure(
                    self.nova, self.glance, self.server_id,
                    self.image_id or record.get('img'), record)
            return self._finish(self.failure or None)
        return self._finish('the compute went %s while it was being saved'
                            % status, exceptions.BackendError)

    def _snapshot_sent(self, record):
        """Whether ``createImage`` was sent since the server stopped."""
        if self.snapshot_sent is None:
            self.snapshot_sent = evidence.snapshot_sent(
                self.nova, self.server_id, record)
        return self.snapshot_sent

    def _act_through_trust(self):
        """Go on as the compute's owner through its trust, if we can.

        :returns: whether the chain now has a user token
        """
        environ = self.delegation.environ(self.record)
        if environ is None:
            return False
        self.nova = nova_api.NovaAPI(self.manager.app, environ)
        self.glance = glance_api.GlanceAPI(environ, self.manager.conf)
        return True

    def _request_tag(self):
        """What ends the request id of our next Nova calls."""
        return (self.nova.request_id or '')[-12:]

    def _snapshot(self, server, record):
        if record.get('rq') != self._request_tag():
            # Another context sends it than the one recorded (a reader lent
            # us its token): record which, or a resumer would not know.
            retagged = dict(record, rq=self._request_tag(),
                            at=save_record.now())
            if not self._write(retagged):
                return WAIT
            self.record = record = retagged
        name = record.get('name') or self.name or save_answer.default_name(
            server.get('name'))
        try:
            self.image_id = save_answer.create_image(
                self.nova, self.server_id, name, save_record.DEFERRED,
                self.compute_url, glance=self.glance)
        except exceptions.Error as error:
            self.snapshot_sent = False
            if self._stray_stop(error):
                return WAIT
            LOG.warning('Deferred save of compute %s: Nova refused the '
                        'snapshot: %s', self.server_id, error)
            if self.told and self.error is None:
                self.error = error
            reason = 'Nova refused the snapshot: %s' % error.message
            if self.glance is None:
                reason = ('no user token to snapshot with (no read of '
                          'the compute within %g s); %s'
                          % (self.manager.read_grace, reason))
            return self._give_up(reason, type(error))
        self.snapshot_sent = True
        LOG.info('Deferred save of compute %s: snapshot %s under way',
                 self.server_id, self.image_id)
        return IMAGE

    def _stray_stop(self, error):
        """Whether the snapshot was refused for a racing stop, to retry.

        NOTE: Nova checks a stop against the server it read, then guards
        its write on the task state only: a racing request that read the
        server ACTIVE can stop it again once our stop is over, and its
        ``powering-off`` makes Nova refuse our snapshot (500, or 409). That
        stop leaves the server as it was, SHUTOFF, often before we look
        again: while the server is SHUTOFF with no other task, the
        snapshot is sent again, a few times at most.
        """
        if self.stray_stops >= MAX_STRAY_STOPS or not (
                isinstance(error, exceptions.Conflict) or error.code >= 500):
            return False
        try:
            server = self.nova.call('GET', self.path).body['server']
        except exceptions.Error:
            return False
        if server.get('OS-EXT-STS:task_state') not in (None, 'powering-off') \
                or server.get('status') != 'SHUTOFF':
            return False
        self.stray_stops += 1
        LOG.info('Deferred save of compute %s: a racing stop of the '
                 'stopped compute held the snapshot back; sending it again '
                 'once that stop is over', self.server_id)
        return True

    def _wait_for_token(self):
        """Whether to wait longer for a reader to lend us a token."""
        if self.token_wait is None:
            self.token_wait = time.monotonic()
            LOG.info('Deferred save of compute %s needs a user token to '
                     'snapshot: waiting up to %d s for a read of the '
                     'compute', self.server_id, self.manager.read_grace)
        return time.monotonic() - self.token_wait < self.manager.read_grace

    def _watch_upload(self):
        if self.upload_started is None:
            self.upload_started = time.monotonic()
        timeout = self.manager.conf.save_snapshot_timeout
        if not self.upload_warned and (
                time.monotonic() - self.upload_started > timeout):
            self.upload_warned = True
            self.overdue = True
            LOG.warning('Deferred save of compute %s: the snapshot upload '
                        'takes longer than %d s; Nova does not start a '
                        'server during a snapshot, so it will be started '
                        'once the upload ends', self.server_id, timeout)

    def _restarting(self, server, record, task):
        if task:
            return WAIT
        if server.get('status') == 'SHUTOFF':
            self._start()
            return WAIT
        return self._finish(record.get('err') or 'the save was abandoned',
                            keep=bool(record.get('keep')))

    def _start(self):
        try:
            self.nova.call('POST', self.path + '/action',
                           {'os-start': None}, expect=(202,))
        except exceptions.Conflict as error:
            # Already started, or a task still runs: the next poll tells.
            LOG.debug('os-start of compute %s refused: %s', self.server_id,
                      error)
        else:
            LOG.info('Deferred save of compute %s: starting it again',
                     self.server_id)
            # Watch closely: a save asked once the compute runs again waits
            # for this chain to remove its record.
            self.polls = 0

    def _finish(self, failure, error_class=None, keep=None):
        """End the chain on a server that no longer needs us.

        :param failure: why the save failed, or None when it succeeded
        :param error_class: what to answer a waiting caller with
        :param keep: leave a failed record; by default when no caller was
            told of the failure
        """
        self.ending = True
        if failure and self.told and self.error is None:
            self.error = (error_class or exceptions.BackendError)(
                'Compute %s was not saved: %s.' % (self.server_id, failure))
        if keep is None:
            keep = bool(failure) and not self.told
        self.adopt = False
        if failure and keep:
            # What a finished chain no longer needs leaves room for err.
            failed = {key: value for key, value in self.record.items()
                      if key not in ('name', 'trust', 'dl', 'ts', 'rq',
                                     'own', 'keep')}
            failed.update(step=save_record.FAILED, err=failure,
                          at=save_record.now())
            if self.image_id:
                failed['img'] = self.image_id
            if not self._write(failed):
                return WAIT
            if self.delegation.current(self.record):
                self._delete_key(save_record.TRUST_KEY)
            self.untag()
            LOG.warning('Deferred save of compute %s failed: %s',
                        self.server_id, failure)
        else:
            if not self.forget():
                return WAIT
            if failure:
                LOG.warning('Deferred save of compute %s ended unsaved: %s',
                            self.server_id, failure)
            else:
                LOG.info('Deferred save of compute %s done: image %s',
                         self.server_id, self.image_id or '(resumed)')
        self.delegation.end(self.record)
        return DONE

    def forget(self):
        """Remove the record, then the tag."""
        keys = [save_record.NAME_KEY, save_record.RECORD_KEY]
        if self.delegation.current(self.record):
            keys.insert(0, save_record.TRUST_KEY)
        for key in keys:
            if not self._delete_key(key):
                return False
        self.untag()
        return True

    def _delete_key(self, key):
        """Remove one metadata key; False when Nova refuses it for now."""
        try:
            self.nova.call('DELETE', '%s/metadata/%s' % (self.path, key),
                           expect=(204, 404))
        except exceptions.Conflict as error:
            LOG.debug('Cannot remove %s of compute %s yet: %s', key,
                      self.server_id, error)
            self.setbacks += 1
            return False
        return True

    def _write(self, record):
        """Write the record; False when Nova refuses it for now."""
        values = {save_record.RECORD_KEY: save_record.encode(
            {k: v for k, v in record.items() if k not in ('name', 'trust')})}
        if record.get('step') in (save_record.STOP, save_record.SNAPSHOT):
            # NOTE: a request racing ours may have written its own name and
            # trust before its stop was refused: ours must be the ones kept.
            if self.name:
                values[save_record.NAME_KEY] = self.name
            if self.delegation.trust_id:
                values[save_record.TRUST_KEY] = self.delegation.trust_id
        try:
            self.nova.call('POST', self.path + '/metadata',
                           {'metadata': values})
        except exceptions.Conflict as error:
            LOG.debug('Cannot write the save record of compute %s yet: %s',
                      self.server_id, error)
            self.setbacks += 1
            return False
        return True
