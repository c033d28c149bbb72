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

"""Storage and storagelink through the real filter, over Nova and Cinder
faked at the wire.

Every rendering is used both as request body and as answer.
"""

import json

import requests
import testtools

from tests.unit import fake_cinder
from tests.unit import fakes
from tests.unit import test_compute

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
STORAGE_ACTION = 'http://schemas.ogf.org/occi/infrastructure/storage/action#'
ROOT = fakes.HOST_URL + '/occi1.2'
ACCEPTS = ('text/plain', 'text/occi', 'application/occi+json')
BODY_TYPES = ('text/plain', 'text/occi', 'application/occi+json')

attribute = test_compute.attribute


def entity_request(body_type, kind, attributes, links=()):
    """An entity rendering of a request: (headers, body).

    :param links: (target, target kind, link kind, attributes) tuples
    """
    term = kind.rpartition('#')[2]
    if body_type.endswith('json'):
        body = {'kind': kind, 'attributes': dict(attributes)}
        for name, key in (('occi.core.source', 'source'),
                          ('occi.core.target', 'target')):
            if name in body['attributes']:
                body[key] = {'location': body['attributes'].pop(name)}
        if links:
            body['links'] = [{'kind': link_kind, 'attributes': attrs,
                              'target': {'location': target,
                                         'kind': target_kind}}
                             for target, target_kind, link_kind, attrs
                             in links]
        return ({'Content-Type': body_type}, json.dumps(body).encode())
    category = '%s; scheme="%s"; class="kind"' % (term, INFRA)
    values = ['%s=%s' % (name, json.dumps(value))
              for name, value in attributes.items()]
    link_values = ['<%s>; rel="%s"; category="%s"%s' % (
        target, target_kind, link_kind, ''.join(
            '; %s=%s' % (n, json.dumps(v)) for n, v in attrs.items()))
        for target, target_kind, link_kind, attrs in links]
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi', 'Category': category}
        if values:
            headers['X-OCCI-Attribute'] = ', '.join(values)
        if link_values:
            headers['Link'] = ', '.join(link_values)
        return headers, b''
    lines = ['Category: ' + category]
    lines += ['Link: ' + value for value in link_values]
    lines += ['X-OCCI-Attribute: ' + value for value in values]
    return {'Content-Type': body_type}, ('\n'.join(lines) + '\n').encode()


def link_attributes(response):
    """The attributes of a link rendered on its own, target included."""
    if response.content_type.endswith('json'):
        body = response.json
        found = dict(body.get('attributes', {}))
        found['occi.core.target'] = body['target']['location']
        found['occi.core.source'] = body['source']['location']
        return found
    if response.content_type == 'text/occi':
        lines = ','.join(response.headers.getall('X-OCCI-Attribute'))
        lines = lines.split(',')
    else:
        lines = [line.partition(':')[2] for line in
                 response.text.splitlines()
                 if line.startswith('X-OCCI-Attribute:')]
    found = {}
    for line in lines:
        key, _, value = line.strip().partition('=')
        found[key] = json.loads(value)
    return found


def links_of(response):
    """The links rendered in a compute or a link: (target, self, attrs)."""
    if response.content_type.endswith('json'):
        body = response.json
        found = body.get('links', [body] if 'target' in body else [])
        return [(link['target']['location'], link['id'],
                 link.get('attributes', {})) for link in found]
    if response.content_type == 'text/occi':
        values = []
        for header in response.headers.getall('Link'):
            values.extend(v for v in header.split(', <'))
        values = [v if v.startswith('<') else '<' + v for v in values]
    else:
        values = [line.partition(':')[2].strip()
                  for line in response.text.splitlines()
                  if line.startswith('Link:')]
    found = []
    for value in values:
        if '?action=' in value:
            continue
        target = value[1:value.index('>')]
        params = {}
        for part in value[value.index('>') + 1:].split(';')[1:]:
            name, _, raw = part.strip().partition('=')
            params[name] = json.loads(raw)
        found.append((target, params.pop('self', None), params))
    return found


