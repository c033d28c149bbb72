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


"""What every backend concept (computes, networks, storages, links) holds.

A concept is one caller's view of a kind of OCCI entity: it acts through
the caller's :class:`ooi_save.backend.Session` (its service adapters and
configuration) and locates what it renders with the request's
:class:`ooi_save.locations.Locations`. Reads that do not depend on each
other may be made at the same time (:class:`Meanwhile`).
"""

import threading


class Concept:
    """A kind of OCCI entity as one caller sees it.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        self._session = session
        self._conf = session.conf
        self._nova = session.nova
        self._neutron = session.neutron
        self._cinder = session.cinder
        self._locations = session.locations


class Meanwhile(threading.Thread):
    """A backend read made in a thread while the caller makes another.

    :param read: the read, a function of no argument
    """

    def __init__(self, read):
        super().__init__(daemon=True)
        self._read = read
        self._value = self._error = None
        self.start()

    def run(self):
        try:
            self._value = self._read()
        except BaseException as error:
            self._error = error

    def result(self):
        """What the read gave; what it raised is raised here."""
        self.join()
        if self._error is not None:
            raise self._error
        return self._value
