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

"""The claims of servers in the OCCI database (SQLite, synced for real).

Two save managers with registries of their own and one database stand for
two nova-api nodes.
"""

import os
import threading
import time

import fixtures

from ooi_save.backend.save import claims
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import sweep
from ooi_save.db import claims as db_claims
from ooi_save.db import migration
from ooi_save import exceptions
from tests.unit.save import base as save_base


class ClaimTestCase(save_base.ResumeTestCase):

    def setUp(self):
        tmp = fixtures.TempDir()
        self.db_url = None
        super().setUp()
        self.useFixture(tmp)
        self.db_url = 'sqlite:///' + os.path.join(tmp.path, 'occi.db')
        migration.upgrade(self.db_url)
        oslo_conf = self.conf.oslo_conf
        oslo_conf.set_override('connection', self.db_url,
                               group='occi_database')
        self.store = db_claims.claims_for(oslo_conf.occi_database)
        self.manager = self.make_manager()
        self.other = self.make_manager(
            registry=claims.Registry(host='other-node'))
        self.addCleanup(self.other.registry.wait, 10)

    def make_manager(self, **kwargs):
        if getattr(self, 'db_url', None):
            kwargs.setdefault('claim_store', self.store)
        return super().make_manager(**kwargs)

    def finish_all(self):
        self.finish()
        self.assertTrue(self.other.registry.wait(10))

    def save_via(self, manager, server_id, method, name):
        return manager.save(self.session(), server_id, method, name,
                            save_base.COMPUTE_URL % server_id)


class TestOneWinner(ClaimTestCase):

    def test_saves_released_together_through_two_nodes(self):
        self.nova.upload_seconds = 0.6
        for methods in (('hot',) * 3, ('hot', 'deferred', 'hot'),
                        ('deferred',) * 5,
                        ('hot', 'deferred', 'hot', 'deferred', 'hot')):
            server_id = self.nova.add_server()
            barrier = threading.Barrier(len(methods))
            answers = []

            def one(index, method):
                manager = (self.manager, self.other)[index % 2]
                barrier.wait()
                try:
                    self.save_via(manager, server_id, method, 'n%d' % index)
                    answers.append(200)
                except exceptions.Error as error:
                    answers.append((error.code, error.message))
            threads = [threading.Thread(target=one, args=(index, method))
                       for index, method in enumerate(methods)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(20)
            self.assertEqual(1, answers.count(200), (methods, answers))
            refused = [a for a in answers if a != 200]
            self.assertEqual([409] * (len(methods) - 1),
                             [code for code, _ in refused], answers)
            for _, message in refused:
                # Ours; or Nova's, once the winner's snapshot runs.
                self.assertRegex(message, 'being saved already|busy '
                                 r'\(task image_|in task_state image_')
            self.finish_all()
            self.nova_done(server_id)
            self.assertClean(server_id)
            self.assertEqual(1, self.nova.kinds(server_id).count(
                'createImage'), methods)
            self.assertEqual(1, len([i for i in self.nova.images.values()
                                     if i['instance_uuid'] == server_id]))
            self.assertIsNone(self.store.get(server_id))

    def test_named_hot_save_asks_nova_nothing_but_the_snapshot(self):
        # The watch of the upload reads the server only after a while,
        # once the caller is answered.
        self.manager.watch_options = save_base.LATE_WATCH
        server_id = self.nova.add_server()
        self.save(server_id, 'hot', 'cheap')
        self.assertEqual([('POST', '/servers/%s/action' % server_id)],
                         self.nova_calls())
        self.assertIsNone(self.store.get(server_id))
        self.finish()
        # Then it reads the image in Glance until the upload is over: no
        # more Nova.
        self.assertEqual([('POST', '/servers/%s/action' % server_id)],
                         self.nova_calls())
        self.assertGreaterEqual(self.glance_calls, 1)

    def test_refused_while_another_node_holds_the_server(self):
        server_id = self.nova.add_server()
        held, _ = self.store.take(server_id, 'other-node:1:abcdef',
                                  save_record.DEFERRED, 60)
        for method in ('hot', 'deferred'):
            error = self.assertRaises(exceptions.Conflict, self.save,
                                      server_id, method, 'x')
            self.assertIn('being saved already (a deferred save, since',
                          error.message)
        error = self.assertRaises(
            exceptions.Conflict, self._hold, self.manager, server_id,
            'stop')
        self.assertIn('the stop is refused until the save has finished',
                      error.message)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertEqual(held.hold, self.store.get(server_id).hold)

    def _hold(self, manager, server_id, action):
        with manager.holding(self.session(), server_id, action):
            pass

    def test_save_refused_while_an_action_holds_the_server(self):
        server_id = self.nova.add_server()
        with self.other.holding(self.session(), server_id, 'stop'):
            error = self.assertRaises(exceptions.Conflict, self.save,
                                      server_id, 'hot', 'x')
        self.assertIn('busy (task stop, asked through OCCI', error.message)
        self.assertIsNone(self.store.get(server_id))
        self.save(server_id, 'hot', 'then')

    def test_stop_refused_during_a_deferred_save(self):
        # The upload lasts long enough for the stop to come during it on a
        # busy machine too.
        self.nova.upload_seconds = 2
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'first')
        error = self.assertRaises(exceptions.Conflict, self._hold,
                                  self.other, server_id, 'stop')
        self.assertIn('being saved (a deferred save', error.message)
        self.finish_all()
        self.assertClean(server_id)
        self.assertIsNone(self.store.get(server_id))

    def test_deferred_save_records_once_and_snapshots_after_the_stop(self):
        # The claim keeps other saves out: the record of the stop names
        # the request createImage goes with, and is not written again.
        self.nova.upload_seconds = 0.2
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'once')
        self.finish_all()
        self.assertEqual(['tag', 'record', 'os-stop', 'createImage', 'tag',
                          'unrecord', 'os-start', 'untag', 'untag'],
                         [kind for kind, _ in self.nova.events])
        (record,) = self.nova.records_at_stop
        (action,) = [action for action in self.nova.actions[server_id]
                     if action['action'] == 'createImage']
        self.assertTrue(action['request_id'].endswith(record['rq']))
        self.assertClean(server_id)
        self.assertIsNone(self.store.get(server_id))


