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

"""OCCI Network on Neutron networks.

A ``network`` is a Neutron network the caller can see: the project's own,
shared ones and external ones, as Neutron lists them for the caller's
token.

* ``occi.core.title`` is the name, ``occi.core.summary`` the description;
* ``occi.network.state``: ``active`` when Neutron says ACTIVE and the
  network is administratively up, ``inactive`` when it is down or
  BUILD/DOWN, ``error`` for ERROR; ``state.message`` is Neutron's status
  (and ``admin down``);
* ``occi.network.label``: ``external``, ``shared`` or ``private``;
  ``occi.network.vlan``: the segmentation id of a VLAN network, when
  Neutron shows it to the caller (usually to admins only);
* the ``ipnetwork`` mixin comes from the network's IPv4 subnet: CIDR,
  gateway, ``dynamic`` allocation when DHCP is on, else ``static``. A
  network with several IPv4 subnets renders the oldest one (by
  ``created_at``, then id), the one Neutron allocates from first; a
  network without one renders no ipnetwork;
* external networks (``router:external``) carry the :data:`PUBLIC` mixin:
  floating IPs, the public addresses, come from them;
* EGI FedCloud's mixins: :data:`PUBLIC_NET` on external networks,
  :data:`NAT_NET` on the project's own networks that a router plugs in
  (to an external network), :data:`PRIVATE_NET` on the project's other
  own networks. Telling these two apart costs one listing of router
  interfaces for a read or a listing that has such networks.

A create makes a network and, given an ``occi.network.address``, a subnet
on it, plugged into the project's router to an external network when the
project has one (so that its computes can get public addresses). Delete
undoes exactly that. ``up`` and ``down`` set ``admin_state_up``.
"""

import ipaddress

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend.services import base
from ooi_save.backend.services import neutron
from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

LOG = logging.getLogger(__name__)

#: Scheme of the OpenStack network mixins.
OPENSTACK_NETWORK_SCHEME = 'http://schemas.openstack.org/network#'

#: Marks the external networks, where public addresses come from.
PUBLIC = categories.Mixin(
    OPENSTACK_NETWORK_SCHEME, 'public',
    'External network: public addresses (floating IPs) come from it. '
    'Link a compute to it to give the compute one',
    location='/network/public/', applies=(infra.NETWORK,))

#: Scheme of the EGI FedCloud network mixins.
EGI_NETWORK_SCHEME = (
    'http://schemas.fedcloud.egi.eu/occi/infrastructure/network#')

#: EGI FedCloud's names for what a network is: external (public
#: addresses), the project's own and routed to an external network (NAT),
#: the project's own and not routed.
PUBLIC_NET = categories.Mixin(
    EGI_NETWORK_SCHEME, 'public_net', 'EGI FedCloud: public network',
    location='/network/public_net/', applies=(infra.NETWORK,))
NAT_NET = categories.Mixin(
    EGI_NETWORK_SCHEME, 'nat_net',
    'EGI FedCloud: private network routed (NAT) to a public one',
    location='/network/nat_net/', applies=(infra.NETWORK,))
PRIVATE_NET = categories.Mixin(
    EGI_NETWORK_SCHEME, 'private_net', 'EGI FedCloud: private network',
    location='/network/private_net/', applies=(infra.NETWORK,))
EGI_MIXINS = (PUBLIC_NET, NAT_NET, PRIVATE_NET)

#: Provider attributes of a network.
NS = 'org.openstack.network.'

#: Attributes a client may set on a network, and the Neutron field each
#: one sets.
SETTABLE = {
    'occi.core.title': 'name',
    'occi.core.summary': 'description',
    NS + 'admin_state_up': 'admin_state_up',
}

#: ipnetwork attributes, read on create.
IPNETWORK_ATTRIBUTES = ('occi.network.address', 'occi.network.gateway',
                        'occi.network.allocation')

#: Attributes read when they are given but that set nothing.
IGNORED = ('occi.core.id', 'occi.network.state',
           'occi.network.state.message', 'occi.network.label',
           NS + 'status', NS + 'shared')

#: Device owners of the ports a network's own plumbing makes.
PLUMBING = ('network:router_interface', 'network:dhcp',
            'network:router_interface_distributed',
            'network:ha_router_replicated_interface')


