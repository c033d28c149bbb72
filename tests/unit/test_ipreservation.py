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

"""IP reservations and floating IP pools, over Neutron and Nova at the wire.

Every rendering is used both as request body and as answer.
"""

from tests.unit import client
from tests.unit.client import attribute
from tests.unit.client import INFRA
from tests.unit.client import ROOT
from tests.unit import test_network
from tests.unit import test_networkinterface as ni

IPR = INFRA + 'ipreservation'
POOL = 'http://schemas.openstack.org/network/floatingippool#'
POOL_PARENT = 'http://schemas.openstack.org/network#floatingippool'
ANSWERS = ni.ANSWERS
REQUESTS = ni.REQUESTS


def mixins_of(response):
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


class IPReservationTest(ni.LinkTestBase):

    def reserve(self, body_type='application/occi+json',
                accept='application/occi+json', mixins=(), **attributes):
        headers, body = client.entity_request(body_type, IPR, mixins,
                                              attributes)
        return self.call('/ipreservation/', 'POST', accept, body, headers)

    def test_the_query_interface_lists_kind_and_pools(self):
        response = self.call('/-/', accept='application/occi+json')
        kinds = {k['scheme'] + k['term']: k for k in response.json['kinds']}
        kind = kinds[IPR]
        self.assertEqual(INFRA + 'network', kind['parent'])
        self.assertEqual(ROOT + '/ipreservation/', kind['location'])
        self.assertEqual(
            {'occi.ipreservation.address', 'occi.ipreservation.used',
             'occi.ipreservation.state'}, set(kind['attributes']))
        self.assertTrue(kind['attributes']['occi.ipreservation.address'][
            'mutable'])
        self.assertEqual('boolean', kind['attributes'][
            'occi.ipreservation.used']['type'])
        found = {m['scheme'] + m['term']: m for m in response.json['mixins']}
        self.assertIn(POOL_PARENT, found)
        self.assertEqual([POOL_PARENT], found[POOL + 'public']['depends'])
        self.assertEqual(ROOT + '/floatingippool/public/',
                         found[POOL + 'public']['location'])
        for accept in ('text/plain', 'text/occi'):
            # text/occi's headers hold a chosen few categories.
            text = self.call('/-/?category=%s&category=%s' % (
                IPR.replace('#', '%23'), (POOL + 'public').replace(
                    '#', '%23')), accept=accept)
            rendered = text.text + ' '.join(text.headers.getall('Category'))
            self.assertIn('ipreservation; scheme="%s"; class="kind"'
                          % INFRA, rendered, accept)
            self.assertIn('public; scheme="%s"; class="mixin"' % POOL,
                          rendered, accept)
            self.assertIn('occi.ipreservation.used', rendered, accept)

    def test_the_query_interface_answers_without_a_reachable_neutron(self):
        self.neutron.down = True
        response = self.call('/-/', accept='application/occi+json')
        self.assertEqual(200, response.status_int, response.text)
        terms = {m['scheme'] + m['term'] for m in response.json['mixins']}
        self.assertIn(POOL_PARENT, terms)
        self.assertNotIn(POOL + 'public', terms)
        response = self.call('/ipreservation/', accept='text/plain')
        self.assertEqual(503, response.status_int, response.text)

    def test_create_and_read_in_every_rendering(self):
        for body_type in REQUESTS:
            for accept in ANSWERS + ('text/uri-list',):
                response = self.reserve(body_type, accept, [POOL + 'public'])
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                location = response.headers['Location']
                fip_id = location.rsplit('/', 1)[1]
                self.assertEqual(ROOT + '/ipreservation/' + fip_id, location)
                fip = self.neutron.items['floatingips'][fip_id]
                self.assertEqual(self.cloud.public['id'],
                                 fip['floating_network_id'])
                self.assertIsNone(fip['port_id'])
                if accept == 'application/occi+json':
                    self.assertEqual(fip['floating_ip_address'], attribute(
                        response, 'occi.ipreservation.address'), what)
        for accept in ANSWERS:
            response = self.call('/ipreservation/' + fip_id, accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual(fip['floating_ip_address'], attribute(
                response, 'occi.ipreservation.address'), accept)
            self.assertIs(False, attribute(response,
                                           'occi.ipreservation.used'))
            self.assertEqual('active', attribute(
                response, 'occi.ipreservation.state'))
            self.assertEqual([POOL + 'public'], mixins_of(response), accept)
            # One Neutron call: the pool's term is known from the create.
            self.assertEqual('nova=0, glance=0, neutron=1',
                             response.headers['X-OCCI-Backend-Calls'])

    def test_an_address_and_a_summary_asked_for(self):
        response = self.reserve(**{'occi.ipreservation.address':
                                   '172.24.4.99',
                                   'occi.core.summary': 'for the web'})
        self.assertEqual(201, response.status_int, response.text)
        [fip] = self.cloud.floating_ips()
        self.assertEqual('172.24.4.99', fip['floating_ip_address'])
        self.assertEqual('for the web', fip['description'])

    def test_collection_listed_filtered_paged_and_deleted(self):
        made = [self.reserve().headers['Location'] for _ in range(3)]
        # A floating IP made for a compute's link is no reservation.
        server = self.cloud.boot()
        self.assertEqual(201, self.link(server, self.cloud.public)
                         .status_int)
        for accept in ANSWERS + ('text/uri-list',):
            response = self.call('/ipreservation/', accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual(sorted(made), sorted(self.locations(response)),
                             accept)
        response = self.call('/ipreservation/?page=2&number=2',
                             accept='text/uri-list')
        self.assertEqual(1, len(self.locations(response)))
        address = self.neutron.items['floatingips'][
            made[1].rsplit('/', 1)[1]]['floating_ip_address']
        headers = {'Content-Type': 'text/occi',
                   'X-OCCI-Attribute':
                       'occi.ipreservation.address="%s"' % address}
        response = self.call('/ipreservation/', headers=headers,
                             accept='text/uri-list')
        self.assertEqual([made[1]], self.locations(response))
        response = self.call('/floatingippool/public/',
                             accept='text/uri-list')
        self.assertEqual(sorted(made), sorted(self.locations(response)))
        response = self.call(made[0][len(ROOT):], 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual(3, len(self.cloud.floating_ips()))
        self.assertEqual(404, self.call(made[0][len(ROOT):]).status_int)

    @staticmethod
    def locations(response):
        if response.content_type.endswith('json'):
            return ['%s/ipreservation/%s' % (ROOT, r['id'])
                    for r in response.json.get('resources', [])]
        return test_network.locations(response)

    def test_bad_input_is_400_in_every_rendering_and_leaves_nothing(self):
        bad = [
            ([POOL + 'nowhere'], {}, 'nowhere'),
            ([POOL + 'public', POOL + 'public2'], {}, 'one floating IP'),
            ([], {'occi.ipreservation.address': 'not-an-ip'}, 'not an IP'),
            ([INFRA + 'ipnetwork'], {}, 'cannot be applied'),
            ([], {'occi.network.vlan': 5}, 'cannot be set'),
        ]
        for body_type in REQUESTS:
            for mixins, attributes, message in bad:
                response = self.reserve(body_type, body_type, mixins,
                                        **attributes)
                self.assertEqual(400, response.status_int, response.text)
                self.assertEqual(body_type, response.content_type)
                self.assertIn(message, response.text)
        self.assertEqual([], self.cloud.floating_ips())

    def test_neutron_refusal_is_its_status_and_leaves_nothing(self):
        self.neutron.floatingip_quota = 0
        response = self.reserve()
        self.assertEqual(409, response.status_int, response.text)
        self.assertIn('Quota exceeded', response.text)
        self.assertEqual([], self.cloud.floating_ips())

    def test_another_project_sees_none_of_them(self):
        location = self.reserve().headers['Location']
        response = self.call(location[len(ROOT):], context=self.cloud.alt)
        self.assertEqual(404, response.status_int)
        response = self.call(location[len(ROOT):], 'DELETE',
                             context=self.cloud.alt)
        self.assertEqual(404, response.status_int)
        self.assertEqual(1, len(self.cloud.floating_ips()))


class ReservationLinkTest(ni.LinkTestBase):

    def reservation(self):
        fip = self.neutron.add(
            'floatingips', 'demo-project',
            floating_network_id=self.cloud.public['id'],
            floating_ip_address='172.24.4.50', port_id=None,
            fixed_ip_address=None, status='DOWN', description='kept')
        return fip, '%s/ipreservation/%s' % (ROOT, fip['id'])

    def link_to(self, server, target, body_type='application/occi+json',
                accept='application/occi+json', mixins=(ni.IPNI,),
                context=None):
        headers, body = client.entity_request(
            body_type, INFRA + 'networkinterface', list(mixins), {
                'occi.core.source': '%s/compute/%s' % (ROOT, server['id']),
                'occi.core.target': target})
        return self.call('/networkinterface/', 'POST', accept, body,
                         headers, context=context)

    def test_link_associates_and_unlink_keeps_in_every_rendering(self):
        fip, target = self.reservation()
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        for body_type in REQUESTS:
            response = self.link_to(server, target, body_type, body_type)
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual(port['id'], fip['port_id'])
            link_path = '/networkinterface/fip_' + fip['id']
            for accept in ANSWERS:
                answer = self.call('/compute/' + server['id'],
                                   accept=accept)
                private, public = ni.links(answer)
                self.assertEqual(target, public['target'], accept)
                self.assertEqual('172.24.4.50',
                                 public['occi.networkinterface.address'])
                reservation = self.call(target[len(ROOT):], accept=accept)
                self.assertIs(True, attribute(reservation,
                                              'occi.ipreservation.used'))
            response = self.call(link_path, 'DELETE', accept=body_type)
            self.assertEqual(200, response.status_int, response.text)
            # Disassociated, kept.
            self.assertIn(fip['id'], self.neutron.items['floatingips'])
            self.assertIsNone(fip['port_id'])
            answer = self.call('/compute/' + server['id'],
                               accept='application/occi+json')
            self.assertEqual(1, len(ni.links(answer)))
            self.assertEqual(404, self.call(link_path, 'DELETE').status_int)

    def test_a_reservation_in_use_is_a_conflict(self):
        fip, target = self.reservation()
        first, second = self.cloud.boot('a'), self.cloud.boot('b')
        self.assertEqual(201, self.link_to(first, target).status_int)
        [port] = self.cloud.ports_of(first['id'])
        for body_type in REQUESTS:
            response = self.link_to(second, target, body_type, body_type)
            self.assertEqual(409, response.status_int, response.text)
            self.assertIn(first['id'], response.text)
            self.assertEqual(port['id'], fip['port_id'])

    def test_another_request_winning_meanwhile_is_a_conflict(self):
        fip, target = self.reservation()
        server = self.cloud.boot()
        # Neutron's answer when the revision changed between our read and
        # our update (revision-if-match).
        self.neutron.refusals[('PUT', 'floatingips')] = (
            412, 'Constrained to 0, but current revision is 1')
        response = self.link_to(server, target)
        self.assertEqual(409, response.status_int, response.text)
        self.assertIn('another request got there first', response.text)
        self.assertEqual('revision_number=0', self.neutron.if_match)
        self.assertIsNone(fip['port_id'])

    def test_a_reservation_another_request_is_linking_is_a_conflict(self):
        fip, target = self.reservation()
        server = self.cloud.boot()
        # Another node's request holds the floating IP while it links it.
        store = self.occi.backend.saves.gate.store
        claim, _ = store.take(fip['id'], 'other:1:abcdef', 'ipreservation',
                              60)
        try:
            response = self.link_to(server, target)
            self.assertEqual(409, response.status_int, response.text)
            self.assertIn('being linked', response.text)
            self.assertIsNone(fip['port_id'])
        finally:
            store.release(claim)
        # Once it is done, the claim is ours to take, and ours is let go.
        self.assertEqual(201, self.link_to(server, target).status_int)
        self.assertIsNone(store.get(fip['id']))

    def test_bad_targets_are_400(self):
        server = self.cloud.boot()
        fip, target = self.reservation()
        cases = [
            (ROOT + '/ipreservation/' + '0' * 8 + '-0000-0000-0000-' +
             '0' * 12, (ni.IPNI,), 'does not exist'),
            (target, (ni.IPNI, POOL + 'public'), 'has its pool'),
            (ROOT + '/network/public', (POOL + 'nowhere',), 'nowhere'),
            (self.network_url(self.cloud.private), (POOL + 'public',),
             'is not network'),
        ]
        for body_type in REQUESTS:
            for where, mixins, message in cases:
                response = self.link_to(server, where, body_type, body_type,
                                        mixins)
                self.assertEqual(400, response.status_int, response.text)
                self.assertIn(message, response.text)
        self.assertEqual([fip], self.cloud.floating_ips())
        self.assertIsNone(fip['port_id'])

    def test_a_pool_chooses_where_a_public_address_comes_from(self):
        other = self.neutron.add_network('admin-project', 'public2',
                                         '172.25.0.0/24', external=True)
        self.neutron.add_router(
            'demo-project', other,
            self.neutron.items['subnets'][self.cloud.private['subnets'][0]])
        server = self.cloud.boot()
        response = self.link_to(server, ROOT + '/network/public',
                                mixins=(ni.IPNI, POOL + 'public2'))
        self.assertEqual(201, response.status_int, response.text)
        [fip] = self.cloud.floating_ips()
        self.assertEqual(other['id'], fip['floating_network_id'])
        self.assertTrue(fip['floating_ip_address'].startswith('172.25.'))
        # Without a pool, the oldest external network.
        again = self.cloud.boot('b')
        response = self.link_to(again, ROOT + '/network/public')
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual(
            {self.cloud.public['id'], other['id']},
            {f['floating_network_id'] for f in self.cloud.floating_ips()})

    def test_a_compute_created_with_a_link_to_a_reservation(self):
        fip, target = self.reservation()
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [ni.OS + 'image-1',
                                              ni.RES + '1'],
            {'occi.core.title': 'kept'},
            [(target, IPR, {})])
        response = self.call('/compute/', 'POST', 'text/plain', body,
                             headers)
        self.assertEqual(201, response.status_int, response.text)
        [boot] = self.nova.boots[-1:]
        self.assertEqual(boot[0]['port'], fip['port_id'])
        server_id = response.headers['Location'].rsplit('/', 1)[1]
        # Deleting the compute frees the reservation and keeps it.
        self.assertEqual(200, self.call('/compute/' + server_id,
                                        'DELETE').status_int)
        self.assertEqual([fip], self.cloud.floating_ips())
        self.assertIsNone(fip['port_id'])

    def test_a_refused_boot_frees_the_reservation(self):
        fip, target = self.reservation()
        ports = set(self.neutron.items['ports'])
        self.nova.refuse_boot = 'Quota exceeded for instances'
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [ni.OS + 'image-1',
                                              ni.RES + '1'], {},
            [(target, IPR, {})])
        response = self.call('/compute/', 'POST', 'text/plain', body,
                             headers)
        self.assertEqual(403, response.status_int, response.text)
        self.assertEqual(ports, set(self.neutron.items['ports']))
        self.assertEqual([fip], self.cloud.floating_ips())
        self.assertIsNone(fip['port_id'])
