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

"""The OCCI Infrastructure model (GFD.224).

Module constants name every kind, mixin and action of the standard:

* kinds: :data:`COMPUTE`, :data:`STORAGE`, :data:`NETWORK`,
  :data:`NETWORKINTERFACE`, :data:`STORAGELINK`, the extension's
  :data:`SECURITYGROUP`, :data:`SECURITYGROUPLINK` and
  :data:`IPRESERVATION`, and the core ones
  :data:`ENTITY`, :data:`RESOURCE`, :data:`LINK` (from
  :mod:`ooi_save.occi.entities`);
* mixins: :data:`OS_TPL`, :data:`RESOURCE_TPL`, :data:`SSH_KEY`,
  :data:`USER_DATA`, :data:`IPNETWORK`, :data:`IPNETWORKINTERFACE`, and
  the extension's :data:`AVAILABILITY_ZONE`, :data:`REGION` and
  :data:`FLOATINGIPPOOL`;
* actions: :data:`COMPUTE_START`, :data:`COMPUTE_STOP`,
  :data:`COMPUTE_RESTART`, :data:`COMPUTE_SUSPEND`, :data:`COMPUTE_SAVE`,
  :data:`STORAGE_ONLINE`, :data:`STORAGE_OFFLINE`, :data:`NETWORK_UP`,
  :data:`NETWORK_DOWN`.

Their locations are relative (``/compute/``); :func:`model` binds them below
the OCCI root of a request.

Attribute properties say what a client of this provider does, not only
what GFD.224 allows: ``required`` marks exactly what a create must carry
(clients fill in every required and mutable attribute before a create, from
example values), ``immutable`` what a client cannot set here, because the
cloud assigns it (a MAC address, a device name) or the backend refuses or
ignores it (a VLAN, CPU shares). GFD.221 5.3.2 lets a provider narrow
mutability so. Provider templates are built with
:func:`os_tpl_mixin` and :func:`resource_tpl_mixin`.
"""

from ooi_save.occi import categories
from ooi_save.occi import collections
from ooi_save.occi import entities
from ooi_save.occi import securitygroup

SCHEME = 'http://schemas.ogf.org/occi/infrastructure#'
COMPUTE_ACTION_SCHEME = (
    'http://schemas.ogf.org/occi/infrastructure/compute/action#')
STORAGE_ACTION_SCHEME = (
    'http://schemas.ogf.org/occi/infrastructure/storage/action#')
NETWORK_ACTION_SCHEME = (
    'http://schemas.ogf.org/occi/infrastructure/network/action#')
NETWORK_SCHEME = 'http://schemas.ogf.org/occi/infrastructure/network#'
NETWORKINTERFACE_SCHEME = (
    'http://schemas.ogf.org/occi/infrastructure/networkinterface#')
CREDENTIALS_SCHEME = 'http://schemas.ogf.org/occi/infrastructure/credentials#'
COMPUTE_SCHEME = 'http://schemas.ogf.org/occi/infrastructure/compute#'

ENTITY = entities.ENTITY
RESOURCE = entities.RESOURCE
LINK = entities.LINK

Attribute = categories.Attribute


def _state(prefix, states, what):
    """The ``state`` and ``state.message`` attributes of a kind.

    The state has multiplicity 1 but the server alone manages it, so it is
    immutable and not required (required would ask clients to send it).
    """
    return (
        Attribute(prefix + '.state', enum=states,
                  description='Current state of the %s.' % what),
        Attribute(prefix + '.state.message',
                  description='Human-readable explanation of the current '
                              'state of the %s.' % what),
    )


def _method(*methods, description):
    return Attribute('method', mutable=True, enum=methods,
                     description=description)


# Compute (GFD.224 3.1).

COMPUTE_START = categories.Action(COMPUTE_ACTION_SCHEME, 'start',
                                  'Start the compute')
COMPUTE_STOP = categories.Action(
    COMPUTE_ACTION_SCHEME, 'stop', 'Stop the compute',
    attributes=(_method('graceful', 'acpioff', 'poweroff',
                        description='How to stop.'),))
COMPUTE_RESTART = categories.Action(
    COMPUTE_ACTION_SCHEME, 'restart', 'Restart the compute',
    attributes=(_method('graceful', 'warm', 'cold',
                        description='How to restart.'),))
COMPUTE_SUSPEND = categories.Action(
    COMPUTE_ACTION_SCHEME, 'suspend', 'Suspend the compute',
    attributes=(_method('hibernate', 'suspend',
                        description='How to suspend.'),))
