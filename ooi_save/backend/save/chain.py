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

"""The driver of a deferred save: one :class:`Chain`, stepped until done.

On an ACTIVE server a chain records itself in Nova and stops the server
(:mod:`~ooi_save.backend.save.begin`), waits for SHUTOFF with no task
(:mod:`~ooi_save.backend.save.stop`), sends ``createImage`` and answers the
caller with the new image (:mod:`~ooi_save.backend.save.snapshot`). A
background thread then waits for the upload to finish (the server's task
state clears), ``os-start``, waits for ACTIVE
(:mod:`~ooi_save.backend.save.restart`) and removes the record
(:mod:`~ooi_save.backend.save.finish`).

Every step reads the server once (or, while the chain waits for its own
stop or start, Nova's action log: :mod:`~ooi_save.backend.save.awaiting`)
and takes at most one action, decided by the server as it is now and the
record
(:mod:`~ooi_save.backend.save.record`); so any step can be the first one of
a worker that resumes the chain, once it has taken the chain over
(:func:`~ooi_save.backend.save.claims.take_over`). A resumer never stops a
server, waits while any task runs, and treats a 409 of ``os-start`` as
done (the next poll shows why). No path leaves a server stopped by us.

This module holds the chain's state, the loop that drives it
(:meth:`Chain.drive`, :meth:`Chain.step`) and the record writes every step
shares (:meth:`Chain.write`, :meth:`Chain.forget`); each step is a module
of its own, and :mod:`~ooi_save.backend.save.outcomes` names what a step
leaves the driver with.
"""

import time

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend.save import awaiting
from ooi_save.backend.save import claims
from ooi_save.backend.save import delegation
from ooi_save.backend.save import finish
from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import restart
from ooi_save.backend.save import snapshot
from ooi_save.backend.save import stop
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Consecutive failed polls or refused writes after which a worker stops;
#: the chain stays recorded, so a later read or sweep resumes it.
MAX_SETBACKS = 100


