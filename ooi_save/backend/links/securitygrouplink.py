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

"""OCCI securitygrouplink links: a compute in a Neutron security group.

Nova keeps no security groups of its own: a server's groups are those of
its Neutron ports. A compute has one securitygrouplink per group that any
of its ports is in, ``/securitygrouplink/<server id>_<group id>``, source
the compute and target ``/securitygroup/<group id>``;
``occi.securitygrouplink.state`` is ``active`` when every port of the
compute is in the group, ``inactive`` (the message says on how many) when
only some are, as after an interface attached later.

Reading a compute's links costs nothing more: they come from the port
listing the compute's networkinterfaces are read from
(:meth:`ooi_save.backend.links.networkinterface.NetworkInterfaces.links_of`
keeps it). One link, or all of them, costs one port listing.

Creating a link puts every port of the compute in the group; deleting it
takes every port out. Neutron takes a port's whole list of groups in an
update, so two changes at once to one port could undo each other: each
port is changed under a lock on it, the claims table of the OCCI database
(:mod:`ooi_save.db.claims`, keyed by the port id, kind
:data:`LOCK_KIND`; in the process's memory without a database) that the
saves use for servers, and read again once the lock is held. A change
done under the lock finds what the one before it left; linking a compute
to a group it is in already answers the link as it is.

NOTE(ooi-save): Neutron's own check, ``If-Match: revision_number=<n>``, is
sent too but does not serialise: on the mini-cloud, two updates of one
port released together with the same revision were both answered 200 and
the second undid the first, three times out of three.

A compute created with securitygrouplinks boots in those groups and in the
project's ``default`` group (Nova's ``security_groups``): a link adds a
group, as it does on an existing compute, and never takes ``default``
away. The ports ooi-save makes for public addresses are put in the same
groups before the boot.
"""

import contextlib
import time

from ooi_save.backend import concept
from ooi_save.backend import links
from ooi_save.db import claims as db_claims
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

#: How often a port change is tried again after another change came first.
RETRIES = 5

#: The kind of the claims that lock a port while its groups change.
LOCK_KIND = 'secgroups'

#: Seconds a port lock is held at most (a Neutron read and update).
LOCK_LEASE = 30

#: Seconds a change waits for the lock of a port before giving up (409).
LOCK_WAIT = 20

#: Seconds between the tries to take a port's lock.
_LOCK_INTERVAL = 0.05

#: Attributes a link create may carry, beyond the core ones.
_LINK_ATTRIBUTES = ('occi.securitygrouplink.state',
                    'occi.securitygrouplink.state.message')


def is_securitygrouplink(request, locations):
    """Whether a link rendered in a request is a securitygrouplink."""
    return (request.kind == infra.SECURITYGROUPLINK.type_id or
            request.target_kind == infra.SECURITYGROUP.type_id or (
                request.kind is None and locations.id_of(
                    request.target, 'securitygroup') is not None))


def _link_id(server_id, group_id):
    return '%s_%s' % (server_id, group_id)


def _is_compute_port(port):
    return (port.get('device_owner') or '').startswith('compute:')


