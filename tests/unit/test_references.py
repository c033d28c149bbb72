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

"""Every form of a reference, in every place a request carries one, in
every rendering: all resolved against the request's URL.

The places: a link create's ``occi.core.source`` and ``.target`` (and
a filter of links by them); the
``Link`` targets of a compute create (and their JSON equivalents), and the
source of those links naming the compute by the client's own id; the
members of a mixin collection (``X-OCCI-Location``, text/uri-list, JSON);
the location of a new mixin. Over Nova, Cinder and Neutron faked at the
wire.
"""

import json

from tests.unit import client
from tests.unit.client import INFRA
from tests.unit.client import ROOT
from tests.unit.storage import base as storage_base
from tests.unit import test_mixins
from tests.unit import test_networkinterface

RENDERINGS = ('text/plain', 'text/occi', 'application/occi+json')
ROOT_PATH = '/occi1.2'


def forms(path, request_path):
    """Each form of a reference to ``path`` (below the root), by name.

    :param path: e.g. ``/compute/<id>``
    :param request_path: the path below the root the request is sent to,
        which a relative reference is resolved against
    """
    up = '../' * request_path.strip('/').count('/') + '../'
    return {
        'absolute URL': ROOT + path,
        'absolute URL, by a proxy': 'https://proxy.example' + ROOT_PATH +
                                    path,
        'path-absolute': ROOT_PATH + path,
        'relative to the root': path,
        'relative': up + path.lstrip('/'),
    }


#: References that name nothing here, whatever the request.
ELSEWHERE = ('http://nova.test:8774/other/compute/%s',
             'ftp://nova.test/occi1.2/compute/%s',
             'compute/%s')


def link_json(kind, source, target, target_kind, **attributes):
    link = {'kind': INFRA + kind, 'attributes': attributes,
            'target': {'location': target, 'kind': INFRA + target_kind}}
    if source is not None:
        link['source'] = {'location': source}
    return link


def compute_request(body_type, links, client_id=None):
    """A compute create with links: (headers, body).

    :param links: (kind, source or None, target, target kind) tuples
    """
    attributes = {}
    if client_id:
        attributes['occi.core.id'] = client_id
    if body_type.endswith('json'):
        body = {'kind': INFRA + 'compute', 'attributes': attributes,
                'links': [link_json(kind, source, target, target_kind)
                          for kind, source, target, target_kind in links]}
        return {'Content-Type': body_type}, json.dumps(body).encode()
    values = []
    for kind, source, target, target_kind in links:
        value = '<%s>; rel="%s%s"; category="%s%s"' % (
            target, INFRA, target_kind, INFRA, kind)
        if source is not None:
            value += '; occi.core.source="%s"' % source
        values.append(value)
    category = 'compute; scheme="%s"; class="kind"' % INFRA
    rendered = ['%s=%s' % (k, json.dumps(v)) for k, v in attributes.items()]
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi', 'Category': category,
                   'Link': ', '.join(values)}
        if rendered:
            headers['X-OCCI-Attribute'] = ', '.join(rendered)
        return headers, b''
    lines = (['Category: ' + category] + ['Link: ' + v for v in values] +
             ['X-OCCI-Attribute: ' + a for a in rendered])
    return {'Content-Type': body_type}, ('\n'.join(lines) + '\n').encode()


