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

"""The save action, against a Nova that moves servers through their states.

Nothing of ooi-save is faked: :class:`SaveManager` runs as in nova-api,
with a real :class:`ooi_save.backend.Session`. Below it, :class:`CloudNova`
is a WSGI app standing in for nova's API router that models what the save
action depends on (stop, start, createImage and its upload, tags, metadata,
the instance action log), with Nova's own refusals; Glance is answered by
requests-mock from the same state.
"""

import collections
import datetime
import json
import os
import re
import socket
import sys
import threading
import time
import uuid

import fixtures
from requests_mock.contrib import fixture as rm_fixture
import testtools
import webob
import webob.dec

from ooi_save import backend
from ooi_save.backend.save import answer as save_answer
from ooi_save.backend.save import claims
from ooi_save.backend.save import manager as save_manager
from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import base
from ooi_save import exceptions
from tests.unit import fakes

COMPUTE_URL = fakes.HOST_URL + '/occi1.2/compute/%s'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
OS_SCHEME = 'http://schemas.openstack.org/template/os#'
#: Seconds each of Nova's state transitions takes in the fake.
QUICK = 0.03


def _iso(moment=None, micro=False):
    moment = moment or time.time()
    text = datetime.datetime.fromtimestamp(
        moment, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')
    return text if micro else text[:19] + 'Z'


class CloudNova(fakes.FakeNova):
    """Nova's compute API for servers that stop, start and snapshot.

    Each accepted server action is appended to :attr:`events` as
    ``(action, server_id)``, and the save record a server carried when its
    stop was accepted to :attr:`records_at_stop`; transitions happen on the
    clock, applied when the server is next read, as Nova's compute service
    would have done them.

    :param legacy: answer createImage as before microversion 2.45 (no body,
        a ``Location`` header)
    """

    def __init__(self, legacy=False):
        super().__init__()
        self.legacy = legacy
        self.lock = threading.RLock()
        self.events = []
        self.records_at_stop = []
        self.images = {}
        self.actions = collections.defaultdict(list)
        self.plans = collections.defaultdict(list)
        self.stop_seconds = QUICK
        self.start_seconds = QUICK
        self.upload_seconds = QUICK
        self.create_error = None
        self.snapshot_fails = False
        self.locked = False
        self.stop_reverts = False
        #: Actions that lose a race with another request, and the task
        #: state the winner set: Nova answers 500 (UnexpectedTaskStateError)
        #: after it has done its first steps.
        self.loses_race = {}
        #: Seconds after which the winner's task of a lost race is over
        #: (None: it stays until the test changes it).
        self.race_task_seconds = None
        self.metadata_delete_seconds = 0

    # Building the world.

    def add_server(self, status='ACTIVE', task=None, name='web',
                   project='demo-project', **extra):
        server_id = str(uuid.uuid4())
        self.servers[server_id] = dict({
            'id': server_id, 'name': name, 'status': status,
            'OS-EXT-STS:task_state': task, 'metadata': {}, 'tags': [],
            'os-extended-volumes:volumes_attached': [],
            'tenant_id': project, 'user_id': 'demo-user',
            'updated': _iso(time.time() - 3600)}, **extra)
        return server_id

    def later(self, server_id, seconds, **changes):
        """Change a server after a while."""
        self.plans[server_id].append((time.monotonic() + seconds, changes))

    def _advance(self, server_id):
        now = time.monotonic()
        plan = self.plans[server_id]
        while plan and plan[0][0] <= now:
            _, changes = plan.pop(0)
            if 'image' in changes:
                image_id, status = changes.pop('image')
                if status is None:
                    self.images.pop(image_id, None)
                else:
                    self.images[image_id]['status'] = status
            if 'action_error' in changes:
                changes.pop('action_error')['message'] = 'Error'
            self._set(server_id, **changes)

    def _set(self, server_id, **changes):
        server = self.servers[server_id]
        for key, value in changes.items():
            if key == 'task':
                key = 'OS-EXT-STS:task_state'
            server[key] = value
        server['updated'] = _iso()

    # The API.

    def _fault(self, status, message, key=None):
        key = key or {404: 'itemNotFound', 409: 'conflictingRequest',
                      400: 'badRequest', 403: 'forbidden',
                      413: 'overLimit', 501: 'notImplemented'}[status]
        return self._reply(status, {key: {'code': status,
                                          'message': message}})

    def _refuse(self, server, action):
        task = server['OS-EXT-STS:task_state']
        return self._fault(409, "Cannot '%s' instance %s while it is in "
                           "task_state %s" % (action, server['id'], task))

    @webob.dec.wsgify
    def __call__(self, request):
        if request.method == 'DELETE' and '/metadata/' in request.path:
            # A slow Nova, outside the lock: other requests go on.
            time.sleep(self.metadata_delete_seconds)
        with self.lock:
            return self._serve(request)

    def _serve(self, request):
        path = request.path_info
        query = request.query_string
        self.calls.append((request.method,
                           path + ('?' + query if query else ''),
                           dict(request.headers),
                           request.environ.get('nova.context')))
        if path == '/servers/detail':
            return self._list(request)
        match = re.match(r'^/servers/([^/]+)(/.*)?$', path)
        if not match:
            return super().__call__(request)
        server_id, rest = match.group(1), match.group(2) or ''
        server = self.servers.get(server_id)
        if server is None:
            return self._fault(404, 'Instance %s could not be found.'
                               % server_id)
        self._advance(server_id)
        if rest == '' and request.method == 'GET':
            return self._reply(200, {'server': json.loads(json.dumps(
                server))})
        if rest == '/action':
            return self._action(server, request.json_body,
                                request.environ.get('nova.context'))
        if rest == '/tags' and request.method == 'GET':
            return self._reply(200, {'tags': list(server['tags'])})
        if rest.startswith('/tags/'):
            return self._tag(server, request.method, rest[len('/tags/'):])
        if rest.startswith('/metadata'):
            return self._metadata(server, request, rest)
        if rest == '/os-instance-actions':
            since = save_record.parse_time(request.GET.get('changes-since'))
            actions = [a for a in self.actions[server_id]
                       if since is None or
                       save_record.parse_time(a['updated_at']) >= since]
            return self._reply(200, {'instanceActions': actions})
        return self._fault(404, 'No fake for %s' % path)

    def _list(self, request):
        servers = list(self.servers.values())
        tags = request.GET.get('tags')
        if tags:
            servers = [s for s in servers if tags in s['tags']]
        for server in servers:
            self._advance(server['id'])
        return self._reply(200, {'servers': json.loads(json.dumps(
            servers))})

    def _tag(self, server, method, tag):
        if method == 'PUT':
            self.events.append(('tag', server['id']))
            if tag in server['tags']:
                return self._reply(204)
            server['tags'].append(tag)
            return self._reply(201)
        if method == 'DELETE':
            if tag not in server['tags']:
                return self._fault(404, 'Tag %s not found' % tag)
            self.events.append(('untag', server['id']))
            server['tags'].remove(tag)
            return self._reply(204)
        return self._fault(404, 'No fake')

    def _metadata(self, server, request, rest):
        # NOTE: Nova refuses metadata changes while a task runs.
        if server['OS-EXT-STS:task_state']:
            return self._refuse(server, 'update metadata')
        if rest == '/metadata' and request.method == 'POST':
            values = request.json_body['metadata']
            for value in values.values():
                if len(value) > 255:
                    return self._fault(400, 'metadata value too long')
            server['metadata'].update(values)
            self.events.append(('record', server['id']))
            return self._reply(200, {'metadata': dict(server['metadata'])})
        key = rest[len('/metadata/'):]
        if request.method == 'DELETE':
            if key not in server['metadata']:
                return self._fault(404, 'Metadata item %s not found' % key)
            del server['metadata'][key]
            return self._reply(204)
        return self._fault(404, 'No fake')

    def _action(self, server, body, context=None):
        (action, args), = body.items()
        server_id = server['id']
        task = server['OS-EXT-STS:task_state']
        status = server['status']
        if action in self.loses_race:
            return self._lose_race(server, action, args)
        if action == 'os-stop':
            if self.locked:
                return self._fault(409, 'Instance %s is locked' % server_id)
            if task:
                return self._refuse(server, 'stop')
            if status != 'ACTIVE':
                return self._fault(409, "Cannot 'stop' instance %s while it "
                                   "is in vm_state stopped" % server_id)
            self.events.append(('os-stop', server_id))
            self.records_at_stop.append(save_record.record_of(server))
            self._set(server_id, task='powering-off')
            # A compute that fails to stop reverts the task state.
            self.later(server_id, self.stop_seconds, task=None,
                       status='ACTIVE' if self.stop_reverts else 'SHUTOFF')
            return self._reply(202)
        if action == 'os-start':
            if task:
                return self._refuse(server, 'start')
            if status != 'SHUTOFF':
                return self._fault(409, "Cannot 'start' instance %s while "
                                   "it is in vm_state active" % server_id)
            self.events.append(('os-start', server_id))
            self._set(server_id, task='powering-on')
            self.later(server_id, self.start_seconds, status='ACTIVE',
                       task=None)
            return self._reply(202)
        if action == 'createImage':
            return self._create_image(server, args, context)
        return self._fault(400, 'Unknown action %s' % action)

    def _lose_race(self, server, action, args):
        if action == 'createImage':
            # Nova registers the image before it sets the task state.
            image_id = str(uuid.uuid4())
            self.images[image_id] = dict(
                args.get('metadata') or {}, id=image_id, name=args['name'],
                status='queued', instance_uuid=server['id'])
        self._set(server['id'], task=self.loses_race.pop(action))
        if self.race_task_seconds is not None:
            self.later(server['id'], self.race_task_seconds, task=None)
        return self._fault(500, "Unexpected API Error. Please contact the "
                           "administrator\n<class 'nova.exception."
                           "UnexpectedTaskStateError'>", key='computeFault')

    def _create_image(self, server, args, context=None):
        server_id = server['id']
        if self.create_error:
            return self._fault(*self.create_error)
        if context is not None and not context.auth_token:
            # Nova creates the Glance image with the caller's token.
            return self._fault(403, 'Not authorized for image.')
        if server['OS-EXT-STS:task_state']:
            return self._refuse(server, 'createImage')
        if server['status'] not in ('ACTIVE', 'SHUTOFF', 'PAUSED',
                                    'SUSPENDED'):
            return self._fault(409, "Cannot 'createImage' instance %s while"
                               " it is in vm_state %s"
                               % (server_id, server['status'].lower()))
        image_id = str(uuid.uuid4())
        self.images[image_id] = dict(
            args.get('metadata') or {}, id=image_id, name=args['name'],
            status='queued', visibility='private', instance_uuid=server_id,
            image_type='snapshot')
        self.events.append(('createImage', server_id))
        if server['os-extended-volumes:volumes_attached']:
            # Like Nova, snapshot the volumes and activate the image, which
            # holds no data, before answering; no task runs.
            self.images[image_id].update(status='active', size=0)
            return self._reply(202, {'image_id': image_id})
        # NOTE: like Nova, stamp the action with the time of the request's
        # context, which precedes the stop of a deferred save.
        action = {'action': 'createImage', 'instance_uuid': server_id,
                  'request_id': getattr(context, 'request_id', None) or
                  'req-%s' % uuid.uuid4(),
                  'start_time': _iso(time.time() - 30, micro=True),
                  'updated_at': _iso(micro=True), 'message': None}
        self.actions[server_id].append(action)
        self._set(server_id, task='image_snapshot_pending')
        step = self.upload_seconds / 3
        self.later(server_id, step, task='image_pending_upload')
        self.later(server_id, 2 * step, task='image_uploading',
                   image=(image_id, 'saving'))
        if self.snapshot_fails:
            self.later(server_id, 3 * step, task=None,
                       image=(image_id, None), action_error=action)
        else:
            self.later(server_id, 3 * step, image=(image_id, 'active'))
            # The image goes active a little before the task clears.
            self.later(server_id, 3 * step + 0.01, task=None)
        if self.legacy:
            return self._reply(202, headers={
                'Location': '%s/v2/images/%s' % (fakes.GLANCE_URL,
                                                 image_id)})
        return self._reply(202, {'image_id': image_id})

    # What tests look at.

    def kinds(self, server_id, keep=('os-stop', 'createImage', 'os-start')):
        return [kind for kind, sid in self.events
                if sid == server_id and kind in keep]

    def server(self, server_id):
        with self.lock:
            self._advance(server_id)
            return json.loads(json.dumps(self.servers[server_id]))


def glance_error(context, status, message):
    """An error as Glance renders it: a small HTML page."""
    context.status_code = status
    context.headers['Content-Type'] = 'text/html; charset=UTF-8'
    return ('<html><head><title>%d</title></head><body><h1>%d</h1>%s'
            '</body></html>' % (status, status, message))


class SaveTestCase(testtools.TestCase):

    stop_timeout = 5

    def setUp(self):
        super().setUp()
        self.nova = CloudNova()
        self.glance_calls = 0
        self.requests_mock = self.useFixture(rm_fixture.Fixture())
        self.requests_mock.get(
            re.compile(re.escape(fakes.GLANCE_URL) + '/v2/images/[^/]+$'),
            text=self._glance_image)
        self.requests_mock.get(
            re.compile(re.escape(fakes.GLANCE_URL) + r'/v2/images\?'),
            text=self._glance_list)
        self.requests_mock.delete(
            re.compile(re.escape(fakes.GLANCE_URL) + '/v2/images/[^/]+$'),
            text=self._glance_delete)
        _, self.conf = fakes.make_conf(
            save_stop_timeout=self.stop_timeout,
            save_snapshot_timeout=30, resume_saves_at_startup=False)
        self.registry = claims.Registry()
        self.manager = self.make_manager()
        self.addCleanup(self.manager.wait, 10)

    def make_manager(self, **kwargs):
        # Each test is a process of its own.
        options = dict(poll_intervals=(0.01, 0.02, 0.04), settle=0.02,
                       sweep_delay=0, slow_poll=0.05, read_grace=0.1,
                       registry=getattr(self, 'registry', None),
                       admin_environ=self._admin_environ)
        options.update(kwargs)
        return save_manager.SaveManager(self.nova, self.conf, **options)

    @staticmethod
    def _admin_environ(project_id=None, user_id=None):
        context = fakes.Context(project_id=project_id, user_id=user_id,
                                roles=('admin', 'member', 'reader'),
                                auth_token=None)
        return {'nova.context': context}

    def _glance_image(self, request, context):
        self.glance_calls += 1
        image_id = request.path.rsplit('/', 1)[-1]
        with self.nova.lock:
            image = self.nova.images.get(image_id)
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
        environ = fakes.request('/compute/x', context=context).environ
        return backend.Backend(self.nova, self.conf).session(environ)

    def save(self, server_id, method='hot', name=None, session=None):
        return self.manager.save(session or self.session(), server_id,
                                 method, name, COMPUTE_URL % server_id)

    def finish(self):
        self.assertTrue(self.manager.wait(10), 'a save worker hangs')

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


class TestHot(SaveTestCase):

    def test_image_id_from_body(self):
        server_id = self.nova.add_server()
        image = self.save(server_id, name='my snapshot')
        self.assertEqual('my snapshot', image['name'])
        self.assertIn(image['id'], self.nova.images)
        self.assertEqual(['createImage'], self.nova.kinds(server_id))
        method, path, headers, _ = self.nova.calls[-1]
        self.assertEqual(('POST', '/servers/%s/action' % server_id),
                         (method, path))
        self.assertEqual('compute 2.90', headers['Openstack-Api-Version'])
        stored = dict(self.nova.images[image['id']], status='queued')
        mark = stored.pop('ooi_save_request')
        self.assertEqual(
            {'ooi_save_compute': COMPUTE_URL % server_id,
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
        # image is what Nova registered, a queued image without data.
        server_id = self.nova.add_server()
        image = self.save(server_id)
        self.assertEqual(0, self.glance_calls)
        self.assertEqual({'id': image['id'], 'name': image['name'],
                          'status': 'queued', 'instance_uuid': server_id},
                         image)
        self.assertEqual('queued', self.nova.images[image['id']]['status'])

    def test_volume_backed_status_from_glance(self):
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
            re.compile(re.escape(fakes.GLANCE_URL) + '/v2/images/[^/]+$'),
            text=lambda request, context: glance_error(context, 503,
                                                       'Down.'))
        server_id = self.nova.add_server()
        image = self.save(server_id, name='n')
        self.assertIn(image['id'], self.nova.images)
        self.assertEqual('n', image['name'])
        self.assertEqual(server_id, image['instance_uuid'])
        # Nobody told its status: the answer does not make one up.
        self.assertNotIn('status', image)

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


class TestDeferred(SaveTestCase):

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
        self.assertEqual(['tag', 'record', 'os-stop', 'record',
                          'createImage', 'os-start', 'untag'],
                         [kind for kind, _ in self.nova.events])
        self.assertClean(server_id)
        self.assertEqual('active', self.nova.images[image['id']]['status'])
        self.assertEqual('deferred',
                         self.nova.images[image['id']]['ooi_save_method'])
        self.assertEqual(COMPUTE_URL % server_id,
                         self.nova.images[image['id']]['ooi_save_compute'])

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

    def test_not_active_is_saved_as_it_is(self):
        for status in ('SHUTOFF', 'PAUSED'):
            server_id = self.nova.add_server(status=status)
            image = self.save(server_id, 'deferred', 'as is')
            self.finish()
            time.sleep(QUICK * 2)
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

    def test_snapshot_failure_seen_without_glance(self):
        # A resumer without the caller's token reads Nova's action log.
        self.nova.snapshot_fails = True
        self.requests_mock.get(
            re.compile(re.escape(fakes.GLANCE_URL) + '/v2/images/[^/]+$'),
            text=lambda request, context: glance_error(
                context, 401, 'The token has expired.'))
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        record = save_record.record_of(self.nova.server(server_id))
        self.assertEqual('failed', record['step'])
        self.assertIn('Nova reports that the snapshot failed',
                      record['err'])


class TestStopTimeout(SaveTestCase):

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


class TestConcurrency(SaveTestCase):

    def test_second_save_during_a_deferred_one(self):
        self.nova.upload_seconds = 0.5
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


class TestAfterTheChain(SaveTestCase):
    """A save asked once a deferred chain has started the compute again."""

    def started_again(self, server_id):
        """Wait until the chain started the server, its record still on."""
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
        self.nova.metadata_delete_seconds = 0.15
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'first')
        server = self.started_again(server_id)
        # The window: the compute runs with no task, the record is on.
        self.assertIn(save_record.RECORD_KEY, server['metadata'])
        image = self.save(server_id, method, 'second')
        self.assertEqual('second', image['name'])
        self.finish()
        deadline = time.monotonic() + 5
        while self.nova.server(server_id)['OS-EXT-STS:task_state'] and \
                time.monotonic() < deadline:
            time.sleep(0.01)
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


class TestWorkerThreads(SaveTestCase):
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
            deadline = time.monotonic() + 5
            while self.nova.server(server_id)['OS-EXT-STS:task_state'] \
                    and time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertClean(server_id)
            self.assertEqual(1, self.nova.kinds(server_id).count(
                'createImage'))


class TestLostRaces(SaveTestCase):
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
        deadline = time.monotonic() + 5
        while self.nova.server(server_id)['OS-EXT-STS:task_state'] and \
                time.monotonic() < deadline:
            time.sleep(0.01)
        self.nova.loses_race['createImage'] = 'image_snapshot_pending'
        self.assertRaises(exceptions.Conflict, self.save, server_id, 'hot',
                          'loser')
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


class TestResume(SaveTestCase):
    """A chain left by a nova-api killed at each of its steps."""

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
                                 ts=_iso(time.time() - 1))
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertClean(server_id)

    def test_killed_during_the_upload(self):
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=_iso(time.time() - 1))
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, fakes.Context())
        self.nova.events.clear()
        self.resume(server_id)
        # The snapshot under way is waited for, not taken again.
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual(1, len(self.nova.images))
        self.assertClean(server_id)

    def test_killed_after_the_upload(self):
        context = fakes.Context()
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=_iso(time.time() - 1),
                                 rq=context.request_id[-12:])
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, context)
        time.sleep(0.1)
        self.nova.events.clear()
        self.resume(server_id)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual(1, len(self.nova.images))
        self.assertClean(server_id)

    def test_snapshot_of_another_request_does_not_count(self):
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=_iso(time.time() - 1), rq='0123456789ab')
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'someone else'}, fakes.Context())
        time.sleep(0.1)
        self.nova.events.clear()
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_killed_after_the_start(self):
        server_id = self.left_at('snapshot', 'ACTIVE',
                                 ts=_iso(time.time() - 1))
        self.nova.actions[server_id].append({
            'action': 'createImage', 'start_time': _iso(time.time() - 30),
            'updated_at': _iso(micro=True), 'message': None,
            'request_id': 'req-1'})
        self.resume(server_id)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_older_snapshot_does_not_count(self):
        server_id = self.left_at('snapshot', 'SHUTOFF', ts=_iso())
        self.nova.actions[server_id].append({
            'action': 'createImage', 'message': None, 'request_id': 'req-0',
            'start_time': _iso(time.time() - 600, micro=True),
            'updated_at': _iso(time.time() - 590, micro=True)})
        self.resume(server_id)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))

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
        self.nova.servers[server_id]['updated'] = _iso()
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

    def test_two_filters_of_one_process_drive_a_chain_once(self):
        other = self.make_manager()
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off')
        self.nova.later(server_id, 0.1, status='SHUTOFF', task=None)
        server = self.nova.server(server_id)
        self.manager.resume_if_pending(self.session(), server)
        other.resume_if_pending(self.session(), server)
        self.finish()
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)
        # One claim and the snapshot step: the second filter did not
        # claim the chain as well.
        writes = [kind for kind, sid in self.nova.events
                  if kind == 'record' and sid == server_id]
        self.assertEqual(2, len(writes))

    def test_sweeps_of_a_new_process_drive_a_chain_once(self):
        # nova's paste deploys the filter twice: in a new process, both
        # sweeps start together, with a registry that has not named the
        # process yet. Switching threads as often as possible makes them
        # meet at its first use.
        log = self.useFixture(fixtures.FakeLogger(level='INFO'))
        for attempt in range(20):
            registry = claims.Registry()
            managers = [self.make_manager(registry=registry)
                        for _ in range(4)]
            server_id = self.left_at('stop', 'SHUTOFF')
            barrier = threading.Barrier(len(managers))

            def sweep(manager):
                barrier.wait()
                manager.sweep()
            interval = sys.getswitchinterval()
            sys.setswitchinterval(1e-6)
            try:
                threads = [threading.Thread(target=sweep, args=(m,))
                           for m in managers]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(10)
            finally:
                sys.setswitchinterval(interval)
            for manager in managers:
                self.assertTrue(manager.wait(10))
            resumed = log.output.count('Resuming the deferred save of '
                                       'compute %s' % server_id)
            self.assertEqual(1, resumed, 'attempt %d' % attempt)

    def test_two_processes_resume_one_chain(self):
        other = self.make_manager(registry=claims.Registry(host='otherhost'))
        server_id = self.left_at('stop', 'SHUTOFF',
                                 own='gone:1:abcdef',
                                 at=save_record.now() - 120,
                                 t0=save_record.now() - 120)
        server = self.nova.server(server_id)
        self.manager.resume_if_pending(self.session(), server)
        other.resume_if_pending(self.session(), server)
        self.finish()
        self.assertTrue(other.wait(10))
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_sweep_at_start_up(self):
        _, self.conf = fakes.make_conf(resume_saves_at_startup=True)
        manager = self.make_manager()
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=_iso(time.time() - 1))
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, fakes.Context())
        self.nova.events.clear()
        idle = self.nova.add_server()
        manager.start()
        self.addCleanup(manager.stop)
        deadline = time.monotonic() + 10
        while self.nova.server(server_id)['tags'] and \
                time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(manager.wait(10))
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertClean(server_id)
        self.assertEqual([], self.nova.kinds(idle))
        listing = [path for method, path in self.nova_calls()
                   if path.startswith('/servers/detail')]
        self.assertEqual(
            ['/servers/detail?all_tenants=1&tags=' + save_record.TAG],
            listing)
        # Each chain is driven in its server's own project, as an admin.
        contexts = [c for _, path, _, c in self.nova.calls
                    if path == '/servers/%s' % server_id]
        self.assertEqual('demo-project', contexts[-1].project_id)
        self.assertIn('admin', contexts[-1].roles)

    def test_periodic_sweep_takes_over_once_the_lease_runs_out(self):
        _, self.conf = fakes.make_conf(resume_saves_at_startup=True)
        manager = self.make_manager(
            lease=1, sweep_interval=0.05,
            registry=claims.Registry(host='sweeper'))
        expiry = time.time() + 0.6
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=_iso(time.time() - 1),
                                 own='deadhost:42:abcdef',
                                 at=save_record.now())
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, fakes.Context())
        self.nova.later(server_id, 0, task=None)
        self.nova.servers[server_id]['tags'].append(
            claims.lease_tag(expiry))
        self.nova.events.clear()
        manager.start()
        self.addCleanup(manager.stop)
        deadline = time.monotonic() + 10
        while save_record.TAG in self.nova.server(server_id)['tags'] and \
                time.monotonic() < deadline:
            time.sleep(0.02)
        taken = time.time()
        self.assertTrue(manager.wait(10))
        # Not before the lease ran out, soon after it did.
        self.assertGreater(taken, expiry)
        # (The fake moves the server on at the snapshot, which counts.)
        self.assertLess(taken, expiry + 2.5)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        server = self.assertClean(server_id)
        self.assertEqual([], claims.lease_tags(server))
        # One listing per interval, no read of the server while it is held.
        listings = [path for _, path in self.nova_calls()
                    if path.startswith('/servers/detail')]
        self.assertGreater(len(listings), 3)
        reads = [i for i, (_, path) in enumerate(self.nova_calls())
                 if path == '/servers/%s' % server_id]
        first_listings = [i for i, (_, path) in enumerate(self.nova_calls())
                          if path.startswith('/servers/detail')][:3]
        self.assertGreater(reads[0], first_listings[-1])

    def test_live_driver_renews_its_lease(self):
        # Records count whole seconds: a lease of more than one.
        manager = self.make_manager(lease=1.5)
        self.nova.upload_seconds = 3
        server_id = self.nova.add_server()
        manager.save(self.session(), server_id, 'deferred', 'long',
                     COMPUTE_URL % server_id)
        other = self.make_manager(lease=1.5,
                                  registry=claims.Registry(host='other'))
        seen = set()
        sweeps = 0
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            server = self.nova.server(server_id)
            if 'SHUTOFF' != server['status']:
                break
            seen.update(claims.lease_tags(server))
            # Another node sweeping meanwhile leaves the chain alone.
            self.assertEqual(1, other.sweep())
            sweeps += 1
            time.sleep(0.05)
        self.assertGreater(sweeps, 5)
        self.assertTrue(manager.wait(10))
        self.assertGreater(len(seen), 1)
        server = self.assertClean(server_id)
        self.assertEqual([], claims.lease_tags(server))
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))

    def test_sweep_cannot_snapshot_without_a_token(self):
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off')
        self.nova.later(server_id, QUICK, status='SHUTOFF', task=None)
        self.manager.sweep()
        self.finish()
        # No reader came in time: the save is given up, visibly.
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertNotIn(save_record.TAG, server['tags'])
        self.assertIn('no user token to snapshot with',
                      save_record.record_of(server)['err'])

    def test_sweep_borrows_the_token_of_a_reader(self):
        manager = self.make_manager(read_grace=10)
        server_id = self.left_at('stop', 'SHUTOFF')
        manager.sweep()
        deadline = time.monotonic() + 5
        while 'snapshot' not in self.nova.servers[server_id]['metadata'][
                save_record.RECORD_KEY] and time.monotonic() < deadline:
            time.sleep(0.01)
        reader = fakes.Context()
        manager.resume_if_pending(self.session(reader),
                                  self.nova.server(server_id))
        self.assertTrue(manager.wait(10))
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertEqual('active', image['status'])
        # createImage, then os-start, went with the reader's credentials.
        acting = [c for m, p, h, c in self.nova.calls
                  if m == 'POST' and p.endswith('/action')]
        self.assertEqual([reader, reader], acting)
        self.assertClean(server_id)


