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

"""Neutron's networking API v2.0 at the wire, with requests-mock.

:class:`FakeNeutron` answers the calls ooi-save makes from memory, with
Neutron's shapes and error bodies, and with Neutron's visibility rules: a
token sees its project's resources, plus shared and external networks (and
their subnets). :class:`tests.unit.fakes.networked_nova.NetworkedNova` is
the fake Nova that makes and deletes ports on it.
"""

import copy
import ipaddress
import json
import re
import urllib.parse
import uuid

import requests
import requests_mock

from tests.unit.fakes import nova

NEUTRON_URL = 'http://neutron.test:9696'

_COLLECTIONS = {'networks': 'network', 'subnets': 'subnet',
                'ports': 'port', 'floatingips': 'floatingip',
                'routers': 'router'}

_clock = iter(range(10 ** 9))


def _now():
    return '2026-12-01T00:%02d:%02dZ' % divmod(next(_clock) % 3600, 60)


def context(project_id='demo-project', token='demo-token', **kwargs):
    """A nova.context whose catalog has Neutron as well as Glance."""
    ctx = nova.Context(project_id=project_id, auth_token=token, **kwargs)
    ctx.service_catalog = ctx.service_catalog + [{
        'type': 'network', 'name': 'neutron',
        'endpoints': [{'publicURL': NEUTRON_URL, 'region': 'RegionOne'}]}]
    return ctx


