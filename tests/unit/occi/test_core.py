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

from ooi_save.occi import categories
from ooi_save.occi import collections
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra
from ooi_save.occi import requests


class TestAttribute(testtools.TestCase):

    def test_defaults(self):
        attribute = categories.Attribute('com.example.x')
        self.assertEqual('string', attribute.type)
        self.assertFalse(attribute.mutable)
        self.assertFalse(attribute.required)
        self.assertIsNone(attribute.default)
        self.assertIsNone(attribute.enum)

    def test_immutable(self):
        attribute = categories.Attribute('com.example.x')
        self.assertRaises(AttributeError, setattr, attribute, 'mutable', True)
        self.assertRaises(AttributeError, delattr, attribute, 'name')

    def test_unknown_type_refused(self):
        error = self.assertRaises(ValueError, categories.Attribute, 'a',
                                  type='float')
        self.assertIn("'float'", str(error))

    def test_empty_name_refused(self):
        self.assertRaises(ValueError, categories.Attribute, '')

    def test_equality_and_hash(self):
        one = categories.Attribute('a', type='array', default=[1, 2])
        two = categories.Attribute('a', type='array', default=[1, 2])
        self.assertEqual(one, two)
        self.assertEqual(hash(one), hash(two))
        self.assertEqual(1, len({one, two}))
        self.assertNotEqual(one, categories.Attribute('a', type='array',
                                                      default=[2]))
        # 1 == True in Python, not in OCCI.
        self.assertNotEqual(categories.Attribute('a', default=1),
                            categories.Attribute('a', default=True))

    def test_replace(self):
        attribute = categories.Attribute('a', enum=('x', 'y'))
        changed = attribute.replace(default='x')
        self.assertEqual('x', changed.default)
        self.assertEqual(('x', 'y'), changed.enum)
        self.assertIsNone(attribute.default)


class TestCategory(testtools.TestCase):

    def test_type_id_equality_hash(self):
        kind = categories.Kind('http://example.com/occi#', 'thing')
        mixin = categories.Mixin('http://example.com/occi#', 'thing', 'Other')
        self.assertEqual('http://example.com/occi#thing', kind.type_id)
        self.assertEqual(kind, mixin)
        self.assertEqual(hash(kind), hash(mixin))
        self.assertNotEqual(kind, categories.Kind('http://example.com/occi#',
                                                  'other'))

    def test_immutable(self):
        kind = categories.Kind('http://example.com/occi#', 'thing')
        self.assertRaises(AttributeError, setattr, kind, 'title', 'x')

    def test_invalid_term_refused(self):
        for term in ('', 'two words', '-dash', 'a"b', 'a;b'):
            self.assertRaises(ValueError, categories.Mixin,
                              'http://example.com/occi#', term)

    def test_scheme_required(self):
        self.assertRaises(ValueError, categories.Mixin, '', 'thing')

    def test_attributes_must_be_attribute_objects(self):
        self.assertRaises(ValueError, categories.Mixin, 'http://e.com/#', 'a',
                          attributes=('com.example.x',))

    def test_with_location_keeps_everything_else(self):
        bound = infra.COMPUTE.with_location('http://h/occi/compute/')
        self.assertEqual('http://h/occi/compute/', bound.location)
        self.assertEqual(infra.COMPUTE.attributes, bound.attributes)
        self.assertEqual(infra.COMPUTE.actions, bound.actions)
        self.assertIs(infra.RESOURCE, bound.parent)
        self.assertEqual('/compute/', infra.COMPUTE.location)

    def test_action_has_no_location(self):
        self.assertIsNone(infra.COMPUTE_START.location)
        self.assertIs(infra.COMPUTE_START,
                      infra.COMPUTE_START.with_location('/x/'))


class TestInheritance(testtools.TestCase):

    def test_kind_all_attributes_walks_parents(self):
        names = list(infra.COMPUTE.all_attributes())
        self.assertEqual(['occi.core.id', 'occi.core.title',
                          'occi.core.summary'], names[:3])
        self.assertIn('occi.compute.cores', names)
        self.assertNotIn('occi.core.source', names)

    def test_kind_ancestors(self):
        self.assertEqual([infra.LINK, infra.ENTITY],
                         infra.NETWORKINTERFACE.ancestors())
        self.assertEqual([], infra.ENTITY.ancestors())

    def test_child_definition_wins(self):
        scheme = 'http://example.com/occi#'
        parent = categories.Kind(scheme, 'p', attributes=(
            categories.Attribute('com.example.a', default=1, type='integer'),))
        child = categories.Kind(scheme, 'c', parent=parent, attributes=(
            categories.Attribute('com.example.a', default=2, type='integer'),))
        self.assertEqual(2, child.all_attributes()['com.example.a'].default)

    def test_mixin_all_attributes_include_depends(self):
        scheme = 'http://example.com/occi#'
        base = categories.Mixin(scheme, 'base', attributes=(
            categories.Attribute('com.example.a', default='base'),
            categories.Attribute('com.example.b')))
        middle = categories.Mixin(
            scheme, 'middle', depends=(base,), attributes=(
                categories.Attribute('com.example.a', default='middle'),))
        top = categories.Mixin(scheme, 'top', depends=(middle,))
        self.assertEqual([middle, base], top.all_depends())
        attributes = top.all_attributes()
        self.assertEqual(['com.example.a', 'com.example.b'],
                         sorted(attributes))
        self.assertEqual('middle', attributes['com.example.a'].default)

    def test_kind_all_actions(self):
        self.assertEqual(list(infra.COMPUTE.actions),
                         infra.COMPUTE.all_actions())


