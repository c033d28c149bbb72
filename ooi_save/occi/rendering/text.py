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

"""The text renderings of GFD.229: text/plain, text/occi+plain, text/occi.

text/plain and text/occi+plain carry the rendering in the body, one field
per line (``Category: ...``, ``Link: ...``, ``X-OCCI-Attribute: ...``,
``X-OCCI-Location: ...``, separated by a bare LF with no line break
after the last; see :data:`LINE_END`); text/occi carries the same
fields as HTTP headers, with ``OK`` as the body. They are read back by
:mod:`ooi_save.occi.parsing.text`.

Rendering is strict:

* Category lines carry ``title``, ``rel`` (a kind's parent; a mixin's FIRST
  depends only, never applies, GFD.229 5.5.2), ``location``, ``attributes``
  (only the ``immutable`` and ``required`` properties exist in text) and
  ``actions``;
* attribute values are typed: quoted strings (``\\"`` and ``\\\\``
  escaped), integers, floats without exponent, ``true``/``false``. Lists
  and dicts have no text form: they are rendered as a quoted JSON text.
  Text has no line breaks within a field, so control characters (and the
  Unicode line and paragraph separators) in strings become spaces;
* text/occi header values hold at most :data:`MAX_HEADER_VALUE` characters:
  longer renderings (10,000 mixins in the query interface) are spread over
  many headers of the same name, each a comma-separated list. Clients and
  proxies limit the total header size (curl allows 300 KB, Python's
  http.client 100 header lines): large query interfaces are better asked
  for in text/plain or JSON. Header values are latin-1 strings as WSGI
  wants them; non-ASCII text is sent as its UTF-8 bytes.
"""

import decimal
import json
import math

from ooi_save.occi import categories
from ooi_save.occi import entities
from ooi_save.occi.rendering import base

#: The longest header value text/occi renders; values are joined with
#: ", " up to this size. 8000 stays below the common 8 KB field limit of
#: servers and proxies (Apache 8190, nginx 8 KB buffers).
MAX_HEADER_VALUE = 8000

#: What separates the lines of a text/plain (and text/occi+plain) body.
#: NOTE(ooi-save): a bare LF, and no line break after the last line, as the
#: retired predecessor and rOCCI-server wrote: IM's OCCI connector splits
#: bodies on LF only (a CR would stay in every value) and takes a new
#: entity's location from the last line of a 201 body. GFD.229's ABNF writes
#: CRLF, but RFC 7231 (3.1.1.3) lets HTTP carry text with bare LF and every
#: client we know reads it; design.rst gives the whole reasoning. Requests
#: may use any line end (see :mod:`ooi_save.occi.parsing.base`).
LINE_END = '\n'

# Characters text cannot carry inside a field: C0 and C1 controls but
# HTAB, DEL, and what str.splitlines() would split on.
_UNSAFE = {code: ' ' for code in list(range(0x00, 0x20)) + [0x7f] +
           list(range(0x80, 0xa0)) + [0x2028, 0x2029] if code != 0x09}

_RESOURCE_ID = entities.RESOURCE.type_id


def clean(text):
    """Text made safe for one line of a text rendering.

    :param text: a str
    :returns: the str with control characters replaced by spaces
    """
    if text.isprintable():
        return text
    return text.translate(_UNSAFE)


def uri(text):
    """A URI made safe for ``<...>`` in a Link field.

    :param text: a URI
    :returns: the URI, cleaned, with ``<`` and ``>`` percent-encoded
    """
    text = clean(text)
    if '<' in text or '>' in text:
        text = text.replace('<', '%3C').replace('>', '%3E')
    return text


def quote(text):
    """An RFC 7230 quoted-string.

    :param text: a str
    :returns: ``"text"`` with ``"`` and ``\\`` escaped and control
        characters replaced by spaces
    """
    if not text.isprintable():
        text = text.translate(_UNSAFE)
    if '"' in text or '\\' in text:
        text = text.replace('\\', '\\\\').replace('"', '\\"')
    return '"' + text + '"'


