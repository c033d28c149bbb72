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

"""Storage through the real filter, over Nova and Cinder faked at the wire.

Every rendering is used both as request body and as answer.
"""

import requests

from tests.unit.client import attribute
from tests.unit.fakes import cinder as fake_cinder
from tests.unit.fakes import nova as fake_nova
from tests.unit.storage import base as storage_base
from tests.unit.storage.base import ACCEPTS
from tests.unit.storage.base import BODY_TYPES
from tests.unit.storage.base import entity_request
from tests.unit.storage.base import INFRA
from tests.unit.storage.base import ROOT
from tests.unit.storage.base import STORAGE_ACTION


class StorageTest(storage_base.StorageTestCase):

    def test_create_in_every_rendering_answered_in_every_rendering(self):
        for body_type in BODY_TYPES:
            for accept in ACCEPTS + ('text/uri-list',):
                headers, body = entity_request(
                    body_type, INFRA + 'storage',
                    {'occi.core.title': 'data', 'occi.storage.size': 0.1,
                     'occi.core.summary': 'my "disk"'})
                response = self.call('/storage/', 'POST', accept, body,
                                     headers)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                location = response.headers['Location']
                self.assertTrue(location.startswith(ROOT + '/storage/'))
                volume = self.cinder.volumes[location.rpartition('/')[2]]
                self.assertEqual(('data', 'my "disk"', 1), (
                    volume['name'], volume['description'], volume['size']))
                self.assertIn(location, response.text + str(
                    response.headers), what)
                self.assertEqual('nova=0, glance=0, cinder=1',
                                 response.headers['X-OCCI-Backend-Calls'])
                if accept.endswith('json'):
                    self.assertEqual(1, response.json['attributes'][
                        'occi.storage.size'])
                    self.assertEqual('offline', response.json['attributes'][
                        'occi.storage.state'])

    def test_cinder_gets_the_callers_token_and_microversion(self):
        self.call('/storage/', accept='application/occi+json')
        [(method, url, token, version)] = self.cinder.calls
        self.assertEqual(('GET', 'secret-token', 'volume 3.42'),
                         (method, token, version))
        self.assertEqual('/v3/demo-project/volumes/detail', url)

    def test_read_in_every_rendering(self):
        volume = self.cinder.add_volume(name='reader', size=3,
                                        status='in-use')
        for accept in ACCEPTS:
            response = self.call('/storage/' + volume['id'], accept=accept)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual('reader', attribute(response, 'occi.core.title'))
            self.assertEqual(3, attribute(response, 'occi.storage.size'))
            self.assertEqual('online', attribute(response,
                                                 'occi.storage.state'))
            self.assertEqual('in-use', attribute(
                response, 'occi.storage.state.message'))
            self.assertEqual('nova=0, glance=0, cinder=1',
                             response.headers['X-OCCI-Backend-Calls'])
        response = self.call('/storage/' + volume['id'],
                             accept='text/uri-list')
        self.assertEqual(400, response.status_int)

    def test_state_table(self):
        for status, state in (('available', 'online'), ('in-use', 'online'),
                              ('creating', 'offline'),
                              ('extending', 'offline'),
                              ('attaching', 'offline'),
                              ('error', 'error'),
                              ('error_extending', 'error')):
            volume = self.cinder.add_volume(status=status)
            response = self.call('/storage/' + volume['id'],
                                 accept='application/occi+json')
            self.assertEqual(state, response.json['attributes'][
                'occi.storage.state'], status)
            self.assertEqual(status, response.json['attributes'][
                'occi.storage.state.message'])

    def test_unknown_and_foreign_storage_is_404(self):
        other = self.cinder.add_volume(project='alt-project')
        for volume_id in ('nope', 'detail', other['id']):
            for accept in ACCEPTS:
                response = self.call('/storage/' + volume_id, accept=accept)
                self.assertEqual(404, response.status_int)
                self.assertIn('could not be found', response.text)
        listed = self.call('/storage/', accept='text/uri-list')
        self.assertNotIn(other['id'], listed.text)

    def test_collection_in_every_rendering_is_one_cinder_call(self):
        volumes = [self.cinder.add_volume(name='v%d' % i) for i in range(3)]
        for accept in ACCEPTS + ('text/uri-list',):
            response = self.call('/storage/', accept=accept)
            self.assertEqual(200, response.status_int)
            self.assertEqual('nova=0, glance=0, cinder=1',
                             response.headers['X-OCCI-Backend-Calls'])
            for volume in volumes:
                self.assertIn(volume['id'] if accept.endswith('json') else
                              ROOT + '/storage/' + volume['id'],
                              response.text + str(response.headers))
        # The detailed listing even for locations: only it tells the
        # volumes being deleted.
        detail = [c[1] for c in self.cinder.calls]
        self.assertTrue(detail[-1].endswith('/volumes/detail'))

    def test_collection_pages_and_filter(self):
        volumes = [self.cinder.add_volume(name='v%d' % i) for i in range(5)]
        response = self.call('/storage/?page=2&number=2',
                             accept='text/uri-list')
        self.assertEqual([ROOT + '/storage/' + v['id']
                          for v in volumes[2:4]], response.text.split())
        self.assertIn('limit=4', self.cinder.calls[-1][1])
        headers, body = entity_request('text/plain', INFRA + 'storage',
                                       {'occi.core.title': 'v3'})
        headers['Content-Type'] = 'text/plain'
        response = self.call('/storage/', accept='text/uri-list',
                             headers=headers, body=body)
        self.assertEqual([ROOT + '/storage/' + volumes[3]['id']],
                         response.text.split())

    def test_update_renames_and_grows(self):
        for body_type in BODY_TYPES:
            volume = self.cinder.add_volume(size=1)
            headers, body = entity_request(
                body_type, INFRA + 'storage',
                {'occi.core.title': 'grown', 'occi.storage.size': 2.5})
            response = self.call('/storage/' + volume['id'], 'POST',
                                 'application/occi+json', body, headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual(('grown', 3), (volume['name'], volume['size']))
            self.assertEqual(3, response.json['attributes'][
                'occi.storage.size'])
            self.assertEqual('grown', response.json['title'])

    def test_put_replaces_and_needs_kind_and_size(self):
        volume = self.cinder.add_volume(size=2)
        headers, body = entity_request('text/plain', INFRA + 'storage',
                                       {'occi.core.title': 'x'})
        response = self.call('/storage/' + volume['id'], 'PUT', body=body,
                             headers=headers)
        self.assertEqual(400, response.status_int)
        headers, body = entity_request(
            'text/plain', INFRA + 'storage',
            {'occi.core.title': 'x', 'occi.storage.size': 2})
        response = self.call('/storage/' + volume['id'], 'PUT', body=body,
                             headers=headers)
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual(('x', 2), (volume['name'], volume['size']))

    def test_shrinking_is_400_and_changes_nothing(self):
        volume = self.cinder.add_volume(size=4, name='keep')
        for body_type in BODY_TYPES:
            headers, body = entity_request(
                body_type, INFRA + 'storage',
                {'occi.core.title': 'renamed', 'occi.storage.size': 2})
            response = self.call('/storage/' + volume['id'], 'POST',
                                 body_type, body, headers)
            self.assertEqual(400, response.status_int)
            self.assertIn('not shrink', response.text)
            self.assertEqual(('keep', 4), (volume['name'], volume['size']))

    def test_bad_sizes_are_400(self):
        for size in (0, -1, 'big', True, None):
            headers, body = entity_request(
                'application/occi+json', INFRA + 'storage',
                {'occi.storage.size': size})
            response = self.call('/storage/', 'POST',
                                 'application/occi+json', body, headers)
            self.assertEqual(400, response.status_int, size)
            self.assertEqual('application/occi+json', response.content_type)
        headers, body = entity_request('text/plain', INFRA + 'compute', {})
        response = self.call('/storage/', 'POST', body=body, headers=headers)
        self.assertEqual(400, response.status_int)
        headers, body = entity_request('text/plain', INFRA + 'storage',
                                       {'occi.storage.bogus': 1,
                                        'occi.storage.size': 1})
        response = self.call('/storage/', 'POST', body=body, headers=headers)
        self.assertEqual(400, response.status_int)
        self.assertEqual({}, self.cinder.volumes)

    def test_quota_is_413_with_cinders_message(self):
        self.cinder.quota_gib = 5
        headers, body = entity_request('text/plain', INFRA + 'storage',
                                       {'occi.storage.size': 6})
        response = self.call('/storage/', 'POST', body=body, headers=headers)
        self.assertEqual(413, response.status_int)
        self.assertIn('exceeds allowed gigabytes quota', response.text)
        self.assertEqual({}, self.cinder.volumes)

    def test_delete_and_delete_in_use(self):
        volume = self.cinder.add_volume()
        busy = self.cinder.add_volume(status='in-use')
        for accept in ACCEPTS:
            response = self.call('/storage/' + busy['id'], 'DELETE', accept)
            self.assertEqual(409, response.status_int)
            self.assertIn('attached', response.text)
        self.assertIn(busy['id'], self.cinder.volumes)
        response = self.call('/storage/' + volume['id'], 'DELETE')
        self.assertEqual(200, response.status_int)
        self.assertNotIn(volume['id'], self.cinder.volumes)
        response = self.call('/storage/' + volume['id'], 'DELETE')
        self.assertEqual(404, response.status_int)

    def test_actions_are_not_implemented(self):
        volume = self.cinder.add_volume()
        for term in ('online', 'offline'):
            headers = {'Content-Type': 'text/plain'}
            body = ('Category: %s; scheme="%s"; class="action"\n'
                    % (term, STORAGE_ACTION)).encode()
            response = self.call('/storage/%s?action=%s'
                                 % (volume['id'], term), 'POST',
                                 body=body, headers=headers)
            self.assertEqual(501, response.status_int)
            self.assertIn('Cinder', response.text)
        response = self.call('/storage/%s?action=grow' % volume['id'],
                             'POST')
        self.assertEqual(400, response.status_int)
        response = self.call('/storage/nope?action=online', 'POST')
        self.assertEqual(404, response.status_int)
        response = self.call('/storage/' + volume['id'],
                             accept='application/occi+json')
        self.assertNotIn('actions', response.json)

    def test_cinder_down_is_503_and_cinder_errors_502(self):
        volume = self.cinder.add_volume()
        self.glance.mock.get(fake_cinder.URL + '/v3/demo-project/volumes/'
                             + volume['id'],
                             exc=requests.exceptions.ConnectionError)
        for accept in ACCEPTS:
            response = self.call('/storage/' + volume['id'], accept=accept)
            self.assertEqual(503, response.status_int)
            self.assertIn('Cinder cannot be reached', response.text)
        self.cinder.fail_with = 500
        response = self.call('/storage/')
        self.assertEqual(502, response.status_int)

    def test_no_cinder_in_the_catalog_is_503(self):
        context = fake_nova.Context()
        context.service_catalog = context.service_catalog[:1]
        response = self.call('/storage/', context=context)
        self.assertEqual(503, response.status_int)
        self.assertIn('cinder_endpoint', response.text)
