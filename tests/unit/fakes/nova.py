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

"""Nova's compute API below the filter: a WSGI app answering from memory.

The filter under test talks to it through the same WSGI interface as to
nova's API router. :class:`Context` is what nova's pipeline leaves in the
WSGI environ for the filter.
"""

import copy
import re
import uuid

import requests
import webob
import webob.dec

from tests.unit.fakes import cinder
from tests.unit.fakes import glance


class Context:
    """What nova's keystonecontext filter leaves in ``nova.context``."""

    def __init__(self, project_id='demo-project', user_id='demo-user',
                 roles=('member', 'reader'), auth_token='secret-token'):
        self.project_id = project_id
        self.user_id = user_id
        self.roles = list(roles)
        self.auth_token = auth_token
        self.request_id = 'req-' + str(uuid.uuid4())
        self.global_id = self.request_id
        self.service_catalog = [{
            'type': 'image', 'name': 'glance',
            'endpoints': [{'publicURL': glance.GLANCE_URL,
                           'region': 'RegionOne'}]}, {
            'type': 'volumev3', 'name': 'cinderv3',
            'endpoints': [{'publicURL': '%s/v3/%s' % (cinder.URL,
                                                      project_id),
                           'region': 'RegionOne'}]}]


def filtered_by_state(servers, request):
    """The servers a ``task_state`` or ``status`` filter keeps.

    As Nova filters them for a project member (microversion 2.83 on).
    """
    if 'task_state' in request.GET:
        wanted = request.GET.getall('task_state')
        servers = [s for s in servers
                   if s.get('OS-EXT-STS:task_state') in wanted]
    if 'status' in request.GET:
        wanted = [v.upper() for v in request.GET.getall('status')]
        # A status a VM state shows without a task stands for the VM
        # state, whatever the task (REBOOT is ACTIVE rebooting).
        states = {status for status in wanted
                  if VM_STATE_OF.get(status) == status}
        servers = [s for s in servers if s.get('status') in wanted or
                   VM_STATE_OF.get(s.get('status')) in states]
    return servers


#: The VM state a status shows, by the status the VM state shows without
#: a task (Nova's state map, for the statuses the fakes use).
VM_STATE_OF = dict(
    {status: status for status in (
        'ACTIVE', 'BUILD', 'PAUSED', 'SUSPENDED', 'SHUTOFF', 'RESCUE',
        'VERIFY_RESIZE', 'ERROR', 'SHELVED', 'SHELVED_OFFLOADED',
        'DELETED', 'SOFT_DELETED')},
    REBOOT='ACTIVE', HARD_REBOOT='ACTIVE', PASSWORD='ACTIVE',
    REBUILD='ACTIVE', MIGRATING='ACTIVE', RESIZE='ACTIVE',
    REVERT_RESIZE='VERIFY_RESIZE')


