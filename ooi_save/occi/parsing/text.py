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

"""Reading the text renderings of GFD.229: text/plain, text/occi+plain,
text/occi.

text/plain and text/occi+plain carry the rendering in the body, one field
per line (``Category: ...``, ``Link: ...``, ``X-OCCI-Attribute: ...``,
``X-OCCI-Location: ...``; lines may end with CRLF, LF, LF CR or CR);
text/occi carries the same fields as HTTP
headers, with ``OK`` (or nothing) as the body. What
:mod:`ooi_save.occi.rendering.text` renders is read back here.

Parsing is lenient: header names in any case; repeated headers and comma
lists (commas inside quotes or ``<...>`` do not separate); extra
whitespace; obs-fold continuation lines; trailing ``;``; ``class`` quoted
or not; several type ids in ``rel``; ``location`` on any category;
unquoted token values (erocci's ``allocation=static``) read as strings;
signs and exponents in numbers; unknown parameters ignored. Values are kept
as given (rOCCI's ``deffered`` is the caller's to map).
"""

import re

from ooi_save.occi import categories
from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure
from ooi_save.occi.parsing import base
from ooi_save.occi import requests

# The standard kinds: in a mixin's rel, what the mixin applies to (rOCCI).
_KIND_IDS = frozenset(kind.type_id for kind in infrastructure.KINDS)

_KNOWN_FIELDS = frozenset(['category', 'link', 'x-occi-attribute',
                           'x-occi-location'])
_FIELD_LINE = re.compile(r'[ \t]*([A-Za-z0-9-]+)[ \t]*:(.*)\Z', re.S)
_TOKEN = re.compile(r'''
    [ \t]*
    (?:
        (?P<q>"(?:[^"\\]|\\.)*")      # quoted-string
      | (?P<u><[^>]*>)                # <URI>
      | (?P<s>[;,=])                  # separators
      | (?P<w>[^ \t;,="<]+)           # token
    )''', re.X | re.S)
_SPACE = re.compile(r'[ \t]*\Z')
_UNESCAPE = re.compile(r'\\(.)', re.S)
_INT = re.compile(r'[+-]?[0-9]+\Z')
_FLOAT = re.compile(r'[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?'
                    r'\Z')
_ATTRIBUTE_DEF = re.compile(r'\s*([^\s{}]+)(?:\s*\{([^{}]*)\})?')
_FOLD = re.compile(r'\r?\n[ \t]*')
_COMMA_PART = re.compile(r'"(?:[^"\\]|\\.)*"|<[^>]*>|[^,"<]+|,|["<]', re.S)


class _Field:
    """One field of a text rendering, and where it came from."""

    __slots__ = ('name', 'value', 'where')

    def __init__(self, name, value, where):
        self.name = name
        self.value = value
        self.where = where


def _error(field, message):
    return exceptions.ParseError('%s (%s): %s' % (field.where,
                                                  field.name.title(),
                                                  message))


def _unquote(text):
    text = text[1:-1]
    if '\\' in text:
        text = _UNESCAPE.sub(r'\1', text)
    return text


def _tokens(field):
    value = field.value
    pos = 0
    end = len(value)
    tokens = []
    match = _TOKEN.match
    while pos < end:
        found = match(value, pos)
        if found is None:
            if _SPACE.match(value, pos):
                break
            rest = value[pos:].lstrip()
            if rest.startswith('"'):
                problem = 'unterminated quoted string'
            elif rest.startswith('<'):
                problem = 'unterminated <URI>'
            else:
                problem = 'unexpected character'
            raise _error(field, '%s at column %d of the value: %r'
                         % (problem, pos + 1, rest[:40]))
        kind = found.lastgroup
        tokens.append((kind, found.group(kind), found.start(kind)))
        pos = found.end()
    return tokens


def _items(field):
    """The comma-separated items of a field, each a list of parts.

    A part is ``(name, kind, text)``: ``name`` is None for a bare value;
    ``kind`` is ``q`` (quoted string, still quoted), ``u`` (``<URI>``) or
    ``w`` (token).
    """
    tokens = _tokens(field)
    items = []
    parts = []
    i = 0
    count = len(tokens)
    while i < count:
        kind, text, pos = tokens[i]
        if kind == 's':
            if text == '=':
                raise _error(field, "unexpected '=' at column %d" % (pos + 1))
            if text == ',' and parts:
                items.append(parts)
                parts = []
            i += 1
            continue
        if (kind == 'w' and i + 1 < count and tokens[i + 1][1] == '=' and
                tokens[i + 1][0] == 's'):
            if i + 2 >= count or tokens[i + 2][0] == 's':
                raise _error(field, '%s= has no value (column %d)'
                             % (text, pos + 1))
            value_kind, value_text, _pos = tokens[i + 2]
            parts.append((text.lower(), value_kind, value_text))
            i += 3
        else:
            parts.append((None, kind, text))
            i += 1
        if i < count and not (tokens[i][0] == 's' and tokens[i][1] in ';,'):
            raise _error(field, "expected ';' or ',' before %r (column %d)"
                         % (tokens[i][1][:40], tokens[i][2] + 1))
    if parts:
        items.append(parts)
    return items


