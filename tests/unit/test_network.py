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

"""Networks through the real filter, over Neutron faked at the wire.

Every rendering is used both as request body and as answer.
"""

from tests.unit import base
from tests.unit import client
from tests.unit.client import attribute
from tests.unit.client import INFRA
from tests.unit.client import ROOT

IPNETWORK = 'http://schemas.ogf.org/occi/infrastructure/network#ipnetwork'
PUBLIC = 'http://schemas.openstack.org/network#public'
EGI = 'http://schemas.fedcloud.egi.eu/occi/infrastructure/network#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/network/action#'

ANSWERS = ('text/plain', 'text/occi', 'application/occi+json')
REQUESTS = ('text/plain', 'text/occi', 'application/occi+json')


def locations(response):
    """The locations a listing answer gives, in any rendering."""
    if response.content_type.endswith('json'):
        return [r['location'] if 'location' in r else
                '%s/network/%s' % (ROOT, r['id'])
                for r in response.json.get('resources', [])]
    if response.content_type == 'text/uri-list':
        return [line for line in response.text.splitlines()
                if line and not line.startswith('#')]
    if response.content_type == 'text/occi':
        found = ','.join(response.headers.getall('X-OCCI-Location'))
        return [loc.strip() for loc in found.split(',') if loc.strip()]
    return [line.partition(':')[2].strip()
            for line in response.text.splitlines()
            if line.startswith('X-OCCI-Location:')]


def mixins(response):
    """The mixin type ids of an entity answer, in any rendering."""
    if response.content_type.endswith('json'):
        return response.json.get('mixins', [])
    text = response.text + '\n'.join(response.headers.getall('Category'))
    found = []
    for line in text.replace(',', '\n').splitlines():
        if 'class="mixin"' in line:
            term = line.split(';')[0].split(':')[-1].strip()
            scheme = line.split('scheme="')[1].split('"')[0]
            found.append(scheme + term)
    return found


