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

"""What every parser provides, and the helpers they share.

A parser turns a request (its headers and body) into the request objects of
:mod:`ooi_save.occi.requests`: :class:`Parser` is the interface;
:func:`header_items`, :func:`body_text` and :func:`body_lines` read headers
and bodies however they are given. Parsers are looked up by media type in
:mod:`ooi_save.occi.parsing`.

The same parsers read answers on the client side (:mod:`ooi_save.client`):
an entity, the query interface (:meth:`Parser.categories`), a listing
(:meth:`Parser.entities`, :meth:`Parser.locations`) and an error
(:meth:`Parser.error`) are rendered the same way in both directions.
"""

import re

from ooi_save.occi import exceptions
from ooi_save.occi import requests

# NOTE(ooi-save): clients end lines with CRLF (GFD.229, RFC 2483), LF (most),
# LF CR (a compliance client) or a lone CR; each pair is one line end. Only
# these characters end a line, not the Unicode separators that a quoted
# string may hold.
_LINE_END = re.compile(r'\r\n|\n\r|\n|\r')


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

        :returns: an :class:`~ooi_save.occi.requests.EntityRequest`
        :raises: ParseError
        """
        raise NotImplementedError()

    def action(self, headers, body):
        """An action invocation.

        :returns: an :class:`~ooi_save.occi.requests.ActionRequest`
        :raises: ParseError
        """
        raise NotImplementedError()

    def categories(self, headers, body):
        """Category renderings (query filters, user mixins).

        :returns: a list of :class:`~ooi_save.occi.requests.CategoryRequest`
        :raises: ParseError
        """
        raise NotImplementedError()

    def locations(self, headers, body):
        """A listing of entity locations (mixin collection updates).

        :returns: a list of location strings
        :raises: ParseError
        """
        raise NotImplementedError()

    def entities(self, headers, body):
        """A collection of entities.

        As :meth:`ooi_save.occi.rendering.base.Renderer.entities` renders
        it.

        The text renderings list locations only: each entity read back
        has its :attr:`~ooi_save.occi.requests.EntityRequest.location`
        and nothing else. The JSON rendering gives the entities in full.

        :returns: a list of :class:`~ooi_save.occi.requests.EntityRequest`
        :raises: ParseError
        """
        return [requests.EntityRequest(location=location)
                for location in self.locations(headers, body)]

    def error(self, headers, body):
        """An error answer.

        As :meth:`ooi_save.occi.rendering.base.Renderer.error` renders it.

        The text renderings give the message on the first line and
        ``Request-Id: <id>`` on a second; whatever else a server (or a
        proxy in front of it) answered is read as the message.

        :returns: ``(message, request_id)``; the request id may be None
        """
        if isinstance(body, bytes):
            body = body.decode('utf-8', 'replace')
        lines = [line.strip() for line in body_lines(body or '')
                 if line.strip()]
        request_id = None
        message = []
        for line in lines:
            name, _, value = line.partition(':')
            if name.strip().lower() == 'request-id' and value.strip():
                request_id = value.strip()
            else:
                message.append(line)
        return ' '.join(message), request_id


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


def body_lines(text):
    """The lines of a request body, whatever ends them.

    :param text: the body as a string
    :returns: the lines without their line ends; CRLF, LF, LF CR and a lone
        CR each end one line
    """
    return _LINE_END.split(text)
