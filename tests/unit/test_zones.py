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

"""Availability zones and the region; the EGI FedCloud network mixins.

Over Nova and Neutron faked at the wire; every rendering both ways.
"""

from tests.unit import client
from tests.unit.client import INFRA
from tests.unit.client import ROOT
from tests.unit import test_ipreservation
from tests.unit import test_network
from tests.unit import test_networkinterface as ni

ZONE = 'http://schemas.openstack.org/compute/availability_zone#'
REGION = 'http://schemas.openstack.org/region#'
EGI = 'http://schemas.fedcloud.egi.eu/occi/infrastructure/network#'
mixins_of = test_ipreservation.mixins_of


class ZoneTest(ni.LinkTestBase):

    def create(self, body_type, mixins, accept='text/plain'):
        headers, body = client.entity_request(
            body_type, INFRA + 'compute',
            [ni.OS + 'image-1', ni.RES + '1'] + list(mixins),
            {'occi.core.title': 'placed'})
        return self.call('/compute/', 'POST', accept, body, headers)

    def test_the_query_interface_lists_zones_and_region(self):
        self.nova.zones['down-zone'] = False
        self.nova.zones['not a term'] = True
        response = self.call('/-/', accept='application/occi+json')
        found = {m['scheme'] + m['term']: m for m in response.json['mixins']}
        zones = sorted(t for t in found if t.startswith(ZONE))
        self.assertEqual([ZONE + 'nova', ZONE + 'zone-b'], zones)
        self.assertEqual([INFRA + 'availability_zone'],
                         found[ZONE + 'zone-b']['depends'])
        self.assertEqual([INFRA + 'compute'],
                         found[ZONE + 'zone-b']['applies'])
        self.assertEqual(ROOT + '/availability_zone/zone-b/',
                         found[ZONE + 'zone-b']['location'])
        self.assertEqual([INFRA + 'region'],
                         found[REGION + 'RegionOne']['depends'])
        for parent in ('availability_zone', 'region'):
            self.assertIn(INFRA + parent, found)
        text = self.call('/-/', accept='text/plain')
        self.assertIn('zone-b; scheme="%s"; class="mixin"' % ZONE,
                      text.text)
        self.assertIn('RegionOne; scheme="%s"; class="mixin"' % REGION,
                      text.text)

    def test_zones_and_pools_are_kept_a_little_while(self):
        def calls():
            response = self.call('/-/', accept='application/occi+json')
            return dict(item.split('=') for item in response.headers[
                'X-OCCI-Backend-Calls'].split(', '))
        first = calls()
        self.assertEqual(('2', '1'), (first['nova'], first['neutron']))
        again = calls()
        self.assertEqual(('0', '0'), (again['nova'],
                                      again.get('neutron', '0')))
        # A zone that is gone meanwhile is refused by Nova, not here.
        del self.nova.zones['zone-b']
        response = self.create('text/plain', [ZONE + 'zone-b'])
        self.assertEqual(201, response.status_int, response.text)

    def test_create_in_a_zone_in_every_rendering(self):
        for body_type in ni.REQUESTS:
            response = self.create(body_type, [ZONE + 'zone-b',
                                               REGION + 'RegionOne'])
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual('zone-b',
                             self.nova.created[-1]['availability_zone'])
            server_id = response.headers['Location'].rsplit('/', 1)[1]
            for accept in ni.ANSWERS:
                answer = self.call('/compute/' + server_id, accept=accept)
                self.assertIn(ZONE + 'zone-b', mixins_of(answer), accept)
                # The zone is in the server's rendering: one Nova call.
                self.assertTrue(answer.headers[
                    'X-OCCI-Backend-Calls'].startswith('nova=1,'), accept)
        response = self.call('/availability_zone/zone-b/',
                             accept='text/uri-list')
        self.assertEqual(3, len(response.text.split()), response.text)
        response = self.call('/availability_zone/nova/',
                             accept='text/uri-list')
        self.assertEqual('', response.text.strip())

    def test_a_compute_repeats_its_zone_in_an_update(self):
        response = self.create('text/plain', [ZONE + 'zone-b'])
        path = response.headers['Location'][len(ROOT):]
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute',
            [ZONE + 'zone-b', REGION + 'RegionOne'],
            {'occi.core.title': 'renamed'})
        response = self.call(path, 'POST', 'text/plain', body, headers)
        self.assertEqual(200, response.status_int, response.text)
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [ZONE + 'nova'], {})
        response = self.call(path, 'POST', 'text/plain', body, headers)
        self.assertEqual(400, response.status_int, response.text)
        self.assertIn('stays in its availability zone', response.text)

    def test_bad_zones_are_400_and_boot_nothing(self):
        self.nova.zones['down-zone'] = False
        cases = [([ZONE + 'elsewhere'], 'not one you can use'),
                 ([ZONE + 'down-zone'], 'not one you can use'),
                 ([ZONE + 'nova', ZONE + 'zone-b'], 'one availability zone'),
                 ([REGION + 'RegionTwo'], 'Region RegionTwo is not')]
        for body_type in ni.REQUESTS:
            for mixins, message in cases:
                response = self.create(body_type, mixins, body_type)
                self.assertEqual(400, response.status_int, response.text)
                self.assertEqual(body_type, response.content_type)
                self.assertIn(message, response.text)
        self.assertEqual([], self.nova.created)
        self.assertEqual(404, self.call('/availability_zone/elsewhere/')
                         .status_int)
        self.assertEqual(404, self.call('/region/RegionTwo/').status_int)


class EGINetworkMixinsTest(ni.LinkTestBase):

    def test_public_nat_and_private_networks(self):
        lonely = self.neutron.add_network('demo-project', 'lonely',
                                          '10.7.0.0/24')
        expected = {self.cloud.public['id']: EGI + 'public_net',
                    self.cloud.private['id']: EGI + 'nat_net',
                    lonely['id']: EGI + 'private_net'}
        response = self.call('/network/', accept='application/occi+json')
        for network in response.json['resources']:
            self.assertIn(expected[network['id']], network['mixins'])
        for network_id, mixin in expected.items():
            for accept in ni.ANSWERS:
                answer = self.call('/network/' + network_id, accept=accept)
                self.assertIn(mixin, mixins_of(answer), accept)
            term = mixin.rpartition('#')[2]
            listed = self.call('/network/%s/' % term,
                               accept='text/uri-list')
            self.assertEqual(['%s/network/%s' % (ROOT, network_id)],
                             test_network.locations(listed), term)
        query = self.call('/-/', accept='application/occi+json')
        found = {m['scheme'] + m['term']: m for m in query.json['mixins']}
        for mixin in expected.values():
            self.assertEqual(ROOT + '/network/%s/' % mixin.rpartition(
                '#')[2], found[mixin]['location'])