def _string(kind, text):
    if kind == 'q':
        return _unquote(text)
    if kind == 'u':
        return text[1:-1]
    return text


def _typed(field, kind, text):
    """An attribute value in the Python type its rendering gives."""
    if kind == 'q':
        return _unquote(text)
    if kind == 'u':
        return text[1:-1]
    lowered = text.lower()
    if lowered == 'true':
        return True
    if lowered == 'false':
        return False
    try:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
    except ValueError:
        # Python refuses to read integers of more than 4300 digits.
        raise _error(field, 'the number %s... is too long' % text[:20])
    # An unquoted token (erocci's allocation=static): a string.
    return text


def _attribute_defs(field, text):
    attributes = []
    pos = 0
    end = len(text)
    while pos < end:
        if not text[pos:].strip():
            break
        found = _ATTRIBUTE_DEF.match(text, pos)
        if found is None:
            raise _error(field, 'cannot read attribute definitions %r'
                         % text[pos:pos + 40])
        name, properties = found.group(1), found.group(2) or ''
        properties = properties.split()
        try:
            attributes.append(categories.Attribute(
                name, mutable='immutable' not in properties,
                required='required' in properties))
        except ValueError as exc:
            raise _error(field, str(exc))
        pos = found.end()
    return attributes


def _category(field, parts):
    name, kind, term = parts[0]
    if name is not None or kind != 'w':
        raise _error(field, 'a category starts with its term, not %r'
                     % (term if name is None else name + '=...'))
    params = {name: (kind, text) for name, kind, text in parts[1:]
              if name is not None}
    if 'scheme' not in params:
        raise _error(field, 'category %s has no scheme' % term)
    scheme = _string(*params['scheme'])
    category_class = None
    if 'class' in params:
        category_class = _string(*params['class']).strip().lower()
        if category_class not in categories.CATEGORY_CLASSES:
            raise _error(field, 'category %s%s: class %r is not kind, mixin '
                         'or action' % (scheme, term, category_class))
    title = _string(*params['title']) if 'title' in params else None
    rel = tuple(_string(*params['rel']).split()) if 'rel' in params else ()
    location = (_string(*params['location']).strip()
                if 'location' in params else None)
    attributes = (_attribute_defs(field, _string(*params['attributes']))
                  if 'attributes' in params else ())
    actions = (tuple(_string(*params['actions']).split())
               if 'actions' in params else ())
    parent = None
    depends = applies = ()
    if category_class == 'kind' and rel:
        parent = rel[0]
    elif category_class == 'mixin':
        # rOCCI renders "depends applies" in rel: standard kinds there are
        # what the mixin applies to.
        depends = tuple(r for r in rel if r not in _KIND_IDS)
        applies = tuple(r for r in rel if r in _KIND_IDS)
    return requests.CategoryRequest(
        scheme, term, category_class=category_class, title=title, rel=rel,
        location=location, attributes=attributes, actions=actions,
        parent=parent, depends=depends, applies=applies)


def _attribute_items(field):
    values = []
    for parts in _items(field):
        if len(parts) != 1 or parts[0][0] is None:
            raise _error(field, 'expected name=value, got %r'
                         % ('; '.join((n + '=' if n else '') + t
                                      for n, k, t in parts))[:60])
        name, kind, text = parts[0]
        values.append((name, _typed(field, kind, text)))
    return values


def _link(field, parts):
    """A Link item: an action link (action type id) or an EntityRequest."""
    name, kind, target = parts[0]
    if name is not None or kind != 'u':
        raise _error(field, 'a link starts with <URI>, not %r' % target)
    target = target[1:-1].strip()
    params = {}
    attributes = {}
    for name, kind, text in parts[1:]:
        if name is None:
            raise _error(field, 'unexpected %r in link <%s>' % (text, target))
        if name in ('rel', 'self', 'category'):
            params[name] = _string(kind, text)
        else:
            attributes[name] = _typed(field, kind, text)
    rel = tuple(params.get('rel', '').split())
    if ('self' not in params and 'category' not in params and
            not attributes and '?action=' in target):
        return rel[0] if rel else None
    categories = params.get('category', '').split()
    attributes.setdefault('occi.core.target', target)
    if len(rel) == 1:
        attributes.setdefault('occi.core.target.kind', rel[0])
    return requests.EntityRequest(
        kind=categories[0] if categories else None, mixins=categories[1:],
        attributes=attributes, location=params.get('self'), rel=rel)


