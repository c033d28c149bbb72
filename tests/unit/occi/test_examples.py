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

"""Every example message of the reference material, read by our parsers.

Each file under ``data/`` (copied from the reference material, see
``data/README.rst``) is named in one test below: it parses, with the values
a client would check, or it is rejected with a ParseError that says why,
because it is invalid as printed.
"""

import os

import testtools

from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure as infra
from ooi_save.occi import parsing
from tests.unit.occi import utils

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
CORE = 'http://schemas.ogf.org/occi/core#'
COMPUTE_ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
JSON = parsing.parser_for('application/occi+json')
PLAIN = parsing.parser_for('text/plain')
HEADERS = parsing.parser_for('text/occi')
URI_LIST = parsing.parser_for('text/uri-list')


def _json(method, path):
    return getattr(JSON, method)([], utils.data(path))


def _text(method, path):
    """Parse a text example as a text/plain body and as text/occi headers.

    Both must give the same answer: the erocci ``*.occi`` files are header
    sets, the rOCCI ``*.txt`` files bodies; the grammar is the same.
    """
    raw = utils.data(path)
    from_body = getattr(PLAIN, method)([], raw)
    from_headers = getattr(HEADERS, method)(utils.text_headers(raw), b'OK')
    if from_body != from_headers:
        raise AssertionError('%s: body %r != headers %r'
                             % (path, from_body, from_headers))
    return from_body


class TestCoverage(testtools.TestCase):

    def test_every_data_file_is_tested(self):
        with open(os.path.abspath(__file__.replace('.pyc', '.py'))) as f:
            source = f.read()
        missing = [path for path in utils.data_files()
                   if "'%s'" % path not in source]
        self.assertEqual([], missing)
        self.assertGreater(len(utils.data_files()), 60)


class TestEroccIParsers(testtools.TestCase):

    def test_compute(self):
        for request in (
                _json('entity', 'erocci/parsers_SUITE_data/compute_a.json'),
                _text('entity', 'erocci/parsers_SUITE_data/compute_a.occi')):
            self.assertEqual(INFRA + 'compute', request.kind)
            self.assertEqual('compute1', request.id)
            self.assertEqual('A super computer', request.summary)
            self.assertEqual(45, request.attributes['occi.compute.cores'])
            # Removed in 1.2 but still sent: accepted as given.
            self.assertEqual(1.5, request.attributes['occi.compute.speed'])
        request = _text('entity',
                        'erocci/parsers_SUITE_data/compute_a_comma.occi')
        self.assertEqual('A super, virtual computer', request.summary)
        self.assertEqual('a name',
                         request.attributes['occi.compute.hostname'])

    def test_core_entities(self):
        for request in (
                _json('entity', 'erocci/parsers_SUITE_data/core_link.json'),
                _text('entity', 'erocci/parsers_SUITE_data/core_link.occi')):
            self.assertEqual(CORE + 'link', request.kind)
            self.assertEqual(('link1', '/myresource0', '/myresource1'),
                             (request.id, request.source, request.target))
        for request in (
                _json('entity',
                      'erocci/parsers_SUITE_data/core_resource.json'),
                _text('entity',
                      'erocci/parsers_SUITE_data/core_resource01.occi'),
                # Blank lines and indented field names.
                _text('entity',
                      'erocci/parsers_SUITE_data/core_resource02.occi')):
            self.assertEqual((CORE + 'resource', 'resource1'),
                             (request.kind, request.id))

    def test_invocations(self):
        for request in (
                _json('action', 'erocci/parsers_SUITE_data/invoke.json'),
                _text('action', 'erocci/parsers_SUITE_data/invoke.occi')):
            self.assertEqual(COMPUTE_ACTION + 'stop', request.action)
            self.assertEqual({'method': 'graceful'}, request.attributes)
        # A full action Category (title, location) is accepted.
        request = _text('action', 'erocci/parsers_SUITE_data/invoke_b.occi')
        self.assertEqual(COMPUTE_ACTION + 'start', request.action)
        self.assertEqual({}, request.attributes)

    def test_network_interface(self):
        for request in (
                _json('entity', 'erocci/parsers_SUITE_data/netif_link.json'),
                _text('entity',
                      'erocci/parsers_SUITE_data/netif_link.occi')):
            self.assertEqual(INFRA + 'networkinterface', request.kind)
            self.assertEqual([infra.IPNETWORKINTERFACE.type_id],
                             request.mixins)
            self.assertEqual(('/compute1', '/network1'),
                             (request.source, request.target))
            # The text one sends the unquoted token allocation=static.
            self.assertEqual(
                'static',
                request.attributes['occi.networkinterface.allocation'])

    def test_resource_with_link(self):
        for request in (
                _json('entity',
                      'erocci/parsers_SUITE_data/resource_link.json'),
                _text('entity',
                      'erocci/parsers_SUITE_data/resource_link.occi')):
            self.assertEqual('resource1', request.id)
            link, = request.links
            self.assertEqual('http://example.org/another_resource1',
                             link.target)
        self.assertEqual('mylink1', request.links[0].location)
        self.assertEqual(CORE + 'resource', request.links[0].target_kind)

    def test_user_mixins(self):
        for categories in (
                _json('categories',
                      'erocci/parsers_SUITE_data/user_mixin.json'),
                _text('categories',
                      'erocci/parsers_SUITE_data/user_mixin.occi')):
            mixin, = categories
            self.assertEqual(('http://schemas.example.org/occi#mymixin0',
                              'mixin',
                              'http://localhost:8080/categories/mymixin0'),
                             (mixin.type_id, mixin.category_class,
                              mixin.location))
        mixin, = _text('categories',
                       'erocci/parsers_SUITE_data/user_mixin_b.occi')
        self.assertEqual((infra.RESOURCE_TPL.type_id,), mixin.depends)

    def test_collections(self):
        self.assertEqual(
            ['/resource0', '/resource1'],
            _text('locations', 'erocci/parsers_SUITE_data/collection.occi'))
        # Invalid as printed: trailing commas after the last members.
        error = self.assertRaises(exceptions.ParseError, _json, 'locations',
                                  'erocci/parsers_SUITE_data/collection.json')
        self.assertIn('Malformed JSON at line 5 column 5', str(error))