class StorageReferencesTest(storage_base.StorageTestCase):

    def setUp(self):
        super().setUp()
        self.server = self.nova.add_server(name='host')

    def test_storagelink_create_source_and_target(self):
        for body_type in RENDERINGS:
            for name, source in forms('/compute/' + self.server['id'],
                                      '/storagelink/').items():
                volume = self.cinder.add_volume()
                target = forms('/storage/' + volume['id'],
                               '/storagelink/')[name]
                headers, body = storage_base.entity_request(
                    body_type, INFRA + 'storagelink',
                    {'occi.core.source': source,
                     'occi.core.target': target})
                response = self.call('/storagelink/', 'POST', body=body,
                                     headers=headers)
                what = (body_type, name, response.text)
                self.assertEqual(201, response.status_int, what)
                self.assertEqual('%s/storagelink/%s_%s' % (
                    ROOT, self.server['id'], volume['id']),
                    response.headers['Location'], what)
                self.assertEqual('reserved', volume['status'], what)
                self.assertEqual(200, self.call(
                    response.headers['Location'][len(ROOT):],
                    'DELETE').status_int)

    def test_a_filter_of_links_by_source(self):
        other = self.nova.add_server(name='other')
        wanted = []
        for server in (self.server, other):
            volume = self.cinder.add_volume()
            headers, body = storage_base.entity_request(
                'text/plain', INFRA + 'storagelink',
                {'occi.core.source': ROOT + '/compute/' + server['id'],
                 'occi.core.target': ROOT + '/storage/' + volume['id']})
            self.assertEqual(201, self.call('/storagelink/', 'POST',
                                            body=body,
                                            headers=headers).status_int)
            wanted.append('%s/storagelink/%s_%s' % (ROOT, server['id'],
                                                    volume['id']))
        self.cinder.finish_attaching()
        for body_type in RENDERINGS:
            for name, source in forms('/compute/' + self.server['id'],
                                      '/storagelink/').items():
                headers, body = storage_base.entity_request(
                    body_type, INFRA + 'storagelink',
                    {'occi.core.source': source})
                response = self.call('/storagelink/', 'GET',
                                     'text/uri-list', body, headers)
                self.assertEqual(200, response.status_int, response.text)
                self.assertEqual(wanted[:1], response.text.split(),
                                 (body_type, name))

    def test_storagelink_create_refuses_references_elsewhere(self):
        volume = self.cinder.add_volume()
        for body_type in RENDERINGS:
            for elsewhere in ELSEWHERE:
                headers, body = storage_base.entity_request(
                    body_type, INFRA + 'storagelink',
                    {'occi.core.source': elsewhere % self.server['id'],
                     'occi.core.target': ROOT + '/storage/' + volume['id']})
                response = self.call('/storagelink/', 'POST', body_type,
                                     body, headers)
                self.assertEqual(400, response.status_int,
                                 (body_type, elsewhere))
                self.assertIn('occi.core.source', response.text)
        self.assertEqual('available', volume['status'])

    def test_compute_create_link_targets(self):
        for body_type in RENDERINGS:
            for name in forms('/', '/compute/'):
                volume = self.cinder.add_volume()
                target = forms('/storage/' + volume['id'], '/compute/')[name]
                headers, body = compute_request(
                    body_type, [('storagelink', None, target, 'storage')])
                response = self.call('/compute/', 'POST', body=body,
                                     headers=headers)
                what = (body_type, name, response.text)
                self.assertEqual(201, response.status_int, what)
                [_root, device] = self.nova.created[-1][
                    'block_device_mapping_v2']
                self.assertEqual(volume['id'], device['uuid'], what)

    def test_compute_create_links_from_the_client_id(self):
        # IM names the compute it creates, and its links start there.
        for body_type in RENDERINGS:
            for name, source in forms('/compute/im-1234',
                                      '/compute/').items():
                volume = self.cinder.add_volume()
                headers, body = compute_request(
                    body_type, [('storagelink', source,
                                 ROOT + '/storage/' + volume['id'],
                                 'storage')], client_id='im-1234')
                response = self.call('/compute/', 'POST', body=body,
                                     headers=headers)
                what = (body_type, name, response.text)
                self.assertEqual(201, response.status_int, what)
                # The answer names the compute Nova made.
                server_id = response.headers['Location'].rsplit('/', 1)[1]
                self.assertIn(server_id, self.nova.servers)
                self.assertNotIn('im-1234', response.headers['Location'])
                self.assertEqual(volume['id'], self.nova.created[-1][
                    'block_device_mapping_v2'][1]['uuid'])

    def test_compute_create_refuses_links_from_elsewhere(self):
        before = len(self.nova.servers)
        for body_type in RENDERINGS:
            for source, client_id in (
                    (ROOT + '/compute/' + self.server['id'], 'im-1'),
                    (ROOT + '/compute/im-1', None),
                    (ROOT + '/compute/im-1', 'im-2'),
                    (ROOT + '/storage/im-1', 'im-1')):
                volume = self.cinder.add_volume()
                headers, body = compute_request(
                    body_type, [('storagelink', source,
                                 ROOT + '/storage/' + volume['id'],
                                 'storage')], client_id=client_id)
                response = self.call('/compute/', 'POST', body_type, body,
                                     headers)
                self.assertEqual(400, response.status_int,
                                 (body_type, source, client_id))
                self.assertIn('occi.core.source', response.text)
                self.assertEqual('available', volume['status'])
        self.assertEqual(before, len(self.nova.servers))