#: Save makes an OS template of the compute (GFD.224 3.1); its parameters
#: are plain ``method`` and ``name``: action attributes are exempt from the
#: ``occi.`` namespace rule (GFD.221 5.3.5).
COMPUTE_SAVE = categories.Action(
    COMPUTE_ACTION_SCHEME, 'save', 'Save the compute as an OS template',
    attributes=(
        _method('hot', 'deferred',
                description='hot: save while running; deferred: save when '
                            'the compute is stopped.'),
        Attribute('name', mutable=True,
                  description='Name of the new OS template.'),
    ))

COMPUTE = categories.Kind(
    SCHEME, 'compute', 'Compute',
    attributes=(
        # NOTE(ooi-save): architecture and shares come from the flavor and
        # the hypervisor: Nova takes neither from a client.
        Attribute('occi.compute.architecture',
                  enum=('x86', 'x64'),
                  description='CPU architecture of the instance.'),
        Attribute('occi.compute.cores', type='integer', mutable=True,
                  description='Number of virtual CPU cores assigned to the '
                              'instance.'),
        Attribute('occi.compute.hostname', mutable=True,
                  description='Fully qualified DNS hostname of the '
                              'instance.'),
        Attribute('occi.compute.share', type='integer',
                  description='Relative number of CPU shares for the '
                              'instance.'),
        Attribute('occi.compute.memory', type='number', mutable=True,
                  description='Maximum RAM in gigabytes (GiB) allocated to '
                              'the instance.'),
    ) + _state('occi.compute', ('active', 'inactive', 'suspended', 'error'),
               'compute'),
    location='/compute/', parent=RESOURCE,
    actions=(COMPUTE_START, COMPUTE_STOP, COMPUTE_RESTART, COMPUTE_SUSPEND,
             COMPUTE_SAVE))

# Storage (GFD.224 3.3). Resize is an update of occi.storage.size; 1.2
# removed the backup, snapshot and resize actions.

STORAGE_ONLINE = categories.Action(STORAGE_ACTION_SCHEME, 'online',
                                   'Bring the storage online')
STORAGE_OFFLINE = categories.Action(STORAGE_ACTION_SCHEME, 'offline',
                                    'Take the storage offline')

STORAGE = categories.Kind(
    SCHEME, 'storage', 'Storage',
    attributes=(
        Attribute('occi.storage.size', type='number', mutable=True,
                  required=True,
                  description='Storage size of the instance in gigabytes '
                              '(GiB).'),
    ) + _state('occi.storage', ('online', 'offline', 'error'), 'storage'),
    location='/storage/', parent=RESOURCE,
    actions=(STORAGE_ONLINE, STORAGE_OFFLINE))

# Network (GFD.224 3.2).

NETWORK_UP = categories.Action(NETWORK_ACTION_SCHEME, 'up',
                               'Bring the network up')
NETWORK_DOWN = categories.Action(NETWORK_ACTION_SCHEME, 'down',
                                 'Take the network down')

NETWORK = categories.Kind(
    SCHEME, 'network', 'Network',
    attributes=(
        # Neutron's provider attributes are the operator's: neither is set
        # by a client.
        Attribute('occi.network.vlan', type='integer',
                  description='802.1q VLAN identifier (0-4095).'),
        Attribute('occi.network.label',
                  description='Tag based VLAN label (a token, e.g. '
                              'external-dmz).'),
    ) + _state('occi.network', ('active', 'inactive', 'error'), 'network'),
    location='/network/', parent=RESOURCE,
    actions=(NETWORK_UP, NETWORK_DOWN))

IPNETWORK = categories.Mixin(
    NETWORK_SCHEME, 'ipnetwork', 'IP network',
    attributes=(
        # The subnet an ipnetwork is made with: its CIDR is needed.
        Attribute('occi.network.address', mutable=True, required=True,
                  description='Internet protocol (IP) network address in '
                              'CIDR notation.'),
        Attribute('occi.network.gateway', mutable=True,
                  description='Internet protocol (IP) network address of '
                              'the gateway.'),
        Attribute('occi.network.allocation', mutable=True,
                  enum=('dynamic', 'static'),
                  description='Address allocation mechanism.'),
    ),
    location='/ipnetwork/', applies=(NETWORK,))

# Links (GFD.224 3.4).

