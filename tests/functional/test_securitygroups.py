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

"""Security groups and securitygrouplinks on the mini-cloud's real Neutron.

What OCCI answers is checked against what Neutron shows natively: the
groups' rules, the groups of each port of a compute. Races are released
together by a barrier through both nova-api nodes, and what is left on the
ports is checked.
"""

import json
import time
import uuid

from tests.functional import base
from tests.functional.base import INFRA
from tests.functional import test_network
from tests.functional import test_save_races
from tests import occi_links

SG = INFRA + 'securitygroup'
SGL = INFRA + 'securitygrouplink'
ENTITY_TYPES = ('text/plain', 'text/occi', 'application/occi+json')

SSH = {'protocol': 'tcp', 'type': 'inbound', 'port': '22',
       'range': '0.0.0.0/0'}
WEB = {'protocol': 'tcp', 'type': 'inbound', 'port': '8000:8080',
       'range': '192.0.2.0/24'}


def render(body_type, kind, attributes):
    """An entity with array attributes: JSON text in the text renderings."""
    if body_type.endswith('json'):
        return base.render(body_type, kind, (), attributes)
    return base.render(body_type, kind, (), {
        name: json.dumps(value) if isinstance(value, list) else value
        for name, value in attributes.items()})


def rules_of(answer):
    rules = answer.attributes()['occi.securitygroup.rules']
    return rules if isinstance(rules, list) else json.loads(rules)


