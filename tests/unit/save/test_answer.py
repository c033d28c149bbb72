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

"""The save action through the filter, answered in every rendering."""

import json


from tests.unit import base
from tests.unit import client
from tests.unit.save import base as save_base

ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
OS_SCHEME = 'http://schemas.openstack.org/template/os#'

SAVE_PLAIN = ('Category: save; scheme="%s"; class="action"\n'
              'X-OCCI-Attribute: method="hot"\n'
              'X-OCCI-Attribute: name="from every rendering"\n' % ACTION)
SAVE_HEADERS = {
    'Category': 'save; scheme="%s"; class="action"' % ACTION,
    'X-OCCI-Attribute': 'method="hot", name="from every rendering"'}
SAVE_JSON = {'action': ACTION + 'save',
             'attributes': {'method': 'hot',
                            'name': 'from every rendering'}}


class TestAnswer(save_base.SaveTestCase):
    """The save action through the filter, in every rendering."""

    def setUp(self):
        super().setUp()
        self.occi, _ = base.build({'resume_saves_at_startup': 'false'},
                                  nova=self.nova)

    def call(self, server_id, body_type, accept):
        if body_type == 'text/occi':
            headers, body = dict(SAVE_HEADERS), b''
        elif body_type.endswith('json'):
            headers, body = {}, json.dumps(SAVE_JSON).encode()
        else:
            headers, body = {}, SAVE_PLAIN.encode()
        headers['Content-Type'] = body_type
        return client.call(self.occi, '/compute/%s?action=save' % server_id,
                           'POST', accept, body, headers)

    def test_every_rendering_as_request_and_answer(self):
        for body_type in ('text/plain', 'text/occi', 'application/occi+json'):
            for accept in ('text/plain', 'text/occi',
                           'application/occi+json'):
                what = '%s -> %s' % (body_type, accept)
                server_id = self.nova.add_server()
                response = self.call(server_id, body_type, accept)
                self.assertEqual(200, response.status_int,
                                 what + response.text)
                [image] = [i for i in self.nova.images.values()
                           if i['instance_uuid'] == server_id]
                self.assertEqual('from every rendering', image['name'])
                self.assertEqual('hot', image['ooi_save_method'])
                location = '%s/occi1.2/os_tpl/%s/' % (client.HOST_URL,
                                                      image['id'])
                if accept.endswith('json'):
                    mixin = response.json
                    self.assertEqual(
                        (image['id'], OS_SCHEME, 'from every rendering',
                         [INFRA + 'os_tpl'], [INFRA + 'compute'],
                         location),
                        (mixin['term'], mixin['scheme'], mixin['title'],
                         mixin['depends'], mixin['applies'],
                         mixin['location']), what)
                    values = {name: a['default'] for name, a in
                              mixin['attributes'].items()}
                    self.assertEqual(server_id, values[
                        'org.openstack.image.instance_uuid'], what)
                    self.assertEqual(image['status'], values[
                        'org.openstack.image.status'], what)
                    continue
                if accept == 'text/occi':
                    category = response.headers['Category']
                else:
                    category = response.text.strip()[len('Category: '):]
                self.assertEqual(
                    '%s; scheme="%s"; class="mixin"; title="from every '
                    'rendering"; rel="%sos_tpl"; location="%s"'
                    % (image['id'], OS_SCHEME, INFRA, location),
                    category.partition('; attributes=')[0], what)
                self.assertIn('org.openstack.image.status{immutable}',
                              category, what)
