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

"""Waiting for what an action promises (``--wait``).

:class:`Waiter` polls an entity until a condition holds, with a progress
line on a terminal (the compute's state message as it changes) and nothing
when the output goes to a pipe or a file. It stops at its timeout with
:class:`~ooi_save.client.errors.WaitTimeout`, and on Ctrl-C with
:class:`Interrupted`: in both cases the server's work goes on, and the
message says so.
"""

import sys
import time

from ooi_save.client import errors

STATE = 'occi.compute.state'
MESSAGE = 'occi.compute.state.message'


def settled(message):
    """Whether a compute's state message shows nothing under way.

    ooi-save's message is the Nova status, ``, task <task>`` while Nova
    runs one, and ``; deferred save in progress (...)`` (or ``abandoned``,
    while the compute is started again) while a save chain holds it; a
    failed save's note does not keep the compute busy.
    """
    return (', task ' not in message and
            'save in progress' not in message and
            'save abandoned' not in message)


class Interrupted(errors.ClientError):
    """Ctrl-C while waiting: the server's work goes on."""


class Waiter:
    """Polls with one client.

    :param client: a :class:`ooi_save.client.api.Client`
    :param timeout: seconds to wait at most
    :param interval: seconds between polls
    :param stream: where the progress line goes (stderr); nothing is
        written unless it is a terminal
    """

    def __init__(self, client, timeout=600, interval=1.0, stream=None):
        self.client = client
        self.timeout = timeout
        self.interval = interval
        self.stream = stream or sys.stderr
        self._shown = None

    def _progress(self, text):
        if not getattr(self.stream, 'isatty', lambda: False)():
            return
        if text != self._shown:
            self.stream.write('\r\033[K' + text[:150])
            self.stream.flush()
            self._shown = text

    def _done(self):
        if self._shown is not None:
            self.stream.write('\r\033[K')
            self.stream.flush()
            self._shown = None

    def until(self, check, what):
        """Poll until ``check()`` answers something true.

        :param check: answers ``(result, progress text)``; raises
            ClientError when waiting is pointless (an error state)
        :param what: what is waited for, for the messages
        :returns: the result
        :raises: WaitTimeout, Interrupted, ClientError
        """
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                result, text = check()
                if result:
                    return result
                self._progress('%s: %s' % (what, text))
                if time.monotonic() >= deadline:
                    raise errors.WaitTimeout(
                        'Gave up waiting after %ds for %s (last seen: %s); '
                        'the server goes on with it.'
                        % (self.timeout, what, text))
                time.sleep(self.interval)
        except KeyboardInterrupt:
            raise Interrupted('Stopped waiting for %s; the server goes on '
                              'with it.' % what)
        finally:
            self._done()

    def compute_state(self, location, state):
        """Until a compute is in ``state`` with no task under way.

        :returns: the compute
        :raises: ClientError if it goes to ``error``
        """
        def check():
            compute = self.client.show(location)
            current = compute.attributes.get(STATE)
            message = compute.attributes.get(MESSAGE) or current or ''
            if current == 'error' and state != 'error':
                raise errors.ClientError('The compute went to error: %s'
                                         % message)
            return (compute if current == state and settled(message)
                    else None, message)
        return self.until(check, 'compute %s' % _short(location))

    def gone(self, location):
        """Until an entity answers 404."""
        def check():
            try:
                entity = self.client.show(location)
            except errors.NotFound:
                return True, 'deleted'
            return False, (entity.attributes.get(MESSAGE) or
                           entity.attributes.get(STATE) or 'still there')
        return self.until(check, 'deletion of %s' % _short(location))

    def saved(self, location, template, deferred):
        """Until a saved template is active and its compute settled.

        The compute is back in its steady state: for a deferred save,
        active again.
        """
        def check():
            status = self.client.template_status(template.type_id)
            compute = self.client.show(location)
            message = compute.attributes.get(MESSAGE) or ''
            if (deferred and 'save failed' in message) or status in (
                    'killed', 'deleted'):
                raise errors.ClientError(
                    'The save of %s failed: %s (template %s)'
                    % (_short(location), message, status))
            back = settled(message)
            if deferred:
                back = back and compute.attributes.get(STATE) == 'active'
            done = status == 'active' and back
            return done, 'template %s, compute %s' % (status, message)
        return self.until(check, 'save of %s' % _short(location))


def _short(location):
    return location.rstrip('/').rsplit('/', 1)[-1]
