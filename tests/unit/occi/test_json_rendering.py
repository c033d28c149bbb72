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

"""The JSON rendering (application/occi+json) as written:
:mod:`ooi_save.occi.rendering.json`."""

import json

import testtools

from ooi_save.occi import categories
from ooi_save.occi import collections
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra
from ooi_save.occi.rendering import json as json_rendering
from tests.unit.occi import utils

ROOT = 'http://cloud.example.com/occi1.2'
PROVIDER_OS = 'http://cloud.example.com/occi/os_tpl#'


def _template(term='img1', attributes=()):
    return infra.os_tpl_mixin(PROVIDER_OS, term, 'Debian 12',
                              '%s/os_tpl/%s/' % (ROOT, term),
                              attributes=attributes)


def _compute(**kwargs):
    values = dict(
        title='my vm', summary='a test', mixins=[_template()],
        attributes={'occi.compute.cores': 2, 'occi.compute.memory': 1.5,
                    'occi.compute.state': 'active',
                    'occi.compute.hostname': None,
                    'com.example.tags': ['a', 'b'],
                    'com.example.meta': {'k': 'v'},
                    'com.example.flag': False},
        location=ROOT + '/compute/c1', actions=[infra.COMPUTE_STOP])
    values.update(kwargs)
    return entities.Resource(infra.COMPUTE, 'c1', **values)


def _nic(**kwargs):
    values = dict(target=ROOT + '/network/n1', target_kind=infra.NETWORK,
                  location=ROOT + '/networkinterface/nic0',
                  mixins=[infra.IPNETWORKINTERFACE],
                  attributes={'occi.networkinterface.mac': 'aa:bb'})
    values.update(kwargs)
    return entities.Link(infra.NETWORKINTERFACE, 'nic0', **values)


class JSONTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.renderer = json_rendering.JSONRenderer()

    def decode(self, rendered, definition=None):
        self.assertEqual('application/occi+json', rendered.content_type)
        self.assertEqual([], rendered.headers)
        value = json.loads(rendered.body)
        self.assertEqual([], utils.schema_errors(value, definition))
        # The top level accepts everything a definition does.
        self.assertEqual([], utils.schema_errors(value))
        return value


class TestSchemaHelper(testtools.TestCase):

    def test_definitions_catch_what_the_top_level_lets_through(self):
        # rOCCI's pattern strings: fine for the anyOf top level (any object
        # passes its "attributes" branch), not for the model definition.
        model = json.loads(utils.data('rocci-core-5/model.json'))
        self.assertEqual([], utils.schema_errors(model))
        self.assertNotEqual([], utils.schema_errors(model, 'model'))


class TestCategories(JSONTestCase):

    def test_model(self):
        collection = infra.model(ROOT, mixins=[_template()])
        value = self.decode(self.renderer.categories(collection), 'model')
        self.assertEqual(['kinds', 'mixins', 'actions'], list(value))
        self.assertEqual([k.type_id for k in infra.KINDS],
                         [k['scheme'] + k['term'] for k in value['kinds']])
        self.assertEqual(len(infra.MIXINS) + 1, len(value['mixins']))
        self.assertEqual(len(infra.ACTIONS), len(value['actions']))

    def test_kind(self):
        value = self.decode(self.renderer.categories(infra.model(ROOT)),
                            'model')
        kinds = {k['term']: k for k in value['kinds']}
        self.assertNotIn('location', kinds['entity'])
        compute = kinds['compute']
        self.assertEqual(ROOT + '/compute/', compute['location'])
        self.assertEqual(infra.RESOURCE.type_id, compute['parent'])
        self.assertEqual([a.type_id for a in infra.COMPUTE.actions],
                         compute['actions'])
        self.assertEqual(
            {'mutable': True, 'required': False, 'type': 'number',
             'pattern': {'$schema': json_rendering.DRAFT4,
                         'type': 'integer'},
             'description': 'Number of virtual CPU cores assigned to the '
                            'instance.'},
            compute['attributes']['occi.compute.cores'])
        self.assertEqual(
            {'mutable': False, 'required': False, 'type': 'string',
             'pattern': {'$schema': json_rendering.DRAFT4,
                         'type': 'string',
                         'enum': ['active', 'inactive', 'suspended',
                                  'error']},
             'description': 'Current state of the compute.'},
            compute['attributes']['occi.compute.state'])

    def test_action(self):
        collection = collections.CategoryCollection(
            actions=[infra.COMPUTE_SAVE])
        value = self.decode(self.renderer.categories(collection), 'model')
        self.assertEqual({
            'term': 'save',
            'scheme': 'http://schemas.ogf.org/occi/infrastructure/compute/'
                      'action#',
            'title': 'Save the compute as an OS template',
            'attributes': {
                'method': {
                    'mutable': True, 'required': False, 'type': 'string',
                    'pattern': {'$schema': json_rendering.DRAFT4,
                                'type': 'string',
                                'enum': ['hot', 'deferred']},
                    'description': 'hot: save while running; deferred: '
                                   'save when the compute is stopped.'},
                'name': {'mutable': True, 'required': False,
                         'type': 'string',
                         'description': 'Name of the new OS template.'}}},
                         value['actions'][0])
        self.assertEqual([], utils.schema_errors(value['actions'][0],
                                                 'action'))

    def test_saved_template_is_one_mixin(self):
        attributes = (categories.Attribute('org.openstack.image.size',
                                           type='number', default=123),
                      categories.Attribute('org.openstack.image.name',
                                           default='backup'))
        value = self.decode(self.renderer.mixin(_template('new', attributes)),
                            'mixin')
        self.assertEqual({
            'term': 'new', 'scheme': PROVIDER_OS, 'title': 'Debian 12',
            'attributes': {
                'org.openstack.image.size': {
                    'mutable': False, 'required': False, 'type': 'number',
                    'default': 123},
                'org.openstack.image.name': {
                    'mutable': False, 'required': False, 'type': 'string',
                    'default': 'backup'}},
            'depends': [infra.OS_TPL.type_id],
            'applies': [infra.COMPUTE.type_id],
            'location': ROOT + '/os_tpl/new/'}, value)

    def test_defaults_the_schema_cannot_hold_are_left_out(self):
        mixin = categories.Mixin(
            'http://example.com/m#', 'm', location='/m/',
            attributes=(
                categories.Attribute('com.example.l', type='array',
                                     default=[1]),
                categories.Attribute('com.example.n', type='number',
                                     default=float('nan'))))
        value = self.decode(self.renderer.mixin(mixin), 'mixin')
        for description in value['attributes'].values():
            self.assertNotIn('default', description)

    def test_pattern_and_integer(self):
        mixin = categories.Mixin('http://example.com/m#', 'm', location='/m/',
                                 attributes=(categories.Attribute(
                                     'com.example.port', type='integer',
                                     pattern='^[0-9]+$'),))
        value = self.decode(self.renderer.mixin(mixin), 'mixin')
        self.assertEqual({'$schema': json_rendering.DRAFT4,
                          'type': 'integer', 'pattern': '^[0-9]+$'},
                         value['attributes']['com.example.port']['pattern'])

    def test_mixin_without_location_still_valid(self):
        mixin = categories.Mixin('http://example.com/m#', 'tag')
        self.decode(self.renderer.mixin(mixin), 'mixin')

    def test_application_json_alias(self):
        rendered = json_rendering.JSONRenderer('application/json').ok()
        self.assertEqual('application/json', rendered.content_type)


