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

"""Networkinterface links: ``/networkinterface/`` and each link below it.

POST to the collection links a compute (``occi.core.source``) to a network
(``occi.core.target``); DELETE of a link undoes it. What each means on
Neutron and Nova is :mod:`ooi_save.backend.links.networkinterface`.
"""

from ooi_save.controllers import collection


class NetworkInterfaceCollection(collection.LinkCollection):
    """``/networkinterface/``: the caller's links; create one."""

    def _entities(self, req):
        return req.session.network_interfaces()

    def get(self, req):
        return collection.respond(req, self._entities(req).list)


class NetworkInterface(collection.Member):
    """``/networkinterface/<id>``: one link."""

    noun = 'network interface'

    def _entities(self, req):
        return req.session.network_interfaces()
