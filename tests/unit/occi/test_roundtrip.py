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

"""Property tests: render, parse back, get what was rendered.

Generated entities (resources with links, mixins, actions and attributes of
every type), categories, invocations and listings go through every
rendering and come back as the request objects a client's rendering would
give. Random and garbled input never raises anything but a 4xx OCCIError.
"""

import json
import math
import os

import hypothesis
from hypothesis import strategies as st
import testtools

from ooi_save.occi import categories
from ooi_save.occi import entities as occi_entities
from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure as infra
from ooi_save.occi import parsing
from ooi_save.occi import rendering
from ooi_save.occi import requests
from tests.unit.occi import strategies
from tests.unit.occi import utils

# OCCI_HYPOTHESIS_EXAMPLES=5000 makes a deeper (slower) run.
SETTINGS = hypothesis.settings(
    max_examples=int(os.environ.get('OCCI_HYPOTHESIS_EXAMPLES', 150)),
    deadline=None, database=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow,
                           hypothesis.HealthCheck.data_too_large])

TEXT_TYPES = ('text/plain', 'text/occi+plain', 'text/occi')
JSON_TYPES = ('application/occi+json', 'application/json')


def _family(media_type):
    return 'json' if media_type in JSON_TYPES else 'text'


def _wsgi_join(headers):
    """Headers as WSGI gives them: repeated ones joined with ", "."""
    joined = {}
    for name, value in headers:
        joined[name] = joined[name] + ', ' + value if name in joined else value
    return list(joined.items())


def _round_trip(media_type, method, rendered, wsgi=False):
    parser = parsing.parser_for(media_type)
    headers = _wsgi_join(rendered.headers) if wsgi else rendered.headers
    return getattr(parser, method)(headers, rendered.body)


