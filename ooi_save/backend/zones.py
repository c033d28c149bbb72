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

"""Where a compute runs: Nova's availability zones and the region.

* one mixin per availability zone the caller sees (Nova's
  ``os-availability-zone``, zones available now), scheme
  :data:`ZONE_SCHEME`, term the zone's name, depending on
  :data:`ooi_save.occi.infrastructure.AVAILABILITY_ZONE`. Applied to a
  compute create, the server is booted in that zone (the zones are
  checked first, so that a zone the caller cannot use is a 400, not a
  server in ERROR). The zones are listed once per ``[occi]
  template_cache_ttl`` seconds (:mod:`ooi_save.backend.kept`). A compute
  renders the mixin of its zone from Nova's rendering of the server
  (``OS-EXT-AZ:availability_zone``): no call;
* the region the caller's catalog gives Nova's endpoint: one mixin,
  scheme :data:`REGION_SCHEME`, depending on
  :data:`ooi_save.occi.infrastructure.REGION`, in the query interface.
  A create may carry it; any other region is refused.

A zone whose name is not a valid OCCI term (a space in it) has no mixin.
"""

import re

from ooi_save.backend.services import catalog
from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra

#: Scheme of the availability zone mixins.
ZONE_SCHEME = 'http://schemas.openstack.org/compute/availability_zone#'

#: Scheme of the region mixin.
REGION_SCHEME = 'http://schemas.openstack.org/region#'

#: The key of the zone in Nova's rendering of a server.
ZONE_KEY = 'OS-EXT-AZ:availability_zone'

#: The terms made: OCCI 1.1's grammar, which older clients enforce.
_TERM = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]*$')


def region_of(environ):
    """The region of Nova's endpoint in the caller's catalog, or None."""
    services = catalog.catalog(environ)
    for wanted in ('compute', None):
        for service in services:
            if wanted and service.get('type') != wanted:
                continue
            for endpoint in service.get('endpoints') or ():
                region = endpoint.get('region_id') or endpoint.get('region')
                if region:
                    return region
    return None


class Zones:
    """The zones and region one caller sees.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        self._nova = session.nova
        self._locations = session.locations
        self._environ = session.environ
        self._project_id = session.project_id
        self._ttl = session.conf.template_cache_ttl
        self._kept = session.kept

    def names(self):
        """The names of the zones available to the caller.

        One call, then none for ``[occi] template_cache_ttl`` seconds.
        """
        return self._kept.get(('zones', self._project_id), self._ttl, lambda: [
            zone['zoneName'] for zone in self._nova.availability_zones()
            if (zone.get('zoneState') or {}).get('available', True) and
            _TERM.match(zone.get('zoneName') or '')])

    def zone_mixin(self, name):
        """The mixin of a zone (no call)."""
        return categories.Mixin(
            ZONE_SCHEME, name, 'Availability zone %s' % name,
            location=self._locations.url('/availability_zone/%s/' % name),
            depends=(infra.AVAILABILITY_ZONE,), applies=(infra.COMPUTE,))

    def region_mixin(self):
        """The mixin of the caller's region, or None (no call)."""
        region = region_of(self._environ)
        if region is None or not _TERM.match(region):
            return None
        return categories.Mixin(
            REGION_SCHEME, region, 'Region %s' % region,
            location=self._locations.url('/region/%s/' % region),
            depends=(infra.REGION,), applies=(infra.COMPUTE,))

    def mixins(self):
        """The zone mixins and the region mixin, for the query interface."""
        found = [self.zone_mixin(name) for name in self.names()]
        region = self.region_mixin()
        return found + ([region] if region is not None else [])

    def of_server(self, server):
        """The zone mixin a compute renders, as a list (no call).

        NOTE(ooi-save): the region, the same for every compute, is not
        rendered on each: text/occi carries a compute in at most 3.5 KiB of
        headers, which a compute with two links and its zone nearly fills.
        """
        if _TERM.match(server.get(ZONE_KEY) or ''):
            return [self.zone_mixin(server[ZONE_KEY])]
        return []

    @staticmethod
    def is_placement(mixin):
        """Whether a mixin id is a zone's or a region's."""
        return mixin.startswith((ZONE_SCHEME, REGION_SCHEME))

    def zone_for_create(self, mixins):
        """The zone a create asks for, checked, or None.

        :param mixins: the request's mixin ids
        :raises: BadRequest for two zones, a zone the caller cannot use,
            another region
        """
        zones = [m[len(ZONE_SCHEME):] for m in mixins or ()
                 if m.startswith(ZONE_SCHEME)]
        regions = [m[len(REGION_SCHEME):] for m in mixins or ()
                   if m.startswith(REGION_SCHEME)]
        here = region_of(self._environ)
        for region in regions:
            if region != here:
                raise exceptions.BadRequest(
                    'Region %s is not this one (%s): a compute is created '
                    'in the region of the endpoint it is asked of.'
                    % (region, here))
        if len(zones) > 1:
            raise exceptions.BadRequest(
                'A compute runs in one availability zone, not %d.'
                % len(zones))
        if not zones:
            return None
        names = self.names()
        if zones[0] not in names:
            raise exceptions.BadRequest(
                'Availability zone %s is not one you can use here; yours: '
                '%s.' % (zones[0], ', '.join(names) or 'none'))
        return zones[0]