class FakeNeutron:
    """Networks, subnets, ports, routers and floating IPs in memory.

    :param mocker: a requests-mock Mocker (the fixture's ``mock``)
    :param tokens: token -> project id
    """

    def __init__(self, mocker, tokens):
        self.tokens = dict(tokens)
        self.items = {name: {} for name in _COLLECTIONS}
        self.calls = []
        #: Set to make every call fail as an unreachable Neutron does.
        self.down = False
        #: Floating IPs a project may hold.
        self.floatingip_quota = 50
        #: (method, collection or router verb) -> (status, message): the
        #: next such call is refused so.
        self.refusals = {}
        #: item id -> [reads, action]: after that many reads of the item
        #: the action runs, as a change another service makes meanwhile.
        self.after_reads = {}
        mocker.add_matcher(self._match)

    # Seeding.

    def add(self, collection, project_id, **fields):
        item = {'id': str(uuid.uuid4()), 'project_id': project_id,
                'tenant_id': project_id, 'created_at': _now(),
                'description': '', 'revision_number': 0}
        item.update(fields)
        self.items[collection][item['id']] = item
        return item

    def add_network(self, project_id, name, cidr=None, shared=False,
                    external=False, dhcp=True):
        network = self.add('networks', project_id, name=name,
                           status='ACTIVE', admin_state_up=True,
                           shared=shared, subnets=[],
                           **{'router:external': external})
        if cidr:
            self._subnet(project_id, network, cidr, dhcp=dhcp)
        return network

    def add_router(self, project_id, external_network, subnet=None):
        router = self.add('routers', project_id, name='router',
                          status='ACTIVE', external_gateway_info={
                              'network_id': external_network['id']})
        if subnet is not None:
            self._plug(router, subnet)
        return router

    def _subnet(self, project_id, network, cidr, gateway=None, dhcp=True,
                name=''):
        net = ipaddress.ip_network(cidr)
        subnet = self.add('subnets', project_id, name=name,
                          network_id=network['id'], cidr=str(net),
                          ip_version=net.version, enable_dhcp=dhcp,
                          gateway_ip=gateway or str(next(net.hosts())),
                          next_host=2)
        network['subnets'].append(subnet['id'])
        return subnet

    def _plug(self, router, subnet):
        self.add('ports', router['project_id'],
                 network_id=subnet['network_id'],
                 device_owner='network:router_interface',
                 device_id=router['id'], mac_address=self._mac(),
                 status='ACTIVE', fixed_ips=[{
                     'subnet_id': subnet['id'],
                     'ip_address': subnet['gateway_ip']}])

    @staticmethod
    def _mac():
        return 'fa:16:3e:%02x:%02x:%02x' % tuple(uuid.uuid4().bytes[:3])

    def _address(self, subnet):
        net = ipaddress.ip_network(subnet['cidr'])
        index = subnet['next_host']
        if index >= net.num_addresses - 1:
            return None
        subnet['next_host'] += 1
        return str(net.network_address + index)

    def make_port(self, project_id, network_id, **fields):
        """A port as Neutron makes it, with an address from its subnet.

        :returns: the port, or an error body (status, dict)
        """
        network = self.items['networks'][network_id]
        fixed_ips = []
        subnets = [self.items['subnets'][s] for s in network['subnets']]
        wanted = fields.pop('fixed_ips', None)
        for subnet in subnets[:1]:
            address = (wanted[0]['ip_address'] if wanted else
                       self._address(subnet))
            if address is None:
                return 409, _error(
                    'IpAddressGenerationFailure',
                    'No more IP addresses available on network %s.'
                    % network_id)
            fixed_ips.append({'subnet_id': subnet['id'],
                              'ip_address': address})
        fields.setdefault('device_id', '')
        fields.setdefault('device_owner', '')
        return self.add('ports', project_id, network_id=network_id,
                        mac_address=self._mac(), status='ACTIVE',
                        fixed_ips=fixed_ips, name='', **fields)

    # Visibility.

    def visible(self, collection, item, project_id):
        if item.get('project_id') == project_id:
            return True
        if collection == 'networks':
            return bool(item.get('shared') or item.get('router:external'))
        if collection == 'subnets':
            network = self.items['networks'].get(item['network_id'])
            return bool(network and self.visible('networks', network,
                                                 project_id))
        return False

    # The wire.

    def _match(self, request):
        if not request.url.startswith(NEUTRON_URL):
            return None
        url = urllib.parse.urlsplit(request.url)
        self.calls.append((request.method, url.path + (
            '?' + url.query if url.query else '')))
        if self.down:
            raise requests.exceptions.ConnectionError(
                'Connection refused: %s' % NEUTRON_URL)
        project_id = self.tokens.get(request.headers.get('X-Auth-Token'))
        if project_id is None:
            return self._reply(request, 401, _error(
                'Unauthorized', 'Authentication required'))
        body = json.loads(request.body) if request.body else None
        #: The If-Match of the call (Neutron's revision-if-match).
        self.if_match = request.headers.get('If-Match')
        status, answer = self._route(request.method, url.path,
                                     urllib.parse.parse_qs(url.query),
                                     body, project_id)
        return self._reply(request, status, answer)

    @staticmethod
    def _reply(request, status, body):
        return requests_mock.create_response(
            request, status_code=status,
            json=body if body is not None else None,
            headers={'X-OpenStack-Request-ID': 'req-neutron-fake'})

    def _route(self, method, path, query, body, project_id):
        match = re.match(r'^/v2\.0/(\w+)(?:/([^/]+))?(?:/(\w+))?$', path)
        if not match or match.group(1) not in _COLLECTIONS:
            return 404, _error('HTTPNotFound', 'No such resource')
        collection, item_id, verb = match.groups()
        single = _COLLECTIONS[collection]
        refusal = self.refusals.pop((method, verb or collection), None)
        if refusal is not None:
            return refusal[0], _error('Refused', refusal[1])
        if item_id is None:
            if method == 'GET':
                return 200, {collection: self._list(collection, query,
                                                    project_id)}
            if method == 'POST':
                return self._create(collection, body[single], project_id)
            return 405, _error('HTTPMethodNotAllowed', method)
        if method == 'GET' and item_id in self.after_reads:
            pending = self.after_reads[item_id]
            pending[0] -= 1
            if pending[0] <= 0:
                del self.after_reads[item_id]
                pending[1]()
        item = self.items[collection].get(item_id)
        if item is None or not self.visible(collection, item, project_id):
            return 404, _error('%sNotFound' % single.capitalize(),
                               '%s %s could not be found.'
                               % (single.capitalize(), item_id))
        if verb:
            return self._router_verb(item, verb, body, project_id)
        if method == 'GET':
            return 200, {single: self._public(item)}
        if item.get('project_id') != project_id:
            return 403, _error('PolicyNotAuthorized',
                               'Not allowed on %s %s' % (single, item_id))
        if method == 'PUT':
            wanted = (self.if_match or '').partition('revision_number=')[2]
            if wanted and int(wanted) != item['revision_number']:
                return 412, _error(
                    'RevisionNumberConstraintFailed',
                    'Constrained to %s, but current revision is %s'
                    % (wanted, item['revision_number']))
            item.update(body[single])
            item['revision_number'] += 1
            if collection == 'floatingips':
                self._associated(item)
            return 200, {single: self._public(item)}
        if method == 'DELETE':
            if collection == 'ports' and (item.get('device_owner') or '') \
                    .startswith('compute:'):
                # Neutron's policy since 2025.1: a project's member may not
                # delete a port a compute holds.
                return 403, _error('PolicyNotAuthorized',
                                   'rule:delete_port is disallowed by '
                                   'policy')
            return self._delete(collection, item)
        return 405, _error('HTTPMethodNotAllowed', method)

    def _associated(self, floating_ip):
        """A floating IP (dis)associated: its fixed IP and status."""
        port = self.items['ports'].get(floating_ip.get('port_id'))
        floating_ip.update(
            fixed_ip_address=port and port['fixed_ips'][0]['ip_address'],
            status='ACTIVE' if port else 'DOWN')

    def _public(self, item):
        found = {k: v for k, v in copy.deepcopy(item).items()
                 if k != 'next_host'}
        if 'floating_ip_address' in item:
            # Neutron's fip-port-details extension.
            port = self.items['ports'].get(item.get('port_id'))
            found['port_details'] = port and {
                'device_id': port['device_id'],
                'device_owner': port['device_owner'],
                'network_id': port['network_id'],
                'mac_address': port['mac_address'],
                'status': port['status']}
        return found

    def _list(self, collection, query, project_id):
        found = []
        for item in self.items[collection].values():
            if not self.visible(collection, item, project_id):
                continue
            if all(str(item.get(key)) in values
                   for key, values in query.items()
                   if key not in ('limit', 'marker', 'fields')):
                found.append(self._public(item))
        if query.get('fields'):
            # Neutron answers only the fields asked for.
            found = [{k: v for k, v in item.items() if k in query['fields']}
                     for item in found]
        return found

    def _create(self, collection, fields, project_id):
        if collection == 'networks':
            network = self.add('networks', project_id, status='ACTIVE',
                               admin_state_up=True, shared=False,
                               subnets=[], **{'router:external': False})
            network.update(fields)
            return 201, {'network': self._public(network)}
        if collection == 'subnets':
            network = self.items['networks'].get(fields['network_id'])
            if network is None or network['project_id'] != project_id:
                return 404, _error('NetworkNotFound', 'Network %s could '
                                   'not be found.' % fields['network_id'])
            for other in network['subnets']:
                if ipaddress.ip_network(fields['cidr']).overlaps(
                        ipaddress.ip_network(
                            self.items['subnets'][other]['cidr'])):
                    return 400, _error('InvalidInput', 'overlapping CIDR')
            subnet = self._subnet(
                project_id, network, fields['cidr'],
                gateway=fields.get('gateway_ip'),
                dhcp=fields.get('enable_dhcp', True),
                name=fields.get('name', ''))
            return 201, {'subnet': self._public(subnet)}
        if collection == 'ports':
            fields = dict(fields)
            network_id = fields.pop('network_id')
            port = self.make_port(project_id, network_id, **fields)
            if isinstance(port, tuple):
                return port
            return 201, {'port': self._public(port)}
        if collection == 'floatingips':
            return self._floating_ip(fields, project_id)
        return 400, _error('BadRequest', 'cannot create %s' % collection)

    def _floating_ip(self, fields, project_id):
        network = self.items['networks'].get(fields['floating_network_id'])
        if network is None or not network.get('router:external'):
            return 404, _error('NetworkNotFound', 'External network %s '
                               'could not be found.'
                               % fields['floating_network_id'])
        held = [f for f in self.items['floatingips'].values()
                if f['project_id'] == project_id]
        if len(held) >= self.floatingip_quota:
            return 409, _error('OverQuota', 'Quota exceeded for resources: '
                               "['floatingip'].")
        port = self.items['ports'].get(fields.get('port_id'))
        if port is not None:
            subnet_id = port['fixed_ips'][0]['subnet_id']
            routed = [p for p in self.items['ports'].values()
                      if p['device_owner'] == 'network:router_interface'
                      and p['fixed_ips'][0]['subnet_id'] == subnet_id and
                      self.items['routers'][p['device_id']][
                          'external_gateway_info']['network_id'] ==
                      network['id']]
            if not routed:
                return 404, _error(
                    'ExternalGatewayForFloatingIPNotFound',
                    'External network %s is not reachable from subnet %s.'
                    % (network['id'], subnet_id))
        subnet = self.items['subnets'][network['subnets'][0]]
        address = fields.get('floating_ip_address') or self._address(subnet)
        if address is None:
            return 409, _error('IpAddressGenerationFailure',
                               'No more IP addresses available on '
                               'network %s.' % network['id'])
        floating_ip = self.add(
            'floatingips', project_id, floating_network_id=network['id'],
            floating_ip_address=address, port_id=fields.get('port_id'),
            fixed_ip_address=port and port['fixed_ips'][0]['ip_address'],
            status='ACTIVE' if port else 'DOWN',
            description=fields.get('description', ''))
        return 201, {'floatingip': self._public(floating_ip)}

    def _router_verb(self, router, verb, body, project_id):
        if router['project_id'] != project_id:
            return 404, _error('RouterNotFound', 'Router not found')
        subnet = self.items['subnets'].get(body.get('subnet_id'))
        if subnet is None:
            return 404, _error('SubnetNotFound', 'Subnet not found')
        if verb == 'add_router_interface':
            self._plug(router, subnet)
        else:
            for port in list(self.items['ports'].values()):
                if (port['device_id'] == router['id'] and
                        port['fixed_ips'][0]['subnet_id'] == subnet['id']):
                    del self.items['ports'][port['id']]
        return 200, {'subnet_id': subnet['id'], 'id': router['id']}

    def _delete(self, collection, item):
        if collection == 'networks':
            ports = [p for p in self.items['ports'].values()
                     if p['network_id'] == item['id']]
            if any(p['device_owner'] != 'network:dhcp' for p in ports):
                return 409, _error(
                    'NetworkInUse', 'Unable to complete operation on '
                    'network %s. There are one or more ports still in use '
                    'on the network.' % item['id'])
            for subnet_id in item['subnets']:
                self.items['subnets'].pop(subnet_id, None)
        if collection == 'ports':
            for floating_ip in self.items['floatingips'].values():
                if floating_ip['port_id'] == item['id']:
                    floating_ip.update(port_id=None, status='DOWN')
        del self.items[collection][item['id']]
        return 204, None


def _error(kind, message):
    return {'NeutronError': {'type': kind, 'message': message,
                             'detail': ''}}
