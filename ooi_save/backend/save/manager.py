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

"""The save action's entry points: save a compute, resume a chain.

Every save first claims the server (:mod:`ooi_save.backend.save.gate`):
of saves released together through any nodes, one goes on and the others
are refused (409) before Nova is asked anything.

hot
    ``createImage`` on the server as it is. Nothing else changes. Nothing
    else is read when the claims are in the database and a name is given
    (without the database, the server's tags, to refuse a save while a
    deferred one is under way), or the whole server when the default name
    needs its name; Nova itself refuses a snapshot while another task runs
    (409). The claim is released once Nova has answered.

deferred
    On an ACTIVE server, the chain of :mod:`ooi_save.backend.save.chain`:
    stopped, snapshotted, answered, started again in the background. A
    server that is not ACTIVE when asked (SHUTOFF, PAUSED, SUSPENDED) is
    snapshotted as it is, without a stop, and left in the state it was in:
    stopping it would change nothing it runs, and starting it afterwards
    would change its state for the caller.

Chains left unfinished are found by the sweep
(:mod:`ooi_save.backend.save.sweep`) and on every read of a compute that
carries the record (which costs no Nova call when there is none).
"""

import contextlib
import threading
import time

from oslo_log import log as logging

from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import begin as save_begin
from ooi_save.backend.save import chain as chain_mod
from ooi_save.backend.save import claims
from ooi_save.backend.save import delegation
from ooi_save.backend.save import gate as gate_mod
from ooi_save.backend.save import hot
from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import sweep as sweep_mod
from ooi_save.backend.services import nova as nova_api
from ooi_save.db import claims as db_claims
from ooi_save import exceptions
from ooi_save import opts

LOG = logging.getLogger(__name__)

#: Seconds between two polls of a server, growing while nothing changes:
#: Nova stops or starts a server in 0.2 to 1 s, or in up to a minute when
#: the guest takes its time to shut down. Each step of a chain is polled
#: every 50 ms for its first 2 s, as tightly as a native client polls
#: (python-novaclient's ``--poll`` waits 5 s; the benchmarks' native side
#: 50 ms), then less and less often: a read is an in-process call to
#: nova-api's router (no HTTP, no token validation, about 3 ms of its CPU
#: on the mini-cloud), so a save costs Nova at most 40 reads a step in
#: its first 2 s, and one read every 2 s while a guest takes its time.
POLL_INTERVALS = (0.05,) * 40 + (0.1, 0.2, 0.5, 1.0, 2.0)
#: Seconds a claimant waits before checking it won the claim.
SETTLE = 1.0
#: Seconds between the filter's start and the first resume sweep, so that
#: nova-api is serving when the sweep calls it.
SWEEP_DELAY = 5.0
#: Seconds a worker without the user's token (the sweep) waits for a read
#: of the compute to lend it one before it gives a snapshot up: Nova
#: creates the Glance image of a snapshot with the caller's token.
READ_GRACE = 60
#: Seconds between polls once a timeout has passed.
SLOW_POLL = 10.0
#: Seconds a save waits for a deferred chain that has started its server
#: again to remove its record.
CLOSE_WAIT = 5.0

#: The trustee of :class:`SaveManager` by default: the configured one.
_CONFIGURED = object()