def _float(value):
    text = repr(value)
    if 'e' in text or 'E' in text:
        # GFD.229 floats have no exponent: write the same value in full.
        text = format(decimal.Decimal(text), 'f')
    if '.' not in text:
        text += '.0'
    return text


def render_value(value):
    """The text rendering of an attribute value (GFD.229 4.3).

    :param value: str, bool, int, float, list or dict
    :returns: the rendered value
    """
    if isinstance(value, str):
        return quote(value)
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return _float(value)
        return quote(repr(value))
    if isinstance(value, (list, tuple, dict)):
        return quote(json.dumps(value, ensure_ascii=False,
                                separators=(',', ':')))
    return quote(str(value))


def _attribute_def(attribute):
    if attribute.mutable:
        if attribute.required:
            return attribute.name + '{required}'
        return attribute.name
    if attribute.required:
        return attribute.name + '{immutable required}'
    return attribute.name + '{immutable}'


def category_value(category):
    """The value of the full ``Category`` field of a kind, mixin or action.

    The result is cached on the (immutable) category.

    :param category: a :class:`~ooi_save.occi.categories.Category`
    :returns: ``term; scheme="..."; class="..."...``
    """
    cached = category._cache.get('text')
    if cached is not None:
        return cached
    parts = [category.term, '; scheme=', quote(category.scheme),
             '; class="', category.category_class, '"']
    if category.title is not None:
        parts += ['; title=', quote(category.title)]
    rel = None
    if isinstance(category, categories.Kind) and category.parent is not None:
        rel = category.parent.type_id
    elif isinstance(category, categories.Mixin) and category.depends:
        rel = category.depends[0].type_id
    if rel is not None:
        parts += ['; rel=', quote(rel)]
    if category.location is not None:
        parts += ['; location=', quote(category.location)]
    if category.attributes:
        parts += ['; attributes=', quote(' '.join(
            [_attribute_def(a) for a in category.attributes]))]
    actions = getattr(category, 'actions', ())
    if actions:
        parts += ['; actions=', quote(' '.join(a.type_id for a in actions))]
    value = ''.join(parts)
    category._cache['text'] = value
    return value


def category_reference(category):
    """The short ``Category`` value naming an entity's kind or mixin.

    :param category: a :class:`~ooi_save.occi.categories.Category`
    :returns: ``term; scheme="..."; class="..."``
    """
    cached = category._cache.get('text-ref')
    if cached is None:
        cached = '%s; scheme=%s; class="%s"' % (
            category.term, quote(category.scheme), category.category_class)
        category._cache['text-ref'] = cached
    return cached


def _link_value(link, resource):
    target_kind = categories.type_id_of(link.target_kind) or _RESOURCE_ID
    parts = ['<', uri(link.target or ''), '>; rel=', quote(target_kind)]
    if link.location is not None:
        parts += ['; self=', quote(link.location)]
    type_ids = ([categories.type_id_of(link.kind)] +
                [m.type_id for m in link.mixins])
    parts += ['; category=', quote(' '.join(type_ids))]
    values = link.core_attributes()
    if link.source is None and resource.location is not None:
        values.append(('occi.core.source', resource.location))
    values += link.attributes.items()
    for name, value in values:
        if value is not None:
            parts += ['; ', name, '=', render_value(value)]
    return ''.join(parts)


def _action_links(entity):
    location = uri(entity.location or '')
    return [('Link', '<%s?action=%s>; rel=%s'
             % (location, action.term, quote(action.type_id)))
            for action in entity.actions]


def entity_fields(entity):
    """The fields of an entity rendering (GFD.229 5.1).

    :param entity: a Resource or a Link
    :returns: a list of ``(field name, value)``
    """
    fields = [('Category', category_reference(entity.kind))]
    fields += [('Category', category_reference(m)) for m in entity.mixins]
    for link in getattr(entity, 'links', ()):
        fields.append(('Link', _link_value(link, entity)))
    fields += _action_links(entity)
    values = entity.core_attributes() + list(entity.attributes.items())
    fields += [('X-OCCI-Attribute', name + '=' + render_value(value))
               for name, value in values if value is not None]
    return fields


