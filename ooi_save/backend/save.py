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

"""The OCCI ``save`` action: a Nova snapshot, hot or deferred.

Both methods end in Nova's ``createImage``. The new image carries the image
properties ``ooi_save_compute`` (the OCCI location of the compute, when it
fits Nova's 255 characters) and ``ooi_save_method``; Nova adds
``instance_uuid`` and ``image_type=snapshot`` itself. Its name is the one
asked for, else ``<server name>-<UTC time as YYYYmmddTHHMMSSZ>``.

hot
    ``createImage`` on the server as it is. Nothing else changes. Only the
    server's tags are read first (to refuse a save while a deferred one is
    under way), or the whole server when the default name needs its name;
    Nova itself refuses a snapshot while another task runs (409).

deferred
    On an ACTIVE server: record the chain in Nova (below), ``os-stop``,
    wait for SHUTOFF with no task, ``createImage`` and answer the caller with
    the new image. A background thread then waits for the upload to finish
    (the server's task state clears), ``os-start``, waits for ACTIVE and
    removes the record. A server that is not ACTIVE when asked (SHUTOFF,
    PAUSED, SUSPENDED) is snapshotted as it is, without a stop, and left in
    the state it was in: stopping it would change nothing it runs, and
    starting it afterwards would change its state for the caller.

The chain record
    Kept in Nova, so that any nova-api worker on any host can finish a chain
    that another one began, even after a ``kill -9``:

    * server tag ``ooi-save-pending``: a chain is under way. It is set
      first and removed last, so the tag alone is what a concurrent save
      checks, and it is what the start-up sweep lists servers by.
    * server metadata ``ooi_save``: a compact JSON record (at most 255
      characters, Nova's limit) with ``v`` (format 1), ``id`` (chain id),
      ``step``, ``m`` (method), ``from`` (the server status when asked),
      ``img`` (image id, once it can be written), ``t0``/``at``/``dl``
      (start, last write and stop deadline, epoch seconds), ``ts`` (Nova's
      ``updated`` time of the server when it was seen stopped), ``rq`` (the
      tail of the request id ``createImage`` is sent with), ``own``
      (the process driving it: ``host:pid:nonce``), ``err`` and ``keep``.
    * server metadata ``ooi_save_name``: the image name chosen.
    * server metadata ``ooi_save_trust``: the id of the Keystone trust the
      caller delegated the save with, when ``[occi_trustee]`` is
      configured (see :mod:`ooi_save.backend.trusts`). It has a key of its
      own because the record has no room left for 32 more characters.

    Steps: ``stop`` (the stop may have been sent), ``snapshot`` (the server
    was seen stopped; ``createImage`` may have been sent), ``restart`` (the
    save gave up; start the server again) and ``failed`` (final: see
    failures). Nova refuses metadata changes while a task runs on the server,
    so the record can only change between tasks; the steps are chosen so
    that the server state plus the record always tell what to do next.

Resuming
    A worker resumes a chain when the process named in ``own`` is provably
    gone (same host, pid not alive or reused) or its lease ran out (nothing
    written and no server change for :data:`LEASE` seconds). It claims the
    chain by writing ``own`` and checks its claim after a short settle
    time. Chains are found by a sweep shortly after start-up (all projects,
    with an admin context built in-process) and on every read of a compute
    that carries the record (which costs no Nova call when there is none).
    Within one process, every filter shares one :class:`Registry`, so a
    chain is driven by one thread at most. A resumer:

    * never stops a server: a ``stop`` record on an ACTIVE server with no
      task means the stop was never sent, and the save is dropped;
    * waits while any task runs;
    * at ``snapshot`` with no task, decides whether ``createImage`` was sent
      from Nova's instance action log (a ``createImage`` action whose
      request id ends in ``rq``): if it was, the snapshot is over and the
      server is started; if not, it snapshots, with the recorded name. (Nova
      keeps no image id anywhere a resumer could read it, and the server
      metadata cannot be written while the snapshot task runs, so the image
      id is only recorded once the chain fails.) Nova creates the Glance
      image of a snapshot with the caller's token, which the start-up sweep
      does not have: it acts as the compute's owner through the chain's
      trust when there is one; otherwise (no trustee configured, Keystone
      refused the trust, or it expired) it waits up to :data:`READ_GRACE`
      seconds for a read of the compute to lend it the reader's token, then
      gives the save up (visibly) and starts the server;
    * treats a 409 of ``os-start`` as done (the next poll shows why).

Failures
    No path leaves a server stopped by us: every abort goes through
    ``restart``. A failure the caller was answered with (a stop that timed
    out: 503; a refused ``createImage``: 403/409/413/501) ends with the record
    removed. A failure nobody was told of (the upload failed, or a resumed
    chain could not snapshot) is left visible: the tag is removed but the
    ``ooi_save`` record stays with ``step`` ``failed``, ``err`` saying why
    and ``img`` the image id when known, until the next deferred save of
    the compute replaces it or the user deletes the metadata key.
    :meth:`SaveManager.pending` returns it, and :func:`describe` renders it.

Limits
    Nova refuses ``os-start`` while a snapshot task runs, so
    ``save_snapshot_timeout`` cannot start a server earlier: once it has
    passed the worker only warns and goes on waiting. Two deferred saves
    sent to different processes within the same few milliseconds can both
    pass the tag check; Nova's own task-state checks then let only one stop
    and one snapshot through, and both workers converge on one image and a
    started server. The trust of a chain is deleted when the chain ends;
    one whose driver ends otherwise (the compute was deleted) expires.
"""