class SaveManager:
    """Runs save actions and finishes deferred ones left unfinished.

    One lives as long as the filter. Deferred chains are driven by one
    thread each; the process never drives one chain twice.

    :param app: nova's WSGI API router, below the filter
    :param conf: the filter's configuration
    :param admin_environ: a function of (project_id, user_id) giving a WSGI
        environ with an admin ``nova.context``; by default built in-process
        with nova's own context module
    :param poll_intervals: seconds between polls, growing
    :param settle: seconds a claimant waits before checking its claim
    :param lease: seconds after which a silent chain may be taken over; by
        default ``[occi] save_lease``
    :param sweep_delay: seconds between :meth:`start` and the first sweep
    :param sweep_interval: seconds between sweeps; by default
        ``[occi] save_sweep_interval``
    :param slow_poll: seconds between polls once a timeout has passed
    :param read_grace: seconds a worker without a user token waits for one
        before giving a snapshot up
    :param registry: the :class:`Registry` of the process
    :param close_wait: seconds a save waits for a chain that has started
        its server again to end
    :param claim_store: where claims are kept (:mod:`ooi_save.db.claims`); by
        default in the ``[occi_database]`` database, or in memory without
        one
    :param watch_options: keyword arguments of the watch of a hot save's
        upload (:class:`ooi_save.backend.save.hot.Watch`: ``intervals``,
        ``retry``)
    :param trustee: the :class:`ooi_save.backend.save.delegation.Trustee`
        deferred
        saves are delegated to, or None for none; by default the one
        configured in ``[occi_trustee]``, if any
    """

    def __init__(self, app, conf, admin_environ=None,
                 poll_intervals=POLL_INTERVALS, settle=SETTLE, lease=None,
                 sweep_delay=SWEEP_DELAY, sweep_interval=None,
                 slow_poll=SLOW_POLL,
                 read_grace=READ_GRACE, registry=None, trustee=_CONFIGURED,
                 close_wait=CLOSE_WAIT, claim_store=None,
                 watch_options=None):
        self.app = app
        self.conf = conf
        self.poll_intervals = tuple(poll_intervals)
        self.settle = settle
        self.lease = lease if lease is not None else conf.save_lease
        self.sweep_delay = sweep_delay
        self.sweep_interval = (sweep_interval if sweep_interval is not None
                               else conf.save_sweep_interval)
        #: Set by :meth:`stop`: the sweep ends.
        self.stopped = threading.Event()
        self.slow_poll = slow_poll
        self.read_grace = read_grace
        self.close_wait = close_wait
        #: Keyword arguments of the :class:`~ooi_save.backend.save.hot.Watch`
        #: of each hot save (its pace).
        self.watch_options = dict(watch_options or {})
        self._admin_environ = admin_environ or sweep_mod.nova_admin_environ
        self.registry = registry or claims.REGISTRY
        if trustee is _CONFIGURED:
            trustee = delegation.Trustee.from_conf(conf.oslo_conf)
        self.trustee = trustee
        if claim_store is None:
            claim_store = db_claims.claims_for(
                conf.oslo_conf[opts.DATABASE_GROUP])
        #: Takes and releases the claims of servers (see
        #: :mod:`ooi_save.backend.save.gate`).
        self.gate = gate_mod.Gate(self, claim_store)
        if not claim_store.exclusive:
            LOG.warning('No [%s] connection: saves are exclusive within '
                        'this nova-api process only. Configure the database '
                        'when nova-api runs more than one process.',
                        opts.DATABASE_GROUP)

    @property
    def owner(self):
        """``host:pid:nonce`` of this process, as written in records."""
        return self.registry.owner

    def admin_environ(self, project_id=None, user_id=None):
        """A WSGI environ with an admin ``nova.context``."""
        return self._admin_environ(project_id, user_id)

    # The public surface.

    def start(self):
        """Start the periodic sweep, once the filter is built.

        A daemon thread waits :attr:`sweep_delay` seconds, then every
        :attr:`sweep_interval` seconds lists the servers tagged as saving,
        in all projects, and finishes the chains whose driver is gone or
        whose lease ran out (see :mod:`ooi_save.backend.save.sweep`).
        """
        if not self.conf.resume_saves_at_startup:
            return
        sweep_mod.Sweeper(self).start()

    def stop(self):
        """End the periodic sweep (the chains under way go on)."""
        self.stopped.set()

    def resume_if_pending(self, session, server):
        """Make sure the deferred save recorded on a server gets finished.

        Costs no Nova call when the server carries no record and no tag.

        :param session: the caller's :class:`ooi_save.backend.Session`
        :param server: the server dict as just read from Nova
        """
        record = save_record.record_of(server)
        tagged = save_record.tagged(server)
        if not tagged and not save_record.active(record):
            return
        if save_record.active(record) and not self.registry.may_take(
                record, server, self.lease, self.gate.store):
            return
        chain = chain_mod.Chain(self, server['id'], session.nova,
                                glance=session.glance,
                                chain_id=record.get('id') if record else None)
        if not self.registry.claim(server['id'], chain):
            driving = self.registry.driving(server['id'])
            if driving is not None:
                driving.offer(session)
            return
        LOG.info('Resuming the %s of compute %s',
                 save_record.label(record), server['id'])
        self.registry.spawn(chain)

    def save(self, session, server_id, method, name, compute_url):
        """Save a compute as a new image.

        :param session: the caller's :class:`ooi_save.backend.Session`
        :param server_id: the Nova server id
        :param method: ``hot`` or ``deferred``
        :param name: the image name asked for, or None for the default
        :param compute_url: the OCCI location of the compute
        :returns: the new image as a dict shaped like Glance's, with at
            least ``id``, ``name`` and ``instance_uuid`` and, unless Glance
            failed, ``status`` (see :func:`_image`)
        :raises: NotFound for an unknown compute; BadRequest for a name Nova
            would refuse; Conflict when a save or another task is running
            (with Nova's reason when Nova refused); NotImplementedYet when
            Nova cannot snapshot the server; Forbidden or
            RequestEntityTooLarge when a quota is exceeded;
            ServiceUnavailable when a deferred save's stop timed out (the
            compute is started again), or the database of claims is down
        """
        if method not in (save_record.HOT, save_record.DEFERRED):
            raise exceptions.BadRequest('Unknown save method %r.' % method)
        if name is not None:
            save_answer.check_name(name)
        nova = session.nova
        nova.check_server_id(server_id)
        claim = self.gate.take(session, server_id, method)
        opening = None
        try:
            if method == save_record.HOT and name is not None:
                # With the claims in the database, nothing else is needed
                # to rule out a deferred save under way: its chain holds
                # the claim to its end. Without, only the tag tells: a far
                # cheaper call than reading the whole server. It cannot be
                # left out: between the steps of a deferred save the server
                # runs no task, so Nova would let a snapshot in.
                server = None
                if not self.gate.exclusive and \
                        save_record.TAG in nova.server_tags(server_id):
                    server = self._idle(session, nova.get_server(server_id),
                                        claim)
            elif method == save_record.DEFERRED:
                server, opening = self._open(session, server_id,
                                             compute_url)
                if opening is None:
                    server = self._idle(session, server, claim)
                name = name or save_answer.default_name(server.get('name'))
            else:
                server = self._idle(session, nova.get_server(server_id),
                                    claim)
                name = name or save_answer.default_name(server.get('name'))
            if method == save_record.DEFERRED and \
                    server['status'] == 'ACTIVE':
                # The chain holds the claim from here on.
                claim, held = None, claim
                image_id = self._save_deferred(session, server, name,
                                               compute_url, held, opening)
            else:
                image_id = save_answer.create_image(
                    nova, server_id, name, method, compute_url,
                    glance=session.glance)
                LOG.info('Saving compute %s as image %s (%s)', server_id,
                         image_id, method)
                # No chain watches this upload: a watch deletes the image
                # if Glance goes away during it (see hot.py).
                hot.Watch(self, session, server_id, image_id, method,
                          **self.watch_options).start()
        finally:
            # A hot save holds the server until Nova has answered: its
            # snapshot's task state refuses the others from then on.
            self.gate.release(claim)
        return save_answer.image(session, image_id, name, server_id, server)

    @contextlib.contextmanager
    def holding(self, session, server_id, action):
        """Hold a server's claim around an OCCI action's Nova call.

        A start, stop, restart or suspend asked while a save holds the
        server is refused (409), and a save asked while the action's call
        runs is refused too: a stop cannot land between the steps of a
        deferred save.

        :param action: the action's name
        :raises: Conflict when a save or another action holds the server
        """
        claim = self.gate.take(session, server_id, action)
        try:
            yield
        finally:
            self.gate.release(claim)

    # Helpers of save().

    def _idle(self, session, server, claim):
        """The server once no save is under way, or Conflict.

        A deferred chain that has started its server again removes its
        record a moment later (one poll and three Nova calls): a save asked
        meanwhile, of a compute that already runs with no task, waits for
        that (at most :attr:`close_wait` seconds) instead of being refused.
        (With the claims in the database, the gate does this wait: the
        chain holds its claim until its record is gone.)

        :param session: the caller's session
        :param server: the server dict as just read
        :param claim: the claim of this save
        :returns: the server dict, read again if the save waited
        :raises: Conflict when a save or another task is under way
        """
        deadline = time.monotonic() + self.close_wait
        while _closing(server) or self._ending_here(server):
            if time.monotonic() > deadline:
                break
            time.sleep(self.poll_intervals[0])
            server = session.nova.get_server(server['id'])
        self._check_idle(session, server, claim)
        return server

    def _ending_here(self, server):
        """Whether a thread of ours ends the chain Nova shows none of."""
        chain = self.registry.driving(server['id'])
        return chain is not None and chain.ending and not (
            save_record.tagged(server) or
            save_record.active(save_record.record_of(server)))

    def _check_idle(self, session, server, claim):
        record = save_record.record_of(server)
        if save_record.tagged(server) or save_record.active(record):
            # A chain no one holds the claim of: its resumer takes it.
            self.gate.release(claim)
            self.resume_if_pending(session, server)
            detail = ''
            if save_record.active(record):
                detail = ' (%s, started %s)' % (
                    save_record.describe(record),
                    time.strftime('%Y-%m-%dT%H:%M:%SZ',
                                  time.gmtime(record.get('t0') or 0)))
            raise save_answer.being_saved(server['id'], detail)
        task = nova_api.task_state(server)
        if task:
            raise save_answer.busy(server['id'], task)

    def _open(self, session, server_id, compute_url):
        """Read the server while a new chain's tag and trust are made.

        :returns: the server as read and the chain's
            :class:`~ooi_save.backend.save.begin.Opening`, or None when
            the server is not ready for a new chain (the opening is then
            undone, and the save goes the careful way)
        """
        opening = save_begin.Opening(self._new_chain(session, server_id,
                                                     compute_url))
        try:
            server = opening.unseen(session.nova.get_server(server_id))
        except Exception:
            opening.undo()
            raise
        if opening.ready(server):
            return server, opening
        opening.undo()
        return server, None

    def _save_deferred(self, session, server, name, compute_url, claim,
                       opening=None):
        server_id = server['id']
        chain = opening.chain if opening is not None else \
            self._new_chain(session, server_id, compute_url)
        chain.name = name
        chain.claim = claim
        if not self._register(chain):
            if opening is not None:
                opening.undo()
            chain.release()
            raise save_answer.being_saved(server_id)
        handed_over = False
        try:
            try:
                save_begin.begin(chain, server, opening)
            except exceptions.Error:
                if chain.withdrawn:
                    handed_over = True
                    self.registry.spawn(chain)
                raise
            # From here on the server may be stopping: whatever happens,
            # a background worker sees the chain to its end.
            while True:
                try:
                    outcome = chain.step()
                except Exception:
                    handed_over = True
                    self.registry.spawn(chain)
                    raise
                if outcome in (outcomes.IMAGE, outcomes.ABORT):
                    # The caller is answered; a worker ends the chain.
                    handed_over = True
                    self.registry.spawn(chain)
                    if outcome == outcomes.ABORT:
                        raise chain.error
                    return chain.image_id
                if outcome == outcomes.DONE:
                    raise chain.error or exceptions.Conflict(
                        'The save of compute %s was taken over by another '
                        'request.' % server_id)
                chain.pause(outcome)
        finally:
            if not handed_over:
                chain.release()
                self.registry.release(server_id, chain)

    def _new_chain(self, session, server_id, compute_url):
        """A new deferred chain, whose caller waits for the image."""
        return chain_mod.Chain(self, server_id, session.nova,
                               glance=session.glance,
                               compute_url=compute_url, answered=True)

    def _register(self, chain):
        """Register a new chain as this process's driver of its server.

        A chain of this process that has handed its server back (see
        :func:`~ooi_save.backend.save.restart.hand_back`) only watches Nova
        start it, its record and tags gone: the new one waits for it to end
        (at most :attr:`close_wait` seconds).

        :returns: False when another chain drives the server
        """
        deadline = time.monotonic() + self.close_wait
        while not self.registry.claim(chain.server_id, chain):
            driving = self.registry.driving(chain.server_id)
            if driving is not None and (not driving.ending or
                                        time.monotonic() > deadline):
                return False
            time.sleep(self.poll_intervals[0])
        return True


def _closing(server):
    """Whether a deferred chain is only left to remove its record.

    Its server runs again with no task: the chain has snapshotted it and
    started it (``snapshot``), or gave up and started it (``restart``); or
    only its tag is left.
    """
    record = save_record.record_of(server)
    if record is None and save_record.tagged(server):
        # At a chain's end the tag and the record go together; at its
        # start the tag comes first, and the record follows.
        return True
    return (save_record.active(record) and
            record.get('step') in (save_record.SNAPSHOT,
                                   save_record.RESTART) and
            server.get('status') == 'ACTIVE' and
            not nova_api.task_state(server))
