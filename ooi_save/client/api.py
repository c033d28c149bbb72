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

"""The OCCI client library: :class:`Client`.

A :class:`Client` speaks OCCI 1.2 to one endpoint over a keystoneauth1
session, in one of the renderings (``text/plain``, ``text/occi``,
``application/occi+json``) for requests and answers alike. Requests are
rendered by :mod:`ooi_save.occi.rendering` and answers read by
:mod:`ooi_save.occi.parsing`, the same code the server uses; what the
server offers comes from :mod:`ooi_save.client.discovery`.

Entities are returned as :class:`~ooi_save.occi.requests.EntityRequest`
objects whose ``location`` is the absolute URL of the entity. Waiting for
what an action promises is :mod:`ooi_save.client.wait`.
"""

import re
import urllib.parse

from ooi_save.client import discovery
from ooi_save.client import errors
from ooi_save.occi import categories
from ooi_save.occi import entities
from ooi_save.occi import exceptions as occi_exceptions
from ooi_save.occi import parsing
from ooi_save.occi import rendering

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
COMPUTE_ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
CREDENTIALS = 'http://schemas.ogf.org/occi/infrastructure/credentials#'
COMPUTE_MIXINS = 'http://schemas.ogf.org/occi/infrastructure/compute#'

#: The kinds users name by their term.
KINDS = {term: INFRA + term for term in (
    'compute', 'network', 'storage', 'networkinterface', 'storagelink')}

#: The renderings a client may choose.
RENDERINGS = ('application/occi+json', 'text/plain', 'text/occi')
DEFAULT_RENDERING = 'application/occi+json'

_UUID = re.compile(r'[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\Z')


def kind_id(kind):
    """A kind's type id from its term (``compute``) or type id."""
    return KINDS.get(kind, kind)


def term_of(type_id):
    return categories.split_type_id(type_id)[1]


def _category(type_id, cls):
    scheme, term = categories.split_type_id(type_id)
    return cls(scheme, term)


def link(kind, target, target_kind=None, attributes=None):
    """A link to render inside a resource's create request.

    :param kind: the link kind's term or type id (``networkinterface``)
    :param target: the target's location
    :param target_kind: the target kind's term or type id, or None
    :returns: an :class:`ooi_save.occi.entities.Link` without source: the
        server makes the resource its source
    """
    return entities.Link(
        _category(kind_id(kind), categories.Kind), None, target=target,
        target_kind=kind_id(target_kind) if target_kind else None,
        attributes=attributes)


