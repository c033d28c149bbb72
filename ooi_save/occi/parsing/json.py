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

"""Reading the JSON rendering of GFD.225: application/occi+json.

``application/json`` is read the same way. Bodies are UTF-8 JSON (NaN and
the infinities are refused); every malformed or mistyped member raises
:class:`~ooi_save.occi.exceptions.ParseError` naming where it is.

Parsing accepts what peers send: ``pattern`` as a string (rOCCI), Core
type names (``List``, ``Hash``), a ``location`` on entities (erocci), a
``source``/``target`` given as a plain string, type id strings in
category collections (rOCCI's filter ``{"mixins": ["...#os_tpl"]}``).
"""

import json

from ooi_save.occi import categories
from ooi_save.occi import exceptions
from ooi_save.occi.parsing import base
from ooi_save.occi import requests

_TYPE_ALIASES = {
    'string': 'string', 'number': 'number', 'integer': 'integer',
    'boolean': 'boolean', 'array': 'array', 'object': 'object',
    'float': 'number', 'int': 'integer', 'bool': 'boolean',
    'list': 'array', 'hash': 'object', 'enum': 'string',
}


def _reject_constant(name):
    raise ValueError('%s is not JSON' % name)


def _load(body):
    if isinstance(body, str):
        body = body.encode('utf-8', 'surrogatepass')
    if not body or not body.strip():
        raise exceptions.ParseError(
            'The request body is empty: a JSON rendering was expected.')
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise exceptions.ParseError(
            'Malformed JSON at line %d column %d: %s.'
            % (exc.lineno, exc.colno, exc.msg))
    except UnicodeDecodeError as exc:
        raise exceptions.ParseError(
            'The JSON body is not UTF-8 text (byte %d).' % exc.start)
    except (ValueError, RecursionError) as exc:
        raise exceptions.ParseError('Malformed JSON: %s.' % exc)


def _kind_name(value):
    return {dict: 'an object', list: 'an array', str: 'a string',
            bool: 'a boolean', int: 'a number', float: 'a number',
            type(None): 'null'}.get(type(value), type(value).__name__)


def _wrong(where, expected, value):
    return exceptions.ParseError('%s must be %s, got %s.'
                                 % (where, expected, _kind_name(value)))


def _object(value, where):
    if not isinstance(value, dict):
        raise _wrong(where, 'an object', value)
    return value


def _string(value, where):
    if not isinstance(value, str):
        raise _wrong(where, 'a string', value)
    return value


def _optional_object(obj, key, where):
    value = obj.get(key)
    if value is None:
        return {}
    return _object(value, '%s "%s"' % (where, key))


def _optional_string(obj, key, where):
    value = obj.get(key)
    if value is None:
        return None
    return _string(value, '%s "%s"' % (where, key))


def _strings(obj, key, where):
    value = obj.get(key)
    if value is None:
        return []
    name = '%s "%s"' % (where, key)
    if not isinstance(value, list):
        raise _wrong(name, 'an array of strings', value)
    for item in value:
        if not isinstance(item, str):
            raise _wrong(name + ' items', 'strings', item)
    return list(value)


def _kinded_uri(value, where):
    if isinstance(value, str):
        return value, None
    value = _object(value, where)
    location = value.get('location')
    if location is None:
        raise exceptions.ParseError('%s has no "location".' % where)
    return (_string(location, where + ' "location"'),
            _optional_string(value, 'kind', where))


