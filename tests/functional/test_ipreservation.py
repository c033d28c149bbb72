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

"""IP reservations, pools, zones and the EGI network mixins, for real.

On the mini-cloud's Neutron and Nova; what OCCI answers is checked against
what they show natively, and what a refusal or a race leaves behind is
looked for there.
"""

import uuid

from tests.functional import base
from tests.functional.base import INFRA
from tests.functional import test_network
from tests.functional import test_save_races

IPR = INFRA + 'ipreservation'
POOL = 'http://schemas.openstack.org/network/floatingippool#'
ZONE = 'http://schemas.openstack.org/compute/availability_zone#'
REGION = 'http://schemas.openstack.org/region#'
EGI = 'http://schemas.fedcloud.egi.eu/occi/infrastructure/network#'
TYPES = test_network.ENTITY_TYPES


class IPReservationTest(test_network.NetworkTestBase):

    def held(self):
        return {f['id']: f for f in self.neutron(
            'GET', '/floatingips', expect=200).json()['floatingips']}

    def reserve(self, body_type='text/plain', accept='text/plain',
                mixins=(POOL + 'public',), attributes=None, expect=201):
        headers, data = base.render(body_type, IPR, mixins, attributes)
        headers['Accept'] = accept
        response = self.occi('POST', '/ipreservation/', headers=headers,
                             data=data)
        self.assertEqual(expect, response.status_code, response.text)
        if expect != 201:
            return None, response
        fip_id = response.headers['Location'].rsplit('/', 1)[1]
        self.addCleanup(self.neutron, 'DELETE', '/floatingips/' + fip_id)
        return fip_id, response

    def link_to(self, server_id, fip_id, body_type='text/plain', url=None):
        headers, data = base.render(
            body_type, INFRA + 'networkinterface', [test_network.IPNI], {
                'occi.core.source': '%s/compute/%s' % (self.occi_url,
                                                       server_id),
                'occi.core.target': '%s/ipreservation/%s' % (self.occi_url,
                                                             fip_id)})
        headers['Accept'] = 'application/occi+json'
        return self.occi('POST', '/networkinterface/', headers=headers,
                         data=data, url=url)

    def test_reserve_read_list_release_in_every_rendering(self):
        made = []
        for body_type in TYPES:
            fip_id, _ = self.reserve(body_type, body_type)
            made.append(fip_id)
        native = self.held()
        for fip_id in made:
            self.assertEqual(self.public['id'],
                             native[fip_id]['floating_network_id'])
            self.assertIsNone(native[fip_id]['port_id'])
        for accept in TYPES:
            answer = self.answer(self.occi(
                'GET', '/ipreservation/' + made[0],
                headers={'Accept': accept}))
            self.assertEqual(200, answer.status, accept)
            values = answer.attributes()
            self.assertEqual(native[made[0]]['floating_ip_address'],
                             values['occi.ipreservation.address'], accept)
            self.assertIs(False, values['occi.ipreservation.used'])
            self.assertIn(POOL + 'public', answer.mixins(), accept)
            self.assertEqual('nova=0, glance=0, neutron=1',
                             answer.response.headers[
                                 'X-OCCI-Backend-Calls'])
        listing = self.occi('GET', '/ipreservation/',
                            headers={'Accept': 'text/uri-list'})
        self.assertTrue(set('%s/ipreservation/%s' % (self.occi_url, f)
                            for f in made) <= set(listing.text.split()))
        self.assertEqual('nova=0, glance=0, neutron=1',
                         listing.headers['X-OCCI-Backend-Calls'])
        for fip_id in made:
            response = self.occi('DELETE', '/ipreservation/' + fip_id)
            self.assertEqual(200, response.status_code, response.text)
        # Released (other tests of the project may hold addresses
        # meanwhile: only these are looked for).
        self.assertEqual(set(), set(made) & set(self.held()))

    def test_bad_input_is_400_and_leaves_no_floating_ip(self):
        # Other tests of the project take addresses meanwhile: these
        # requests are told apart by their summary (the description).
        marker = {'occi.core.summary': 'ft-bad-%s' % uuid.uuid4().hex[:8]}
        cases = [([POOL + 'nowhere'], marker, 'nowhere'),
                 ([POOL + 'public'],
                  dict(marker, **{'occi.ipreservation.address': 'x.y'}),
                  'not an IP address')]
        for body_type in TYPES:
            for mixins, attributes, message in cases:
                _, response = self.reserve(body_type, body_type, mixins,
                                           attributes, expect=400)
                self.assertIn(message, response.text)
                self.assertTrue(response.headers['Content-Type'].startswith(
                    body_type))
        # Asking for an address is for admins by Neutron's default
        # policy: its refusal, with its message; nothing made.
        _, response = self.reserve(attributes=dict(marker, **{
            'occi.ipreservation.address': '172.24.4.200'}), expect=403)
        self.assertIn('disallowed by policy', response.text)
        self.assertEqual([], [f for f in self.held().values() if f.get(
            'description') == marker['occi.core.summary']])

    def test_a_kept_address_moves_from_one_compute_to_another(self):
        fip_id, _ = self.reserve()
        first = self.boot_on_private()
        second = self.boot_on_private()
        response = self.link_to(first, fip_id)
        self.assertEqual(201, response.status_code, response.text)
        [port] = self.ports_of(first)
        self.assertEqual(port['id'], self.held()[fip_id]['port_id'])
        answer = self.read(first)
        targets = [link['target'] for link in test_network.links(answer)]
        self.assertIn('%s/ipreservation/%s' % (self.occi_url, fip_id),
                      targets)
        # In use: a second link is a conflict, nothing changes.
        response = self.link_to(second, fip_id)
        self.assertEqual(409, response.status_code, response.text)
        self.assertEqual(port['id'], self.held()[fip_id]['port_id'])
        response = self.occi('DELETE', '/networkinterface/fip_' + fip_id)
        self.assertEqual(200, response.status_code, response.text)
        self.assertIsNone(self.held()[fip_id]['port_id'])
        response = self.link_to(second, fip_id, 'application/occi+json')
        self.assertEqual(201, response.status_code, response.text)
        [port] = self.ports_of(second)
        self.assertEqual(port['id'], self.held()[fip_id]['port_id'])
        # Deleting the compute keeps the reservation.
        self.nova('DELETE', '/servers/' + second, expect=204)
        self.wait('the reservation freed',
                  lambda: self.held()[fip_id]['port_id'] is None)

    def test_one_reservation_linked_to_two_computes_at_once(self):
        fip_id, _ = self.reserve()
        servers = [self.boot_on_private(), self.boot_on_private()]
        ports = {s: self.ports_of(s)[0]['id'] for s in servers}
        before = set(self.held())
        answers = test_save_races.released_together([
            lambda: self.link_to(servers[0], fip_id,
                                 url=self.occi_nodes[0]),
            lambda: self.link_to(servers[1], fip_id,
                                 url=self.occi_nodes[1])])
        statuses = sorted(a.status_code for a in answers)
        self.assertEqual([201, 409], statuses,
                         [a.text for a in answers])
        winner = servers[[a.status_code for a in answers].index(201)]
        self.assertEqual(ports[winner], self.held()[fip_id]['port_id'])
        # Nothing half made: no other floating IP on these computes' ports
        # (other tests of the project may take addresses meanwhile), no
        # other port.
        held = self.held()
        self.assertEqual([], [f for f in set(held) - before
                              if held[f]['port_id'] in ports.values()])
        for server_id in servers:
            self.assertEqual(1, len(self.ports_of(server_id)))


