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

"""Networkinterface links, and computes with links.

Over Neutron and Nova faked at the wire.

Every rendering is used both as request body and as answer.
"""

import fixtures
import sqlalchemy

from ooi_save.backend.links import networkinterface
from tests import occi_links
from tests.unit import base
from tests.unit import client
from tests.unit.client import attribute
from tests.unit.client import INFRA
from tests.unit.client import ROOT

IPNI = ('http://schemas.ogf.org/occi/infrastructure/networkinterface#'
        'ipnetworkinterface')
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'

ANSWERS = ('text/plain', 'text/occi', 'application/occi+json')
REQUESTS = ('text/plain', 'text/occi', 'application/occi+json')


def links(response):
    """The networkinterface links of a compute answer, in any rendering.

    :returns: a list of dicts of their attributes, ``target`` and ``self``
    """
    return [link for link in all_links(response)
            if '/network/' in link['target'] or
            '/ipreservation/' in link['target']]


def all_links(response):
    """The links of a compute answer, of every kind, in any rendering."""
    if response.content_type.endswith('json'):
        found = []
        for link in response.json.get('links', []):
            values = dict(link.get('attributes', {}))
            values.update(target=link['target']['location'],
                          id=link.get('id'))
            found.append(values)
        return found
    if response.content_type == 'text/occi':
        lines = [value for header in response.headers.getall('Link')
                 for value in occi_links.split_link_header(header)]
    else:
        lines = [line.partition(':')[2] for line in
                 response.text.splitlines() if line.startswith('Link:')]
    return occi_links.read_links(lines)


class LinkTestBase(base.FilterTestCase):

    # NOTE: a compute with a port, a floating IP and its default security
    # group renders three links: about 4.3 KB of text/occi headers, past
    # the default budget (4096), which a proxy with larger buffers lifts.
    overrides = {'header_budget': '8192'}
    #: Whether the filter has an OCCI database.
    database = False

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(base.NetworkedCloud(
            database=self.database, **self.overrides))
        self.occi = self.cloud.occi
        self.context = self.cloud.demo
        self.neutron = self.cloud.neutron
        self.nova = self.cloud.nova

    def network_url(self, network):
        return '%s/network/%s' % (ROOT, network['id'])

    def link_request(self, body_type, server, network, **attributes):
        attributes.update({
            'occi.core.source': '%s/compute/%s' % (ROOT, server['id']),
            'occi.core.target': self.network_url(network)})
        return client.entity_request(
            body_type, INFRA + 'networkinterface', [IPNI], attributes)

    def link(self, server, network, accept='application/occi+json',
             context=None):
        headers, body = self.link_request('application/occi+json', server,
                                          network)
        return self.call('/networkinterface/', 'POST', accept, body,
                         headers, context=context)