class TestRecord(testtools.TestCase):

    def test_encode_stays_within_nova_limit(self):
        running = {'v': 1, 'id': 'abcdef01', 'step': 'snapshot',
                   'm': 'deferred', 'from': 'ACTIVE', 't0': 1764000000,
                   'at': 1764000000, 'dl': 1764000121,
                   'ts': '2026-11-24T04:50:12Z', 'rq': '0123456789ab',
                   'own': claims.Registry(host='h' * 100).host +
                   ':4194304:abcdef'}
        self.assertLessEqual(len(save_record.encode(running)), 255)
        restart = {'v': 1, 'id': 'abcdef01', 'step': 'restart',
                   'm': 'deferred', 'from': 'ACTIVE', 't0': 1764000000,
                   'at': 1764000000, 'own': 'h' * 64 + ':4194304:abcdef',
                   'keep': 1, 'err': 'e"' * 200}
        value = save_record.encode(restart)
        self.assertLessEqual(len(value), 255)
        self.assertTrue(json.loads(value)['err'].startswith('e"e"'))
        failed = {'v': 1, 'id': 'abcdef01', 'step': 'failed',
                  'm': 'deferred', 'from': 'ACTIVE', 't0': 1764000000,
                  'at': 1764000000, 'img': str(uuid.uuid4()),
                  'err': 'x' * 300}
        value = save_record.encode(failed)
        self.assertLessEqual(len(value), 255)
        self.assertGreater(len(json.loads(value)['err']), 80)
        self.assertEqual(failed['img'], json.loads(value)['img'])

    def test_record_of(self):
        self.assertIsNone(save_record.record_of({'metadata': {}}))
        for raw in ('{', '[]'):
            self.assertIsNone(
                save_record.record_of({'metadata': {'ooi_save': raw}}))
        record = save_record.record_of({'metadata': {
            'ooi_save': '{"v":1,"step":"stop"}', 'ooi_save_name': 'n'}})
        self.assertEqual({'v': 1, 'step': 'stop', 'name': 'n',
                          'trust': None}, record)
        self.assertEqual('t1', save_record.record_of({'metadata': {
            'ooi_save': '{"v":1}', 'ooi_save_trust': 't1'}})['trust'])
        self.assertEqual('deferred save in progress (step stop)',
                         save_record.describe(record))


