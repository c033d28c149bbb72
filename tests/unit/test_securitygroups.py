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

"""Security groups and securitygrouplinks, over Neutron faked at the wire.

Every rendering is used as request body and as answer; the rules travel
as a JSON array in JSON, as its JSON text in one quoted attribute value in
the text renderings, and what one rendering answers is sent back in
every other one. What is left in Neutron is checked, not only statuses.
"""

import json
import re

from tests import occi_links
from tests.unit import base
from tests.unit.client import INFRA
from tests.unit.client import ROOT

ENTITY_TYPES = ('text/plain', 'text/occi', 'application/occi+json')
SG = INFRA + 'securitygroup'
SGL = INFRA + 'securitygrouplink'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'

SSH = {'protocol': 'tcp', 'type': 'inbound', 'port': '22',
       'range': '0.0.0.0/0'}
WEB = {'protocol': 'tcp', 'type': 'inbound', 'port': '8000:8080',
       'range': '192.0.2.0/24'}
PING = {'protocol': 'icmp', 'type': 'inbound', 'range': '0.0.0.0/0'}

_ATTRIBUTE = re.compile(r'\s*([\w.]+)=("(?:[^"\\]|\\.)*"|[^,]*)\s*,?')


def _category(type_id, cls):
    scheme, _, term = type_id.partition('#')
    return '%s; scheme="%s#"; class="%s"' % (term, scheme, cls)


def render(body_type, kind=SG, attributes=None, source=None, target=None,
           links=()):
    """An entity as a client renders it: (headers, body).

    Array values are JSON text in one quoted value in the text renderings.

    :param links: (target location, target kind, link kind) triples
    """
    attributes = dict(attributes or {})
    if body_type.endswith('json'):
        entity = {'kind': kind, 'attributes': attributes}
        if source:
            entity['source'] = {'location': source}
        if target:
            entity['target'] = {'location': target}
        if links:
            entity['links'] = [{'kind': link_kind, 'target': {
                'location': where, 'kind': target_kind}}
                for where, target_kind, link_kind in links]
        return {'Content-Type': body_type}, json.dumps(entity).encode()
    if source:
        attributes['occi.core.source'] = source
    if target:
        attributes['occi.core.target'] = target
    lines = [('Category', _category(kind, 'kind'))]
    lines += [('X-OCCI-Attribute', '%s=%s' % (name, json.dumps(
        json.dumps(value) if isinstance(value, (list, dict)) else value)))
        for name, value in attributes.items()]
    lines += [('Link', '<%s>; rel="%s"; category="%s"'
               % (where, target_kind, link_kind))
              for where, target_kind, link_kind in links]
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi'}
        for name, value in lines:
            headers[name] = (headers[name] + ', ' + value
                             if name in headers else value)
        return headers, b''
    return ({'Content-Type': body_type},
            ''.join('%s: %s\n' % line for line in lines).encode())


def attributes(response):
    """Every attribute of an entity answer, as a client reads it."""
    if response.content_type.endswith('json'):
        body = response.json
        values = dict(body.get('attributes', {}))
        values.update({'occi.core.id': body.get('id'),
                       'occi.core.title': body.get('title')})
        return values
    if response.content_type == 'text/occi':
        text = ', '.join(response.headers.getall('X-OCCI-Attribute'))
    else:
        text = ', '.join(line.partition(':')[2] for line in
                         response.text.splitlines()
                         if line.startswith('X-OCCI-Attribute:'))
    values = {}
    for name, raw in _ATTRIBUTE.findall(text):
        values[name] = json.loads(raw)
    return values


def rules_of(response):
    """The rules a group answer renders: a list, in every rendering."""
    rules = attributes(response)['occi.securitygroup.rules']
    if not response.content_type.endswith('json'):
        # The text renderings: the list's JSON text.
        rules = json.loads(rules)
    return rules


def compute_links(response):
    """The links of a compute answer, in any rendering."""
    if response.content_type.endswith('json'):
        return [dict(link.get('attributes', {}), id=link['id'],
                     kind=link['kind'], target=link['target']['location'])
                for link in response.json.get('links', [])]
    if response.content_type == 'text/occi':
        values = [v for header in response.headers.getall('Link')
                  for v in occi_links.split_link_header(header)]
    else:
        values = [line.partition(':')[2] for line in
                  response.text.splitlines() if line.startswith('Link:')]
    return occi_links.read_links(values)