class TestEroccIRenderers(testtools.TestCase):

    def test_bounded_collection(self):
        expected = ['http://example.org:8080/resource0',
                    'http://example.org:8080/resource1']
        path = 'erocci/renderers_SUITE_data/bounded_collection.occi'
        self.assertEqual(expected, _text('locations', path))
        path = 'erocci/renderers_SUITE_data/bounded_collection.uri'
        self.assertEqual(expected, URI_LIST.locations([], utils.data(path)))
        # Invalid under the schema (no "id"), still a listing.
        path = 'erocci/renderers_SUITE_data/bounded_collection.json'
        self.assertEqual(list(reversed(expected)), _json('locations', path))

    def test_categories(self):
        categories = _text('categories',
                           'erocci/renderers_SUITE_data/categories.occi')
        self.assertEqual(26, len(categories))
        compute = [c for c in categories if c.term == 'compute'][0]
        self.assertEqual(CORE + 'resource', compute.parent)
        state = [a for a in compute.attributes
                 if a.name == 'occi.compute.state'][0]
        self.assertEqual((False, True), (state.mutable, state.required))
        # Invalid as printed: erocci renders an empty title as [] (an
        # Erlang empty string); GFD.225 wants a string.
        error = self.assertRaises(
            exceptions.ParseError, _json, 'categories',
            'erocci/renderers_SUITE_data/categories.json')
        self.assertIn('debian6 "title" must be a string, got an array',
                      str(error))

    def test_computes(self):
        for request in (
                _json('entity', 'erocci/renderers_SUITE_data/compute_a.json'),
                _text('entity',
                      'erocci/renderers_SUITE_data/compute_a.occi')):
            self.assertEqual(('ns1/mycompute0', 'My super compute'),
                             (request.id, request.title))
            self.assertEqual(2.5, request.attributes['occi.compute.memory'])
            self.assertEqual(
                [COMPUTE_ACTION + t
                 for t in ('restart', 'start', 'stop', 'suspend')],
                request.actions)
            self.assertEqual(
                ['http://occi.example.org/occi/infrastructure/os_tpl#'
                 'debian6'], request.mixins)
        for request in (
                _json('entity', 'erocci/renderers_SUITE_data/compute_b.json'),
                _text('entity',
                      'erocci/renderers_SUITE_data/compute_b.occi')):
            link, = request.links
            self.assertEqual(INFRA + 'networkinterface', link.kind)
            self.assertEqual('http://example.org:8080/network0', link.target)
            self.assertEqual('myif0', link.id)

    def test_core_resource_and_netif(self):
        for request in (
                _json('entity',
                      'erocci/renderers_SUITE_data/core_resource.json'),
                _text('entity',
                      'erocci/renderers_SUITE_data/core_resource.occi')):
            self.assertEqual('myresource', request.id)
        for request in (
                _json('entity', 'erocci/renderers_SUITE_data/netif.json'),
                _text('entity', 'erocci/renderers_SUITE_data/netif.occi')):
            self.assertEqual(INFRA + 'compute',
                             request.attributes['occi.core.source.kind'])
            self.assertEqual(INFRA + 'network', request.target_kind)
            self.assertEqual('00:11:22:33:44:55', request.attributes[
                'occi.networkinterface.mac'])