def _invocation_fields(action, attributes):
    if isinstance(action, categories.Action):
        category = category_reference(action)
    else:
        scheme, term = categories.split_type_id(action)
        category = '%s; scheme=%s; class="action"' % (term, quote(scheme))
    fields = [('Category', category)]
    fields += [('X-OCCI-Attribute', name + '=' + render_value(value))
               for name, value in (attributes or {}).items()
               if value is not None]
    return fields


class _TextRenderer(base.Renderer):

    def _render(self, fields, ok=False):
        raise NotImplementedError()

    def categories(self, collection):
        return self._render([('Category', category_value(c))
                             for c in collection])

    def entity(self, entity):
        return self._render(entity_fields(entity))

    def entities(self, entities):
        """The X-OCCI-Location listing of the entities (GFD.229 5.3).

        Entities without a location are left out.
        """
        return self.locations([e.location for e in entities
                               if e.location is not None])

    def locations(self, locations):
        return self._render([('X-OCCI-Location', clean(location))
                             for location in locations])

    def mixin(self, mixin):
        return self._render([('Category', category_value(mixin))])

    def invocation(self, action, attributes=None):
        return self._render(_invocation_fields(action, attributes))

    def ok(self):
        return self._render([], ok=True)

    def error(self, status, message, request_id=None):
        """The error as text: the message on the first line.

        A second line ``Request-Id: <id>`` quotes the request id when one
        is given. text/occi answers the same body.
        """
        lines = [clean(str(message))]
        if request_id:
            lines.append('Request-Id: ' + clean(str(request_id)))
        return base.Rendered(
            self.content_type, [],
            LINE_END.join(lines).encode('utf-8', 'replace'))


class PlainRenderer(_TextRenderer):
    """text/plain and text/occi+plain: the fields in the body."""

    def __init__(self, media_type='text/plain'):
        super().__init__(media_type)
        self.content_type = media_type + '; charset=utf-8'

    def _render(self, fields, ok=False):
        if not fields:
            return base.Rendered(self.content_type, [], b'')
        lines = [name + ': ' + value for name, value in fields]
        body = LINE_END.join(lines).encode('utf-8', 'replace')
        return base.Rendered(self.content_type, [], body)


def _latin1(value):
    # WSGI header values are latin-1 str: send non-ASCII text as UTF-8
    # bytes, which is what a client reading UTF-8 headers expects.
    if value.isascii():
        return value
    return value.encode('utf-8', 'replace').decode('latin-1')


class HeaderRenderer(_TextRenderer):
    """text/occi: the fields in HTTP headers, ``OK`` in the body.

    :param media_type: the media type
    :param max_header_value: the longest header value to render
    """

    def __init__(self, media_type='text/occi',
                 max_header_value=MAX_HEADER_VALUE):
        super().__init__(media_type)
        self.content_type = media_type
        self.max_header_value = max_header_value

    def _render(self, fields, ok=False):
        headers = []
        name = None
        batch = []
        size = 0
        limit = self.max_header_value
        for field, value in fields:
            # A location with a comma cannot be told apart from two in a
            # comma list: it gets a header of its own.
            alone = field == 'X-OCCI-Location' and ',' in value
            if (field != name or alone or
                    (batch and size + len(value) + 2 > limit)):
                if batch:
                    headers.append((name, _latin1(', '.join(batch))))
                name, batch, size = field, [], 0
            batch.append(value)
            size += len(value) + 2
            if alone:
                headers.append((name, _latin1(value)))
                name, batch, size = None, [], 0
        if batch:
            headers.append((name, _latin1(', '.join(batch))))
        return base.Rendered(self.content_type, headers, b'OK')