class TestEntities(JSONTestCase):

    def test_resource(self):
        value = self.decode(self.renderer.entity(_compute(links=[_nic()])),
                            'resource')
        self.assertEqual({
            'kind': infra.COMPUTE.type_id,
            'id': 'c1',
            'title': 'my vm',
            'summary': 'a test',
            'mixins': [PROVIDER_OS + 'img1'],
            'attributes': {'occi.compute.cores': 2,
                           'occi.compute.memory': 1.5,
                           'occi.compute.state': 'active',
                           'com.example.tags': ['a', 'b'],
                           'com.example.meta': {'k': 'v'},
                           'com.example.flag': False},
            'actions': [infra.COMPUTE_STOP.type_id],
            'links': [{
                'kind': infra.NETWORKINTERFACE.type_id,
                'id': 'nic0',
                'mixins': [infra.IPNETWORKINTERFACE.type_id],
                'attributes': {'occi.networkinterface.mac': 'aa:bb'},
                'source': {'location': ROOT + '/compute/c1',
                           'kind': infra.COMPUTE.type_id},
                'target': {'location': ROOT + '/network/n1',
                           'kind': infra.NETWORK.type_id}}],
        }, value)

    def test_minimal_resource(self):
        value = self.decode(self.renderer.entity(
            entities.Resource(infra.RESOURCE, 7)), 'resource')
        self.assertEqual({'kind': infra.RESOURCE.type_id, 'id': '7'}, value)

    def test_link(self):
        link = _nic(source=ROOT + '/compute/c1')
        value = self.decode(self.renderer.entity(link), 'link')
        self.assertEqual({'location': ROOT + '/compute/c1'}, value['source'])

    def test_collection(self):
        value = self.decode(self.renderer.entities(
            [_compute(), _compute(title=None)]), 'resource_collection')
        self.assertEqual(2, len(value['resources']))
        self.assertNotIn('title', value['resources'][1])

    def test_empty_collection(self):
        value = self.decode(self.renderer.entities([]),
                            'resource_collection')
        self.assertEqual({'resources': []}, value)

    def test_links_collection(self):
        value = self.decode(self.renderer.entities([_nic()]),
                            'link_collection')
        self.assertEqual(['nic0'], [link['id'] for link in value['links']])
        value = self.decode(self.renderer.entities([_compute(), _nic()]),
                            'model')
        self.assertEqual(['resources', 'links'], list(value))

    def test_non_finite_attribute(self):
        value = self.decode(self.renderer.entity(_compute(
            attributes={'com.example.x': float('inf'),
                        'com.example.l': [float('nan')]})), 'resource')
        self.assertEqual({'com.example.x': 'inf', 'com.example.l': ['nan']},
                         value['attributes'])

    def test_locations_ok_error_invocation(self):
        self.assertEqual({'locations': ['/a', '/b']},
                         self.decode(self.renderer.locations(['/a', '/b'])))
        self.assertEqual({}, self.decode(self.renderer.ok(), 'model'))
        self.assertEqual(
            {'error': {'code': 404, 'message': 'No compute c9.',
                       'request_id': 'req-1'}},
            self.decode(self.renderer.error(404, 'No compute c9.', 'req-1')))
        self.assertEqual(
            {'error': {'code': 500, 'message': 'Boom'}},
            self.decode(self.renderer.error(500, 'Boom')))
        self.assertEqual(
            {'action': infra.COMPUTE_STOP.type_id,
             'attributes': {'method': 'graceful'}},
            self.decode(self.renderer.invocation(
                infra.COMPUTE_STOP, {'method': 'graceful'}),
                'action_invocation'))

    def test_non_ascii(self):
        rendered = self.renderer.entity(_compute(title='café ☁'))
        self.assertIn('café ☁'.encode('utf-8'), rendered.body)