class TestCategoryCollection(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.template = infra.os_tpl_mixin(
            'http://example.com/os_tpl#', 'ubuntu', 'Ubuntu', '/os_tpl/u/')
        self.flavor = infra.resource_tpl_mixin(
            'http://example.com/resource_tpl#', 'small', 'Small',
            '/resource_tpl/small/')
        self.model = infra.model(mixins=[self.template, self.flavor])

    def ids(self, collection):
        return [category.type_id for category in collection]

    def test_actions_of_kinds_are_added(self):
        collection = collections.CategoryCollection(kinds=[infra.COMPUTE])
        self.assertEqual(list(infra.COMPUTE.actions), collection.actions)

    def test_duplicates_keep_the_first(self):
        other = categories.Mixin(infra.OS_TPL.scheme, 'os_tpl', 'Duplicate',
                                 location='/x/')
        collection = collections.CategoryCollection(
            mixins=[infra.OS_TPL, other])
        self.assertEqual(1, len(collection))
        self.assertEqual('OS template', collection.mixins[0].title)

    def test_get_and_contains(self):
        self.assertIs(self.template,
                      self.model.get('http://example.com/os_tpl#ubuntu'))
        self.assertIn(infra.COMPUTE.type_id, self.model)
        self.assertIn(infra.COMPUTE_SAVE, self.model)
        self.assertIsNone(self.model.get('http://nowhere#x'))

    def test_filter_kind(self):
        result = self.model.filter([infra.COMPUTE.type_id])
        self.assertEqual(
            [infra.ENTITY.type_id, infra.RESOURCE.type_id,
             infra.COMPUTE.type_id] +
            [action.type_id for action in infra.COMPUTE.actions],
            self.ids(result))

    def test_filter_provider_mixin(self):
        result = self.model.filter(['http://example.com/os_tpl#ubuntu'])
        self.assertEqual([infra.OS_TPL.type_id,
                          'http://example.com/os_tpl#ubuntu'],
                         self.ids(result))

    def test_filter_os_tpl_lists_the_templates(self):
        result = self.model.filter([infra.OS_TPL.type_id])
        self.assertEqual([infra.OS_TPL.type_id,
                          'http://example.com/os_tpl#ubuntu'],
                         self.ids(result))
        result = self.model.filter([infra.OS_TPL.type_id],
                                   specializations=False)
        self.assertEqual([infra.OS_TPL.type_id], self.ids(result))

    def test_filter_link_lists_the_link_kinds(self):
        result = self.model.filter([infra.LINK.type_id])
        self.assertEqual([infra.ENTITY.type_id, infra.LINK.type_id,
                          infra.NETWORKINTERFACE.type_id,
                          infra.STORAGELINK.type_id,
                          infra.SECURITYGROUPLINK.type_id],
                         self.ids(result))

    def test_filter_action(self):
        result = self.model.filter([infra.COMPUTE_SAVE.type_id])
        self.assertEqual([infra.COMPUTE_SAVE.type_id], self.ids(result))

    def test_filter_unknown(self):
        self.assertEqual(0, len(self.model.filter(['http://nowhere#x'])))

    def test_extended(self):
        extra = categories.Mixin('http://example.com/tags#', 'mine',
                                 location='/tags/mine/')
        result = self.model.extended(mixins=[extra])
        self.assertIn(extra, result)
        self.assertNotIn(extra, self.model)


class TestEntities(testtools.TestCase):

    def test_resource_core_attributes(self):
        resource = entities.Resource(infra.COMPUTE, 'abc', title='vm',
                                     summary=None)
        self.assertEqual([('occi.core.id', 'abc'),
                          ('occi.core.title', 'vm')],
                         resource.core_attributes())

    def test_link_core_attributes(self):
        link = entities.Link(infra.NETWORKINTERFACE, 'l', source='/compute/1',
                             target='/network/2', target_kind=infra.NETWORK)
        self.assertEqual(
            [('occi.core.id', 'l'), ('occi.core.source', '/compute/1'),
             ('occi.core.target', '/network/2'),
             ('occi.core.target.kind', infra.NETWORK.type_id)],
            link.core_attributes())

    def test_entity_request_properties(self):
        request = requests.EntityRequest(attributes={
            'occi.core.id': 'i', 'occi.core.title': 't',
            'occi.core.summary': 's', 'occi.core.source': '/a',
            'occi.core.target': '/b', 'occi.core.target.kind': 'k'})
        self.assertEqual(('i', 't', 's', '/a', '/b', 'k'),
                         (request.id, request.title, request.summary,
                          request.source, request.target,
                          request.target_kind))

    def test_split_type_id(self):
        self.assertEqual(('http://schemas.ogf.org/occi/core#', 'entity'),
                         categories.split_type_id(infra.ENTITY.type_id))
        self.assertEqual(('', 'plain'), categories.split_type_id('plain'))
