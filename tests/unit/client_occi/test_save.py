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

"""``occi compute save`` against the real filter and its save chain over
the fake cloud: the new template printed, ``--wait`` until it is active
(and a deferred save's compute active again), then listed for a boot."""

import json

from tests.unit import base as unit_base
from tests.unit.client_occi import base
from tests.unit.fakes import nova as fake_nova
from tests.unit.save import base as save_base


class SaveTest(base.ClientMixin, save_base.SaveTestCase):

    def setUp(self):
        super().setUp()
        app, _ = unit_base.build({'resume_saves_at_startup': 'false',
                                  'network': 'none'}, nova=self.nova)
        self.use_client(app, self.requests_mock,
                        {'demo-token': fake_nova.Context()})

    def command(self, *argv, rendering='application/occi+json'):
        code, out, err = super().command(*argv, rendering=rendering)
        self.assertEqual(0, code, err)
        return out

    def test_deferred_save_waits_then_boots_in_every_rendering(self):
        for rendering in base.RENDERINGS:
            server_id = self.nova.add_server(name='to-save')
            saved = json.loads(self.command(
                'compute', 'save', server_id, '--method', 'deferred',
                '--name', 'saved-' + rendering, '--wait', '--timeout', '30',
                '-f', 'json', rendering=rendering))
            image = self.nova.images[saved['os_tpl']]
            self.assertEqual('saved-' + rendering, image['name'])
            self.assertEqual('deferred', image['ooi_save_method'])
            self.assertEqual('active', image['status'])
            self.assertEqual('active', saved['status'])
            # --wait returned with the compute active again.
            self.assertClean(server_id, 'ACTIVE')
            self.assertEqual(['os-stop', 'createImage', 'os-start'],
                             [kind for kind in
                              self.nova.kinds(server_id)])
            # The save dropped the discovery cache: the new template is
            # listed, by the name given, for the next boot.
            listed = json.loads(self.command('template', 'list', '--os', '-f',
                                             'json', rendering=rendering))
            self.assertIn((saved['os_tpl'], 'saved-' + rendering),
                          [(t['ID'], t['Name']) for t in listed])
        self.finish()

    def test_hot_save_prints_the_template(self):
        server_id = self.nova.add_server(name='hot')
        out = self.command('compute', 'save', 'hot', '--method', 'hot', '-f',
                           'value', '-c', 'os_tpl', '-c', 'title')
        [image] = [i for i in self.nova.images.values()
                   if i.get('instance_uuid') == server_id]
        self.assertEqual('%s\n%s\n' % (image['id'], image['name']), out)
        self.finish()