def _entity(obj, where):
    obj = _object(obj, where)
    if 'kind' not in obj:
        for key, what in (('resources', 'a collection'),
                          ('links', 'a collection'),
                          ('action', 'an action invocation'),
                          ('term', 'a category'), ('kinds', 'a model'),
                          ('mixins', 'a model')):
            if key in obj and (key != 'mixins' or (
                    isinstance(obj['mixins'], list) and any(
                        isinstance(m, dict) for m in obj['mixins']))):
                raise exceptions.ParseError(
                    '%s is %s; an entity was expected.' % (where, what))
    kind = _optional_string(obj, 'kind', where)
    attributes = dict(_optional_object(obj, 'attributes', where))
    for key, name in (('id', 'occi.core.id'), ('title', 'occi.core.title'),
                      ('summary', 'occi.core.summary')):
        if obj.get(key) is None:
            continue
        value = obj[key]
        if key == 'id' and isinstance(value, int) and not isinstance(
                value, bool):
            value = str(value)
        value = _string(value, '%s "%s"' % (where, key))
        if attributes.get(name, value) != value:
            raise exceptions.ParseError(
                '%s: "%s" is %r but attribute %s is %r.'
                % (where, key, value, name, attributes[name]))
        attributes[name] = value
    for key in ('source', 'target'):
        if obj.get(key) is None:
            continue
        location, kind_id = _kinded_uri(obj[key], '%s "%s"' % (where, key))
        attributes['occi.core.' + key] = location
        if kind_id is not None:
            attributes['occi.core.%s.kind' % key] = kind_id
    links = obj.get('links')
    if links is None:
        links = []
    if not isinstance(links, list):
        raise _wrong(where + ' "links"', 'an array of links', links)
    links = [_entity(link, '%s link %d' % (where, number))
             for number, link in enumerate(links, 1)]
    return requests.EntityRequest(
        kind=kind, mixins=_strings(obj, 'mixins', where),
        attributes=attributes, links=links,
        location=_optional_string(obj, 'location', where),
        actions=_strings(obj, 'actions', where))


def _attribute(name, value, where):
    where = '%s attribute %s' % (where, name)
    value = _object(value, where)
    raw_type = value.get('type', 'string')
    if not isinstance(raw_type, str) or raw_type.lower() not in _TYPE_ALIASES:
        raise exceptions.ParseError(
            '%s: type %r is not one of string, number, boolean, array, '
            'object.' % (where, raw_type))
    attribute_type = _TYPE_ALIASES[raw_type.lower()]
    flags = {}
    for flag in ('mutable', 'required'):
        flags[flag] = value.get(flag, False)
        if not isinstance(flags[flag], bool):
            raise _wrong('%s "%s"' % (where, flag), 'true or false',
                         flags[flag])
    pattern = value.get('pattern')
    regex = enum = None
    if isinstance(pattern, str):
        regex = pattern
    elif isinstance(pattern, dict):
        if pattern.get('type') == 'integer' and attribute_type == 'number':
            attribute_type = 'integer'
        if pattern.get('pattern') is not None:
            regex = _string(pattern['pattern'], where + ' pattern')
        if pattern.get('enum') is not None:
            enum = pattern['enum']
            if not isinstance(enum, list) or not all(
                    isinstance(item, str) for item in enum):
                raise _wrong(where + ' pattern "enum"', 'an array of strings',
                             enum)
    elif pattern is not None:
        raise _wrong(where + ' "pattern"', 'an object', pattern)
    try:
        return categories.Attribute(
            name, type=attribute_type, mutable=flags['mutable'],
            required=flags['required'], pattern=regex,
            default=value.get('default'),
            description=_optional_string(value, 'description', where),
            enum=enum)
    except ValueError as exc:
        raise exceptions.ParseError('%s: %s' % (where, exc))


