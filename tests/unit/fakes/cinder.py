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

"""Cinder's block storage API v3 at the wire, with requests-mock.

Volumes live in memory, per project (the project is in the URL, as in
Cinder's catalog endpoints). Nova's fake (:class:`tests.unit.fakes.FakeNova`)
attaches and detaches them through :meth:`FakeCinder.attach` and
:meth:`FakeCinder.detach`, as real Nova calls Cinder.
"""

import re
import uuid

import requests_mock

URL = 'http://cinder.test:8776'

_PATH = re.compile(r'^/v3/(?P<project>[^/]+)/volumes'
                   r'(?:/(?P<id>[^/]+))?(?P<action>/action)?$')


class FakeCinder:
    """A few Cinder volume calls, from memory."""

    def __init__(self):
        self.volumes = {}
        self.calls = []
        #: Status answered to every call instead, as a broken Cinder would.
        self.fail_with = None
        #: Quota of GiB per project.
        self.quota_gib = 100
        #: Delete and detach as Cinder does, in the background: a deleted
        #: volume stays ``deleting`` and a detached one ``detaching`` until
        #: :meth:`finish_deleting` and :meth:`finish_detaching`.
        self.in_background = False
        #: Refuse filters, as a Cinder without resource_filters.json does.
        self.refuse_filters = False

    def register(self, mock):
        """Answer Cinder's URLs on a requests-mock mocker."""
        mock.register_uri(requests_mock.ANY, re.compile(
            re.escape(URL) + '/.*'), json=self._answer)

    def add_volume(self, project='demo-project', size=1, status='available',
                   name='vol', **extra):
        volume = {'id': str(uuid.uuid4()), 'name': name, 'size': size,
                  'status': status, 'description': None,
                  'bootable': 'false', 'attachments': [],
                  'os-vol-tenant-attr:tenant_id': project}
        volume.update(extra)
        self.volumes[volume['id']] = volume
        return volume

    def attach(self, volume_id, server_id, device):
        """What Nova's attach does to the volume: an error message or None."""
        volume = self.volumes.get(volume_id)
        if volume is None:
            return 'Volume %s could not be found.' % volume_id
        if volume['status'] != 'available':
            return ('Invalid volume: volume %s status must be available, '
                    'but current status is: %s.'
                    % (volume_id, volume['status']))
        volume['status'] = 'reserved'
        volume['attachments'] = [{'server_id': server_id, 'device': device,
                                  'volume_id': volume_id}]
        return None

    def finish_attaching(self):
        for volume in self.volumes.values():
            if volume['status'] == 'reserved':
                volume['status'] = 'in-use'

    def detach(self, volume_id):
        """What Nova's detach does: an error message or None.

        The volume is ``detaching`` until :meth:`finish_detaching` (at
        once unless :attr:`in_background`); a second detach is refused
        meanwhile.
        """
        volume = self.volumes[volume_id]
        if volume['status'] in ('detaching', 'available'):
            return ('Invalid volume: Unable to detach volume. Volume status '
                    'must be \'in-use\' and attach_status must be '
                    '\'attached\' to detach.')
        volume['status'] = 'detaching'
        return None

    def finish_detaching(self):
        """Finish the detaches in progress; the ids of their volumes."""
        done = [v['id'] for v in self.volumes.values()
                if v['status'] == 'detaching']
        for volume_id in done:
            self.volumes[volume_id].update(status='available',
                                           attachments=[])
        return done

    def finish_deleting(self):
        for volume_id in [v['id'] for v in self.volumes.values()
                          if v['status'] == 'deleting']:
            del self.volumes[volume_id]

    def _error(self, context, status, key, message):
        context.status_code = status
        return {key: {'code': status, 'message': message}}

    def _answer(self, request, context):
        self.calls.append((request.method, request.path_url,
                           request.headers.get('X-Auth-Token'),
                           request.headers.get('OpenStack-API-Version')))
        if self.fail_with:
            return self._error(context, self.fail_with, 'computeFault',
                               'The server has either erred or is '
                               'incapable of performing the request.')
        found = _PATH.match(request.path)
        if found is None:
            return self._error(context, 404, 'itemNotFound', 'No fake.')
        project = found.group('project')
        mine = [v for v in self.volumes.values()
                if v['os-vol-tenant-attr:tenant_id'] == project]
        volume_id = found.group('id')
        if volume_id in (None, 'detail'):
            if request.method == 'POST':
                return self._create(request, context, project, mine)
            return self._list(request, context, mine,
                              volume_id == 'detail')
        volume = {v['id']: v for v in mine}.get(volume_id)
        if volume is None:
            return self._error(context, 404, 'itemNotFound',
                               'Volume %s could not be found.' % volume_id)
        if found.group('action'):
            return self._action(request, context, volume, mine)
        if request.method == 'GET':
            return {'volume': dict(volume)}
        if request.method == 'PUT':
            volume.update(request.json()['volume'])
            return {'volume': dict(volume)}
        if request.method == 'DELETE':
            if volume['status'] not in ('available', 'error'):
                return self._error(
                    context, 400, 'badRequest',
                    'Invalid volume: Volume status must be available or '
                    'error or error_restoring or error_extending or '
                    'error_managing and must not be migrating, attached, '
                    'belong to a group, have snapshots, awaiting a '
                    'transfer, or be disassociated from snapshots after '
                    'volume transfer.')
            if self.in_background:
                volume['status'] = 'deleting'
            else:
                del self.volumes[volume_id]
            context.status_code = 202
            return None
        return self._error(context, 405, 'badRequest', 'Not allowed.')

    def _used(self, mine):
        return sum(v['size'] for v in mine)

    def _create(self, request, context, project, mine):
        body = request.json()['volume']
        size = body['size']
        if not isinstance(size, int) or size < 1:
            return self._error(context, 400, 'badRequest',
                               'Invalid input received: size %r' % size)
        if self._used(mine) + size > self.quota_gib:
            return self._error(
                context, 413, 'overLimit',
                'VolumeSizeExceedsAvailableQuota: Requested volume or '
                'snapshot exceeds allowed gigabytes quota. Requested %sG, '
                'quota is %sG and %sG has been consumed.'
                % (size, self.quota_gib, self._used(mine)))
        volume = self.add_volume(project, size=size, status='creating',
                                 name=body.get('name'),
                                 description=body.get('description'))
        context.status_code = 202
        answer = dict(volume)
        volume['status'] = 'available'      # created at once, as fake
        return {'volume': answer}

    def _list(self, request, context, mine, detail):
        limit = int(request.qs.get('limit', ['1000'])[0])
        if 'status' in request.qs and self.refuse_filters:
            return self._error(context, 400, 'badRequest',
                               'Invalid filters status are found in query '
                               'options.')
        if 'status' in request.qs:
            mine = [v for v in mine if v['status'] == request.qs['status'][0]]
        marker = request.qs.get('marker', [None])[0]
        if marker:
            ids = [v['id'] for v in mine]
            mine = mine[ids.index(marker) + 1:]
        page = mine[:limit]
        body = {'volumes': [dict(v) if detail else
                            {'id': v['id'], 'name': v['name']}
                            for v in page]}
        if len(mine) > limit:
            body['volumes_links'] = [{'rel': 'next', 'href': 'next'}]
        return body

    def _action(self, request, context, volume, mine):
        body = request.json()
        if 'os-extend' not in body:
            return self._error(context, 400, 'badRequest', 'No fake.')
        new_size = body['os-extend']['new_size']
        if new_size <= volume['size']:
            return self._error(
                context, 400, 'badRequest',
                'Invalid input received: New size for extend must be '
                'greater than current size.')
        if volume['status'] not in ('available', 'in-use'):
            return self._error(
                context, 400, 'badRequest',
                'Invalid volume: Volume should be in available or in-use '
                'state, but current status is: %s.' % volume['status'])
        if self._used(mine) + new_size - volume['size'] > self.quota_gib:
            return self._error(context, 413, 'overLimit',
                               'VolumeSizeExceedsAvailableQuota')
        volume['size'] = new_size
        context.status_code = 202
        return None
