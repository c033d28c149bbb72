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

"""Reading a backend resource again until it shows what a request waits for.

Used where an answer waits for Nova or Cinder to finish what it accepted
(a resize confirmed, a volume extended, a floating IP heard of); the
deferred save has its own pacing (:mod:`ooi_save.backend.save`).
"""

import time

#: Seconds between reads, growing; the last one repeats.
INTERVALS = (0.2, 0.3, 0.5, 1.0, 2.0)


def poll(read, done, timeout, intervals=INTERVALS):
    """Call ``read()`` until ``done(value)`` holds or ``timeout`` runs out.

    :param read: reads the resource, returns it
    :param done: tells whether the value read is what is waited for
    :param timeout: seconds after which the last value read is returned
    :param intervals: seconds to sleep between reads, growing
    :returns: ``(value, done)``: the last value read, and whether it is
        the one waited for
    """
    deadline = time.monotonic() + timeout
    for attempt in range(1 << 30):
        value = read()
        if done(value):
            return value, True
        if time.monotonic() >= deadline:
            return value, False
        time.sleep(intervals[min(attempt, len(intervals) - 1)])
