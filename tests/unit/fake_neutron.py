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

"""Neutron at the wire (requests-mock), and a Nova that uses it.

:class:`FakeNeutron` answers the networking API v2.0 calls ooi-save makes
from memory, with Neutron's shapes and error bodies, and with Neutron's
visibility rules: a token sees its project's resources, plus shared and
external networks (and their subnets). :class:`NetworkedNova` is the fake
Nova of :mod:`tests.unit.fakes` that makes and deletes ports on it when it
boots and deletes servers and attaches interfaces, as Nova does.
"""

import copy
import ipaddress
import json
import re
import urllib.parse
import uuid

import fixtures
import requests
import requests_mock

from tests.unit import fakes

NEUTRON_URL = 'http://neutron.test:9696'

_COLLECTIONS = {'networks': 'network', 'subnets': 'subnet',
                'ports': 'port', 'floatingips': 'floatingip',
                'routers': 'router'}

_clock = iter(range(10 ** 9))


def _now():
    return '2026-12-01T00:%02d:%02dZ' % divmod(next(_clock) % 3600, 60)


def context(project_id='demo-project', token='demo-token', **kwargs):
    """A nova.context whose catalog has Neutron as well as Glance."""
    ctx = fakes.Context(project_id=project_id, auth_token=token, **kwargs)
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
        mocker.add_matcher(self._match)

    # Seeding.

    def add(self, collection, project_id, **fields):
        item = {'id': str(uuid.uuid4()), 'project_id': project_id,
                'tenant_id': project_id, 'created_at': _now(),
                'description': ''}
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
            item.update(body[single])
            return 200, {single: self._public(item)}
        if method == 'DELETE':
            return self._delete(collection, item)
        return 405, _error('HTTPMethodNotAllowed', method)

    @staticmethod
    def _public(item):
        return {k: v for k, v in copy.deepcopy(item).items()
                if k != 'next_host'}

    def _list(self, collection, query, project_id):
        found = []
        for item in self.items[collection].values():
            if not self.visible(collection, item, project_id):
                continue
            if all(str(item.get(key)) in values
                   for key, values in query.items()
                   if key not in ('limit', 'marker', 'fields')):
                found.append(self._public(item))
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


