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

"""Deferred saves: stop, snapshot, start again, and their failures."""

import time

from ooi_save.backend.save import record as save_record
from ooi_save import exceptions
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes.glance import glance_error
from tests.unit.save import base as save_base


class TestDeferred(save_base.SaveTestCase):

    def test_stop_snapshot_start(self):
        self.nova.upload_seconds = 0.3
        server_id = self.nova.add_server()
        image = self.save(server_id, 'deferred', 'cold copy')
        # The caller is answered once the snapshot is under way.
        self.assertEqual('cold copy', image['name'])
        self.assertIn(image['status'], ('queued', 'saving'))
        self.assertEqual(['os-stop', 'createImage'],
                         self.nova.kinds(server_id))
        self.finish()
        # Once the image is uploaded the record goes before the start
        # (Nova refuses metadata changes while it starts the server), the
        # start tag set first; the tags go once Nova took the start.
        self.assertEqual(['tag', 'record', 'os-stop', 'record',
                          'createImage', 'tag', 'unrecord', 'os-start',
                          'untag', 'untag'],
                         [kind for kind, _ in self.nova.events])
        self.assertClean(server_id)
        self.assertEqual('active', self.nova.images[image['id']]['status'])
        self.assertEqual('deferred',
                         self.nova.images[image['id']]['ooi_save_method'])
        self.assertEqual(save_base.COMPUTE_URL % server_id,
                         self.nova.images[image['id']]['ooi_save_compute'])

    def test_waits_read_nova_action_log_not_the_server(self):
        # The waits for the stop and the start read the action of the
        # chain's request (a database read in Nova) rather than the server
        # (which also asks Neutron for its security groups). The upload is
        # waited for on the server: one read when asked, a few after the
        # snapshot, none during the stop's and the start's 0.6 s.
        self.nova.stop_seconds = self.nova.start_seconds = 0.3
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        self.assertClean(server_id)
        calls = self.nova_calls()
        self.assertLessEqual(calls.count(('GET', '/servers/' + server_id)), 4)
        logged = [path for method, path in calls
                  if '/os-instance-actions/req-' in path]
        self.assertGreater(len(logged), 10)

    def test_upload_watched_on_glance_not_the_server(self):
        # Glance shows the image active when the upload is over (a read
        # without Neutron): the save is handed back then. The server is
        # read when asked, and once more at most (Nova clears its task a
        # moment after the image turns active, and refuses the record's
        # removal until then).
        self.nova.upload_seconds = 0.6
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        self.assertClean(server_id)
        calls = self.nova_calls()
        self.assertLessEqual(calls.count(('GET', '/servers/' + server_id)), 2)
        self.assertGreater(self.glance_calls, 5)

    def test_record_written_before_the_stop(self):
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        (record,) = self.nova.records_at_stop
        self.assertEqual('stop', record['step'])
        self.assertEqual('deferred', record['m'])
        self.assertEqual('ACTIVE', record['from'])
        self.assertEqual('n', record['name'])
        self.assertEqual(self.manager.owner, record['own'])
        self.assertEqual(record['t0'] + self.stop_timeout + 1, record['dl'])

    def test_record_removal_refused_puts_the_tag_back_and_retries(self):
        # A save given up (the caller was told) ends removing its record,
        # name, trust and tag at once; Nova refuses the record once (a task
        # began meanwhile): the tag is put back, so the sweep still finds
        # the chain, and the next step ends it.
        self.nova.create_error = (403, 'Quota exceeded for resources: '
                                  "['images']")
        server_id = self.nova.add_server()
        metadata = self.nova._metadata
        removals = []

        def refused_once(server, request, rest):
            if request.method == 'DELETE' and \
                    rest.endswith(save_record.RECORD_KEY):
                removals.append(rest)
                if len(removals) == 1:
                    return self.nova._fault(409, 'Instance is busy')
            return metadata(server, request, rest)
        self.nova._metadata = refused_once
        self.assertRaises(exceptions.Forbidden, self.save, server_id,
                          'deferred', 'n')
        self.finish()
        self.assertEqual(2, len(removals))
        # Tagged when the chain began, and again after the refusal.
        tagging = [kind for kind, sid in self.nova.events
                   if sid == server_id and kind in ('tag', 'untag')]
        self.assertEqual(['tag', 'untag', 'tag', 'untag'], tagging)
        self.assertClean(server_id)

    def test_name_refused_as_the_upload_ends_goes_with_the_record(self):
        # Nova clears the upload's task a moment after Glance shows the
        # image active, and the chain hands back at once: the name's
        # removal, sent beside the record's, may come while the task still
        # runs and the record's just after. The record gone, nothing reads
        # the chain's keys any more: the name must go then too.
        server_id = self.nova.add_server()
        metadata = self.nova._metadata
        refused = []

        def busy_once(server, request, rest):
            if request.method == 'DELETE' and \
                    rest.endswith(save_record.NAME_KEY) and not refused:
                refused.append(rest)
                return self.nova._refuse(server, 'update metadata')
            return metadata(server, request, rest)
        self.nova._metadata = busy_once
        self.save(server_id, 'deferred', 'n')
        self.finish()
        self.assertEqual(1, len(refused))
        self.assertClean(server_id)

    def test_record_gone_before_the_start_and_tags_during_it(self):
        self.nova.start_seconds = 0.3
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        deadline = time.monotonic() + 5
        server = self.nova.server(server_id)
        while server['OS-EXT-STS:task_state'] != 'powering-on' and \
                time.monotonic() < deadline:
            time.sleep(0.005)
            server = self.nova.server(server_id)
        self.assertNotIn(save_record.RECORD_KEY, server['metadata'])
        # Nova still starts the server; it is no longer being saved.
        deadline = time.monotonic() + 5
        while server['tags'] and time.monotonic() < deadline:
            time.sleep(0.005)
            server = self.nova.server(server_id)
        self.assertEqual(('SHUTOFF', 'powering-on', []),
                         (server['status'], server['OS-EXT-STS:task_state'],
                          server['tags']))
        self.finish()
        self.assertClean(server_id)

    def test_a_failed_start_is_sent_again(self):
        self.nova.start_outcomes = ['fails']
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        self.assertEqual(['os-stop', 'createImage', 'os-start', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_a_compute_stopped_again_by_another_request_stays_stopped(self):
        # Between two polls Nova started the compute and another request
        # stopped it: the chain does not start it again.
        self.nova.start_outcomes = ['stopped']
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id, status='SHUTOFF')

    def test_not_active_is_saved_as_it_is(self):
        for status in ('SHUTOFF', 'PAUSED'):
            server_id = self.nova.add_server(status=status)
            image = self.save(server_id, 'deferred', 'as is')
            self.finish()
            self.nova_done(server_id)
            self.assertEqual(['createImage'], self.nova.kinds(server_id))
            self.assertEqual('deferred',
                             self.nova.images[image['id']][
                                 'ooi_save_method'])
            self.assertClean(server_id, status=status)

    def test_unknown_server(self):
        self.assertRaises(exceptions.NotFound, self.save, 'nope',
                          'deferred')

    def test_stop_refused(self):
        self.nova.locked = True
        server_id = self.nova.add_server()
        error = self.assertRaises(exceptions.Conflict, self.save,
                                  server_id, 'deferred', 'n')
        self.assertIn('is locked', error.message)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_stop_undone_by_nova(self):
        self.nova.stop_reverts = True
        server_id = self.nova.add_server()
        error = self.assertRaises(exceptions.BackendError, self.save,
                                  server_id, 'deferred', 'n')
        self.assertIn('was not stopped', error.message)
        self.finish()
        self.assertEqual(['os-stop'], self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_quota_restarts_the_server(self):
        self.nova.create_error = (403, 'Quota exceeded for resources: '
                                  "['images']")
        server_id = self.nova.add_server()
        error = self.assertRaises(exceptions.Forbidden, self.save,
                                  server_id, 'deferred', 'n')
        self.assertIn('Quota exceeded', error.message)
        self.finish()
        self.assertEqual(['os-stop', 'os-start'], self.nova.kinds(server_id))
        # The caller was told: nothing is left behind.
        self.assertClean(server_id)

    def test_cannot_snapshot_restarts_the_server(self):
        self.nova.create_error = (400, 'Cannot snapshot this one')
        server_id = self.nova.add_server()
        self.assertRaises(exceptions.NotImplementedYet, self.save,
                          server_id, 'deferred', 'n')
        self.finish()
        self.assertEqual(['os-stop', 'os-start'], self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_snapshot_failure_restarts_and_stays_visible(self):
        self.nova.snapshot_fails = True
        server_id = self.nova.add_server()
        image = self.save(server_id, 'deferred', 'n')
        self.finish()
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertNotIn(save_record.TAG, server['tags'])
        record = save_record.record_of(server)
        self.assertEqual('failed', record['step'])
        self.assertEqual(image['id'], record['img'])
        self.assertIn(image['id'], record['err'])
        self.assertIn('deferred save failed', save_record.describe(record))
        # Glance was asked while the record went: the record was written
        # back before the start.
        kinds = [kind for kind, sid in self.nova.events if sid == server_id]
        after = kinds[kinds.index('createImage'):]
        self.assertEqual(['unrecord', 'record', 'os-start'], [
            kind for kind in after if kind in ('unrecord', 'record',
                                               'os-start')][:3])

    def test_snapshot_failure_seen_without_glance(self):
        # A resumer without the caller's token reads Nova's action log.
        self.nova.snapshot_fails = True
        self.requests_mock.get(
            fake_glance.IMAGE_URL, text=lambda request, context: glance_error(
                context, 401, 'The token has expired.'))
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        record = save_record.record_of(self.nova.server(server_id))
        self.assertEqual('failed', record['step'])
        self.assertIn('Nova reports that the snapshot failed',
                      record['err'])


class TestUploadLosesGlance(save_base.GlanceWindow, save_base.SaveTestCase):
    """Glance goes away during a deferred save's upload, then comes back."""

    def test_image_deleted_once_glance_answers(self):
        self.nova.snapshot_fails = 'glance'
        server_id = self.nova.add_server()
        image = self.save(server_id, 'deferred', 'n')
        self.glance_down()
        record = self.wait_step(server_id, 'clean')
        # The compute runs again; its state says the save failed and why.
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertIn(save_record.TAG, server['tags'])
        message = save_record.describe(record)
        self.assertIn('deferred save failed: Glance could not be reached',
                      message)
        self.assertIn('deleted once Glance answers again', message)
        self.assertEqual('saving', self.nova.images[image['id']]['status'])
        self.glance_back()
        self.finish()
        self.assertNotIn(image['id'], self.nova.images)
        server = self.nova.server(server_id)
        self.assertNotIn(save_record.TAG, server['tags'])
        record = save_record.record_of(server)
        self.assertEqual('failed', record['step'])
        self.assertIn('Glance could not be reached', record['err'])
        self.assertIn('was deleted', record['err'])
        self.assertTrue(save_record.shown(record))
        self.assertFalse(save_record.shown(
            record, record['at'] + save_record.FAILURE_SHOWN))

    def test_image_active_after_all_is_a_save(self):
        # Glance went away after the upload had ended: once it answers,
        # the image is active and the save is done.
        server_id = self.nova.add_server()
        self.glance_down()
        image = self.save(server_id, 'deferred', 'n')
        self.wait_step(server_id, 'clean')
        self.glance_back()
        self.finish()
        self.assertEqual('active', self.nova.images[image['id']]['status'])
        self.assertClean(server_id)


class TestStopTimeout(save_base.SaveTestCase):

    stop_timeout = 1

    def test_server_started_again(self):
        self.nova.stop_seconds = 1.5
        server_id = self.nova.add_server()
        started = time.monotonic()
        error = self.assertRaises(exceptions.ServiceUnavailable, self.save,
                                  server_id, 'deferred', 'n')
        self.assertLess(time.monotonic() - started, 1.4)
        self.assertIn('did not stop within 1 s', error.message)
        self.finish()
        self.assertEqual(['os-stop', 'os-start'], self.nova.kinds(server_id))
        self.assertClean(server_id)
        self.assertEqual({}, self.nova.images)