NETWORKINTERFACE = categories.Kind(
    SCHEME, 'networkinterface', 'Network interface',
    attributes=(
        # Multiplicity 1 but immutable, not required: the cloud names the
        # interface and Neutron assigns the MAC address.
        Attribute('occi.networkinterface.interface',
                  description='Identifier of the device interface of the '
                              'link.'),
        Attribute('occi.networkinterface.mac',
                  description='MAC address of the device interface of the '
                              'link.'),
    ) + _state('occi.networkinterface', ('active', 'inactive', 'error'),
               'network interface'),
    location='/networkinterface/', parent=LINK)

IPNETWORKINTERFACE = categories.Mixin(
    NETWORKINTERFACE_SCHEME, 'ipnetworkinterface', 'IP network interface',
    attributes=(
        # An address may be asked for (then the allocation is static);
        # without one Neutron chooses it (dynamic). The gateway is the
        # subnet's.
        Attribute('occi.networkinterface.address', mutable=True,
                  description='Internet protocol (IP) address of the '
                              'interface.'),
        Attribute('occi.networkinterface.gateway',
                  description='Internet protocol (IP) address of the '
                              'gateway.'),
        Attribute('occi.networkinterface.allocation',
                  enum=('dynamic', 'static'),
                  description='Address allocation mechanism.'),
    ),
    location='/ipnetworkinterface/', applies=(NETWORKINTERFACE,))

STORAGELINK = categories.Kind(
    SCHEME, 'storagelink', 'Storage link',
    attributes=(
        # A device name may be asked for; Nova chooses one otherwise. The
        # guest mounts the disk: the cloud cannot.
        Attribute('occi.storagelink.deviceid', mutable=True,
                  description='Device identifier as defined by the '
                              'provider.'),
        Attribute('occi.storagelink.mountpoint',
                  description='Where the storage is mounted in the guest '
                              'OS.'),
    ) + _state('occi.storagelink', ('active', 'inactive', 'error'),
               'storage link'),
    location='/storagelink/', parent=LINK)

# The infrastructure extension of the EGI-era clients (rOCCI-core's
# ``Occi::InfrastructureExt``): IP reservations and the mixins placing a
# compute or choosing a pool. The kinds and mixins each provider instance
# makes of them (one per zone, per pool) depend on these.

#: Scheme of the floating IP pool parent mixin (rOCCI-core's
#: ``FLOATINGIPPOOL_MIXIN``): an OpenStack scheme, not an OGF one.
OPENSTACK_NETWORK_SCHEME = 'http://schemas.openstack.org/network#'

IPRESERVATION = categories.Kind(
    SCHEME, 'ipreservation', 'IP reservation',
    attributes=(
        # An address may be asked for; the pool chooses one otherwise.
        Attribute('occi.ipreservation.address', mutable=True,
                  description='Internet protocol (IP) address reserved.'),
        Attribute('occi.ipreservation.used', type='boolean',
                  description='Whether the address is given to a compute '
                              'now.'),
        Attribute('occi.ipreservation.state',
                  enum=('active', 'inactive', 'error'),
                  description='Current state of the IP reservation.'),
    ),
    location='/ipreservation/', parent=NETWORK)

AVAILABILITY_ZONE = categories.Mixin(
    SCHEME, 'availability_zone', 'Availability zone',
    location='/availability_zone/', applies=(COMPUTE,))
REGION = categories.Mixin(SCHEME, 'region', 'Region', location='/region/',
                          applies=(COMPUTE,))
FLOATINGIPPOOL = categories.Mixin(
    OPENSTACK_NETWORK_SCHEME, 'floatingippool', 'Floating IP pool',
    location='/floatingippool/', applies=(IPRESERVATION, NETWORKINTERFACE))

# Templates and the compute mixins (GFD.224 3.5).

OS_TPL = categories.Mixin(SCHEME, 'os_tpl', 'OS template', location='/os_tpl/',
                          applies=(COMPUTE,))
RESOURCE_TPL = categories.Mixin(SCHEME, 'resource_tpl', 'Resource template',
                                location='/resource_tpl/', applies=(COMPUTE,))
SSH_KEY = categories.Mixin(
    CREDENTIALS_SCHEME, 'ssh_key', 'Credentials: SSH public key',
    attributes=(
        Attribute('occi.credentials.ssh.publickey', mutable=True,
                  required=True,
                  description='SSH public key injected into the compute.'),
    ),
    location='/ssh_key/', applies=(COMPUTE,))
