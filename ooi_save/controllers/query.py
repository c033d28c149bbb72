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

The categories beyond the standard model come from :data:`SOURCES`, each a
:class:`Source` that says which categories it may give and which ones they
may depend on. A filtered GET (``?category=`` or Category renderings)
asks only the sources that may hold a category the filter names, or one
depending on it: a kind or an action of the model asks none (no backend
call), an os_tpl asks Glance only, a resource_tpl the flavors only.
Adding a source is one line in :data:`SOURCES`.
"""

import collections

from ooi_save.backend import contextualization
from ooi_save.backend import network
from ooi_save.backend import pools
from ooi_save.backend import zones
from ooi_save.controllers import mixins
from ooi_save.occi import infrastructure as infra

#: The scheme base the OCCI standard reserves (GFD.221 5.3.1).
RESERVED = 'http://schemas.ogf.org/occi/'


def scheme_of(type_id):
    """The scheme of a type id (up to and with ``#``), or ''."""
    scheme, mark, _ = type_id.rpartition('#')
    return scheme + mark


class Source(collections.namedtuple('Source', 'load gives depends')):
    """Where some categories of the query interface come from.

    :param load: ``load(req)`` gives the categories, bound to the
        request's locations; it may call the backend
    :param gives: ``gives(conf, type_id)``: whether one of its categories
        may have that type id
    :param depends: ``depends(conf, type_id)``: whether one of its
        categories may depend on that category (a filter naming it lists
        them, GFD.223 7.1)
    """

    __slots__ = ()

    def asked_by(self, conf, type_ids):
        """Whether a filter naming ``type_ids`` needs this source."""
        return any(self.gives(conf, t) or self.depends(conf, t)
                   for t in type_ids)


def scheme_in(*options):
    """Categories whose scheme is the value of one of these options."""
    return lambda conf, type_id: scheme_of(type_id) in {
        getattr(conf, option) for option in options}


def scheme_is(*schemes):
    """Categories of these schemes."""
    return lambda conf, type_id: scheme_of(type_id) in schemes


def one_of(*categories):
    """Exactly these categories."""
    type_ids = frozenset(c.type_id for c in categories)
    return lambda conf, type_id: type_id in type_ids


def depended_by(*categories):
    """The categories these depend on, directly or not."""
    return one_of(*[d for c in categories for d in c.all_depends()])


def either(*tests):
    """Any category one of the tests accepts."""
    return lambda conf, type_id: any(t(conf, type_id) for t in tests)


def own_scheme(conf, type_id):
    """A scheme a project may give its mixins.

    Neither the standard's nor the provider templates'.
    """
    scheme = scheme_of(type_id)
    return not scheme.startswith(RESERVED) and scheme not in (
        conf.os_tpl_scheme, conf.resource_tpl_scheme)


#: The fixed mixins of this server beyond the standard model.
FIXED = ((network.PUBLIC,) + network.EGI_MIXINS +
         contextualization.MIXINS)


def _fixed(req):
    return [mixin.with_location(req.locations.url(mixin.location))
            for mixin in FIXED]


#: Every source of categories beyond the standard model, in the order the
#: query interface lists them. A source's categories depend only on
#: standard categories or on its own.
SOURCES = (
    Source(lambda req: req.session.templates.os_templates(),
           scheme_in('os_tpl_scheme'), one_of(infra.OS_TPL)),
    Source(lambda req: req.session.templates.resource_templates(),
           scheme_in('resource_tpl_scheme'), one_of(infra.RESOURCE_TPL)),
    Source(_fixed, one_of(*FIXED), depended_by(*FIXED)),
    Source(lambda req: req.session.pools().mixins(),
           scheme_is(pools.SCHEME), one_of(infra.FLOATINGIPPOOL)),
    Source(lambda req: req.session.zones().mixins(),
           scheme_is(zones.ZONE_SCHEME, zones.REGION_SCHEME),
           one_of(infra.AVAILABILITY_ZONE, infra.REGION)),
    Source(lambda req: req.session.mixins.mixins(),
           own_scheme, either(own_scheme, one_of(*infra.MIXINS))),
)


def _model(req, wanted=None):
    """The category collection, read from the sources a filter needs.

    :param wanted: the type ids a filter names, or None for every source
    """
    conf = req.session.conf
    found = []
    for source in SOURCES:
        if wanted is None or source.asked_by(conf, wanted):
            found.extend(source.load(req))
    return infra.model(req.root_url, mixins=found)


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
        if not wanted:
            return req.respond(req.renderer.categories(_model(req)))
        return req.respond(req.renderer.categories(
            _model(req, wanted).filter(wanted)))

    def post(self, req):
        return mixins.define(req, _model(req))

    def delete(self, req):
        return mixins.undefine(req)
