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
from ooi_save.occi import infrastructure as infra

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
CORE = 'http://schemas.ogf.org/occi/core#'


def _attribute(category, name):
    return category.all_attributes()[name]


class TestKinds(testtools.TestCase):

    def test_identifiers_parents_locations(self):
        expected = [
            (infra.ENTITY, CORE + 'entity', None, None),
            (infra.RESOURCE, CORE + 'resource', CORE + 'entity',
             '/resource/'),
            (infra.LINK, CORE + 'link', CORE + 'entity', '/link/'),
            (infra.COMPUTE, INFRA + 'compute', CORE + 'resource',
             '/compute/'),
            (infra.STORAGE, INFRA + 'storage', CORE + 'resource',
             '/storage/'),
            (infra.NETWORK, INFRA + 'network', CORE + 'resource',
             '/network/'),
            (infra.NETWORKINTERFACE, INFRA + 'networkinterface',
             CORE + 'link', '/networkinterface/'),
            (infra.STORAGELINK, INFRA + 'storagelink', CORE + 'link',
             '/storagelink/'),
            # rOCCI-core's infrastructure extension.
            (infra.SECURITYGROUP, INFRA + 'securitygroup',
             CORE + 'resource', '/securitygroup/'),
            (infra.SECURITYGROUPLINK, INFRA + 'securitygrouplink',
             CORE + 'link', '/securitygrouplink/'),
            (infra.IPRESERVATION, INFRA + 'ipreservation',
             INFRA + 'network', '/ipreservation/'),
        ]
        for kind, type_id, parent, location in expected:
            self.assertIsInstance(kind, categories.Kind)
            self.assertEqual(type_id, kind.type_id)
            self.assertEqual(parent, kind.parent and kind.parent.type_id)
            self.assertEqual(location, kind.location)
        self.assertEqual([k for k, _t, _p, _l in expected],
                         list(infra.KINDS))

    def test_compute_attributes(self):
        arch = _attribute(infra.COMPUTE, 'occi.compute.architecture')
        self.assertEqual(('x86', 'x64'), arch.enum)
        # Nova takes no architecture from a client.
        self.assertFalse(arch.mutable)
        for name in ('occi.compute.cores', 'occi.compute.share'):
            self.assertEqual('integer', _attribute(infra.COMPUTE, name).type)
        memory = _attribute(infra.COMPUTE, 'occi.compute.memory')
        self.assertEqual('number', memory.type)
        state = _attribute(infra.COMPUTE, 'occi.compute.state')
        self.assertEqual(('active', 'inactive', 'suspended', 'error'),
                         state.enum)
        self.assertFalse(state.mutable)
        self.assertFalse(
            _attribute(infra.COMPUTE, 'occi.compute.state.message').mutable)
        # Removed in OCCI 1.2 (GFD.224 change log).
        self.assertNotIn('occi.compute.speed', infra.COMPUTE.all_attributes())

    def test_compute_actions(self):
        self.assertEqual(
            ['start', 'stop', 'restart', 'suspend', 'save'],
            [action.term for action in infra.COMPUTE.actions])
        for action in infra.COMPUTE.actions:
            self.assertEqual(INFRA[:-1] + '/compute/action#', action.scheme)

    def test_action_methods(self):
        expected = {
            'stop': ('graceful', 'acpioff', 'poweroff'),
            'restart': ('graceful', 'warm', 'cold'),
            'suspend': ('hibernate', 'suspend'),
            'save': ('hot', 'deferred'),
        }
        for action in infra.COMPUTE.actions:
            attributes = action.all_attributes()
            if action.term == 'start':
                self.assertEqual({}, attributes)
                continue
            self.assertEqual(expected[action.term],
                             attributes['method'].enum)
            self.assertTrue(attributes['method'].mutable)
        # Action attributes are not namespaced (GFD.221 5.3.5).
        self.assertEqual(['method', 'name'],
                         list(infra.COMPUTE_SAVE.all_attributes()))

    def test_storage_network(self):
        size = _attribute(infra.STORAGE, 'occi.storage.size')
        self.assertEqual(('number', True, True),
                         (size.type, size.mutable, size.required))
        self.assertEqual(('online', 'offline', 'error'),
                         _attribute(infra.STORAGE,
                                    'occi.storage.state').enum)
        self.assertEqual([infra.STORAGE_ONLINE, infra.STORAGE_OFFLINE],
                         list(infra.STORAGE.actions))
        self.assertEqual('integer', _attribute(infra.NETWORK,
                                               'occi.network.vlan').type)
        self.assertEqual([infra.NETWORK_UP, infra.NETWORK_DOWN],
                         list(infra.NETWORK.actions))
        self.assertEqual(INFRA[:-1] + '/network/action#up',
                         infra.NETWORK_UP.type_id)

    def test_links(self):
        for kind, prefix in ((infra.NETWORKINTERFACE,
                              'occi.networkinterface.'),
                             (infra.STORAGELINK, 'occi.storagelink.')):
            attributes = kind.all_attributes()
            self.assertTrue(attributes['occi.core.target'].required)
            self.assertEqual(('active', 'inactive', 'error'),
                             attributes[prefix + 'state'].enum)
        self.assertFalse(_attribute(infra.NETWORKINTERFACE,
                                    'occi.networkinterface.interface')
                         .mutable)
        # What the cloud assigns is neither required nor settable.
        mac = _attribute(infra.NETWORKINTERFACE, 'occi.networkinterface.mac')
        self.assertEqual((False, False), (mac.mutable, mac.required))
        deviceid = _attribute(infra.STORAGELINK, 'occi.storagelink.deviceid')
        self.assertEqual((True, False), (deviceid.mutable, deviceid.required))


