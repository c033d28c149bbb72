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

"""IP reservations: floating IPs the project holds, kept across computes.

An ``ipreservation`` (``/ipreservation/<floating IP id>``) is a Neutron
floating IP of the caller's project that ooi-save did not make for a
compute (those carry
:data:`ooi_save.backend.links.networkinterface.MADE_BY` and go with their
compute): one made here, or with any other tool.

* ``occi.ipreservation.address``: the floating IP address; a create may
  ask for one, else the pool chooses;
* ``occi.ipreservation.used``: whether it is associated with a port;
* ``occi.ipreservation.state``: ``error`` when Neutron says ERROR, else
  ``active`` (the address is held); Neutron's status is in
  ``org.openstack.floatingip.status`` (DOWN while unused);
* ``occi.core.summary``: the floating IP's description;
* the mixin of its pool (:mod:`ooi_save.backend.pools`).

A read is one Neutron call, a listing one call; a create one call (plus one
listing of the pools), so that a refusal leaves nothing behind. Delete
releases the floating IP, associated or not.

A networkinterface from a compute to an ipreservation associates the
floating IP with the compute's first IPv4 port, holding a claim on it
(the saves' claims, :mod:`ooi_save.db.claims`, shared by the nova-api
nodes through the database) and with Neutron's ``revision-if-match``: of
two requests linking it at once, one wins and the other is answered 409,
before anything changes. Deleting the link
disassociates the floating IP and keeps it.
"""

import ipaddress

from ooi_save.backend import concept
from ooi_save.backend import pools
from ooi_save.db import claims
from ooi_save import exceptions
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

#: Provider attributes of an ipreservation.
NS = 'org.openstack.floatingip.'

#: The kind of the claim held on a floating IP while it is linked, and its
#: lease (seconds): a link takes well under a second.
CLAIM_KIND = 'ipreservation'
CLAIM_LEASE = 60

#: Attributes read when they are given but that set nothing.
IGNORED = ('occi.core.id', 'occi.core.title', 'occi.ipreservation.used',
           'occi.ipreservation.state', NS + 'status')


def made_for_a_compute(floating_ip):
    """Whether ooi-save made a floating IP for a compute's link."""
    # Imported here: the links import this module.
    from ooi_save.backend.links import networkinterface
    return floating_ip.get('description') == networkinterface.MADE_BY


def state_of(floating_ip):
    status = floating_ip.get('status') or 'UNKNOWN'
    return ('error' if status == 'ERROR' else 'active'), status


