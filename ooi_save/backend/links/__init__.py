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

"""The links of computes: one place for every kind of link.

A package whose files are the kinds of link:
:mod:`~ooi_save.backend.links.networkinterface` (Neutron ports and
floating IPs), :mod:`~ooi_save.backend.links.storagelink` (Nova's volume
attachments) and :mod:`~ooi_save.backend.links.securitygrouplink` (the
security groups of a server's ports). Every link is built by
:func:`build` and every location a client gives as a link's source or
target is read by :func:`end_id`.

A compute's rendering carries its links; each kind of link has a source
here that reads the links of a whole page of computes with one listing per
backend, never one call per compute. A source has ``links_of(servers)``,
given the server dicts of the page, returning ``{server_id: [Link]}``:
networkinterfaces list the page's ports and floating IPs in Neutron;
storagelinks read the volumes Nova embeds in each server, and list the
volumes Cinder is detaching when any server of the page has volumes;
securitygrouplinks come from the ports the networkinterfaces listed.

A create carrying links is split here too: storagelinks become Nova's
block device mapping, securitygrouplinks the groups to boot in, the others
networks to boot on.
"""


from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend.links import networkinterface
from ooi_save.backend.links import securitygrouplink
from ooi_save.backend.links import storagelink
from ooi_save.backend import network
from ooi_save.backend.services import neutron
from ooi_save import exceptions
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

LOG = logging.getLogger(__name__)

# Said once a process: a cloud without Neutron would say it every request.
_warned = []


def build(locations, kind, link_id, server_id, target_kind, target_id,
          attributes, mixins=()):
    """A link of a compute, located below the request's root.

    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param kind: the link's kind (``NETWORKINTERFACE``, ``STORAGELINK``)
    :param link_id: the link's id
    :param server_id: the source compute's id
    :param target_kind: the target's kind (``NETWORK``, ``STORAGE``)
    :param target_id: the target's id
    :param attributes: the link's attributes
    :param mixins: the link's mixins
    :returns: a :class:`ooi_save.occi.entities.Link`
    """
    return entities.Link(
        kind=kind, id=link_id, mixins=mixins, attributes=attributes,
        location=locations.of(kind.term, link_id),
        source=locations.compute(server_id), source_kind=infra.COMPUTE,
        target=locations.of(target_kind.term, target_id),
        target_kind=target_kind)


def end_id(locations, value, collection, attribute, link_kind):
    """The id of what a link request names as its source or target.

    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param value: ``occi.core.source`` or ``.target``, as the client gave
    :param collection: where it must be (``compute``, ``network``...)
    :param attribute: the attribute's name, for the message
    :param link_kind: the link's kind term, for the message
    :raises: BadRequest when it is no location of that collection here
    """
    item_id = locations.id_of(value, collection)
    if item_id is None:
        raise exceptions.BadRequest(
            'A %s needs %s, the location of a %s here (%s/%s/<id>), not '
            '%r.' % (link_kind, attribute, collection, locations.root_url,
                     collection, value))
    return item_id


