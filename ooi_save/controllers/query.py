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

"""The query interface: ``/-/`` and ``/.well-known/org/ogf/occi/-/``.

It lists every kind, mixin and action of the model plus the provider
templates the caller can see (one os_tpl mixin per Glance image, one
resource_tpl mixin per flavor), the ``public`` mixin of external networks
and the EGI FedCloud network mixins, a floating IP pool mixin per external
network, an availability zone mixin per zone and the region's mixin,
the predecessor's aliases of user_data and ssh_key
(:mod:`ooi_save.backend.contextualization`) and the mixins the caller's
project defined. POST defines mixins and DELETE
removes them (:mod:`ooi_save.controllers.mixins`).
"""

from ooi_save.backend import contextualization
from ooi_save.backend import network
from ooi_save.controllers import mixins
from ooi_save.occi import infrastructure as infra


def _model(req):
    session = req.session
    return infra.model(
        req.root_url,
        mixins=(session.templates.os_templates() +
                session.templates.resource_templates() +
                [mixin.with_location(req.locations.url(mixin.location))
                 for mixin in (network.PUBLIC,) + network.EGI_MIXINS +
                 contextualization.MIXINS] +
                session.pools().mixins() +
                session.zones().mixins() +
                session.mixins.mixins()))


class QueryInterface:

    def get(self, req):
        """The category collection, filtered if the request asks so.

        A filter is given as Category renderings in the request (text
        renderings) or as ``?category=<scheme#term>`` query parameters (any
        rendering).
        """
        req.will_answer('the query interface')
        wanted = list(req.params.getall('category'))
        if req.has_body():
            wanted.extend(category.scheme + category.term
                          for category in req.parse_categories())
        collection = _model(req)
        if wanted:
            collection = collection.filter(wanted)
        return req.respond(req.renderer.categories(collection))

    def post(self, req):
        return mixins.define(req, _model(req))

    def delete(self, req):
        return mixins.undefine(req)