class TestRocci(testtools.TestCase):

    def test_model(self):
        categories = _text('categories', 'rocci-core-5/model.txt')
        self.assertEqual(68, len(categories))
        entity = categories[0]
        self.assertEqual((CORE + 'entity', 'kind', '/entity/'),
                         (entity.type_id, entity.category_class,
                          entity.location))
        template = [c for c in categories
                    if c.term == 'uuid_egi_centos_7_fedcloud_warg_149'][0]
        # rOCCI puts "depends applies" in rel.
        self.assertEqual((infra.OS_TPL.type_id,), template.depends)
        self.assertEqual((infra.COMPUTE.type_id,), template.applies)
        by_class = {}
        for category in _json('categories', 'rocci-core-5/model.json'):
            by_class.setdefault(category.category_class, []).append(category)
        self.assertEqual({'kind': 11, 'mixin': 5, 'action': 18},
                         {k: len(v) for k, v in by_class.items()})
        self.assertEqual(100, len(_json('categories',
                                        'rocci-core-5/model.alt.json')))

    def test_instance(self):
        for request in (_json('entity', 'rocci-core-5/instance.json'),
                        _text('entity', 'rocci-core-5/instance.txt')):
            self.assertEqual(INFRA + 'compute', request.kind)
            self.assertEqual(('89878', 'my_compute', 1.0),
                             (request.id, request.title,
                              request.attributes['occi.compute.memory']))
            self.assertEqual(
                [COMPUTE_ACTION + 'stop', COMPUTE_ACTION + 'restart',
                 COMPUTE_ACTION + 'suspend'], request.actions)
            self.assertEqual(
                [(INFRA + 'storagelink', '/storage/5401', '/dev/vda'),
                 (INFRA + 'networkinterface', '/network/24', None)],
                [(link.kind, link.target,
                  link.attributes.get('occi.storagelink.deviceid'))
                 for link in request.links])
            self.assertEqual([infra.IPNETWORKINTERFACE.type_id],
                             request.links[1].mixins)

    def test_action_and_filters(self):
        for request in (_json('action', 'rocci-core-5/action_instance.json'),
                        _text('action', 'rocci-core-5/action_instance.txt')):
            self.assertEqual(COMPUTE_ACTION + 'suspend', request.action)
            self.assertEqual({'method': 'suspend'}, request.attributes)
        for categories in (_json('categories', 'rocci-core-5/categories.json'),
                           _text('categories', 'rocci-core-5/categories.txt')):
            self.assertEqual(
                {infra.OS_TPL.type_id, infra.RESOURCE_TPL.type_id,
                 infra.IPNETWORK.type_id, infra.IPNETWORKINTERFACE.type_id},
                {c.type_id for c in categories})


