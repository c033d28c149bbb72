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

"""A hot save whose upload loses Glance: its image is deleted once it is back.

Nova answers a hot save at once and uploads afterwards; the
:class:`tests.unit.fakes.cloud_nova.CloudNova` with ``snapshot_fails =
'glance'`` ends the upload as Nova does when Glance went away: no task,
and the image left ``saving``. Glance is answered by requests-mock, and
taken away by making its image URLs refuse connections.
"""

import time
import uuid

import fixtures

from ooi_save.backend.save import hot
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import snapshot
from ooi_save.backend.save import sweep
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes.keystone import TRUST_TOKEN
from tests.unit.save import base as save_base
from tests.unit.save import test_trusts


class GlanceWindow(save_base.GlanceWindow):
    """Glance taken away, and what a failed hot save leaves."""

    def assertFailedAndClean(self, server_id, image_id):
        """The image is gone; only the record of the failure is left."""
        self.assertNotIn(image_id, self.nova.images)
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertIsNone(server['OS-EXT-STS:task_state'])
        self.assertEqual([], server['tags'])
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])
        record = save_record.record_of(server)
        self.assertEqual('failed', record['step'])
        self.assertEqual('hot', record['m'])
        self.assertEqual(image_id, record['img'])
        self.assertIn('Glance could not be reached', record['err'])
        self.assertIn('was deleted', record['err'])
        self.assertTrue(save_record.describe(record).startswith(
            'hot save failed: Glance could not be reached'))
        self.assertTrue(save_record.shown(record))
        self.assertFalse(self.manager.gate.store.get(server_id))
        return record


class TestHotUploadLosesGlance(GlanceWindow, save_base.SaveTestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(level='INFO'))

    def test_image_deleted_once_glance_answers(self):
        self.nova.snapshot_fails = 'glance'
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        self.glance_down()
        record = self.wait_step(server_id, 'clean')
        # Nova is done and the compute runs; its state says the save
        # failed, why, and what happens next.
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertIsNone(server['OS-EXT-STS:task_state'])
        self.assertIn(save_record.TAG, server['tags'])
        self.assertEqual(('hot', image['id'], snapshot.GLANCE_LOST),
                         (record['m'], record['img'], record['err']))
        self.assertEqual(
            'hot save failed: Glance could not be reached during the '
            'snapshot upload; its image is deleted once Glance answers '
            'again', save_record.describe(record))
        time.sleep(0.2)
        self.assertEqual('saving', self.nova.images[image['id']]['status'])
        self.glance_back()
        self.finish()
        self.assertFailedAndClean(server_id, image['id'])
        self.assertIn('Hot save of compute %s: deleted image %s of the '
                      'failed snapshot' % (server_id, image['id']),
                      self.log.output)
        # Nothing of a save is left to refuse the next one.
        self.nova.snapshot_fails = False
        self.save(server_id, 'hot', 'again')
        self.finish()
        self.assertEqual(['active'], [i['status'] for i in
                                      self.nova.images.values()])

    def test_glance_back_before_nova_is_done(self):
        # Nova's own delete failed, but Glance answers by the time Nova is
        # done with the server: the watch deletes the image at once.
        self.nova.snapshot_fails = 'glance'
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        self.finish()
        self.assertFailedAndClean(server_id, image['id'])
        self.assertIn('Hot save of compute %s failed: deleted image %s, '
                      'left saving' % (server_id, image['id']),
                      self.log.output)

    def test_a_deferred_save_recorded_meanwhile_keeps_its_record(self):
        self.nova.upload_seconds = 0.2
        self.nova.snapshot_fails = 'glance'
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        now = save_record.now()
        chain = save_record.encode({
            'v': 1, 'id': 'beef0000', 'step': 'stop', 'm': 'deferred',
            'from': 'ACTIVE', 't0': now, 'at': now, 'dl': now + 60,
            'own': self.manager.owner})
        self.nova.servers[server_id]['metadata'][
            save_record.RECORD_KEY] = chain
        self.finish()
        self.assertNotIn(image['id'], self.nova.images)
        self.assertEqual(chain, self.nova.server(server_id)['metadata'][
            save_record.RECORD_KEY])

    def test_glance_lost_after_a_good_upload(self):
        # The image went active before Glance went away: once it answers,
        # the save is done and nothing is recorded. The watch reads once
        # Glance is away.
        self.manager.watch_options = save_base.LATE_WATCH
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        self.glance_down()
        self.wait_step(server_id, 'clean')
        self.glance_back()
        self.finish()
        self.assertEqual('active', self.nova.images[image['id']]['status'])
        self.assertClean(server_id)

    def test_a_good_hot_save_leaves_nothing(self):
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        self.finish()
        self.assertEqual('active', self.nova.images[image['id']]['status'])
        self.nova_done(server_id)
        self.assertClean(server_id)
        self.assertNotIn('failed', self.log.output)

    def test_a_long_upload_is_watched_on_glance(self):
        # The image is read in Glance (Glance alone) while Nova uploads; the
        # server (Nova, and Neutron for its groups) once every few reads,
        # only to tell a failed upload from one going on.
        self.nova.upload_seconds = 0.6
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        self.finish()
        self.assertEqual('active', self.nova.images[image['id']]['status'])
        reads = self.nova_calls().count(('GET', '/servers/' + server_id))
        self.assertGreater(self.glance_calls, hot.IMAGE_READS)
        self.assertLessEqual(reads * hot.IMAGE_READS, self.glance_calls)

    def test_server_deleted_during_the_upload(self):
        self.nova.upload_seconds = 0.3
        self.nova.snapshot_fails = 'glance'
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        del self.nova.servers[server_id]
        self.finish()
        # Glance answers: the image of the failed snapshot is deleted.
        self.assertNotIn(image['id'], self.nova.images)


