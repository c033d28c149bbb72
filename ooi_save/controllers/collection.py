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

"""What every collection does alike: filtering, paging, location lists.

GET of a collection renders its members' locations in the text renderings
and the members in full in JSON; an entity rendering in the request
filters them (kind, mixins, attribute values); ``?page=&number=`` pages
them (GFD.223 section 6). ``?action=`` invokes an action of the kind.
"""

from ooi_save import exceptions


def action(req, actions, what):
    """The action of a ``?action=`` request and its attributes.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param actions: the kind's actions, by term
    :param what: the kind's name, for messages
    :returns: ``(term, attributes)``
    :raises: BadRequest for an unknown action or attribute, or a body
        invoking another action than ``?action=``
    """
    term = req.params.get('action')
    found = actions.get(term)
    if found is None:
        raise exceptions.BadRequest(
            'Unknown %s action %r; %ss have %s.'
            % (what, term, what, ', '.join(sorted(actions))))
    attributes = {}
    if req.has_body():
        invocation = req.parse_action()
        if invocation.action != found.type_id:
            raise exceptions.BadRequest(
                'The request invokes %s but ?action= names %s.'
                % (invocation.action, term))
        attributes = dict(invocation.attributes or {})
    unknown = set(attributes) - {a.name for a in found.attributes}
    if unknown:
        raise exceptions.BadRequest(
            'Action %s has no attribute %s.'
            % (term, ', '.join(sorted(unknown))))
    return term, attributes


def lists_locations(req):
    """Whether the answer lists locations rather than full entities."""
    return not req.answer_type.endswith('json')


def matches(entity, wanted):
    """Whether an entity matches an entity rendering used as a filter."""
    if wanted.kind and wanted.kind != entity.kind.type_id:
        return False
    mixins = {m.type_id for m in entity.mixins}
    if any(m not in mixins for m in wanted.mixins or ()):
        return False
    values = dict(entity.attributes)
    values['occi.core.title'] = entity.title
    values['occi.core.id'] = entity.id
    for name, value in entity.core_attributes():
        values.setdefault(name, value)
    return all(values.get(name) == value
               for name, value in (wanted.attributes or {}).items())


def respond(req, entities):
    """The answer to a GET of a collection, filtered and paged.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param entities: a callable giving every member, as OCCI entities
    """
    window = req.page(req.backend.conf.max_page_size)
    members = entities()
    if req.has_body():
        wanted = req.parse_entity()
        members = [m for m in members if matches(m, wanted)]
    if window is not None:
        members = members[window[0]:window[1]]
    if lists_locations(req):
        return req.respond(req.renderer.locations(
            [m.location for m in members]))
    return req.respond(req.renderer.entities(members))


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