class SecurityGroupTest(test_network.NetworkTestBase):

    def group_url(self, group_id):
        return '%s/securitygroup/%s' % (self.occi_url, group_id)

    def neutron_group(self, group_id, expect=200):
        response = self.neutron('GET', '/security-groups/' + group_id,
                                expect=expect)
        return response.json().get('security_group')

    def make_group(self, rules, body_type='text/plain', title=None):
        title = title or 'ft-sg-%s' % uuid.uuid4().hex[:6]
        headers, data = render(body_type, SG, {
            'occi.core.title': title, 'occi.securitygroup.rules': rules})
        headers['Accept'] = body_type
        response = self.occi('POST', '/securitygroup/', headers=headers,
                             data=data)
        self.assertEqual(201, response.status_code, response.text)
        group_id = response.headers['Location'].rsplit('/', 1)[1]
        self.addCleanup(self.delete_group, group_id)
        return group_id

    def delete_group(self, group_id, timeout=60):
        """Delete a group once no port is in it.

        Nova deletes a server, and its ports, a moment after it answers.
        """
        deadline = time.monotonic() + timeout
        while self.neutron('DELETE', '/security-groups/' + group_id
                           ).status_code == 409:
            if time.monotonic() > deadline:
                self.fail('security group %s still in use' % group_id)
            time.sleep(0.5)

    def port_groups(self, server_id):
        return [sorted(p['security_groups'])
                for p in self.ports_of(server_id)]

    def test_groups_in_every_rendering_on_neutron(self):
        for body_type in ENTITY_TYPES:
            group_id = self.make_group([SSH, WEB], body_type)
            native = self.neutron_group(group_id)
            self.assertEqual(
                [('ingress', 'tcp', 22, 22), ('ingress', 'tcp', 8000, 8080)],
                sorted((r['direction'], r['protocol'], r['port_range_min'],
                        r['port_range_max'])
                       for r in native['security_group_rules']))
            for accept in ENTITY_TYPES:
                answer = self.answer(self.occi(
                    'GET', '/securitygroup/' + group_id,
                    headers={'Accept': accept}))
                self.assertEqual(200, answer.status, answer.response.text)
                self.assertCountEqual([SSH, WEB], rules_of(answer))
            # Back as it was read, less one rule.
            headers, data = render(body_type, SG, {
                'occi.securitygroup.rules': [SSH]})
            headers['Accept'] = 'application/occi+json'
            response = self.occi('PUT', '/securitygroup/' + group_id,
                                 headers=headers, data=data)
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual([('tcp', 22)], [
                (r['protocol'], r['port_range_min']) for r in
                self.neutron_group(group_id)['security_group_rules']])
            response = self.occi('DELETE', '/securitygroup/' + group_id)
            self.assertEqual(200, response.status_code, response.text)
            self.neutron_group(group_id, expect=404)
        listing = self.answer(self.occi('GET', '/securitygroup/', headers={
            'Accept': 'text/uri-list'}))
        default = [g for g in self.neutron('GET', '/security-groups?name='
                                           'default').json()[
            'security_groups']]
        self.assertIn(self.group_url(default[0]['id']), listing.locations())

    def test_bad_rules_are_400_and_leave_nothing(self):
        # Other tests of the project make groups meanwhile: these are told
        # apart by their title.
        title = 'ft-bad-%s' % uuid.uuid4().hex[:8]
        for body_type in ENTITY_TYPES:
            for rules in ([dict(SSH, protocol='tcpp')],
                          [dict(SSH, port='8080:8000')],
                          [dict(SSH, range='10.0.0.0/33')],
                          {'protocol': 'tcp'}):
                headers, data = render(body_type, SG, {
                    'occi.core.title': title,
                    'occi.securitygroup.rules': rules})
                headers['Accept'] = body_type
                response = self.occi('POST', '/securitygroup/',
                                     headers=headers, data=data)
                self.assertEqual(400, response.status_code,
                                 (body_type, rules, response.text))
                self.assertTrue(response.headers['Content-Type'].startswith(
                    body_type))
        self.assertEqual([], self.neutron(
            'GET', '/security-groups?name=%s' % title, expect=200).json()[
                'security_groups'])

    def test_link_a_compute_and_race_through_both_nodes(self):
        # The groups first: cleaned up after the compute.
        group_id = self.make_group([SSH])
        other_id = self.make_group([WEB])
        server_id = self.boot_on_private()
        [default] = self.port_groups(server_id)
        self.learn_flavor_names()

        def link(group, node):
            headers, data = base.render('text/plain', SGL, (), {
                'occi.core.source': '%s/compute/%s' % (self.occi_url,
                                                       server_id),
                'occi.core.target': self.group_url(group)})
            return lambda: self.occi('POST', '/securitygrouplink/',
                                     headers=headers, data=data, url=node)

        # One link twice at once, one per node: both answer it, once.
        answers = test_save_races.released_together(
            [link(group_id, node) for node in self.occi_nodes])
        self.assertEqual([201, 201], [a.status_code for a in answers],
                         [a.text for a in answers])
        self.assertEqual([sorted(default + [group_id])],
                         self.port_groups(server_id))
        # Two groups at once, one per node, linked then unlinked: neither
        # change is lost (each port change carries its revision).
        nodes = self.occi_nodes
        for _round in range(3):
            answers = test_save_races.released_together([
                link(other_id, nodes[0]), link(group_id, nodes[1])])
            self.assertEqual([201, 201], [a.status_code for a in answers])
            self.assertEqual([sorted(default + [group_id, other_id])],
                             self.port_groups(server_id))
            answers = test_save_races.released_together([
                lambda node=node, group=group: self.occi(
                    'DELETE', '/securitygrouplink/%s_%s' % (server_id,
                                                            group),
                    url=node)
                for node, group in zip(nodes, (other_id, group_id))])
            self.assertEqual([200, 200], [a.status_code for a in answers])
            self.assertEqual([default], self.port_groups(server_id))
        answers = test_save_races.released_together([
            link(other_id, nodes[0]), link(group_id, nodes[1])])
        self.assertEqual([201, 201], [a.status_code for a in answers])
        # Among the compute's links, at the cost of a read without them.
        compute = self.answer(self.occi('GET', '/compute/' + server_id))
        self.assertEqual('nova=1, glance=0, neutron=1',
                         compute.response.headers['X-OCCI-Backend-Calls'])
        targets = [link['target'] for link in occi_links.read_links([
            v for line in compute._all('Link')
            for v in occi_links.split_link_header(line)])]
        for group in (group_id, other_id):
            self.assertIn(self.group_url(group), targets)
        # Unlinked at once through both nodes: gone, once.
        link_id = '%s_%s' % (server_id, group_id)
        answers = test_save_races.released_together([
            lambda node=node: self.occi(
                'DELETE', '/securitygrouplink/' + link_id, url=node)
            for node in self.occi_nodes])
        self.assertIn(sorted(a.status_code for a in answers),
                      ([200, 200], [200, 404]))
        self.assertEqual([sorted(default + [other_id])],
                         self.port_groups(server_id))
        self.assertEqual(404, self.occi(
            'GET', '/securitygrouplink/' + link_id).status_code)
        # In use: Neutron's refusal, the group kept.
        response = self.occi('DELETE', '/securitygroup/' + other_id)
        self.assertEqual(409, response.status_code, response.text)
        self.neutron_group(other_id)

    def test_a_compute_created_in_a_group(self):
        group_id = self.make_group([SSH])
        headers, data = base.render(
            'text/plain', INFRA + 'compute',
            [base.OS + self.image_id, base.RES + self.flavor_term()],
            {'occi.core.title': 'sg-%s' % uuid.uuid4().hex[:6]})
        data += ('Link: <%s>; rel="%snetwork"; '
                 'category="%snetworkinterface"\n'
                 'Link: <%s>; rel="%s"; category="%s"\n'
                 % (self.network_url(self.private['id']), INFRA, INFRA,
                    self.group_url(group_id), SG, SGL))
        response = self.occi('POST', '/compute/', headers=headers,
                             data=data)
        self.assertEqual(201, response.status_code, response.text)
        server_id = response.headers['Location'].rsplit('/', 1)[1]
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % server_id)
        self.wait_server(server_id, 'ACTIVE')
        [groups] = self.port_groups(server_id)
        self.assertIn(group_id, groups)
        default = self.neutron('GET', '/security-groups?name=default'
                               ).json()['security_groups'][0]['id']
        self.assertIn(default, groups)