class FakeNova:
    """A WSGI app answering a few compute API calls from memory.

    It records every call it gets, so tests can count backend calls.
    """

    def __init__(self, cinder=None):
        #: The :class:`tests.unit.fakes.cinder.FakeCinder` whose volumes
        #: the servers attach, or None.
        self.cinder = cinder
        self.calls = []
        self.native_calls = []
        self.flavors = [
            {'id': '1', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512,
             'disk': 1, 'swap': 0, 'OS-FLV-EXT-DATA:ephemeral': 0},
            {'id': '2', 'name': 'm1.small', 'vcpus': 2, 'ram': 2048,
             'disk': 20, 'swap': 512, 'OS-FLV-EXT-DATA:ephemeral': 5},
        ]
        self.servers = {}
        #: The availability zones, and whether each is available.
        self.zones = {'nova': True, 'zone-b': True}
        #: Device names of the attached volumes, by server and volume.
        self.devices = {}
        self.keypairs = {}
        self.created = []
        #: Whether a boot asks Glance for its image as Nova does (through
        #: the Glance fake at the wire, which the test must have set up).
        self.checks_images = False
        self.actions = []
        self.page_size = 1000
        #: An exception to raise from the next call, as a broken Nova would.
        self.explode_with = None
        #: Server actions that lose the server's task state to another
        #: request, once each: Nova answers 500 (UnexpectedTaskStateError).
        self.loses_race = {}
        self.loses_race_with = 'UnexpectedTaskStateError'
        #: Calls Nova fails with an exception it did not expect: a method
        #: (``GET``) or a server action (``createImage``) to the Python
        #: class Nova names in its 500 ("Unexpected API Error").
        self.unexpected = {}

    def _reply(self, status, body=None, headers=None):
        response = webob.Response(status=status)
        response.headers.update(headers or {})
        if body is not None:
            response.json_body = body
        return response

    @webob.dec.wsgify
    def __call__(self, request):
        self.calls.append((request.method, request.path_qs,
                           dict(request.headers),
                           request.environ.get('nova.context')))
        if self.explode_with is not None:
            raise self.explode_with
        if self.unexpected and request.headers.get('OpenStack-API-Version'):
            action = next(iter(request.json_body), None) if (
                request.path_info.endswith('/action')) else None
            name = self.unexpected.get(action) or self.unexpected.get(
                request.method)
            if name:
                return self._reply(500, {'computeFault': {
                    'code': 500, 'message': "Unexpected API Error. Please "
                    "contact the administrator\n<class '%s'>" % name}})
        path = request.path_info
        if request.headers.get('OpenStack-API-Version') is None:
            # A native request, passed through the filter untouched.
            self.native_calls.append(request)
            return self._reply(200, {'servers': [], 'native': True},
                               headers={'X-Native': 'yes'})
        if path == '/os-availability-zone':
            return self._reply(200, {'availabilityZoneInfo': [
                {'zoneName': name, 'zoneState': {'available': up},
                 'hosts': None} for name, up in self.zones.items()]})
        if path == '/flavors/detail':
            return self._reply(200, {'flavors': copy.deepcopy(
                self.flavors)})
        if path == '/os-keypairs' and request.method == 'POST':
            keypair = request.json_body['keypair']
            if keypair['name'] in self.keypairs:
                return self._conflict('Key pair %s already exists.'
                                      % keypair['name'])
            self.keypairs[keypair['name']] = keypair['public_key']
            return self._reply(201, {'keypair': keypair})
        if path in ('/servers', '/servers/detail'):
            if request.method == 'POST':
                return self._create(request.json_body['server'])
            return self._list(request, detail=path.endswith('detail'))
        match = re.match(r'^/servers/([^/]+)/os-volume_attachments'
                         r'(?:/([^/]+))?$', path)
        if match:
            return self._attachments(request, *match.groups())
        match = re.match(r'^/servers/([^/]+)/tags/([^/]+)$', path)
        if match:
            return self._tag(request, match.group(1), match.group(2))
        match = re.match(r'^/servers/([^/]+)(/action)?$', path)
        if match:
            server = self.servers.get(match.group(1))
            if server is None:
                return self._reply(404, {'itemNotFound': {
                    'code': 404,
                    'message': 'Instance %s could not be found.'
                               % match.group(1)}})
            if match.group(2):
                return self._action(server, request.json_body)
            if request.method == 'GET':
                return self._reply(200, {'server': copy.deepcopy(server)})
            if request.method == 'PUT':
                fields = request.json_body['server']
                server.update({'name' if k == 'name' else
                               'OS-EXT-SRV-ATTR:hostname' if k == 'hostname'
                               else k: v for k, v in fields.items()})
                return self._reply(200, {'server': copy.deepcopy(server)})
            if request.method == 'DELETE':
                del self.servers[server['id']]
                return self._reply(204)
        return self._reply(404, {'itemNotFound': {
            'code': 404, 'message': 'No fake for %s' % path}})

    def _attachments(self, request, server_id, volume_id):
        """Nova's os-volume_attachments, on the fake Cinder's volumes."""
        server = self.servers.get(server_id)
        if server is None:
            return self._reply(404, {'itemNotFound': {
                'code': 404,
                'message': 'Instance %s could not be found.' % server_id}})
        attached = server['os-extended-volumes:volumes_attached']
        devices = self.devices.setdefault(server_id, {})
        if request.method == 'POST' and volume_id is None:
            if server['status'] not in ('ACTIVE', 'SHUTOFF'):
                return self._conflict(
                    "Cannot 'attach_volume' instance %s while it is in "
                    "vm_state %s" % (server_id, server['status'].lower()))
            wanted = request.json_body['volumeAttachment']
            device = wanted.get('device') or '/dev/vd%s' % 'bcdefgh'[
                len(attached)]
            error = self.cinder.attach(wanted['volumeId'], server_id, device)
            if error:
                return self._reply(400, {'badRequest': {
                    'code': 400, 'message': error}})
            attached.append({'id': wanted['volumeId'],
                             'delete_on_termination': False})
            devices[wanted['volumeId']] = device
            return self._reply(200, {'volumeAttachment': {
                'device': device, 'serverId': server_id,
                'volumeId': wanted['volumeId'], 'id': wanted['volumeId']}})
        if volume_id is None:
            return self._reply(200, {'volumeAttachments': [
                {'device': devices[a['id']], 'serverId': server_id,
                 'volumeId': a['id']} for a in attached]})
        if volume_id not in devices:
            return self._reply(404, {'itemNotFound': {
                'code': 404, 'message': 'volume_id not found: %s'
                % volume_id}})
        if request.method == 'DELETE':
            error = self.cinder.detach(volume_id)
            if error:
                return self._reply(400, {'badRequest': {
                    'code': 400, 'message': error}})
            if not self.cinder.in_background:
                self.finish_detaching()
            return self._reply(202)
        return self._reply(200, {'volumeAttachment': {
            'device': devices[volume_id], 'serverId': server_id,
            'volumeId': volume_id}})

    def finish_detaching(self):
        """Finish the volume detaches in progress, as Nova's compute does."""
        done = set(self.cinder.finish_detaching()) | {
            volume_id for volume_id, volume in self.cinder.volumes.items()
            if volume['status'] == 'available'}
        for server in self.servers.values():
            attached = server.get('os-extended-volumes:volumes_attached')
            if attached:
                attached[:] = [a for a in attached if a['id'] not in done]
        for devices in self.devices.values():
            for volume_id in done & set(devices):
                del devices[volume_id]

    def _tag(self, request, server_id, tag):
        """One server tag, as Nova 2.26+ (201 new, 204 there already)."""
        server = self.servers.get(server_id)
        if server is None:
            return self._reply(404, {'itemNotFound': {
                'code': 404, 'message': 'Instance %s could not be found.'
                % server_id}})
        if server['status'] in ('BUILD', 'ERROR'):
            # As Nova: tags change only in steady, working vm states.
            return self._conflict(
                "Cannot 'update tags' instance %s while it is in vm_state "
                "%s" % (server_id, server['status'].lower()))
        if request.method == 'PUT':
            if tag in server['tags']:
                return self._reply(204)
            if len(server['tags']) >= 50:
                return self._reply(400, {'badRequest': {
                    'code': 400, 'message': 'The number of tags exceeded '
                    'the per-server limit 50'}})
            server['tags'].append(tag)
            return self._reply(201)
        if request.method == 'DELETE':
            if tag not in server['tags']:
                return self._reply(404, {'itemNotFound': {
                    'code': 404, 'message': 'Tag %s not found.' % tag}})
            server['tags'].remove(tag)
            return self._reply(204)
        return self._reply(405)

    def _conflict(self, message):
        return self._reply(409, {'conflictingRequest': {
            'code': 409, 'message': message}})

    def add_server(self, name='vm', status='ACTIVE', flavor=0,
                   image_id='image-1', task_state=None, **extra):
        """A server as Nova 2.90 renders it."""
        flavor = self.flavors[flavor]
        server = {
            'id': str(uuid.uuid4()), 'name': name, 'status': status,
            'OS-EXT-STS:task_state': task_state,
            'OS-EXT-SRV-ATTR:hostname': name,
            'description': None, 'tags': [], 'metadata': {},
            'image': {'id': image_id},
            'flavor': {'original_name': flavor['name'],
                       'vcpus': flavor['vcpus'], 'ram': flavor['ram'],
                       'disk': flavor['disk'], 'ephemeral': 0, 'swap': 0,
                       'extra_specs': {}},
            'key_name': None,
            'os-extended-volumes:volumes_attached': [],
            'OS-EXT-AZ:availability_zone': 'nova',
        }
        server.update(extra)
        self.servers[server['id']] = server
        return server

    def _create(self, body):
        refusal = self._image_refusal(body.get('imageRef'))
        if refusal is not None:
            return self._reply(400, {'badRequest': {
                'code': 400, 'message': refusal}})
        flavor = [i for i, f in enumerate(self.flavors)
                  if f['id'] == body['flavorRef']][0]
        server = self.add_server(
            name=body['name'], flavor=flavor, image_id=body['imageRef'],
            key_name=body.get('key_name'),
            description=body.get('description'))
        if body.get('hostname'):
            server['OS-EXT-SRV-ATTR:hostname'] = body['hostname']
        if body.get('availability_zone'):
            server['OS-EXT-AZ:availability_zone'] = body['availability_zone']
        devices = [d for d in body.get('block_device_mapping_v2', ())
                   if d['source_type'] == 'volume']
        for device in devices:
            volume = self.cinder.volumes.get(device['uuid'])
            if volume is None or volume['status'] != 'available':
                del self.servers[server['id']]
                return self._reply(400, {'badRequest': {
                    'code': 400, 'message': 'Invalid volume: %s is not '
                                            'available' % device['uuid']}})
        for number, device in enumerate(devices):
            name = device.get('device_name') or '/dev/vd' + 'bcdefgh'[number]
            self.cinder.attach(device['uuid'], server['id'], name)
            server['os-extended-volumes:volumes_attached'].append(
                {'id': device['uuid'], 'delete_on_termination': False})
            self.devices.setdefault(server['id'], {})[device['uuid']] = name
        server['tags'] = list(body.get('tags') or ())
        self.created.append(body)
        return self._reply(202, {'server': {'id': server['id']}})

    def _image_refusal(self, image_id):
        """What Nova answers a boot from an image it cannot use, or None."""
        if not self.checks_images or not image_id:
            return None
        found = requests.get(glance.GLANCE_URL + '/v2/images/' + image_id)
        if found.status_code == 404:
            return 'Can not find requested image'
        if found.json().get('status') != 'active':
            return 'Image %s is not active.' % image_id
        return None

    def _list(self, request, detail):
        servers = list(self.servers.values())
        for key in ('image', 'flavor'):
            if key in request.GET:
                wanted = request.GET[key]
                servers = [
                    s for s in servers
                    if (s['image']['id'] if key == 'image' else
                        [f['id'] for f in self.flavors
                         if f['name'] == s['flavor']['original_name']][0])
                    == wanted]
        if 'tags' in request.GET:
            servers = [s for s in servers
                       if request.GET['tags'] in s['tags']]
        if 'availability_zone' in request.GET:
            servers = [s for s in servers
                       if s.get('OS-EXT-AZ:availability_zone') ==
                       request.GET['availability_zone']]
        servers = filtered_by_state(servers, request)
        limit = min(int(request.GET.get('limit', self.page_size)),
                    self.page_size)
        marker = request.GET.get('marker')
        if marker:
            ids = [s['id'] for s in servers]
            servers = servers[ids.index(marker) + 1:]
        page = servers[:limit]
        body = {'servers': [copy.deepcopy(s) if detail else
                            {'id': s['id'], 'name': s['name']}
                            for s in page]}
        if len(servers) > limit:
            body['servers_links'] = [{'rel': 'next', 'href': 'next'}]
        return self._reply(200, body)

    #: Nova status changes of the server actions this fake knows.
    TRANSITIONS = {
        'os-stop': (('ACTIVE',), 'SHUTOFF'),
        'os-start': (('SHUTOFF',), 'ACTIVE'),
        'reboot': (('ACTIVE', 'SHUTOFF', 'ERROR'), 'ACTIVE'),
        'suspend': (('ACTIVE',), 'SUSPENDED'),
        'resume': (('SUSPENDED',), 'ACTIVE'),
        'shelve': (('ACTIVE', 'SHUTOFF'), 'SHELVED_OFFLOADED'),
        'unshelve': (('SHELVED', 'SHELVED_OFFLOADED'), 'ACTIVE'),
        'unpause': (('PAUSED',), 'ACTIVE'),
        'rebuild': (('ACTIVE', 'SHUTOFF'), None),
        'resize': (('ACTIVE', 'SHUTOFF'), 'VERIFY_RESIZE'),
        'confirmResize': (('VERIFY_RESIZE',), 'ACTIVE'),
    }

    def _action(self, server, body):
        [(name, args)] = body.items()
        if name not in self.TRANSITIONS:
            return self._reply(400, {'badRequest': {
                'code': 400, 'message': 'No fake action %s' % name}})
        if self.loses_race.pop(name, None):
            return self._reply(500, {'computeFault': {
                'code': 500, 'message': "Unexpected API Error. Please "
                "report this at http://bugs.launchpad.net/nova/ and attach "
                "the Nova API log if possible.\n<class 'nova.exception."
                "%s'>" % self.loses_race_with}})
        allowed, target = self.TRANSITIONS[name]
        if name == 'reboot' and args.get('type') == 'SOFT':
            allowed = ('ACTIVE',)   # as Nova: a soft reboot needs a guest
        if server['status'] not in allowed:
            return self._conflict(
                "Cannot '%s' instance %s while it is in vm_state %s"
                % (name, server['id'], server['status'].lower()))
        self.actions.append((server['id'], name, args))
        if name == 'rebuild':
            server['image'] = {'id': args['imageRef']}
        elif name == 'resize':
            flavor = [f for f in self.flavors
                      if f['id'] == args['flavorRef']][0]
            server['flavor'].update(original_name=flavor['name'],
                                    vcpus=flavor['vcpus'],
                                    ram=flavor['ram'])
        if target:
            server['status'] = target
        return self._reply(204 if name == 'confirmResize' else 202)