class IPReservations(concept.Concept):
    """The IP reservations one caller sees.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        super().__init__(session)
        self.pools = pools.Pools(session)

    def location(self, floating_ip_id):
        return self._locations.of('ipreservation', floating_ip_id)

    def to_resource(self, floating_ip):
        """The OCCI rendering of a floating IP."""
        state, status = state_of(floating_ip)
        attributes = {
            'occi.ipreservation.address':
                floating_ip.get('floating_ip_address'),
            'occi.ipreservation.used': bool(floating_ip.get('port_id')),
            'occi.ipreservation.state': state,
            NS + 'status': status,
        }
        mixin = self.pools.mixin_of(floating_ip.get('floating_network_id'))
        return entities.Resource(
            kind=infra.IPRESERVATION, id=floating_ip['id'],
            title=floating_ip.get('floating_ip_address'),
            summary=floating_ip.get('description') or None,
            mixins=[mixin] if mixin is not None else [],
            attributes={k: v for k, v in attributes.items()
                        if v is not None},
            location=self.location(floating_ip['id']))

    def floating_ip(self, floating_ip_id):
        """The floating IP of an ipreservation (one call).

        :raises: NotFound, also for one made for a compute's link
        """
        floating_ip = self._neutron.get_floating_ip(floating_ip_id)
        if made_for_a_compute(floating_ip):
            raise exceptions.NotFound(
                'Floating IP %s was made for a compute\'s link, not kept '
                'as an ipreservation.' % floating_ip_id)
        return floating_ip

    def list(self):
        """Every ipreservation of the caller (one listing)."""
        filters = {}
        if self._session.project_id:
            filters['project_id'] = self._session.project_id
        return [self.to_resource(f)
                for f in self._neutron.floating_ips(**filters)
                if not made_for_a_compute(f)]

    def get(self, floating_ip_id):
        return self.to_resource(self.floating_ip(floating_ip_id))

    def create(self, request):
        """Reserve a floating IP for an OCCI create request.

        :param request: the parsed :class:`EntityRequest`
        :returns: the new :class:`ooi_save.occi.entities.Resource`
        :raises: BadRequest (an unknown pool, an address that is not one,
            an attribute that cannot be set), Neutron's refusals (an
            address taken, over quota)
        """
        attributes = dict(request.attributes or {})
        unknown = [m for m in request.mixins or ()
                   if not m.startswith(pools.SCHEME)]
        if unknown:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to an ipreservation here: only '
                'a floating IP pool can.' % ', '.join(sorted(unknown)))
        fields = {}
        address = attributes.pop('occi.ipreservation.address', None)
        if address is not None:
            try:
                fields['floating_ip_address'] = str(
                    ipaddress.ip_address(str(address)))
            except ValueError:
                raise exceptions.BadRequest(
                    'occi.ipreservation.address %r is not an IP address.'
                    % (address,))
        summary = attributes.pop('occi.core.summary', None)
        if summary is not None:
            if not isinstance(summary, str):
                raise exceptions.BadRequest(
                    'occi.core.summary must be a string.')
            fields['description'] = summary
        for name in attributes:
            if name not in IGNORED:
                raise exceptions.BadRequest(
                    'Attribute %s cannot be set on an ipreservation.'
                    % name)
        network = self.pools.choose(request.mixins, 'ipreservation')
        fields['floating_network_id'] = network['id']
        return self.to_resource(self._neutron.create_floating_ip(fields))

    def delete(self, floating_ip_id):
        """Release the floating IP.

        :raises: NotFound
        """
        self.floating_ip(floating_ip_id)
        self._neutron.delete_floating_ip(floating_ip_id)

    def associate(self, floating_ip_id, port):
        """Give a reservation's address to a port, if no one has it.

        :param port: the port dict (a compute's)
        :returns: the floating IP, associated
        :raises: BadRequest when there is no such reservation, Conflict
            when it is in use or another request is linking it
        """
        claim = self._claim(floating_ip_id)
        try:
            return self._associate(floating_ip_id, port)
        finally:
            self._claims.release(claim)

    @property
    def _claims(self):
        return self._session.saves.gate.store

    def _claim(self, floating_ip_id):
        """Hold a floating IP while this request links it.

        NOTE(ooi-save): Neutron's revision-if-match does not serialise two
        updates made at once (measured on the mini-cloud: of two PUTs with
        the same ``If-Match``, both succeed), so the claims the saves hold
        on servers hold the floating IP here, keyed by its id: across
        nova-api nodes when they are in the database.

        :raises: Conflict when another request holds it
        """
        owner = self._session.saves.owner
        claim, holder = self._claims.take(floating_ip_id, owner, CLAIM_KIND,
                                          CLAIM_LEASE)
        if claim is None and holder is not None and claims.expired(holder):
            claim = self._claims.take_over(holder, owner, CLAIM_KIND,
                                           CLAIM_LEASE)
        if claim is None:
            raise exceptions.Conflict(
                'IP reservation %s is being linked to a compute by another '
                'request: another request got there first.'
                % floating_ip_id)
        return claim

    def _associate(self, floating_ip_id, port):
        try:
            floating_ip = self.floating_ip(floating_ip_id)
        except exceptions.NotFound:
            raise exceptions.BadRequest(
                'The target ipreservation %s does not exist or is not '
                'yours.' % floating_ip_id)
        if floating_ip.get('port_id'):
            raise exceptions.Conflict(
                'IP reservation %s (%s) is in use by compute %s: delete that '
                'link first.' % (
                    floating_ip_id, floating_ip.get('floating_ip_address'),
                    (floating_ip.get('port_details') or {}).get(
                        'device_id') or 'port ' + floating_ip['port_id']))
        # The revision still guards against other tools, one at a time.
        return self._neutron.update_floating_ip(
            floating_ip_id, {'port_id': port['id']},
            revision=floating_ip.get('revision_number'))

    def disassociate(self, floating_ip_id):
        """Take a reservation's address from its port; keep it."""
        self._neutron.update_floating_ip(floating_ip_id, {'port_id': None})
