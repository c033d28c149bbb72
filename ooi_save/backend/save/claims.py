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

"""Who drives a deferred save: this process, another one, or no one.

Within one process every filter shares one :class:`Registry` (nova's paste
file may deploy OCCI twice, on its own prefix and inside /v2.1), so a chain
is driven by one thread at most. Between processes, the driver is the
holder of the server's claim (:mod:`ooi_save.backend.save.gate`): a row
of the OCCI database naming its process (``host:pid:nonce``) and the end of
its lease, which the driver renews every third of ``[occi] save_lease``.
Another process takes a chain over when that driver is provably gone
(same host, pid not alive or reused) or its lease ran out, by a
compare-and-set on the row (:func:`take_over`): of two takers one wins,
with no settle time.

Without the database (claims in memory, not shared between processes) the
record names the driver (``own``) and the lease is a server tag,
``ooi-save-lease-<expiry, epoch seconds>``: Nova refuses metadata changes
while a task runs (a stop, a snapshot upload of an hour), but not tag
changes. A taker writes its own name in the record and checks, after a
settle time, that its write is the one that stayed. Before its first
renewal, a chain's lease counts from its last record write.
"""

import math
import os
import socket
import threading
import time
import uuid

from oslo_log import log as logging

from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.db import claims as db_claims
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Prefix of the server tag holding a chain's lease: its expiry follows.
LEASE_PREFIX = 'ooi-save-lease-'

#: What :meth:`Registry.owner_state` tells of the driver named in a record.
ME = 'me'
DEAD = 'dead'
UNKNOWN = 'unknown'

#: The kind of a claim held by a deferred chain that only has its record
#: to remove: a save asked meanwhile waits for it instead of being refused.
CLOSING = 'closing'
#: The kinds of claims a deferred chain holds.
CHAIN_KINDS = (save_record.DEFERRED, CLOSING)


class Registry:
    """The deferred saves this process drives, and its name in records.

    :param host: the host name written in records
    """

    def __init__(self, host=None):
        # NOTE(ooi-save): 48 characters keep the record within Nova's 255
        # at its longest (the ``snapshot`` step).
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
        # NOTE(ooi-save): under a lock, or the sweeps of two filters starting
        # together could each take the process for a new one, get their
        # own nonce and forget the chain the other one just claimed: both
        # would then drive it (and snapshot twice).
        with self._owner_lock:
            if pid != self._pid:
                self._pid, self._nonce = pid, uuid.uuid4().hex[:6]
                with self.lock:
                    self.driven = {}
            return '%s:%d:%s' % (self.host, pid, self._nonce)

    def owner_state(self, owner):
        """:data:`ME`, :data:`DEAD` or :data:`UNKNOWN` for a record's owner.

        :param owner: the ``own`` field of a record
        """
        if owner == self.owner:
            return ME
        try:
            host, pid, _nonce = (owner or '').rsplit(':', 2)
            pid = int(pid)
        except ValueError:
            return DEAD
        if host != self.host:
            return UNKNOWN
        if pid == os.getpid():
            # Our pid, another nonce: an earlier process with this pid.
            return DEAD
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return DEAD
        except OSError:
            pass
        return UNKNOWN

    def may_take(self, record, server, lease, store=None):
        """Whether this process may drive the chain of a server now.

        :param record: the server's record, or None
        :param server: the server dict
        :param lease: seconds after which a silent chain may be taken over
        :param store: the claims (:mod:`ooi_save.db.claims`), or None
        """
        if store is not None and store.exclusive:
            claim = store.get(server['id'])
            return claim is None or claimable(self, claim)
        if record is None:
            return True
        state = self.owner_state(record.get('own'))
        return state != UNKNOWN or stale(record, server, lease)

    # The chains driven in this process.

    def claim(self, server_id, chain):
        """Note that this process drives a server's chain.

        :returns: False when a thread of this process drives it already
        """
        self.owner  # noqa: B018 - forgets the chains of a parent
        with self.lock:
            if server_id in self.driven:
                return False
            self.driven[server_id] = chain
            return True

    def driving(self, server_id):
        """The chain of a server this process drives, or None."""
        with self.lock:
            return self.driven.get(server_id)

    def release(self, server_id, chain):
        """Forget a chain once it is over (or handed to no one)."""
        with self.lock:
            if self.driven.get(server_id) is chain:
                del self.driven[server_id]

    def spawn(self, chain):
        """Drive a claimed chain to its end in a daemon thread."""
        thread = threading.Thread(target=self._run, args=(chain,),
                                  name='ooi-save-%s' % chain.server_id,
                                  daemon=True)
        with self.lock:
            self.threads = [t for t in self.threads if t.is_alive()]
            self.threads.append(thread)
        thread.start()

    def _run(self, chain):
        try:
            chain.drive()
        except Exception:
            LOG.exception('Deferred save of compute %s stopped; a later '
                          'read or sweep resumes it', chain.server_id)
        finally:
            self.release(chain.server_id, chain)

    def wait(self, timeout=None):
        """Wait for the chains driven by this process to end.

        :param timeout: seconds to wait at most, or None
        :returns: True when none is left running
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self.lock:
                threads = [t for t in self.threads if t.is_alive()]
            if not threads:
                return True
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            threads[0].join(left)


def gone(registry, claim):
    """Whether a claim's holder is gone (lease over, or process dead)."""
    return db_claims.expired(claim) or \
        registry.owner_state(claim.owner) == DEAD


def claimable(registry, claim):
    """Whether a chain's resumer in this process may take a claim over.

    Its holder is gone, or it is a chain of this process whose thread
    ended (the registry lets one thread per server drive).
    """
    return gone(registry, claim) or (
        claim.kind in CHAIN_KINDS and
        registry.owner_state(claim.owner) == ME)


