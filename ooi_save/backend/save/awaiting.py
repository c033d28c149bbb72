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

"""Waiting on Nova's action log rather than on the server.

Once Nova has taken a chain's ``os-stop`` or ``os-start``, the chain knows
what it waits for: the end of that action's event on the compute host
(``compute_stop_instance``, ``compute_start_instance``). Nova's action of
a request (``GET /servers/{id}/os-instance-actions/{request_id}``, the
newest action the chain's request began) is read from Nova's database
only, where a read of the server also asks Neutron for its security
groups: on the mini-cloud 17 ms against 41 ms through one nova-api node.
So the chain polls the action, and reads the server only when it cannot
tell otherwise.

The compute host clears the server's task state before the event ends, so an
event that ended with ``Success`` tells what a read would have shown: the
server stopped (the chain sends ``createImage`` at once), or running again (the
chain is over). Anything else (an event that failed, an action log that shows
no events, a record that is not what the chain expects) falls back on the read
of the server, as do every :data:`SHOW_EVERY` seconds of waiting, the renewal
of the chain's lease (which checks its claim) and the stop deadline: they are
still decided on the server itself.

NOTE(ooi-save): the snapshot is not watched on the action log: Nova's
compute host runs the upload in a task of its own, and
``compute_snapshot_instance`` ends before the upload has begun. The upload
is watched on Glance instead
(:func:`~ooi_save.backend.save.snapshot.uploaded`): the image turns active
when it is over, a moment before Nova clears the server's task state.
"""

import time

from oslo_log import log as logging

from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import restart
from ooi_save.backend.save import snapshot
from ooi_save.backend.save import stop
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Seconds of waiting on the action log after which the server is read.
SHOW_EVERY = 2.0


def check(chain):
    """Look at the awaited event before reading the server.

    :returns: an outcome when the step is taken without reading the
        server, or None to read it
    """
    event, request_id, show_due = chain.awaiting
    if _read_due(chain, event, show_due):
        chain.awaiting = None
        return None
    if event == snapshot.UPLOADED:
        outcome = snapshot.uploaded(chain)
        if outcome is None:
            chain.awaiting = None
        return outcome
    ended, finished = _ended(chain, event, request_id)
    if ended is None:
        return outcomes.WAIT
    chain.awaiting = None
    if not ended:
        return None
    if event == nova_api.STOP_EVENT:
        return stop.stopped(chain, finished)
    return restart.started(chain)


def _read_due(chain, event, show_due):
    """Whether the server is to be read now, whatever the log says.

    Every :data:`SHOW_EVERY` seconds; when the chain's lease is to be
    renewed (its claim is checked then); past the stop deadline.
    """
    now = time.monotonic()
    if now >= show_due or (chain.renew_at is not None and
                           now >= chain.renew_at):
        return True
    return event == nova_api.STOP_EVENT and \
        chain.stop_deadline is not None and now > chain.stop_deadline


def _ended(chain, event, request_id):
    """Whether the event ended well (None: not yet), and when it ended."""
    try:
        action = chain.nova.instance_action(chain.server_id, request_id)
    except exceptions.Error as error:
        LOG.debug('Compute %s: no action log to watch: %s', chain.server_id,
                  error)
        return False, None
    events = action.get('events')
    if events is None:
        # This cloud's policy hides the events: read the server.
        return False, None
    for found in events:
        if found.get('event') == event:
            if not found.get('finish_time'):
                return None, None
            return found.get('result') == 'Success', _stamp(
                found['finish_time'])
    return None, None


def _stamp(value):
    """A time of Nova's action log, written like a server's ``updated``."""
    moment = save_record.parse_time(value)
    if moment is None:
        return None
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(moment))