def _typed(value):
    """A value with its types spelled out: True must not equal 1."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_typed(item) for item in value]
    if isinstance(value, (requests.EntityRequest, requests.CategoryRequest,
                          requests.ActionRequest)):
        return (type(value).__name__, _typed(vars(value)))
    if isinstance(value, categories.Attribute):
        return ('Attribute', _typed({name: getattr(value, name)
                                     for name in value.__slots__}))
    return (type(value).__name__, value)


def _value(value, family):
    # Text has no list or dict values: they travel as JSON text.
    if family == 'text' and isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(',', ':'))
    return value


def _values(pairs, family):
    return {name: _value(value, family) for name, value in pairs
            if value is not None}


def _type_id(value):
    return categories.type_id_of(value)


def expected_link(link, resource, family):
    """What a parser gives for a link rendered in a resource."""
    mixins = [m.type_id for m in link.mixins]
    if family == 'text':
        pairs = link.core_attributes()
        if link.source is None:
            pairs.append(('occi.core.source', resource.location))
        attributes = _values(pairs + list(link.attributes.items()), family)
        target_kind = _type_id(link.target_kind) or infra.RESOURCE.type_id
        attributes.setdefault('occi.core.target.kind', target_kind)
        return requests.EntityRequest(
            kind=link.kind.type_id, mixins=mixins, attributes=attributes,
            location=link.location, rel=(target_kind,))
    attributes = _values(link.attributes.items(), family)
    attributes['occi.core.id'] = link.id
    if link.title is not None:
        attributes['occi.core.title'] = link.title
    source, source_kind = link.source, link.source_kind
    if source is None and resource is not None:
        # The resource rendering the link is its source.
        source = resource.location
        source_kind = source_kind or resource.kind
    attributes['occi.core.source'] = source
    if source_kind is not None:
        attributes['occi.core.source.kind'] = _type_id(source_kind)
    attributes['occi.core.target'] = link.target
    if link.target_kind is not None:
        attributes['occi.core.target.kind'] = _type_id(link.target_kind)
    return requests.EntityRequest(
        kind=link.kind.type_id, mixins=mixins, attributes=attributes,
        actions=[a.type_id for a in link.actions])


def expected_entity(entity, family):
    """What a parser gives for an entity rendering."""
    if isinstance(entity, occi_entities.Link) and family == 'json':
        return expected_link(entity, None, family)
    pairs = entity.core_attributes() + list(entity.attributes.items())
    return requests.EntityRequest(
        kind=entity.kind.type_id, mixins=[m.type_id for m in entity.mixins],
        attributes=_values(pairs, family),
        links=[expected_link(link, entity, family)
               for link in getattr(entity, 'links', ())],
        actions=[a.type_id for a in entity.actions])


def _json_default(default):
    if isinstance(default, float) and not math.isfinite(default):
        return None
    return default if isinstance(default, (str, bool, int, float)) else None


def expected_category(category, family):
    """What a parser gives for a category rendering."""
    kind = isinstance(category, categories.Kind)
    mixin = isinstance(category, categories.Mixin)
    actions = tuple(a.type_id for a in getattr(category, 'actions', ()))
    parent = category.parent.type_id if kind and category.parent else None
    if family == 'text':
        first = category.depends[0].type_id if mixin and category.depends \
            else None
        return requests.CategoryRequest(
            category.scheme, category.term,
            category_class=category.category_class, title=category.title,
            rel=tuple(r for r in (parent, first) if r),
            location=category.location,
            attributes=tuple(categories.Attribute(a.name, mutable=a.mutable,
                                                  required=a.required)
                             for a in category.attributes),
            actions=actions, parent=parent,
            depends=(first,) if first else ())
    depends = tuple(m.type_id for m in category.depends) if mixin else ()
    location = category.location
    if mixin and location is None:
        location = ''
    return requests.CategoryRequest(
        category.scheme, category.term,
        category_class=category.category_class, title=category.title,
        rel=(parent,) if parent else depends, location=location,
        attributes=tuple(a.replace(default=_json_default(a.default))
                         for a in category.attributes),
        actions=actions, parent=parent, depends=depends,
        applies=tuple(k.type_id for k in category.applies) if mixin else ())


class TestRoundTrips(testtools.TestCase):

    def assertSame(self, expected, actual):
        self.assertEqual(_typed(expected), _typed(actual))

    @SETTINGS
    @hypothesis.given(strategies.resources())
    def test_resource(self, resource):
        for media_type in TEXT_TYPES + JSON_TYPES:
            renderer = rendering.renderer_for(media_type)
            rendered = renderer.entity(resource)
            expected = expected_entity(resource, _family(media_type))
            self.assertSame(expected,
                            _round_trip(media_type, 'entity', rendered))
            if media_type == 'text/occi':
                self.assertSame(expected, _round_trip(
                    media_type, 'entity', rendered, wsgi=True))
            if media_type in JSON_TYPES:
                self.assertEqual([], utils.schema_errors(
                    json.loads(rendered.body), 'resource'))

    @SETTINGS
    @hypothesis.given(strategies.links())
    def test_link(self, link):
        for media_type in TEXT_TYPES + JSON_TYPES:
            rendered = rendering.renderer_for(media_type).entity(link)
            expected = expected_entity(link, _family(media_type))
            self.assertSame(expected,
                            _round_trip(media_type, 'entity', rendered))
            if media_type in JSON_TYPES:
                self.assertEqual([], utils.schema_errors(
                    json.loads(rendered.body), 'link'))

    @SETTINGS
    @hypothesis.given(st.lists(strategies.resources(), max_size=3) |
                      st.lists(strategies.links(), max_size=3))
    def test_collection(self, entities):
        for media_type in TEXT_TYPES + ('text/uri-list',):
            rendered = rendering.renderer_for(media_type).entities(entities)
            self.assertEqual([e.location for e in entities
                              if e.location is not None],
                             _round_trip(media_type, 'locations', rendered))
        for media_type in JSON_TYPES:
            rendered = rendering.renderer_for(media_type).entities(entities)
            value = json.loads(rendered.body)
            links = [e for e in entities if isinstance(e, occi_entities.Link)]
            self.assertEqual([], utils.schema_errors(
                value, 'link_collection' if links else
                'resource_collection'))
            parser = parsing.parser_for(media_type)
            key = 'links' if links else 'resources'
            self.assertSame(
                [expected_entity(e, 'json') for e in entities],
                [parser.entity([], json.dumps(item).encode())
                 for item in value[key]])

    @SETTINGS
    @hypothesis.given(st.lists(strategies.URLS, max_size=5))
    def test_locations(self, locations):
        for media_type in rendering.RENDERED_TYPES:
            rendered = rendering.renderer_for(media_type).locations(
                locations)
            self.assertEqual(locations, _round_trip(media_type, 'locations',
                                                    rendered))
            self.assertEqual(locations, _round_trip(media_type, 'locations',
                                                    rendered, wsgi=True))

    @SETTINGS
    @hypothesis.given(strategies.collections())
    def test_categories(self, collection):
        collection = infra.model('http://h', kinds=collection.kinds,
                                 mixins=collection.mixins,
                                 actions=collection.actions)
        for media_type in TEXT_TYPES + JSON_TYPES:
            family = _family(media_type)
            rendered = rendering.renderer_for(media_type).categories(
                collection)
            expected = [expected_category(c, family) for c in collection]
            self.assertSame(expected, _round_trip(media_type, 'categories',
                                                  rendered))
            if media_type == 'text/occi':
                self.assertSame(expected, _round_trip(
                    media_type, 'categories', rendered, wsgi=True))
            if family == 'json':
                self.assertEqual([], utils.schema_errors(
                    json.loads(rendered.body), 'model'))

    @SETTINGS
    @hypothesis.given(strategies.collections())
    def test_single_mixin(self, collection):
        for mixin in collection.mixins:
            for media_type in TEXT_TYPES + JSON_TYPES:
                family = _family(media_type)
                rendered = rendering.renderer_for(media_type).mixin(mixin)
                self.assertSame([expected_category(mixin, family)],
                                _round_trip(media_type, 'categories',
                                            rendered))
                if family == 'json':
                    self.assertEqual([], utils.schema_errors(
                        json.loads(rendered.body), 'mixin'))

    @SETTINGS
    @hypothesis.given(strategies.actions() |
                      st.sampled_from(infra.ACTIONS),
                      strategies.ATTRIBUTE_VALUES)
    def test_invocation(self, action, attributes):
        for media_type in TEXT_TYPES + JSON_TYPES:
            family = _family(media_type)
            rendered = rendering.renderer_for(media_type).invocation(
                action, attributes)
            self.assertSame(
                requests.ActionRequest(action.type_id,
                                       _values(attributes.items(), family)),
                _round_trip(media_type, 'action', rendered))
            if family == 'json':
                self.assertEqual([], utils.schema_errors(
                    json.loads(rendered.body), 'action_invocation'))


_METHODS = ('entity', 'action', 'categories', 'locations')
_GRAMMAR = ('Category: Link: X-OCCI-Attribute: X-OCCI-Location: scheme= '
            'class= kind mixin action rel= self= category= location= '
            'attributes= actions= title= {immutable required} '
            'http://e.com/a#b <> ; , = " \\ \t \r \n 1.5 -2 true false OK '
            '\u00e9\u2601')


def _parse_anything(media_type, headers, body):
    """Parse with every method; anything but a 4xx OCCIError fails."""
    parser = parsing.parser_for(media_type)
    for method in _METHODS:
        try:
            getattr(parser, method)(headers, body)
        except exceptions.OCCIError as exc:
            if not 400 <= exc.code < 500:
                raise AssertionError('%s %s: %d %s' % (media_type, method,
                                                       exc.code, exc))


_GRAMMAR_TEXT = st.lists(st.sampled_from(_GRAMMAR.split(' ')) |
                         st.text(max_size=3), max_size=30).map(''.join)
_JSON_DOCUMENTS = st.recursive(
    st.none() | strategies.SCALARS | st.sampled_from(
        ['kind', 'http://e.com/a#b', 'term', 'scheme']),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(['kind', 'id', 'title', 'summary', 'mixins',
                         'attributes', 'actions', 'links', 'source',
                         'target', 'location', 'action', 'kinds', 'mixins',
                         'term', 'scheme', 'parent', 'depends', 'applies',
                         'type', 'mutable', 'required', 'pattern',
                         'default', 'enum', 'resources', 'locations',
                         'occi.core.id']) | st.text(max_size=4),
        children, max_size=5),
    max_leaves=20)


class TestGarbage(testtools.TestCase):

    @SETTINGS
    @hypothesis.given(st.binary(max_size=300))
    def test_random_bytes(self, body):
        for media_type in parsing.PARSED_TYPES:
            _parse_anything(media_type, [], body)

    @SETTINGS
    @hypothesis.given(_GRAMMAR_TEXT)
    def test_random_text(self, body):
        for media_type in parsing.PARSED_TYPES:
            _parse_anything(media_type, [], body.encode('utf-8'))

    @SETTINGS
    @hypothesis.given(st.lists(st.tuples(
        st.sampled_from(['Category', 'Link', 'X-OCCI-Attribute',
                         'x-occi-location', 'Accept', 'CATEGORY']),
        _GRAMMAR_TEXT), max_size=6))
    def test_random_headers(self, headers):
        # WSGI header values are latin-1 strings.
        headers = [(name, value.encode('utf-8').decode('latin-1'))
                   for name, value in headers]
        _parse_anything('text/occi', headers, b'OK')

    @SETTINGS
    @hypothesis.given(_JSON_DOCUMENTS)
    def test_random_json(self, document):
        body = json.dumps(document).encode('utf-8')
        _parse_anything('application/occi+json', [], body)

    @SETTINGS
    @hypothesis.given(strategies.resources(),
                      st.randoms(use_true_random=False),
                      st.text(max_size=4))
    def test_garbled_renderings(self, resource, rand, noise):
        for media_type in TEXT_TYPES + JSON_TYPES:
            rendered = rendering.renderer_for(media_type).entity(resource)
            body = bytearray(rendered.body)
            headers = list(rendered.headers)
            if headers:
                number = rand.randrange(len(headers))
                name, value = headers[number]
                start = rand.randrange(len(value) + 1)
                end = start + rand.randrange(5)
                headers[number] = (name, value[:start] + noise + value[end:])
            else:
                start = rand.randrange(len(body) + 1)
                end = start + rand.randrange(5)
                body[start:end] = noise.encode('utf-8')
            _parse_anything(media_type, headers, bytes(body))


class TestParseAnything(testtools.TestCase):
    """The helper of TestGarbage lets only 4xx OCCIErrors through."""

    def test_server_errors_fail(self):
        parser = parsing.parser_for('text/plain')

        def broken(headers, body):
            raise exceptions.OCCIError('boom')

        parser.entity = broken
        self.addCleanup(delattr, parser, 'entity')
        self.assertRaises(AssertionError, _parse_anything, 'text/plain',
                          [], b'')

    def test_other_exceptions_fail(self):
        parser = parsing.parser_for('text/plain')

        def broken(headers, body):
            raise KeyError('boom')

        parser.action = broken
        self.addCleanup(delattr, parser, 'action')
        self.assertRaises(KeyError, _parse_anything, 'text/plain', [], b'')
