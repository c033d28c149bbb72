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

"""Chains left by a nova-api killed at each of their steps, resumed."""

import time


from ooi_save.backend.save import record as save_record
from tests.unit.fakes.cloud_nova import iso_time
from tests.unit.fakes.cloud_nova import QUICK
from tests.unit.fakes import nova as fake_nova
from tests.unit.save import base as save_base


class TestResume(save_base.ResumeTestCase):
    """A chain left by a nova-api killed at each of its steps."""

    def test_killed_while_stopping(self):
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off')
        self.nova.later(server_id, QUICK, status='SHUTOFF', task=None)
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertEqual('active', image['status'])
        self.assertClean(server_id)

    def test_killed_before_the_stop_was_sent(self):
        server_id = self.left_at('stop', 'ACTIVE')
        self.resume(server_id)
        # A resumer never stops a server: the save is dropped, visibly.
        self.assertEqual([], self.nova.kinds(server_id))
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertNotIn(save_record.TAG, server['tags'])
        self.assertEqual('failed', save_record.record_of(server)['step'])

    def test_killed_stopped_before_the_snapshot_step(self):
        server_id = self.left_at('stop', 'SHUTOFF')
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_killed_before_create_image_was_sent(self):
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=iso_time(time.time() - 1))
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertClean(server_id)

    def test_killed_inside_create_image(self):
        # Nova registered the image in Glance, then nova-api died before
        # Nova sent the snapshot: the image stays queued, no action tells
        # of it. The resumer deletes it before it snapshots again.
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=iso_time(time.time() - 1))
        self.nova.images['left'] = {
            'id': 'left', 'name': 'recorded-name', 'status': 'queued',
            'instance_uuid': server_id,
            save_record.IMAGE_REQUEST_KEY: 'chain-c0ffee00'}
        # Another compute's, and an active one: not this chain's leftovers.
        for image_id, server, status in (('other', 'x', 'queued'),
                                         ('done', server_id, 'active')):
            self.nova.images[image_id] = {
                'id': image_id, 'status': status, 'instance_uuid': server,
                save_record.IMAGE_REQUEST_KEY: 'chain-c0ffee00'}
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertNotIn('left', self.nova.images)
        self.assertIn('other', self.nova.images)
        made = [image for image in self.nova.images.values()
                if image['id'] not in ('other', 'done')]
        self.assertEqual([('recorded-name', 'active', 'chain-c0ffee00')],
                         [(image['name'], image['status'],
                           image[save_record.IMAGE_REQUEST_KEY])
                          for image in made])
        self.assertClean(server_id)

    def test_killed_during_the_upload(self):
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=iso_time(time.time() - 1))
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, fake_nova.Context())
        self.nova.events.clear()
        self.resume(server_id)
        # The snapshot under way is waited for, not taken again.
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual(1, len(self.nova.images))
        self.assertClean(server_id)

    def left_snapshotting(self, step, upload_over=True, **record):
        """A chain left once its createImage was sent, then resumed.

        The record names the request createImage was sent with.

        :param upload_over: resume once the upload is over, else while it
            runs
        """
        context = fake_nova.Context()
        server_id = self.left_at(step, 'SHUTOFF',
                                 rq=context.request_id[-12:], **record)
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, context)
        if upload_over:
            time.sleep(0.1)
        self.nova.events.clear()
        self.resume(server_id)
        return server_id

    def test_killed_after_the_upload(self):
        server_id = self.left_snapshotting('snapshot',
                                           ts=iso_time(time.time() - 1))
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual(1, len(self.nova.images))
        self.assertClean(server_id)

    def test_snapshot_of_another_request_does_not_count(self):
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=iso_time(time.time() - 1),
                                 rq='0123456789ab')
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'someone else'}, fake_nova.Context())
        time.sleep(0.1)
        self.nova.events.clear()
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_killed_after_the_start(self):
        server_id = self.left_at('snapshot', 'ACTIVE',
                                 ts=iso_time(time.time() - 1))
        self.nova.actions[server_id].append({
            'action': 'createImage', 'start_time': iso_time(time.time() - 30),
            'updated_at': iso_time(micro=True), 'message': None,
            'request_id': 'req-1'})
        self.resume(server_id)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_older_snapshot_does_not_count(self):
        server_id = self.left_at('snapshot', 'SHUTOFF', ts=iso_time())
        self.nova.actions[server_id].append({
            'action': 'createImage', 'message': None, 'request_id': 'req-0',
            'start_time': iso_time(time.time() - 600, micro=True),
            'updated_at': iso_time(time.time() - 590, micro=True)})
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))

    def test_killed_during_the_upload_with_the_stop_record(self):
        # With the claims in the database the chain snapshots right after
        # the stop, its record still at the stop step, naming the request.
        self.nova.upload_seconds = 0.2
        server_id = self.left_snapshotting('stop', upload_over=False)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('active', image['status'])
        self.assertClean(server_id)

    def test_killed_after_the_upload_with_the_stop_record(self):
        # Past the stop deadline too: the snapshot counts, nothing is
        # given up.
        server_id = self.left_snapshotting('stop', dl=save_record.now() - 1)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual(1, len(self.nova.images))
        self.assertClean(server_id)

    def test_killed_stopped_before_its_named_create_image(self):
        # The record names a request whose createImage Nova never logged:
        # the resumer records the snapshot step with its own, and snapshots.
        server_id = self.left_at('stop', 'SHUTOFF', rq='0123456789ab')
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertClean(server_id)

    def test_killed_while_restarting(self):
        for keep in (0, 1):
            server_id = self.left_at('restart', 'SHUTOFF', keep=keep,
                                     err='Nova refused the snapshot')
            self.resume(server_id)
            self.assertEqual(['os-start'], self.nova.kinds(server_id))
            server = self.nova.server(server_id)
            self.assertEqual('ACTIVE', server['status'])
            self.assertNotIn(save_record.TAG, server['tags'])
            record = save_record.record_of(server)
            if keep:
                self.assertEqual('failed', record['step'])
                self.assertIn('refused', record['err'])
            else:
                self.assertIsNone(record)

    def test_killed_when_removing_the_record(self):
        server_id = self.nova.add_server(tags=[save_record.TAG])
        self.resume(server_id)
        self.assertClean(server_id)

    def test_killed_between_the_record_and_the_start(self):
        # The snapshot is done, the start tag set and the record removed;
        # nova-api ended before os-start: whoever finds it starts it.
        server_id = self.nova.add_server(
            status='SHUTOFF', tags=[save_record.TAG, save_record.START_TAG])
        self.resume(server_id)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        server = self.assertClean(server_id)
        self.assertEqual([], server['tags'])

    def test_killed_after_the_start_was_taken(self):
        server_id = self.nova.add_server(
            tags=[save_record.TAG, save_record.START_TAG])
        self.resume(server_id)
        self.assertEqual([], self.nova.kinds(server_id))
        server = self.assertClean(server_id)
        self.assertEqual([], server['tags'])

    def test_stopped_compute_with_a_stale_tag_stays_stopped(self):
        # The tag alone (a chain begun and undone) starts nothing.
        server_id = self.nova.add_server(status='SHUTOFF',
                                         tags=[save_record.TAG])
        self.resume(server_id)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertClean(server_id, status='SHUTOFF')

    def test_stop_deadline_passed(self):
        server_id = self.left_at('stop', 'SHUTOFF', dl=save_record.now() - 1)
        self.resume(server_id)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual({}, self.nova.images)
        record = save_record.record_of(self.nova.server(server_id))
        self.assertIn('did not stop within', record['err'])

    def test_nothing_to_resume_costs_nothing(self):
        server_id = self.nova.add_server()
        server = self.nova.server(server_id)
        calls = len(self.nova.calls)
        self.manager.resume_if_pending(self.session(), server)
        self.assertEqual(calls, len(self.nova.calls))
        self.assertIsNone(save_record.record_of(server))

    def test_live_driver_elsewhere_is_left_alone(self):
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off',
                                 own='elsewhere:42:abcdef',
                                 at=save_record.now())
        self.nova.servers[server_id]['updated'] = iso_time()
        calls = len(self.nova.calls)
        self.resume(server_id)
        self.assertEqual(calls, len(self.nova.calls))
        self.assertEqual([], self.nova.kinds(server_id))

    def test_silent_driver_elsewhere_is_taken_over(self):
        server_id = self.left_at('stop', 'SHUTOFF', own='elsewhere:42:ab',
                                 at=save_record.now() - 120,
                                 t0=save_record.now() - 120)
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_repeated_reads_resume_once(self):
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off')
        self.nova.later(server_id, 0.2, status='SHUTOFF', task=None)
        for _ in range(5):
            self.manager.resume_if_pending(self.session(),
                                           self.nova.server(server_id))
        self.finish()
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