def _locations(field):
    locations = []
    current = []
    for found in _COMMA_PART.finditer(field.value):
        part = found.group()
        if part == ',':
            locations.append(''.join(current))
            current = []
        elif part in ('"', '<'):
            raise _error(field, 'unterminated %s in %r' % (part,
                                                           field.value[:60]))
        else:
            current.append(part)
    locations.append(''.join(current))
    result = []
    for location in locations:
        location = location.strip()
        if location[:1] in ('"', '<') and len(location) > 1:
            location = location[1:-1].strip()
        if location:
            result.append(location)
    return result


def _body_fields(body):
    text = base.body_text(body, 'body')
    if text.startswith('\ufeff'):
        text = text[1:]
    fields = []
    current = None
    for number, line in enumerate(base.body_lines(text), 1):
        stripped = line.strip()
        if not stripped:
            continue
        found = _FIELD_LINE.match(line)
        name = found.group(1).lower() if found else None
        if name in _KNOWN_FIELDS:
            current = _Field(name, found.group(2).strip(), 'line %d' % number)
            fields.append(current)
        elif line[0] in ' \t' and current is not None:
            # An obs-fold continuation of the previous field.
            current.value += ' ' + stripped
        elif found is not None and line[0] not in ' \t':
            # Another header copied into the body (Content-Type...).
            current = None
        elif stripped == 'OK':
            current = None
        else:
            raise exceptions.ParseError(
                'line %d: expected a field "Name: value" (Category, Link, '
                'X-OCCI-Attribute or X-OCCI-Location), got %r'
                % (number, stripped[:60]))
    return fields


def _header_fields(headers):
    fields = []
    for name, value in base.header_items(headers):
        lowered = name.strip().lower()
        if lowered not in _KNOWN_FIELDS:
            continue
        if not isinstance(value, str):
            value = value.decode('latin-1')
        if '\n' in value or '\r' in value:
            value = _FOLD.sub(' ', value)
        if not value.isascii():
            try:
                value = value.encode('latin-1').decode('utf-8')
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        fields.append(_Field(lowered, value.strip(), 'header %s' % name))
    return fields


class _TextParser(base.Parser):

    def _fields(self, headers, body):
        raise NotImplementedError()

    def _categories(self, fields):
        categories = []
        for field in fields:
            if field.name == 'category':
                for parts in _items(field):
                    categories.append((field, _category(field, parts)))
        return categories

    def categories(self, headers, body):
        return [category for _field, category
                in self._categories(self._fields(headers, body))]

    def entity(self, headers, body):
        fields = self._fields(headers, body)
        kind = None
        mixins = []
        for field, category in self._categories(fields):
            if category.category_class == 'kind':
                if kind is not None:
                    raise _error(field, 'an entity has one kind; %s and %s '
                                 'are given' % (kind, category.type_id))
                kind = category.type_id
            elif category.category_class == 'mixin':
                mixins.append(category.type_id)
            elif category.category_class == 'action':
                raise _error(field, 'an entity rendering holds no action '
                             'category (%s); actions are invoked with '
                             'POST ?action=' % category.type_id)
            else:
                raise _error(field, 'category %s has no class (kind or '
                             'mixin)' % category.type_id)
        links = []
        actions = []
        attributes = {}
        for field in fields:
            if field.name == 'link':
                for parts in _items(field):
                    link = _link(field, parts)
                    if isinstance(link, requests.EntityRequest):
                        links.append(link)
                    elif link is not None:
                        actions.append(link)
            elif field.name == 'x-occi-attribute':
                attributes.update(_attribute_items(field))
        return requests.EntityRequest(kind=kind, mixins=mixins,
                                      attributes=attributes, links=links,
                                      actions=actions)

    def action(self, headers, body):
        fields = self._fields(headers, body)
        categories = self._categories(fields)
        if len(categories) != 1:
            raise exceptions.ParseError(
                'An action invocation renders exactly one Category (the '
                'action), got %d.' % len(categories))
        field, category = categories[0]
        if category.category_class not in ('action', None):
            raise _error(field, 'the invoked category %s is a %s, not an '
                         'action' % (category.type_id,
                                     category.category_class))
        attributes = {}
        for field in fields:
            if field.name == 'x-occi-attribute':
                attributes.update(_attribute_items(field))
        return requests.ActionRequest(category.type_id, attributes)

    def locations(self, headers, body):
        locations = []
        for field in self._fields(headers, body):
            if field.name == 'x-occi-location':
                locations.extend(_locations(field))
        return locations


class PlainParser(_TextParser):
    """text/plain and text/occi+plain: the fields are read from the body.

    The body is read as UTF-8 (a BOM is skipped); headers are ignored.
    """

    def _fields(self, headers, body):
        return _body_fields(body)


class HeaderParser(_TextParser):
    """text/occi: the fields are read from the request headers.

    Header values are latin-1 strings as WSGI gives them; values that are
    UTF-8 bytes are read as UTF-8. A body holding the rendering instead
    (a common client mistake) is read when the headers hold none.
    """

    def _fields(self, headers, body):
        fields = _header_fields(headers)
        if not fields and body and body.strip() not in (b'', b'OK', 'OK'):
            fields = _body_fields(body)
        return fields
