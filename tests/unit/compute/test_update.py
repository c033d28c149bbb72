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

"""Updating and deleting computes, and what text/uri-list may not do.

Every rendering is used both as request body and as answer.
"""

import json

from tests.unit.compute import base as compute_base
from tests.unit.compute.base import INFRA
from tests.unit.compute.base import OS
from tests.unit.compute.base import RES


class UpdateTest(compute_base.ComputeTestCase):

    def test_uri_list_is_refused_before_anything_is_done(self):
        server = self.nova.add_server(name='untouched')
        sid = server['id']
        update = ('Category: compute; scheme="%s"; class="kind"\n'
                  'X-OCCI-Attribute: occi.core.title="renamed"\n' % INFRA)
        cases = [('/compute/' + sid, 'DELETE', b''),
                 ('/compute/', 'DELETE', b''),
                 ('/compute/%s?action=stop' % sid, 'POST', b''),
                 ('/compute/?action=stop', 'POST', b''),
                 ('/compute/%s?action=save' % sid, 'POST', b''),
                 ('/compute/' + sid, 'PUT', update.encode()),
                 ('/compute/' + sid, 'POST', update.encode())]
        for path, method, body in cases:
            calls = len(self.nova.calls)
            response = self.call(path, method, 'text/uri-list', body,
                                 {'Content-Type': 'text/plain'})
            what = '%s %s' % (method, path)
            self.assertEqual(400, response.status_int, what)
            self.assertEqual('text/plain', response.content_type, what)
            self.assertIn('text/uri-list', response.text, what)
            self.assertEqual(calls, len(self.nova.calls), what)
        self.assertEqual([], self.nova.actions)
        self.assertEqual('untouched', self.nova.servers[sid]['name'])
        self.assertEqual('ACTIVE', self.nova.servers[sid]['status'])

    def test_update_renames_resizes_and_rebuilds(self):
        server = self.nova.add_server(name='before')
        self.glance.images.append({'id': 'image-3', 'name': 'other',
                                   'status': 'active'})
        self.glance.refresh()
        body = ('Category: compute; scheme="%s"; class="kind"\n'
                'Category: 2; scheme="%s"; class="mixin"\n'
                'Category: image-3; scheme="%s"; class="mixin"\n'
                'X-OCCI-Attribute: occi.core.title="after"\n'
                % (INFRA, RES, OS))
        response = self.call('/compute/' + server['id'], 'PUT',
                             'application/occi+json', body.encode(),
                             {'Content-Type': 'text/plain'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('after', response.json['title'])
        self.assertEqual(2, response.json['attributes'][
            'occi.compute.cores'])
        self.assertEqual(['rebuild', 'resize', 'confirmResize'],
                         [a[1] for a in self.nova.actions])

    def test_partial_update_by_post(self):
        server = self.nova.add_server(name='before')
        response = self.call(
            '/compute/' + server['id'], 'POST', 'application/occi+json',
            json.dumps({'attributes': {'occi.core.title': 'after'}}).encode(),
            {'Content-Type': 'application/occi+json'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('after', response.json['title'])
        self.assertEqual([], self.nova.actions)

    def test_delete_one_and_all(self):
        first = self.nova.add_server()
        self.nova.add_server()
        response = self.call('/compute/' + first['id'], 'DELETE',
                             accept='text/occi')
        self.assertEqual(200, response.status_int)
        self.assertEqual(1, len(self.nova.servers))
        response = self.call('/compute/', 'DELETE')
        self.assertEqual(200, response.status_int)
        self.assertEqual({}, self.nova.servers)