class TestHotUploadThroughTrust(GlanceWindow, test_trusts.TrustTestCase):

    def test_trust_recorded_with_the_failure_and_deleted_at_the_end(self):
        self.nova.snapshot_fails = 'glance'
        server_id = self.nova.add_server()
        image = self.save(server_id, 'hot', 'n')
        # The answer cost no trust: one is created only for a failure.
        self.assertEqual([], self.keystone)
        self.glance_down()
        self.wait_step(server_id, 'clean')
        trust_id = self.nova.server(server_id)['metadata'][
            save_record.TRUST_KEY]
        self.assertIn(trust_id, self.trusts)
        self.assertIn(('create', 'secret-token'), self.keystone)
        self.glance_back()
        self.finish()
        self.assertFailedAndClean(server_id, image['id'])
        self.assertEqual({}, self.trusts)
        self.assertNoTokenLogged()

    def test_sweep_deletes_the_image_through_the_trust(self):
        # The process that recorded the failure is gone; Glance is back.
        image_id = str(uuid.uuid4())
        left, trust_id = self.left_with_trust(
            'clean', 'ACTIVE', m='hot', img=image_id,
            err=snapshot.GLANCE_LOST)
        self.nova.images[image_id] = {
            'id': image_id, 'name': 'n', 'status': 'saving',
            'instance_uuid': left, 'image_type': 'snapshot',
            'ooi_save_method': 'hot'}
        sweep.Sweeper(self.manager).sweep()
        self.finish()
        self.assertFailedAndClean(left, image_id)
        deletes = [r for r in self.requests_mock.request_history
                   if r.method == 'DELETE' and
                   r.url.startswith(fake_glance.GLANCE_URL)]
        self.assertEqual([TRUST_TOKEN],
                         [r.headers['X-Auth-Token'] for r in deletes])
        self.assertNotIn(trust_id, self.trusts)
        self.assertIn('Hot save of compute %s: deleted image %s of the '
                      'failed snapshot' % (left, image_id), self.log.output)
        self.assertNoTokenLogged()
