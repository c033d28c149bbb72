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

"""What every entity collection does the same way: listing and filtering."""


def lists_locations(req):
    """Whether the answer lists locations rather than full entities."""
    return not req.answer_type.endswith('json')


def matches(entity, wanted):
    """Whether an entity matches an entity rendering used as a filter.

    :param entity: a :class:`ooi_save.occi.core.Entity`
    :param wanted: the :class:`ooi_save.occi.core.EntityRequest` of the
        request: its kind, mixins and attributes must all be the entity's
    """
    if wanted.kind and wanted.kind != entity.kind.type_id:
        return False
    mixins = {m.type_id for m in entity.mixins}
    if any(m not in mixins for m in wanted.mixins or ()):
        return False
    values = dict(entity.core_attributes())
    values.update(entity.attributes)
    return all(values.get(name) == value
               for name, value in (wanted.attributes or {}).items())


def listing(req, entities, list_all, list_ids=None):
    """The answer to GET on a collection, filtered and paged.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param entities: the backend object giving ``location(id)``
    :param list_all: ``list_all(window)`` lists the entities in full, only
        the ``(start, stop)`` window of them when it is not None
    :param list_ids: ``list_ids(window)`` lists dicts with ``id`` only, a
        cheaper call for answers that list locations; None when there is
        none
    :returns: the response
    """
    window = req.page(req.backend.conf.max_page_size)
    wanted = req.parse_entity() if req.has_body() else None
    if wanted is None and lists_locations(req) and list_ids is not None:
        return req.respond(req.renderer.locations(
            [entities.location(item['id']) for item in list_ids(window)]))
    if wanted is None:
        found = list_all(window)
    else:
        # Pages of the filtered collection: filter all, then slice.
        found = [e for e in list_all(None) if matches(e, wanted)]
        if window is not None:
            found = found[window[0]:window[1]]
    if lists_locations(req):
        return req.respond(req.renderer.locations(
            [e.location for e in found]))
    return req.respond(req.renderer.entities(found))