def _category(obj, category_class, where):
    if isinstance(obj, str):
        # A bare type id (rOCCI's filters).
        scheme, term = categories.split_type_id(obj)
        return requests.CategoryRequest(scheme, term,
                                        category_class=category_class)
    obj = _object(obj, where)
    scheme = obj.get('scheme')
    term = obj.get('term')
    if scheme is None or term is None:
        raise exceptions.ParseError('%s needs a "scheme" and a "term".'
                                    % where)
    scheme = _string(scheme, where + ' "scheme"')
    term = _string(term, where + ' "term"')
    where = '%s %s%s' % (where, scheme, term)
    if category_class is None:
        # A lone category object does not say its class: guess from what
        # only one class has.
        if 'depends' in obj or 'applies' in obj or 'location' in obj:
            category_class = 'mixin'
        if 'parent' in obj:
            category_class = 'kind'
    attributes = _optional_object(obj, 'attributes', where)
    attributes = tuple(_attribute(name, value, where)
                       for name, value in attributes.items())
    parent = _optional_string(obj, 'parent', where)
    depends = _strings(obj, 'depends', where)
    return requests.CategoryRequest(
        scheme, term, category_class=category_class,
        title=_optional_string(obj, 'title', where),
        rel=(parent,) if parent else depends,
        location=_optional_string(obj, 'location', where),
        attributes=attributes, actions=_strings(obj, 'actions', where),
        parent=parent, depends=depends,
        applies=_strings(obj, 'applies', where))


class JSONParser(base.Parser):
    """application/occi+json (and application/json) request bodies."""

    def entity(self, headers, body):
        return _entity(_load(body), 'The entity')

    def action(self, headers, body):
        obj = _object(_load(body), 'The action invocation')
        action = obj.get('action')
        if action is None:
            raise exceptions.ParseError(
                'The action invocation has no "action" (the action type '
                'id).')
        action = _string(action, 'The action invocation "action"')
        attributes = _optional_object(obj, 'attributes',
                                      'The action invocation')
        return requests.ActionRequest(action, attributes)

    def categories(self, headers, body):
        obj = _object(_load(body), 'The category rendering')
        if 'term' in obj or 'scheme' in obj:
            return [_category(obj, None, 'The category')]
        if not any(key in obj for key in ('kinds', 'mixins', 'actions')):
            raise exceptions.ParseError(
                'No category rendering: expected a kind, mixin or action '
                'object, or an object of "kinds", "mixins", "actions".')
        categories = []
        for key, category_class in (('kinds', 'kind'), ('mixins', 'mixin'),
                                    ('actions', 'action')):
            items = obj.get(key)
            if items is None:
                items = []
            if not isinstance(items, list):
                raise _wrong('"%s"' % key, 'an array', items)
            categories.extend(
                _category(item, category_class, '%s %d' % (key, number))
                for number, item in enumerate(items, 1))
        return categories

    def entities(self, headers, body):
        """``{"resources": [...], "links": [...]}``, entities in full.

        A ``{"locations": [...]}`` listing gives entities with a location
        only.
        """
        obj = _object(_load(body), 'The collection')
        if 'locations' in obj:
            return super().entities(headers, body)
        result = []
        for key in ('resources', 'links'):
            items = obj.get(key)
            if items is None:
                items = []
            if not isinstance(items, list):
                raise _wrong('"%s"' % key, 'an array', items)
            result.extend(_entity(item, '%s %d' % (key, number))
                          for number, item in enumerate(items, 1))
        return result

    def error(self, headers, body):
        """``{"error": {"code": ..., "message": ..., "request_id": ...}}``.

        A body that is not such an object is read as text.
        """
        try:
            error = json.loads(body).get('error')
            message = error['message']
        except (ValueError, TypeError, AttributeError, KeyError):
            return super().error(headers, body)
        request_id = error.get('request_id')
        return str(message), (str(request_id) if request_id else None)

    def locations(self, headers, body):
        obj = _load(body)
        if isinstance(obj, dict):
            items = []
            for key in ('locations', 'resources', 'links'):
                value = obj.get(key)
                if value is None:
                    value = []
                if not isinstance(value, list):
                    raise _wrong('"%s"' % key, 'an array', value)
                items.extend(value)
        elif isinstance(obj, list):
            items = obj
        else:
            raise _wrong('The listing', 'an object or an array', obj)
        locations = []
        for number, item in enumerate(items, 1):
            if isinstance(item, dict):
                item = item.get('location', item.get('id'))
            locations.append(_string(item, 'Location %d' % number))
        return locations
