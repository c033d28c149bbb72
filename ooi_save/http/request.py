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

"""One OCCI request on its way through the filter.

:class:`OCCIRequest` carries what every controller needs: the parsed body in
whichever rendering the client sent, the renderer of the negotiated answer,
the URL of the OCCI root for building locations, and the backend session that
acts with the caller's own credentials.
"""

import json
import re

import webob
import webob.exc

from ooi_save import exceptions
from ooi_save.http import negotiation
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra
from ooi_save.occi import parsing
from ooi_save.occi import rendering
from ooi_save.occi.rendering import base as rendering_base

#: The largest page index: the largest 64-bit signed integer.
MAX_PAGE = 2 ** 63 - 1

_WHOLE_NUMBER = re.compile(r'[0-9]{1,19}\Z')


def read_body(request, limit):
    """Read the body of a request, refusing one above a size.

    The body is read before anything parses it, and never more than
    ``limit + 1`` bytes of it: a body of unknown length (chunked, no
    ``Content-Length``) is refused as soon as it passes the limit. The
    body read is kept on the request (``request.body``).

    :param request: a :class:`webob.Request`
    :param limit: the largest body served, in bytes
    :raises: RequestEntityTooLarge
    """
    length = request.content_length
    if length is not None and length > limit:
        raise _too_large(limit)
    if length is None and not request.environ.get('wsgi.input_terminated'):
        # NOTE(ooi-save): a WSGI server that does not end the input cannot be
        # read past an unknown length (PEP 3333): there is no body to read.
        request.body = b''
        return
    try:
        body = request.body_file_raw.read(
            limit + 1 if length is None else length)
    except webob.exc.HTTPRequestEntityTooLarge:
        # oslo.middleware's sizelimit, ahead of us, counts as it is read.
        raise _too_large(limit)
    if len(body) > limit:
        raise _too_large(limit)
    request.body = body


def _too_large(limit):
    return exceptions.RequestEntityTooLarge(
        'The request body is larger than the %d bytes this server reads.'
        % limit)


