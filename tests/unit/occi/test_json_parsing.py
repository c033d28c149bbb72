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

"""The JSON rendering (application/occi+json) as read:
:mod:`ooi_save.occi.parsing.json`."""

import json

import testtools

from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure as infra
from ooi_save.occi.parsing import json as json_parsing
from ooi_save.occi import requests
from tests.unit.occi import utils

PROVIDER_OS = 'http://cloud.example.com/occi/os_tpl#'


class TestParsing(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.parser = json_parsing.JSONParser('application/occi+json')

    def parse(self, method, value):
        body = value if isinstance(value, bytes) else json.dumps(
            value).encode()
        return getattr(self.parser, method)([], body)

    def test_entity(self):
        request = self.parse('entity', {
            'kind': infra.COMPUTE.type_id, 'id': 'c1', 'title': 't',
            'mixins': [PROVIDER_OS + 'img1'],
            'attributes': {'occi.compute.cores': 2},
            'links': [{'kind': infra.NETWORKINTERFACE.type_id, 'id': 'n',
                       'source': {'location': '/compute/c1'},
                       'target': '/network/1'}],
            'location': '/compute/c1'})
        self.assertEqual(infra.COMPUTE.type_id, request.kind)
        self.assertEqual([PROVIDER_OS + 'img1'], request.mixins)
        self.assertEqual({'occi.core.id': 'c1', 'occi.core.title': 't',
                          'occi.compute.cores': 2}, request.attributes)
        self.assertEqual('/compute/c1', request.location)
        link = request.links[0]
        self.assertEqual(('/compute/c1', '/network/1', None),
                         (link.source, link.target, link.target_kind))

    def test_conflicting_id(self):
        error = self.assertRaises(
            exceptions.ParseError, self.parse, 'entity',
            {'kind': 'k', 'id': 'a', 'attributes': {'occi.core.id': 'b'}})
        self.assertIn("\"id\" is 'a' but attribute occi.core.id is 'b'",
                      str(error))

    def test_action(self):
        request = self.parse('action', {'action': 'http://e.com/a#b'})
        self.assertEqual(requests.ActionRequest('http://e.com/a#b', {}),
                         request)

    def test_categories_collection_with_type_ids(self):
        categories = self.parse('categories', json.loads(
            utils.data('rocci-core-5/categories.json')))
        self.assertEqual(
            ['http://schemas.ogf.org/occi/infrastructure/network#ipnetwork',
             'http://schemas.ogf.org/occi/infrastructure/networkinterface#'
             'ipnetworkinterface',
             infra.OS_TPL.type_id, infra.RESOURCE_TPL.type_id],
            [c.type_id for c in categories])
        self.assertEqual({'mixin'}, {c.category_class for c in categories})

    def test_user_mixin(self):
        category, = self.parse('categories', {
            'scheme': 'http://example.com/tags#', 'term': 'mine',
            'location': '/tags/mine/'})
        self.assertEqual('mixin', category.category_class)
        self.assertEqual('/tags/mine/', category.location)

    def test_rocci_attribute_descriptions(self):
        model = json.loads(utils.data('rocci-core-5/model.json'))
        categories = self.parse('categories', model)
        save = [c for c in categories
                if c.type_id == infra.COMPUTE_SAVE.type_id][0]
        method = save.attributes[0]
        self.assertEqual(('method', 'deffered', '(?-mix:^(hot|deffered)$)'),
                         (method.name, method.default, method.pattern))

    def test_locations(self):
        self.assertEqual(['/a', '/b', '/c'], self.parse('locations', {
            'resources': [{'location': '/a'}, {'id': '/b'}, '/c']}))
        self.assertEqual(['/a'], self.parse('locations', ['/a']))


class TestParseErrors(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.parser = json_parsing.JSONParser('application/occi+json')

    def assertParseError(self, method, body, *fragments):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        error = self.assertRaises(exceptions.ParseError,
                                  getattr(self.parser, method), [], body)
        self.assertEqual(400, error.code)
        for fragment in fragments:
            self.assertIn(fragment, str(error))

    def test_malformed(self):
        self.assertParseError('entity', b'{"kind": "x",}',
                              'Malformed JSON at line 1 column 14')

    def test_empty(self):
        self.assertParseError('action', b'  ', 'empty')

    def test_not_utf8(self):
        self.assertParseError('entity', b'{"kind": "\xff"}', 'not UTF-8')

    def test_nan_is_not_json(self):
        self.assertParseError('entity', b'{"kind": NaN}', 'NaN')

    def test_wrong_types(self):
        self.assertParseError('entity', [], 'must be an object, got an array')
        self.assertParseError('entity', {'kind': 3},
                              '"kind" must be a string, got a number')
        self.assertParseError('entity', {'kind': 'k', 'mixins': 'm'},
                              '"mixins" must be an array of strings')
        self.assertParseError('entity', {'kind': 'k', 'mixins': [1]},
                              '"mixins" items must be strings')
        self.assertParseError('entity', {'kind': 'k', 'attributes': []},
                              '"attributes" must be an object')
        self.assertParseError('entity', {'kind': 'k', 'links': [3]},
                              'link 1 must be an object')
        self.assertParseError('entity', {'kind': 'k', 'target': {}},
                              '"target" has no "location"')
        self.assertParseError('action', {'action': ['x']},
                              '"action" must be a string')
        self.assertParseError('categories', {'mixins': [{'term': 'x'}]},
                              'mixins 1 needs a "scheme" and a "term"')
        self.assertParseError(
            'categories', {'kinds': [{'scheme': 's#', 'term': 't',
                                      'attributes': {'a': {'type': 'x'}}}]},
            "attribute a: type 'x' is not one of")
        self.assertParseError(
            'categories', {'kinds': [{'scheme': 's#', 'term': 't',
                                      'attributes': {'': {}}}]},
            'needs a name')
        self.assertParseError('locations', {'resources': [{'kind': 'k'}]},
                              'Location 1 must be a string, got null')

    def test_not_what_was_asked(self):
        self.assertParseError('entity', {'action': 'x'},
                              'is an action invocation')
        self.assertParseError('entity', {'resources': []}, 'collection')
        self.assertParseError('action', {'kind': 'x'}, 'no "action"')
        self.assertParseError('categories', {'kind': 'x'},
                              'No category rendering')