class TestMixins(testtools.TestCase):

    def test_identifiers(self):
        expected = [
            (infra.OS_TPL, INFRA + 'os_tpl', '/os_tpl/', INFRA + 'compute'),
            (infra.RESOURCE_TPL, INFRA + 'resource_tpl', '/resource_tpl/',
             INFRA + 'compute'),
            (infra.SSH_KEY,
             'http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key',
             '/ssh_key/', INFRA + 'compute'),
            (infra.USER_DATA,
             'http://schemas.ogf.org/occi/infrastructure/compute#user_data',
             '/user_data/', INFRA + 'compute'),
            (infra.IPNETWORK,
             'http://schemas.ogf.org/occi/infrastructure/network#ipnetwork',
             '/ipnetwork/', INFRA + 'network'),
            (infra.IPNETWORKINTERFACE,
             'http://schemas.ogf.org/occi/infrastructure/networkinterface#'
             'ipnetworkinterface', '/ipnetworkinterface/',
             INFRA + 'networkinterface'),
        ]
        for mixin, type_id, location, applies in expected:
            self.assertEqual(type_id, mixin.type_id)
            self.assertEqual(location, mixin.location)
            self.assertEqual([applies], [k.type_id for k in mixin.applies])

    def test_mixin_attributes(self):
        self.assertEqual(
            ['occi.credentials.ssh.publickey'],
            list(infra.SSH_KEY.all_attributes()))
        self.assertEqual(['occi.compute.userdata'],
                         list(infra.USER_DATA.all_attributes()))
        self.assertEqual(
            ('dynamic', 'static'),
            _attribute(infra.IPNETWORK, 'occi.network.allocation').enum)
        self.assertEqual(
            ['occi.networkinterface.address',
             'occi.networkinterface.gateway',
             'occi.networkinterface.allocation'],
            list(infra.IPNETWORKINTERFACE.all_attributes()))

    def test_os_tpl_mixin(self):
        attribute = categories.Attribute('com.example.size', type='number',
                                         default=3)
        mixin = infra.os_tpl_mixin('http://example.com/os#', 'img1',
                                   'Debian', '/os_tpl/img1/',
                                   attributes=(attribute,))
        self.assertEqual('http://example.com/os#img1', mixin.type_id)
        self.assertEqual([infra.OS_TPL], list(mixin.depends))
        self.assertEqual([infra.COMPUTE], list(mixin.applies))
        self.assertEqual(3, mixin.all_attributes()['com.example.size']
                         .default)

    def test_resource_tpl_mixin(self):
        cores = categories.Attribute('occi.compute.cores', type='integer',
                                     mutable=True, default=4)
        mixin = infra.resource_tpl_mixin('http://example.com/rt#', 'big',
                                         None, '/resource_tpl/big/',
                                         attributes=(cores,))
        self.assertEqual([infra.RESOURCE_TPL], list(mixin.depends))
        self.assertIsNone(mixin.title)
        self.assertEqual(4, mixin.attributes[0].default)


class TestModel(testtools.TestCase):

    def test_everything_standard(self):
        collection = infra.model()
        self.assertEqual(list(infra.KINDS), collection.kinds)
        self.assertEqual(list(infra.MIXINS), collection.mixins)
        self.assertEqual(list(infra.ACTIONS), collection.actions)

    def test_locations_bound_below_root(self):
        collection = infra.model('https://cloud.example.com:8787/occi1.2')
        compute = collection.get(infra.COMPUTE.type_id)
        self.assertEqual('https://cloud.example.com:8787/occi1.2/compute/',
                         compute.location)
        self.assertEqual('https://cloud.example.com:8787/occi1.2/os_tpl/',
                         collection.get(infra.OS_TPL.type_id).location)
        # Never bind core#entity (GFD.223 section 4).
        self.assertIsNone(collection.get(infra.ENTITY.type_id).location)
        self.assertEqual('/compute/', infra.COMPUTE.location)

    def test_bound_categories_are_reused(self):
        one = infra.model('http://a').get(infra.COMPUTE.type_id)
        two = infra.model('http://a').get(infra.COMPUTE.type_id)
        self.assertIs(one, two)

    def test_provider_categories_added(self):
        template = infra.os_tpl_mixin('http://example.com/os#', 'i', 'I',
                                      '/os_tpl/i/')
        action = categories.Action('http://example.com/actions#', 'reboot')
        collection = infra.model(mixins=[template], actions=[action])
        self.assertIs(template, collection.mixins[-1])
        self.assertIs(action, collection.actions[-1])