import datetime
import json
import os
import socket
import threading
import time
import uuid

from oslo_log import log as logging

from ooi_save.backend import glance as glance_api
from ooi_save.backend import nova as nova_api
from ooi_save.backend import trusts
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Server tag marking a deferred save under way.
TAG = 'ooi-save-pending'
#: Server metadata key holding the chain record.
RECORD_KEY = 'ooi_save'
#: Server metadata key holding the image name of the chain.
NAME_KEY = 'ooi_save_name'
#: Server metadata key holding the id of the chain's Keystone trust.
TRUST_KEY = 'ooi_save_trust'
#: Image properties pointing back to the compute.
IMAGE_COMPUTE_KEY = 'ooi_save_compute'
IMAGE_METHOD_KEY = 'ooi_save_method'

HOT = 'hot'
DEFERRED = 'deferred'

STOP = 'stop'
SNAPSHOT = 'snapshot'
RESTART = 'restart'
FAILED = 'failed'

#: Nova's limit for metadata values, image names and image properties.
MAX_LENGTH = 255
#: UTC time format of default image names.
TIME_FORMAT = '%Y%m%dT%H%M%SZ'

#: Seconds between two polls of a server, growing while nothing changes:
#: Nova stops or starts a server in 0.2 to 1 s, or in up to a minute when
#: the guest takes its time to shut down.
POLL_INTERVALS = (0.1, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)
#: Seconds after which a chain whose driver cannot be proven dead may be
#: taken over, counted from its last record write or server change.
LEASE = 60
#: Seconds a claimant waits before checking it won the claim.
SETTLE = 1.0
#: Seconds between the filter's start and the first resume sweep, so that
#: nova-api is serving when the sweep calls it.
SWEEP_DELAY = 5.0
#: Seconds a worker without the user's token (the start-up sweep) waits
#: for a read of the compute to lend it one before it gives a snapshot up:
#: Nova creates the Glance image of a snapshot with the caller's token.
READ_GRACE = 60
#: Seconds between polls once a timeout has passed.
SLOW_POLL = 10.0
#: Consecutive failed polls or refused writes after which a worker stops;
#: the chain stays recorded, so a later read or sweep resumes it.
MAX_SETBACKS = 100

#: Task states of a running snapshot.
SNAPSHOT_TASKS = frozenset(('image_snapshot', 'image_snapshot_pending',
                            'image_pending_upload', 'image_uploading'))

#: The trustee of :class:`SaveManager` by default: the configured one.
_CONFIGURED = object()

# What one step of a chain leaves the driver with.
_WAIT = 'wait'
_NEXT = 'next'
_IMAGE = 'image'
_ABORT = 'abort'
_DONE = 'done'


def _now():
    return int(time.time())


def _parse_time(value):
    """Epoch seconds of one of Nova's ISO 8601 times, or None."""
    if not value:
        return None
    text = value.rstrip('Z').split('+')[0]
    for fmt in ('%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S'):
        try:
            moment = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=datetime.timezone.utc).timestamp()
    return None