class Client:
    """An OCCI client of one endpoint.

    :param session: a keystoneauth1 ``Session`` (its auth plugin adds the
        token)
    :param endpoint: the OCCI root URL (``https://nova:8774/occi1.2``)
    :param rendering: the media type of requests and answers
    :param cache_key: the discovery cache file name (see
        :func:`ooi_save.client.discovery.cache_key`), or None
    :param cache_ttl: seconds the discovery cache is used
    """

    def __init__(self, session, endpoint, rendering=DEFAULT_RENDERING,
                 cache_key=None, cache_ttl=discovery.DEFAULT_TTL):
        if rendering not in RENDERINGS:
            raise errors.ClientError('Rendering %s is not one of %s.' % (
                rendering, ', '.join(RENDERINGS)))
        self.session = session
        self.endpoint = endpoint.rstrip('/')
        self.rendering = rendering
        self.renderer = rendering_for(rendering)
        self.parser = parsing.parser_for(rendering)
        self.discovery = discovery.Discovery(self._query, cache_key,
                                             cache_ttl)

    # -- the wire ---------------------------------------------------------

    def url(self, location):
        """The absolute URL of a location.

        :param location: as the server gave it or a user typed it:
            absolute, path-absolute or relative to the endpoint
        """
        if location.startswith(('http://', 'https://')):
            return location
        if location.startswith('/'):
            parts = urllib.parse.urlsplit(self.endpoint)
            return '%s://%s%s' % (parts.scheme, parts.netloc, location)
        return '%s/%s' % (self.endpoint, location)

    def request(self, method, location, rendered=None, params=None,
                accept=None):
        """One request; an error answer raises.

        :param rendered: a :class:`ooi_save.occi.rendering.Rendered` body,
            or None
        :param accept: the Accept header, the client's rendering by default
        :returns: the ``requests.Response``
        :raises: ClientError
        """
        headers = {'Accept': accept or self.rendering}
        data = None
        if rendered is not None:
            headers['Content-Type'] = rendered.content_type
            for name, value in rendered.headers:
                headers[name] = value
            if self.rendering != 'text/occi' or not rendered.headers:
                data = rendered.body
        response = self.session.request(
            self.url(location), method, headers=headers, data=data,
            params=params, raise_exc=False)
        if response.status_code >= 400:
            raise errors.from_response(response)
        return response

    def _answer(self, response):
        """(headers, body) of an answer, for the parsers."""
        return response.headers, response.content

    def _read(self, location, rendered=None, params=None):
        """GET an answer, and the parser that reads it.

        NOTE(ooi-save): an answer in text/occi lives in HTTP headers, and
        servers cap those (ooi-save answers 406 and says so; behind a
        proxy a big listing or a compute with many links passes the cap).
        The same text rendering is then read from a text/plain body.

        :returns: ``(parser, response)``
        :raises: ClientError
        """
        try:
            return self.parser, self.request('GET', location, rendered,
                                             params)
        except errors.ClientError as exc:
            if exc.status != 406 or self.rendering != 'text/occi':
                raise
        return (parsing.parser_for('text/plain'),
                self.request('GET', location, rendered, params,
                             accept='text/plain'))

    def _query(self, type_id=None):
        params = {'category': type_id} if type_id else None
        # A whole model does not fit HTTP headers: read from a text/plain
        # body then (see _read).
        parser, response = self._read('-/', params=params)
        answered = self.rendering if parser is self.parser else 'text/plain'
        return (response.headers.get('Content-Type', answered),
                _headers_as_text(response.headers)
                if answered == 'text/occi'
                else response.content.decode('utf-8', 'replace'))

    # -- the model --------------------------------------------------------

    def model(self, refresh=False):
        """Every category the server offers.

        :returns: a :class:`~ooi_save.client.discovery.Model`
        """
        return self.discovery.model(refresh)

    def kind_location(self, kind):
        """The URL of a kind's collection (``.../compute/``)."""
        type_id = kind_id(kind)
        category = self.discovery.category(type_id)
        if category is None or not category.location:
            raise errors.NotFound('The server offers no kind %s.' % type_id)
        return self.url(category.location)

    def templates(self, which, refresh=False):
        """The os_tpl (``which='os'``) or resource_tpl mixins."""
        parent = discovery.OS_TPL if which == 'os' else discovery.RESOURCE_TPL
        return self.model(refresh).templates(parent)

    def template(self, which, ref):
        """The template a user names: type id, term (an id) or title.

        :raises: NotFound, Ambiguous
        """
        what = 'OS template' if which == 'os' else 'resource template'
        for refresh in (False, True):
            found = _match(self.templates(which, refresh), ref)
            if found:
                break
        return _one(found, what, ref)

    def mixin(self, ref):
        """A mixin a user names: type id, term, title or location."""
        for refresh in (False, True):
            mixins = self.model(refresh).mixins
            found = _match(mixins, ref) or [
                m for m in mixins if m.location and
                self.url(m.location).rstrip('/') ==
                self.url(ref).rstrip('/')]
            if found:
                break
        return _one(found, 'mixin', ref)

    # -- entities ---------------------------------------------------------

    def _located(self, entity, collection, fallback=None):
        if entity.location:
            entity.location = self.url(entity.location)
        elif entity.id:
            entity.location = collection + urllib.parse.quote(entity.id)
        else:
            entity.location = fallback
        return entity

    def list(self, kind):
        """The entities of a kind.

        In JSON they come in full; in the text renderings as locations
        only (see :meth:`show` for the rest).

        :returns: a list of EntityRequest
        """
        collection = self.kind_location(kind)
        parser, response = self._read(collection)
        return [self._located(e, collection)
                for e in parser.entities(*self._answer(response))]

    def show(self, location):
        """One entity, in full."""
        url = self.url(location)
        parser, response = self._read(url)
        entity = parser.entity(*self._answer(response))
        entity.location = url
        return entity

    def find(self, kind, ref):
        """The location of the entity a user names.

        :param ref: an id, a location or a title

        :raises: NotFound, Ambiguous
        """
        collection = self.kind_location(kind)
        if '/' in ref:
            return self.url(ref)
        if _UUID.match(ref) or ref.startswith('fip_') or (
                kind == 'storagelink' and '_' in ref):
            return collection + ref
        # A title: the server filters its listing by an entity rendering.
        wanted = entities.Resource(_category(kind_id(kind), categories.Kind),
                                   None, title=ref)
        parser, response = self._read(collection,
                                      self.renderer.entity(wanted))
        found = list(parser.entities(*self._answer(response)))
        if not found:
            # NOTE(ooi-save): ids are not always UUIDs (networks of other
            # clouds, links): try the reference as an id last.
            try:
                self.request('GET', collection + ref)
            except errors.NotFound as exc:
                raise errors.NotFound(
                    'No %s has the title or id %r.'
                    % (term_of(kind_id(kind)), ref), exc.status,
                    exc.request_id)
            return collection + ref
        if len(found) > 1:
            raise errors.Ambiguous(
                '%d %s entities are titled %r: name one by its id.'
                % (len(found), term_of(kind_id(kind)), ref))
        return self._located(found[0], collection).location

    def create(self, kind, mixins=(), attributes=None, links=(),
               title=None, summary=None):
        """Create an entity.

        :param kind: the kind's term or type id
        :param mixins: mixin type ids
        :param attributes: attribute name -> value
        :param links: :class:`ooi_save.occi.entities.Link` objects
        :returns: the location of the new entity
        """
        resource = entities.Resource(
            _category(kind_id(kind), categories.Kind), None, title=title,
            summary=summary,
            mixins=[_category(m, categories.Mixin) for m in mixins],
            attributes=attributes, links=links)
        return self._post_new(self.kind_location(kind), resource)

    def create_link(self, kind, source, target, target_kind=None,
                    attributes=None, mixins=()):
        """Create a link from the location ``source`` to ``target``.

        :returns: the location of the new link
        """
        link = entities.Link(
            _category(kind_id(kind), categories.Kind), None,
            source=self.url(source), target=self.url(target),
            target_kind=target_kind, attributes=attributes,
            mixins=[_category(m, categories.Mixin) for m in mixins])
        return self._post_new(self.kind_location(kind), link)

    def _post_new(self, collection, entity):
        response = self.request('POST', collection,
                                self.renderer.entity(entity))
        location = response.headers.get('Location')
        if not location:
            listed = self.parser.locations(*self._answer(response))
            location = listed[-1] if listed else None
        if not location:
            raise errors.ClientError('The server created the entity but '
                                     'did not say where.',
                                     response.status_code)
        return self.url(location)

    def update(self, location, kind, attributes, title=None):
        """Change attributes of an entity (a partial update, POST)."""
        entity = entities.Resource(
            _category(kind_id(kind), categories.Kind), None, title=title,
            attributes=attributes)
        response = self.request('POST', location, self.renderer.entity(
            entity))
        return self._entity_or_show(response, location)

    def _entity_or_show(self, response, location):
        try:
            entity = self.parser.entity(*self._answer(response))
        except occi_exceptions.OCCIError:
            # An answer that renders no entity (ok, a listing): read it.
            entity = None
        if entity is None or entity.kind is None:
            return self.show(location)
        entity.location = self.url(location)
        return entity

    def delete(self, location):
        """Delete an entity."""
        self.request('DELETE', location)

    def act(self, location, action, attributes=None):
        """Invoke an action on an entity.

        :param action: the action type id
        :returns: the entity as the server answered it
        """
        response = self.request(
            'POST', location, self.renderer.invocation(action, attributes),
            params={'action': term_of(action)})
        return self._entity_or_show(response, location)

    def save(self, location, method=None, name=None):
        """Save a compute as a new OS template.

        :param method: ``hot``, ``deferred`` or None for the server's
            default
        :param name: the new image's name, or None for the server's
        :returns: the new os_tpl mixin (a CategoryRequest)
        """
        attributes = {'method': method, 'name': name}
        response = self.request(
            'POST', location,
            self.renderer.invocation(COMPUTE_ACTION + 'save', attributes),
            params={'action': 'save'})
        self.discovery.forget()
        found = self.parser.categories(*self._answer(response))
        if not found:
            raise errors.ClientError('The save answer names no template.',
                                     response.status_code)
        return found[0]

    def template_status(self, type_id):
        """The image status an os_tpl carries (``active``...), or None.

        NOTE(ooi-save): attribute defaults have no text rendering, so this
        one lookup is made in JSON whatever the client's rendering.
        """
        response = self.request('GET', '-/', params={'category': type_id},
                                accept=DEFAULT_RENDERING)
        parser = parsing.parser_for(DEFAULT_RENDERING)
        for category in parser.categories(*self._answer(response)):
            if category.type_id == type_id:
                for attribute in category.attributes:
                    if attribute.name == 'org.openstack.image.status':
                        return attribute.default
                return None
        raise errors.NotFound('The template %s is gone.' % type_id)

    # -- user mixins ------------------------------------------------------

    def define_mixin(self, scheme, term, title=None, location=None):
        """Define a user mixin (POST ``/-/``)."""
        mixin = categories.Mixin(scheme, term, title,
                                 location=location or '/%s/' % term)
        self.request('POST', '-/', self.renderer.mixin(mixin))
        self.discovery.forget()

    def undefine_mixin(self, type_id):
        """Remove a user mixin's definition (DELETE ``/-/``)."""
        mixin = _category(type_id, categories.Mixin)
        self.request('DELETE', '-/', self.renderer.mixin(mixin))
        self.discovery.forget()

    def associate(self, mixin, location):
        """Add an entity to a mixin's collection."""
        self.request('POST', self._mixin_location(mixin),
                     self.renderer.locations([self.url(location)]))

    def dissociate(self, mixin, location):
        """Take an entity out of a mixin's collection."""
        self.request('DELETE', self._mixin_location(mixin),
                     self.renderer.locations([self.url(location)]))

    def _mixin_location(self, mixin):
        if not mixin.location:
            raise errors.ClientError('Mixin %s has no location.'
                                     % mixin.type_id)
        return self.url(mixin.location)


def rendering_for(media_type):
    """The renderer of requests in a rendering."""
    return rendering.renderer_for(media_type)


def _headers_as_text(headers):
    """The fields of a text/occi answer's headers as lines of text.

    The cache stores bodies: the text/occi parser reads such lines when it
    is given no headers.
    """
    lines = []
    for name in ('Category', 'Link', 'X-OCCI-Attribute', 'X-OCCI-Location'):
        value = headers.get(name)
        if value:
            lines.append('%s: %s' % (name, value))
    return '\n'.join(lines)


def _match(candidates, ref):
    exact = [c for c in candidates if ref in (c.type_id, c.term)]
    return exact or [c for c in candidates if c.title == ref]


def _one(found, what, ref):
    if not found:
        raise errors.NotFound('No %s %s.' % (what, ref))
    if len(found) > 1:
        raise errors.Ambiguous('%d %ss are named %r: use one of %s.' % (
            len(found), what, ref, ', '.join(c.term for c in found)))
    return found[0]
