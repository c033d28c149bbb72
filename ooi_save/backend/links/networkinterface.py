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

"""OCCI networkinterface links on Neutron ports and floating IPs.

A compute has one networkinterface link per Neutron port bound to its
server, targeting the port's network, and one per floating IP associated
with one of those ports, targeting the floating IP's external network, or
the floating IP's ``/ipreservation/<id>`` when it is one the project keeps
(:mod:`ooi_save.backend.ipreservation`). Link ids are stable as long as
what they stand for exists:

* a port's link is the port id: ``/networkinterface/<port id>``;
* a floating IP's link is ``fip_`` and the floating IP id:
  ``/networkinterface/fip_<floating IP id>``.

Attributes: ``occi.networkinterface.interface`` is the host side device of
the port as Neutron's agents name it (``tap`` and the first 11 characters
of the port id); ``.mac`` the port's MAC; ``.state`` from the port's (or
floating IP's) status: ACTIVE is ``active``, ERROR ``error``, others
``inactive``; ipnetworkinterface ``.address`` the first IPv4 fixed IP (or
the floating IP), ``.allocation`` ``dynamic`` (Neutron's IPAM chose it)
unless the client asked for the address (``static``).

A compute's ports cost one Neutron listing; its floating IPs a second one
only when Nova's rendering of the server shows a floating address. Nova
hears of a floating IP from Neutron (a ``network-changed`` event) a moment
after it is associated, and keeps it in the server's ``addresses``: a
compute's rendering shows a floating IP once Nova's does, and from then on
as Neutron has it now (a released one is gone at once).

Creating a link to a private network attaches an interface through Nova
(``os-interface``); to an external network (or ``/network/public``,
:mod:`ooi_save.backend.links.targets`) it allocates a floating IP from
that network for the compute's first port, in one Neutron call, so that a
refusal leaves nothing behind; to an ipreservation it associates that
floating IP with the port. Then it waits (``[occi]
floating_ip_settle_timeout``) until Nova shows the address, so that the
compute read just after the create has the new link. Deleting a port's
link detaches it through Nova; a floating IP's link releases the floating
IP, or disassociates it and keeps it when it is an ipreservation.

A deleted link is gone once the DELETE is answered, as a deleted compute
is. Neutron releases a floating IP at once; Nova detaches a port in the
background and shows nothing of it meanwhile (no task state, no port
status), so the DELETE waits (``[occi] interface_detach_timeout``) until
Neutron shows the port deleted or bound to no server: measured on the
mini-cloud, 0.2 to 0.4 s. Without the wait the link was still read for
that long, and a second DELETE was answered 200 while Nova's compute
failed on it.

The floating IPs and ports ooi-save makes carry :data:`MADE_BY` as their
description: deleting a compute releases them too (Nova deletes only the
ports it made itself).
"""

import time

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend import ipreservation
from ooi_save.backend import links
from ooi_save.backend.links import targets
from ooi_save.backend import polling
from ooi_save.backend import pools
from ooi_save.backend.services import neutron
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

LOG = logging.getLogger(__name__)

FIP_PREFIX = 'fip_'

#: Description of the Neutron resources ooi-save makes for computes.
MADE_BY = 'made by ooi-save for an OCCI compute; released with it'

#: Device ids asked for in one port listing: the query string stays under
#: the 4 KiB that uWSGI reads of a request line by default.
PORTS_PER_CALL = 50

#: Seconds between the reads of a server while Nova hears of a new
#: floating IP (measured on the mini-cloud: 0.3 to 0.7 s).
_SETTLE_INTERVALS = (0.2, 0.2, 0.3, 0.5, 1.0)

#: Seconds between the reads of a port while Nova detaches it (measured
#: on the mini-cloud: done 0.2 to 0.4 s after Nova answers).
_DETACH_INTERVALS = (0.1, 0.1, 0.1, 0.2, 0.3, 0.5, 1.0)

_STATES = {'ACTIVE': 'active', 'ERROR': 'error'}

#: Attributes a link create may carry, beyond the core ones.
_LINK_ATTRIBUTES = ('occi.networkinterface.address',
                    'occi.networkinterface.allocation',
                    'occi.networkinterface.gateway',
                    'occi.networkinterface.interface',
                    'occi.networkinterface.mac',
                    'occi.networkinterface.state',
                    'occi.networkinterface.state.message')


def _ipv4(fixed_ips):
    for fixed in fixed_ips or ():
        if ':' not in fixed.get('ip_address', ':'):
            return fixed['ip_address']
    return None


def _nova_addresses(server):
    """The address entries of Nova's rendering of a server, all networks."""
    for entries in (server.get('addresses') or {}).values():
        yield from entries


