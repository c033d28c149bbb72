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

"""Every kind is gone once its DELETE is answered, as a compute is, while
the service still finishes the deletion: its location is 404 in every
rendering, the listings leave it out, and a second DELETE is 404.

Over Nova, Cinder and Neutron faked at the wire, deleting and detaching in
the background as the real services do.
"""

from tests.unit.client import INFRA
from tests.unit.client import ROOT
from tests.unit.storage import base as storage_base
from tests.unit import test_networkinterface

ACCEPTS = ('text/plain', 'text/occi', 'application/occi+json')
LISTINGS = ACCEPTS + ('text/uri-list',)


class GoneMixin:
    """The checks of an entity deleted: 404 read, unlisted, 404 again."""

    def assertGone(self, path, collection, compute=None, message=None):
        """The entity at ``path`` is gone.

        :param collection: the path of its collection
        :param compute: the path of a compute that rendered it
        :param message: a word the 404 says
        """
        for accept in ACCEPTS:
            response = self.call(path, accept=accept)
            self.assertEqual(404, response.status_int, (path, accept))
            if message:
                self.assertIn(message, response.text + str(
                    response.headers))
        for accept in LISTINGS:
            listed = self.call(collection, accept=accept)
            self.assertEqual(200, listed.status_int, listed.text)
            self.assertNotIn(path.rsplit('/', 1)[1],
                             listed.text + str(listed.headers), accept)
        if compute:
            for accept in ACCEPTS:
                read = self.call(compute, accept=accept)
                self.assertEqual(200, read.status_int)
                self.assertNotIn(path.rsplit('/', 1)[1],
                                 read.text + str(read.headers), accept)
        response = self.call(path, 'DELETE')
        self.assertEqual(404, response.status_int, response.text)


class StorageDeleteTest(GoneMixin, storage_base.StorageTestCase):

    def setUp(self):
        super().setUp()
        self.cinder.in_background = True

    def test_a_storage_cinder_is_deleting(self):
        volume = self.cinder.add_volume(name='doomed')
        kept = self.cinder.add_volume(name='kept')
        path = '/storage/' + volume['id']
        response = self.call(path, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('deleting', volume['status'])
        self.assertGone(path, '/storage/', message='being deleted')
        for method in ('PUT', 'POST'):
            headers, body = storage_base.entity_request(
                'text/plain', INFRA + 'storage', {'occi.storage.size': 2})
            self.assertEqual(404, self.call(path, method, body=body,
                                            headers=headers).status_int)
        server = self.nova.add_server()
        headers, body = storage_base.entity_request(
            'text/plain', INFRA + 'storagelink',
            {'occi.core.source': ROOT + '/compute/' + server['id'],
             'occi.core.target': ROOT + path})
        self.assertEqual(404, self.call('/storagelink/', 'POST', body=body,
                                        headers=headers).status_int)
        self.assertIn(kept['id'], self.call('/storage/',
                                            accept='text/uri-list').text)
        self.cinder.finish_deleting()
        self.assertGone(path, '/storage/')

    def test_a_storage_in_use_is_still_a_conflict(self):
        volume = self.cinder.add_volume(status='in-use')
        response = self.call('/storage/' + volume['id'], 'DELETE')
        self.assertEqual(409, response.status_int, response.text)
        self.assertEqual(200, self.call('/storage/' + volume['id'])
                         .status_int)


class StorageLinkDeleteTest(GoneMixin, storage_base.StorageTestCase):

    def setUp(self):
        super().setUp()
        self.cinder.in_background = True
        self.server = self.nova.add_server(name='host')
        self.compute = '/compute/' + self.server['id']

    def attach(self):
        volume = self.cinder.add_volume()
        headers, body = storage_base.entity_request(
            'text/plain', INFRA + 'storagelink',
            {'occi.core.source': ROOT + self.compute,
             'occi.core.target': ROOT + '/storage/' + volume['id']})
        response = self.call('/storagelink/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        self.cinder.finish_attaching()
        return volume, response.headers['Location'][len(ROOT):]

    def test_a_storagelink_nova_is_detaching(self):
        volume, path = self.attach()
        _other, other_path = self.attach()
        self.assertEqual(200, self.call(path).status_int)
        response = self.call(path, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('detaching', volume['status'])
        self.assertGone(path, '/storagelink/', self.compute, 'being')
        self.assertEqual(200, self.call(other_path).status_int)
        self.assertIn(other_path, self.call(self.compute).text)
        # Cinder is done with the volume before Nova forgets it.
        self.cinder.finish_detaching()
        self.assertEqual('available', volume['status'])
        self.assertIn(volume['id'], [a['id'] for a in self.server[
            'os-extended-volumes:volumes_attached']])
        self.assertGone(path, '/storagelink/', self.compute, 'being')
        self.nova.finish_detaching()
        self.assertEqual('available', volume['status'])
        self.assertGone(path, '/storagelink/', self.compute)

    def test_a_cinder_that_refuses_filters(self):
        self.cinder.refuse_filters = True
        volume, path = self.attach()
        self.assertEqual(200, self.call('/storagelink/' + path.rsplit(
            '/', 1)[1]).status_int)
        self.assertIn(path, self.call(self.compute).text)
        self.assertEqual(200, self.call(path, 'DELETE').status_int)
        self.assertGone(path, '/storagelink/', self.compute, 'being')

    def test_computes_without_volumes_cost_no_cinder_call(self):
        # Nova's read (the first one of a process learns the flavors too).
        response = self.call(self.compute)
        self.assertNotIn('cinder', response.headers['X-OCCI-Backend-Calls'])
        self.attach()
        response = self.call('/compute/', accept='application/occi+json')
        self.assertEqual('nova=1, glance=0, cinder=1',
                         response.headers['X-OCCI-Backend-Calls'])


class NetworkDeleteTest(GoneMixin, test_networkinterface.LinkTestBase):

    def test_a_port_nova_detaches_in_the_background(self):
        self.nova.detach_reads = 3
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        path = '/networkinterface/' + port['id']
        self.assertEqual(200, self.call(path).status_int)
        response = self.call(path, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        # The DELETE waited for Neutron to show the port gone.
        self.assertEqual([], self.cloud.ports_of(server['id']))
        self.assertGone(path, '/networkinterface/',
                        '/compute/' + server['id'])

    def test_a_floating_ip(self):
        server = self.cloud.boot()
        created = self.link(server, self.cloud.public)
        self.assertEqual(201, created.status_int, created.text)
        [floating_ip] = self.cloud.floating_ips()
        path = '/networkinterface/fip_' + floating_ip['id']
        self.assertEqual(200, self.call(path, 'DELETE').status_int)
        self.assertGone(path, '/networkinterface/',
                        '/compute/' + server['id'])

    def test_a_network(self):
        network = self.neutron.add_network('demo-project', 'spare',
                                           '10.9.0.0/24')
        path = '/network/' + network['id']
        self.assertEqual(200, self.call(path).status_int)
        response = self.call(path, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertGone(path, '/network/')


class NoWaitTest(test_networkinterface.LinkTestBase):

    overrides = {'interface_detach_timeout': '0'}

    def test_the_delete_answers_at_once(self):
        self.nova.detach_reads = 3
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        response = self.call('/networkinterface/' + port['id'], 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        # Nova has not finished: the link is still read meanwhile.
        self.assertEqual([port], self.cloud.ports_of(server['id']))
