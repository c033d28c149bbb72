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

"""The save action through OCCI on the real mini-cloud: hot and deferred,
in every rendering, and what Nova and Glance hold afterwards.

The tests that kill nova-api in the middle of a deferred save are in
:mod:`tests.functional.test_save_kill`.
"""

import re
import time
import uuid

from tests.functional import save_base
from tests.functional.save_base import INFRA
from tests.functional.save_base import OS
from tests.functional.save_base import save_request
from tests.functional.save_base import UPLOAD_SECONDS_KEY


class SaveTest(save_base.SaveTestBase):

    def test_hot(self):
        server_id = self.boot()
        name = 'hot-%s' % uuid.uuid4().hex[:8]
        image_id = self.assertImageMixin(self.save(server_id, 'hot', name),
                                         name)
        image = self.wait_image_active(image_id)
        self.assertEqual(server_id, image['instance_uuid'])
        self.assertEqual('hot', image['ooi_save_method'])
        self.assertEqual('%s/compute/%s' % (self.occi_url, server_id),
                         image['ooi_save_compute'])
        # The compute was never stopped.
        self.assertEqual(['create', 'createImage'],
                         self.actions(server_id))
        self.wait_saved(server_id)
        # The new template is listed by the query interface at once.
        model = self.occi('GET', '/-/', headers={
            'Accept': 'application/occi+json'}).json()
        self.assertIn(image_id, [m['term'] for m in model['mixins']
                                 if m['scheme'] == OS])

    def test_default_name(self):
        server_id = self.boot(name='named-vm')
        response = self.save(server_id, 'hot')
        image_id = self.assertImageMixin(response)
        self.assertRegex(response.json()['title'],
                         r'^named-vm-\d{8}T\d{6}Z$')
        self.wait_image_active(image_id)

    def test_deferred_stops_snapshots_and_starts(self):
        server_id = self.boot()
        name = 'deferred-%s' % uuid.uuid4().hex[:8]
        image_id = self.assertImageMixin(
            self.save(server_id, 'deferred', name), name)
        self.wait_saved(server_id)
        self.assertEqual(['create', 'stop', 'createImage', 'start'],
                         self.actions(server_id))
        image = self.wait_image_active(image_id)
        self.assertEqual('deferred', image['ooi_save_method'])

    def test_deferred_on_a_stopped_compute_leaves_it_stopped(self):
        server_id = self.boot()
        self.nova('POST', '/servers/%s/action' % server_id,
                  body={'os-stop': None}, expect=202)
        self.wait_server(server_id, 'SHUTOFF')
        image_id = self.assertImageMixin(self.save(server_id, 'deferred'))
        self.wait_image_active(image_id)
        self.wait_server(server_id, 'SHUTOFF')
        self.assertEqual(['create', 'stop', 'createImage'],
                         self.actions(server_id))

    def test_save_accepted_once_active_again(self):
        for method in ('hot', 'deferred'):
            server_id = self.boot()
            self.assertImageMixin(self.save(server_id, 'deferred'))
            deadline = time.monotonic() + 60
            while True:
                server = self.server(server_id)
                if 'start' in self.actions(server_id) and server[
                        'status'] == 'ACTIVE' and not server.get(
                        'OS-EXT-STS:task_state'):
                    break
                self.assertLess(time.monotonic(), deadline, server)
                time.sleep(0.02)
            # Running again with no task: a save is accepted at once, even
            # while the first chain still removes its record.
            response = self.save(server_id, method)
            self.wait_image_active(self.assertImageMixin(response))
            self.wait_saved(server_id)

    def test_every_rendering_as_request_and_answer(self):
        server_id = self.boot()
        cases = (('text/plain', 'text/plain', 'hot'),
                 ('text/occi', 'text/occi', 'hot'),
                 ('application/occi+json', 'text/plain', 'hot'),
                 ('text/occi+plain', 'application/occi+json', 'deffered'),
                 ('text/plain', 'application/occi+json', 'deferred'))
        for body_type, accept, method in cases:
            what = '%s -> %s, %s' % (body_type, accept, method)
            name = 'r-%s' % uuid.uuid4().hex[:8]
            headers, data = save_request(body_type, method, name)
            headers['Accept'] = accept
            response = self.occi('POST', '/compute/%s?action=save'
                                 % server_id, headers=headers, data=data)
            self.assertEqual(200, response.status_code, what)
            if accept.endswith('json'):
                image_id = self.assertImageMixin(response, name)
            else:
                category = (response.text if accept == 'text/plain'
                            else 'Category: ' + response.headers['Category'])
                found = re.search(
                    r'Category: ([0-9a-f-]{36}); scheme="%s"; '
                    r'class="mixin"; title="%s"; rel="%sos_tpl"; '
                    r'location="%s/os_tpl/\1/"' % (
                        re.escape(OS), name, re.escape(INFRA),
                        re.escape(self.occi_url)), category)
                self.assertIsNotNone(found, '%s: %s' % (what, category))
                image_id = found.group(1)
                self.forget_image(image_id)
            image = self.wait_image_active(image_id)
            self.assertEqual(name, image['name'], what)
            self.assertEqual(method.replace('deffered', 'deferred'),
                             image['ooi_save_method'], what)
            self.wait_saved(server_id)
        done = ['create'] + ['createImage'] * 3 + [
            'stop', 'createImage', 'start'] * 2
        self.assertEqual(done, self.actions(server_id))
        # text/uri-list renders no template: refused before Nova is asked.
        headers, data = save_request('text/plain', 'hot')
        headers['Accept'] = 'text/uri-list'
        response = self.occi('POST', '/compute/%s?action=save' % server_id,
                             headers=headers, data=data)
        self.assertEqual(400, response.status_code, response.text)
        self.assertEqual(done, self.actions(server_id))

    def test_boot_from_the_saved_template(self):
        # A slow upload (the mini-cloud's fake driver) keeps the template
        # from being active for a few seconds.
        server_id = self.boot(metadata={UPLOAD_SECONDS_KEY: '4'})
        name = 'boot-%s' % uuid.uuid4().hex[:8]
        image_id = self.assertImageMixin(self.save(server_id, 'hot', name))
        create = {'Content-Type': 'text/plain',
                  'Accept': 'application/occi+json'}
        body = ('Category: compute; scheme="%s"; class="kind"\n'
                'Category: %s; scheme="%s"; class="mixin"\n'
                'X-OCCI-Attribute: occi.core.title="from-%s"\n'
                % (INFRA, image_id, OS, name))
        early = self.occi('POST', '/compute/', headers=create, data=body)
        self.assertEqual(409, early.status_code, early.text)
        self.assertIn('not active yet', early.json()['error']['message'])
        self.wait_image_active(image_id)
        response = self.occi('POST', '/compute/', headers=create, data=body)
        self.assertEqual(201, response.status_code, response.text)
        new_id = response.headers['Location'].rsplit('/', 1)[1]
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % new_id)
        server = self.wait_server(new_id, 'ACTIVE')
        self.assertEqual(image_id, server['image']['id'])
        compute = self.occi('GET', '/compute/%s' % new_id, headers={
            'Accept': 'application/occi+json'}).json()
        self.assertIn(OS + image_id, compute['mixins'])
        self.assertEqual('from-%s' % name, compute['title'])

    def test_other_project_can_neither_save_nor_see(self):
        server_id = self.boot()
        response = self.save(server_id, 'hot', token=self.alt_token)
        self.assertEqual(404, response.status_code, response.text)
        image_id = self.assertImageMixin(self.save(server_id, 'hot'))
        self.wait_image_active(image_id)
        status, _ = self.image(image_id, token=self.alt_token)
        self.assertEqual(404, status)
        model = self.occi('GET', '/-/', token=self.alt_token, headers={
            'Accept': 'application/occi+json'}).json()
        self.assertNotIn(image_id, [m['term'] for m in model['mixins']])

    def test_unknown_compute(self):
        response = self.save(str(uuid.uuid4()), 'deferred')
        self.assertEqual(404, response.status_code, response.text)

    def test_bad_method(self):
        server_id = self.boot()
        response = self.save(server_id, 'lukewarm')
        self.assertEqual(400, response.status_code, response.text)