class NetworkedNova(fakes.FakeNova):
    """The fake Nova, making ports on a :class:`FakeNeutron` as Nova does."""

    def __init__(self):
        super().__init__()
        self.neutron = None
        self.boots = []
        #: A message to refuse the next boot with (403, as over quota).
        self.refuse_boot = None
        #: server id -> project id; servers not in it are demo's.
        self.owners = {}
        #: Whether Nova has heard of the floating IPs (Neutron's events):
        #: when False, the servers' addresses show the fixed ones only.
        self.hears_floating_ips = True
        #: Whether Nova's network cache is behind Neutron: the addresses
        #: stay as they were last rendered.
        self.cache_behind = False

    def _refresh_addresses(self):
        """Each server's ``addresses``, as Nova's network cache has them."""
        if self.cache_behind:
            return
        for server_id, server in self.servers.items():
            addresses = {}
            for port in self.neutron.items['ports'].values():
                if port['device_id'] != server_id:
                    continue
                name = self.neutron.items['networks'][port['network_id']][
                    'name']
                entries = addresses.setdefault(name, [])
                for fixed in port['fixed_ips']:
                    entries.append({
                        'addr': fixed['ip_address'], 'version': 4,
                        'OS-EXT-IPS:type': 'fixed',
                        'OS-EXT-IPS-MAC:mac_addr': port['mac_address']})
                    if not self.hears_floating_ips:
                        continue
                    for floating in self.neutron.items[
                            'floatingips'].values():
                        if floating.get('port_id') == port['id']:
                            entries.append({
                                'addr': floating['floating_ip_address'],
                                'version': 4,
                                'OS-EXT-IPS:type': 'floating',
                                'OS-EXT-IPS-MAC:mac_addr':
                                    port['mac_address']})
            server['addresses'] = addresses

    def _project(self, request):
        return request.environ['nova.context'].project_id

    def __call__(self, environ, start_response):
        self._refresh_addresses()
        request = fakes.webob.Request(environ)
        found = re.match(r'^/servers/([^/]+)', request.path_info)
        if found and found.group(1) in self.servers and self.owners.get(
                found.group(1), 'demo-project') != self._project(request):
            # Nova shows no server of another project.
            return self._reply(404, {'itemNotFound': {
                'code': 404, 'message': 'Instance %s could not be found.'
                % found.group(1)}})(environ, start_response)
        match = re.match(r'^/servers/([^/]+)/os-interface(?:/([^/]+))?$',
                         request.path_info)
        if match and match.group(1) in self.servers:
            self.calls.append((request.method, request.path_qs,
                               dict(request.headers),
                               environ.get('nova.context')))
            return self._interface(request, *match.groups())(
                environ, start_response)
        if request.method == 'DELETE' and re.match(
                r'^/servers/[^/]+$', request.path_info):
            self._unplug(request.path_info.rsplit('/', 1)[1])
        if request.method == 'POST' and request.path_info == '/servers':
            if self.refuse_boot:
                message, self.refuse_boot = self.refuse_boot, None
                return self._reply(403, {'forbidden': {
                    'code': 403, 'message': message}})(environ,
                                                       start_response)
            # Nova makes the ports as it boots; the fake does it here.
            self._boot_request = request
        return super().__call__(environ, start_response)

    def _create(self, body):
        response = super()._create(body)
        server_id = response.json_body['server']['id']
        project_id = self._project(self._boot_request)
        self.owners[server_id] = project_id
        self.boots.append(body['networks'])
        if body['networks'] not in ('none', 'auto'):
            for entry in body['networks']:
                if 'port' in entry:
                    port = self.neutron.items['ports'][entry['port']]
                    port.update(device_id=server_id,
                                device_owner='compute:nova')
                    continue
                fields = {'device_id': server_id,
                          'device_owner': 'compute:nova', 'made_by_nova':
                          True}
                if entry.get('fixed_ip'):
                    fields['fixed_ips'] = [{'ip_address':
                                            entry['fixed_ip']}]
                self.neutron.make_port(project_id, entry['uuid'], **fields)
        return response

    def _unplug(self, server_id):
        for port in list(self.neutron.items['ports'].values()):
            if port['device_id'] == server_id:
                if port.get('made_by_nova'):
                    self.neutron._delete('ports', port)
                else:
                    port.update(device_id='', device_owner='')

    def _interface(self, request, server_id, port_id):
        if request.method == 'DELETE':
            port = self.neutron.items['ports'].get(port_id)
            if port is None or port['device_id'] != server_id:
                return self._reply(404, {'itemNotFound': {
                    'code': 404, 'message': 'Port %s is not attached'
                    % port_id}})
            self.neutron._delete('ports', port)
            return self._reply(202)
        attachment = request.json_body['interfaceAttachment']
        network = self.neutron.items['networks'].get(attachment['net_id'])
        if network is None or not self.neutron.visible(
                'networks', network, self._project(request)):
            return self._reply(404, {'itemNotFound': {
                'code': 404, 'message': 'Network %s could not be found.'
                % attachment['net_id']}})
        fields = {'device_id': server_id, 'device_owner': 'compute:nova',
                  'made_by_nova': True}
        if attachment.get('fixed_ips'):
            fields['fixed_ips'] = attachment['fixed_ips']
        port = self.neutron.make_port(self._project(request),
                                      network['id'], **fields)
        if isinstance(port, tuple):
            return self._reply(port[0], {'conflictingRequest': {
                'code': port[0],
                'message': port[1]['NeutronError']['message']}})
        return self._reply(200, {'interfaceAttachment': {
            'port_id': port['id'], 'net_id': network['id'],
            'mac_addr': port['mac_address'], 'port_state': 'ACTIVE',
            'fixed_ips': port['fixed_ips']}})


IMAGES = [{'id': 'image-1', 'name': 'cirros', 'status': 'active',
           'visibility': 'public'}]


