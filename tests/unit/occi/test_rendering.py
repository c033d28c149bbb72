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

import testtools

from ooi_save.occi import entities
from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure as infra
from ooi_save.occi import parsing
from ooi_save.occi import rendering
from ooi_save.occi.rendering import urilist


class TestRegistry(testtools.TestCase):

    def test_default_first(self):
        self.assertEqual('text/plain', rendering.RENDERED_TYPES[0])
        self.assertEqual(
            {'text/plain', 'text/occi+plain', 'text/occi',
             'application/occi+json', 'application/json', 'text/uri-list'},
            set(rendering.RENDERED_TYPES))
        self.assertEqual(set(rendering.RENDERED_TYPES),
                         set(parsing.PARSED_TYPES))

    def test_every_type_has_both(self):
        for media_type in rendering.RENDERED_TYPES:
            renderer = rendering.renderer_for(media_type)
            self.assertIsInstance(renderer, rendering.Renderer)
            self.assertEqual(media_type, renderer.media_type)
        for media_type in parsing.PARSED_TYPES:
            parser = parsing.parser_for(media_type)
            self.assertIsInstance(parser, parsing.Parser)
            self.assertEqual(media_type, parser.media_type)

    def test_parameters_and_case_ignored(self):
        self.assertIs(rendering.renderer_for('text/occi'),
                      rendering.renderer_for('Text/OCCI; charset=utf-8'))
        self.assertIs(parsing.parser_for('application/occi+json'),
                      parsing.parser_for('application/occi+json; q=1'))

    def test_unknown_types(self):
        error = self.assertRaises(exceptions.NotAcceptable,
                                  rendering.renderer_for, 'text/html')
        self.assertEqual(406, error.code)
        self.assertIn('text/html', str(error))
        error = self.assertRaises(exceptions.UnsupportedMediaType,
                                  parsing.parser_for, 'application/xml')
        self.assertEqual(415, error.code)
        self.assertRaises(exceptions.NotAcceptable, rendering.renderer_for,
                          None)

    def test_content_types(self):
        expected = {
            'text/plain': 'text/plain; charset=utf-8',
            'text/occi+plain': 'text/occi+plain; charset=utf-8',
            'text/occi': 'text/occi',
            'application/occi+json': 'application/occi+json',
            'application/json': 'application/json',
            'text/uri-list': 'text/uri-list',
        }
        for media_type, content_type in expected.items():
            rendered = rendering.renderer_for(media_type).locations(['/a'])
            self.assertEqual(content_type, rendered.content_type)


class TestUriList(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.renderer = rendering.renderer_for('text/uri-list')
        self.parser = parsing.parser_for('text/uri-list')

    def test_locations(self):
        rendered = self.renderer.locations(['http://h/compute/1',
                                            'http://h/compute/2'])
        self.assertEqual(b'http://h/compute/1\r\nhttp://h/compute/2\r\n',
                         rendered.body)
        self.assertEqual(b'', self.renderer.locations([]).body)

    def test_entities(self):
        resources = [entities.Resource(infra.COMPUTE, str(n),
                                       location='/compute/%d' % n)
                     for n in range(3)]
        self.assertEqual(b'/compute/0\r\n/compute/1\r\n/compute/2\r\n',
                         self.renderer.entities(resources).body)

    def test_not_listings(self):
        self.assertTrue(self.renderer.listings_only)
        self.assertFalse(rendering.renderer_for('text/plain').listings_only)
        resource = entities.Resource(infra.COMPUTE, '1')
        for call in (lambda: self.renderer.categories(infra.model()),
                     lambda: self.renderer.entity(resource),
                     lambda: self.renderer.mixin(infra.OS_TPL),
                     lambda: self.renderer.invocation(infra.COMPUTE_START),
                     self.renderer.ok,
                     lambda: self.renderer.error(404, 'x')):
            error = self.assertRaises(exceptions.NotListing, call)
            self.assertEqual(400, error.code)
            self.assertIn('text/uri-list renders only listings', str(error))

    def test_parse(self):
        body = (b'# a comment\r\nhttp://h/compute/1\r\n\r\n'
                b'  /compute/2  \n')
        self.assertEqual(['http://h/compute/1', '/compute/2'],
                         self.parser.locations([], body))

    def test_parse_every_line_end(self):
        for end in ('\r\n', '\n', '\n\r', '\r'):
            body = end.join(['# a comment', 'http://h/compute/1', '',
                             '/compute/2']) + end
            self.assertEqual(['http://h/compute/1', '/compute/2'],
                             self.parser.locations([], body.encode()),
                             repr(end))

    def test_parse_errors(self):
        error = self.assertRaises(exceptions.ParseError,
                                  self.parser.locations, [], b'/a b\n')
        self.assertIn('line 1', str(error))
        self.assertRaises(exceptions.ParseError, self.parser.locations, [],
                          b'\xff')
        for method in ('entity', 'action', 'categories'):
            error = self.assertRaises(exceptions.UnsupportedMediaType,
                                      getattr(self.parser, method), [],
                                      b'/a')
            self.assertEqual(415, error.code)

    def test_module_media_type(self):
        self.assertEqual('text/uri-list', urilist.MEDIA_TYPE)


class TestExceptions(testtools.TestCase):

    def test_codes_and_messages(self):
        for cls, code in ((exceptions.OCCIError, 500),
                          (exceptions.ParseError, 400),
                          (exceptions.UnsupportedMediaType, 415),
                          (exceptions.NotAcceptable, 406),
                          (exceptions.NotListing, 400)):
            self.assertTrue(issubclass(cls, exceptions.OCCIError))
            self.assertEqual(code, cls.code)
            self.assertEqual('precise', str(cls('precise')))
            self.assertNotEqual('', str(cls()))
