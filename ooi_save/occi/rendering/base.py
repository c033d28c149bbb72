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

"""What every rendering provides: the renderer and parser interfaces.

A renderer turns model objects into a :class:`Rendered` answer; a parser
turns a request (its headers and body) into the request objects of
:mod:`ooi_save.occi.core`. Both are looked up by media type in
:mod:`ooi_save.occi.rendering`.
"""

import collections

from ooi_save.occi import exceptions

#: One rendered answer: the ``Content-Type`` to send, extra headers as a
#: list of ``(name, value)`` (str values, latin-1 safe) and the body bytes.
Rendered = collections.namedtuple('Rendered',
                                  ['content_type', 'headers', 'body'])


class Renderer:
    """Renders model objects in one media type.

    :param media_type: the media type the client accepted (e.g.
        ``application/json`` for the JSON rendering); it becomes the
        answer's content type
    """

    #: Whether the rendering can only list locations (text/uri-list): the
    #: HTTP layer may check it before acting on a request whose answer
    #: would not be a listing, since :class:`NotListing` is raised only at
    #: rendering time.
    listings_only = False

    def __init__(self, media_type):
        self.media_type = media_type

    def categories(self, collection):
        """The query interface: every category of a collection.

        :param collection: a :class:`~ooi_save.occi.core.CategoryCollection`
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def entity(self, entity):
        """One entity, in full.

        :param entity: a :class:`~ooi_save.occi.core.Resource` or
            :class:`~ooi_save.occi.core.Link`
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def entities(self, entities):
        """A collection of entities (listing or full, per rendering).

        :param entities: Resource and Link objects
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def locations(self, locations):
        """A listing of entity locations.

        :param locations: URL strings
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def mixin(self, mixin):
        """One mixin alone (e.g. the OS template made by ``save``).

        :param mixin: a :class:`~ooi_save.occi.core.Mixin`
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def invocation(self, action, attributes=None):
        """An action invocation, as a client sends it.

        :param action: an :class:`~ooi_save.occi.core.Action` or its type id
        :param attributes: a dict of parameters
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def ok(self):
        """The answer of a success with nothing to render.

        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def error(self, status, message, request_id=None):
        """An error answer.

        :param status: the HTTP status code
        :param message: the human readable message
        :param request_id: the request id to quote, if any
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()


class Parser:
    """Reads requests rendered in one media type.

    Every method takes ``headers``, the request headers as a list of
    ``(name, value)`` pairs (or a mapping) as received, and ``body``, the
    request body as bytes. Every malformed input raises
    :class:`~ooi_save.occi.exceptions.ParseError`.

    :param media_type: the media type of the request
    """

    def __init__(self, media_type):
        self.media_type = media_type

    def entity(self, headers, body):
        """An entity rendering.

        :returns: an :class:`~ooi_save.occi.core.EntityRequest`
        :raises: ParseError
        """
        raise NotImplementedError()

    def action(self, headers, body):
        """An action invocation.

        :returns: an :class:`~ooi_save.occi.core.ActionRequest`
        :raises: ParseError
        """
        raise NotImplementedError()

    def categories(self, headers, body):
        """Category renderings (query filters, user mixins).

        :returns: a list of :class:`~ooi_save.occi.core.CategoryRequest`
        :raises: ParseError
        """
        raise NotImplementedError()

    def locations(self, headers, body):
        """A listing of entity locations (mixin collection updates).

        :returns: a list of location strings
        :raises: ParseError
        """
        raise NotImplementedError()


def header_items(headers):
    """The ``(name, value)`` pairs of headers given as pairs or a mapping.

    :param headers: a list of pairs, or an object with ``items()``
    :returns: an iterable of ``(name, value)``
    """
    if headers is None:
        return ()
    if hasattr(headers, 'items'):
        return headers.items()
    return headers


def body_text(body, what):
    """A request body as text: bytes are read as UTF-8.

    :param body: bytes, a string or None
    :param what: what the body is, for the message (``body``, ...)
    :returns: a string, empty for no body
    :raises: ParseError when the bytes are not UTF-8
    """
    if isinstance(body, bytes):
        try:
            return body.decode('utf-8')
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(
                'The %s is not UTF-8 text (byte %d).' % (what, exc.start))
    return body or ''


def not_listing(what):
    """The error for a non-listing answer in text/uri-list.

    :param what: what was to be rendered
    :returns: a :class:`~ooi_save.occi.exceptions.NotListing`
    """
    return exceptions.NotListing(
        'text/uri-list renders only listings of locations, not %s: accept '
        'text/plain, text/occi or application/occi+json instead.' % what)