class NetworkedCloud(fixtures.Fixture):
    """The real filter over the fake Nova, Glance and Neutron.

    Seeded as the mini-cloud is: an external network ``public``; in the
    projects demo and alt a private network, its subnet and a router to
    public.

    :param overrides: ``[occi]`` options
    """

    def __init__(self, **overrides):
        super().__init__()
        self.overrides = dict({'resume_saves_at_startup': 'false',
                               'report_backend_calls': 'true'}, **overrides)

    def _setUp(self):
        self.nova = NetworkedNova()
        self.occi, _ = fakes.build(self.overrides, nova=self.nova)
        glance = self.useFixture(fakes.GlanceFixture(IMAGES))
        self.neutron = FakeNeutron(glance.mock, {
            'demo-token': 'demo-project', 'alt-token': 'alt-project'})
        self.nova.neutron = self.neutron
        self.public = self.neutron.add_network(
            'admin-project', 'public', '172.24.4.0/24', external=True)
        self.private = self.neutron.add_network(
            'demo-project', 'private', '10.0.0.0/24')
        self.router = self.neutron.add_router(
            'demo-project', self.public,
            self.neutron.items['subnets'][self.private['subnets'][0]])
        self.alt_private = self.neutron.add_network(
            'alt-project', 'alt-private', '10.1.0.0/24')
        self.neutron.add_router(
            'alt-project', self.public,
            self.neutron.items['subnets'][self.alt_private['subnets'][0]])
        self.demo = context()
        self.alt = context('alt-project', 'alt-token', user_id='alt-user')

    def call(self, path, method='GET', accept='text/plain', body=b'',
             headers=None, context=None):
        """One OCCI request, as the demo user unless another is given."""
        all_headers = {'Accept': accept}
        all_headers.update(headers or {})
        if isinstance(body, str):
            body = body.encode('utf-8')
        return fakes.request(path, method=method, headers=all_headers,
                             body=body,
                             context=context or self.demo).get_response(
                                 self.occi)

    def boot(self, name='vm', networks=None, project='demo-project'):
        """A server as Nova would have it, with ports on networks."""
        server = self.nova.add_server(name=name)
        self.nova.owners[server['id']] = project
        for network in networks or [self.private]:
            self.neutron.make_port(project, network['id'],
                                   device_id=server['id'],
                                   device_owner='compute:nova',
                                   made_by_nova=True)
        return server

    def ports_of(self, server_id):
        return [p for p in self.neutron.items['ports'].values()
                if p['device_id'] == server_id]

    def floating_ips(self):
        return list(self.neutron.items['floatingips'].values())


INFRA = 'http://schemas.ogf.org/occi/infrastructure#'


def attribute(response, name):
    """An attribute value as a client reads it from any rendering."""
    if response.content_type.endswith('json'):
        body = response.json
        core = {'occi.core.title': 'title', 'occi.core.id': 'id'}
        if name in core:
            return body.get(core[name])
        return body['attributes'].get(name)
    if response.content_type == 'text/occi':
        lines = ','.join(response.headers.getall(
            'X-OCCI-Attribute')).split(',')
    else:
        lines = [line.partition(':')[2] for line in
                 response.text.splitlines()
                 if line.startswith('X-OCCI-Attribute:')]
    for line in lines:
        key, _, value = line.strip().partition('=')
        if key == name:
            return json.loads(value)
    return None


def entity_request(body_type, kind, mixins=(), attributes=None,
                   links=()):
    """The same entity rendering in a request type: (headers, body).

    :param kind: the kind's type id
    :param mixins: mixin type ids
    :param attributes: attribute name -> value
    :param links: (target location, target kind, attributes) triples
    """
    attributes = attributes or {}

    def category(type_id, cls):
        scheme, term = type_id.split('#')
        return '%s; scheme="%s#"; class="%s"' % (term, scheme, cls)

    categories = [category(kind, 'kind')] + [category(m, 'mixin')
                                             for m in mixins]
    rendered = ['%s=%s' % (k, json.dumps(v)) for k, v in attributes.items()]
    link_lines = ['<%s>; rel="%s"; category="%snetworkinterface"%s' % (
        target, target_kind, INFRA, ''.join(
            '; %s=%s' % (k, json.dumps(v)) for k, v in attrs.items()))
        for target, target_kind, attrs in links]
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi',
                   'Category': ', '.join(categories)}
        if rendered:
            headers['X-OCCI-Attribute'] = ', '.join(rendered)
        if link_lines:
            headers['Link'] = ', '.join(link_lines)
        return headers, b''
    if body_type.endswith('json'):
        body = {'kind': kind, 'mixins': list(mixins),
                'attributes': dict(attributes)}
        for name in ('source', 'target'):
            value = body['attributes'].pop('occi.core.' + name, None)
            if value is not None:
                body[name] = {'location': value}
        if links:
            body['links'] = [{
                'kind': INFRA + 'networkinterface',
                'target': {'location': target, 'kind': target_kind},
                'attributes': dict(attrs)}
                for target, target_kind, attrs in links]
        return ({'Content-Type': body_type},
                json.dumps(body).encode('utf-8'))
    lines = (['Category: ' + c for c in categories] +
             ['Link: ' + link for link in link_lines] +
             ['X-OCCI-Attribute: ' + a for a in rendered])
    return ({'Content-Type': body_type},
            ('\n'.join(lines) + '\n').encode('utf-8'))