class SecurityGroupLinks(concept.Concept):
    """The securitygrouplinks one caller sees.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def location(self, link_id):
        return self._locations.of('securitygrouplink', link_id)

    def _link(self, server_id, group_id, ports):
        """The link of a server to a group, from the server's ports."""
        inside = sum(1 for port in ports
                     if group_id in (port.get('security_groups') or ()))
        state = 'active' if inside == len(ports) else 'inactive'
        return links.build(
            self._locations, infra.SECURITYGROUPLINK,
            _link_id(server_id, group_id), server_id, infra.SECURITYGROUP,
            group_id, {
                'occi.securitygrouplink.state': state,
                'occi.securitygrouplink.state.message':
                    '%d of %d ports of the compute are in the group'
                    % (inside, len(ports))})

    def from_ports(self, ports, server_ids=None):
        """The links of computes, from their ports.

        :param ports: port dicts (``device_id``, ``security_groups``)
        :param server_ids: the computes, or None for every compute a port
            is bound to
        :returns: a dict from server id to a list of links, in the order
            the groups first appear on the server's ports
        """
        by_server = {}
        if server_ids is not None:
            by_server = {server_id: [] for server_id in server_ids}
        for port in ports:
            server_id = port.get('device_id')
            if server_ids is None and server_id and _is_compute_port(port):
                by_server.setdefault(server_id, [])
            if server_id in by_server:
                by_server[server_id].append(port)
        found = {}
        for server_id, server_ports in by_server.items():
            groups = []
            for port in server_ports:
                for group_id in port.get('security_groups') or ():
                    if group_id not in groups:
                        groups.append(group_id)
            found[server_id] = [self._link(server_id, group_id, server_ports)
                                for group_id in groups]
        return found

    def list(self):
        """Every securitygrouplink of the caller's computes (one call)."""
        filters = {}
        if self._session.project_id:
            filters['project_id'] = self._session.project_id
        found = self.from_ports(self._neutron.ports(**filters))
        return [link for server_links in found.values()
                for link in server_links]

    def _split(self, link_id):
        server_id, _, group_id = link_id.partition('_')
        if not group_id:
            raise exceptions.NotFound('No securitygrouplink %r here.'
                                      % link_id)
        return server_id, group_id

    def _ports(self, server_id):
        # NOTE(ooi-save): Neutron ids are UUIDs: anything else names nothing,
        # and is not sent as a filter.
        self._nova.check_server_id(server_id)
        return self._neutron.ports(device_id=server_id)

    def get(self, link_id):
        """One link (one port listing).

        :raises: NotFound
        """
        server_id, group_id = self._split(link_id)
        ports = self._ports(server_id)
        if not any(group_id in (p.get('security_groups') or ())
                   for p in ports):
            raise exceptions.NotFound('No securitygrouplink %s: compute %s '
                                      'is not in security group %s.'
                                      % (link_id, server_id, group_id))
        return self._link(server_id, group_id, ports)

    @staticmethod
    def check(request):
        """Refuse a link request that is no securitygrouplink."""
        if request.kind not in (None, infra.SECURITYGROUPLINK.type_id):
            raise exceptions.BadRequest(
                'Only securitygrouplink links are made here; the request '
                'renders kind %s.' % request.kind)
        if request.mixins:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a securitygrouplink.'
                % ', '.join(sorted(request.mixins)))
        for name in request.attributes or {}:
            if not (name.startswith('occi.core.') or
                    name in _LINK_ATTRIBUTES):
                raise exceptions.BadRequest(
                    'Attribute %s cannot be set on a securitygrouplink.'
                    % name)

    def target_id(self, request):
        """The id of the group a link request targets, which must exist.

        :raises: BadRequest
        """
        group_id = links.end_id(self._locations, request.target,
                                'securitygroup', 'occi.core.target',
                                'securitygrouplink')
        try:
            return self._neutron.get_security_group(group_id)['id']
        except exceptions.NotFound:
            raise exceptions.BadRequest(
                'The target security group %s does not exist or is not '
                'yours.' % group_id)

    def create(self, request):
        """Put every port of a compute in a group.

        :param request: the parsed link :class:`EntityRequest`
        :returns: the new :class:`ooi_save.occi.entities.Link`
        :raises: BadRequest, NotFound (the compute), Conflict (a compute
            without ports)
        """
        self.check(request)
        server_id = links.end_id(self._locations, request.source, 'compute',
                                 'occi.core.source', 'securitygrouplink')
        # Nova answers 404 for a server of another project.
        self._nova.get_server(server_id)
        group_id = self.target_id(request)
        ports = self._neutron.ports(device_id=server_id)
        if not ports:
            raise exceptions.Conflict(
                'Compute %s has no network interface to put in a security '
                'group: link it to a network first.' % server_id)
        ports = [self.change(port['id'], lambda groups: groups + [group_id]
                             if group_id not in groups else groups)
                 for port in ports]
        return self._link(server_id, group_id, ports)

    def delete(self, link_id):
        """Take every port of a compute out of a group.

        :raises: NotFound
        """
        server_id, group_id = self._split(link_id)
        ports = [p for p in self._ports(server_id)
                 if group_id in (p.get('security_groups') or ())]
        if not ports:
            raise exceptions.NotFound('No securitygrouplink %s: compute %s '
                                      'is not in security group %s.'
                                      % (link_id, server_id, group_id))
        for port in ports:
            self.change(port['id'], lambda groups: [g for g in groups
                                                    if g != group_id])

    def change(self, port_id, change):
        """Change a port's groups, under the port's lock.

        :param port_id: the port
        :param change: gives the new list of group ids from the current one
        :returns: the port as it is after the change
        :raises: Conflict when the port stays locked or keeps changing
        """
        with self._locked(port_id):
            for _attempt in range(RETRIES):
                port = self._neutron.get_port(port_id)
                groups = list(port.get('security_groups') or ())
                wanted = change(groups)
                if wanted == groups:
                    return port
                updated = self._neutron.update_port(
                    port_id, {'security_groups': wanted},
                    revision=port.get('revision_number'))
                if updated is not None:
                    return updated
        raise exceptions.Conflict(
            'Port %s kept changing while its security groups were being '
            'changed: try again.' % port_id)

    @contextlib.contextmanager
    def _locked(self, port_id):
        """Hold the lock of a port: the claim of its id.

        NOTE(ooi-save): the claims of the saves, whose table is keyed by
        server id; a port id names no server, and a lock whose lease ran
        out (its process died) is taken over as a save's claim is.
        """
        store = self._session.saves.gate.store
        owner = self._session.saves.owner
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            claim, holder = store.take(port_id, owner, LOCK_KIND,
                                       LOCK_LEASE)
            if claim is None and holder is not None and \
                    db_claims.expired(holder):
                claim = store.take_over(holder, owner, LOCK_KIND,
                                        LOCK_LEASE)
            if claim is not None:
                break
            if time.monotonic() > deadline:
                raise exceptions.Conflict(
                    'The security groups of port %s are being changed by '
                    'another request: try again.' % port_id)
            time.sleep(_LOCK_INTERVAL)
        try:
            yield
        finally:
            store.release(claim)