class ComputeLinks:
    """The link sources of one caller.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        self._locations = session.locations
        self._session = session
        self.sources = [storagelink.ServerVolumes(session)]
        self._interfaces = None
        self._networks = None
        self._groups = None
        if session.neutron.available:
            self._interfaces = networkinterface.NetworkInterfaces(session)
            self._networks = network.Networks(session)
            self.sources.append(self._interfaces)
            self._groups = securitygrouplink.SecurityGroupLinks(session)
            self.sources.append(_GroupLinksSource(self._interfaces,
                                                  self._groups))
        elif not _warned:
            _warned.append(True)
            LOG.warning('No network service in the caller\'s catalog and '
                        'no [occi] neutron_endpoint: computes render no '
                        'networkinterface links.')

    def of(self, servers):
        """The links of computes, in source order.

        :param servers: the server dicts, as Nova renders them
        :returns: a dict from server id to its list of links
        """
        servers = list(servers)
        links = {server['id']: [] for server in servers}
        if not servers:
            return links
        # NOTE(ooi-save): the first source asks Cinder, the others Neutron:
        # Cinder is asked in this thread while Neutron's sources are asked
        # in another, one after the other (the securitygrouplinks come
        # from the port listing the networkinterfaces made).
        neutron = concept.Meanwhile(lambda: [
            source.links_of(servers) for source in self.sources[1:]])
        found = [self.sources[0].links_of(servers)] + neutron.result()
        for by_server in found:
            for server_id, items in by_server.items():
                links.setdefault(server_id, []).extend(items)
        return links

    def check_sources(self, requests, client_id):
        """Refuse links of a create that start elsewhere than the new compute.

        A link rendered in a create starts at the compute being made: it
        may leave ``occi.core.source`` out, or name that compute by the
        ``occi.core.id`` the client gave it (IM does, as
        ``<root>/compute/<its id>``), which Nova never uses.

        :param requests: the link renderings of the create request
        :param client_id: the create's ``occi.core.id``, or None
        :raises: BadRequest for a source naming anything else
        """
        for request in requests or ():
            source = request.source
            if source is None:
                continue
            named = self._locations.id_of(source, 'compute')
            if named is None or client_id is None or named != str(client_id):
                raise exceptions.BadRequest(
                    'A link of a compute create starts at the compute being '
                    'made: its occi.core.source is %r, not the location of '
                    'that compute (%s/compute/<its occi.core.id>); leave it '
                    'out, or give the compute that occi.core.id.'
                    % (source, self._locations.root_url))

    def block_devices(self, requests):
        """Nova's block device mapping for the storagelinks of a create.

        :param requests: the link renderings of the create request
        :returns: the volumes' block devices, possibly none
        :raises: BadRequest for a volume that is not available, NotFound
        """
        devices = storagelink.block_devices(
            self._locations, [r for r in requests or ()
                              if storagelink.is_storagelink(r)])
        # NOTE(ooi-save): Nova reserves the volumes of a boot one by one and,
        # when it refuses a later one, leaves the earlier ones reserved: every
        # volume is checked first (one Cinder call each), so that a refused
        # create leaves nothing reserved.
        storages = self._session.storages() if devices else None
        for device in devices:
            status = storages.volume(device['uuid']).get('status')
            if status != 'available':
                raise exceptions.BadRequest(
                    'Storage %s is %s: a compute can be created only with '
                    'available storages.' % (device['uuid'], status))
        return devices

    def boot_networks(self, requests, choice, again=False):
        """Nova's ``networks`` for a compute created with links.

        :param requests: the link renderings of the create request
        :param choice: ``[occi] default_network``, for a create without
            links, and for the private side of a public address
        :param again: find the default network anew, not as kept (Nova did
            not find it)
        :returns: ``(networks, made)``: Nova's ``networks`` value and what
            was made for it, to :meth:`release` if the boot fails
        :raises: BadRequest for links that cannot be honoured
        """
        requests = [r for r in requests or ()
                    if not storagelink.is_storagelink(r) and
                    not securitygrouplink.is_securitygrouplink(
                        r, self._locations)]
        for request in requests:
            if request.kind not in (None, infra.NETWORKINTERFACE.type_id):
                raise exceptions.BadRequest(
                    'A compute can be created with networkinterface, '
                    'storagelink and securitygrouplink links only; the '
                    'request renders kind %s.' % request.kind)
        if self._interfaces is None:
            if requests:
                raise exceptions.ServiceUnavailable(
                    'This cloud has no network service to link computes '
                    'to networks with.')
            return ('none' if choice == 'none' else 'auto'), []
        if requests:
            return self._interfaces.boot_networks(
                requests, lambda: self._networks.default_id(
                    'auto' if choice == 'none' else choice))
        network_id = self._networks.default_id(choice, again=again)
        return ([{'uuid': network_id}] if network_id else 'none'), []

    def security_groups(self, requests):
        """The groups a compute created with these links boots in.

        :param requests: the link renderings of the create request
        :returns: the group ids of its securitygrouplinks, each checked,
            followed by ``default``; None when it has none (Nova's default)
        :raises: BadRequest for a link that cannot be honoured
        """
        requests = [r for r in requests or ()
                    if securitygrouplink.is_securitygrouplink(
                        r, self._locations)]
        if not requests:
            return None
        if self._groups is None:
            raise exceptions.ServiceUnavailable(
                'This cloud has no network service to put computes in '
                'security groups with.')
        found = []
        for request in requests:
            self._groups.check(request)
            group_id = self._groups.target_id(request)
            if group_id not in found:
                found.append(group_id)
        return found + ['default']

    def place_ports(self, made, groups):
        """Put the ports :meth:`boot_networks` made in the boot's groups.

        Nova puts only the ports it makes itself in a boot's groups.

        :param made: what :meth:`boot_networks` made
        :param groups: what :meth:`security_groups` gave
        """
        ports = [item_id for resource, item_id in made
                 if resource == 'port']
        if not ports or not groups:
            return
        wanted = [g for g in groups if g != 'default'] + [
            g['id'] for g in self._session.neutron.security_groups(
                name='default', fields='id', **(
                    {'project_id': self._session.project_id}
                    if self._session.project_id else {}))]
        for port_id in ports:
            self._session.neutron.update_port(port_id,
                                              {'security_groups': wanted})

    def booted(self, server_id, made):
        """Note a new compute that ooi-save made nothing for in Neutron.

        Its delete then need not ask Neutron (:mod:`ooi_save.db.bare`).

        :param made: what :meth:`boot_networks` made for it
        """
        store = self._session.bare_computes
        if self._interfaces is not None and not made and store is not None:
            store.add(server_id)

    def made_for(self, server_id):
        """What ooi-save made for a compute, to release with it.

        Asked as the compute's delete begins: the row of a compute made bare
        goes as it is read (:meth:`ooi_save.db.bare.BareComputes.take`).
        """
        if self._interfaces is None:
            return []
        store = self._session.bare_computes
        if store is not None and store.take(server_id):
            return []
        return self._interfaces.made_for(server_id)

    @staticmethod
    def split_made(made):
        """What :meth:`made_for` found: (floating IPs, the rest)."""
        floating_ips = [item for item in made
                        if item[0] == neutron.FLOATING_IP]
        return floating_ips, [item for item in made
                              if item[0] != neutron.FLOATING_IP]

    def release_held(self, server_id, ports):
        """Release the ports :meth:`made_for` found, once Nova lets them go.

        :param server_id: the compute Nova is deleting
        :param ports: the second list of :meth:`split_made`
        """
        if ports:
            self._interfaces.release_held(server_id, ports)

    def release(self, made):
        """Release what :meth:`boot_networks` or :meth:`made_for` found."""
        if made:
            self._interfaces.release(made)


class _GroupLinksSource:
    """The securitygrouplinks of a page of computes, from its ports.

    :param interfaces: the networkinterface source, which lists the ports
        first
    :param groups: the :class:`~ooi_save.backend.links.securitygrouplink.
        SecurityGroupLinks` of the caller
    """

    def __init__(self, interfaces, groups):
        self._interfaces = interfaces
        self._groups = groups

    def links_of(self, servers):
        server_ids = [server['id'] for server in servers]
        read = getattr(self._interfaces, 'ports_read', None)
        if read is None or read[0] != server_ids:
            # Not read for these computes: read them now.
            self._interfaces.links_of(servers)
            read = self._interfaces.ports_read
        return self._groups.from_ports(read[1], server_ids)