def encode(record):
    """The metadata value of a chain record.

    The error text is shortened so that the value stays within Nova's 255
    characters; the other fields always fit.

    :param record: the record dict
    :returns: compact JSON
    """
    record = dict(record)
    while True:
        value = json.dumps(record, separators=(',', ':'), sort_keys=True)
        excess = len(value) - MAX_LENGTH
        if excess <= 0 or not record.get('err'):
            return value
        # One character takes up to 6 once escaped (\uXXXX): cut by what
        # surely is too much, and look again.
        record['err'] = record['err'][:-max(1, excess // 6)]


def record_of(server):
    """The chain record of a server dict, or None.

    :param server: the server dict as Nova renders it
    :returns: the decoded record, with the image name under ``name``
    """
    raw = (server.get('metadata') or {}).get(RECORD_KEY)
    if not raw:
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get('v') != 1:
        return None
    record['name'] = (server.get('metadata') or {}).get(NAME_KEY)
    record['trust'] = (server.get('metadata') or {}).get(TRUST_KEY)
    return record


def describe(record):
    """A short human description of a chain record, for state messages.

    :param record: a record from :meth:`SaveManager.pending`
    :returns: a string
    """
    if record.get('step') == FAILED:
        return 'deferred save failed: %s' % (
            record.get('err') or 'unknown error')
    if record.get('step') == RESTART:
        return 'deferred save abandoned (%s), starting the compute again' % (
            record.get('err') or 'unknown error')
    return 'deferred save in progress (step %s)' % record.get('step')


def _tagged(server):
    return TAG in (server.get('tags') or ())


def _active(record):
    return record is not None and record.get('step') != FAILED


def _nova_admin_environ(project_id=None, user_id=None):
    """A WSGI environ carrying an in-process Nova admin context.

    Nova is imported here only, so that the rest of the module (and its
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


class Registry:
    """The deferred saves this process drives, and its name in records.

    One per process, shared by every filter in it (nova's paste file may
    deploy OCCI twice, on its own prefix and inside /v2.1), so that the
    process never drives one chain twice.

    :param host: the host name written in records
    """

    def __init__(self, host=None):
        # NOTE: 48 characters keep the record within Nova's 255 at its
        # longest (the ``snapshot`` step).
        self.host = (host or socket.gethostname())[:48]
        self.lock = threading.Lock()
        self.driven = {}
        self.threads = []
        self._pid = None
        self._nonce = None
        self._owner_lock = threading.Lock()

    @property
    def owner(self):
        """``host:pid:nonce`` of this process.

        Computed per pid, so that a filter built before a WSGI server forks
        its workers still names each worker.
        """
        pid = os.getpid()
        # NOTE: under a lock, or the sweeps of two filters starting
        # together could each take the process for a new one, get their
        # own nonce and forget the chain the other one just claimed: both
        # would then drive it (and snapshot twice).
        with self._owner_lock:
            if pid != self._pid:
                self._pid, self._nonce = pid, uuid.uuid4().hex[:6]
                self.driven = {}
            return '%s:%d:%s' % (self.host, pid, self._nonce)


#: The registry of this process.
REGISTRY = Registry()


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
    :param lease: seconds after which a silent chain may be taken over
    :param sweep_delay: seconds between :meth:`start` and the first sweep
    :param slow_poll: seconds between polls once a timeout has passed
    :param read_grace: seconds a worker without a user token waits for one
        before giving a snapshot up
    :param registry: the :class:`Registry` of the process
    :param trustee: the :class:`ooi_save.backend.trusts.Trustee` deferred
        saves are delegated to, or None for none; by default the one
        configured in ``[occi_trustee]``, if any
    """

    def __init__(self, app, conf, admin_environ=None,
                 poll_intervals=POLL_INTERVALS, settle=SETTLE, lease=LEASE,
                 sweep_delay=SWEEP_DELAY, slow_poll=SLOW_POLL,
                 read_grace=READ_GRACE, registry=None, trustee=_CONFIGURED):
        self.app = app
        self.conf = conf
        self.poll_intervals = tuple(poll_intervals)
        self.settle = settle
        self.lease = lease
        self.sweep_delay = sweep_delay
        self.slow_poll = slow_poll
        self.read_grace = read_grace
        self._admin_environ = admin_environ or _nova_admin_environ
        self.registry = registry or REGISTRY
        if trustee is _CONFIGURED:
            trustee = trusts.Trustee.from_conf(conf.oslo_conf)
        self.trustee = trustee

    # Identity of this process, as written in records.

    @property
    def owner(self):
        """``host:pid:nonce`` of this process, as written in records."""
        return self.registry.owner

    def _owner_state(self, owner):
        """'me', 'dead' or 'unknown' for the owner of a record."""
        if owner == self.owner:
            return 'me'
        try:
            host, pid, _nonce = (owner or '').rsplit(':', 2)
            pid = int(pid)
        except ValueError:
            return 'dead'
        if host != self.registry.host:
            return 'unknown'
        if pid == os.getpid():
            # Our pid, another nonce: an earlier process with this pid.
            return 'dead'
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 'dead'
        except OSError:
            pass
        return 'unknown'

    def _stale(self, record, server):
        last = max(record.get('at') or 0, record.get('t0') or 0,
                   _parse_time(server.get('updated')) or 0)
        return time.time() - last > self.lease

    def _may_take(self, record, server):
        """Whether this process may drive the chain of a server now."""
        if record is None:
            return True
        state = self._owner_state(record.get('own'))
        return state != 'unknown' or self._stale(record, server)

    # Registry of the chains driven in this process.

    def _claim(self, server_id, chain):
        registry = self.registry
        registry.owner  # noqa: B018 - forgets the chains of a parent
        with registry.lock:
            if server_id in registry.driven:
                return False
            registry.driven[server_id] = chain
            return True

    def _release(self, server_id, chain):
        with self.registry.lock:
            if self.registry.driven.get(server_id) is chain:
                del self.registry.driven[server_id]

    def _spawn(self, chain):
        """Drive a claimed chain to its end in a daemon thread."""
        thread = threading.Thread(target=self._run, args=(chain,),
                                  name='ooi-save-%s' % chain.server_id,
                                  daemon=True)
        with self.registry.lock:
            self.registry.threads = [
                t for t in self.registry.threads if t.is_alive()]
            self.registry.threads.append(thread)
        thread.start()

    def _run(self, chain):
        try:
            chain.drive()
        except Exception:
            LOG.exception('Deferred save of compute %s stopped; a later '
                          'read or sweep resumes it', chain.server_id)
        finally:
            self._release(chain.server_id, chain)

    def wait(self, timeout=None):
        """Wait for the chains driven by this process to end.

        :param timeout: seconds to wait at most, or None
        :returns: True when none is left running
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self.registry.lock:
                threads = [t for t in self.registry.threads if t.is_alive()]
            if not threads:
                return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            threads[0].join(left)

    # The public surface.

    def start(self):
        """Resume unfinished deferred saves, once the filter is built.

        A daemon thread waits :attr:`sweep_delay` seconds, then lists every
        server tagged as saving, in all projects, and finishes the chains
        whose driver is gone. It sweeps again while some chain is held by a
        driver that may still be alive.
        """
        if not self.conf.resume_saves_at_startup:
            return
        thread = threading.Thread(target=self._sweep_loop,
                                  name='ooi-save-sweep', daemon=True)
        thread.start()

    def pending(self, server):
        """The chain record of a server, or None.

        :param server: the server dict (microversion 2.26 or later)
        :returns: the record dict (see the module docstring; ``name`` is the
            image name), failed records included, or None
        """
        return record_of(server)

    def resume_if_pending(self, session, server):
        """Make sure the deferred save recorded on a server gets finished.

        Costs no Nova call when the server carries no record and no tag.

        :param session: the caller's :class:`ooi_save.backend.Session`
        :param server: the server dict as just read from Nova
        """
        record = record_of(server)
        tagged = _tagged(server)
        if not tagged and not _active(record):
            return
        if _active(record) and not self._may_take(record, server):
            return
        chain = _Chain(self, server['id'], session.nova,
                       glance=session.glance,
                       chain_id=record.get('id') if record else None)
        if not self._claim(server['id'], chain):
            with self.registry.lock:
                driving = self.registry.driven.get(server['id'])
            if driving is not None:
                driving.offer(session)
            return
        LOG.info('Resuming the deferred save of compute %s', server['id'])
        self._spawn(chain)

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
            compute is started again)
        """
        if method not in (HOT, DEFERRED):
            raise exceptions.BadRequest('Unknown save method %r.' % method)
        if name is not None:
            _check_name(name)
        nova = session.nova
        if method == HOT and name is not None:
            # Only the tag is needed to rule out a deferred save under way:
            # a far cheaper call than reading the whole server. It cannot be
            # left out: between the steps of a deferred save the server runs
            # no task, so Nova would let a snapshot in, and the deferred
            # save's own snapshot or start would then be refused.
            tags = nova.call('GET', nova.server_path(
                server_id, 'tags')).body
            if TAG in (tags or {}).get('tags', ()):
                self._refuse_busy(session, server_id)
            server = None
        else:
            server = nova.call('GET', nova.server_path(
                server_id)).body['server']
            self._check_idle(session, server)
            name = name or default_name(server.get('name'))
        if method == DEFERRED and server['status'] == 'ACTIVE':
            image_id = self._save_deferred(session, server, name,
                                           compute_url)
        else:
            image_id = create_image(nova, server_id, name, method,
                                    compute_url)
            LOG.info('Saving compute %s as image %s (%s)', server_id,
                     image_id, method)
        return _image(session, image_id, name, server_id, server)

    # Helpers of save().

    def _refuse_busy(self, session, server_id):
        server = session.nova.call('GET', '/servers/%s' % server_id).body[
            'server']
        self._check_idle(session, server)
        raise exceptions.Conflict(
            'Compute %s is being saved already; try again when that save '
            'has finished.' % server_id)

    def _check_idle(self, session, server):
        record = record_of(server)
        if _tagged(server) or _active(record):
            self.resume_if_pending(session, server)
            detail = ''
            if _active(record):
                detail = ' (%s, started %s)' % (
                    describe(record),
                    time.strftime('%Y-%m-%dT%H:%M:%SZ',
                                  time.gmtime(record.get('t0') or 0)))
            raise exceptions.Conflict(
                'Compute %s is being saved already%s; try again when that '
                'save has finished.' % (server['id'], detail))
        task = server.get('OS-EXT-STS:task_state')
        if task:
            raise exceptions.Conflict(
                'Compute %s is busy (task %s); try again when it has '
                'finished.' % (server['id'], task))

    def _save_deferred(self, session, server, name, compute_url):
        server_id = server['id']
        chain = _Chain(self, server_id, session.nova, glance=session.glance,
                       name=name, compute_url=compute_url, answered=True)
        if not self._claim(server_id, chain):
            raise exceptions.Conflict(
                'Compute %s is being saved already; try again when that '
                'save has finished.' % server_id)
        handed_over = False
        try:
            chain.begin(server)
            # From here on the server may be stopping: whatever happens,
            # a background worker sees the chain to its end.
            while True:
                try:
                    outcome = chain.step()
                except Exception:
                    handed_over = True
                    self._spawn(chain)
                    raise
                if outcome == _IMAGE:
                    handed_over = True
                    self._spawn(chain)
                    return chain.image_id
                if outcome == _ABORT:
                    handed_over = True
                    self._spawn(chain)
                    raise chain.error
                if outcome == _DONE:
                    raise chain.error or exceptions.Conflict(
                        'The save of compute %s was taken over by another '
                        'request.' % server_id)
                chain.pause(outcome)
        finally:
            if not handed_over:
                self._release(server_id, chain)

    # The sweep.

    def _sweep_loop(self):
        time.sleep(self.sweep_delay)
        delay = self.sweep_delay or 1.0
        for attempt in range(10):
            try:
                held = self.sweep()
            except ImportError as error:
                LOG.warning('No resume sweep: the filter does not run '
                            'inside nova-api (%s)', error)
                return
            except Exception as error:
                LOG.warning('Cannot look for unfinished deferred saves yet '
                            '(%s); trying again in %d s', error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 60)
                continue
            if not held:
                return
            # Some chains have a driver that may be alive: look again once
            # its lease may have run out.
            time.sleep(self.lease)
        LOG.warning('Gave up looking for unfinished deferred saves; reads '
                    'of the computes concerned still resume them')

    def sweep(self):
        """Resume every unfinished deferred save that no one drives.

        :returns: how many chains were left to a driver that may be alive
        """
        admin = self._admin_environ(None, None)
        lister = nova_api.NovaAPI(self.app, admin)
        params = {'all_tenants': '1', 'tags': TAG}
        held = 0
        while True:
            body = lister.call('GET', '/servers/detail', params=params).body
            servers = body.get('servers') or []
            for server in servers:
                record = record_of(server)
                if _active(record) and not self._may_take(record, server):
                    held += 1
                    continue
                environ = self._admin_environ(server.get('tenant_id'),
                                              server.get('user_id'))
                chain = _Chain(self, server['id'],
                               nova_api.NovaAPI(self.app, environ),
                               chain_id=record.get('id') if record else None)
                if not self._claim(server['id'], chain):
                    continue
                LOG.info('Resuming the deferred save of compute %s found '
                         'at start-up', server['id'])
                self._spawn(chain)
            if not servers or not any(
                    link.get('rel') == 'next'
                    for link in body.get('servers_links') or ()):
                return held
            params['marker'] = servers[-1]['id']


class _Chain:
    """One deferred save, driven one step at a time.

    Every step reads the server once and takes at most one action, decided
    by the server as it is now and the record; so any step can be the first
    one of a worker that resumes the chain.

    :param manager: the :class:`SaveManager`
    :param server_id: the server id
    :param nova: a :class:`ooi_save.backend.nova.NovaAPI`
    :param glance: a :class:`ooi_save.backend.glance.GlanceAPI`, or None
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
        self.snapshot_sent = None
        self.failure = None
        self.upload_started = None
        self.upload_warned = False
        self.setbacks = 0
        self.polls = 0
        self.overdue = False
        self.stop_deadline = None
        self.token_wait = None
        #: The trust of a chain begun here (resumed chains read theirs
        #: from the record), and the tokens that may delete it.
        self.trust_id = None
        self.trust_tried = False
        self.caller_token = None
        self.trust_token = None

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

    # Starting a new chain.

    def begin(self, server):
        """Record the chain and stop the server.

        :raises: Conflict when another save or task got there first, or
            Nova refuses the stop (with Nova's reason); NotFound
        """
        now = _now()
        timeout = self.manager.conf.save_stop_timeout
        self.stop_deadline = time.monotonic() + timeout
        self.chain_id = uuid.uuid4().hex[:8]
        self.record = {
            'v': 1, 'id': self.chain_id, 'step': STOP, 'm': DEFERRED,
            'from': server.get('status'), 't0': now, 'at': now,
            'dl': now + timeout + 1, 'own': self.manager.owner}
        # NOTE: Nova answers 201 when it adds the tag and 204 when the
        # server has it already: 204 means another save got here first.
        reply = self.nova.call('PUT', '%s/tags/%s' % (self.path, TAG),
                               expect=(201, 204))
        if reply.status == 204:
            raise exceptions.Conflict(
                'Compute %s is being saved already; try again when that '
                'save has finished.' % self.server_id)
        values = {RECORD_KEY: encode(self.record), NAME_KEY: self.name}
        self._delegate(values)
        try:
            self.nova.call('POST', self.path + '/metadata',
                           {'metadata': values})
        except exceptions.Error:
            self._untag()
            self._end_trust()
            raise
        try:
            self.nova.call('POST', self.path + '/action', {'os-stop': None},
                           expect=(202,))
        except exceptions.Error as error:
            self._cancel_begin()
            self._end_trust()
            if isinstance(error, exceptions.Conflict):
                raise exceptions.Conflict(
                    'Compute %s cannot be stopped to be saved: %s'
                    % (self.server_id, error.message),
                    request_id=error.request_id)
            raise
        # Only one os-stop of a server gets through: ours did, so this chain
        # is the one, whatever record a racing request wrote meanwhile.
        self.adopt = True
        self.claimed = True
        LOG.info('Deferred save of compute %s (chain %s): stopping',
                 self.server_id, self.chain_id)

    # The trust (see ooi_save.backend.trusts).

    def _delegate(self, values):
        """Create the chain's trust and add it to the record values."""
        trustee = self.manager.trustee
        context = self.nova.context
        if trustee is None:
            return
        self.trust_id = trustee.create(
            context, trusts.lifetime(self.manager.conf), self.server_id)
        if self.trust_id:
            self.caller_token = context.auth_token
            values[TRUST_KEY] = self.trust_id

    def _trust(self):
        return self.trust_id or (self.record or {}).get('trust')

    def _act_through_trust(self):
        """Go on as the compute's owner through its trust, if we can.

        :returns: whether the chain now has a user token
        """
        trustee, trust_id = self.manager.trustee, self._trust()
        if trustee is None or not trust_id or self.trust_tried:
            return False
        self.trust_tried = True
        try:
            environ = trustee.environ(trust_id)
        except Exception as error:
            LOG.warning('Deferred save of compute %s: cannot act through '
                        'trust %s: %s', self.server_id, trust_id, error)
            return False
        LOG.info('Deferred save of compute %s goes on as its owner, '
                 'through trust %s', self.server_id, trust_id)
        self.nova = nova_api.NovaAPI(self.manager.app, environ)
        self.glance = glance_api.GlanceAPI(environ, self.manager.conf)
        self.trust_token = environ['nova.context'].auth_token
        return True

    def _end_trust(self):
        """Delete the chain's trust; it expires by itself otherwise.

        Only the trustor may delete a trust: with the caller's token when
        this worker began the chain, else with a token of the trust itself
        (a reader lending its token may be another user).
        """
        trustee, trust_id = self.manager.trustee, self._trust()
        if trustee is None or not trust_id:
            return
        if self.caller_token and trustee.delete(trust_id,
                                                self.caller_token):
            return
        if self.trust_token is None:
            try:
                self.trust_token = trustee.token(trust_id)
            except Exception as error:
                LOG.info('Cannot delete trust %s (%s); it expires by '
                         'itself', trust_id, error)
                return
        trustee.delete(trust_id, self.trust_token)

    def _untag(self):
        try:
            self.nova.call('DELETE', '%s/tags/%s' % (self.path, TAG),
                           expect=(204, 404))
        except exceptions.Error as error:
            LOG.warning('Cannot remove tag %s of compute %s: %s', TAG,
                        self.server_id, error)

    def _cancel_begin(self):
        """Undo the record of a chain whose stop Nova refused."""
        try:
            server = self.nova.call('GET', self.path).body['server']
        except exceptions.Error:
            return
        if server.get('OS-EXT-STS:task_state') == 'powering-off' or \
                server.get('status') == 'SHUTOFF':
            # Someone else stopped it, perhaps a save racing ours: leave the
            # record and the tag to it.
            return
        record = record_of(server)
        if record and record.get('id') == self.chain_id:
            self._forget()
        else:
            self._untag()

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
                outcome = _WAIT
            if outcome == _DONE:
                return
            if self.setbacks >= MAX_SETBACKS:
                LOG.error('Deferred save of compute %s: giving up after %d '
                          'setbacks; a later read or sweep resumes it',
                          self.server_id, self.setbacks)
                return
            self.pause(outcome)

    def pause(self, outcome):
        """Sleep before the next step, longer while nothing changes."""
        if outcome != _WAIT:
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

        :returns: one of the ``_WAIT``, ``_NEXT``, ``_IMAGE``, ``_ABORT``,
            ``_DONE`` outcomes
        """
        try:
            server = self.nova.call('GET', self.path).body['server']
        except exceptions.NotFound as error:
            LOG.info('Deferred save of compute %s: the compute is gone',
                     self.server_id)
            self.error = self.error or error
            return _DONE
        record = record_of(server)
        task = server.get('OS-EXT-STS:task_state')
        if record is None or record.get('step') == FAILED:
            if self.adopt and record is None and \
                    self.record.get('step') == STOP:
                # Our own stop went through; a racing request removed the
                # record it thought was its own. Keep going from memory.
                record = dict(self.record)
            else:
                if _tagged(server):
                    self._stale_tag(server)
                return _DONE
        if self.chain_id is None:
            self.chain_id = record.get('id')
        if record.get('id') != self.chain_id:
            if not (self.adopt and record.get('step') == STOP):
                return _DONE
            record = dict(self.record)
        if not self.claimed:
            return self._take_over(server, record, task)
        self.record = record
        step = record.get('step')
        if step == STOP:
            return self._stopping(server, record, task)
        if step == SNAPSHOT:
            return self._snapshotting(server, record, task)
        return self._restarting(server, record, task)

    def _stale_tag(self, server):
        """Remove a tag left by a chain that was interrupted at its end."""
        time.sleep(self.manager.settle)
        server = self.nova.call('GET', self.path).body['server']
        if _tagged(server) and not _active(record_of(server)):
            LOG.info('Removing the tag left on compute %s by a finished '
                     'save', self.server_id)
            self._untag()

    def _take_over(self, server, record, task):
        owner_state = self.manager._owner_state(record.get('own'))
        if owner_state == 'me':
            self.claimed = True
            return _NEXT
        if self.record is not None:
            # We wrote our claim, and someone else wrote after us.
            LOG.info('Deferred save of compute %s is driven by %s',
                     self.server_id, record.get('own'))
            return _DONE
        if owner_state == 'unknown' and not self.manager._stale(record,
                                                                server):
            return _DONE
        if task:
            # Nova refuses metadata changes while a task runs.
            return _WAIT
        claim = dict(record, own=self.manager.owner, at=_now())
        if not self._write(claim):
            return _WAIT
        self.record = claim
        time.sleep(self.manager.settle)
        server = self.nova.call('GET', self.path).body['server']
        current = record_of(server)
        if current is None or current.get('own') != self.manager.owner:
            LOG.info('Deferred save of compute %s was claimed by another '
                     'worker', self.server_id)
            return _DONE
        self.claimed = True
        LOG.info('Deferred save of compute %s (chain %s): taken over at '
                 'step %s', self.server_id, self.chain_id,
                 current.get('step'))
        return _NEXT

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
                return _ABORT
            return _WAIT
        if status == 'SHUTOFF':
            if late:
                return self._give_up(
                    'the compute did not stop within %d s'
                    % self.manager.conf.save_stop_timeout,
                    exceptions.ServiceUnavailable)
            snapshot = dict(record, step=SNAPSHOT, ts=server.get('updated'),
                            rq=self._request_tag(), at=_now(),
                            own=self.manager.owner)
            if not self._write(snapshot):
                return _WAIT
            self.record = snapshot
            # The record now names this chain and its image: no racing
            # request's record is ours any more.
            self.adopt = False
            LOG.info('Deferred save of compute %s: stopped, snapshotting',
                     self.server_id)
            if self.glance is None:
                return _NEXT
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
        restart.update(step=RESTART, err=reason, at=_now(),
                       keep=0 if self.told else 1)
        if not self._write(restart):
            return _WAIT
        self.record = restart
        LOG.warning('Deferred save of compute %s abandoned (%s); starting '
                    'it again', self.server_id, reason)
        return _ABORT if self.told else _NEXT

    def _snapshotting(self, server, record, task):
        status = server.get('status')
        if task:
            if task in SNAPSHOT_TASKS:
                self.snapshot_sent = True
                self._watch_upload()
            return _WAIT
        if not self._snapshot_sent(record):
            if status != 'SHUTOFF':
                return self._finish('the compute was started before it '
                                    'could be saved',
                                    exceptions.Conflict)
            if self.glance is None and not self._act_through_trust() and \
                    self._wait_for_token():
                return _WAIT
            return self._snapshot(server, record)
        if status == 'SHUTOFF':
            if self.failure is None:
                self.failure = self._check_image(record)
            self._start()
            return _WAIT
        if status == 'ACTIVE':
            if self.failure is None:
                self.failure = self._check_image(record)
            return self._finish(self.failure or None)
        return self._finish('the compute went %s while it was being saved'
                            % status, exceptions.BackendError)

    def _snapshot_sent(self, record):
        """Whether ``createImage`` was sent since the server stopped.

        NOTE: Nova stamps an action with the start time of the request
        context, and every call of one OCCI request shares its context: the
        ``createImage`` of a deferred save bears the time the save was asked,
        before the stop. So the action is matched by request id (``rq``,
        written just before ``createImage``), else by ``updated_at``.
        """
        if self.snapshot_sent is None:
            self.snapshot_sent = any(
                self._ours(action, record)
                for action in self._actions(record))
        return self.snapshot_sent

    def _actions(self, record):
        """Nova's instance actions of the server since it stopped."""
        since = _parse_time(record.get('ts'))
        params = {'changes-since': record['ts']} if since else None
        return self.nova.call(
            'GET', self.path + '/os-instance-actions',
            params=params).body.get('instanceActions') or ()

    @staticmethod
    def _ours(action, record):
        if action.get('action') != 'createImage':
            return False
        if record.get('rq'):
            return (action.get('request_id') or '').endswith(record['rq'])
        since = _parse_time(record.get('ts'))
        return since is None or (_parse_time(
            action.get('updated_at') or action.get('start_time')) or
            0) >= since

    def _request_tag(self):
        """What ends the request id of our next Nova calls."""
        return (self.nova.request_id or '')[-12:]

    def _snapshot(self, server, record):
        if record.get('rq') != self._request_tag():
            # Another context sends it than the one recorded (a reader lent
            # us its token): record which, or a resumer would not know.
            retagged = dict(record, rq=self._request_tag(), at=_now())
            if not self._write(retagged):
                return _WAIT
            self.record = record = retagged
        name = record.get('name') or self.name or default_name(
            server.get('name'))
        try:
            self.image_id = create_image(self.nova, self.server_id, name,
                                         DEFERRED, self.compute_url)
        except exceptions.Error as error:
            LOG.warning('Deferred save of compute %s: Nova refused the '
                        'snapshot: %s', self.server_id, error)
            self.snapshot_sent = False
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
        return _IMAGE

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

    def _check_image(self, record):
        """Why the snapshot failed, or '' when it succeeded.

        Glance tells best, with the caller's token while it is valid;
        otherwise Nova's instance action log says whether the snapshot
        failed.
        """
        image_id = self.image_id or record.get('img')
        if image_id and self.glance is not None:
            try:
                image = self.glance.get_image(image_id)
            except exceptions.NotFound:
                return 'snapshot image %s was deleted: the snapshot ' \
                       'failed' % image_id
            except Exception as error:
                # Only a confirmation: Nova's action log tells as well.
                LOG.debug('Cannot check image %s in Glance: %s', image_id,
                          error)
            else:
                if image.get('status') == 'active':
                    return ''
                return 'snapshot image %s is %s' % (
                    image_id, image.get('status'))
        for action in self._actions(record):
            if self._ours(action, record) and action.get(
                    'message') == 'Error':
                return 'Nova reports that the snapshot failed (request ' \
                       '%s)' % action.get('request_id')
        return ''

    def _restarting(self, server, record, task):
        if task:
            return _WAIT
        if server.get('status') == 'SHUTOFF':
            self._start()
            return _WAIT
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

    def _finish(self, failure, error_class=None, keep=None):
        """End the chain on a server that no longer needs us.

        :param failure: why the save failed, or None when it succeeded
        :param error_class: what to answer a waiting caller with
        :param keep: leave a failed record; by default when no caller was
            told of the failure
        """
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
            failed.update(step=FAILED, err=failure, at=_now())
            if self.image_id:
                failed['img'] = self.image_id
            if not self._write(failed):
                return _WAIT
            if self._trust():
                self._delete_key(TRUST_KEY)
            self._untag()
            LOG.warning('Deferred save of compute %s failed: %s',
                        self.server_id, failure)
        else:
            if not self._forget():
                return _WAIT
            if failure:
                LOG.warning('Deferred save of compute %s ended unsaved: %s',
                            self.server_id, failure)
            else:
                LOG.info('Deferred save of compute %s done: image %s',
                         self.server_id, self.image_id or '(resumed)')
        self._end_trust()
        return _DONE

    def _forget(self):
        """Remove the record, then the tag."""
        keys = (TRUST_KEY, NAME_KEY, RECORD_KEY) if self._trust() else (
            NAME_KEY, RECORD_KEY)
        for key in keys:
            if not self._delete_key(key):
                return False
        self._untag()
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
        values = {RECORD_KEY: encode(
            {k: v for k, v in record.items() if k not in ('name', 'trust')})}
        if record.get('step') in (STOP, SNAPSHOT) and self.name:
            values[NAME_KEY] = self.name
        try:
            self.nova.call('POST', self.path + '/metadata',
                           {'metadata': values})
        except exceptions.Conflict as error:
            LOG.debug('Cannot write the save record of compute %s yet: %s',
                      self.server_id, error)
            self.setbacks += 1
            return False
        return True


def _check_name(name):
    """Refuse an image name Nova would refuse.

    :raises: BadRequest
    """
    if not isinstance(name, str) or not name.strip():
        raise exceptions.BadRequest('The image name must be a non-empty '
                                    'string.')
    if len(name) > MAX_LENGTH:
        raise exceptions.BadRequest('The image name must be at most %d '
                                    'characters long.' % MAX_LENGTH)
    if name != name.strip() or any(not c.isprintable() for c in name):
        raise exceptions.BadRequest(
            'The image name cannot start or end with spaces, nor hold '
            'control characters.')


def default_name(server_name, now=None):
    """The image name of a save that names none.

    :param server_name: the server's name
    :param now: a UTC datetime, by default now
    :returns: ``<server name>-<YYYYmmddTHHMMSSZ>``, at most 255 characters
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    stamp = now.strftime(TIME_FORMAT)
    base = (server_name or 'compute').strip()[:MAX_LENGTH - len(stamp) - 1]
    return '%s-%s' % (base.strip() or 'compute', stamp)


def create_image(nova, server_id, name, method, compute_url=None):
    """Nova's createImage on a server.

    :param nova: a :class:`ooi_save.backend.nova.NovaAPI`
    :param server_id: the server id
    :param name: the image name
    :param method: the save method, recorded on the image
    :param compute_url: the compute's OCCI location, recorded on the image
        when it fits Nova's limit
    :returns: the new image id
    :raises: NotImplementedYet when Nova cannot snapshot this server, and
        Nova's own errors otherwise (NotFound, Conflict, Forbidden...)
    """
    metadata = {IMAGE_METHOD_KEY: method}
    if compute_url and len(compute_url) <= MAX_LENGTH:
        metadata[IMAGE_COMPUTE_KEY] = compute_url
    try:
        reply = nova.call('POST', '/servers/%s/action' % server_id,
                          {'createImage': {'name': name,
                                           'metadata': metadata}},
                          expect=(202,))
    except exceptions.BadRequest as error:
        # We checked the name and the metadata ourselves: what Nova still
        # refuses with 400 is snapshotting this server at all.
        raise exceptions.NotImplementedYet(
            'This cloud cannot save compute %s: %s'
            % (server_id, error.message), request_id=error.request_id)
    return image_id_of(reply)


def image_id_of(reply):
    """The image id of a createImage answer.

    Microversion 2.45 and later answer it in the body; older clouds only in
    the ``Location`` header, which ends in the image id.

    :param reply: a :class:`ooi_save.backend.nova.Reply`
    :returns: the image id
    :raises: BackendError when Nova answered neither
    """
    body = reply.body if isinstance(reply.body, dict) else {}
    if body.get('image_id'):
        return body['image_id']
    location = reply.headers.get('Location') or ''
    image_id = location.rstrip('/').rsplit('/', 1)[-1]
    if not image_id:
        raise exceptions.BackendError('Nova did not tell the id of the new '
                                      'image.')
    return image_id


def _local_root(server):
    """Whether a server dict proves the server boots from a local disk.

    A volume-backed server's root volume is attached to it, so a server
    with no volume attached has a local root disk. A server read before its
    root volume was made is still building, and Nova snapshots no such
    server.
    """
    if server is None:
        return False
    volumes = server.get('os-extended-volumes:volumes_attached')
    return volumes is not None and not volumes


def _image(session, image_id, name, server_id, server=None):
    """The new image, as far as the caller needs it in the answer.

    Its id comes from Nova's answer, its name is ours (Nova takes it as
    given, since we refuse what it would strip), ``instance_uuid`` is the
    server's id. Its status: Nova answers ``createImage`` once it has
    registered the image in Glance. For a server with a local root disk it
    registers it without data, which Glance calls ``queued``, and the
    upload follows from the compute host; so when the server was read and
    has no volume attached, the answer says ``queued`` without asking
    Glance. A volume-backed server's image holds no data at all and Nova
    activates it before answering: whenever the server's volumes are not
    known (a named hot save reads only the tags), Glance is asked. When
    Glance cannot tell, the answer leaves the status out.

    :param session: the caller's session
    :param image_id: the image id Nova answered
    :param name: the image name sent to Nova
    :param server_id: the server id
    :param server: the server dict when it was read, else None
    :returns: an image dict
    """
    templates = getattr(session, 'templates', None)
    if templates is not None:
        # The new image is a new os_tpl: the cached listing is stale.
        templates.invalidate()
    if _local_root(server):
        # NOTE: the status of the image Nova has just registered without
        # data: no need to ask Glance.
        return {'id': image_id, 'name': name, 'status': 'queued',
                'instance_uuid': server_id}
    # The image exists once Nova answered, so a Glance hiccup must not turn
    # the save into an error: the caller then gets what we know of it.
    try:
        return session.glance.get_image(image_id)
    except Exception as error:
        LOG.warning('Cannot read new image %s from Glance: %s', image_id,
                    error, exc_info=not isinstance(error, exceptions.Error))
        # Its status is not known: the answer leaves it out.
        return {'id': image_id, 'name': name, 'instance_uuid': server_id}