def calls(response):
    return dict(item.split('=') for item in response.headers[
        'X-OCCI-Backend-Calls'].split(', '))


class SecurityGroupTestBase(base.FilterTestCase):

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(base.NetworkedCloud(
            header_budget='16384'))
        self.occi = self.cloud.occi
        self.context = self.cloud.demo
        self.neutron = self.cloud.neutron
        self.groups = self.cloud.security_groups
        self.nova = self.cloud.nova

    def group_url(self, group_id):
        return '%s/securitygroup/%s' % (ROOT, group_id)

    def create(self, body_type, rules=None, title='web', accept=None,
               **more):
        values = {'occi.core.title': title}
        if rules is not None:
            values['occi.securitygroup.rules'] = rules
        values.update(more)
        headers, body = render(body_type, attributes=values)
        return self.call('/securitygroup/', 'POST', accept or body_type,
                         body, headers)

    def created_id(self, response):
        self.assertEqual(201, response.status_int, response.text)
        location = response.headers['Location']
        self.assertTrue(location.startswith(ROOT + '/securitygroup/'))
        return location.rsplit('/', 1)[1]

    def neutron_rules(self, group_id):
        """The group's rules in Neutron, as comparable tuples."""
        return sorted((r['direction'], r['ethertype'], r['protocol'],
                       r['port_range_min'], r['port_range_max'],
                       r['remote_ip_prefix'])
                      for r in self.groups.groups[group_id][
                          'security_group_rules'])

    def project_groups(self):
        return sorted(g['name'] for g in self.groups.groups.values()
                      if g['project_id'] == 'demo-project')


class QueryInterfaceTest(SecurityGroupTestBase):

    def test_both_kinds_are_listed_with_their_attributes(self):
        for accept in ENTITY_TYPES:
            response = self.call('/-/', accept=accept)
            self.assertEqual(200, response.status_int)
            text = response.text + ' '.join(
                v for _n, v in response.headerlist)
            for term in ('securitygroup', 'securitygrouplink'):
                self.assertIn(term, text, accept)
            self.assertIn('occi.securitygroup.rules', text, accept)
            self.assertIn('occi.securitygrouplink.state', text, accept)
        kinds = {k['term']: k for k in self.call(
            '/-/', accept='application/occi+json').json['kinds']}
        group = kinds['securitygroup']
        self.assertEqual('http://schemas.ogf.org/occi/core#resource',
                         group['parent'])
        self.assertEqual(ROOT + '/securitygroup/', group['location'])
        rules = group['attributes']['occi.securitygroup.rules']
        self.assertEqual('array', rules['type'])
        self.assertTrue(rules['mutable'])
        self.assertFalse(group['attributes']['occi.securitygroup.state'][
            'mutable'])
        self.assertEqual('http://schemas.ogf.org/occi/core#link',
                         kinds['securitygrouplink']['parent'])


