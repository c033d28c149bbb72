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

"""The OCCI renderings, looked up by media type.

* :data:`RENDERED_TYPES`: the media types answers can be rendered in, the
  default (``text/plain``) first;
* :data:`PARSED_TYPES`: the media types requests can be read from;
* :func:`renderer_for` and :func:`parser_for` give the
  :class:`~ooi_save.occi.rendering.base.Renderer` or
  :class:`~ooi_save.occi.rendering.base.Parser` of a media type.

The renderings themselves: :mod:`.text` (text/plain, text/occi+plain,
text/occi), :mod:`.json` (application/occi+json, application/json) and
:mod:`.urilist` (text/uri-list).
"""

from ooi_save.occi import exceptions
from ooi_save.occi.rendering import base
from ooi_save.occi.rendering import json
from ooi_save.occi.rendering import text
from ooi_save.occi.rendering import urilist

Rendered = base.Rendered
Renderer = base.Renderer
Parser = base.Parser

_RENDERERS = {
    'text/plain': text.PlainRenderer('text/plain'),
    'text/occi+plain': text.PlainRenderer('text/occi+plain'),
    'text/occi': text.HeaderRenderer('text/occi'),
    'application/occi+json': json.JSONRenderer('application/occi+json'),
    'application/json': json.JSONRenderer('application/json'),
    'text/uri-list': urilist.UriListRenderer('text/uri-list'),
}

_PARSERS = {
    'text/plain': text.PlainParser('text/plain'),
    'text/occi+plain': text.PlainParser('text/occi+plain'),
    'text/occi': text.HeaderParser('text/occi'),
    'application/occi+json': json.JSONParser('application/occi+json'),
    'application/json': json.JSONParser('application/json'),
    'text/uri-list': urilist.UriListParser('text/uri-list'),
}

#: Media types of answers, the default first.
RENDERED_TYPES = ['text/plain', 'text/occi+plain', 'text/occi',
                  'application/occi+json', 'application/json',
                  'text/uri-list']

#: Media types of request bodies.
PARSED_TYPES = list(RENDERED_TYPES)


def _media_type(value):
    if not value:
        return ''
    return value.split(';', 1)[0].strip().lower()


def renderer_for(media_type):
    """The renderer of a media type.

    :param media_type: one of :data:`RENDERED_TYPES`; parameters such as
        ``; charset=utf-8`` and case are ignored
    :returns: a :class:`~ooi_save.occi.rendering.base.Renderer`, stateless
        and shared
    :raises: NotAcceptable for a media type that is not rendered
    """
    renderer = _RENDERERS.get(_media_type(media_type))
    if renderer is None:
        raise exceptions.NotAcceptable(
            'Cannot render %s; this server renders %s.'
            % (media_type, ', '.join(RENDERED_TYPES)))
    return renderer


def parser_for(media_type):
    """The parser of a media type.

    :param media_type: one of :data:`PARSED_TYPES`; parameters and case are
        ignored (bodies are read as UTF-8)
    :returns: a :class:`~ooi_save.occi.rendering.base.Parser`, stateless
        and shared
    :raises: UnsupportedMediaType for a media type that is not read
    """
    parser = _PARSERS.get(_media_type(media_type))
    if parser is None:
        raise exceptions.UnsupportedMediaType(
            'Cannot read a request of type %s; this server reads %s.'
            % (media_type, ', '.join(PARSED_TYPES)))
    return parser
