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

"""``occi network``, ``occi link``, ``occi mixin``, ``occi discover`` and
``occi template list`` against the real filter, in every rendering."""

import json
import os

from ooi_save.cmd import manage
from ooi_save import config
from ooi_save.http import filter as occi_filter
from tests.unit import base as unit_base
from tests.unit.client_occi import base
from tests.unit.fakes import nova as fake_nova


class NetworkTest(base.ClientTestCase):

    def test_create_update_delete_in_every_rendering(self):
        for number, rendering in enumerate(base.RENDERINGS):
            title = 'net%d' % number
            made = json.loads(self.ok(
                'network', 'create', '--title', title, '--address',
                '10.9.%d.0/24' % number, '-f', 'json', rendering=rendering))
            network = self.cloud.neutron.items['networks'][made['id']]
            self.assertEqual(title, network['name'])
            [subnet] = network['subnets']
            self.assertEqual('10.9.%d.0/24' % number,
                             self.cloud.neutron.items['subnets'][subnet][
                                 'cidr'])
            updated = self.ok('network', 'update', title, '--title',
                              'renamed%d' % number, '-f', 'value', '-c',
                              'title', rendering=rendering)
            self.assertEqual('renamed%d\n' % number, updated)
            self.assertEqual('renamed%d' % number, network['name'])
            self.ok('network', 'delete', 'renamed%d' % number,
                    rendering=rendering)
            self.assertNotIn(made['id'], self.cloud.neutron.items['networks'])

    def test_update_needs_something(self):
        code, _out, err = self.command('network', 'update', 'private')
        self.assertEqual(1, code)
        self.assertIn('Nothing to update', err)


class LinkTest(base.ClientTestCase):

    def test_public_address_by_link_in_every_rendering(self):
        for rendering in base.RENDERINGS:
            server = self.boot('linked')
            made = json.loads(self.ok('link', 'create', server['id'],
                                      'network:public', '-f', 'json',
                                      rendering=rendering))
            self.assertEqual('http://schemas.ogf.org/occi/infrastructure#'
                             'networkinterface', made['kind'])
            [fip] = [f for f in self.cloud.floating_ips()
                     if f.get('port_id') in
                     [p['id'] for p in self.cloud.ports_of(server['id'])]]
            self.ok('link', 'delete', made['location'], rendering=rendering)
            self.assertNotIn(fip['id'],
                             self.cloud.neutron.items['floatingips'])
            self.cloud.nova.servers.pop(server['id'])

    def test_unknown_target_kind(self):
        server = self.boot('x')
        code, _out, err = self.command('link', 'create', server['id'],
                                       'http://elsewhere.test/thing/1')
        self.assertEqual(1, code)
        self.assertIn('give --kind', err)


class DiscoverTest(base.ClientTestCase):

    def test_discover_and_templates_in_every_rendering(self):
        for rendering in base.RENDERINGS:
            kinds = self.ok('discover', '--class', 'kind', '-f', 'value',
                            '-c', 'Type id', rendering=rendering).split()
            self.assertIn('http://schemas.ogf.org/occi/infrastructure#'
                          'compute', kinds)
            actions = self.ok('discover', '--class', 'action', '-f', 'value',
                              '-c', 'Type id', rendering=rendering).split()
            self.assertIn('http://schemas.ogf.org/occi/infrastructure/'
                          'compute/action#save', actions)
            templates = json.loads(self.ok('template', 'list', '--resource',
                                           '-f', 'json',
                                           rendering=rendering))
            self.assertEqual({'m1.tiny', 'm1.small'},
                             {t['Name'] for t in templates})
            self.assertEqual({'resource'}, {t['Template'] for t in templates})
            os_templates = json.loads(self.ok('template', 'list', '--os',
                                              '-f', 'json',
                                              rendering=rendering))
            self.assertEqual([('image-1', 'cirros')],
                             [(t['ID'], t['Name']) for t in os_templates])


class MixinTest(base.ClientTestCase):
    """User mixins need the filter's database: a real SQLite one."""

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(base.fixtures.TempDir()).path
        url = 'sqlite:///' + os.path.join(tmp, 'occi.db')
        with open(os.path.join(tmp, 'nova.conf'), 'w') as f:
            f.write('[occi_database]\nconnection = %s\n' % url)
        manage.main(['--config-file', os.path.join(tmp, 'nova.conf'), 'db',
                     'sync'])
        self.nova = fake_nova.FakeNova()
        conf, _ = unit_base.make_conf()
        conf.set_override('connection', url, group='occi_database')
        self.wire.app = occi_filter.OCCIFilter(self.nova, config.FilterConfig(
            {'resume_saves_at_startup': 'false', 'network': 'none'}, conf))
        self.wire.contexts['demo-token'] = fake_nova.Context()

    def test_mixin_life_in_every_rendering(self):
        for number, rendering in enumerate(base.RENDERINGS):
            term = 'tier%d' % number
            server_id = self.nova.add_server(name='vm%d' % number)['id']
            self.ok('mixin', 'create', term, '--title', 'Tier %d' % number,
                    rendering=rendering)
            listed = json.loads(self.ok('mixin', 'list', '-f', 'json',
                                        rendering=rendering))
            self.assertIn(('Tier %d' % number, term),
                          [(m['Title'], m['Term']) for m in listed])
            self.ok('mixin', 'add', 'Tier %d' % number, 'vm%d' % number,
                    rendering=rendering)
            mixins = self.ok('compute', 'show', server_id, '-f', 'value',
                             '-c', 'mixins', rendering=rendering)
            self.assertIn('#' + term, mixins)
            self.ok('mixin', 'remove', term, server_id, rendering=rendering)
            mixins = self.ok('compute', 'show', server_id, '-f', 'value',
                             '-c', 'mixins', rendering=rendering)
            self.assertNotIn('#' + term, mixins)
            self.ok('mixin', 'delete', term, rendering=rendering)
            listed = json.loads(self.ok('mixin', 'list', '-f', 'json',
                                        rendering=rendering))
            self.assertNotIn(term, [m['Term'] for m in listed])
