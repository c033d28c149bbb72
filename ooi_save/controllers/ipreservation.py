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

"""IP reservations and the placement mixins' collections.

``/ipreservation/`` lists and reserves floating IPs the project keeps,
``/ipreservation/<id>`` reads and releases one
(:mod:`ooi_save.backend.ipreservation`). The collections of the extension's
mixins list what carries them, as every mixin's collection does (GFD.223):
``/floatingippool/`` and ``/floatingippool/<term>/`` the ipreservations
(of that pool), ``/availability_zone/``, ``/availability_zone/<zone>/``,
``/region/`` and ``/region/<region>/`` the computes (in that zone).
"""

from ooi_save.controllers import collection
from ooi_save.controllers import compute
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra


class IPReservationCollection:
    """``/ipreservation/``: list and reserve."""

    def get(self, req):
        return collection.respond(req, req.session.ipreservations().list)

    def post(self, req):
        entity = collection.new_entity(req, infra.IPRESERVATION)
        return collection.created(
            req, req.session.ipreservations().create(entity))


class IPReservation(collection.Member):
    """``/ipreservation/<id>``: read and release."""

    noun = 'reserved IP address'

    def _entities(self, req):
        return req.session.ipreservations()


class PoolCollection:
    """``/floatingippool/`` and ``/floatingippool/<term>/``."""

    def get(self, req, term=None):
        reservations = req.session.ipreservations()
        if term is None:
            return collection.respond(req, reservations.list)
        network = reservations.pools.network(term)
        return collection.respond(req, lambda: [
            r for r in reservations.list()
            if any(m.term == term or m.term == network['id']
                   for m in r.mixins)])


class ZoneCollection:
    """``/availability_zone/<zone>/``, and every compute at the parent's."""

    def get(self, req, name=None):
        if name is None:
            return compute.listing(req)
        if name not in req.session.zones().names():
            raise exceptions.NotFound('No availability zone %s here.'
                                      % name)
        return compute.listing(req, {'availability_zone': name})


class RegionCollection:
    """``/region/<region>/``: every compute, when it is this region."""

    def get(self, req, name=None):
        region = req.session.zones().region_mixin()
        if name is not None and (region is None or region.term != name):
            raise exceptions.NotFound('No region %s here.' % name)
        return compute.listing(req)