def shows_floating(server):
    """Whether Nova's rendering of a server has a floating address."""
    return any(nova_api.is_floating(entry)
               for entry in _nova_addresses(server))


def _state(status):
    return _STATES.get(status, 'inactive'), status or 'UNKNOWN'


class NetworkInterfaces(concept.Concept):
    """The networkinterface links one caller sees.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def location(self, link_id):
        return self._locations.networkinterface(link_id)

    def _link(self, link_id, server_id, network_id, port, address,
              status, static=False, target_kind=infra.NETWORK):
        state, message = _state(status)
        attributes = {
            'occi.networkinterface.interface': 'tap' + port['id'][:11],
            'occi.networkinterface.mac': port.get('mac_address'),
            'occi.networkinterface.state': state,
            'occi.networkinterface.state.message': message,
            'occi.networkinterface.address': address,
            'occi.networkinterface.allocation': (
                'static' if static else 'dynamic'),
        }
        return links.build(
            self._locations, infra.NETWORKINTERFACE, link_id, server_id,
            target_kind, network_id,
            {k: v for k, v in attributes.items() if v is not None},
            mixins=[infra.IPNETWORKINTERFACE])

    def port_link(self, port):
        return self._link(port['id'], port['device_id'], port['network_id'],
                          port, _ipv4(port.get('fixed_ips')),
                          port.get('status'))

    def floating_link(self, floating_ip, port):
        """The link of a floating IP: to its ipreservation if it is one."""
        if ipreservation.made_for_a_compute(floating_ip):
            target_kind, target_id = (infra.NETWORK,
                                      floating_ip['floating_network_id'])
        else:
            target_kind, target_id = infra.IPRESERVATION, floating_ip['id']
        return self._link(FIP_PREFIX + floating_ip['id'], port['device_id'],
                          target_id, port,
                          floating_ip.get('floating_ip_address'),
                          floating_ip.get('status'),
                          target_kind=target_kind)

    def _floating_ips(self, ports, one_server):
        """The floating IPs on ``ports``, possibly more."""
        if not ports:
            return []
        if one_server:
            return self._neutron.floating_ips(
                port_id=[p['id'] for p in ports])
        # A page of computes: the project's floating IPs, in one listing.
        filters = {}
        if self._session.project_id:
            filters['project_id'] = self._session.project_id
        return self._neutron.floating_ips(**filters)

    def links_of(self, servers):
        """The links of computes, in one or two Neutron listings.

        One listing of their ports (one per 50 computes), and one of the
        floating IPs on those ports when Nova shows a floating address on
        any of the computes.

        :param servers: the server dicts
        :returns: a dict from server id to a list of
            :class:`ooi_save.occi.entities.Link`
        """
        server_ids = [server['id'] for server in servers]
        ports = []
        for start in range(0, len(server_ids), PORTS_PER_CALL):
            ports += self._neutron.ports(
                device_id=server_ids[start:start + PORTS_PER_CALL])
        ports.sort(key=lambda p: (p.get('created_at') or '', p['id']))
        # Kept for the securitygrouplinks of the same computes.
        self.ports_read = (server_ids, ports)
        by_port = {port['id']: port for port in ports}
        found = {server_id: [] for server_id in server_ids}
        for port in ports:
            if port.get('device_id') in found:
                found[port['device_id']].append(self.port_link(port))
        floating = {server['id'] for server in servers
                    if shows_floating(server)}
        asked = [port for port in ports if port.get('device_id') in floating]
        for floating_ip in self._floating_ips(asked, len(server_ids) == 1):
            port = by_port.get(floating_ip.get('port_id'))
            if port is not None and port.get('device_id') in found:
                found[port['device_id']].append(
                    self.floating_link(floating_ip, port))
        return found

    def list(self):
        """Every networkinterface of the caller's computes."""
        filters = {}
        if self._session.project_id:
            filters['project_id'] = self._session.project_id
        ports = [p for p in self._neutron.ports(**filters)
                 if (p.get('device_owner') or '').startswith('compute:')]
        by_port = {port['id']: port for port in ports}
        found = [self.port_link(port) for port in ports]
        for floating_ip in self._neutron.floating_ips(**filters):
            port = by_port.get(floating_ip.get('port_id'))
            if port is not None:
                found.append(self.floating_link(floating_ip, port))
        return found

    def _compute_port(self, port_id):
        port = self._neutron.get_port(port_id)
        if not (port.get('device_owner') or '').startswith('compute:'):
            raise exceptions.NotFound(
                'Port %s is no network interface of a compute.' % port_id)
        return port

    def get(self, link_id):
        """One link.

        :raises: NotFound
        """
        if link_id.startswith(FIP_PREFIX):
            floating_ip = self._neutron.get_floating_ip(
                link_id[len(FIP_PREFIX):])
            if not floating_ip.get('port_id'):
                raise exceptions.NotFound(
                    'Floating IP %s is associated with no compute.'
                    % floating_ip['id'])
            return self.floating_link(
                floating_ip, self._compute_port(floating_ip['port_id']))
        return self.port_link(self._compute_port(link_id))

    def _server_id(self, request):
        server_id = links.end_id(self._locations, request.source, 'compute',
                                 'occi.core.source', 'networkinterface')
        # Nova answers 404 for a server of another project.
        self._nova.get_server(server_id)
        return server_id

    def _target(self, request):
        return targets.target(self._session, request)

    @staticmethod
    def check(request):
        """Refuse a link request that is not a networkinterface."""
        if request.kind not in (None, infra.NETWORKINTERFACE.type_id):
            raise exceptions.BadRequest(
                'Only networkinterface links are made here; the request '
                'renders kind %s.' % request.kind)
        unknown = set(request.mixins or ()) - {
            infra.IPNETWORKINTERFACE.type_id} - {
                m for m in request.mixins or ()
                if m.startswith(pools.SCHEME)}
        if unknown:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a networkinterface.'
                % ', '.join(sorted(unknown)))
        for name in request.attributes or {}:
            if not (name.startswith('occi.core.') or
                    name in _LINK_ATTRIBUTES):
                raise exceptions.BadRequest(
                    'Attribute %s cannot be set on a networkinterface.'
                    % name)

    def create(self, request):
        """Link a compute to a network.

        :param request: the parsed link :class:`EntityRequest`
        :returns: the new :class:`ooi_save.occi.entities.Link`
        :raises: BadRequest, NotFound (the compute), Conflict (no port to
            give a public address to), Neutron's refusals
        """
        self.check(request)
        server_id = self._server_id(request)
        network = self._target(request)
        address = request.attributes.get('occi.networkinterface.address')
        if isinstance(network, tuple):
            port = self._first_port(server_id)
            floating_ip = self._session.ipreservations().associate(
                network[1], port)
            self._settle(server_id, floating_ip)
            return self.floating_link(floating_ip, port)
        if network.get('router:external'):
            ports = [self._first_port(server_id)]
            if self._session.bare_computes is not None:
                # The compute is bare no more: its delete must look for
                # this floating IP (ooi_save.db.bare).
                self._session.bare_computes.forget(server_id)
            fields = {'floating_network_id': network['id'],
                      'port_id': ports[0]['id'], 'description': MADE_BY}
            if address:
                fields['floating_ip_address'] = address
            floating_ip = self._floating_ip(fields)
            self._settle(server_id, floating_ip)
            return self.floating_link(floating_ip, ports[0])
        attachment = {'net_id': network['id']}
        if address:
            attachment['fixed_ips'] = [{'ip_address': address}]
        attached = self._nova.attach_interface(server_id, attachment)
        port = {'id': attached['port_id'], 'device_id': server_id,
                'network_id': attached['net_id'],
                'mac_address': attached.get('mac_addr'),
                'fixed_ips': attached.get('fixed_ips')}
        return self._link(port['id'], server_id, port['network_id'], port,
                          _ipv4(port['fixed_ips']),
                          attached.get('port_state'), static=bool(address))

    def _first_port(self, server_id):
        """The port of a compute a public address is given to."""
        ports = self._neutron.ports(device_id=server_id)
        ports = [p for p in ports if _ipv4(p.get('fixed_ips'))]
        if not ports:
            raise exceptions.Conflict(
                'Compute %s has no IPv4 port to give a public address '
                'to: link it to a private network first.' % server_id)
        ports.sort(key=lambda p: (p.get('created_at') or '', p['id']))
        return ports[0]

    def _settle(self, server_id, floating_ip):
        """Wait until Nova shows the new floating IP on the server."""
        timeout = self._conf.floating_ip_settle_timeout
        if not timeout:
            return
        address = floating_ip.get('floating_ip_address')
        # Nova never shows it at once: the first read waits a little.
        time.sleep(_SETTLE_INTERVALS[0])
        _, shown = polling.poll(
            lambda: self._nova.get_server(server_id),
            lambda server: any(entry.get('addr') == address
                               for entry in _nova_addresses(server)),
            max(0, timeout - _SETTLE_INTERVALS[0]), _SETTLE_INTERVALS[1:])
        if not shown:
            LOG.warning('Nova does not show floating IP %s on server %s '
                        'after %d s: is Neutron sending it events?',
                        floating_ip['id'], server_id, timeout)

    def _floating_ip(self, fields):
        try:
            return self._neutron.create_floating_ip(fields)
        except exceptions.NotFound as error:
            # NOTE(ooi-save): Neutron answers 404 when no router joins the
            # port's subnet to the external network: the link is possible once
            # one does, a conflict with the state of the networks.
            raise exceptions.Conflict(error.message,
                                      request_id=error.request_id)

    def delete(self, link_id):
        """Detach a port, or release a floating IP.

        :raises: NotFound
        """
        if link_id.startswith(FIP_PREFIX):
            floating_ip_id = link_id[len(FIP_PREFIX):]
            floating_ip = self._neutron.get_floating_ip(floating_ip_id)
            if ipreservation.made_for_a_compute(floating_ip):
                self._neutron.delete_floating_ip(floating_ip_id)
            elif floating_ip.get('port_id'):
                self._session.ipreservations().disassociate(floating_ip_id)
            else:
                raise exceptions.NotFound(
                    'Floating IP %s is associated with no compute.'
                    % floating_ip_id)
            return
        port = self._compute_port(link_id)
        self._nova.detach_interface(port['device_id'], port['id'])
        self._wait_detached(port)

    def _wait_detached(self, port):
        """Wait until Neutron shows a port detached from its server."""
        timeout = self._conf.interface_detach_timeout
        if not timeout:
            return

        def read():
            try:
                return self._neutron.get_port(port['id'])
            except exceptions.NotFound:
                return None

        _, detached = polling.poll(
            read, lambda now: now is None or now.get('device_id') != port[
                'device_id'], timeout, _DETACH_INTERVALS)
        if not detached:
            LOG.warning('Port %s is still on server %s %d s after Nova '
                        'accepted its detach.', port['id'],
                        port['device_id'], timeout)

    def boot_networks(self, requests, default):
        """Nova's ``networks`` for a compute created with these links.

        A link to a private network boots on it; a link to an external
        network boots on the project's network with a port made here and
        a floating IP from that external network on it.

        :param requests: the link :class:`EntityRequest` objects
        :param default: a callable giving the project's network id (for
            public addresses), or None
        :returns: ``(networks, made)``: Nova's ``networks`` value and the
            Neutron resources made, as ``(resource, id)`` pairs for
            :meth:`release`
        """
        networks, made = [], []
        try:
            for link in requests:
                self.check(link)
                network = self._target(link)
                address = link.attributes.get(
                    'occi.networkinterface.address')
                reserved = isinstance(network, tuple)
                if not reserved and not network.get('router:external'):
                    entry = {'uuid': network['id']}
                    if address:
                        entry['fixed_ip'] = address
                    networks.append(entry)
                    continue
                private = default()
                if private is None:
                    raise exceptions.BadRequest(
                        'A public address needs a private network to '
                        'boot on, and this project has none: link the '
                        'compute to one as well.')
                port = self._neutron.create_port({
                    'network_id': private, 'description': MADE_BY})
                made.append((neutron.PORT, port['id']))
                networks.append({'port': port['id']})
                if reserved:
                    # Deleting the port on failure frees the reservation.
                    self._session.ipreservations().associate(network[1],
                                                             port)
                    continue
                fields = {'floating_network_id': network['id'],
                          'port_id': port['id'], 'description': MADE_BY}
                if address:
                    fields['floating_ip_address'] = address
                floating_ip = self._floating_ip(fields)
                made.append((neutron.FLOATING_IP, floating_ip['id']))
        except Exception:
            with neutron.undoing():
                self.release(made)
            raise
        return networks, made

    def release(self, made):
        """Delete what :meth:`boot_networks` made, floating IPs first."""
        self._neutron.delete_all(made)

    def release_held(self, server_id, ports):
        """Delete ports ooi-save made for a server Nova is deleting.

        Neutron lets a project's member delete a port only once no compute
        holds it: each is deleted once Neutron shows Nova's compute host
        has let it go, waited for as a detach is (``[occi]
        interface_detach_timeout``).

        :param ports: ``(PORT, id)`` pairs from :meth:`made_for`
        """
        for resource, port_id in ports:
            self._wait_detached({'id': port_id, 'device_id': server_id})
            self._neutron.delete_all([(resource, port_id)])

    def made_for(self, server_id):
        """The ports and floating IPs ooi-save made for a compute."""
        # Only what tells them: Neutron then leaves out the rest of each
        # port (its fixed IPs, bindings, groups).
        wanted = ['id', 'description']
        ports = self._neutron.ports(device_id=server_id, fields=wanted)
        made = [(neutron.PORT, p['id']) for p in ports
                if p.get('description') == MADE_BY]
        if ports:
            floating_ips = self._neutron.floating_ips(
                port_id=[p['id'] for p in ports], fields=wanted)
            made += [(neutron.FLOATING_IP, f['id']) for f in floating_ips
                     if f.get('description') == MADE_BY]
        return made