SAVE_PLAIN = ('Category: save; scheme="%s"; class="action"\n'
              'X-OCCI-Attribute: method="hot"\n'
              'X-OCCI-Attribute: name="from every rendering"\n' % ACTION)
SAVE_HEADERS = {
    'Category': 'save; scheme="%s"; class="action"' % ACTION,
    'X-OCCI-Attribute': 'method="hot", name="from every rendering"'}
SAVE_JSON = {'action': ACTION + 'save',
             'attributes': {'method': 'hot',
                            'name': 'from every rendering'}}


class TestAnswer(SaveTestCase):
    """The save action through the filter, in every rendering."""

    def setUp(self):
        super().setUp()
        self.occi, _ = fakes.build({'resume_saves_at_startup': 'false'},
                                   nova=self.nova)

    def call(self, server_id, body_type, accept):
        if body_type == 'text/occi':
            headers, body = dict(SAVE_HEADERS), b''
        elif body_type.endswith('json'):
            headers, body = {}, json.dumps(SAVE_JSON).encode()
        else:
            headers, body = {}, SAVE_PLAIN.encode()
        headers.update({'Content-Type': body_type, 'Accept': accept})
        return fakes.request('/compute/%s?action=save' % server_id,
                             method='POST', headers=headers,
                             body=body).get_response(self.occi)

    def test_every_rendering_as_request_and_answer(self):
        for body_type in ('text/plain', 'text/occi', 'application/occi+json'):
            for accept in ('text/plain', 'text/occi',
                           'application/occi+json'):
                what = '%s -> %s' % (body_type, accept)
                server_id = self.nova.add_server()
                response = self.call(server_id, body_type, accept)
                self.assertEqual(200, response.status_int,
                                 what + response.text)
                [image] = [i for i in self.nova.images.values()
                           if i['instance_uuid'] == server_id]
                self.assertEqual('from every rendering', image['name'])
                self.assertEqual('hot', image['ooi_save_method'])
                location = '%s/occi1.2/os_tpl/%s/' % (fakes.HOST_URL,
                                                      image['id'])
                if accept.endswith('json'):
                    mixin = response.json
                    self.assertEqual(
                        (image['id'], OS_SCHEME, 'from every rendering',
                         [INFRA + 'os_tpl'], [INFRA + 'compute'],
                         location),
                        (mixin['term'], mixin['scheme'], mixin['title'],
                         mixin['depends'], mixin['applies'],
                         mixin['location']), what)
                    values = {name: a['default'] for name, a in
                              mixin['attributes'].items()}
                    self.assertEqual(server_id, values[
                        'org.openstack.image.instance_uuid'], what)
                    self.assertEqual(image['status'], values[
                        'org.openstack.image.status'], what)
                    continue
                if accept == 'text/occi':
                    category = response.headers['Category']
                else:
                    category = response.text.strip()[len('Category: '):]
                self.assertEqual(
                    '%s; scheme="%s"; class="mixin"; title="from every '
                    'rendering"; rel="%sos_tpl"; location="%s"'
                    % (image['id'], OS_SCHEME, INFRA, location),
                    category.partition('; attributes=')[0], what)
                self.assertIn('org.openstack.image.status{immutable}',
                              category, what)