class NetworkTest(base.FilterTestCase):

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(base.NetworkedCloud())
        self.occi = self.cloud.occi
        self.context = self.cloud.demo
        self.neutron = self.cloud.neutron

    def url(self, network):
        return '%s/network/%s' % (ROOT, network['id'])

    def test_collection_in_every_rendering(self):
        wanted = sorted([self.url(self.cloud.public),
                         self.url(self.cloud.private)])
        for accept in ANSWERS + ('text/uri-list',):
            response = self.call('/network/', accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual(wanted, sorted(locations(response)), accept)
            # In full: the networks, subnets and router interfaces (which
            # of the private networks is routed: nat_net or private_net).
            calls = 'nova=0, glance=0, neutron=%d' % (
                3 if accept.endswith('json') else 1)
            self.assertEqual(calls,
                             response.headers['X-OCCI-Backend-Calls'])
        self.assertNotIn(self.cloud.alt_private['id'], response.text)

    def test_collection_filtered_and_paged(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'network', [PUBLIC])
        response = self.call('/network/', body=body, headers=headers)
        self.assertEqual([self.url(self.cloud.public)], locations(response))
        headers = {'Content-Type': 'text/occi',
                   'X-OCCI-Attribute': 'occi.core.title="private"'}
        response = self.call('/network/', headers=headers,
                             accept='application/occi+json')
        self.assertEqual([self.url(self.cloud.private)],
                         locations(response))
        response = self.call('/network/?page=2&number=1',
                             accept='text/uri-list')
        self.assertEqual(1, len(locations(response)))
        response = self.call('/network/public/', accept='text/uri-list')
        self.assertEqual([self.url(self.cloud.public)], locations(response))

    def test_read_in_every_rendering(self):
        for accept in ANSWERS:
            response = self.call('/network/' + self.cloud.private['id'],
                                 accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual('private', attribute(response,
                                                  'occi.core.title'))
            self.assertEqual('active', attribute(response,
                                                 'occi.network.state'))
            self.assertEqual('10.0.0.0/24', attribute(
                response, 'occi.network.address'), accept)
            self.assertEqual('10.0.0.1', attribute(
                response, 'occi.network.gateway'))
            self.assertEqual('dynamic', attribute(
                response, 'occi.network.allocation'))
            # The project's network is routed to the external one.
            self.assertEqual([IPNETWORK, EGI + 'nat_net'], mixins(response),
                             accept)
            self.assertEqual('nova=0, glance=0, neutron=3',
                             response.headers['X-OCCI-Backend-Calls'])
            public = self.call('/network/' + self.cloud.public['id'],
                               accept=accept)
            self.assertEqual([IPNETWORK, PUBLIC, EGI + 'public_net'],
                             mixins(public), accept)
            self.assertEqual('external', attribute(public,
                                                   'occi.network.label'))
        response = self.call('/network/' + self.cloud.private['id'],
                             accept='text/uri-list')
        self.assertEqual(400, response.status_int)

    def test_query_interface_shows_the_public_mixin(self):
        response = self.call('/-/', accept='application/occi+json')
        found = [m for m in response.json['mixins']
                 if m['scheme'] + m['term'] == PUBLIC]
        self.assertEqual(1, len(found))
        self.assertEqual(ROOT + '/network/public/', found[0]['location'])

    def test_create_with_ipnetwork_in_every_rendering(self):
        cidrs = iter('10.%d.0.0/24' % n for n in range(10, 40))
        for body_type in REQUESTS:
            for accept in ANSWERS + ('text/uri-list',):
                cidr = next(cidrs)
                headers, body = client.entity_request(
                    body_type, INFRA + 'network', [IPNETWORK], {
                        'occi.core.title': 'net ' + cidr,
                        'occi.network.address': cidr,
                        'occi.network.allocation': 'static'})
                response = self.call('/network/', 'POST', accept, body,
                                     headers)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                network_id = response.headers['Location'].rsplit('/')[-1]
                network = self.neutron.items['networks'][network_id]
                self.assertEqual('net ' + cidr, network['name'], what)
                self.assertEqual('demo-project', network['project_id'])
                [subnet_id] = network['subnets']
                subnet = self.neutron.items['subnets'][subnet_id]
                self.assertEqual(cidr, subnet['cidr'])
                self.assertFalse(subnet['enable_dhcp'])
                plugged = [p for p in self.neutron.items['ports'].values()
                           if p['device_id'] == self.cloud.router['id'] and
                           p['fixed_ips'][0]['subnet_id'] == subnet_id]
                self.assertEqual(1, len(plugged), what)
                if accept != 'text/uri-list' and accept.endswith('json'):
                    self.assertEqual(cidr, attribute(
                        response, 'occi.network.address'))
                self.assertIn(response.headers['Location'],
                              response.text + str(response.headers), what)

    def test_a_title_alone_is_a_create(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'network', (),
            {'occi.core.title': 'bare'})
        response = self.call('/network/', 'POST', 'application/occi+json',
                             body, headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('bare', response.json['title'])
        # No subnet, no ipnetwork; no router: private.
        self.assertEqual([EGI + 'private_net'], response.json['mixins'])
        network_id = response.json['id']
        self.assertEqual([], self.neutron.items['networks'][network_id][
            'subnets'])

    def test_bad_creates_are_400_and_make_nothing(self):
        before = {k: len(v) for k, v in self.neutron.items.items()}
        cases = [
            ({'occi.network.address': 'not-a-cidr'}, 'not a CIDR'),
            ({'occi.network.address': '10.9.0.0/24',
              'occi.network.gateway': '10.8.0.1'}, 'not in'),
            ({'occi.network.address': '10.9.0.0/24',
              'occi.network.allocation': 'sometimes'}, 'dynamic or static'),
            ({'occi.network.gateway': '10.8.0.1'}, 'occi.network.address'),
            ({'occi.network.vlan': 12}, 'cannot be set'),
        ]
        for accept in ANSWERS:
            for attributes, message in cases:
                headers, body = client.entity_request(
                    'application/occi+json', INFRA + 'network',
                    [IPNETWORK], attributes)
                response = self.call('/network/', 'POST', accept, body,
                                     headers)
                self.assertEqual(400, response.status_int, response.text)
                self.assertIn(message, response.text)
                self.assertTrue(response.content_type.startswith(
                    accept.split(';')[0]), response.content_type)
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute')
        response = self.call('/network/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(400, response.status_int)
        self.assertEqual(before, {k: len(v)
                                  for k, v in self.neutron.items.items()})

    def test_a_create_refused_half_way_leaves_nothing(self):
        before = {k: len(v) for k, v in self.neutron.items.items()}
        for refused in (('POST', 'subnets'),
                        ('PUT', 'add_router_interface')):
            self.neutron.refusals[refused] = (
                409, 'Quota exceeded for resources: [\'subnet\'].')
            headers, body = client.entity_request(
                'text/plain', INFRA + 'network', [IPNETWORK],
                {'occi.network.address': '10.77.0.0/24'})
            response = self.call('/network/', 'POST', body=body,
                                 headers=headers)
            self.assertEqual(409, response.status_int, refused)
            self.assertIn('Quota exceeded', response.text)
            self.assertEqual(before, {
                k: len(v) for k, v in self.neutron.items.items()}, refused)

    def test_update_and_actions(self):
        path = '/network/' + self.cloud.private['id']
        for body_type in REQUESTS:
            headers, body = client.entity_request(
                body_type, INFRA + 'network', (),
                {'occi.core.title': 'renamed ' + body_type})
            response = self.call(path, 'PUT', 'application/occi+json', body,
                                 headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual('renamed ' + body_type, response.json['title'])
            self.assertEqual('renamed ' + body_type,
                             self.cloud.private['name'])
        headers = {'Content-Type': 'text/occi',
                   'X-OCCI-Attribute': 'occi.core.title="partial"'}
        response = self.call(path, 'POST', headers=headers)
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('partial', self.cloud.private['name'])
        response = self.call(path + '?action=down', 'POST',
                             'application/occi+json')
        self.assertEqual(200, response.status_int, response.text)
        self.assertFalse(self.cloud.private['admin_state_up'])
        self.assertEqual('inactive', attribute(response,
                                               'occi.network.state'))
        self.assertEqual([ACTION + 'up'], response.json['actions'])
        body = ('Category: up; scheme="%s"; class="action"\n' % ACTION)
        response = self.call(path + '?action=up', 'POST', body=body,
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertTrue(self.cloud.private['admin_state_up'])
        response = self.call(path + '?action=start', 'POST')
        self.assertEqual(400, response.status_int)

    def test_delete_removes_the_network_and_its_router_interface(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'network', [IPNETWORK],
            {'occi.network.address': '10.55.0.0/24'})
        created = self.call('/network/', 'POST', body=body, headers=headers)
        network_id = created.headers['Location'].rsplit('/')[-1]
        before_ports = len(self.neutron.items['ports'])
        response = self.call('/network/' + network_id, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertNotIn(network_id, self.neutron.items['networks'])
        self.assertEqual(before_ports - 1, len(self.neutron.items['ports']))
        self.assertEqual(404, self.call('/network/' + network_id).status_int)

    def test_a_network_in_use_is_409_and_left_whole(self):
        self.cloud.boot('user')
        ports = len(self.neutron.items['ports'])
        response = self.call('/network/' + self.cloud.private['id'],
                             'DELETE', 'application/occi+json')
        self.assertEqual(409, response.status_int)
        self.assertIn('in use', response.json['error']['message'])
        self.assertIn(self.cloud.private['id'],
                      self.neutron.items['networks'])
        self.assertEqual(ports, len(self.neutron.items['ports']))

    def test_another_project_sees_and_touches_none_of_it(self):
        alt = self.cloud.alt
        path = '/network/' + self.cloud.private['id']
        self.assertEqual(404, self.call(path, context=alt).status_int)
        self.assertEqual(404, self.call(path, 'DELETE',
                                        context=alt).status_int)
        self.assertEqual(404, self.call(path + '?action=down', 'POST',
                                        context=alt).status_int)
        self.assertTrue(self.cloud.private['admin_state_up'])
        listing = self.call('/network/', accept='text/uri-list',
                            context=alt)
        self.assertEqual(sorted([self.url(self.cloud.public),
                                 self.url(self.cloud.alt_private)]),
                         sorted(locations(listing)))
        # The shared external network is seen, but not the alt's to change.
        response = self.call('/network/' + self.cloud.public['id'],
                             'DELETE', context=alt)
        self.assertEqual(403, response.status_int)
        self.assertIn(self.cloud.public['id'],
                      self.neutron.items['networks'])

    def test_neutron_down_is_503_in_the_asked_rendering(self):
        self.neutron.down = True
        for accept in ANSWERS:
            response = self.call('/network/', accept=accept)
            self.assertEqual(503, response.status_int)
            self.assertIn('Neutron cannot be reached', response.text +
                          str(response.headers))

    def test_neutron_failing_is_502(self):
        self.neutron.refusals[('GET', 'networks')] = (500, 'boom')
        response = self.call('/network/')
        self.assertEqual(502, response.status_int)
        self.assertIn('Neutron: boom', response.text)