def state_of(network):
    """The OCCI state and message of a Neutron network."""
    status = network.get('status') or 'UNKNOWN'
    message = status
    if status == 'ERROR':
        state = 'error'
    elif status == 'ACTIVE' and network.get('admin_state_up', True):
        state = 'active'
    else:
        state = 'inactive'
    if not network.get('admin_state_up', True):
        message = '%s, admin down' % status
    return state, message


def ipv4_subnet(subnets):
    """The subnet an ipnetwork renders, of a network's subnets, or None."""
    ipv4 = [s for s in subnets if s.get('ip_version') == 4]
    ipv4.sort(key=lambda s: (s.get('created_at') or '', s.get('id')))
    return ipv4[0] if ipv4 else None


def _oldest(items):
    return min(items, key=lambda item: (item.get('created_at') or '',
                                        item['id']))


def to_resource(locations, network, subnets, routed=()):
    """The OCCI rendering of a Neutron network.

    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param network: the network dict as Neutron renders it
    :param subnets: its subnets (others are ignored)
    :param routed: ids of the networks plugged into a router
    :returns: a :class:`ooi_save.occi.entities.Resource`
    """
    state, message = state_of(network)
    external = bool(network.get('router:external'))
    attributes = {
        'occi.network.state': state,
        'occi.network.state.message': message,
        'occi.network.label': ('external' if external else 'shared'
                               if network.get('shared') else 'private'),
        NS + 'status': network.get('status'),
        NS + 'admin_state_up': bool(network.get('admin_state_up', True)),
        NS + 'shared': bool(network.get('shared')),
    }
    if (network.get('provider:network_type') == 'vlan' and
            network.get('provider:segmentation_id') is not None):
        attributes['occi.network.vlan'] = network['provider:segmentation_id']
    mixins = []
    subnet = ipv4_subnet([s for s in subnets
                          if s.get('network_id') == network['id']])
    if subnet is not None:
        mixins.append(infra.IPNETWORK)
        attributes['occi.network.address'] = subnet.get('cidr')
        if subnet.get('gateway_ip'):
            attributes['occi.network.gateway'] = subnet['gateway_ip']
        attributes['occi.network.allocation'] = (
            'dynamic' if subnet.get('enable_dhcp') else 'static')
    if external:
        mixins += [PUBLIC, PUBLIC_NET]
    elif not network.get('shared'):
        mixins.append(NAT_NET if network['id'] in routed else PRIVATE_NET)
    return entities.Resource(
        kind=infra.NETWORK, id=network['id'], title=network.get('name'),
        summary=network.get('description') or None, mixins=mixins,
        attributes=attributes, location=locations.network(network['id']),
        actions=(infra.NETWORK_DOWN if network.get('admin_state_up', True)
                 else infra.NETWORK_UP,))


def _window(items, window):
    return items if window is None else items[window[0]:window[1]]


