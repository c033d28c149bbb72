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

"""The predecessor's contextualization mixins, kept as aliases.

ooi, the retired predecessor, passed user data and an SSH key with two
mixins of its own, defined before OCCI 1.2 had ``user_data`` and
``ssh_key``. The clients written against it still send them (IM's OCCI
connector on every create, EGI's command line for ``--context``), so they
are accepted on a compute create as aliases, and listed in the query
interface with their attributes so that clients find them:

* ``user_data; scheme="http://schemas.openstack.org/compute/instance#"``
  with ``org.openstack.compute.user_data``: the same as ``user_data``
  (``occi.compute.userdata``);
* ``public_key; scheme="http://schemas.openstack.org/instance/credentials#"``
  with ``org.openstack.credentials.publickey.data`` (and ``.name``): the
  same as ``ssh_key`` (``occi.credentials.ssh.publickey``).

An alias behaves as its standard mixin, with the same checks: the value is
required; user data is base64 (plain text is encoded); the key is imported
into Nova under a name made from its content, so the same key is used
again. ``org.openstack.credentials.publickey.name`` is read but names
nothing: a name chosen by the client could be another key's already. A
request giving both a standard mixin and its alias must give them the
same value.
"""

from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra

#: The predecessor's schemes.
USER_DATA_SCHEME = 'http://schemas.openstack.org/compute/instance#'
PUBLIC_KEY_SCHEME = 'http://schemas.openstack.org/instance/credentials#'

#: Their attributes.
USER_DATA_ATTRIBUTE = 'org.openstack.compute.user_data'
PUBLIC_KEY_ATTRIBUTE = 'org.openstack.credentials.publickey.data'
PUBLIC_KEY_NAME_ATTRIBUTE = 'org.openstack.credentials.publickey.name'

USER_DATA = categories.Mixin(
    USER_DATA_SCHEME, 'user_data',
    'Contextualization: user data (the alias of user_data that ooi '
    'clients send)',
    attributes=(
        categories.Attribute(
            USER_DATA_ATTRIBUTE, mutable=True, required=True,
            description='Contextualization data (e.g. cloud-init), '
                        'base64, supplied at creation time only.'),
    ),
    location='/openstack/user_data/', applies=(infra.COMPUTE,))

PUBLIC_KEY = categories.Mixin(
    PUBLIC_KEY_SCHEME, 'public_key',
    'Credentials: SSH public key (the alias of ssh_key that ooi clients '
    'send)',
    attributes=(
        categories.Attribute(
            PUBLIC_KEY_ATTRIBUTE, mutable=True, required=True,
            description='SSH public key injected into the compute.'),
        categories.Attribute(
            PUBLIC_KEY_NAME_ATTRIBUTE, mutable=True, required=False,
            description='Accepted and ignored: the key is named after '
                        'its content.'),
    ),
    location='/openstack/public_key/', applies=(infra.COMPUTE,))

#: The aliases.
MIXINS = (USER_DATA, PUBLIC_KEY)

#: Each alias's type id -> (the standard mixin, the alias's attribute
#: holding the value).
ALIASES = {
    USER_DATA.type_id: (infra.USER_DATA, USER_DATA_ATTRIBUTE),
    PUBLIC_KEY.type_id: (infra.SSH_KEY, PUBLIC_KEY_ATTRIBUTE),
}

#: The attributes of the aliases, which a create reads.
ATTRIBUTES = (USER_DATA_ATTRIBUTE, PUBLIC_KEY_ATTRIBUTE,
              PUBLIC_KEY_NAME_ATTRIBUTE)

#: The standard mixins' attributes.
_STANDARD_ATTRIBUTE = {
    infra.USER_DATA.type_id: 'occi.compute.userdata',
    infra.SSH_KEY.type_id: 'occi.credentials.ssh.publickey',
}


def values(mixins, attributes):
    """What a create's contextualization mixins ask for.

    :param mixins: the type ids of the request's mixins
    :param attributes: the request's attributes
    :returns: a dict from the standard mixin's type id (user_data,
        ssh_key) to ``(value, attribute)``: the value given, None when
        missing, and the attribute that holds it, for messages
    :raises: BadRequest when a mixin and its alias give different values
    """
    found = {}
    for mixin in mixins:
        if mixin in _STANDARD_ATTRIBUTE:
            standard, attribute = mixin, _STANDARD_ATTRIBUTE[mixin]
        elif mixin in ALIASES:
            category, attribute = ALIASES[mixin]
            standard = category.type_id
        else:
            continue
        value = attributes.get(attribute)
        if standard in found:
            other_value, other = found[standard]
            if other_value is None:
                found[standard] = (value, attribute)
            elif value is not None and value != other_value:
                raise exceptions.BadRequest(
                    '%s and %s give different values: give one of them.'
                    % (other, attribute))
            continue
        found[standard] = (value, attribute)
    return found
