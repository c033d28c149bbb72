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

"""The record of a deferred save, kept in Nova.

Kept on the server itself, so that any nova-api worker on any host can
finish a chain that another one began, even after a ``kill -9``:

* server tag ``ooi-save-pending``: a chain is under way. It is set first and
  removed last; it is what the sweep lists servers by. It no longer keeps
  other saves out: the claim does (:mod:`~ooi_save.backend.save.gate`),
  unless the filter has no database, where a concurrent save checks it.
* server tag ``ooi-save-start``: without a record, the snapshot is done and
  the server, stopped by the chain, is to be started. Set while the upload
  runs, before the record is removed, and removed with ``ooi-save-pending``
  once Nova has taken the ``os-start`` (Nova lets tags change while a task
  runs, not metadata); with a record it means nothing.
* server metadata ``ooi_save``: a compact JSON record (at most 255 characters,
  Nova's limit) with ``v`` (format 1), ``id`` (chain id), ``step``, ``m``
  (method), ``from`` (the server status when asked), ``img`` (image id, once it
  can be written), ``t0``/``at``/``dl`` (start, last write and stop deadline,
  epoch seconds), ``ts`` (Nova's ``updated`` time of the server when it was
  seen stopped, by a resumer), ``rq`` (the tail of the request id
  ``createImage`` is sent with), ``own`` (the process driving it:
  ``host:pid:nonce``), ``err`` and ``keep``.
* server metadata ``ooi_save_name``: the image name chosen.
* server metadata ``ooi_save_trust``: the id of the Keystone trust the caller
  delegated the save with, when ``[occi_trustee]`` is configured (see
  :mod:`ooi_save.backend.save.delegation`). It has a key of its own because the
  record has no room left for 32 more characters.

Steps: ``stop`` (the stop may have been sent; once it is over, ``createImage``
too, with the request ``rq`` names: where the claims are in the database the
chain does not record the next step first), ``snapshot`` (the server was seen
stopped, by a resumer or a chain without the database; ``createImage`` may have
been sent), ``restart`` (the save gave up; start the server again), ``clean``
(the save failed and the server runs again, but the image of the failed
snapshot, ``img``, is still to be deleted: Glance did not answer) and
``failed`` (final: see :mod:`ooi_save.backend.save.chain`). Nova refuses
metadata changes while a task runs on the server, so the record can only change
between tasks; the steps are chosen so that the server state plus the record
always tell what to do next.
"""

import datetime
import json
import time

#: Server tag marking a deferred save under way.
TAG = 'ooi-save-pending'
#: Server tag marking a saved server whose record is gone, to be started.
START_TAG = 'ooi-save-start'
#: Server metadata key holding the chain record.
RECORD_KEY = 'ooi_save'
#: Server metadata key holding the image name of the chain.
NAME_KEY = 'ooi_save_name'
#: Server metadata key holding the id of the chain's Keystone trust.
TRUST_KEY = 'ooi_save_trust'
#: Image properties pointing back to the compute.
IMAGE_COMPUTE_KEY = 'ooi_save_compute'
IMAGE_METHOD_KEY = 'ooi_save_method'
#: Image property naming the ``createImage`` call that made the image, so
#: that the image of a call Nova failed can be found and deleted.
IMAGE_REQUEST_KEY = 'ooi_save_request'

HOT = 'hot'
DEFERRED = 'deferred'

STOP = 'stop'
SNAPSHOT = 'snapshot'
RESTART = 'restart'
CLEAN = 'clean'
FAILED = 'failed'

#: Seconds a failed save is told in the compute's state message.
FAILURE_SHOWN = 24 * 3600

#: Nova's limit for metadata values, image names and image properties.
MAX_LENGTH = 255


def now():
    """Epoch seconds, as records count them."""
    return int(time.time())


def parse_time(value):
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
    :returns: the decoded record, with the image name under ``name`` and
        the trust id under ``trust``
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

    :param record: a record from :func:`record_of`
    :returns: a string
    """
    if record.get('step') == FAILED:
        return '%s failed: %s' % (label(record),
                                  record.get('err') or 'unknown error')
    if record.get('step') == CLEAN:
        return ('%s failed: %s; its image is deleted once Glance answers '
                'again' % (label(record), record.get('err') or
                           'unknown error'))
    if record.get('step') == RESTART:
        return 'deferred save abandoned (%s), starting the compute again' % (
            record.get('err') or 'unknown error')
    return 'deferred save in progress (step %s)' % record.get('step')


def label(record):
    """``hot save`` or ``deferred save``: the method of a record.

    A hot save is recorded only once its upload failed (see
    :mod:`~ooi_save.backend.save.hot`).
    """
    return '%s save' % (HOT if (record or {}).get('m') == HOT
                        else DEFERRED)


def shown(record, at=None):
    """Whether a record is still told in the compute's state message.

    A failed save is told for :data:`FAILURE_SHOWN` seconds after it
    failed; the record stays in the metadata until the next deferred save
    of the compute replaces it, or its owner deletes it.

    :param record: a record from :func:`record_of`
    :param at: the time now (epoch seconds), by default now
    """
    if record.get('step') != FAILED:
        return True
    failed_at = record.get('at')
    if not isinstance(failed_at, (int, float)):
        return True
    return (now() if at is None else at) - failed_at < FAILURE_SHOWN


def tagged(server):
    """Whether a server dict carries the tag of a chain under way."""
    return TAG in (server.get('tags') or ())


def to_start(server):
    """Whether a server carries the tag of a save to be started."""
    return START_TAG in (server.get('tags') or ())


def active(record):
    """Whether a record is of a chain under way (not a failed one)."""
    return record is not None and record.get('step') != FAILED
