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

"""From the OCCI attributes of a request to the fields of a backend body."""

from ooi_save import exceptions


def string_fields(attributes, settable, accepted, what):
    """The backend fields that a request's attributes set.

    :param attributes: the request's attributes
    :param settable: OCCI attribute name -> backend field, for the string
        attributes a client may set
    :param accepted: other attribute names that may be given, which the
        caller handles or ignores
    :param what: the kind of entity, for the message
    :returns: a dict from backend field to value
    :raises: BadRequest for an attribute that cannot be set, or a value
        that is not a string
    """
    found = {}
    for name, value in attributes.items():
        if name in settable:
            if not isinstance(value, str):
                raise exceptions.BadRequest('%s must be a string.' % name)
            found[settable[name]] = value
        elif name not in accepted:
            raise exceptions.BadRequest(
                'Attribute %s cannot be set on a %s of this provider.'
                % (name, what))
    return found
