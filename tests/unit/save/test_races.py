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

"""Saves that meet: each other, a chain under way, Nova's lost races."""

import threading
import time


from ooi_save.backend.save import record as save_record
from ooi_save import exceptions
from tests.unit.save import base as save_base


class TestConcurrency(save_base.SaveTestCase):

    def test_second_save_during_a_deferred_one(self):
        # Long enough for the three saves to come during it on a busy
        # machine too.
        self.nova.upload_seconds = 2
        server_id = self.nova.add_server()
        image = self.save(server_id, 'deferred', 'first')
        for method, name in (('hot', 'second'), ('hot', None),
                             ('deferred', 'second')):
            error = self.assertRaises(exceptions.Conflict, self.save,
                                      server_id, method, name)
            self.assertIn('being saved already', error.message)
        self.finish()
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertEqual([image['id']], list(self.nova.images))
        self.assertClean(server_id)

    def test_two_deferred_saves_at_once(self):
        server_id = self.nova.add_server()
        results = []

        def one(name):
            try:
                results.append(self.save(server_id, 'deferred', name))
            except exceptions.Error as error:
                results.append(error)
        threads = [threading.Thread(target=one, args=('n%d' % i,))
                   for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        self.finish()
        self.assertEqual(1, len([r for r in results if isinstance(r, dict)]))
        conflicts = [r for r in results if isinstance(r, exceptions.Error)]
        self.assertEqual([409], [c.code for c in conflicts])
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_hot_save_during_a_hot_one(self):
        self.nova.upload_seconds = 2
        server_id = self.nova.add_server()
        self.save(server_id, name='one')
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  name='two')
        self.assertIn("Cannot 'createImage'", error.message)
        self.assertEqual(1, len(self.nova.images))


