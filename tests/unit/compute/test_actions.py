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

"""Compute actions on one compute and on the collection.

Every rendering is used both as request body and as answer.
"""

import json

from tests.unit.compute import base as compute_base
from tests.unit.compute.base import ACTION


class ActionTest(compute_base.ComputeTestCase):

    def test_actions_map_to_nova(self):
        server = self.nova.add_server()
        sid = server['id']
        steps = [('stop', None, 'os-stop', 'inactive'),
                 ('start', None, 'os-start', 'active'),
                 ('restart', 'cold', 'reboot', 'active'),
                 ('suspend', 'suspend', 'suspend', 'suspended'),
                 ('start', None, 'resume', 'active'),
                 ('suspend', 'hibernate', 'shelve', 'suspended'),
                 ('start', None, 'unshelve', 'active')]
        for term, method, nova_action, state in steps:
            body = 'Category: %s; scheme="%s"; class="action"\n' % (
                term, ACTION)
            if method:
                body += 'X-OCCI-Attribute: method="%s"\n' % method
            response = self.call('/compute/%s?action=%s' % (sid, term),
                                 'POST', 'application/occi+json',
                                 body.encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual(nova_action, self.nova.actions[-1][1])
            self.assertEqual(state, response.json['attributes'][
                'occi.compute.state'])
        self.assertEqual({'type': 'HARD'}, self.nova.actions[2][2])

    def test_restart_follows_the_state(self):
        cases = [('ACTIVE', 'warm', 'reboot', {'type': 'SOFT'}),
                 ('ACTIVE', 'graceful', 'reboot', {'type': 'SOFT'}),
                 ('ACTIVE', 'cold', 'reboot', {'type': 'HARD'}),
                 ('SHUTOFF', 'warm', 'os-start', None),
                 ('SHUTOFF', 'cold', 'os-start', None),
                 ('ERROR', 'warm', 'reboot', {'type': 'HARD'})]
        for status, method, nova_action, args in cases:
            server = self.nova.add_server(status=status)
            response = self.call(
                '/compute/%s?action=restart' % server['id'], 'POST',
                'application/occi+json', json.dumps({
                    'action': ACTION + 'restart',
                    'attributes': {'method': method}}).encode(),
                {'Content-Type': 'application/occi+json'})
            what = '%s %s: %s' % (status, method, response.text)
            self.assertEqual(200, response.status_int, what)
            self.assertEqual((server['id'], nova_action, args),
                             self.nova.actions[-1], what)
            self.assertEqual('active', response.json['attributes'][
                'occi.compute.state'], what)

    def test_action_invocation_in_json_and_headers(self):
        server = self.nova.add_server()
        response = self.call(
            '/compute/%s?action=restart' % server['id'], 'POST',
            body=json.dumps({'action': ACTION + 'restart', 'attributes': {
                'method': 'warm'}}).encode(),
            headers={'Content-Type': 'application/occi+json'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual({'type': 'SOFT'}, self.nova.actions[-1][2])
        response = self.call(
            '/compute/%s?action=stop' % server['id'], 'POST',
            accept='text/occi', headers={
                'Category': 'stop; scheme="%s"; class="action"' % ACTION,
                'X-OCCI-Attribute': 'method="acpioff"'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('os-stop', self.nova.actions[-1][1])

    def test_action_errors(self):
        server = self.nova.add_server()
        cases = [('fly', b'', 400), ('start', b'', 409),
                 ('stop', b'X-OCCI-Attribute: method="yank"', 400)]
        for term, body, status in cases:
            if body:
                body = ('Category: %s; scheme="%s"; class="action"\n'
                        % (term, ACTION)).encode() + body
            response = self.call('/compute/%s?action=%s'
                                 % (server['id'], term), 'POST', body=body,
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(status, response.status_int, response.text)

    def test_action_category_must_match_query(self):
        server = self.nova.add_server()
        response = self.call(
            '/compute/%s?action=stop' % server['id'], 'POST',
            body=('Category: start; scheme="%s"; class="action"'
                  % ACTION).encode(),
            headers={'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_int)

    def test_collection_action(self):
        for _ in range(3):
            self.nova.add_server()
        response = self.call('/compute/?action=stop', 'POST')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual({'SHUTOFF'}, {s['status'] for s in
                                       self.nova.servers.values()})

    def test_collection_action_tries_every_member(self):
        stopped = self.nova.add_server(status='SHUTOFF')
        for _ in range(2):
            self.nova.add_server()
        response = self.call('/compute/?action=stop', 'POST',
                             accept='application/occi+json')
        self.assertEqual(409, response.status_int, response.text)
        self.assertIn(stopped['id'], response.json['error']['message'])
        self.assertEqual({'SHUTOFF'}, {s['status'] for s in
                                       self.nova.servers.values()})
        self.assertEqual(2, len(self.nova.actions))

    def test_collection_save_is_not_implemented(self):
        self.nova.add_server()
        response = self.call('/compute/?action=save', 'POST')
        self.assertEqual(501, response.status_int, response.text)
        self.assertEqual([], self.nova.actions)
