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

"""The mini-cloud itself, through the native APIs.

Its real Neutron, what the network kinds build on: a server booted on a
project's network gets a bound port, interfaces attach and detach, a
floating IP reaches the port through the project's router, deleting the
server removes its ports (nova sends its service token), and a project
sees none of another's networks. Both nova-api nodes behind HAProxy
answer, each on its own and through HAProxy, with OCCI's ``Server``
header, on the same cloud.
"""

import ipaddress
import json
import os
import time
import uuid

import requests

from tests.functional import base


class NeutronTest(base.TestCase):

    def setUp(self):
        super().setUp()
        with open(os.path.join(base.STATE, 'state.json')) as state:
            self.networks = json.load(state)['networks']

    def ports_of(self, server_id):
        return self.neutron('GET', '/ports?device_id=%s' % server_id,
                            expect=200).json()['ports']

    def boot_on(self, network_id):
        body = {'server': {
            'name': 'ft-net-%s' % uuid.uuid4().hex[:8],
            'imageRef': self.image_by_name('cirros-fake')['id'],
            'flavorRef': self.flavor()['id'],
            'networks': [{'uuid': network_id}]}}
        server = self.nova('POST', '/servers', body=body,
                           expect=202).json()['server']
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % server['id'])
        self.wait_server(server['id'], 'ACTIVE')
        return server['id']

    def wait_for(self, what, check, timeout=60):
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                self.fail('timed out waiting for %s' % what)
            time.sleep(0.3)

    def test_server_on_the_project_network_has_a_bound_active_port(self):
        private = self.networks['demo']
        server_id = self.boot_on(private['network'])
        ports = self.ports_of(server_id)
        self.assertEqual(1, len(ports), ports)
        port = ports[0]
        self.assertEqual('ACTIVE', port['status'])
        # The binding is for admins' eyes only.
        bound = self.neutron('GET', '/ports/%s' % port['id'],
                             token=self.admin_token,
                             expect=200).json()['port']
        self.assertEqual('ovs', bound['binding:vif_type'])
        self.assertEqual(private['network'], port['network_id'])
        subnet = self.neutron('GET', '/subnets/%s' % private['subnet'],
                              expect=200).json()['subnet']
        address = ipaddress.ip_address(port['fixed_ips'][0]['ip_address'])
        self.assertIn(address, ipaddress.ip_network(subnet['cidr']))
        # Nova shows the same address.
        server = self.nova('GET', '/servers/%s' % server_id,
                           expect=200).json()['server']
        shown = [a['addr'] for a in server['addresses']['private']]
        self.assertEqual([str(address)], shown)

    def test_interface_attach_and_detach(self):
        network = self.networks['demo']['network']
        server_id = self.boot_on(network)
        attached = self.nova(
            'POST', '/servers/%s/os-interface' % server_id,
            body={'interfaceAttachment': {'net_id': network}},
            expect=200).json()['interfaceAttachment']
        self.assertEqual(2, len(self.ports_of(server_id)))
        listed = self.nova('GET', '/servers/%s/os-interface' % server_id,
                           expect=200).json()['interfaceAttachments']
        self.assertIn(attached['port_id'], [i['port_id'] for i in listed])
        self.nova('DELETE', '/servers/%s/os-interface/%s' % (
            server_id, attached['port_id']), expect=202)
        self.wait_for('the detached port to go', lambda: attached[
            'port_id'] not in [p['id'] for p in self.ports_of(server_id)])
        self.assertEqual(1, len(self.ports_of(server_id)))

    def test_floating_ip_through_the_project_router(self):
        server_id = self.boot_on(self.networks['demo']['network'])
        port = self.ports_of(server_id)[0]
        floating = self.neutron('POST', '/floatingips', body={
            'floatingip': {
                'floating_network_id': self.networks['public']['network'],
                'port_id': port['id']}}, expect=201).json()['floatingip']
        self.addCleanup(self.neutron, 'DELETE',
                        '/floatingips/%s' % floating['id'])
        self.assertEqual(port['fixed_ips'][0]['ip_address'],
                         floating['fixed_ip_address'])
        self.assertEqual(self.networks['demo']['router'],
                         floating['router_id'])
        public = self.neutron(
            'GET', '/subnets/%s' % self.networks['public']['subnet'],
            expect=200).json()['subnet']
        self.assertIn(ipaddress.ip_address(floating['floating_ip_address']),
                      ipaddress.ip_network(public['cidr']))
        self.neutron('DELETE', '/floatingips/%s' % floating['id'],
                     expect=204)

    def test_deleting_the_server_removes_its_ports(self):
        server_id = self.boot_on(self.networks['demo']['network'])
        self.assertEqual(1, len(self.ports_of(server_id)))
        self.nova('DELETE', '/servers/%s' % server_id, expect=204)
        self.wait_for('the server to go', lambda: self.nova(
            'GET', '/servers/%s' % server_id).status_code == 404)
        self.wait_for('its port to go',
                      lambda: not self.ports_of(server_id))

    def test_a_project_sees_only_its_own_private_network(self):
        self.neutron('GET', '/networks/%s' % self.networks['alt']['network'],
                     expect=404)
        seen = {n['id']: n for n in self.neutron(
            'GET', '/networks', expect=200).json()['networks']}
        self.assertIn(self.networks['demo']['network'], seen)
        self.assertNotIn(self.networks['alt']['network'], seen)
        public = seen[self.networks['public']['network']]
        self.assertTrue(public['router:external'])
        self.assertFalse(public['shared'])

    def test_servers_without_networks_still_boot(self):
        server_id = self.boot()
        self.assertEqual([], self.ports_of(server_id))


class NodesTest(base.TestCase):
    """Both nova-api nodes answer, each itself and through HAProxy."""

    def test_every_node_answers_occi_with_its_server_header(self):
        self.assertEqual(2, len(self.occi_nodes))
        for url in self.occi_nodes + [self.occi_url]:
            response = self.occi('GET', '/-/', url=url)
            self.assertEqual(200, response.status_code, url)
            self.assertTrue(response.headers['Server'].startswith(
                'ooi-save/'), response.headers)
            self.assertIn('OCCI/1.2', response.headers['Server'])

    def test_a_server_made_through_one_node_is_seen_by_the_other(self):
        server_id = self.boot(wait=False)
        for url in self.nova_nodes:
            response = requests.get(
                url + '/servers/%s' % server_id, timeout=60,
                headers={'X-Auth-Token': self.token})
            self.assertEqual(200, response.status_code, url)