class TestAfterTheChain(save_base.SaveTestCase):
    """A save asked once a deferred chain has started the compute again."""

    def started_again(self, server_id):
        """Wait until the chain started the server, its tag still on."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            server = self.nova.server(server_id)
            if (server['status'] == 'ACTIVE' and
                    not server['OS-EXT-STS:task_state'] and
                    'os-start' in self.nova.kinds(server_id)):
                return server
            time.sleep(0.005)
        self.fail('compute %s was not started again' % server_id)

    def check(self, method):
        self.nova.tag_delete_seconds = 0.15
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'first')
        server = self.started_again(server_id)
        # The window: the compute runs with no task, the record is gone
        # (before the start), the tag is on.
        self.assertNotIn(save_record.RECORD_KEY, server['metadata'])
        self.assertIn(save_record.TAG, server['tags'])
        image = self.save(server_id, method, 'second')
        self.assertEqual('second', image['name'])
        self.finish()
        self.nova_done(server_id)
        self.assertClean(server_id)
        self.assertEqual(2, self.nova.kinds(server_id).count('createImage'))

    def test_hot_save_accepted(self):
        self.check('hot')

    def test_deferred_save_accepted(self):
        self.check('deferred')

    def test_save_still_refused_while_the_chain_runs(self):
        self.nova.upload_seconds = 1
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'first')
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'hot', 'second')
        self.assertIn('being saved already', error.message)


class TestWorkerThreads(save_base.SaveTestCase):
    """Saves released together by the worker threads of one process."""

    def test_one_save_of_many(self):
        # A snapshot slow enough that the saves overlap.
        self.nova.upload_seconds = 1
        for methods in (('deferred',) * 4, ('hot', 'deferred') * 2):
            server_id = self.nova.add_server()
            barrier = threading.Barrier(len(methods))
            outcomes = []

            def one(method, index):
                barrier.wait()
                try:
                    self.save(server_id, method, 'n%d' % index)
                    outcomes.append(200)
                except exceptions.Conflict:
                    outcomes.append(409)
            threads = [threading.Thread(target=one, args=(method, index))
                       for index, method in enumerate(methods)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(10)
            self.assertEqual([200] + [409] * (len(methods) - 1),
                             sorted(outcomes), methods)
            self.finish()
            self.nova_done(server_id)
            self.assertClean(server_id)
            self.assertEqual(1, self.nova.kinds(server_id).count(
                'createImage'))


class TestLostRaces(save_base.SaveTestCase):
    """Nova's 500 when another request won the server's task state."""

    def test_hot_snapshot_lost_is_a_conflict_and_leaves_no_image(self):
        server_id = self.nova.add_server()
        self.nova.loses_race['createImage'] = 'image_snapshot_pending'
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'hot', 'loser')
        self.assertIn('busy (task image_snapshot_pending', error.message)
        self.assertEqual({}, self.nova.images)

    def test_hot_snapshot_lost_to_a_task_over_already_is_a_conflict(self):
        # The winner's stop was quick: over before we look at the server.
        server_id = self.nova.add_server()
        self.nova.loses_race['createImage'] = 'powering-off'
        self.nova.race_task_seconds = 0
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'hot', 'loser')
        self.assertIn('another request began', error.message)
        self.assertEqual({}, self.nova.images)

    def test_stop_lost_to_a_task_over_already_is_a_conflict(self):
        server_id = self.nova.add_server()
        self.nova.loses_race['os-stop'] = 'image_snapshot_pending'
        self.nova.race_task_seconds = 0
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'deferred', 'loser')
        self.assertIn('another request began', error.message)
        self.finish()
        self.assertClean(server_id)

    def test_other_failures_of_create_image_stay_backend_errors(self):
        server_id = self.nova.add_server()
        self.nova.create_error = (500, 'Unexpected API Error.',
                                  'computeFault')
        self.assertRaises(exceptions.BackendError, self.save, server_id,
                          'hot', 'x')

    def test_images_of_other_saves_are_left_alone(self):
        server_id = self.nova.add_server()
        kept = self.save(server_id, 'hot', 'kept')['id']
        self.nova_done(server_id)
        self.nova.loses_race['createImage'] = 'image_snapshot_pending'
        self.assertRaises(exceptions.Conflict, self.save, server_id, 'hot',
                          'loser')
        self.assertEqual([kept], list(self.nova.images))
        # The winner's task over, nothing waits on the server any more.
        self.nova.later(server_id, 0, task=None)
        self.finish()
        self.assertEqual([kept], list(self.nova.images))

    def test_stop_lost_to_another_stop(self):
        server_id = self.nova.add_server()
        self.nova.loses_race['os-stop'] = 'powering-off'
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'deferred', 'loser')
        self.assertIn('being saved already (another request stopped',
                      error.message)
        # The record and the tag are the winner's to keep.
        self.assertIn(save_record.TAG, self.nova.server(server_id)['tags'])

    def test_stop_lost_to_a_snapshot_undoes_the_record(self):
        server_id = self.nova.add_server()
        self.nova.loses_race['os-stop'] = 'image_snapshot_pending'
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  'deferred', 'loser')
        self.assertIn('busy (task image_snapshot_pending', error.message)
        # Nova refuses to change the metadata while the winner's snapshot
        # runs: the record goes once it is over.
        self.assertIn(save_record.RECORD_KEY,
                      self.nova.server(server_id)['metadata'])
        self.nova.later(server_id, 0.05, task=None)
        self.finish()
        self.assertClean(server_id)
        self.assertEqual([], self.nova.kinds(server_id))

    def test_snapshot_held_back_by_a_racing_stop_is_sent_again(self):
        # A racing request read the server ACTIVE, then stopped it again
        # once our stop was over: its powering-off makes Nova refuse our
        # snapshot (500), and is over at once, leaving the server SHUTOFF.
        server_id = self.nova.add_server()
        self.nova.loses_race['createImage'] = 'powering-off'
        self.nova.race_task_seconds = 0
        image = self.save(server_id, 'deferred', 'kept')
        self.finish()
        self.assertEqual([image['id']], list(self.nova.images))
        self.assertClean(server_id)
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
