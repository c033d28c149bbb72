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

"""The security group kinds of OCCI's infrastructure extension.

EGI's OCCI clients (rOCCI-core's ``Occi::InfrastructureExt``) know two kinds
beyond GFD.224, in the infrastructure scheme:

* :data:`SECURITYGROUP` (parent core ``resource``, location
  ``/securitygroup/``): a set of firewall rules, ``occi.securitygroup.rules``,
  and its ``occi.securitygroup.state``;
* :data:`SECURITYGROUPLINK` (parent core ``link``): a compute (its source)
  placed in a security group (its target), ``occi.securitygrouplink.state``.

A rule is an object with the keys rOCCI-server reads and writes:
``protocol`` (``tcp``, ``udp``, ``icmp``..., or ``any``), ``type``
(``inbound`` or ``outbound``), ``port`` (``"22"`` or ``"8000:8080"``) and
``range`` (a CIDR). The rules are an ``array`` attribute: JSON renders it
as an array of objects, the text renderings as that array in JSON, in one
quoted attribute value (as rOCCI did).

NOTE(ooi-save): rOCCI-core declares the rules ``required``; here they are
not, so that clients which fill in every required attribute before a create
do not invent a rule list: a group made without rules has the cloud's
default rules.
"""

from ooi_save.occi import categories
from ooi_save.occi import entities

SCHEME = 'http://schemas.ogf.org/occi/infrastructure#'

_STATES = ('active', 'inactive', 'error')

SECURITYGROUP = categories.Kind(
    SCHEME, 'securitygroup', 'Security group',
    attributes=(
        categories.Attribute(
            'occi.securitygroup.rules', type='array', mutable=True,
            description='Firewall rules of the group: a list of objects '
                        'with "protocol" (tcp, udp, icmp, ... or any), '
                        '"type" (inbound or outbound), "port" ("22" or '
                        '"8000:8080") and "range" (a CIDR).'),
        categories.Attribute(
            'occi.securitygroup.state', enum=_STATES,
            description='Current state of the security group.'),
    ),
    location='/securitygroup/', parent=entities.RESOURCE)

SECURITYGROUPLINK = categories.Kind(
    SCHEME, 'securitygrouplink', 'Security group link',
    attributes=(
        categories.Attribute(
            'occi.securitygrouplink.state', enum=_STATES,
            description='Current state of the security group link: active '
                        'when every port of the compute is in the group.'),
        categories.Attribute(
            'occi.securitygrouplink.state.message',
            description='Human-readable explanation of the current state '
                        'of the security group link.'),
    ),
    location='/securitygrouplink/', parent=entities.LINK)

KINDS = (SECURITYGROUP, SECURITYGROUPLINK)
