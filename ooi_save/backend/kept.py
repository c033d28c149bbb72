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

"""What the query interface lists that changes seldom, kept a little while.

The availability zones and the floating IP pools (external networks) are
the same for every request of a project from one minute to the next:
each process keeps them per project for ``[occi] template_cache_ttl``
seconds, as it keeps the flavors, so that the query interface does not
read them on every request. So is the network a compute without links
boots on (:meth:`ooi_save.backend.network.Networks.default_id`): a create
that Nova refuses for that network reads it again.
"""

import threading
import time

#: Projects kept at most per cache; the oldest half goes past it.
MAX_KEPT = 256


class Kept:
    """Values per key, each for a time."""

    def __init__(self):
        self._values = {}
        self._lock = threading.Lock()

    def get(self, key, ttl, read, keep_none=True):
        """The value kept for a key, or ``read()`` kept from now on.

        :param ttl: seconds a value is kept; 0 reads every time
        :param keep_none: keep a None that ``read()`` gives; when False
            it is read again next time
        """
        now = time.monotonic()
        found = self._values.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = read()
        if ttl > 0 and (keep_none or value is not None):
            with self._lock:
                if len(self._values) >= MAX_KEPT:
                    for old in sorted(self._values,
                                      key=lambda k: self._values[k][0])[
                                          :MAX_KEPT // 2]:
                        del self._values[old]
                self._values[key] = (now + ttl, value)
        return value

    def forget(self, key):
        """Read the value of a key again next time."""
        with self._lock:
            self._values.pop(key, None)
