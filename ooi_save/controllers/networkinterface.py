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


class NetworkInterfaceCollection:
    """``/networkinterface/``: the caller's links; create one."""

    def get(self, req):
        return collection.respond(
            req, req.backend.network_interfaces().list)

    def post(self, req):
        interfaces = req.backend.network_interfaces()
        # The answer shows the link, in every rendering that can.
        return collection.created(
            req, interfaces.create(req.parse_entity()), in_text=True)


class NetworkInterface(collection.Member):
    """``/networkinterface/<id>``: one link."""

    what = 'a network interface'

    def _entities(self, req):
        return req.backend.network_interfaces()
