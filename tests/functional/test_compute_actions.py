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

"""Compute actions through OCCI on the real mini-cloud, on one compute and
on the collection.

Every request rendering (text/plain, text/occi+plain, text/occi headers,
application/occi+json) is sent as a body, and every answer rendering is
asked for in Accept (text/uri-list where the answer is a listing). What
OCCI says is checked against what Nova and Glance say natively.

Only :class:`CollectionTest` acts on a whole collection, and it does so in
the mini-cloud's second project, where no other test creates computes.
"""

from tests.functional import base
from tests.functional.base import BODY_TYPES
from tests.functional.base import ENTITY_TYPES
from tests.functional.base import render_action


class ActionTest(base.ComputeTestBase):

    def test_every_action_and_method(self):
        server_id, _ = self.create()
        self.wait_server(server_id, 'ACTIVE')
        # (action, method, Nova status after, Nova actions it took)
        steps = [('stop', 'graceful', 'SHUTOFF', ['stop']),
                 ('start', None, 'ACTIVE', ['start']),
                 ('stop', 'acpioff', 'SHUTOFF', ['stop']),
                 ('restart', 'warm', 'ACTIVE', ['start']),
                 ('stop', 'poweroff', 'SHUTOFF', ['stop']),
                 ('start', None, 'ACTIVE', ['start']),
                 ('restart', 'graceful', 'ACTIVE', ['reboot']),
                 ('restart', None, 'ACTIVE', ['reboot']),
                 ('restart', 'cold', 'ACTIVE', ['reboot']),
                 ('suspend', 'suspend', 'SUSPENDED', ['suspend']),
                 ('start', None, 'ACTIVE', ['resume']),
                 ('suspend', None, 'SUSPENDED', ['suspend']),
                 ('start', None, 'ACTIVE', ['resume']),
                 ('suspend', 'hibernate', 'SHELVED_OFFLOADED', ['shelve']),
                 ('start', None, 'ACTIVE', ['unshelve'])]
        expected = ['create']
        for number, (term, method, status, nova_actions) in enumerate(
                steps):
            body_type = BODY_TYPES[number % len(BODY_TYPES)]
            accept = ENTITY_TYPES[(number + 1) % len(ENTITY_TYPES)]
            what = '%s(%s) in %s -> %s' % (term, method, body_type, accept)
            response = self.act(server_id, term, method, body_type, accept)
            self.assertEqual(200, response.status_code,
                             '%s: %s' % (what, response.text))
            answer = self.answer(response)
            self.assertEqual(accept, answer.type, what)
            self.assertEqual(server_id, answer.attributes()[
                'occi.core.id'], what)
            if term == 'restart' and status == 'ACTIVE' and nova_actions == [
                    'reboot']:
                # The answer shows the reboot Nova accepted: HARD_REBOOT
                # for a cold restart, REBOOT for the others.
                message = answer.attributes()['occi.compute.state.message']
                if method == 'cold':
                    self.assertIn('HARD_REBOOT', message, what)
                elif message != 'ACTIVE':
                    self.assertNotIn('HARD', message, what)
                    self.assertIn('REBOOT', message, what)
            self.wait_server(server_id, status)
            expected += nova_actions
            self.assertEqual(expected, self.instance_actions(server_id),
                             what)

    def test_start_unpauses(self):
        server_id = self.boot()
        self.nova('POST', '/servers/%s/action' % server_id,
                  body={'pause': None}, expect=202)
        self.wait_server(server_id, 'PAUSED')
        answer = self.read(server_id)
        self.assertEqual('suspended', answer.attributes()[
            'occi.compute.state'])
        self.assertEqual({'start'}, answer.actions())
        response = self.act(server_id, 'start', body_type='text/occi')
        self.assertEqual(200, response.status_code, response.text)
        self.wait_server(server_id, 'ACTIVE')
        self.assertEqual(['create', 'pause', 'unpause'],
                         self.instance_actions(server_id))

    def test_action_errors(self):
        server_id, _ = self.create()
        self.wait_server(server_id, 'ACTIVE')
        self.nova('POST', '/servers/%s/action' % server_id,
                  body={'os-stop': None}, expect=202)
        self.wait_server(server_id, 'SHUTOFF')
        cases = [
            # Nova's own reason for a state that forbids the action.
            ('stop', None, 'text/plain', 409, 'vm_state stopped'),
            ('suspend', 'suspend', 'application/occi+json', 409,
             "Cannot 'suspend'"),
            ('fly', None, 'text/occi', 400, 'fly'),
            ('stop', 'yank', 'text/occi+plain', 400, 'yank'),
        ]
        for term, method, body_type, status, words in cases:
            if term == 'fly':
                headers, data = {}, None
            else:
                headers, data = render_action(body_type, term, method)
            for accept in ENTITY_TYPES:
                response = self.occi(
                    'POST', '/compute/%s?action=%s' % (server_id, term),
                    data=data, headers=dict(headers, Accept=accept))
                self.assertEqual(status, response.status_code,
                                 response.text)
                answer = self.answer(response)
                self.assertEqual(accept, answer.type)
                self.assertIn(words, answer.error(), accept)
        # The category must be the action named in ?action=.
        headers, data = render_action('text/plain', 'start')
        response = self.occi('POST', '/compute/%s?action=stop' % server_id,
                             headers=headers, data=data)
        self.assertEqual(400, response.status_code, response.text)
        # A save of a whole collection is not something this backend does.
        response = self.occi('POST', '/compute/?action=save',
                             headers={'Accept': 'application/occi+json'})
        self.assertEqual(501, response.status_code, response.text)
        self.assertEqual(['create', 'stop'], self.instance_actions(server_id))


class CollectionTest(base.ComputeTestBase):
    """Actions and delete on the whole collection, in the second project.

    No other test creates computes in that project, so the collection is
    this test's own.
    """

    def test_collection_action_and_delete(self):
        alt = self.alt_token
        mine, _ = self.create()
        ids = [self.create(token=alt)[0] for _ in range(2)]
        for server_id in ids:
            self.wait_server(server_id, 'ACTIVE', token=alt)
        self.nova('POST', '/servers/%s/action' % ids[0], token=alt,
                  body={'os-stop': None}, expect=202)
        self.wait_server(ids[0], 'SHUTOFF', token=alt)
        headers, data = render_action('application/occi+json', 'stop')
        response = self.occi('POST', '/compute/?action=stop', token=alt,
                             data=data, headers=dict(headers,
                                                     Accept='text/plain'))
        # The stopped one refuses, the other is stopped all the same.
        self.assertEqual(409, response.status_code, response.text)
        self.assertIn(ids[0], response.text)
        self.assertNotIn(ids[1], response.text)
        self.wait_server(ids[1], 'SHUTOFF', token=alt)
        headers, data = render_action('text/occi', 'start')
        response = self.occi('POST', '/compute/?action=start', token=alt,
                             data=data, headers=dict(headers,
                                                     Accept='text/occi'))
        self.assertEqual(200, response.status_code, response.text)
        for server_id in ids:
            self.wait_server(server_id, 'ACTIVE', token=alt)
        response = self.occi('DELETE', '/compute/', token=alt, headers={
            'Accept': 'application/occi+json'})
        self.assertEqual(200, response.status_code, response.text)
        for server_id in ids:
            self.wait_gone(server_id, token=alt)
        self.assertEqual([], self.nova('GET', '/servers', token=alt).json()[
            'servers'])
        # The first project's compute saw none of it.
        self.assertEqual(['create'], self.instance_actions(mine))
        self.assertNotEqual('DELETED', self.server(mine)['status'])
