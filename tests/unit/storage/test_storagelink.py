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

"""Storagelinks, and computes created with them, over Nova and Cinder
faked at the wire.

Every rendering is used both as request body and as answer.
"""

from tests.unit.storage import base as storage_base
from tests.unit.storage.base import ACCEPTS
from tests.unit.storage.base import BODY_TYPES
from tests.unit.storage.base import entity_request
from tests.unit.storage.base import INFRA
from tests.unit.storage.base import link_attributes
from tests.unit.storage.base import links_of
from tests.unit.storage.base import ROOT


class StorageLinkTest(storage_base.StorageTestCase):

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

    def test_compute_renders_its_storagelinks_with_one_cinder_call(self):
        self.call('/storagelink/', 'POST', body=self.link_request(
            'text/plain')[1], headers={'Content-Type': 'text/plain'})
        self.cinder.finish_attaching()
        location = '%s/storagelink/%s_%s' % (ROOT, self.server['id'],
                                             self.volume['id'])
        calls = iter((2, 1, 1))
        for accept in ACCEPTS:
            response = self.call('/compute/' + self.server['id'],
                                 accept=accept)
            # Nova's read (the first one reads the flavors too), and
            # Cinder's listing of the volumes, which gives the device.
            self.assertEqual('nova=%d, glance=0, cinder=1' % next(calls),
                             response.headers['X-OCCI-Backend-Calls'])
            [(target, self_, attrs)] = links_of(response)
            if accept.endswith('json'):
                self_ = ROOT + '/storagelink/' + self_
            self.assertEqual((self.storage, location, 'active', '/dev/vdb'),
                             (target, self_,
                              attrs['occi.storagelink.state'],
                              attrs.get('occi.storagelink.deviceid')), accept)
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

    def test_every_form_of_a_reference_under_the_root(self):
        # An absolute URL under the root (by any host), a path-absolute
        # reference and a path relative to the root name the same ends.
        path = '/occi1.2'
        for form in ('http://proxy.example' + path, path, ''):
            headers, body = entity_request(
                'text/plain', INFRA + 'storagelink',
                {'occi.core.source': form + '/compute/' + self.server['id'],
                 'occi.core.target': form + '/storage/' + self.volume['id']})
            response = self.call('/storagelink/', 'POST', body=body,
                                 headers=headers)
            self.assertEqual(201, response.status_int, (form, response.text))
            self.assertEqual('reserved', self.volume['status'])
            response = self.call(
                response.headers['Location'][len(ROOT):], 'DELETE')
            self.assertEqual(200, response.status_int, response.text)

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