class TestTakeOver(ClaimTestCase):

    def test_stale_hot_claim_of_a_dead_process_is_taken_over(self):
        server_id = self.nova.add_server()
        self.store.take(server_id, self.dead_owner(), save_record.HOT, 60)
        self.save(server_id, 'hot', 'after')
        self.assertIsNone(self.store.get(server_id))

    def test_expired_claim_of_a_live_node_is_taken_over(self):
        server_id = self.nova.add_server()
        self.store.take(server_id, 'other-node:1:abcdef', save_record.HOT,
                        -1)
        self.save(server_id, 'hot', 'after')
        self.assertIsNone(self.store.get(server_id))

    def test_chain_of_a_dead_process_resumed_with_its_claim(self):
        server_id = self.left_at('stop', 'SHUTOFF')
        self.store.take(server_id, self.dead_owner(), save_record.DEFERRED,
                        60)
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'hot', 'x')
        self.assertIn('being saved already', error.message)
        self.finish()
        self.assertClean(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertIsNone(self.store.get(server_id))

    def test_live_claim_of_another_node_is_left_to_it(self):
        server_id = self.left_at('stop', 'SHUTOFF')
        claim, _ = self.store.take(server_id, 'other-node:1:abcdef',
                                   save_record.DEFERRED, 60)
        self.resume(server_id)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertEqual(claim.hold, self.store.get(server_id).hold)

    def test_one_of_two_takers_wins(self):
        server_id = self.nova.add_server()
        old, _ = self.store.take(server_id, self.dead_owner(),
                                 save_record.DEFERRED, -1)
        won = [self.store.take_over(old, owner, save_record.DEFERRED, 60)
               for owner in ('a:1:aaaaaa', 'b:2:bbbbbb')]
        self.assertIsNotNone(won[0])
        self.assertIsNone(won[1])
        self.assertEqual('a:1:aaaaaa', self.store.get(server_id).owner)

    def test_a_chain_that_lost_its_claim_stops(self):
        manager = self.make_manager(lease=0.3)
        self.nova.upload_seconds = 1.5
        server_id = self.nova.add_server()
        manager.save(self.session(), server_id, 'deferred', 'x',
                     save_base.COMPUTE_URL % server_id)
        time.sleep(0.4)
        claim = self.store.get(server_id)
        # Another node took the claim over meanwhile (its lease ran out).
        self.assertIsNotNone(self.store.take_over(
            claim, 'other-node:1:abcdef', save_record.DEFERRED, 60))
        self.finish()
        self.assertEqual('other-node:1:abcdef',
                         self.store.get(server_id).owner)
        self.assertNotIn('os-start', self.nova.kinds(server_id))


class TestSweep(ClaimTestCase):

    def test_sweep_drops_the_claims_no_one_holds(self):
        manager = self.make_manager(lease=5)
        tagged = self.left_at('restart', 'SHUTOFF')
        other = self.nova.add_server()
        gone = 'f' * 8 + '-0000-0000-0000-' + '0' * 12
        old = time.time() - 60
        for server_id, kind in ((tagged, save_record.DEFERRED),
                                (other, save_record.DEFERRED),
                                (gone, save_record.HOT)):
            self.store.take(server_id, 'other-node:1:abcdef', kind, -60)
        live, _ = self.store.take(self.nova.add_server(),
                                  'other-node:1:abcdef', save_record.HOT, 60)
        self.assertLess(self.store.get(gone).expires, old + 1)
        sweep.Sweeper(manager).sweep()
        manager.registry.wait(10)
        # The tagged server's chain was resumed with its claim, then done.
        self.assertClean(tagged)
        self.assertIsNone(self.store.get(tagged))
        self.assertIsNone(self.store.get(other))
        self.assertIsNone(self.store.get(gone))
        self.assertEqual(live.hold, self.store.get(live.server_id).hold)

    def test_database_not_synced_answers_503(self):
        oslo_conf = self.conf.oslo_conf
        oslo_conf.set_override('connection', self.db_url + '-empty',
                               group='occi_database')
        manager = self.make_manager(
            claim_store=db_claims.claims_for(oslo_conf.occi_database))
        server_id = self.nova.add_server()
        error = self.assertRaises(
            exceptions.ServiceUnavailable, manager.save, self.session(),
            server_id, 'hot', 'x', save_base.COMPUTE_URL % server_id)
        self.assertIn('ooi-save-manage db sync', error.message)
        self.assertEqual([], self.nova_calls())
