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

"""A Nova that makes and deletes ports on the fake Neutron, as Nova does.

:class:`NetworkedNova` is the fake Nova of :mod:`tests.unit.fakes.nova`,
booting and deleting servers and attaching interfaces on a
:class:`tests.unit.fakes.neutron.FakeNeutron`.
"""

import re

import webob

from tests.unit.fakes import nova


class NetworkedNova(nova.FakeNova):
    """The fake Nova, making ports on a :class:`FakeNeutron` as Nova does."""

    def __init__(self):
        super().__init__()
        self.neutron = None
        self.boots = []
        #: A message to refuse the next boot with (403, as over quota).
        self.refuse_boot = None
        #: server id -> project id; servers not in it are demo's.
        self.owners = {}
        #: Reads of a port by Neutron's clients before an interface
        #: detach is done (0: done before Nova answers).
        self.detach_reads = 0
        #: server id -> the floating IPs on its ports when Nova was asked
        #: to delete it. Nova's compute host deletes its ports while
        #: whoever made a floating IP on them may be deleting it: on
        #: PostgreSQL Neutron can then refuse the port's deletion (409,
        #: "still has an associated floating IP"), and the server stays.
        self.floating_ips_at_delete = {}
        #: Reads of a port by Neutron's clients before Nova's compute host
        #: lets go of a port it did not make, as it deletes the server (0:
        #: at once).
        self.unbind_reads = 0
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
        request = webob.Request(environ)
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
            server_id = request.path_info.rsplit('/', 1)[1]
            ports = {p['id'] for p in self.neutron.items['ports'].values()
                     if p['device_id'] == server_id}
            self.floating_ips_at_delete[server_id] = [
                f for f in self.neutron.items['floatingips'].values()
                if f.get('port_id') in ports]
            self._unplug(server_id)
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
        for entry in body['networks'] if isinstance(
                body['networks'], list) else ():
            if 'uuid' in entry and \
                    entry['uuid'] not in self.neutron.items['networks']:
                return self._reply(400, {'badRequest': {
                    'code': 400, 'message': 'Network %s could not be '
                                            'found.' % entry['uuid']}})
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
                port = self.neutron.make_port(project_id, entry['uuid'],
                                              **fields)
                self._place(port, body.get('security_groups'), project_id)
        return response

    def _place(self, port, asked, project_id):
        """Put a port Nova made in the boot's security groups, as Nova."""
        groups = getattr(self.neutron, 'security_groups', None)
        if groups is None or not asked or isinstance(port, tuple):
            return
        found = []
        for name in (entry['name'] for entry in asked):
            if name == 'default':
                found.append(groups.default(project_id)['id'])
            elif name in groups.groups:
                found.append(name)
        port['security_groups'] = found

    def _unplug(self, server_id):
        for port in list(self.neutron.items['ports'].values()):
            if port['device_id'] == server_id:
                if port.get('made_by_nova'):
                    self.neutron._delete('ports', port)
                elif self.unbind_reads:
                    self.neutron.after_reads[port['id']] = [
                        self.unbind_reads,
                        lambda port=port: port.update(device_id='',
                                                      device_owner='')]
                else:
                    port.update(device_id='', device_owner='')

    def _interface(self, request, server_id, port_id):
        if request.method == 'DELETE':
            port = self.neutron.items['ports'].get(port_id)
            if port is None or port['device_id'] != server_id:
                return self._reply(404, {'itemNotFound': {
                    'code': 404, 'message': 'Port %s is not attached'
                    % port_id}})
            if self.detach_reads:
                # Nova's compute detaches later: here, once Neutron has
                # been asked for the port that many times.
                self.neutron.after_reads[port_id] = [
                    self.detach_reads,
                    lambda: self.neutron._delete('ports', port)]
            else:
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
