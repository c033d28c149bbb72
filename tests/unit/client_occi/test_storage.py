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

"""``occi storage`` and storagelinks against the real filter over the fake
Cinder, in every rendering."""

import json

from tests.unit.client_occi import base
from tests.unit.fakes import nova as fake_nova
from tests.unit.storage import base as storage_base


class StorageTest(base.ClientMixin, storage_base.StorageTestCase):

    def setUp(self):
        super().setUp()
        self.use_client(self.occi, self.glance.mock,
                        {'demo-token': fake_nova.Context()})

    def test_storage_life_in_every_rendering(self):
        for number, rendering in enumerate(base.RENDERINGS):
            title = 'disk%d' % number
            made = json.loads(self.ok('storage', 'create', '--title', title,
                                      '--size', '2', '-f', 'json',
                                      rendering=rendering))
            volume = self.cinder.volumes[made['id']]
            self.assertEqual((title, 2), (volume['name'], volume['size']))
            listed = json.loads(self.ok('storage', 'list', '--long', '-f',
                                        'json', rendering=rendering))
            self.assertIn((made['id'], title),
                          [(row['ID'], row['Title']) for row in listed])
            server = self.nova.add_server(name='vm%d' % number)
            link = json.loads(self.ok(
                'link', 'create', server['id'], 'storage:' + title,
                '-f', 'json', rendering=rendering))
            self.assertIn('/storagelink/', link['location'])
            self.assertEqual(server['id'],
                             self.cinder.volumes[made['id']][
                                 'attachments'][0]['server_id'])
            shown = json.loads(self.ok('link', 'show', link['id'], '-f',
                                       'json', rendering=rendering))
            self.assertEqual(link['location'], shown['location'])
            self.ok('link', 'delete', link['id'], rendering=rendering)
            self.assertEqual([], self.cinder.volumes[made['id']][
                'attachments'])
            self.ok('storage', 'delete', title, rendering=rendering)
            self.assertNotIn(made['id'], self.cinder.volumes)
