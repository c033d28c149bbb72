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

"""What an update of an entity may carry back: the round-trip rules.

A client that GETs an entity, changes a mutable attribute and PUTs the
whole rendering back sends every attribute the server rendered. Those it
cannot change are accepted when they carry the current value and refused
with 400 only when they differ; the ones the server computes and that
change by themselves (a state message naming a running task) are
ignored. Action links and links sent back change nothing: the callers
never read them.
"""

from ooi_save import exceptions

#: Attributes the server computes that may have changed since the client
#: read them without the client changing anything.
VOLATILE = frozenset(('occi.compute.state.message',))


def _same(sent, current):
    if isinstance(current, bool) or isinstance(sent, bool):
        return sent == current
    if isinstance(current, (int, float)):
        try:
            return float(sent) == float(current)
        except (TypeError, ValueError):
            return False
    return sent == current


def check_unchanged(current, attributes, settable, ignored=()):
    """Refuse the attributes of an update that would change what cannot.

    :param current: the entity as the server renders it now (a
        :class:`ooi_save.occi.entities.Entity`)
    :param attributes: the attributes of the update request
    :param settable: names of the attributes the update may change
    :param ignored: names read elsewhere or only at creation
    :raises: BadRequest naming the first attribute that would change
    """
    values = dict(current.core_attributes())
    values.update(current.attributes)
    for name, sent in sorted(attributes.items()):
        if name in settable or name in ignored or name in VOLATILE:
            continue
        if name not in values:
            raise exceptions.BadRequest(
                'Attribute %s cannot be set on this %s.'
                % (name, current.kind.term))
        if not _same(sent, values[name]):
            raise exceptions.BadRequest(
                'Attribute %s cannot be changed: it is %r, the request '
                'gives %r.' % (name, values[name], sent))
