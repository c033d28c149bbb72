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

"""Controllers: what each OCCI path does.

Controllers turn a parsed OCCI request into backend calls and the backend's
answer into a rendering. They know the OCCI model and the backend's
interface, never Nova's, Glance's or Neutron's wire formats.
"""

from ooi_save.backend import network as backend_network
from ooi_save.controllers import compute
from ooi_save.controllers import ipreservation
from ooi_save.controllers import mixins
from ooi_save.controllers import network
from ooi_save.controllers import networkinterface
from ooi_save.controllers import query
from ooi_save.controllers import securitygroup
from ooi_save.controllers import storage
from ooi_save.controllers import storagelink
from ooi_save.controllers import templates


def routes(conf):
    """The route table of the filter.

    :param conf: the filter's configuration
    :returns: a list of (path template, controller) pairs; a parameter
        ``{name*}`` matches several path segments
    """
    query_interface = query.QueryInterface()
    computes = compute.ComputeCollection()
    return [
        ('/-/', query_interface),
        ('/.well-known/org/ogf/occi/-/', query_interface),
        ('/compute/', computes),
        ('/compute/{id}', compute.Compute()),
        ('/network/', network.NetworkCollection()),
        ('/network/public/', network.PublicNetworks()),
        ('/network/public_net/', network.PublicNetworks(
            backend_network.PUBLIC_NET)),
        ('/network/nat_net/', network.PublicNetworks(
            backend_network.NAT_NET)),
        ('/network/private_net/', network.PublicNetworks(
            backend_network.PRIVATE_NET)),
        ('/network/{id}', network.Network()),
        ('/networkinterface/', networkinterface.NetworkInterfaceCollection()),
        ('/networkinterface/{id}', networkinterface.NetworkInterface()),
        ('/storage/', storage.StorageCollection()),
        ('/storage/{id}', storage.Storage()),
        ('/storagelink/', storagelink.StorageLinkCollection()),
        ('/storagelink/{id}', storagelink.StorageLink()),
        ('/securitygroup/', securitygroup.SecurityGroupCollection()),
        ('/securitygroup/{id}', securitygroup.SecurityGroup()),
        ('/securitygrouplink/',
         securitygroup.SecurityGroupLinkCollection()),
        ('/securitygrouplink/{id}', securitygroup.SecurityGroupLink()),
        ('/ipreservation/', ipreservation.IPReservationCollection()),
        ('/ipreservation/{id}', ipreservation.IPReservation()),
        ('/floatingippool/', ipreservation.PoolCollection()),
        ('/floatingippool/{term}/', ipreservation.PoolCollection()),
        ('/availability_zone/', ipreservation.ZoneCollection()),
        ('/availability_zone/{name}/', ipreservation.ZoneCollection()),
        ('/region/', ipreservation.RegionCollection()),
        ('/region/{name}/', ipreservation.RegionCollection()),
        ('/os_tpl/', computes),
        ('/resource_tpl/', computes),
        ('/os_tpl/{term}/', templates.OSTemplate()),
        ('/resource_tpl/{term}/', templates.ResourceTemplate()),
        # Last: the locations clients give their own mixins.
        ('/{path*}/', mixins.MixinCollection()),
    ]
