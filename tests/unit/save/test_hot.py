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

"""Hot saves: a snapshot of the running compute, answered at once."""

import datetime


from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import base
from ooi_save import exceptions
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes.glance import glance_error
from tests.unit.save import base as save_base


class TestHot(save_base.SaveTestCase):

    def test_image_id_from_body(self):
        server_id = self.nova.add_server()
        image = self.save(server_id, name='my snapshot')
        self.assertEqual('my snapshot', image['name'])
        self.assertIn(image['id'], self.nova.images)
        self.assertEqual(['createImage'], self.nova.kinds(server_id))
        # The last call of the answer (the watch of the upload may read
        # the server already).
        method, path, headers, _ = [
            call for call in self.nova.calls
            if not call[0] == 'GET' or call[1].endswith('/tags')][-1]
        self.assertEqual(('POST', '/servers/%s/action' % server_id),
                         (method, path))
        self.assertEqual('compute 2.90', headers['Openstack-Api-Version'])
        stored = dict(self.nova.images[image['id']], status='queued')
        mark = stored.pop('ooi_save_request')
        self.assertEqual(
            {'ooi_save_compute': save_base.COMPUTE_URL % server_id,
             'ooi_save_method': 'hot', 'id': image['id'],
             'name': 'my snapshot', 'status': 'queued',
             'visibility': 'private', 'instance_uuid': server_id,
             'image_type': 'snapshot'}, stored)
        # Each createImage call marks its image with a mark of its own.
        self.assertRegex(mark, '^[0-9a-f]{32}$')

    def test_image_id_from_location_on_older_clouds(self):
        self.nova.legacy = True
        server_id = self.nova.add_server()
        image = self.save(server_id, name='old')
        self.assertIn(image['id'], self.nova.images)
        self.assertEqual('old', image['name'])

    def test_image_id_of_wire_answers(self):
        from ooi_save.backend.services import nova as nova_api
        self.assertEqual('abc', nova_api.image_id_of(base.Reply(
            202, {}, {'image_id': 'abc'})))
        self.assertEqual('def', nova_api.image_id_of(base.Reply(
            202, {'Location': 'http://g/v2/images/def'}, None)))
        self.assertRaises(exceptions.BackendError, nova_api.image_id_of,
                          base.Reply(202, {}, None))

    def test_named_hot_save_reads_only_the_tags(self):
        # The watch of the upload reads the server only after a while,
        # once the caller is answered (as in test_claims).
        self.manager.watch_options = save_base.LATE_WATCH
        server_id = self.nova.add_server()
        self.save(server_id, name='cheap')
        self.assertEqual(
            [('GET', '/servers/%s/tags' % server_id),
             ('POST', '/servers/%s/action' % server_id)],
            self.nova_calls())
        self.assertEqual(1, self.glance_calls)

    def test_default_name(self):
        server_id = self.nova.add_server(name='web-1')
        image = self.save(server_id)
        self.assertRegex(image['name'], r'^web-1-\d{8}T\d{6}Z$')
        self.assertEqual(self.nova.images[image['id']]['name'],
                         image['name'])
        self.assertEqual(
            'x' * 238 + '-20260102T030405Z',
            save_answer.default_name('x' * 300, datetime.datetime(
                2026, 1, 2, 3, 4, 5)))

    def test_local_disk_answered_without_glance(self):
        # The server was read (for its name): with no volume attached, the
        # image is what Nova registered, a queued image without data. The
        # watch of the upload reads Glance only after a while, once the
        # caller is answered.
        self.manager.watch_options = save_base.LATE_WATCH
        server_id = self.nova.add_server()
        image = self.save(server_id)
        self.assertEqual(0, self.glance_calls)
        self.assertEqual({'id': image['id'], 'name': image['name'],
                          'status': 'queued', 'instance_uuid': server_id},
                         image)
        self.assertEqual('queued', self.nova.images[image['id']]['status'])

    def test_volume_backed_status_from_glance(self):
        self.manager.watch_options = save_base.LATE_WATCH
        server_id = self.nova.add_server(**{
            'os-extended-volumes:volumes_attached': [{'id': 'vol-1'}]})
        for name in (None, 'named'):
            image = self.save(server_id, name=name)
            self.assertEqual('active', image['status'])
            self.assertEqual(0, image['size'])
        self.assertEqual(2, self.glance_calls)

    def test_server_left_untouched(self):
        server_id = self.nova.add_server()
        self.save(server_id, name='n')
        server = self.nova.server(server_id)
        self.assertEqual({}, server['metadata'])
        self.assertEqual([], server['tags'])

    def test_glance_failure_still_answers_the_image(self):
        self.requests_mock.get(
            fake_glance.IMAGE_URL, text=lambda request, context: glance_error(
                context, 503, 'Down.'))
        server_id = self.nova.add_server()
        image = self.save(server_id, name='n')
        self.assertIn(image['id'], self.nova.images)
        self.assertEqual('n', image['name'])
        self.assertEqual(server_id, image['instance_uuid'])
        # Nobody told its status: the answer does not make one up.
        self.assertNotIn('status', image)
        # Glance back, the watch of the upload ends (it would wait for
        # Glance past the test, and its calls count in the next one).
        self.requests_mock.get(fake_glance.IMAGE_URL, text=self._glance_image)
        self.finish()

    def test_bad_names_are_refused_before_nova(self):
        server_id = self.nova.add_server()
        for name in ('', ' lead', 'x' * 256, 'tab\there'):
            self.assertRaises(exceptions.BadRequest, self.save, server_id,
                              name=name)
        self.assertEqual([], self.nova.calls)

    def test_unknown_server(self):
        error = self.assertRaises(exceptions.NotFound, self.save, 'nope')
        self.assertIn('nope', error.message)
        self.assertIsNotNone(error.request_id)
        self.assertRaises(exceptions.NotFound, self.save, 'nope',
                          name='n')

    def test_nova_conflict_keeps_nova_reason(self):
        server_id = self.nova.add_server(task='image_uploading')
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  name='n')
        self.assertIn("Cannot 'createImage'", error.message)
        self.assertIn('task_state image_uploading', error.message)

    def test_busy_server_without_name(self):
        server_id = self.nova.add_server(task='rebooting')
        error = self.assertRaises(exceptions.Conflict, self.save, server_id)
        self.assertIn('rebooting', error.message)
        self.assertEqual([], self.nova.kinds(server_id))

    def test_quota_forbidden(self):
        self.nova.create_error = (403, 'Quota exceeded for resources: '
                                  "['images']")
        server_id = self.nova.add_server()
        error = self.assertRaises(exceptions.Forbidden, self.save,
                                  server_id, name='n')
        self.assertIn('Quota exceeded', error.message)

    def test_quota_too_large(self):
        self.nova.create_error = (413, 'Maximum number of images exceeded')
        server_id = self.nova.add_server()
        error = self.assertRaises(exceptions.RequestEntityTooLarge,
                                  self.save, server_id, name='n')
        self.assertIn('Maximum number', error.message)

    def test_cannot_snapshot_is_not_implemented(self):
        for status in (400, 501):
            self.nova.create_error = (status, 'Snapshot of volume-backed '
                                      'instance is not supported')
            server_id = self.nova.add_server()
            error = self.assertRaises(exceptions.NotImplementedYet,
                                      self.save, server_id, name='n')
            self.assertEqual(501, error.code)
            self.assertIn('volume-backed', error.message)

    def test_deferred_save_under_way_is_a_conflict(self):
        server_id = self.nova.add_server(tags=[save_record.TAG])
        self.nova.servers[server_id]['metadata'][save_record.RECORD_KEY] = \
            save_record.encode({'v': 1, 'id': 'c1', 'step': 'stop',
                                'own': 'elsewhere:42:abcdef',
                                't0': save_record.now(),
                                'at': save_record.now()})
        error = self.assertRaises(exceptions.Conflict, self.save, server_id,
                                  name='n')
        self.assertIn('deferred save in progress (step stop)',
                      error.message)
        self.assertEqual([], self.nova.kinds(server_id))
