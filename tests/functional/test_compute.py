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

"""Compute through OCCI on the real mini-cloud, in every rendering."""

import json
import uuid

from tests.functional import base

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'


class ComputeTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.image_id = self.image_by_name('cirros-fake')['id']

    def create(self, body_type='text/plain', accept='text/plain',
               title=None, flavor='m1.tiny', token=None):
        """Create a compute through OCCI; deleted when the test ends."""
        title = title or 'occi-%s' % uuid.uuid4().hex[:8]
        if body_type == 'text/occi':
            headers = {
                'Content-Type': 'text/occi',
                'Category': '%s' % ', '.join([
                    'compute; scheme="%s"; class="kind"' % INFRA,
                    '%s; scheme="%s"; class="mixin"' % (self.image_id, OS),
                    '%s; scheme="%s"; class="mixin"' % (flavor, RES)]),
                'X-OCCI-Attribute': 'occi.core.title="%s"' % title}
            data = None
        elif body_type.endswith('json'):
            headers = {'Content-Type': body_type}
            data = json.dumps({
                'kind': INFRA + 'compute',
                'mixins': [OS + self.image_id, RES + flavor],
                'attributes': {'occi.core.title': title}})
        else:
            headers = {'Content-Type': body_type}
            data = ('Category: compute; scheme="%s"; class="kind"\n'
                    'Category: %s; scheme="%s"; class="mixin"\n'
                    'Category: %s; scheme="%s"; class="mixin"\n'
                    'X-OCCI-Attribute: occi.core.title="%s"\n'
                    % (INFRA, self.image_id, OS, flavor, RES, title))
        headers['Accept'] = accept
        response = self.occi('POST', '/compute/', token=token,
                             headers=headers, data=data)
        self.assertEqual(201, response.status_code, response.text)
        location = response.headers['Location']
        server_id = location.rsplit('/', 1)[1]
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % server_id,
                        token=token)
        return location, server_id, response

    def get_json(self, server_id, token=None):
        response = self.occi('GET', '/compute/%s' % server_id, token=token,
                             headers={'Accept': 'application/occi+json'})
        self.assertEqual(200, response.status_code, response.text)
        return response.json()

    def wait_state(self, server_id, state, timeout=60):
        for _ in range(int(timeout / 0.5)):
            body = self.get_json(server_id)
            if (body['attributes']['occi.compute.state'] == state and
                    'task' not in body['attributes'][
                        'occi.compute.state.message']):
                return body
            base.time.sleep(0.5)
        self.fail('compute %s never became %s: %s'
                  % (server_id, state, body))

    def test_create_in_every_rendering(self):
        for body_type, accept in (('text/plain', 'text/uri-list'),
                                  ('text/occi', 'text/occi'),
                                  ('application/occi+json',
                                   'application/occi+json'),
                                  ('text/occi+plain', 'text/plain')):
            location, server_id, response = self.create(body_type, accept)
            self.assertTrue(location.startswith(self.occi_url + '/compute/'))
            if accept.endswith('json'):
                self.assertEqual(server_id, response.json()['id'])
            else:
                self.assertIn(location, response.text +
                              response.headers.get('X-OCCI-Location', ''))
            server = self.nova('GET', '/servers/%s' % server_id,
                               expect=200).json()['server']
            self.assertEqual(self.image_id, server['image']['id'])
            self.assertEqual('m1.tiny', server['flavor']['original_name'])

    def test_read_costs_one_nova_call(self):
        _, server_id, _ = self.create(title='read-me')
        body = self.wait_state(server_id, 'active')
        self.assertEqual('read-me', body['title'])
        self.assertEqual(1, body['attributes']['occi.compute.cores'])
        self.assertEqual(0.5, body['attributes']['occi.compute.memory'])
        self.assertIn(OS + self.image_id, body['mixins'])
        self.assertIn(RES + 'm1.tiny', body['mixins'])
        for accept in ('text/plain', 'text/occi', 'application/occi+json'):
            response = self.occi('GET', '/compute/%s' % server_id,
                                 headers={'Accept': accept})
            self.assertEqual('nova=1, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
            self.assertIn('read-me', response.text + str(response.headers))

    def test_list_in_every_rendering(self):
        ids = [self.boot() for _ in range(2)]
        for accept in ('text/plain', 'text/occi', 'text/uri-list',
                       'application/occi+json'):
            response = self.occi('GET', '/compute/',
                                 headers={'Accept': accept})
            self.assertEqual(200, response.status_code)
            self.assertEqual('nova=1, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
            text = response.text + str(response.headers)
            for server_id in ids:
                self.assertIn(server_id, text, accept)

    def test_actions_stop_start_restart_suspend(self):
        _, server_id, _ = self.create()
        self.wait_state(server_id, 'active')
        for term, method, state in (('stop', 'graceful', 'inactive'),
                                    ('start', None, 'active'),
                                    ('restart', 'cold', 'active'),
                                    ('suspend', 'suspend', 'suspended'),
                                    ('start', None, 'active')):
            body = {'action': ACTION + term}
            if method:
                body['attributes'] = {'method': method}
            response = self.occi(
                'POST', '/compute/%s?action=%s' % (server_id, term),
                headers={'Content-Type': 'application/occi+json',
                         'Accept': 'application/occi+json'},
                data=json.dumps(body))
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual(server_id, response.json()['id'])
            self.wait_state(server_id, state)
        actions = [a['action'] for a in self.nova(
            'GET', '/servers/%s/os-instance-actions' % server_id).json()[
                'instanceActions']]
        self.assertEqual(['create', 'stop', 'start', 'reboot', 'suspend',
                          'resume'], list(reversed(actions)))

    def test_action_not_allowed_now_is_409(self):
        _, server_id, _ = self.create()
        self.wait_state(server_id, 'active')
        response = self.occi(
            'POST', '/compute/%s?action=start' % server_id,
            headers={'Content-Type': 'text/plain'},
            data='Category: start; scheme="%s"; class="action"' % ACTION)
        self.assertEqual(409, response.status_code, response.text)

    def test_resize_and_rename(self):
        _, server_id, _ = self.create(title='small-one')
        self.wait_state(server_id, 'active')
        response = self.occi(
            'PUT', '/compute/%s' % server_id,
            headers={'Content-Type': 'text/plain',
                     'Accept': 'application/occi+json'},
            data='Category: compute; scheme="%s"; class="kind"\n'
                 'Category: m1.small; scheme="%s"; class="mixin"\n'
                 'X-OCCI-Attribute: occi.core.title="bigger-one"\n'
                 % (INFRA, RES))
        self.assertEqual(200, response.status_code, response.text)
        body = self.wait_state(server_id, 'active')
        self.assertEqual('bigger-one', body['title'])
        self.assertIn(RES + 'm1.small', body['mixins'])
        self.assertEqual(2.0, body['attributes']['occi.compute.memory'])

    def test_delete(self):
        _, server_id, _ = self.create()
        response = self.occi('DELETE', '/compute/%s' % server_id)
        self.assertEqual(200, response.status_code, response.text)
        for _ in range(60):
            if self.nova('GET', '/servers/%s' % server_id).status_code == 404:
                break
            base.time.sleep(0.5)
        else:
            self.fail('compute %s was not deleted' % server_id)

    def test_other_project_sees_and_touches_nothing(self):
        # Nova answers another project's request for a server with 404,
        # except while the server is still a build request (before the
        # scheduler has put it in a cell): then its policy check answers
        # 403. Either way the other project learns nothing of the server.
        _, server_id, _ = self.create()
        alt = self.alt_token
        response = self.occi('GET', '/compute/%s' % server_id, token=alt,
                             headers={'Accept': 'application/occi+json'})
        self.assertIn(response.status_code, (403, 404), response.text)
        self.assertNotIn('occi.compute.state', response.text)
        listing = self.occi('GET', '/compute/', token=alt,
                            headers={'Accept': 'text/uri-list'})
        self.assertEqual(200, listing.status_code)
        self.assertNotIn(server_id, listing.text)
        self.wait_state(server_id, 'active')
        for method, path in (('GET', ''), ('DELETE', ''),
                             ('POST', '?action=stop')):
            response = self.occi(method, '/compute/%s%s' % (server_id, path),
                                 token=alt)
            self.assertEqual(404, response.status_code, response.text)
        self.assertEqual('active', self.wait_state(server_id, 'active')[
            'attributes']['occi.compute.state'])

    def test_query_interface_lists_templates(self):
        response = self.occi('GET', '/-/',
                             headers={'Accept': 'application/occi+json'})
        mixins = {m['scheme'] + m['term']: m
                  for m in response.json()['mixins']}
        image = mixins[OS + self.image_id]
        self.assertEqual('cirros-fake', image['title'])
        self.assertEqual([INFRA + 'os_tpl'], image['depends'])
        tiny = mixins[RES + 'm1.tiny']
        self.assertEqual(0.5, tiny['attributes']['occi.compute.memory'][
            'default'])
        self.assertEqual([INFRA + 'resource_tpl'], tiny['depends'])