class NetworkReferencesTest(test_networkinterface.LinkTestBase):

    overrides = {'default_os_tpl': 'image-1',
                 'default_resource_tpl': 'm1.tiny'}

    def test_networkinterface_create_source_and_target(self):
        server = self.cloud.boot()
        [booted] = self.cloud.ports_of(server['id'])
        for body_type in RENDERINGS:
            for name, source in forms('/compute/' + server['id'],
                                      '/networkinterface/').items():
                target = forms('/network/' + self.cloud.private['id'],
                               '/networkinterface/')[name]
                headers, body = client.entity_request(
                    body_type, INFRA + 'networkinterface', attributes={
                        'occi.core.source': source,
                        'occi.core.target': target})
                response = self.call('/networkinterface/', 'POST',
                                     body=body, headers=headers)
                what = (body_type, name, response.text)
                self.assertEqual(201, response.status_int, what)
                [port] = [p for p in self.cloud.ports_of(server['id'])
                          if p['id'] != booted['id']]
                self.assertEqual(self.cloud.private['id'],
                                 port['network_id'])
                self.assertEqual(200, self.call(
                    '/networkinterface/' + port['id'],
                    'DELETE').status_int)
                self.assertEqual([booted], self.cloud.ports_of(server['id']))

    def test_compute_create_link_targets(self):
        for body_type in RENDERINGS:
            for name, target in forms(
                    '/network/' + self.cloud.private['id'],
                    '/compute/').items():
                headers, body = compute_request(
                    body_type, [('networkinterface', None, target,
                                 'network')])
                response = self.call('/compute/', 'POST', body=body,
                                     headers=headers)
                what = (body_type, name, response.text)
                self.assertEqual(201, response.status_int, what)
                self.assertEqual([{'uuid': self.cloud.private['id']}],
                                 self.nova.boots[-1], what)


class MixinReferencesTest(test_mixins.MixinTestBase):

    def test_collection_members(self):
        mixin = self.define('web')
        path = mixin['location'][len(ROOT):]
        server = self.nova.add_server()
        named = dict(forms('/compute/' + server['id'], path),
                     **{'a bare id': server['id']})
        for body_type in RENDERINGS + ('text/uri-list',):
            for name, reference in named.items():
                headers, body = test_mixins.locations_request(
                    body_type, [reference])
                response = self.call(path, 'POST', body=body,
                                     headers=headers)
                what = (body_type, name, response.text)
                self.assertEqual(200, response.status_int, what)
                self.assertEqual(1, len(server['tags']), what)
                response = self.call(path, 'DELETE', body=body,
                                     headers=headers)
                self.assertEqual(200, response.status_int, what)
                self.assertEqual([], server['tags'], what)

    def test_collection_members_elsewhere(self):
        mixin = self.define('web')
        path = mixin['location'][len(ROOT):]
        server = self.nova.add_server()
        for body_type in RENDERINGS + ('text/uri-list',):
            for elsewhere in ELSEWHERE[:2] + (
                    ROOT + '/storage/%s', '../compute/%s'):
                headers, body = test_mixins.locations_request(
                    body_type, [elsewhere % server['id']])
                response = self.call(path, 'POST', body=body,
                                     headers=headers)
                self.assertEqual(400, response.status_int,
                                 (body_type, elsewhere))
        self.assertEqual([], server['tags'])

    def test_definition_location(self):
        number = 0
        for body_type in RENDERINGS:
            for name in forms('/', '/-/'):
                location = forms('/tags/t%d/' % number, '/-/')[name]
                mixin = self.define('t%d' % number, body_type,
                                    location=location)
                self.assertEqual('%s/tags/t%d/' % (ROOT, number),
                                 mixin['location'], (body_type, name))
                number += 1
