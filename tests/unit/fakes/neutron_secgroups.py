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

"""Neutron's security groups and rules at the wire, with requests-mock.

:class:`FakeSecurityGroups` joins a :class:`tests.unit.fakes.neutron.
FakeNeutron` (same requests-mock, same tokens and call log) and answers
what Neutron's security group API answers, as the mini-cloud's Neutron
was seen to: a project's ``default`` group made at its first listing; two
egress rules in every new group; bulk rule creates that make all or none;
a group in use refused (409); ports with ``security_groups`` and a
``revision_number`` that ``If-Match: revision_number=`` checks (412).
"""

import json
import re
import urllib.parse
import uuid

from tests.unit.fakes import neutron as fake_neutron

_PORTED = ('tcp', 'udp', 'sctp', 'dccp', 'udplite')


def _rule(group, **fields):
    rule = {'id': str(uuid.uuid4()), 'security_group_id': group['id'],
            'project_id': group['project_id'], 'ethertype': 'IPv4',
            'protocol': None, 'port_range_min': None,
            'port_range_max': None, 'remote_ip_prefix': None,
            'remote_group_id': None, 'description': ''}
    rule.update(fields)
    return rule


class FakeSecurityGroups:
    """Security groups, rules and the ports' groups, in memory.

    :param neutron: the :class:`FakeNeutron` to join
    :param mocker: its requests-mock Mocker
    """

    def __init__(self, neutron, mocker):
        self.neutron = neutron
        self.groups = {}
        #: (method, 'security-groups' or 'security-group-rules' or
        #: 'ports') -> (status, message): the next such call is refused.
        self.refusals = {}
        #: Called with a port id before a port update is applied, as
        #: another client changing the port meanwhile.
        self.before_port_update = None
        neutron.security_groups = self
        mocker.add_matcher(self._match)

    # Seeding and helpers.

    def default(self, project_id):
        """The project's ``default`` group, made when first needed."""
        for group in self.groups.values():
            if group['project_id'] == project_id and \
                    group['name'] == 'default':
                return group
        group = self.add(project_id, 'default', egress=True)
        for ethertype in ('IPv4', 'IPv6'):
            group['security_group_rules'].append(_rule(
                group, direction='ingress', ethertype=ethertype,
                remote_group_id=group['id']))
        return group

    def add(self, project_id, name, egress=True, description=''):
        group = {'id': str(uuid.uuid4()), 'name': name,
                 'description': description, 'project_id': project_id,
                 'tenant_id': project_id, 'stateful': True,
                 'security_group_rules': []}
        if egress:
            for ethertype in ('IPv4', 'IPv6'):
                group['security_group_rules'].append(_rule(
                    group, direction='egress', ethertype=ethertype))
        self.groups[group['id']] = group
        return group

    def rules(self):
        return [rule for group in self.groups.values()
                for rule in group['security_group_rules']]

    def _complete_ports(self):
        """Give the fake Neutron's ports what real ports have."""
        for port in self.neutron.items['ports'].values():
            if 'security_groups' not in port:
                port['security_groups'] = (
                    [self.default(port['project_id'])['id']]
                    if port.get('device_owner', '').startswith('compute:')
                    or port.get('device_owner') == '' else [])
            port.setdefault('revision_number', 1)

    # The wire.

    def _match(self, request):
        if not request.url.startswith(fake_neutron.NEUTRON_URL):
            return None
        url = urllib.parse.urlsplit(request.url)
        path = url.path
        if path.startswith('/v2.0/ports'):
            self._complete_ports()
            found = re.match(r'^/v2\.0/ports/([^/]+)$', path)
            if request.method == 'PUT' and found:
                return self._port_update(request, found.group(1))
            return None
        found = re.match(
            r'^/v2\.0/(security-groups|security-group-rules)(?:/([^/]+))?$',
            path)
        if found is None:
            return None
        self.neutron.calls.append((request.method, path + (
            '?' + url.query if url.query else '')))
        project_id = self.neutron.tokens.get(
            request.headers.get('X-Auth-Token'))
        if project_id is None:
            return self._reply(request, 401, 'Unauthorized', 'no token')
        collection, item_id = found.groups()
        refusal = self.refusals.pop((request.method, collection), None)
        if refusal is not None:
            return self._reply(request, refusal[0], 'Refused', refusal[1])
        body = json.loads(request.body) if request.body else None
        query = urllib.parse.parse_qs(url.query)
        if collection == 'security-groups':
            return self._groups(request, item_id, body, query, project_id)
        return self._rules(request, item_id, body, project_id)

    def _reply(self, request, status, kind=None, message=None, body=None):
        if kind is not None:
            body = fake_neutron._error(kind, message)
        return fake_neutron.FakeNeutron._reply(request, status, body)

    def _visible(self, group_id, project_id):
        group = self.groups.get(group_id)
        if group is None or group['project_id'] != project_id:
            return None
        return group

    def _groups(self, request, group_id, body, query, project_id):
        method = request.method
        if group_id is None:
            if method == 'GET':
                self.default(project_id)
                found = [g for g in self.groups.values()
                         if g['project_id'] == project_id and all(
                             str(g.get(k)) in v for k, v in query.items()
                             if k not in ('limit', 'marker', 'fields'))]
                fields = query.get('fields')
                if fields:
                    found = [{k: g[k] for k in fields} for g in found]
                return self._reply(request, 200, body={
                    'security_groups': json.loads(json.dumps(found))})
            fields = body['security_group']
            if fields.get('name') == 'default':
                return self._reply(request, 409, 'SecurityGroupDefault',
                                   'Default security group already exists.')
            group = self.add(project_id, fields.get('name', ''),
                             description=fields.get('description', ''))
            return self._reply(request, 201, body={'security_group': group})
        group = self._visible(group_id, project_id)
        if group is None:
            return self._reply(request, 404, 'SecurityGroupNotFound',
                               'Security group %s does not exist'
                               % group_id)
        if method == 'GET':
            return self._reply(request, 200, body={'security_group': group})
        if method == 'PUT':
            group.update(body['security_group'])
            return self._reply(request, 200, body={'security_group': group})
        if method == 'DELETE':
            self._complete_ports()
            if group['name'] == 'default':
                return self._reply(request, 409, 'SecurityGroupCannotRemove'
                                   'Default', 'Removing default security '
                                   'group not allowed.')
            if any(group_id in p['security_groups']
                   for p in self.neutron.items['ports'].values()):
                return self._reply(request, 409, 'SecurityGroupInUse',
                                   'Security Group %s in use.' % group_id)
            del self.groups[group_id]
            return self._reply(request, 204)
        return self._reply(request, 405, 'HTTPMethodNotAllowed', method)

    def _rules(self, request, rule_id, body, project_id):
        if rule_id is not None:
            for group in self.groups.values():
                for rule in group['security_group_rules']:
                    if rule['id'] == rule_id and \
                            group['project_id'] == project_id:
                        if request.method != 'DELETE':
                            return self._reply(request, 200,
                                               body={'security_group_rule':
                                                     rule})
                        group['security_group_rules'].remove(rule)
                        return self._reply(request, 204)
            return self._reply(request, 404, 'SecurityGroupRuleNotFound',
                               'Security group rule %s does not exist'
                               % rule_id)
        made = []
        for fields in body['security_group_rules']:
            group = self._visible(fields.get('security_group_id'),
                                  project_id)
            if group is None:
                return self._reply(request, 404, 'SecurityGroupNotFound',
                                   'Security group %s does not exist'
                                   % fields.get('security_group_id'))
            if (fields.get('protocol') in _PORTED and
                    fields.get('port_range_min') is not None and
                    fields['port_range_min'] > fields['port_range_max']):
                return self._reply(request, 400,
                                   'SecurityGroupInvalidPortRange',
                                   'For TCP/UDP protocols, port_range_min '
                                   'must be <= port_range_max')
            rule = _rule(group, **fields)
            same = [r for r in group['security_group_rules'] + [
                m[1] for m in made if m[0] is group]
                if {k: v for k, v in r.items() if k != 'id'} ==
                {k: v for k, v in rule.items() if k != 'id'}]
            if same:
                return self._reply(request, 409, 'SecurityGroupRuleExists',
                                   'Security group rule already exists. '
                                   'Rule id is %s.' % same[0]['id'])
            made.append((group, rule))
        for group, rule in made:
            group['security_group_rules'].append(rule)
        return self._reply(request, 201, body={
            'security_group_rules': [rule for _group, rule in made]})

    def _port_update(self, request, port_id):
        fields = json.loads(request.body)['port']
        port = self.neutron.items['ports'].get(port_id)
        if port is None or 'security_groups' not in fields:
            return None
        url = urllib.parse.urlsplit(request.url)
        self.neutron.calls.append(('PUT', url.path))
        refusal = self.refusals.pop(('PUT', 'ports'), None)
        if refusal is not None:
            return self._reply(request, refusal[0], 'Refused', refusal[1])
        if self.before_port_update is not None:
            hook, self.before_port_update = self.before_port_update, None
            hook(port_id)
        wanted = request.headers.get('If-Match')
        if wanted and wanted != 'revision_number=%s' % port[
                'revision_number']:
            return self._reply(
                request, 412, 'RevisionNumberConstraintFailed',
                'Constrained to %s, but current revision is %s'
                % (wanted.partition('=')[2], port['revision_number']))
        project_id = self.neutron.tokens.get(
            request.headers.get('X-Auth-Token'))
        for group_id in fields['security_groups']:
            if self._visible(group_id, project_id) is None:
                return self._reply(request, 404, 'SecurityGroupNotFound',
                                   'Security group %s does not exist'
                                   % group_id)
        port['security_groups'] = list(fields['security_groups'])
        port['revision_number'] += 1
        return self._reply(request, 200, body={
            'port': self.neutron._public(port)})
