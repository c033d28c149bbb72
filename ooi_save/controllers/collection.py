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

"""What every collection and its members do alike.

GET of a collection renders its members' locations in the text renderings
and the members in full in JSON; an entity rendering in the request
filters them (kind, mixins, attribute values); ``?page=&number=`` pages
them (GFD.223 section 6). ``?action=`` invokes an action of the kind. A
create answers 201 Created with the new entity's ``Location``; GET and
DELETE of one member are :class:`Member`'s, PUT and the update by POST
:class:`UpdatableMember`'s; the creation of a link is
:class:`LinkCollection`'s.
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


#: Attributes whose values are references: a filter compares the places
#: they name, not how they are written.
_REFERENCES = ('occi.core.source', 'occi.core.target')


def matches(entity, wanted, locations=None):
    """Whether an entity matches an entity rendering used as a filter.

    :param locations: the request's :class:`ooi_save.locations.Locations`,
        which reads the references of the filter and of the entity
    """
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
    for name, value in (wanted.attributes or {}).items():
        if name in _REFERENCES and locations is not None:
            if locations.path_of(value) is None or locations.path_of(
                    value) != locations.path_of(values.get(name)):
                return False
        elif values.get(name) != value:
            return False
    return True


def _page(members, window):
    """The ``(start, stop)`` window of a listing; all of it for None."""
    if window is None:
        return members
    return members[window[0]:window[1]]


def _members(req, members):
    """The answer listing members: their locations, or them in full."""
    if lists_locations(req):
        return req.respond(req.renderer.locations(
            [m.location for m in members]))
    return req.respond(req.renderer.entities(members))


def respond(req, entities):
    """The answer to a GET of a collection read whole, filtered and paged.

    For a backend that cannot page: ``entities()`` reads every member,
    before the request's filter is parsed.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param entities: a callable giving every member, as OCCI entities
    """
    window = req.page(req.session.conf.max_page_size)
    members = entities()
    if req.has_body():
        wanted = req.parse_entity()
        members = [m for m in members
                   if matches(m, wanted, req.locations)]
    return _members(req, _page(members, window))


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
    window = req.page(req.session.conf.max_page_size)
    wanted = req.parse_entity() if req.has_body() else None
    if wanted is None and lists_locations(req) and list_ids is not None:
        return req.respond(req.renderer.locations(
            [entities.location(item['id']) for item in list_ids(window)]))
    if wanted is None:
        return _members(req, list_all(window))
    # Pages of the filtered collection: filter all, then slice.
    return _members(req, _page(
        [e for e in list_all(None) if matches(e, wanted, req.locations)],
        window))


def new_entity(req, kind):
    """The entity a create renders, refused unless it is of a kind.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param kind: the :class:`ooi_save.occi.categories.Kind` created here
    :returns: the parsed entity
    :raises: BadRequest for an entity of another kind
    """
    entity = req.parse_entity()
    if entity.kind != kind.type_id:
        raise exceptions.BadRequest(
            'Only %ss can be created here; the request renders '
            'kind %s.' % (kind.term, entity.kind))
    return entity


def created(req, new, read=None, in_text=False):
    """The answer to a create: 201 Created, the new entity's Location.

    The text renderings list the new location, JSON renders the entity.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param new: the new entity, or its location when rendering the entity
        would take a backend read
    :param read: for a location, ``read()`` gives the entity; it is called
        only when the answer renders it
    :param in_text: render the entity in the text renderings too (every
        rendering but text/uri-list, which lists locations only)
    :returns: the response
    """
    if isinstance(new, str):
        location = new
    else:
        location, read = new.location, lambda: new
    only_location = (req.renderer.listings_only if in_text
                     else lists_locations(req))
    if only_location:
        rendered = req.renderer.locations([location])
    else:
        rendered = req.renderer.entity(read())
    return req.respond(rendered, status=201, location=location)


class Member:
    """One entity at its location: GET renders it, DELETE deletes it.

    A controller of one entity subclasses it, naming :attr:`noun` and
    :meth:`_entities`.
    """

    #: What the entity is called, for the refusal of text/uri-list.
    noun = None

    def _entities(self, req):
        """The backend object that gets and deletes the entity."""
        raise NotImplementedError()

    def get(self, req, id):
        req.will_answer('a %s' % self.noun)
        return req.respond(req.renderer.entity(
            self._entities(req).get(id)))

    def delete(self, req, id):
        req.will_answer('the outcome of a deletion')
        self._entities(req).delete(id)
        return req.respond(req.renderer.ok())


class UpdatableMember(Member):
    """A member that PUT replaces and POST updates or acts on.

    PUT and a POST without ``?action=`` answer the entity as it is after
    the update; a POST with ``?action=`` is the subclass's :meth:`_act`.
    """

    def put(self, req, id):
        return self._update(req, id, replace=True)

    def post(self, req, id):
        if 'action' not in req.params:
            return self._update(req, id)
        req.will_answer('the outcome of an action')
        return self._act(req, id)

    def _act(self, req, id):
        """Invoke the ``?action=`` of the request on the entity."""
        raise NotImplementedError()

    def _update(self, req, id, replace=False):
        """Update the entity as the request renders it; answer it.

        :param replace: True to replace the entity's mutable attributes
            with those rendered (PUT), False to change only those (POST)
        """
        req.will_answer('the updated %s' % self.noun)
        entities = self._entities(req)
        return req.respond(req.renderer.entity(self._updated(
            entities, id, req.parse_entity(), replace)))

    def _updated(self, entities, id, entity, replace):
        """Update the entity in the backend; the entity as it is then."""
        entities.update(id, entity, replace=replace)
        return entities.get(id)


class LinkCollection:
    """The collection of one kind of link: POST creates a link.

    The answer to a create renders the new link in every rendering that
    can, the text ones included. A subclass names :meth:`_entities` and
    serves GET.
    """

    def _entities(self, req):
        """The backend object that lists and creates the links."""
        raise NotImplementedError()

    def post(self, req):
        return created(req, self._entities(req).create(req.parse_entity()),
                       in_text=True)
