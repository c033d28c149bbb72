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

"""What a networkinterface request links a compute to.

* ``/network/<id>``: a network the caller sees; with a floating IP pool
  mixin it must be that pool's external network;
* ``/network/public`` (the ``public`` mixin's collection, as the
  predecessor and rOCCI clients name it): the external network of the
  request's floating IP pool mixin, else the default pool
  (:mod:`ooi_save.backend.pools`);
* ``/ipreservation/<id>``: a floating IP the project keeps
  (:mod:`ooi_save.backend.ipreservation`); it has its own pool.
"""

from ooi_save.backend import links
from ooi_save.backend import pools
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

#: The id of ``/network/public``: the external networks, as a target whose
#: floating IP pool mixin (or the default pool) chooses one.
PUBLIC = 'public'


def target(session, request):
    """The network a link request targets, or the ipreservation id.

    :param session: the caller's :class:`ooi_save.backend.Session`
    :param request: the link :class:`EntityRequest`
    :returns: a Neutron network dict, or ``(IPRESERVATION, id)``
    :raises: BadRequest for a target that is none of these, or a pool
        that does not exist or is not the target
    """
    locations = session.locations
    chosen = pools.Pools.chosen(request.mixins)
    reserved = locations.id_of(request.target, 'ipreservation')
    if reserved is not None:
        if chosen:
            raise exceptions.BadRequest(
                'An ipreservation has its pool: a link to it takes no '
                'floating IP pool mixin.')
        return infra.IPRESERVATION, reserved
    network_id = links.end_id(locations, request.target, 'network',
                              'occi.core.target', 'networkinterface')
    if network_id == PUBLIC:
        return pools.Pools(session).choose(request.mixins, 'public address')
    try:
        network = session.neutron.get_network(network_id)
    except exceptions.NotFound:
        raise exceptions.BadRequest(
            'The target network %s does not exist or is not yours.'
            % network_id)
    if chosen and network['id'] != pools.Pools(session).choose(
            request.mixins, 'public address')['id']:
        raise exceptions.BadRequest(
            'Floating IP pool %s is not network %s: link to %s/network/'
            'public with the pool mixin.' % (
                chosen[0], network_id, locations.root_url))
    return network
