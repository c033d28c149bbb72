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

"""Network: the collection at ``/network/`` and each network below it.

``/network/public/`` is the collection of the ``public`` mixin: the
external networks, where public addresses come from.
"""

from ooi_save.backend import network as backend_network
from ooi_save.controllers import collection
from ooi_save.occi import infrastructure as infra

NETWORK_ACTIONS = {action.term: action for action in (
    infra.NETWORK_UP, infra.NETWORK_DOWN)}


class NetworkCollection:
    """``/network/``: list and create networks."""

    def get(self, req):
        networks = req.session.networks()
        if not req.has_body() and collection.lists_locations(req):
            window = req.page(req.session.conf.max_page_size)
            return req.respond(req.renderer.locations(
                [networks.location(n['id'])
                 for n in networks.list(detail=False, window=window)]))
        return collection.respond(req, networks.list)

    def post(self, req):
        networks = req.session.networks()
        entity = collection.new_entity(req, infra.NETWORK)
        network_id = networks.create(entity)
        return collection.created(req, networks.location(network_id),
                                  lambda: networks.get(network_id))


class PublicNetworks:
    """``/network/public/``: the external networks; or another mixin's.

    :param mixin: the mixin whose networks are listed (the EGI FedCloud
        ones have theirs too)
    """

    def __init__(self, mixin=backend_network.PUBLIC):
        self._mixin = mixin

    def get(self, req):
        networks = req.session.networks()
        return collection.respond(req, lambda: [
            n for n in networks.list()
            if self._mixin in n.mixins])


class Network(collection.UpdatableMember):
    """``/network/<id>``: one network."""

    noun = 'network'

    def _entities(self, req):
        return req.session.networks()

    def _act(self, req, id):
        term, _attributes = collection.action(req, NETWORK_ACTIONS,
                                              'network')
        networks = req.session.networks()
        networks.act(id, term)
        return req.respond(req.renderer.entity(networks.get(id)))
