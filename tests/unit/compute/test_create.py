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

"""Creating computes: every rendering, templates, credentials, refusals.

Every rendering is used both as request body and as answer.
"""

from tests.unit import base
from tests.unit import client
from tests.unit.compute import base as compute_base
from tests.unit.compute.base import CREATE_PLAIN
from tests.unit.compute.base import create_request
from tests.unit.compute.base import INFRA


class CreateTest(compute_base.ComputeTestCase):

    def test_create_in_every_rendering_answered_in_every_rendering(self):
        for body_type in ('text/plain', 'text/occi+plain', 'text/occi',
                          'application/occi+json', 'application/json'):
            for accept in ('text/plain', 'text/occi',
                           'application/occi+json', 'text/uri-list'):
                headers, body = create_request(body_type)
                response = self.call('/compute/', 'POST', accept, body,
                                     headers)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                location = response.headers['Location']
                self.assertTrue(location.startswith(
                    client.HOST_URL + '/occi1.2/compute/'), what)
                self.assertIn(location, response.text + str(
                    response.headers), what)
                created = self.nova.created[-1]
                self.assertEqual('my "vm"', created['name'], what)
                self.assertEqual('myhost', created['hostname'], what)
                self.assertEqual('image-1', created['imageRef'], what)
                self.assertEqual('2', created['flavorRef'], what)
                self.assertEqual('none', created['networks'], what)

    def test_create_refuses_what_nova_cannot_honour(self):
        cases = [
            ('X-OCCI-Attribute: occi.compute.cores=8\n', 'cores'),
            ('X-OCCI-Attribute: occi.compute.architecture="x86"\n',
             'architecture'),
            ('Category: ipnetwork; scheme="http://schemas.ogf.org/occi/'
             'infrastructure/network#"; class="mixin"\n', 'ipnetwork'),
        ]
        for extra, word in cases:
            response = self.call('/compute/', 'POST',
                                 body=(CREATE_PLAIN + extra).encode(),
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(400, response.status_int, word)
            self.assertIn(word, response.text)
        self.assertEqual([], self.nova.created)

    def test_without_links_nova_checks_the_image(self):
        response = self.call('/compute/', 'POST', body=CREATE_PLAIN.encode(),
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(201, response.status_int, response.text)
        self.assertIn('glance=0', response.headers['X-OCCI-Backend-Calls'])
        for term in ('image-9', 'not%20an%20id'):
            body = CREATE_PLAIN.replace('image-1', term)
            response = self.call('/compute/', 'POST', body=body.encode(),
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(400, response.status_int, term)
            self.assertIn('Unknown OS template', response.text)
        self.assertEqual(1, len(self.nova.created))

    def test_create_from_a_template_still_uploading_is_409(self):
        body = CREATE_PLAIN.replace('image-1', 'image-2')
        response = self.call('/compute/', 'POST', body=body.encode(),
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(409, response.status_int)
        self.assertIn('saving', response.text)

    def test_create_with_ssh_key_and_user_data(self):
        body = CREATE_PLAIN + (
            'Category: ssh_key; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/credentials#"; class="mixin"\n'
            'Category: user_data; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/compute#"; class="mixin"\n'
            'X-OCCI-Attribute: occi.credentials.ssh.publickey="ssh-rsa AAA"\n'
            'X-OCCI-Attribute: occi.compute.userdata="#!/bin/sh"\n')
        for _ in range(2):
            response = self.call('/compute/', 'POST', body=body.encode(),
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(201, response.status_int, response.text)
        created = self.nova.created[-1]
        self.assertEqual(['ssh-rsa AAA'], list(self.nova.keypairs.values()))
        self.assertEqual(list(self.nova.keypairs), [created['key_name']])
        self.assertEqual('IyEvYmluL3No', created['user_data'])

    def test_kind_only_create_uses_configured_defaults(self):
        occi, nova = base.build(
            {'resume_saves_at_startup': 'false',
             'default_os_tpl': 'image-1',
             'default_resource_tpl': 'm1.tiny'})
        body = 'Category: compute; scheme="%s"; class="kind"\n' % INFRA
        response = client.call(occi, '/compute/', 'POST', None,
                               body.encode(), {'Content-Type': 'text/plain'})
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('1', nova.created[-1]['flavorRef'])
        self.assertEqual('image-1', nova.created[-1]['imageRef'])
        # By name: the newest active image of that name.
        self.glance.images.append({'id': 'image-4', 'name': 'cirros',
                                   'status': 'active',
                                   'created_at': '2030-01-01T00:00:00Z'})
        self.glance.images.append({'id': 'image-5', 'name': 'cirros',
                                   'status': 'queued',
                                   'created_at': '2031-01-01T00:00:00Z'})
        self.glance.refresh()
        occi, nova = base.build(
            {'resume_saves_at_startup': 'false',
             'default_os_tpl': 'cirros',
             'default_resource_tpl': 'm1.tiny'})
        response = client.call(occi, '/compute/', 'POST', None,
                               body.encode(), {'Content-Type': 'text/plain'})
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('image-4', nova.created[-1]['imageRef'])
        response = self.call('/compute/', 'POST', body=body.encode(),
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_int)
        self.assertIn('os_tpl', response.text)
