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

"""The Nova adapter: sub-requests on a stack chunk of their own, and
Nova's lost task-state races answered 409 for every action."""

import sys

import testtools

from ooi_save.backend.services import nova
from ooi_save import exceptions
from tests.unit.compute import base as compute_base
from tests.unit.compute.base import ACTION
from tests.unit.compute.base import INFRA
from tests.unit.compute.base import OS
from tests.unit.compute.base import RES
from tests.unit.save import base as save_base


class FreshChunkCallerTest(testtools.TestCase):

    def test_passes_arguments_and_result_through(self):
        self.assertEqual((1, 'b'), nova._call_on_fresh_chunk(
            lambda a, b: (a, b), 1, 'b'))
        self.assertRaises(KeyError, nova._call_on_fresh_chunk, {}.pop, 'x')

    def test_frame_is_bigger_than_two_default_chunks(self):
        self.assertEqual('cpython', sys.implementation.name)
        code = nova._call_on_fresh_chunk.__code__
        # 16 KiB chunks: a frame over 32 KiB gets a 64 KiB chunk.
        self.assertGreater(code.co_nlocals * 8, 32 * 1024)
        self.assertLess(code.co_nlocals * 8, 48 * 1024)


class LostRaceTest(compute_base.ComputeTestCase):
    """Every action that loses Nova's task-state race answers 409."""

    def act(self, server_id, term, method=None):
        body = 'Category: %s; scheme="%s"; class="action"\n' % (
            term, ACTION)
        if method:
            body += 'X-OCCI-Attribute: method="%s"\n' % method
        return self.call('/compute/%s?action=%s' % (server_id, term),
                         'POST', 'application/occi+json', body.encode(),
                         {'Content-Type': 'text/plain'})

    def assertLost(self, response, server_id, what):
        self.assertEqual(409, response.status_int, what)
        message = response.json['error']['message']
        self.assertIn('Compute %s is busy: another request began a task'
                      % server_id, message, what)
        # Nova's exception names are not ours to answer with.
        self.assertNotIn('Unexpected', message, what)
        self.assertNotIn('class', message, what)

    def test_actions(self):
        cases = [('start', None, 'SHUTOFF', 'os-start'),
                 ('stop', None, 'ACTIVE', 'os-stop'),
                 ('restart', 'warm', 'ACTIVE', 'reboot'),
                 ('restart', 'warm', 'SHUTOFF', 'os-start'),
                 ('suspend', 'suspend', 'ACTIVE', 'suspend'),
                 ('suspend', 'hibernate', 'ACTIVE', 'shelve')]
        for term, method, status, nova_action in cases:
            what = '%s %s from %s' % (term, method, status)
            server = self.nova.add_server(status=status)
            self.nova.loses_race[nova_action] = True
            self.assertLost(self.act(server['id'], term, method),
                            server['id'], what)
            self.assertEqual(status, server['status'], what)
            self.assertEqual([], self.nova.actions, what)
            # The claim was released: the next try goes through.
            self.assertEqual(200, self.act(server['id'], term,
                                           method).status_int, what)
            self.nova.actions.clear()

    def test_deleting_task_state_lost(self):
        server = self.nova.add_server()
        self.nova.loses_race['os-stop'] = True
        self.nova.loses_race_with = 'UnexpectedDeletingTaskStateError'
        response = self.act(server['id'], 'stop')
        self.assertEqual(409, response.status_int, response.text)
        message = response.json['error']['message']
        self.assertIn('another request began to delete it', message)
        self.assertNotIn('Unexpected', message)

    def test_resize_and_rebuild(self):
        self.glance.images.append({'id': 'image-3', 'name': 'other',
                                   'status': 'active'})
        self.glance.refresh()
        for mixin, nova_action in (('m1.small; scheme="%s"' % RES,
                                    'resize'),
                                   ('image-3; scheme="%s"' % OS,
                                    'rebuild')):
            server = self.nova.add_server(name='vm')
            self.nova.loses_race[nova_action] = True
            body = ('Category: compute; scheme="%s"; class="kind"\n'
                    'Category: %s; class="mixin"\n' % (INFRA, mixin))
            response = self.call('/compute/' + server['id'], 'POST',
                                 'application/occi+json', body.encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertLost(response, server['id'], nova_action)
            self.assertEqual([], self.nova.actions)

    def test_other_server_errors_stay_502(self):
        server = self.nova.add_server()
        self.nova.loses_race['os-stop'] = True
        self.nova.loses_race_with = 'InstanceNotRunning'
        response = self.act(server['id'], 'stop')
        self.assertEqual(502, response.status_int, response.text)
        message = response.json['error']['message']
        self.assertNotIn('InstanceNotRunning', message)
        self.assertNotIn('<class', message)
        self.assertIn("Nova's log under request id req-", message)


class LostSnapshotRaceTest(save_base.SaveTestCase):
    """A lost createImage: 409, and the image Nova registered deleted."""

    def test_save(self):
        for method in ('hot', 'deferred'):
            server_id = self.nova.add_server(status='SHUTOFF')
            self.nova.loses_race['createImage'] = 'image_snapshot_pending'
            self.nova.race_task_seconds = 0
            error = self.assertRaises(exceptions.Conflict, self.save,
                                      server_id, method, 'loser')
            self.assertIn('another request began', error.message)
            self.assertEqual({}, self.nova.images)
            self.finish()
            self.assertClean(server_id, 'SHUTOFF')


class HeldComputeTest(compute_base.ComputeTestCase):
    """OCCI power actions hold the compute's claim around their call."""

    def act(self, server_id, term):
        return self.call('/compute/%s?action=%s' % (server_id, term),
                         'POST', 'application/occi+json',
                         ('Category: %s; scheme="%s"; class="action"\n'
                          % (term, ACTION)).encode(),
                         {'Content-Type': 'text/plain'})

    def test_refused_while_a_deferred_save_holds_the_compute(self):
        gate = self.occi.backend.saves.gate
        for term, status in (('stop', 'ACTIVE'), ('start', 'SHUTOFF'),
                             ('restart', 'ACTIVE'), ('suspend', 'ACTIVE')):
            server = self.nova.add_server(status=status)
            claim, _ = gate.store.take(server['id'], 'other:1:abcdef',
                                       'deferred', 60)
            response = self.act(server['id'], term)
            self.assertEqual(409, response.status_int, response.text)
            self.assertIn('is being saved (a deferred save, since',
                          response.json['error']['message'])
            self.assertIn('the %s is refused until the save has finished'
                          % term, response.json['error']['message'])
            self.assertEqual([], self.nova.actions)
            gate.store.release(claim)
            self.assertEqual(200, self.act(server['id'], term).status_int)
            self.assertIsNone(gate.store.get(server['id']))
            self.nova.actions.clear()