class SecurityGroupTest(SecurityGroupTestBase):

    def test_the_default_group_is_listed_in_one_call(self):
        for accept in ENTITY_TYPES + ('text/uri-list',):
            del self.neutron.calls[:]
            response = self.call('/securitygroup/', accept=accept)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual('1', calls(response)['neutron'], accept)
            default = self.groups.default('demo-project')
            self.assertIn(self.group_url(default['id']), response.text +
                          str(response.headers), accept)
        # Locations only: Neutron is asked for ids only.
        self.assertIn('fields=id', self.neutron.calls[-1][1])
        answer = self.call('/securitygroup/',
                           accept='application/occi+json').json
        [default] = answer['resources']
        self.assertEqual('default', default['title'])
        rules = default['attributes']['occi.securitygroup.rules']
        self.assertIn({'protocol': 'any', 'type': 'outbound',
                       'range': '0.0.0.0/0'}, rules)
        self.assertIn({'protocol': 'any', 'type': 'inbound',
                       'range': '::/0', 'group': self.group_url(
                           default['id'])}, rules)

    def test_another_projects_groups_are_not_seen(self):
        other = self.groups.add('alt-project', 'theirs')
        listing = self.call('/securitygroup/', accept='text/uri-list')
        self.assertNotIn(other['id'], listing.text)
        response = self.call('/securitygroup/' + other['id'])
        self.assertEqual(404, response.status_int)

    def test_create_and_read_back_in_every_rendering(self):
        for body_type in ENTITY_TYPES:
            response = self.create(body_type, [SSH, WEB, PING])
            group_id = self.created_id(response)
            # The group, the rules in one bulk call, Neutron's two default
            # egress rules deleted: the group has exactly the rules given.
            # JSON renders the new group: one read more.
            self.assertEqual('5' if body_type.endswith('json') else '4',
                             calls(response)['neutron'])
            self.assertEqual([
                ('ingress', 'IPv4', 'icmp', None, None, None),
                ('ingress', 'IPv4', 'tcp', 22, 22, None),
                ('ingress', 'IPv4', 'tcp', 8000, 8080, '192.0.2.0/24'),
            ], self.neutron_rules(group_id), body_type)
            for accept in ENTITY_TYPES:
                answer = self.call('/securitygroup/' + group_id,
                                   accept=accept)
                self.assertEqual(200, answer.status_int, answer.text)
                self.assertEqual('1', calls(answer)['neutron'])
                self.assertEqual('web', attributes(answer)[
                    'occi.core.title'])
                self.assertEqual('active', attributes(answer)[
                    'occi.securitygroup.state'])
                self.assertCountEqual([SSH, WEB, PING], rules_of(answer),
                                      (body_type, accept))

    def test_what_one_rendering_answers_every_other_takes_back(self):
        group_id = self.created_id(self.create('text/plain', [SSH]))
        for answer_type in ENTITY_TYPES:
            answer = self.call('/securitygroup/' + group_id,
                               accept=answer_type)
            rules = rules_of(answer) + [WEB]
            for body_type in ENTITY_TYPES:
                headers, body = render(body_type, attributes={
                    'occi.securitygroup.rules': rules})
                response = self.call('/securitygroup/' + group_id, 'PUT',
                                     body_type, body, headers)
                self.assertEqual(200, response.status_int, response.text)
                self.assertCountEqual([SSH, WEB], rules_of(response),
                                      (answer_type, body_type))
                # Sent as read: nothing to change.
                headers, body = render(body_type, attributes={
                    'occi.securitygroup.rules': rules_of(response)})
                del self.neutron.calls[:]
                response = self.call('/securitygroup/' + group_id, 'POST',
                                     body_type, body, headers)
                self.assertEqual(200, response.status_int, response.text)
                changes = [c for c in self.neutron.calls
                           if c[0] != 'GET']
                self.assertEqual([], changes)

    def test_a_create_without_rules_keeps_neutrons_defaults(self):
        group_id = self.created_id(self.create('text/plain'))
        self.assertEqual([('egress', 'IPv4', None, None, None, None),
                          ('egress', 'IPv6', None, None, None, None)],
                         self.neutron_rules(group_id))

    def test_an_update_adds_and_removes_rules_and_renames(self):
        group_id = self.created_id(self.create('text/plain', [SSH, PING]))
        before = {r['id'] for r in self.groups.groups[group_id][
            'security_group_rules'] if r['protocol'] == 'tcp'}
        for body_type in ENTITY_TYPES:
            headers, body = render(body_type, attributes={
                'occi.core.title': 'renamed-' + body_type,
                'occi.securitygroup.rules': [SSH, WEB]})
            response = self.call('/securitygroup/' + group_id, 'POST',
                                 body_type, body, headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual('renamed-' + body_type,
                             self.groups.groups[group_id]['name'])
            self.assertCountEqual([SSH, WEB], rules_of(response))
        # The rule kept is the same Neutron rule, not made again.
        self.assertTrue(before <= {
            r['id'] for r in self.groups.groups[group_id][
                'security_group_rules']})
        # Without the rules attribute, the rules stay.
        headers, body = render('text/plain', attributes={
            'occi.core.title': 'again'})
        response = self.call('/securitygroup/' + group_id, 'POST',
                             'text/plain', body, headers)
        self.assertEqual(200, response.status_int, response.text)
        self.assertCountEqual([SSH, WEB], rules_of(response))

    def test_delete_and_in_use(self):
        group_id = self.created_id(self.create('text/plain', [SSH]))
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        self.groups._complete_ports()
        port['security_groups'].append(group_id)
        response = self.call('/securitygroup/' + group_id, 'DELETE')
        self.assertEqual(409, response.status_int, response.text)
        self.assertIn('in use', response.text)
        port['security_groups'].remove(group_id)
        response = self.call('/securitygroup/' + group_id, 'DELETE')
        self.assertEqual(200, response.status_int, response.text)
        self.assertNotIn(group_id, self.groups.groups)
        self.assertEqual(404, self.call('/securitygroup/' + group_id,
                                        'DELETE').status_int)

    def test_paging_and_filters(self):
        for name in ('a', 'b', 'c'):
            self.created_id(self.create('text/plain', [SSH], title=name))
        page = self.call('/securitygroup/?page=2&number=2',
                         accept='application/occi+json')
        self.assertEqual(200, page.status_int, page.text)
        first = self.call('/securitygroup/?page=1&number=2',
                          accept='application/occi+json')
        everything = self.call('/securitygroup/',
                               accept='application/occi+json')
        self.assertEqual(
            [r['id'] for r in everything.json['resources']],
            [r['id'] for r in first.json['resources'] +
             page.json['resources']])
        headers, body = render('text/plain', attributes={
            'occi.core.title': 'b'})
        found = self.call('/securitygroup/', 'GET', 'text/uri-list', body,
                          headers)
        self.assertEqual(200, found.status_int, found.text)
        self.assertEqual(1, len(found.text.split()))


class BadInputTest(SecurityGroupTestBase):

    BAD = [
        ('unknown protocol', [dict(SSH, protocol='tcpp')],
         'unknown protocol'),
        ('port range backwards', [dict(SSH, port='8080:8000')],
         'backwards'),
        ('port out of range', [dict(SSH, port='70000')], '65535'),
        ('bad CIDR', [dict(SSH, range='10.0.0.300/24')], 'not a CIDR'),
        ('bad type', [dict(SSH, type='sideways')],
         'inbound or outbound'),
        ('port on gre', [dict(SSH, protocol='gre')], 'has none'),
        ('unknown key', [dict(SSH, ports='22')], 'unknown key'),
        ('rule not an object', ['tcp/22'], 'is an object'),
        ('rules not a list', {'protocol': 'tcp'}, 'array'),
        ('rules a plain string', 'tcp 22', 'array'),
    ]

    def test_each_is_a_clear_400_in_the_clients_rendering(self):
        before = self.project_groups()
        rules_before = len(self.groups.rules())
        for body_type in ENTITY_TYPES:
            for what, rules, said in self.BAD:
                response = self.create(body_type, [SSH] + rules
                                       if isinstance(rules, list)
                                       else rules)
                self.assertEqual(400, response.status_int,
                                 (body_type, what, response.text))
                self.assertIn(said, response.text + str(response.headers),
                              (body_type, what))
                self.assertTrue(response.content_type.startswith(
                    body_type), (body_type, response.content_type))
        # Nothing was made in Neutron, not even a group without its rules.
        self.assertEqual(before, self.project_groups())
        self.assertEqual(rules_before, len(self.groups.rules()))

    def test_a_bad_update_changes_nothing(self):
        group_id = self.created_id(self.create('text/plain', [SSH]))
        rules = self.neutron_rules(group_id)
        for body_type in ENTITY_TYPES:
            for what, bad, _said in self.BAD:
                headers, body = render(body_type, attributes={
                    'occi.securitygroup.rules': [WEB] + bad
                    if isinstance(bad, list) else bad})
                response = self.call('/securitygroup/' + group_id, 'POST',
                                     body_type, body, headers)
                self.assertEqual(400, response.status_int,
                                 (body_type, what, response.text))
        self.assertEqual(rules, self.neutron_rules(group_id))

    def test_a_create_refused_half_way_leaves_no_group(self):
        before = self.project_groups()
        rules_before = len(self.groups.rules())
        self.groups.refusals[('POST', 'security-group-rules')] = (
            409, "Quota exceeded for resources: ['security_group_rule'].")
        response = self.create('application/occi+json', [SSH, WEB])
        self.assertEqual(409, response.status_int, response.text)
        self.assertIn('Quota exceeded', response.text)
        self.assertEqual(before, self.project_groups())
        self.assertEqual(rules_before, len(self.groups.rules()))
        # Refused after the rules were made: they go with the group.
        self.groups.refusals[('DELETE', 'security-group-rules')] = (
            500, 'the database went away')
        response = self.create('text/plain', [SSH, WEB])
        self.assertEqual(502, response.status_int, response.text)
        self.assertEqual(before, self.project_groups())
        self.assertEqual(rules_before, len(self.groups.rules()))


class LinkTestBase(SecurityGroupTestBase):

    def setUp(self):
        super().setUp()
        self.group_id = self.created_id(self.create('text/plain', [SSH]))
        self.default_id = self.groups.default('demo-project')['id']

    def compute_url(self, server_id):
        return '%s/compute/%s' % (ROOT, server_id)

    def link(self, server_id, group_id, body_type='text/plain',
             accept=None):
        headers, body = render(body_type, SGL,
                               source=self.compute_url(server_id),
                               target=self.group_url(group_id))
        return self.call('/securitygrouplink/', 'POST', accept or body_type,
                         body, headers)

    def groups_of(self, server_id):
        self.groups._complete_ports()
        return [port['security_groups']
                for port in self.cloud.ports_of(server_id)]


class LinkTest(LinkTestBase):

    def test_link_read_and_unlink_in_every_rendering(self):
        other = self.neutron.add_network('demo-project', 'second',
                                         '10.5.0.0/24')
        for body_type in ENTITY_TYPES:
            server = self.cloud.boot(networks=[self.cloud.private, other])
            response = self.link(server['id'], self.group_id, body_type)
            self.assertEqual(201, response.status_int, response.text)
            link_id = '%s_%s' % (server['id'], self.group_id)
            self.assertEqual(ROOT + '/securitygrouplink/' + link_id,
                             response.headers['Location'])
            # Every port of the compute is in the group, default kept.
            self.assertEqual([[self.default_id, self.group_id]] * 2,
                             self.groups_of(server['id']))
            for accept in ENTITY_TYPES:
                answer = self.call('/securitygrouplink/' + link_id,
                                   accept=accept)
                self.assertEqual(200, answer.status_int, answer.text)
                self.assertEqual('1', calls(answer)['neutron'])
                values = attributes(answer)
                self.assertEqual('active', values[
                    'occi.securitygrouplink.state'])
                if not accept.endswith('json'):
                    self.assertEqual(self.group_url(self.group_id),
                                     values['occi.core.target'])
                    self.assertEqual(self.compute_url(server['id']),
                                     values['occi.core.source'])
                else:
                    self.assertEqual(self.group_url(self.group_id),
                                     answer.json['target']['location'])
                # Among the compute's links, at no extra cost.
                compute = self.call('/compute/' + server['id'],
                                    accept=accept)
                self.assertEqual(200, compute.status_int, compute.text)
                self.assertEqual('1', calls(compute)['neutron'])
                found = [link for link in compute_links(compute)
                         if '/securitygroup/' in link['target']]
                self.assertEqual(
                    sorted([self.group_url(self.default_id),
                            self.group_url(self.group_id)]),
                    sorted(link['target'] for link in found), accept)
            response = self.call('/securitygrouplink/' + link_id, 'DELETE')
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual([[self.default_id]] * 2,
                             self.groups_of(server['id']))
            self.assertEqual(404, self.call(
                '/securitygrouplink/' + link_id).status_int)
            self.assertEqual(404, self.call(
                '/securitygrouplink/' + link_id, 'DELETE').status_int)

    def test_the_collection_lists_every_link(self):
        server = self.cloud.boot()
        self.assertEqual(201, self.link(server['id'],
                                        self.group_id).status_int)
        response = self.call('/securitygrouplink/', accept='text/uri-list')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('1', calls(response)['neutron'])
        for group_id in (self.default_id, self.group_id):
            self.assertIn('%s/securitygrouplink/%s_%s' % (
                ROOT, server['id'], group_id), response.text)
        headers, body = render('text/plain', SGL,
                               target=self.group_url(self.group_id))
        found = self.call('/securitygrouplink/', 'GET', 'text/uri-list',
                          body, headers)
        self.assertEqual(['%s/securitygrouplink/%s_%s' % (
            ROOT, server['id'], self.group_id)], found.text.split())

    def test_linking_twice_is_the_same_link(self):
        server = self.cloud.boot()
        for _ in range(2):
            response = self.link(server['id'], self.group_id)
            self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([[self.default_id, self.group_id]],
                         self.groups_of(server['id']))

    def test_a_change_made_meanwhile_is_not_undone(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        third = self.created_id(self.create('text/plain', [WEB], 'third'))

        def meanwhile(port_id):
            # Another node puts the port in a third group first.
            port = self.neutron.items['ports'][port_id]
            port['security_groups'] = port['security_groups'] + [third]
            port['revision_number'] += 1
        self.groups.before_port_update = meanwhile
        response = self.link(server['id'], self.group_id)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([[self.default_id, third, self.group_id]],
                         self.groups_of(server['id']))

    def test_a_port_lock_left_by_a_dead_process_is_taken_over(self):
        server = self.cloud.boot()
        [port] = self.cloud.ports_of(server['id'])
        # The claims the filter keeps (in memory here: no database).
        store = self.occi.backend.saves.gate.store
        store.take(port['id'], 'gone-host:1:x', 'secgroups', -1)
        response = self.link(server['id'], self.group_id)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual([[self.default_id, self.group_id]],
                         self.groups_of(server['id']))
        # The lock is released once the change is made.
        self.assertIsNone(store.get(port['id']))

    def test_bad_links_are_refused(self):
        server = self.cloud.boot()
        missing = '00000000-0000-0000-0000-000000000000'
        theirs = self.groups.add('alt-project', 'theirs')['id']
        for body_type in ENTITY_TYPES:
            for group_id in (missing, theirs):
                response = self.link(server['id'], group_id, body_type)
                self.assertEqual(400, response.status_int, response.text)
                self.assertIn('does not exist', response.text +
                              str(response.headers))
            response = self.link(missing, self.group_id, body_type)
            self.assertEqual(404, response.status_int, response.text)
        bare = self.nova.add_server(name='no-ports')
        response = self.link(bare['id'], self.group_id)
        self.assertEqual(409, response.status_int, response.text)
        self.assertEqual([[self.default_id]], self.groups_of(server['id']))
        for link_id in ('nonsense', 'a_b', '%s_%s' % (server['id'], theirs)):
            self.assertEqual(404, self.call(
                '/securitygrouplink/' + link_id).status_int, link_id)


class ComputeCreateTest(LinkTestBase):

    def boot(self, body_type, group_ids, networks=True):
        links = [('%s/network/%s' % (ROOT, self.cloud.private['id']),
                  INFRA + 'network', INFRA + 'networkinterface')] \
            if networks else []
        links += [(self.group_url(g), SG, SGL) for g in group_ids]
        headers, body = render(body_type, INFRA + 'compute', {
            'occi.core.title': 'guarded'}, links=links)
        if body_type.endswith('json'):
            entity = json.loads(body)
            entity['mixins'] = [OS + 'image-1', RES + '1']
            body = json.dumps(entity).encode()
        elif body_type == 'text/occi':
            headers['Category'] += ', ' + ', '.join(
                _category(m, 'mixin') for m in (OS + 'image-1', RES + '1'))
        else:
            body += ''.join('Category: %s\n' % _category(m, 'mixin')
                            for m in (OS + 'image-1', RES + '1')).encode()
        return self.call('/compute/', 'POST', body_type, body, headers)

    def test_a_create_boots_in_the_linked_groups_and_default(self):
        for body_type in ENTITY_TYPES:
            response = self.boot(body_type, [self.group_id])
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual(
                [{'name': self.group_id}, {'name': 'default'}],
                self.nova.created[-1]['security_groups'])
            server_id = response.headers['Location'].rsplit('/', 1)[1]
            self.assertEqual([[self.group_id, self.default_id]],
                             self.groups_of(server_id))
            compute = self.call('/compute/' + server_id, accept=body_type)
            self.assertIn(self.group_url(self.group_id), [
                link['target'] for link in compute_links(compute)])

    def test_a_public_port_made_here_is_placed_too(self):
        response = self.boot('text/plain', [self.group_id], networks=False)
        self.assertEqual(201, response.status_int, response.text)
        headers, body = render('text/plain', INFRA + 'compute', links=[(
            '%s/network/%s' % (ROOT, self.cloud.public['id']),
            INFRA + 'network', INFRA + 'networkinterface'), (
            self.group_url(self.group_id), SG, SGL)])
        body += ''.join('Category: %s\n' % _category(m, 'mixin')
                        for m in (OS + 'image-1', RES + '1')).encode()
        response = self.call('/compute/', 'POST', 'text/plain', body,
                             headers)
        self.assertEqual(201, response.status_int, response.text)
        server_id = response.headers['Location'].rsplit('/', 1)[1]
        self.assertEqual([[self.group_id, self.default_id]],
                         self.groups_of(server_id))

    def test_a_link_to_a_group_that_is_not_there_boots_nothing(self):
        servers = len(self.nova.servers)
        ports = len(self.neutron.items['ports'])
        for body_type in ENTITY_TYPES:
            response = self.boot(body_type, [
                '00000000-0000-0000-0000-000000000000'])
            self.assertEqual(400, response.status_int, response.text)
        self.assertEqual(servers, len(self.nova.servers))
        self.assertEqual(ports, len(self.neutron.items['ports']))