#: The value is given once, at creation: the attribute is mutable in the
#: GFD.221 sense (clients set it) but an update is refused by the backend.
USER_DATA = categories.Mixin(
    COMPUTE_SCHEME, 'user_data', 'Contextualization: user data',
    attributes=(
        Attribute('occi.compute.userdata', mutable=True, required=True,
                  description='Contextualization data (e.g. cloud-init), '
                              'supplied at creation time only.'),
    ),
    location='/user_data/', applies=(COMPUTE,))

#: The security group kinds of the infrastructure extension
#: (:mod:`ooi_save.occi.securitygroup`).
SECURITYGROUP = securitygroup.SECURITYGROUP
SECURITYGROUPLINK = securitygroup.SECURITYGROUPLINK

KINDS = (ENTITY, RESOURCE, LINK, COMPUTE, STORAGE, NETWORK, NETWORKINTERFACE,
         STORAGELINK) + securitygroup.KINDS
MIXINS = (OS_TPL, RESOURCE_TPL, SSH_KEY, USER_DATA, IPNETWORK,
          IPNETWORKINTERFACE)
KINDS += (IPRESERVATION,)
MIXINS += (AVAILABILITY_ZONE, REGION, FLOATINGIPPOOL)
ACTIONS = (COMPUTE_START, COMPUTE_STOP, COMPUTE_RESTART, COMPUTE_SUSPEND,
           COMPUTE_SAVE, STORAGE_ONLINE, STORAGE_OFFLINE, NETWORK_UP,
           NETWORK_DOWN)

# The standard categories bound below each OCCI root seen so far: the same
# objects are reused, and so are their cached renderings.
_BOUND = {}
_BOUND_MAX = 64


def _bound(root_url):
    categories = _BOUND.get(root_url)
    if categories is None:
        def bind(category):
            if category.location is None:
                return category
            return category.with_location(root_url + category.location)
        categories = (tuple(bind(k) for k in KINDS),
                      tuple(bind(m) for m in MIXINS))
        if len(_BOUND) >= _BOUND_MAX:
            _BOUND.clear()
        _BOUND[root_url] = categories
    return categories


def model(root_url='', kinds=(), mixins=(), actions=()):
    """The category collection of the query interface.

    :param root_url: the URL of the OCCI root (no trailing slash) the
        standard locations are bound below, e.g. ``http://h:8774/occi1.2``;
        empty for relative locations (``/compute/``)
    :param kinds: provider kinds to add
    :param mixins: provider mixins to add (templates, user mixins)
    :param actions: provider actions to add
    :returns: a :class:`ooi_save.occi.collections.CategoryCollection`
    """
    standard_kinds, standard_mixins = _bound(root_url)
    return collections.CategoryCollection(
        standard_kinds + tuple(kinds), standard_mixins + tuple(mixins),
        ACTIONS + tuple(actions))


def os_tpl_mixin(scheme, term, title, location, attributes=()):
    """A provider OS template (GFD.224 3.5.1).

    :param scheme: the provider's os_tpl scheme (not under
        ``http://schemas.ogf.org/occi/``)
    :param term: the template id (e.g. the image id)
    :param title: a human readable title, or None
    :param location: the URL of the template's collection
    :param attributes: :class:`~ooi_save.occi.categories.Attribute` objects
        describing the template
    :returns: a :class:`~ooi_save.occi.categories.Mixin` depending on
        :data:`OS_TPL` and applying to :data:`COMPUTE`
    """
    return categories.Mixin(scheme, term, title, attributes=attributes,
                            location=location, depends=(OS_TPL,),
                            applies=(COMPUTE,))


def resource_tpl_mixin(scheme, term, title, location, attributes=()):
    """A provider resource template (GFD.224 3.5.2), e.g. a flavor.

    :param scheme: the provider's resource_tpl scheme
    :param term: the template term
    :param title: a human readable title, or None
    :param location: the URL of the template's collection
    :param attributes: :class:`~ooi_save.occi.categories.Attribute` objects
        whose defaults carry the template's values (cores, memory...)
    :returns: a :class:`~ooi_save.occi.categories.Mixin` depending on
        :data:`RESOURCE_TPL` and applying to :data:`COMPUTE`
    """
    return categories.Mixin(scheme, term, title, attributes=attributes,
                            location=location, depends=(RESOURCE_TPL,),
                            applies=(COMPUTE,))