class PlacementTest(test_network.NetworkTestBase):

    def test_zones_region_and_a_compute_booted_in_its_zone(self):
        query = self.occi('GET', '/-/',
                          headers={'Accept': 'application/occi+json'})
        found = {m['scheme'] + m['term']: m
                 for m in query.json()['mixins']}
        zones = [z['zoneName'] for z in self.nova(
            'GET', '/os-availability-zone', expect=200).json()[
                'availabilityZoneInfo']]
        for zone in zones:
            self.assertEqual([INFRA + 'availability_zone'],
                             found[ZONE + zone]['depends'])
        self.assertIn(REGION + self.env['OS_REGION_NAME'], found)
        # Other tests share the project: the refused creates are told
        # apart by their title.
        title = 'elsewhere-%s' % uuid.uuid4().hex[:8]
        for body_type in TYPES:
            _, answer = self.create(body_type, body_type, title=title,
                                    mixins=[ZONE + 'elsewhere'], expect=400)
            self.assertIn('not one you can use', answer.error())
        self.assertEqual([], self.nova(
            'GET', '/servers?name=%s' % title).json()['servers'])
        server_id, _ = self.create(mixins=[ZONE + zones[0]])
        server = self.wait_server(server_id, 'ACTIVE')
        self.assertEqual(zones[0], server['OS-EXT-AZ:availability_zone'])
        for accept in TYPES:
            answer = self.read(server_id, accept)
            self.assertIn(ZONE + zones[0], answer.mixins(), accept)

    def test_egi_network_mixins(self):
        for network, mixin in ((self.public, 'public_net'),
                               (self.private, 'nat_net')):
            for accept in TYPES:
                answer = self.answer(self.occi(
                    'GET', '/network/' + network['id'],
                    headers={'Accept': accept}))
                self.assertIn(EGI + mixin, answer.mixins(), accept)
