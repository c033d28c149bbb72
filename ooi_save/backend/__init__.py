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

"""The backend: the only code that knows Nova, Glance, Neutron and Cinder.

:class:`Backend` lives as long as the filter and holds what outlives one
request (the template cache, the save manager). :meth:`Backend.session`
gives each request a :class:`Session` acting with the caller's credentials.
"""

from ooi_save.backend import compute
from ooi_save.backend import ipreservation
from ooi_save.backend import kept
from ooi_save.backend import links
from ooi_save.backend.links import networkinterface
from ooi_save.backend.links import securitygrouplink
from ooi_save.backend.links import storagelink
from ooi_save.backend import mixins
from ooi_save.backend import network
from ooi_save.backend import pools
from ooi_save.backend import save
from ooi_save.backend import securitygroups
from ooi_save.backend.services import base
from ooi_save.backend.services import cinder
from ooi_save.backend.services import glance
from ooi_save.backend.services import neutron
from ooi_save.backend.services import nova
from ooi_save.backend import storage
from ooi_save.backend import templates
from ooi_save.backend import zones
from ooi_save.db import api as db_api
from ooi_save.db import bare as db_bare
from ooi_save import opts


def _concept(cls):
    """A Session method making a view of a concept for the session."""
    return lambda session: cls(session)


class Backend:
    """What the filter knows of OpenStack.

    :param app: nova's WSGI API router, below the filter
    :param conf: the filter's configuration
    """

    def __init__(self, app, conf):
        self.app = app
        self.conf = conf
        self.template_cache = templates.TemplateCache(
            conf.template_cache_ttl)
        #: The zones and pools of each project, kept a little while.
        self.kept = kept.Kept()
        self.saves = save.SaveManager(app, conf)
        # NOTE(ooi-save): no connection is opened here: the first request that
        # needs the user mixins does it.
        self.mixin_store = db_api.store_for(
            conf.oslo_conf[opts.DATABASE_GROUP])
        #: The computes ooi-save made nothing for in Neutron, or None.
        self.bare_computes = db_bare.bare_computes_for(
            conf.oslo_conf[opts.DATABASE_GROUP])

    def start(self):
        """Work to do once the filter is built: resume unfinished saves."""
        self.saves.start()

    def session(self, environ, locations=None):
        """The backend as seen by one caller.

        :param environ: the caller's WSGI environ
        :param locations: the :class:`ooi_save.locations.Locations` of the
            caller's request, for what the session renders; None where
            nothing is rendered (a chain resumed without a request)
        :returns: a :class:`Session`
        """
        return Session(self, environ, locations)


class Session:
    """The backend acting for one request's caller.

    :param backend: the filter's :class:`Backend`
    :param environ: the caller's WSGI environ
    :param locations: the request's :class:`ooi_save.locations.Locations`
    """

    def __init__(self, backend, environ, locations=None):
        self.conf = backend.conf
        #: The caller's WSGI environ (its catalog names the region).
        self.environ = environ
        self.counter = base.CallCounter()
        self.nova = nova.NovaAPI(backend.app, environ, self.counter)
        self.glance = glance.GlanceAPI(environ, backend.conf, self.counter)
        self.neutron = neutron.NeutronAPI(environ, backend.conf,
                                          self.counter)
        #: The caller's project id, or None.
        self.project_id = getattr(self.nova.context, 'project_id', None)
        self.cinder = cinder.CinderAPI(environ, backend.conf, self.counter)
        self.nova.probes = (self.glance, self.neutron, self.cinder)
        self.templates = templates.Templates(self, backend.template_cache,
                                             environ)
        #: What the query interface keeps a little while (zones, pools).
        self.kept = backend.kept
        self.saves = backend.saves
        #: The computes ooi-save made nothing for in Neutron
        #: (:mod:`ooi_save.db.bare`), or None without a database.
        self.bare_computes = backend.bare_computes
        self.mixins = mixins.UserMixins(self, backend.mixin_store,
                                        self.project_id)
        #: Where what this session renders is located.
        self.locations = locations

    #: The caller's views of each concept, made anew on each call:
    #: computes, networks, networkinterface links, links of every kind,
    #: storages (Cinder volumes), storagelinks (volume attachments),
    #: security groups and securitygrouplinks (Neutron's).
    computes = _concept(compute.Computes)
    networks = _concept(network.Networks)
    network_interfaces = _concept(networkinterface.NetworkInterfaces)
    links = _concept(links.ComputeLinks)
    storages = _concept(storage.Storages)
    storagelinks = _concept(storagelink.StorageLinks)
    security_groups = _concept(securitygroups.SecurityGroups)
    security_group_links = _concept(securitygrouplink.SecurityGroupLinks)
    #: IP reservations (floating IPs kept), their pools, and the zones and
    #: region computes are placed in.
    ipreservations = _concept(ipreservation.IPReservations)
    pools = _concept(pools.Pools)
    zones = _concept(zones.Zones)
