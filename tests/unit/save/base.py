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

"""The save action's test cases.

:class:`SaveManager` runs as in nova-api, with a real
:class:`ooi_save.backend.Session`, over the
:class:`tests.unit.fakes.cloud_nova.CloudNova`; Glance is answered by
requests-mock from the same state.
"""

import json
import os
import socket
import time

import requests
from requests_mock.contrib import fixture as rm_fixture
import testtools

from ooi_save import backend
from ooi_save.backend.save import claims
from ooi_save.backend.save import manager as save_manager
from ooi_save.backend.save import record as save_record
from tests.unit import base
from tests.unit import client
from tests.unit.fakes import cloud_nova
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes.glance import glance_error
from tests.unit.fakes import nova as fake_nova

COMPUTE_URL = client.HOST_URL + '/occi1.2/compute/%s'
#: The watch of a hot save's upload, first reading well after the caller
#: is answered: long enough for a save on a loaded machine (CI runs the
#: unit tests on two busy cores), so that a test counts the calls made
#: for the answer alone.
LATE_WATCH = dict(intervals=(2.0, 0.01), retry=0.05)


class SaveTestCase(testtools.TestCase):

    stop_timeout = 5

    def setUp(self):
        super().setUp()
        self.nova = cloud_nova.CloudNova()
        self.glance_calls = 0
        self.requests_mock = self.useFixture(rm_fixture.Fixture())
        self.requests_mock.get(fake_glance.IMAGE_URL, text=self._glance_image)
        self.requests_mock.get(fake_glance.LISTING_URL, text=self._glance_list)
        self.requests_mock.delete(fake_glance.IMAGE_URL,
                                  text=self._glance_delete)
        _, self.conf = base.make_conf(
            save_stop_timeout=self.stop_timeout,
            save_snapshot_timeout=30, resume_saves_at_startup=False)
        self.registry = claims.Registry()
        self.manager = self.make_manager()
        self.addCleanup(self.manager.registry.wait, 10)

    def make_manager(self, **kwargs):
        # Each test is a process of its own.
        options = dict(poll_intervals=(0.01, 0.02, 0.04), settle=0.02,
                       sweep_delay=0, slow_poll=0.05, read_grace=0.1,
                       registry=getattr(self, 'registry', None),
                       admin_environ=self._admin_environ,
                       watch_options=dict(intervals=(0.01, 0.02, 0.04),
                                          retry=0.05))
        options.update(kwargs)
        return save_manager.SaveManager(self.nova, self.conf, **options)

    @staticmethod
    def _admin_environ(project_id=None, user_id=None):
        context = fake_nova.Context(project_id=project_id,
                                    user_id=user_id,
                                    roles=('admin', 'member', 'reader'),
                                    auth_token=None)
        return {'nova.context': context}

    def _glance_image(self, request, context):
        self.glance_calls += 1
        image_id = request.path.rsplit('/', 1)[-1]
        image = self.nova.image(image_id)
        if image is None:
            return glance_error(context, 404, 'No image found with ID %s.'
                                % image_id)
        context.headers['Content-Type'] = 'application/json'
        return json.dumps(image)

    def _glance_list(self, request, context):
        # Glance filters a listing on any image property.
        wanted = {key: values[0] for key, values in request.qs.items()
                  if key != 'limit'}
        with self.nova.lock:
            images = [image for image in self.nova.images.values()
                      if all(str(image.get(key)).lower() == value
                             for key, value in wanted.items())]
        context.headers['Content-Type'] = 'application/json'
        return json.dumps({'images': images})

    def _glance_delete(self, request, context):
        image_id = request.path.rsplit('/', 1)[-1]
        with self.nova.lock:
            if self.nova.images.pop(image_id, None) is None:
                return glance_error(context, 404, 'No image %s' % image_id)
        context.status_code = 204
        return ''

    def session(self, context=None):
        environ = client.request('/compute/x', context=context).environ
        return backend.Backend(self.nova, self.conf).session(environ)

    def save(self, server_id, method='hot', name=None, session=None):
        return self.manager.save(session or self.session(), server_id,
                                 method, name, COMPUTE_URL % server_id)

    def finish(self):
        self.assertTrue(self.manager.registry.wait(10), 'a save worker hangs')

    def nova_done(self, server_id, timeout=5):
        """Wait until Nova is done with a server's task (at most 5 s).

        A hot save is answered before Nova's snapshot is over, and its
        watch ends when Glance shows the image active, which Nova does a
        moment before it clears the task.
        """
        deadline = time.monotonic() + timeout
        while self.nova.server(server_id)['OS-EXT-STS:task_state'] and \
                time.monotonic() < deadline:
            time.sleep(0.01)

    def assertClean(self, server_id, status='ACTIVE'):
        server = self.nova.server(server_id)
        self.assertEqual(status, server['status'])
        self.assertIsNone(server['OS-EXT-STS:task_state'])
        self.assertNotIn(save_record.TAG, server['tags'])
        self.assertNotIn(save_record.RECORD_KEY, server['metadata'])
        self.assertNotIn(save_record.NAME_KEY, server['metadata'])
        return server

    def nova_calls(self):
        return [(method, path) for method, path, _, _ in self.nova.calls]


class ResumeTestCase(SaveTestCase):
    """Chains left behind by a nova-api killed on the way."""

    def dead_owner(self):
        # Our host and pid with another nonce: an earlier nova-api.
        return '%s:%d:dead00' % (socket.gethostname()[:48], os.getpid())

    def left_at(self, step, status, task=None, name='recorded-name',
                **record):
        server_id = self.nova.add_server(status=status, task=task,
                                         tags=[save_record.TAG])
        now = save_record.now()
        values = dict({'v': 1, 'id': 'c0ffee00', 'step': step,
                       'm': 'deferred', 'from': 'ACTIVE', 't0': now - 5,
                       'at': now - 5, 'dl': now + 60,
                       'own': self.dead_owner()}, **record)
        self.nova.servers[server_id]['metadata'].update({
            save_record.RECORD_KEY: save_record.encode(values),
            save_record.NAME_KEY: name})
        return server_id

    def resume(self, server_id, session=None):
        server = self.nova.server(server_id)
        self.manager.resume_if_pending(session or self.session(), server)
        self.finish()


class GlanceWindow:
    """Taking Glance away and bringing it back (a test case's mixin)."""

    def glance_down(self):
        for method in ('GET', 'DELETE'):
            self.requests_mock.register_uri(
                method, fake_glance.IMAGE_URL,
                exc=requests.exceptions.ConnectionError)

    def glance_back(self):
        self.requests_mock.get(fake_glance.IMAGE_URL, text=self._glance_image)
        self.requests_mock.delete(fake_glance.IMAGE_URL,
                                  text=self._glance_delete)

    def wait_step(self, server_id, step):
        """The record of a server once it is at ``step``."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            record = save_record.record_of(self.nova.server(server_id))
            if record and record['step'] == step:
                return record
            time.sleep(0.01)
        self.fail('no %s record on %s' % (step, server_id))
