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

"""User-defined mixins: defining them at ``/-/`` and their collections.

``POST /-/`` defines mixins, ``DELETE /-/`` removes them (GFD.223 9.3,
9.4); each mixin's location serves its collection (GFD.223 11):

* GET lists its members, filtered and paged as a kind's collection;
* POST with a list of locations associates the mixin with them;
* PUT with a list replaces the membership;
* DELETE with a list dissociates them (without one, every member).

The answers to POST, PUT and DELETE render the collection as it is then.
What is stored where is :mod:`ooi_save.backend.mixins`.
"""

from ooi_save.backend import mixins as user_mixins
from ooi_save.controllers import collection
from ooi_save.controllers import compute
from ooi_save import exceptions
from ooi_save.occi import collections
from ooi_save.occi import infrastructure as infra


def define(req, model):
    """``POST /-/``: define the mixins rendered in the request."""
    req.will_answer('the new mixins')
    created = req.session.mixins.create(
        req.parse_categories(), model)
    return req.respond(req.renderer.categories(
        collections.CategoryCollection(mixins=created)))


def undefine(req):
    """``DELETE /-/``: remove the mixins rendered in the request."""
    req.will_answer('the outcome of a deletion')
    req.session.mixins.delete(req.parse_categories(),
                              [req.session.computes()])
    return req.respond(req.renderer.ok())


class MixinCollection:
    """The location of a user mixin: its collection."""

    def _definition(self, req, path):
        path = '/%s/' % path
        definition = req.session.mixins.at(path)
        if definition is None:
            raise exceptions.NotFound('Nothing is bound to %s.' % path)
        return definition

    def _members(self, req):
        """Compute ids of the locations in the request."""
        ids = []
        for location in req.parse_locations() if req.has_body() else ():
            # NOTE(ooi-save): a bare compute id is taken for its location.
            server_id = req.locations.id_of(location, 'compute', bare_id=True)
            if server_id is None:
                raise exceptions.BadRequest(
                    '%s is not the location of a compute of this server; '
                    'only computes can be associated with mixins here.'
                    % location)
            if server_id not in ids:
                ids.append(server_id)
        return ids

    def get(self, req, path):
        tag = user_mixins.tag_of(self._definition(req, path)['id'])
        return compute.listing(req, {'tags': tag})

    def post(self, req, path):
        definition = self._definition(req, path)
        ids = self._members(req)
        if ids:
            user_mixins.check_applies(definition, infra.COMPUTE)
        else:
            raise exceptions.BadRequest(
                'List the locations of the entities to associate with '
                'the mixin.')
        computes = req.session.computes()
        tag = user_mixins.tag_of(definition['id'])
        req.session.mixins.change(tag, add=ids)
        return self._listing(req, computes, tag)

    def put(self, req, path):
        definition = self._definition(req, path)
        ids = self._members(req)
        if ids:
            user_mixins.check_applies(definition, infra.COMPUTE)
        computes = req.session.computes()
        tag = user_mixins.tag_of(definition['id'])
        present = computes.tagged(tag)
        req.session.mixins.change(
            tag, add=[i for i in ids if i not in present],
            remove=[i for i in present if i not in ids])
        return self._listing(req, computes, tag)

    def delete(self, req, path):
        definition = self._definition(req, path)
        ids = self._members(req)
        computes = req.session.computes()
        tag = user_mixins.tag_of(definition['id'])
        if not ids:
            ids = computes.tagged(tag)
        req.session.mixins.change(tag, remove=ids)
        return self._listing(req, computes, tag)

    @staticmethod
    def _listing(req, computes, tag):
        # The request's body is the membership, not a filter.
        servers = computes.list(detail=not collection.lists_locations(req),
                                filters={'tags': tag})
        if collection.lists_locations(req):
            return req.respond(req.renderer.locations(
                [computes.location(s['id']) for s in servers]))
        return req.respond(req.renderer.entities(servers))
