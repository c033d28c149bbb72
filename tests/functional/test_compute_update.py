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

"""Updating and deleting computes through OCCI on the real mini-cloud.

Every request rendering (text/plain, text/occi+plain, text/occi headers,
application/occi+json) is sent as a body, and every answer rendering is
asked for in Accept (text/uri-list where the answer is a listing). What
OCCI says is checked against what Nova and Glance say natively.
"""

import uuid

from tests.functional import base
from tests.functional.base import BODY_TYPES
from tests.functional.base import ENTITY_TYPES
from tests.functional.base import INFRA
from tests.functional.base import OS
from tests.functional.base import render
from tests.functional.base import RES
from tests.functional.base import SSH_KEY


class UpdateTest(base.ComputeTestBase):

    def test_put_renames_and_resizes(self):
        server_id, _ = self.create(title='small-one')
        self.wait_server(server_id, 'ACTIVE')
        headers, data = render(
            'text/plain', INFRA + 'compute',
            (RES + self.flavor_term('m1.medium'),),
            {'occi.core.title': 'bigger-one'})
        response = self.occi('PUT', '/compute/%s' % server_id, data=data,
                             headers=dict(headers, Accept='text/occi'))
        self.assertEqual(200, response.status_code, response.text)
        values = self.answer(response).attributes()
        self.assertEqual('bigger-one', values['occi.core.title'])
        self.assertEqual(2, values['occi.compute.cores'])
        self.assertEqual(4.0, values['occi.compute.memory'])
        # The resize was confirmed before the answer: nothing waits for
        # the client.
        self.assertEqual('ACTIVE', values['occi.compute.state.message'])
        server = self.wait_server(server_id, 'ACTIVE')
        self.assertEqual('m1.medium', server['flavor']['original_name'])
        self.assertEqual('bigger-one', server['name'])
        self.assertEqual(['create', 'resize', 'confirmResize'],
                         self.instance_actions(server_id))

    def test_put_rebuilds_with_another_os_tpl(self):
        image = self.upload_image('rebuild-%s' % uuid.uuid4().hex[:6])
        queued = self.upload_image('queued-%s' % uuid.uuid4().hex[:6],
                                   data=None)
        server_id, _ = self.create()
        self.wait_server(server_id, 'ACTIVE')
        headers, data = render(
            'application/occi+json', INFRA + 'compute', (OS + queued['id'],))
        response = self.occi('PUT', '/compute/%s' % server_id, data=data,
                             headers=headers)
        self.assertEqual(409, response.status_code, response.text)
        self.assertIn('queued', response.text)
        headers, data = render(
            'application/occi+json', INFRA + 'compute', (OS + image['id'],))
        response = self.occi('PUT', '/compute/%s' % server_id, data=data,
                             headers=dict(headers,
                                          Accept='application/occi+json'))
        self.assertEqual(200, response.status_code, response.text)
        self.assertIn(OS + image['id'], response.json()['mixins'])
        server = self.wait_server(server_id, 'ACTIVE')
        self.assertEqual(image['id'], server['image']['id'])
        self.assertEqual(['create', 'rebuild'],
                         self.instance_actions(server_id))

    def test_post_updates_part_of_a_compute(self):
        server_id, _ = self.create(title='before', flavor='m1.small')
        self.wait_server(server_id, 'ACTIVE')
        for number, body_type in enumerate(BODY_TYPES):
            title = 'after-%d' % number
            headers, data = render(body_type, attributes={
                'occi.core.title': title})
            accept = ENTITY_TYPES[(number + 2) % len(ENTITY_TYPES)]
            response = self.occi('POST', '/compute/%s' % server_id,
                                 data=data, headers=dict(headers,
                                                         Accept=accept))
            self.assertEqual(200, response.status_code, response.text)
            values = self.answer(response).attributes()
            self.assertEqual(title, values['occi.core.title'], body_type)
            self.assertEqual(2.0, values['occi.compute.memory'])
            self.assertEqual(title, self.server(server_id)['name'])
        self.assertEqual(['create'], self.instance_actions(server_id))

    def test_bad_updates_are_400(self):
        server_id, _ = self.create(title='unchanged')
        cases = [
            ('PUT', render('text/plain', attributes={
                'occi.core.title': 'no kind'}), 'kind'),
            ('POST', render('text/occi', attributes={
                'occi.compute.architecture': 'x86'}),
             'occi.compute.architecture'),
            ('POST', render('application/occi+json', mixins=(
                RES + 'm1.huge',)), 'm1.huge'),
            ('POST', render('text/plain', mixins=(SSH_KEY,)), 'ssh_key'),
        ]
        for method, (headers, data), word in cases:
            response = self.occi(method, '/compute/%s' % server_id,
                                 data=data, headers=headers)
            self.assertEqual(400, response.status_code, response.text)
            self.assertIn(word, response.text)
        self.assertEqual('unchanged', self.server(server_id)['name'])


class DeleteTest(base.ComputeTestBase):

    def test_delete_in_every_rendering(self):
        for accept in ENTITY_TYPES:
            server_id, _ = self.create()
            response = self.occi('DELETE', '/compute/%s' % server_id,
                                 headers={'Accept': accept})
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual(accept, self.answer(response).type)
            self.wait_gone(server_id)
            response = self.occi('DELETE', '/compute/%s' % server_id,
                                 headers={'Accept': accept})
            self.assertEqual(404, response.status_code, response.text)

    def test_uri_list_is_refused_before_anything_is_done(self):
        # GFD.229 section 8: Accept text/uri-list on a request whose
        # answer is not a listing is a bad request; it must be refused
        # before Nova is asked to do anything.
        server_id, _ = self.create(title='kept')
        self.wait_server(server_id, 'ACTIVE')
        headers, data = render('text/plain', INFRA + 'compute',
                               attributes={'occi.core.title': 'renamed'})
        requests = [('DELETE', '/compute/%s' % server_id, {}, None),
                    ('POST', '/compute/%s?action=stop' % server_id, {}, None),
                    ('POST', '/compute/%s?action=save' % server_id, {}, None),
                    ('PUT', '/compute/%s' % server_id, headers, data),
                    ('POST', '/compute/%s' % server_id, headers, data),
                    ('GET', '/compute/%s' % server_id, {}, None),
                    ('GET', '/-/', {}, None)]
        for method, path, headers, data in requests:
            response = self.occi(method, path, data=data, headers=dict(
                headers, Accept='text/uri-list'))
            self.assertEqual(400, response.status_code, (method, path))
            self.assertIn('text/uri-list', response.text)
            self.assertEqual('nova=0, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
        server = self.server(server_id)
        self.assertEqual(('ACTIVE', 'kept'), (server['status'],
                                              server['name']))
        self.assertEqual(['create'], self.instance_actions(server_id))