def lease_tag(expiry):
    """The server tag of a lease running out at ``expiry`` (epoch s).

    Whole seconds, rounded up: a lease never ends before it should.
    """
    return '%s%d' % (LEASE_PREFIX, math.ceil(expiry))


def lease_tags(server):
    """The lease tags of a server dict."""
    return [tag for tag in server.get('tags') or ()
            if tag.startswith(LEASE_PREFIX)]


def lease_expiry(server):
    """When the latest lease of a server runs out (epoch s), or None."""
    expiries = []
    for tag in lease_tags(server):
        try:
            expiries.append(int(tag[len(LEASE_PREFIX):]))
        except ValueError:
            continue
    return max(expiries) if expiries else None


def renew(nova, server_id, server, lease):
    """Renew a chain's lease: a new lease tag, the older ones removed.

    A tag, not the record: Nova lets tags change while a task runs.

    :param nova: the chain's :class:`ooi_save.backend.services.nova.NovaAPI`
    :param server: the server dict as last read
    :param lease: seconds
    :returns: the new tag, or None when Nova refused it
    """
    tag = lease_tag(time.time() + lease)
    try:
        nova.add_server_tag(server_id, tag)
    except exceptions.Error as error:
        LOG.warning('Cannot renew the lease of the deferred save of '
                    'compute %s: %s', server_id, error)
        return None
    for old in lease_tags(server):
        if old != tag:
            delete_tag(nova, server_id, old)
    return tag


def tag(nova, server_id, tag):
    """Tag a server; False when Nova refuses (logged)."""
    try:
        nova.add_server_tag(server_id, tag)
    except exceptions.Error as error:
        LOG.warning('Cannot tag compute %s with %s: %s', server_id, tag,
                    error)
        return False
    return True


def delete_tag(nova, server_id, tag):
    """Remove a tag of a server; logged when Nova refuses."""
    try:
        nova.remove_server_tag(server_id, tag, missing_ok=True)
    except exceptions.Error as error:
        LOG.warning('Cannot remove tag %s of compute %s: %s', tag,
                    server_id, error)


def stale(record, server, lease):
    """Whether a chain's lease ran out.

    The driver renews a lease tag (:data:`LEASE_PREFIX` and its expiry),
    which Nova lets it change while a task runs, unlike the record. A
    chain with no lease tag yet counts from its last record write or
    server change.

    :param record: the chain record
    :param server: the server dict
    :param lease: seconds
    """
    last = max(record.get('at') or 0, record.get('t0') or 0,
               save_record.parse_time(server.get('updated')) or 0)
    expiry = max(lease_expiry(server) or 0, last + lease)
    return time.time() > expiry


def take_over(chain, server, record, task):
    """Make a resumed chain this worker's to drive, or leave it.

    The chain's driver is this process, or provably gone, or its lease ran
    out: the worker writes its own name as the record's owner, waits
    :attr:`SaveManager.settle` seconds and reads the record again; the
    claimant whose write stayed drives the chain.

    Called by :meth:`~ooi_save.backend.save.chain.Chain.step`, like a step.

    :returns: ``NEXT`` once the chain is ours, ``WAIT`` to try again, or
        ``DONE`` when another drives it (see
        :mod:`~ooi_save.backend.save.outcomes`)
    """
    manager = chain.manager
    if chain.claim is None and not _take_claim(chain):
        return outcomes.DONE
    if manager.gate.exclusive:
        chain.claimed = True
        chain.renew_at = time.monotonic() + manager.lease / 3.0
        LOG.info('Deferred save of compute %s (chain %s): taken over at '
                 'step %s', chain.server_id, chain.chain_id,
                 record.get('step'))
        return outcomes.NEXT
    owner_state = manager.registry.owner_state(record.get('own'))
    if owner_state == ME:
        chain.claimed = True
        return outcomes.NEXT
    if chain.record is not None:
        # We wrote our claim, and someone else wrote after us.
        LOG.info('Deferred save of compute %s is driven by %s',
                 chain.server_id, record.get('own'))
        return outcomes.DONE
    if owner_state == UNKNOWN and not stale(record, server, manager.lease):
        return outcomes.DONE
    if task:
        # Nova refuses metadata changes while a task runs.
        return outcomes.WAIT
    claim = dict(record, own=manager.owner, at=save_record.now())
    if not chain.write(claim):
        return outcomes.WAIT
    chain.record = claim
    time.sleep(manager.settle)
    server = chain.nova.get_server(chain.server_id)
    current = save_record.record_of(server)
    if current is None or current.get('own') != manager.owner:
        LOG.info('Deferred save of compute %s was claimed by another '
                 'worker', chain.server_id)
        return outcomes.DONE
    chain.claimed = True
    LOG.info('Deferred save of compute %s (chain %s): taken over at '
             'step %s', chain.server_id, chain.chain_id,
             current.get('step'))
    return outcomes.NEXT


def _take_claim(chain):
    """Take the server's claim for a resumed chain, if it may.

    :returns: whether the chain holds the claim now
    """
    manager = chain.manager
    store = manager.gate.store
    claim = store.get(chain.server_id)
    if claim is None:
        claim, _holder = store.take(chain.server_id, manager.owner,
                                    save_record.DEFERRED, manager.lease)
    elif claimable(manager.registry, claim):
        claim = store.take_over(claim, manager.owner, save_record.DEFERRED,
                                manager.lease)
    else:
        claim = None
    if claim is None:
        LOG.info('Deferred save of compute %s is driven by another '
                 'process', chain.server_id)
        return False
    chain.claim = claim
    return True


#: The registry of this process.
REGISTRY = Registry()
