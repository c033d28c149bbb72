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
Neutron and Nova is :mod:`ooi_save.backend.networkinterface`.
"""

from ooi_save.controllers import collection


class NetworkInterfaceCollection:
    """``/networkinterface/``: the caller's links; create one."""

    def get(self, req):
        return collection.respond(
            req, req.backend.network_interfaces(req.root_url).list)

    def post(self, req):
        interfaces = req.backend.network_interfaces(req.root_url)
        link = interfaces.create(req.parse_entity())
        if req.renderer.listings_only:
            rendered = req.renderer.locations([link.location])
        else:
            rendered = req.renderer.entity(link)
        return req.respond(rendered, status=201, location=link.location)


class NetworkInterface:
    """``/networkinterface/<id>``: one link."""

    def get(self, req, id):
        req.will_answer('a network interface')
        return req.respond(req.renderer.entity(
            req.backend.network_interfaces(req.root_url).get(id)))

    def delete(self, req, id):
        req.will_answer('the outcome of a deletion')
        req.backend.network_interfaces(req.root_url).delete(id)
        return req.respond(req.renderer.ok())