class Networks(concept.Concept):
    """Networks as one caller sees them.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        super().__init__(session)
        self._project_id = session.project_id

    def location(self, network_id):
        return self._locations.network(network_id)

    def list(self, detail=True, window=None):
        """The networks the caller sees: one listing, two with detail.

        :param detail: full renderings (networks and their subnets), or
            only the network dicts
        :param window: ``(start, stop)``: only these items of the listing
        """
        if not detail:
            return _window(self._neutron.networks(), window)
        # NOTE(ooi-save): the two listings do not depend on each other:
        # Neutron answers them at the same time, in the time of the
        # longer one rather than of both (measured: a third off the
        # collection's time on the mini-cloud).
        self._neutron.adapter  # made once, before the threads share it
        all_subnets = concept.Meanwhile(self._neutron.subnets)
        networks = _window(self._neutron.networks(), window)
        subnets = {}
        for subnet in all_subnets.result():
            subnets.setdefault(subnet.get('network_id'), []).append(subnet)
        routed = self._routed(networks)
        return [to_resource(self._locations, network,
                            subnets.get(network['id'], ()), routed)
                for network in networks]

    def _routed(self, networks):
        """Which of the project's private networks a router plugs in.

        One listing of router interfaces, only when there is a private
        network to tell (nat_net or private_net).
        """
        private = [n['id'] for n in networks
                   if not n.get('router:external') and not n.get('shared')]
        if not private:
            return set()
        filters = {'device_owner': 'network:router_interface'}
        if len(private) == 1:
            filters['network_id'] = private[0]
        return {p.get('network_id') for p in self._neutron.ports(**filters)}

    def default_id(self, choice, again=False):
        """The network a compute boots on when it has no links.

        Found with one listing, then kept for the project for ``[occi]
        template_cache_ttl`` seconds (none found is not kept): a create
        needs no Neutron call while it is.

        :param choice: ``[occi] default_network``: ``auto``, ``none``, or
            a network name or id
        :param again: find it anew (Nova did not find the one kept)
        :returns: a network id, or None for no network
        :raises: BadRequest when a named network cannot be found
        """
        if choice == 'none':
            return None
        kept = self._session.kept
        if again:
            kept.forget(self._default_key(choice))
        return kept.get(self._default_key(choice),
                        self._conf.template_cache_ttl,
                        lambda: self._find_default(choice), keep_none=False)

    def _default_key(self, choice):
        """Under what the project's default network is kept."""
        return ('default network', self._project_id, choice)

    def _find_default(self, choice):
        if choice != 'auto':
            found = self._neutron.networks(name=choice)
            if not found:
                try:
                    return self.network(choice)['id']
                except exceptions.NotFound:
                    raise exceptions.BadRequest(
                        'The default network %s of this provider is not one '
                        'the project can use: link the compute to a '
                        'network.' % choice)
            return _oldest(found)['id']
        networks = [n for n in self._neutron.networks()
                    if not n.get('router:external')]
        own = [n for n in networks if not n.get('shared') and
               n.get('project_id', n.get('tenant_id')) == self._project_id]
        shared = [n for n in networks if n.get('shared')]
        for candidates in (own, shared):
            if candidates:
                return _oldest(candidates)['id']
        return None

    def network(self, network_id):
        """The Neutron network behind a network (one call).

        :raises: NotFound
        """
        return self._neutron.get_network(network_id)

    def get(self, network_id):
        """The rendering of one network (two calls: it and its subnets).

        The two calls are made at the same time, once the id is known to
        be one Neutron may be asked about.
        """
        if not base.is_uuid(network_id):
            return self.network(network_id)     # NotFound, not sent
        self._neutron.adapter  # made once, before the threads share it
        subnets = concept.Meanwhile(
            lambda: self._neutron.subnets(network_id=network_id))
        try:
            network = self.network(network_id)
        finally:
            subnets.join()
        return to_resource(self._locations, network, subnets.result(),
                           self._routed([network]))

    def create(self, request):
        """Make a network (and its subnet) for an OCCI create request.

        :param request: the parsed :class:`EntityRequest`
        :returns: the new network id
        :raises: BadRequest for what cannot be made; what Neutron refuses
            with its status. A failure half way removes what was made.
        """
        attributes = dict(request.attributes or {})
        fields = self._settable(attributes, ipnetwork=True)
        subnet = self._subnet_fields(request, attributes)
        fields.setdefault('name', 'occi-network')
        network = self._neutron.create_network(fields)
        try:
            if subnet is not None:
                subnet['network_id'] = network['id']
                made = self._neutron.create_subnet(subnet)
                self._plug_into_router(made)
        except Exception:
            with neutron.undoing():
                self._remove(network['id'])
            raise
        self._forget_default()
        return network['id']

    def _settable(self, attributes, ipnetwork=False):
        fields = {}
        for name, value in attributes.items():
            if name in SETTABLE:
                wanted = bool if SETTABLE[name] == 'admin_state_up' else str
                if not isinstance(value, wanted):
                    raise exceptions.BadRequest(
                        '%s must be a %s.' % (name, wanted.__name__))
                fields[SETTABLE[name]] = value
            elif not (name in IGNORED or
                      ipnetwork and name in IPNETWORK_ATTRIBUTES):
                raise exceptions.BadRequest(
                    'Attribute %s cannot be set on a network of this '
                    'provider.' % name)
        return fields

    @staticmethod
    def _subnet_fields(request, attributes):
        mixins = set(request.mixins or ())
        unknown = mixins - {infra.IPNETWORK.type_id}
        if unknown:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a network here.'
                % ', '.join(sorted(unknown)))
        address = attributes.get('occi.network.address')
        if address is None:
            if any(name in attributes for name in IPNETWORK_ATTRIBUTES):
                raise exceptions.BadRequest(
                    'An ipnetwork needs occi.network.address (a CIDR).')
            return None
        try:
            cidr = ipaddress.ip_network(str(address), strict=False)
        except ValueError:
            raise exceptions.BadRequest(
                'occi.network.address %r is not a CIDR such as '
                '10.1.0.0/24.' % (address,))
        subnet = {'cidr': str(cidr), 'ip_version': cidr.version,
                  'name': 'occi-' + str(cidr)}
        gateway = attributes.get('occi.network.gateway')
        if gateway is not None:
            try:
                gateway_ip = ipaddress.ip_address(str(gateway))
            except ValueError:
                raise exceptions.BadRequest(
                    'occi.network.gateway %r is not an IP address.'
                    % (gateway,))
            if gateway_ip not in cidr:
                raise exceptions.BadRequest(
                    'occi.network.gateway %s is not in %s.'
                    % (gateway, cidr))
            subnet['gateway_ip'] = str(gateway_ip)
        allocation = attributes.get('occi.network.allocation', 'dynamic')
        if allocation not in ('dynamic', 'static'):
            raise exceptions.BadRequest(
                'occi.network.allocation is dynamic or static, not %r.'
                % (allocation,))
        subnet['enable_dhcp'] = allocation == 'dynamic'
        return subnet

    def _project_router(self):
        """The project's router to an external network, or None."""
        filters = {}
        if self._project_id:
            filters['project_id'] = self._project_id
        routers = [r for r in self._neutron.routers(**filters)
                   if r.get('external_gateway_info')]
        return _oldest(routers) if routers else None

    def _plug_into_router(self, subnet):
        if subnet.get('ip_version') != 4:
            return
        router = self._project_router()
        if router is None:
            return
        self._neutron.add_router_interface(router['id'], subnet['id'])

    def update(self, network_id, request, replace=False):
        """Rename a network, or set its admin state.

        :raises: NotFound, BadRequest
        """
        if replace and not request.kind:
            raise exceptions.BadRequest(
                'PUT replaces the whole network: render it with its kind.')
        if request.kind and request.kind != infra.NETWORK.type_id:
            raise exceptions.BadRequest('A network stays a network.')
        unknown = set(request.mixins or ()) - {
            infra.IPNETWORK.type_id, PUBLIC.type_id} - {
                m.type_id for m in EGI_MIXINS}
        if unknown:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a network here.'
                % ', '.join(sorted(unknown)))
        attributes = dict(request.attributes or {})
        # The ipnetwork of an existing network is its subnet's: repeating
        # it is fine, changing it is not offered.
        fields = self._settable(attributes, ipnetwork=True)
        if fields:
            self._neutron.update_network(network_id, fields)
        else:
            self.network(network_id)

    def act(self, network_id, action):
        """``up`` or ``down``: the network's admin state."""
        self._neutron.update_network(network_id,
                                     {'admin_state_up': action == 'up'})

    def delete(self, network_id):
        """Delete a network with its subnets and router interfaces.

        :raises: NotFound; Conflict while computes are on it, before
            anything is touched
        """
        network = self.network(network_id)
        owner = network.get('project_id', network.get('tenant_id'))
        if owner and self._project_id and owner != self._project_id:
            raise exceptions.Forbidden(
                'Network %s belongs to another project: only its owner can '
                'delete it.' % network_id)
        ports = self._neutron.ports(network_id=network_id)
        users = [p for p in ports if p.get('device_owner') not in PLUMBING]
        if users:
            raise exceptions.Conflict(
                'Network %s is in use by %d port(s) (%s): detach them '
                'first.' % (network_id, len(users), ', '.join(
                    '%s of %s' % (p['id'], p.get('device_owner') or
                                  'nobody') for p in users[:5])))
        self._remove(network_id, ports)
        self._forget_default()

    def _forget_default(self):
        """Find the project's default network anew at its next create.

        A network made or deleted here may change it; another process
        sees the change once it has kept its own for ``[occi]
        template_cache_ttl`` seconds (or at once, when Nova no longer
        finds the network it kept).
        """
        for choice in {'auto', self._conf.default_network}:
            self._session.kept.forget(self._default_key(choice))

    def _remove(self, network_id, ports=None):
        if ports is None:
            ports = self._neutron.ports(network_id=network_id)
        for port in ports:
            if port.get('device_owner') == 'network:router_interface':
                for fixed in port.get('fixed_ips', ()):
                    self._neutron.remove_router_interface(
                        port['device_id'], fixed['subnet_id'])
        self._neutron.delete_network(network_id, missing_ok=True)