class OCCIRequest:
    """A request below the OCCI root.

    :param request: the :class:`webob.Request`
    :param path: the path below the root, starting with ``/``
    :param answer_type: the negotiated media type of the answer
    :param session: the :class:`ooi_save.backend.Session` of the caller,
        bound to the request's locations
    """

    def __init__(self, request, path, answer_type, session):
        self.webob = request
        self.path = path
        self.answer_type = answer_type
        self.renderer = rendering.renderer_for(answer_type)
        #: The backend acting for the caller.
        self.session = session
        #: Where entities live below this request's root.
        self.locations = session.locations
        #: Absolute URL of the OCCI root, without trailing slash.
        self.root_url = self.locations.root_url

    @property
    def params(self):
        """The query parameters, as text.

        :raises: BadRequest when the query string is not UTF-8
        """
        try:
            return self.webob.GET
        except UnicodeDecodeError as exc:
            raise exceptions.BadRequest(
                'The query string is not UTF-8 text once percent-decoded '
                '(byte %d).' % exc.start)

    def page(self, max_number):
        """The slice of a collection asked for by ``?page=&number=``.

        GFD.223 section 6: ``page`` indexes sub-collections of ``number``
        items each; we count pages from 1. A page past the end is an empty
        collection, not an error.

        :param max_number: the largest ``number`` served
        :returns: ``(start, stop)`` item indexes, or None when the request
            asks for the whole collection
        :raises: BadRequest for a missing or malformed value,
            RequestEntityTooLarge when ``number`` exceeds ``max_number``
        """
        page = self.params.get('page')
        number = self.params.get('number')
        if page is None and number is None:
            return None
        values = {}
        for name, value in (('page', page), ('number', number)):
            if value is None:
                raise exceptions.BadRequest(
                    'Paging needs both "page" and "number"; "%s" is '
                    'missing.' % name)
            value = value.strip()
            if not _WHOLE_NUMBER.match(value) or not (
                    1 <= int(value) <= MAX_PAGE):
                raise exceptions.BadRequest(
                    '"%s" must be a whole number from 1 to %d, not %r.'
                    % (name, MAX_PAGE, value[:40]))
            values[name] = int(value)
        if values['number'] > max_number:
            raise exceptions.RequestEntityTooLarge(
                'At most %d items a page are served; "number" asks for '
                '%d.' % (max_number, values['number']))
        start = (values['page'] - 1) * values['number']
        return start, start + values['number']

    def _parse(self, what):
        parser = parsing.parser_for(negotiation.body_type(self.webob))
        return getattr(parser, what)(list(self.webob.headers.items()),
                                     self.webob.body)

    def parse_entity(self):
        """The entity rendered in the request (body or headers).

        :raises: ParseError, and InvalidAttribute for a value of another
            type than its attribute in the entity's kind and mixins
        """
        entity = self._parse('entity')
        _decode_structured([entity.kind] + list(entity.mixins or ()),
                           entity.attributes)
        _check_types([entity.kind] + list(entity.mixins or ()),
                     entity.attributes)
        return entity

    def parse_action(self):
        """The action invocation rendered in the request.

        :raises: ParseError, and InvalidAttribute for a parameter of another
            type than the action defines
        """
        invocation = self._parse('action')
        _check_types([invocation.action], invocation.attributes)
        return invocation

    def parse_categories(self):
        """The categories rendered in the request."""
        return self._parse('categories')

    def parse_locations(self):
        """The entity locations rendered in the request."""
        return self._parse('locations')

    def has_body(self):
        """Whether the request carries a rendering at all."""
        if self.webob.body.strip() not in (b'', b'OK'):
            return True
        return any(name.lower().startswith('x-occi-') or
                   name.lower() in ('category', 'link')
                   for name in self.webob.headers)

    def will_answer(self, what):
        """Refuse now an answer the negotiated rendering cannot give.

        text/uri-list renders only listings (GFD.229 section 8); a request
        that would answer anything else is refused with 400 before the
        controller acts, so that the client's refusal to read the answer
        does not leave the action done behind its back.

        :param what: what the answer renders, for the message
        :raises: NotListing when the rendering renders only listings
        """
        if self.renderer.listings_only:
            raise rendering_base.not_listing(what)

    def respond(self, rendered, status=200, location=None):
        """A response carrying a rendering.

        :param rendered: a :class:`ooi_save.occi.rendering.Rendered`
        :param status: the HTTP status
        :param location: the ``Location`` header, for 201 answers
        :returns: a :class:`webob.Response`
        """
        response = webob.Response(status=status, body=rendered.body,
                                  content_type=None)
        response.headers['Content-Type'] = rendered.content_type
        for name, value in rendered.headers:
            response.headers.add(name, value)
        if location:
            response.headers['Location'] = location
        return response


def _check_types(type_ids, values):
    """Refuse values of another type than the model defines for them.

    Only the standard categories are looked at: provider templates define
    no attribute a client sets.
    """
    model = infra.model()
    categories.check_types([model.get(type_id) for type_id in type_ids
                            if isinstance(type_id, str)], values or {})


def _decode_structured(type_ids, values):
    """Read the JSON text of array and object attributes given as text.

    The text renderings carry an array or object value as its JSON in a
    quoted string (as they render it, and as rOCCI did); JSON renders it
    as itself. A text that is not the JSON of its type is left as it is,
    for the type check to refuse.
    """
    model = infra.model()
    definitions = {}
    for type_id in type_ids:
        category = model.get(type_id) if isinstance(type_id, str) else None
        if category is not None:
            definitions.update(category.all_attributes())
    for name, value in list((values or {}).items()):
        attribute = definitions.get(name)
        if (attribute is None or attribute.type not in ('array', 'object')
                or not isinstance(value, str)):
            continue
        try:
            decoded = json.loads(value)
        except ValueError:
            continue
        if attribute.accepts(decoded):
            values[name] = decoded