class Base(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cinder = fake_cinder.FakeCinder()
        self.occi, self.nova = fakes.build(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'},
            nova=fakes.FakeNova(self.cinder),
            storage_extend_timeout=0, default_os_tpl='image-1',
            default_resource_tpl='m1.tiny')
        self.glance = self.useFixture(fakes.GlanceFixture(
            test_compute.IMAGES))
        self.cinder.register(self.glance.mock)

    def call(self, path, method='GET', accept='text/plain', body=b'',
             headers=None, context=None):
        all_headers = {'Accept': accept}
        all_headers.update(headers or {})
        return fakes.request(path, method=method, headers=all_headers,
                             body=body, context=context).get_response(
                                 self.occi)


class StorageTest(Base):

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
                              ('deleting', 'offline'),
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
        detail = [c[1] for c in self.cinder.calls]
        self.assertTrue(detail[-1].endswith('/volumes'))

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
        context = fakes.Context()
        context.service_catalog = context.service_catalog[:1]
        response = self.call('/storage/', context=context)
        self.assertEqual(503, response.status_int)
        self.assertIn('cinder_endpoint', response.text)


class StorageLinkTest(Base):

    def setUp(self):
        super().setUp()
        self.server = self.nova.add_server(name='host')
        self.volume = self.cinder.add_volume(name='data')
        self.compute = ROOT + '/compute/' + self.server['id']
        self.storage = ROOT + '/storage/' + self.volume['id']

    def link_request(self, body_type, **extra):
        attributes = {'occi.core.source': self.compute,
                      'occi.core.target': self.storage}
        attributes.update(extra)
        return entity_request(body_type, INFRA + 'storagelink', attributes)

    def test_create_in_every_rendering_answered_in_every_rendering(self):
        for body_type in BODY_TYPES:
            for accept in ACCEPTS + ('text/uri-list',):
                headers, body = self.link_request(
                    body_type, **{'occi.storagelink.deviceid': '/dev/vdc'})
                response = self.call('/storagelink/', 'POST', accept, body,
                                     headers)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                location = '%s/storagelink/%s_%s' % (
                    ROOT, self.server['id'], self.volume['id'])
                self.assertEqual(location, response.headers['Location'])
                self.assertEqual('reserved', self.volume['status'])
                self.assertEqual('/dev/vdc', self.nova.devices[
                    self.server['id']][self.volume['id']])
                self.assertEqual('nova=1, glance=0, cinder=2',
                                 response.headers['X-OCCI-Backend-Calls'])
                if accept != 'text/uri-list':
                    attrs = link_attributes(response)
                    self.assertEqual(self.storage,
                                     attrs['occi.core.target'])
                    self.assertEqual(self.compute,
                                     attrs['occi.core.source'])
                    self.assertEqual('inactive',
                                     attrs['occi.storagelink.state'])
                    self.assertEqual('reserved',
                                     attrs['occi.storagelink.state.message'])
                    self.assertEqual('/dev/vdc',
                                     attrs['occi.storagelink.deviceid'])
                response = self.call(location[len(ROOT):], 'DELETE')
                self.assertEqual(200, response.status_int, response.text)
                self.assertEqual('available', self.volume['status'])

    def test_compute_renders_its_storagelinks_at_no_extra_cost(self):
        self.call('/storagelink/', 'POST', body=self.link_request(
            'text/plain')[1], headers={'Content-Type': 'text/plain'})
        self.cinder.finish_attaching()
        location = '%s/storagelink/%s_%s' % (ROOT, self.server['id'],
                                             self.volume['id'])
        for accept in ACCEPTS:
            response = self.call('/compute/' + self.server['id'],
                                 accept=accept)
            self.assertEqual('nova=1, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
            [(target, self_, attrs)] = links_of(response)
            if accept.endswith('json'):
                self_ = ROOT + '/storagelink/' + self_
            self.assertEqual((self.storage, location, 'active'),
                             (target, self_,
                              attrs['occi.storagelink.state']), accept)
            link = self.call(location[len(ROOT):], accept=accept)
            self.assertEqual(200, link.status_int, link.text)
            self.assertEqual('nova=1, glance=0, cinder=1',
                             link.headers['X-OCCI-Backend-Calls'])
            attrs = link_attributes(link)
            self.assertEqual((self.storage, 'active', '/dev/vdb'), (
                attrs['occi.core.target'], attrs['occi.storagelink.state'],
                attrs['occi.storagelink.deviceid']), accept)
        listed = self.call('/storagelink/', accept='text/uri-list')
        self.assertEqual([location], listed.text.split())

    def test_attach_refusals(self):
        busy = self.cinder.add_volume(status='in-use')
        headers, body = entity_request(
            'text/plain', INFRA + 'storagelink',
            {'occi.core.source': self.compute,
             'occi.core.target': ROOT + '/storage/' + busy['id']})
        response = self.call('/storagelink/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(409, response.status_int)
        self.assertIn('in-use', response.text)
        self.server['status'] = 'SUSPENDED'
        response = self.call('/storagelink/', 'POST',
                             body=self.link_request('text/plain')[1],
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(409, response.status_int)
        self.assertIn('attach_volume', response.text)
        self.assertEqual('available', self.volume['status'])
        for source, target in (('/network/x', self.storage),
                               (self.compute, '/compute/x'),
                               (self.compute, 'http://elsewhere/storage/x'),
                               (None, self.storage)):
            attributes = {'occi.core.target': target}
            if source:
                attributes['occi.core.source'] = source
            headers, body = entity_request(
                'application/occi+json', INFRA + 'storagelink', attributes)
            response = self.call('/storagelink/', 'POST',
                                 'application/occi+json', body, headers)
            self.assertEqual(400, response.status_int, (source, target))
        response = self.call('/storagelink/', 'POST', body=self.link_request(
            'text/plain', **{'occi.storagelink.bogus': 'x'})[1],
            headers={'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_int)

    def test_unknown_links_are_404(self):
        for value in ('nope', '%s_%s' % (self.server['id'],
                                         self.volume['id']), 'a_b'):
            for method in ('GET', 'DELETE'):
                response = self.call('/storagelink/' + value, method)
                self.assertEqual(404, response.status_int, value)

    def test_compute_create_with_storagelinks(self):
        for body_type in BODY_TYPES:
            volume = self.cinder.add_volume()
            headers, body = entity_request(
                body_type, INFRA + 'compute', {'occi.core.title': 'withvol'},
                links=[(ROOT + '/storage/' + volume['id'], INFRA + 'storage',
                        INFRA + 'storagelink',
                        {'occi.storagelink.deviceid': '/dev/vdz'})])
            response = self.call('/compute/', 'POST', body=body,
                                 headers=headers)
            self.assertEqual(201, response.status_int, response.text)
            [root, device] = self.nova.created[-1][
                'block_device_mapping_v2']
            self.assertEqual(('image-1', 'image', 0), (
                root['uuid'], root['source_type'], root['boot_index']))
            self.assertEqual((volume['id'], '/dev/vdz', -1, 'volume'), (
                device['uuid'], device['device_name'], device['boot_index'],
                device['source_type']))
            self.assertEqual('reserved', volume['status'])

    def test_compute_create_with_a_bad_link_makes_nothing(self):
        busy = self.cinder.add_volume(status='in-use')
        before = len(self.nova.servers)
        for target, kind in ((ROOT + '/storage/' + busy['id'],
                              INFRA + 'storage'),
                             ('/network/x', INFRA + 'network'),
                             ('/storage/', INFRA + 'storage')):
            headers, body = entity_request(
                'text/plain', INFRA + 'compute', {},
                links=[(ROOT + '/storage/' + self.volume['id'],
                        INFRA + 'storage', INFRA + 'storagelink', {}),
                       (target, kind, INFRA + kind.rpartition('#')[2]
                        + 'link', {})])
            response = self.call('/compute/', 'POST', body=body,
                                 headers=headers)
            self.assertEqual(400, response.status_int, response.text)
            self.assertEqual(before, len(self.nova.servers))
            self.assertEqual('available', self.volume['status'])
