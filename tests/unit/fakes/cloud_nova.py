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

"""A Nova that moves servers through their states, for the save action.

:class:`CloudNova` is a WSGI app standing in for nova's API router that
models what the save action depends on (stop, start, createImage and its
upload, tags, metadata, the instance action log), with Nova's own refusals.
The save tests answer Glance from the same state (its :attr:`images`).
"""

import collections
import datetime
import json
import re
import threading
import time
import uuid

import webob.dec

from ooi_save.backend.save import record as save_record
from tests.unit.fakes import glance
from tests.unit.fakes import nova

#: Seconds each of Nova's state transitions takes in the fake.
QUICK = 0.03


def iso_time(moment=None, micro=False):
    """A time (now by default) as Nova renders it, in UTC."""
    moment = moment or time.time()
    text = datetime.datetime.fromtimestamp(
        moment, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')
    return text if micro else text[:19] + 'Z'


class CloudNova(nova.FakeNova):
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
        self.tag_delete_seconds = 0
        #: What each os-start does, in turn, once its time is up: ``fails``
        #: (Nova reverts it, its action failed), ``stopped`` (it ran, and
        #: another request stopped the server at once); then it runs.
        self.start_outcomes = []

    # Building the world.

    def add_server(self, status='ACTIVE', task=None, name='web',
                   project='demo-project', **extra):
        server_id = str(uuid.uuid4())
        self.servers[server_id] = dict({
            'id': server_id, 'name': name, 'status': status,
            'OS-EXT-STS:task_state': task, 'metadata': {}, 'tags': [],
            'os-extended-volumes:volumes_attached': [],
            'tenant_id': project, 'user_id': 'demo-user',
            'updated': iso_time(time.time() - 3600)}, **extra)
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
            if 'event_end' in changes:
                action, event, result = changes.pop('event_end')
                event.update(finish_time=iso_time(micro=True), result=result)
                if result == 'Error' and action.get('action') != 'createImage':
                    action['message'] = 'Error'
            self._set(server_id, **changes)

    def _set(self, server_id, **changes):
        server = self.servers[server_id]
        for key, value in changes.items():
            if key == 'task':
                key = 'OS-EXT-STS:task_state'
            server[key] = value
        server['updated'] = iso_time()

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
        if request.method == 'DELETE' and '/tags/' in request.path:
            time.sleep(self.tag_delete_seconds)
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
        if rest.startswith('/os-instance-actions/'):
            request_id = rest[len('/os-instance-actions/'):]
            found = [a for a in self.actions[server_id]
                     if a['request_id'] == request_id]
            if not found:
                return self._fault(404, 'Action for request_id %s on '
                                   'instance %s not found'
                                   % (request_id, server_id))
            return self._reply(200, {'instanceAction': json.loads(
                json.dumps(found[-1]))})
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
        servers = nova.filtered_by_state(servers, request)
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
            if key == save_record.RECORD_KEY:
                self.events.append(('unrecord', server['id']))
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
            action, event = self._log_action(server_id, 'stop', context,
                                             'compute_stop_instance')
            # A compute that fails to stop reverts the task state.
            self.later(server_id, self.stop_seconds, task=None,
                       status='ACTIVE' if self.stop_reverts else 'SHUTOFF')
            self.later(server_id, self.stop_seconds, event_end=(
                action, event, 'Error' if self.stop_reverts else 'Success'))
            return self._reply(202)
        if action == 'os-start':
            if task:
                return self._refuse(server, 'start')
            if status != 'SHUTOFF':
                return self._fault(409, "Cannot 'start' instance %s while "
                                   "it is in vm_state active" % server_id)
            self.events.append(('os-start', server_id))
            self._set(server_id, task='powering-on')
            outcome = (self.start_outcomes.pop(0) if self.start_outcomes
                       else None)
            action, event = self._log_action(server_id, 'start', context,
                                             'compute_start_instance')
            if outcome == 'stopped':
                self._log_action(server_id, 'stop', None)
            self.later(server_id, self.start_seconds,
                       status='SHUTOFF' if outcome else 'ACTIVE', task=None)
            self.later(server_id, self.start_seconds, event_end=(
                action, event, 'Error' if outcome == 'fails' else 'Success'))
            return self._reply(202)
        if action == 'createImage':
            return self._create_image(server, args, context)
        return self._fault(400, 'Unknown action %s' % action)

    def _log_action(self, server_id, name, context, event=None):
        """Log an action, and the event its compute host begins."""
        action = {'action': name, 'instance_uuid': server_id,
                  'request_id': getattr(context, 'request_id', None) or
                  'req-%s' % uuid.uuid4(),
                  'start_time': iso_time(micro=True),
                  'updated_at': iso_time(micro=True), 'message': None,
                  'events': []}
        self.actions[server_id].append(action)
        if event is None:
            return action
        begun = {'event': event, 'start_time': iso_time(micro=True),
                 'finish_time': None, 'result': None}
        action['events'].append(begun)
        return action, begun

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
                  'start_time': iso_time(time.time() - 30, micro=True),
                  'updated_at': iso_time(micro=True), 'message': None}
        event = {'event': 'compute_snapshot_instance',
                 'start_time': iso_time(micro=True), 'finish_time': None,
                 'result': None}
        action['events'] = [event]
        self.actions[server_id].append(action)
        self._set(server_id, task='image_snapshot_pending')
        step = self.upload_seconds / 3
        # NOTE: like Nova's compute host, end the event once the upload is
        # handed to a task of its own, long before it is over.
        self.later(server_id, 0, event_end=(action, event, 'Success'))
        self.later(server_id, step, task='image_pending_upload')
        self.later(server_id, 2 * step, task='image_uploading',
                   image=(image_id, 'saving'))
        if self.snapshot_fails == 'glance':
            # Glance went away during the upload: Nova could not delete
            # the image, which stays saving, and its action tells nothing.
            self.later(server_id, 3 * step, task=None,
                       image=(image_id, 'saving'))
        elif self.snapshot_fails:
            self.later(server_id, 3 * step, task=None,
                       image=(image_id, None), action_error=action)
        else:
            self.later(server_id, 3 * step, image=(image_id, 'active'))
            # The image goes active a little before the task clears.
            self.later(server_id, 3 * step + 0.01, task=None)
        if self.legacy:
            return self._reply(202, headers={
                'Location': '%s/v2/images/%s' % (glance.GLANCE_URL,
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

    def image(self, image_id):
        """An image as Glance shows it now, or None.

        Time passes for Glance too: what was planned for the server the
        image is of (its upload going on) happens first.
        """
        with self.lock:
            image = self.images.get(image_id)
            if image is not None and image.get('instance_uuid') in \
                    self.servers:
                self._advance(image['instance_uuid'])
                image = self.images.get(image_id)
            return dict(image) if image is not None else None