class ComputeLinksTest(LinkTestBase):

    def test_a_compute_renders_its_ports_and_floating_ips(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        created = self.link(server, self.cloud.public)
        self.assertEqual(201, created.status_int, created.text)
        [floating_ip] = self.cloud.floating_ips()
        # The first read reads the flavors too (then kept).
        nova_calls = iter((2, 1, 1))
        for accept in ANSWERS:
            response = self.call('/compute/' + server['id'], accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual('nova=%d, glance=0, neutron=2'
                             % next(nova_calls),
                             response.headers['X-OCCI-Backend-Calls'])
            private, public = links(response)
            self.assertEqual(self.network_url(self.cloud.private),
                             private['target'], accept)
            self.assertEqual(port['id'], private['id'], accept)
            if not accept.endswith('json'):
                # JSON links carry no location (GFD.225): their id does.
                self.assertEqual(ROOT + '/networkinterface/' + port['id'],
                                 private['self'])
            self.assertEqual(port['mac_address'],
                             private['occi.networkinterface.mac'])
            self.assertEqual(port['fixed_ips'][0]['ip_address'],
                             private['occi.networkinterface.address'])
            self.assertEqual('active',
                             private['occi.networkinterface.state'])
            self.assertEqual('tap' + port['id'][:11],
                             private['occi.networkinterface.interface'])
            self.assertEqual(self.network_url(self.cloud.public),
                             public['target'])
            self.assertEqual('fip_' + floating_ip['id'], public['id'])
            self.assertEqual(floating_ip['floating_ip_address'],
                             public['occi.networkinterface.address'])
            self.assertTrue(public['occi.networkinterface.address']
                            .startswith('172.24.4.'))

    def test_a_page_of_computes_costs_two_neutron_listings(self):
        servers = [self.cloud.boot('vm%d' % n) for n in range(5)]
        self.link(servers[0], self.cloud.public)
        response = self.call('/compute/', accept='application/occi+json')
        # The servers and the flavors (for the resource_tpl terms).
        self.assertEqual('nova=2, glance=0, neutron=2',
                         response.headers['X-OCCI-Backend-Calls'])
        by_id = {r['id']: r for r in response.json['resources']}
        interfaces = {r['id']: [link for link in r['links'] if link[
            'kind'] == INFRA + 'networkinterface'] for r in by_id.values()}
        self.assertEqual(2, len(interfaces[servers[0]['id']]))
        for server in servers[1:]:
            self.assertEqual(1, len(interfaces[server['id']]))
        listing = self.call('/compute/', accept='text/uri-list')
        # The summary listing, and the servers being deleted (one
        # listing): no Neutron.
        self.assertEqual('nova=2, glance=0',
                         listing.headers['X-OCCI-Backend-Calls'])

    def test_port_listings_go_by_fifty_computes(self):
        for number in range(60):
            self.cloud.boot('vm%d' % number)
        response = self.call('/compute/', accept='application/occi+json')
        # Two port listings; none of the computes has a floating IP. The
        # servers and the flavors (for the resource_tpl terms).
        self.assertEqual('nova=2, glance=0, neutron=2',
                         response.headers['X-OCCI-Backend-Calls'])
        # A port and the default security group each.
        self.assertEqual([2] * 60, [len(r['links']) for r in
                                    response.json['resources']])
        port_listings = [path for method, path in self.neutron.calls
                         if path.startswith('/v2.0/ports?')]
        self.assertEqual(2, len(port_listings))
        self.assertTrue(all(len(path) < 4000 for path in port_listings))

    def test_a_compute_without_floating_ip_costs_one_neutron_call(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        # The first read reads the flavors too (then kept).
        nova_calls = iter((2, 1, 1))
        for accept in ANSWERS:
            response = self.call('/compute/' + server['id'], accept=accept)
            self.assertEqual('nova=%d, glance=0, neutron=1'
                             % next(nova_calls),
                             response.headers['X-OCCI-Backend-Calls'])
            [private] = links(response)
            self.assertEqual(port['id'], private['id'], accept)
        # One port listing a read; never a floating IP listing.
        self.assertEqual(
            ['/v2.0/ports?device_id=%s&limit=1000' % server['id']] * 3,
            [path for method, path in self.neutron.calls])

    def test_a_released_floating_ip_is_gone_before_nova_hears_of_it(self):
        server = self.cloud.boot()
        created = self.link(server, self.cloud.public)
        self.assertEqual(201, created.status_int, created.text)
        self.assertEqual(2, len(links(self.call(
            '/compute/' + server['id'], accept='application/occi+json'))))
        # Released behind our back: Nova still shows the address.
        self.nova.cache_behind = True
        [floating_ip] = self.cloud.floating_ips()
        self.neutron._delete('floatingips', floating_ip)
        response = self.call('/compute/' + server['id'],
                             accept='application/occi+json')
        self.assertEqual('nova=1, glance=0, neutron=2',
                         response.headers['X-OCCI-Backend-Calls'])
        [private] = links(response)
        self.assertEqual(self.network_url(self.cloud.private),
                         private['target'])

    def test_a_compute_without_ports_costs_one_neutron_call(self):
        server = self.nova.add_server(name='alone')
        response = self.call('/compute/' + server['id'],
                             accept='application/occi+json')
        # The server and the flavors (for the resource_tpl term).
        self.assertEqual('nova=2, glance=0, neutron=1',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertNotIn('links', response.json)


class LinkTest(LinkTestBase):

    def test_attach_to_a_private_network_in_every_rendering(self):
        server = self.cloud.boot()
        other = self.neutron.add_network('demo-project', 'second',
                                         '10.5.0.0/24')
        for body_type in REQUESTS:
            for accept in ANSWERS + ('text/uri-list',):
                headers, body = self.link_request(body_type, server, other)
                response = self.call('/networkinterface/', 'POST', accept,
                                     body, headers)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                port_id = response.headers['Location'].rsplit('/', 1)[1]
                port = self.neutron.items['ports'][port_id]
                self.assertEqual(server['id'], port['device_id'], what)
                self.assertEqual(other['id'], port['network_id'])
                if accept != 'text/uri-list':
                    self.assertEqual(port['mac_address'], attribute(
                        response, 'occi.networkinterface.mac'), what)
                    self.assertEqual(port['fixed_ips'][0]['ip_address'],
                                     attribute(
                                         response,
                                         'occi.networkinterface.address'))
                else:
                    self.assertEqual(response.headers['Location'],
                                     response.text.strip())
        self.assertEqual(1 + len(REQUESTS) * 4,
                         len(self.cloud.ports_of(server['id'])))

    def test_read_list_and_detach(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        path = '/networkinterface/' + port['id']
        for accept in ANSWERS:
            response = self.call(path, accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual(port['mac_address'], attribute(
                response, 'occi.networkinterface.mac'), accept)
            self.assertEqual('%s/compute/%s' % (ROOT, server['id']),
                             attribute(response, 'occi.core.source')
                             if not accept.endswith('json') else
                             response.json['source']['location'])
        listing = self.call('/networkinterface/', accept='text/uri-list')
        self.assertEqual([ROOT + path], listing.text.split())
        response = self.call(path, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([], self.cloud.ports_of(server['id']))
        self.assertEqual(404, self.call(path).status_int)

    def test_public_address_shown_at_once_and_released(self):
        server = self.cloud.boot()
        for body_type in REQUESTS:
            headers, body = self.link_request(body_type, server,
                                              self.cloud.public)
            response = self.call('/networkinterface/', 'POST',
                                 'text/plain', body, headers)
            self.assertEqual(201, response.status_int, response.text)
            [floating_ip] = self.cloud.floating_ips()
            self.assertEqual(floating_ip['floating_ip_address'], attribute(
                response, 'occi.networkinterface.address'))
            location = response.headers['Location']
            self.assertEqual(
                ROOT + '/networkinterface/fip_' + floating_ip['id'],
                location)
            path = location[len(ROOT):]
            self.assertEqual(200, self.call(path).status_int)
            response = self.call(path, 'DELETE')
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual([], self.cloud.floating_ips())
            self.assertEqual(404, self.call(path).status_int)
        # The compute keeps its private port.
        self.assertEqual(1, len(self.cloud.ports_of(server['id'])))

    def test_public_link_create_answers_once_nova_shows_the_address(self):
        server = self.cloud.boot()
        response = self.link(server, self.cloud.public)
        self.assertEqual(201, response.status_int, response.text)
        # The server check, then reads until Nova shows the address.
        self.assertEqual('nova=2, glance=0, neutron=3',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertEqual(2, len(links(self.call(
            '/compute/' + server['id'], accept='application/occi+json'))))

    def test_delete_of_an_id_that_is_no_uuid_asks_neutron_nothing(self):
        for accept in ANSWERS:
            response = self.call('/compute/%00', 'DELETE', accept)
            self.assertEqual(404, response.status_int, response.text)
        self.assertEqual([], self.neutron.calls)

    def test_refusals_are_4xx_with_neutrons_message_and_leave_nothing(self):
        server = self.cloud.boot()
        self.neutron.floatingip_quota = 0
        response = self.link(server, self.cloud.public)
        self.assertEqual(409, response.status_int)
        self.assertIn('Quota exceeded', response.json['error']['message'])
        self.assertEqual([], self.cloud.floating_ips())
        self.neutron.floatingip_quota = 50
        lone = self.neutron.add_network('demo-project', 'unrouted',
                                        '10.9.0.0/24')
        unrouted = self.cloud.boot('unrouted', [lone])
        response = self.link(unrouted, self.cloud.public)
        self.assertEqual(409, response.status_int)
        self.assertIn('not reachable', response.json['error']['message'])
        self.assertEqual([], self.cloud.floating_ips())
        bare = self.nova.add_server(name='no-ports')
        response = self.link(bare, self.cloud.public)
        self.assertEqual(409, response.status_int)
        self.assertIn('no IPv4 port', response.text)
        cases = [({'occi.core.source': 'nowhere'}, 'occi.core.source'),
                 ({'occi.core.target': ROOT + '/compute/x'},
                  'occi.core.target'),
                 ({'occi.core.target': ROOT + '/network/missing'},
                  'does not exist'),
                 ({'occi.networkinterface.colour': 'red'}, 'cannot be set')]
        for changes, message in cases:
            headers, body = self.link_request('text/plain', server,
                                              self.cloud.private)
            body = body.decode()
            for name, value in changes.items():
                lines = [line for line in body.splitlines()
                         if name + '=' not in line]
                lines.append('X-OCCI-Attribute: %s="%s"' % (name, value))
                body = '\n'.join(lines) + '\n'
            response = self.call('/networkinterface/', 'POST',
                                 body=body, headers=headers)
            self.assertEqual(400, response.status_int, changes)
            self.assertIn(message, response.text)
        self.assertEqual(1, len(self.cloud.ports_of(server['id'])))

    def test_another_project_cannot_see_or_touch_the_links(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        public = self.link(server, self.cloud.public)
        alt = self.cloud.alt
        for path in ('/networkinterface/' + port['id'],
                     public.headers['Location'][len(ROOT):]):
            self.assertEqual(404, self.call(path, context=alt).status_int)
            self.assertEqual(404, self.call(path, 'DELETE',
                                            context=alt).status_int)
        listing = self.call('/networkinterface/', accept='text/uri-list',
                            context=alt)
        self.assertEqual('', listing.text.strip())
        # Neither to the demo compute, nor from alt's compute to demo's
        # private network.
        response = self.link(server, self.cloud.alt_private, context=alt)
        self.assertEqual(404, response.status_int)
        alt_server = self.cloud.boot('alt-vm', [self.cloud.alt_private],
                                     project='alt-project')
        response = self.link(alt_server, self.cloud.private, context=alt)
        self.assertEqual(400, response.status_int)
        self.assertEqual(2, len(self.cloud.ports_of(server['id'])) +
                         len(self.cloud.floating_ips()))
        self.assertEqual(1, len(self.cloud.ports_of(alt_server['id'])))


class ComputeCreateWithLinksTest(LinkTestBase):

    def create(self, body_type, links=(), accept='text/plain'):
        headers, body = client.entity_request(
            body_type, INFRA + 'compute', [OS + 'image-1', RES + '1'],
            {'occi.core.title': 'linked'}, links)
        return self.call('/compute/', 'POST', accept, body, headers)

    def test_boot_on_the_linked_networks_in_every_rendering(self):
        other = self.neutron.add_network('demo-project', 'second',
                                         '10.5.0.0/24')
        for body_type in REQUESTS:
            response = self.create(body_type, [
                (self.network_url(other), INFRA + 'network', {})])
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual([{'uuid': other['id']}], self.nova.boots[-1])
            server_id = response.headers['Location'].rsplit('/', 1)[1]
            answer = self.call('/compute/' + server_id,
                               accept='application/occi+json')
            [link] = links(answer)
            self.assertEqual(self.network_url(other), link['target'])

    def test_a_link_to_public_boots_on_the_project_network_with_an_ip(self):
        for body_type in REQUESTS:
            response = self.create(body_type, [
                (self.network_url(self.cloud.public), INFRA + 'network',
                 {})])
            self.assertEqual(201, response.status_int, response.text)
            [boot] = self.nova.boots[-1:]
            port = self.neutron.items['ports'][boot[0]['port']]
            self.assertEqual(self.cloud.private['id'], port['network_id'])
            server_id = response.headers['Location'].rsplit('/', 1)[1]
            answer = self.call('/compute/' + server_id, accept=body_type)
            private, public = links(answer)
            self.assertEqual(self.network_url(self.cloud.public),
                             public['target'], body_type)
            self.assertTrue(public['occi.networkinterface.address']
                            .startswith('172.24.4.'))
            # Deleting the compute releases the port and address made.
            response = self.call('/compute/' + server_id, 'DELETE')
            self.assertEqual(200, response.status_int, response.text)
            self.assertNotIn(port['id'], self.neutron.items['ports'])
            self.assertEqual([], self.cloud.floating_ips())

    def test_a_boot_refused_releases_what_was_made(self):
        ports = set(self.neutron.items['ports'])
        self.nova.refuse_boot = 'Quota exceeded for instances'
        response = self.create('text/plain', [
            (self.network_url(self.cloud.public), INFRA + 'network', {})])
        self.assertEqual(403, response.status_int)
        self.assertIn('Quota exceeded', response.text)
        self.assertEqual(ports, set(self.neutron.items['ports']))
        self.assertEqual([], self.cloud.floating_ips())
        self.neutron.floatingip_quota = 0
        response = self.create('text/plain', [
            (self.network_url(self.cloud.public), INFRA + 'network', {})])
        self.assertEqual(409, response.status_int)
        self.assertEqual(ports, set(self.neutron.items['ports']))
        self.assertEqual([], self.nova.boots)

    def test_without_links_auto_boots_on_the_project_network(self):
        response = self.create('text/plain')
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([{'uuid': self.cloud.private['id']}],
                         self.nova.boots[-1])

    def test_without_links_nova_alone_once_the_network_is_known(self):
        # The first create finds the network; Glance is not asked: Nova
        # checks the image itself.
        calls = []
        for _ in range(3):
            response = self.create('text/plain')
            self.assertEqual(201, response.status_int, response.text)
            calls.append(response.headers['X-OCCI-Backend-Calls'])
        # (The first reads the flavors too, then kept.)
        self.assertEqual(['nova=2, glance=0, neutron=1'] +
                         ['nova=1, glance=0'] * 2, calls)
        self.assertEqual([[{'uuid': self.cloud.private['id']}]] * 3,
                         self.nova.boots)
        # The network is kept per project: alt's computes boot on its own.
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [OS + 'image-1', RES + '1'])
        response = self.call('/compute/', 'POST', 'text/plain', body,
                             headers, context=self.cloud.alt)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([{'uuid': self.cloud.alt_private['id']}],
                         self.nova.boots[-1])

    def test_a_kept_network_that_went_is_found_again(self):
        created = self.create('text/plain')
        self.assertEqual(201, created.status_int)
        self.assertEqual(200, self.call(created.headers['Location'][len(
            ROOT):], 'DELETE').status_int)
        # Another process (or the native API) replaces the network.
        other = self.neutron.add_network('demo-project', 'second',
                                         '10.5.0.0/24')
        private_id = self.cloud.private['id']
        for port in list(self.neutron.items['ports'].values()):
            if port['network_id'] == private_id:
                del self.neutron.items['ports'][port['id']]
        del self.neutron.items['networks'][private_id]
        response = self.create('text/plain')
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('nova=2, glance=0, neutron=1',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertEqual([{'uuid': other['id']}], self.nova.boots[-1])
        self.assertEqual(2, len(self.nova.created))

    def test_a_network_made_here_is_the_default_at_once(self):
        # alt's project has no network of its own but a shared one.
        alt = self.cloud.alt
        del self.neutron.items['networks'][self.cloud.alt_private['id']]
        shared = self.neutron.add_network('admin-project', 'shared',
                                          '10.9.0.0/24', shared=True)
        request = tuple(reversed(client.entity_request(
            'text/plain', INFRA + 'compute', [OS + 'image-1', RES + '1'])))
        response = self.call('/compute/', 'POST', 'text/plain', *request,
                             context=alt)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([{'uuid': shared['id']}], self.nova.boots[-1])
        headers, body = client.entity_request(
            'text/plain', INFRA + 'network', [], {'occi.core.title': 'own'})
        made = self.call('/network/', 'POST', 'text/plain', body, headers,
                         context=alt)
        self.assertEqual(201, made.status_int, made.text)
        own_id = made.headers['Location'].rsplit('/', 1)[1]
        response = self.call('/compute/', 'POST', 'text/plain', *request,
                             context=alt)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([{'uuid': own_id}], self.nova.boots[-1])

    def test_delete_releases_only_what_was_made_for_that_compute(self):
        made = []
        for _ in range(2):
            response = self.create('text/plain', [
                (self.network_url(self.cloud.public), INFRA + 'network',
                 {})])
            self.assertEqual(201, response.status_int, response.text)
            made.append(response.headers['Location'].rsplit('/', 1)[1])
        # A floating IP of the user's own on the first compute's port.
        [port] = self.cloud.ports_of(made[0])
        theirs = self.neutron.add('floatingips', 'demo-project',
                                  port_id=port['id'],
                                  floating_ip_address='172.24.4.99',
                                  floating_network_id=self.cloud.public[
                                      'id'], description='mine')
        kept = {f['id'] for f in self.cloud.floating_ips()
                if f['port_id'] not in {port['id']}} | {theirs['id']}
        # Nova's compute host lets go of the port a moment after Nova
        # answers the DELETE.
        self.nova.unbind_reads = 2
        response = self.call('/compute/' + made[0], 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        # The compute's ports, the floating IPs on them, the floating IP
        # made for it; after Nova's DELETE, the port made for it, read
        # until Nova lets it go, then deleted.
        self.assertEqual('nova=1, glance=0, neutron=6',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertEqual(kept, {f['id'] for f in self.cloud.floating_ips()})
        self.assertEqual(1, len(self.cloud.ports_of(made[1])))
        # The floating IP made for the compute went before Nova was asked
        # to delete it; the user's own is left to Neutron.
        self.assertEqual([theirs['id']], [
            f['id'] for f in self.nova.floating_ips_at_delete[made[0]]])


class BareComputeTest(LinkTestBase):
    """Deleting a compute ooi-save made nothing for in Neutron."""

    database = True

    def create(self, links=()):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [OS + 'image-1', RES + '1'],
            {'occi.core.title': 'bare'}, links)
        response = self.call('/compute/', 'POST', body=body, headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        return response.headers['Location'].rsplit('/', 1)[1]

    def delete(self, server_id):
        response = self.call('/compute/' + server_id, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([], self.cloud.ports_of(server_id))
        return response.headers['X-OCCI-Backend-Calls']

    def rows(self):
        engine = sqlalchemy.create_engine(self.cloud.db_url)
        self.addCleanup(engine.dispose)
        with engine.connect() as connection:
            return {row[0] for row in connection.execute(sqlalchemy.text(
                'SELECT server_id FROM occi_bare_computes'))}

    def test_deleted_without_asking_neutron(self):
        private = self.neutron.add_network('demo-project', 'second',
                                           '10.5.0.0/24')
        plain = self.create()
        linked = self.create([(self.network_url(private), INFRA + 'network',
                               {})])
        self.assertEqual({plain, linked}, self.rows())
        for server_id in (plain, linked):
            # Nova made their ports, and deletes them.
            self.assertEqual(1, len(self.cloud.ports_of(server_id)))
            self.assertEqual('nova=1, glance=0', self.delete(server_id))
        self.assertEqual(set(), self.rows())

    def test_made_with_a_public_address_is_looked_up(self):
        server_id = self.create([(self.network_url(self.cloud.public),
                                  INFRA + 'network', {})])
        self.assertEqual(set(), self.rows())
        self.assertEqual(1, len(self.cloud.floating_ips()))
        self.assertIn('neutron=', self.delete(server_id))
        self.assertEqual([], self.cloud.floating_ips())
        self.assertEqual([], [
            p for p in self.neutron.items['ports'].values()
            if p.get('description') == networkinterface.MADE_BY])

    def test_a_floating_ip_linked_later_goes_with_the_compute(self):
        server_id = self.create()
        response = self.link({'id': server_id}, self.cloud.public)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual(set(), self.rows())
        self.assertEqual(1, len(self.cloud.floating_ips()))
        self.assertIn('neutron=', self.delete(server_id))
        self.assertEqual([], self.cloud.floating_ips())
        # Gone before Nova's compute host deletes its port (see the fake).
        self.assertEqual([], self.nova.floating_ips_at_delete[server_id])

    def test_a_compute_made_by_another_tool_is_looked_up(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        self.neutron.add('floatingips', 'demo-project', port_id=port['id'],
                         floating_ip_address='172.24.4.98',
                         floating_network_id=self.cloud.public['id'],
                         description=networkinterface.MADE_BY)
        self.assertIn('neutron=', self.delete(server['id']))
        self.assertEqual([], self.cloud.floating_ips())

    def test_a_database_that_fails(self):
        server_id = self.create()
        engine = sqlalchemy.create_engine(self.cloud.db_url)
        self.addCleanup(engine.dispose)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(
                'ALTER TABLE occi_bare_computes RENAME TO elsewhere'))
        # No floating IP is made that the delete might not find...
        response = self.link({'id': server_id}, self.cloud.public)
        self.assertEqual(503, response.status_int, response.text)
        self.assertIn('database', response.text)
        self.assertEqual([], self.cloud.floating_ips())
        # ... and the delete asks Neutron.
        self.assertIn('neutron=', self.delete(server_id))
        # A create still works, its row left out.
        self.assertIn('neutron=', self.delete(self.create()))


class NoDatabaseTest(LinkTestBase):

    def test_every_delete_asks_neutron(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [OS + 'image-1', RES + '1'])
        response = self.call('/compute/', 'POST', body=body, headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        response = self.call(response.headers['Location'][len(ROOT):],
                             'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('nova=1, glance=0, neutron=2',
                         response.headers['X-OCCI-Backend-Calls'])


class DefaultNetworkTest(LinkTestBase):

    overrides = dict(LinkTestBase.overrides, default_network='none')

    def test_none_boots_without_network(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [OS + 'image-1',
                                              RES + '1'])
        response = self.call('/compute/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('none', self.nova.boots[-1])


class NamedDefaultNetworkTest(LinkTestBase):

    overrides = dict(LinkTestBase.overrides, default_network='public')

    def test_a_named_network(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute', [OS + 'image-1',
                                              RES + '1'])
        response = self.call('/compute/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([{'uuid': self.cloud.public['id']}],
                         self.nova.boots[-1])


class SettleTimeoutTest(LinkTestBase):

    overrides = dict(LinkTestBase.overrides,
                     floating_ip_settle_timeout='1')

    def test_nova_that_never_hears_is_waited_for_no_longer(self):
        self.nova.hears_floating_ips = False
        server = self.cloud.boot()
        logged = self.useFixture(fixtures.FakeLogger(
            name='ooi_save.backend.links.networkinterface'))
        response = self.link(server, self.cloud.public)
        self.assertEqual(201, response.status_int, response.text)
        [floating_ip] = self.cloud.floating_ips()
        self.assertEqual(floating_ip['floating_ip_address'], attribute(
            response, 'occi.networkinterface.address'))
        self.assertIn('Nova does not show floating IP %s' % floating_ip['id'],
                      logged.output)
        # Until Nova shows it, the compute renders it as Nova does: not.
        self.assertEqual(1, len(links(self.call(
            '/compute/' + server['id'], accept='application/occi+json'))))
        self.nova.hears_floating_ips = True
        self.assertEqual(2, len(links(self.call(
            '/compute/' + server['id'], accept='application/occi+json'))))


class NoSettleTest(LinkTestBase):

    overrides = dict(LinkTestBase.overrides,
                     floating_ip_settle_timeout='0')

    def test_zero_answers_without_reading_the_server_again(self):
        server = self.cloud.boot()
        response = self.link(server, self.cloud.public)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('nova=1, glance=0, neutron=3',
                         response.headers['X-OCCI-Backend-Calls'])