class Chain:
    """One deferred save, driven one step at a time.

    Every step reads the server once and takes at most one action, decided
    by the server as it is now and the record; so any step can be the first
    one of a worker that resumes the chain.

    :param manager: the
        :class:`~ooi_save.backend.save.manager.SaveManager`
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
        self.delegation = delegation.Delegation(manager.trustee, server_id)
        self.image_id = None
        #: What a waiting caller is answered with when the save fails.
        self.error = None
        #: The record as this chain last read or wrote it.
        self.record = None
        #: Whether this worker drives the chain (see
        #: :func:`~ooi_save.backend.save.claims.take_over`).
        self.claimed = False
        #: The server's claim this chain holds (see
        #: :mod:`~ooi_save.backend.save.gate`), or None.
        self.claim = None
        #: Set once our stop went through: a record a racing request wrote
        #: over ours at the ``stop`` step does not end the chain.
        self.adopt = False
        #: Set when Nova refused this chain's stop and its record could not
        #: be removed yet: the chain only withdraws it.
        self.withdrawn = False
        #: Set once the chain only has its record to remove.
        self.ending = False
        #: Set once the image of a failed snapshot is deleted (or found
        #: gone, or left for good), see :func:`finish.clean`.
        self.image_cleaned = False
        #: When the lease is to be renewed next (monotonic), and the lease
        #: tag this chain wrote last.
        self.renew_at = None
        self.lease_tag = None
        #: The lease tags on the server when it was last read.
        self.seen_leases = ()
        #: Whether the server carries the start tag, as far as we know.
        self.start_tagged = False
        #: The thread setting the start tag while the image uploads, or
        #: None.
        self.start_tagging = None
        #: Set once the chain removed its record before starting the
        #: server (see :func:`~ooi_save.backend.save.restart.hand_back`).
        self.handed_back = False
        #: Set once Nova took an ``os-start`` of this chain's.
        self.start_taken = False
        #: The event of Nova's action log the chain waits for, the request
        #: that began it and when to read the server anyway (see
        #: :mod:`~ooi_save.backend.save.awaiting`), or None.
        self.awaiting = None
        # The pace of the driver (see pause()).
        self.setbacks = 0
        self.polls = 0
        self.overdue = False
        # The stop step (see stop.py).
        self.stop_deadline = None
        #: Nova's NoAnswer when it did not answer our os-stop in time.
        self.stop_unanswered = None
        # The snapshot step (see snapshot.py).
        self.snapshot_sent = None
        self.failure = None
        self.upload_started = None
        self.upload_warned = False
        #: Snapshots sent again after a racing request's stop.
        self.stray_stops = 0
        self.token_wait = None

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

    def _renew(self, server):
        """Renew the chain's lease when a third of it has passed.

        :returns: False when the chain lost its claim to another process
            (its lease ran out before it could renew it)
        """
        now = time.monotonic()
        if self.renew_at is not None and now < self.renew_at:
            return True
        if self.renew_at is None:
            # The claim or the record just written counts as the first.
            self.renew_at = now + self.manager.lease / 3.0
            return True
        gate = self.manager.gate
        if self.claim is not None:
            try:
                renewed = gate.store.renew(self.claim, self.manager.lease)
            except exceptions.Error as error:
                LOG.warning('Cannot renew the claim of compute %s: %s',
                            self.server_id, error)
                return True
            if renewed is None:
                LOG.warning('Deferred save of compute %s: its claim was '
                            'taken over by another process', self.server_id)
                self.claim = None
                return False
            self.claim = renewed
            if gate.exclusive:
                self.renew_at = now + self.manager.lease / 3.0
                return True
        tag = claims.renew(self.nova, self.server_id, server,
                           self.manager.lease)
        self.lease_tag = tag or self.lease_tag
        if tag:
            self.renew_at = now + self.manager.lease / 3.0
        return True

    def closing(self):
        """Mark the claim of a chain that only has its record to remove."""
        if self.claim is None or self.claim.kind == claims.CLOSING:
            return
        try:
            self.claim = self.manager.gate.store.renew(
                self.claim, self.manager.lease,
                kind=claims.CLOSING) or self.claim
        except exceptions.Error as error:
            LOG.debug('Cannot mark the claim of compute %s closing: %s',
                      self.server_id, error)

    def release(self):
        """Release the server's claim, once the chain is over."""
        claim, self.claim = self.claim, None
        self.manager.gate.release(claim)

    def settle_start_tag(self):
        """Wait for the start tag being set while the image uploaded."""
        tagging, self.start_tagging = self.start_tagging, None
        if tagging is None:
            return
        try:
            self.start_tagged = tagging.result() or self.start_tagged
        except Exception as error:
            LOG.warning('Deferred save of compute %s: %s', self.server_id,
                        error)

    def untag(self):
        """Remove the chain's tags (logged when Nova refuses)."""
        self.settle_start_tag()
        for tag in set(self.seen_leases) | {self.lease_tag} - {None}:
            claims.delete_tag(self.nova, self.server_id, tag)
        if self.start_tagged:
            claims.delete_tag(self.nova, self.server_id,
                              save_record.START_TAG)
            self.start_tagged = False
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
                outcome = outcomes.WAIT
            if outcome == outcomes.DONE:
                self.release()
                return
            if self.setbacks >= MAX_SETBACKS:
                LOG.error('Deferred save of compute %s: giving up after %d '
                          'setbacks; a later read or sweep resumes it',
                          self.server_id, self.setbacks)
                return
            self.pause(outcome)

    def pause(self, outcome):
        """Sleep before the next step, longer while nothing changes."""
        if outcome != outcomes.WAIT:
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

    def expect(self, event):
        """Wait for ``event`` of the action the chain just had Nova take.

        :param event: an event of Nova's action log (``*_EVENT`` of
            :mod:`ooi_save.backend.services.nova`)
        """
        now = time.monotonic()
        if self.renew_at is None:
            # What the chain just wrote counts as the first renewal.
            self.renew_at = now + self.manager.lease / 3.0
        self.awaiting = (event, self.nova.request_id,
                         now + awaiting.SHOW_EVERY)

    def step(self):
        """Read the server and take the next action of the chain.

        While the chain waits for an event of Nova's action log, the log
        is read instead, and the server only once the log cannot tell.

        :returns: an outcome (:mod:`~ooi_save.backend.save.outcomes`)
        """
        if self.awaiting is not None:
            outcome = awaiting.check(self)
            if outcome is not None:
                return outcome
        try:
            server = self.nova.get_server(self.server_id)
        except exceptions.NotFound as error:
            LOG.info('Deferred save of compute %s: the compute is gone',
                     self.server_id)
            self.error = self.error or error
            return outcomes.DONE
        record = save_record.record_of(server)
        task = nova_api.task_state(server)
        self.seen_leases = claims.lease_tags(server)
        self.start_tagged = save_record.to_start(server)
        if self.withdrawn:
            return finish.withdraw(self, record, task)
        if record is None and (self.handed_back or self.start_tagged):
            return restart.bare(self, server, task)
        if record is None or record.get('step') == save_record.FAILED:
            if self.adopt and record is None and \
                    self.record.get('step') == save_record.STOP:
                # Our own stop went through; a racing request removed the
                # record it thought was its own. Keep going from memory.
                record = dict(self.record)
            else:
                if save_record.tagged(server):
                    finish.remove_stale_tag(self)
                return outcomes.DONE
        if self.chain_id is None:
            self.chain_id = record.get('id')
        if record.get('id') != self.chain_id:
            if not (self.adopt and record.get('step') == save_record.STOP):
                return outcomes.DONE
            record = dict(self.record)
        if not self.claimed:
            return claims.take_over(self, server, record, task)
        self.record = record
        if not self._renew(server):
            self.claimed = False
            return outcomes.DONE
        step = record.get('step')
        if step == save_record.STOP:
            return stop.advance(self, server, record, task)
        if step == save_record.SNAPSHOT:
            return snapshot.advance(self, server, record, task)
        if step == save_record.CLEAN:
            return finish.clean(self, record)
        return restart.advance(self, server, record, task)

    # The record, shared by every step.

    def forget(self, untag=True):
        """Remove the record, the image's name, the trust and the tag.

        Nova is asked for all four at once: the chain is over, and what it
        wrote is of no more use. When the record cannot be removed yet
        (Nova refuses metadata changes while a task runs), the tag is put
        back, so that a chain cut short here is still found by the sweep,
        and the next step tries again. A key already gone counts as
        removed.

        :param untag: remove the tags too; the caller removes them later
            when False
        :returns: whether all is gone
        """
        keys = [save_record.NAME_KEY]
        if self.delegation.current(self.record):
            keys.append(save_record.TRUST_KEY)
        others = {key: concept.Meanwhile(lambda key=key: self.delete_key(key))
                  for key in keys}
        untagging = concept.Meanwhile(self.untag) if untag else None
        try:
            removed = self.delete_key(save_record.RECORD_KEY)
        finally:
            for other in others.values():
                other.join()
            if untagging is not None:
                untagging.join()
        if not removed:
            if untag:
                claims.tag(self.nova, self.server_id, save_record.TAG)
            return False
        # NOTE(ooi-save): Nova refuses a change while a task runs, and the
        # task may end between two of them (an upload's ends just after
        # Glance shows the image active). The record went, so none runs
        # now: a key refused a moment ago goes now, or nothing would remove
        # it once the record that names the chain is gone.
        retried = [self.delete_key(key) for key, other in others.items()
                   if other.result() is False]
        return all(retried) and (untagging is None or
                                 untagging.result() is not False)

    def delete_key(self, key):
        """Remove one metadata key; False when Nova refuses it for now."""
        try:
            self.nova.delete_server_metadata(self.server_id, key)
        except exceptions.NotFound:
            # Gone already (a step tried before), or the server is: the
            # next read tells.
            return True
        except exceptions.Conflict as error:
            return self._held_back('remove %s' % key, error)
        return True

    def write(self, record):
        """Write the record; False when Nova refuses it for now."""
        values = {save_record.RECORD_KEY: save_record.encode(
            {k: v for k, v in record.items() if k not in ('name', 'trust')})}
        if record.get('step') in (save_record.STOP, save_record.SNAPSHOT):
            # NOTE(ooi-save): a request racing ours may have written its
            # own name and trust before its stop was refused: ours must be
            # the ones kept.
            if self.name:
                values[save_record.NAME_KEY] = self.name
            if self.delegation.trust_id:
                values[save_record.TRUST_KEY] = self.delegation.trust_id
        try:
            self.nova.set_server_metadata(self.server_id, values)
        except exceptions.Conflict as error:
            return self._held_back('write the save record', error)
        return True

    def _held_back(self, what, error):
        """Count a change Nova refuses while a task runs; returns False."""
        LOG.debug('Cannot %s of compute %s yet: %s', what, self.server_id,
                  error)
        self.setbacks += 1
        return False