class TestSpecJSON(testtools.TestCase):

    def test_resource(self):
        request = _json('entity',
                        'spec-json/resouce_instance_example.fixed.json')
        self.assertEqual('urn:uuid:996ad860-2a9a-504f-8861-aeafd0b2ae29',
                         request.id)
        self.assertEqual({'mykey': 'myvalue'}, request.attributes[
            'com.example.occi.templates.myosmixin'])
        self.assertEqual('/network/b7d55bf4-7057-5113-85c8-141871bf7635',
                         request.links[0].target)
        # Invalid as printed: "location:"/network/..." (misplaced quote).
        error = self.assertRaises(
            exceptions.ParseError, _json, 'entity',
            'spec-json/resouce_instance_example.verbatim.json')
        self.assertIn('line 38', str(error))

    def test_link(self):
        request = _json('entity', 'spec-json/link_instance_example.fixed.json')
        self.assertEqual(INFRA + 'network', request.target_kind)
        # The example's wrong attribute names are kept as given.
        self.assertEqual('eth0', request.attributes[
            'occi.infrastructure.networkinterface.interface'])
        error = self.assertRaises(
            exceptions.ParseError, _json, 'entity',
            'spec-json/link_instance_example.verbatim.json')
        self.assertIn('line 19', str(error))

    def test_kind(self):
        kind, = _json('categories',
                      'spec-json/kind_instance_example.fixed.json')
        self.assertEqual(('kind', CORE + 'resource', '/compute/'),
                         (kind.category_class, kind.parent, kind.location))
        hostname = kind.attributes[0]
        self.assertEqual(('occi.compute.hostname', True, '\\S+'),
                         (hostname.name, hostname.mutable, hostname.pattern))
        # Invalid as printed: a comma is missing after "description".
        error = self.assertRaises(
            exceptions.ParseError, _json, 'categories',
            'spec-json/kind_instance_example.verbatim.json')
        self.assertIn("line 12 column 13: Expecting ',' delimiter",
                      str(error))

    def test_mixin_and_action(self):
        mixin, = _json('categories',
                       'spec-json/mixin_instance_example.verbatim.json')
        # The example's "#resourcetpl" (GFD.224 says resource_tpl) is kept.
        self.assertEqual(('mixin', (INFRA + 'resourcetpl',), 2.8),
                         (mixin.category_class, mixin.depends,
                          mixin.attributes[0].default))
        action, = _json('categories',
                        'spec-json/action_instance_example.verbatim.json')
        self.assertEqual((COMPUTE_ACTION + 'stop', 'poweroff'),
                         (action.type_id, action.attributes[0].default))
        request = _json('action',
                        'spec-json/action_invocation_example.verbatim.json')
        self.assertEqual((COMPUTE_ACTION + 'stop', {'method': 'graceful'}),
                         (request.action, request.attributes))


class TestSpecText(testtools.TestCase):

    def _check_compute(self, request):
        self.assertEqual(INFRA + 'compute', request.kind)
        self.assertEqual([COMPUTE_ACTION + 'start'], request.actions)
        self.assertEqual({
            'occi.core.id': 'urn:uuid:b9ff813e-fee5-4a9d-b839-673f39746096',
            'occi.core.title': 'My Dummy VM',
            'occi.compute.architecture': 'x86',
            'occi.compute.state': 'inactive', 'occi.compute.speed': 1.33,
            'occi.compute.memory': 2.0, 'occi.compute.cores': 2,
            'occi.compute.hostname': 'dummy'}, request.attributes)

    def test_examples(self):
        for path in ('spec-text/example_text_plain_compute.txt',
                     'spec-text/example_text_occi_headers_compute.txt'):
            raw = utils.data(path)
            # As printed: a transcript ("< " prefixes, "\" line breaks).
            error = self.assertRaises(exceptions.ParseError, PLAIN.entity,
                                      [], raw)
            self.assertIn('line 1', str(error))
            # Without the transcript notation the Category still lacks the
            # ";" between scheme="..." and class="kind".
            plain = utils.detranscript(raw)
            error = self.assertRaises(exceptions.ParseError, PLAIN.entity,
                                      [], plain)
            self.assertIn("expected ';' or ',' before 'class'", str(error))
            fixed = plain.replace(b'#"     class', b'#";     class')
            self._check_compute(PLAIN.entity([], fixed))
            self._check_compute(HEADERS.entity(utils.text_headers(fixed),
                                               b'OK'))

    def test_grammar_fragments_are_not_messages(self):
        for path in ('spec-text/abnf_actionlink.txt',
                     'spec-text/abnf_attribute.txt',
                     'spec-text/abnf_category.txt',
                     'spec-text/abnf_link.txt',
                     'spec-text/abnf_location.txt',
                     'spec-text/action_invocation_rendering.txt',
                     'spec-text/category_collection_rendering.txt',
                     'spec-text/entity_collection_rendering.txt',
                     'spec-text/link_rendering.txt',
                     'spec-text/resource_rendering.txt'):
            error = self.assertRaises(exceptions.ParseError, PLAIN.entity,
                                      [], utils.data(path))
            self.assertIn('line 1: expected a field "Name: value"',
                          str(error))
