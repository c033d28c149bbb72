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


"""Reading a compute: the OCCI rendering of a Nova server.

Reading a compute costs one Nova call: at the microversion we pin, a
server embeds its flavor (cores, memory and name), its image id (the os_tpl
term) and its tags. The resource_tpl term is made of the flavor id, which
the server does not embed: the process remembers the id of every flavor
name a listing showed it, and lists the flavors once when a name is new to
it (:mod:`ooi_save.backend.templates`).

Nova status to ``occi.compute.state`` (``state.message`` always names the
Nova status, the task when one runs, and a deferred save under way or
failed, from its record in the server's metadata):

* ``active``: ACTIVE, and the transitional REBOOT, HARD_REBOOT, RESIZE,
  VERIFY_RESIZE, REVERT_RESIZE, MIGRATING, PASSWORD and RESCUE;
* ``inactive``: BUILD, REBUILD, SHUTOFF, STOPPED, DELETED, SOFT_DELETED;
* ``suspended``: SUSPENDED, PAUSED, SHELVED, SHELVED_OFFLOADED;
* ``error``: ERROR (the message carries the server's fault), UNKNOWN.
"""

from ooi_save.backend import save
from ooi_save.backend.services import nova as nova_api
from ooi_save.backend import templates
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

ACTIVE = 'active'
INACTIVE = 'inactive'
SUSPENDED = 'suspended'
ERROR = 'error'

STATES = {
    'ACTIVE': ACTIVE, 'REBOOT': ACTIVE, 'HARD_REBOOT': ACTIVE,
    'RESIZE': ACTIVE, 'VERIFY_RESIZE': ACTIVE, 'REVERT_RESIZE': ACTIVE,
    'MIGRATING': ACTIVE, 'PASSWORD': ACTIVE, 'RESCUE': ACTIVE,
    'BUILD': INACTIVE, 'REBUILD': INACTIVE, 'SHUTOFF': INACTIVE,
    'STOPPED': INACTIVE, 'DELETED': INACTIVE, 'SOFT_DELETED': INACTIVE,
    'SUSPENDED': SUSPENDED, 'PAUSED': SUSPENDED, 'SHELVED': SUSPENDED,
    'SHELVED_OFFLOADED': SUSPENDED,
    'ERROR': ERROR, 'UNKNOWN': ERROR,
}

#: The actions each steady Nova status allows. While Nova runs a task on
#: the server, no action is offered: Nova would refuse it with 409.
ACTIONS_BY_STATUS = {
    'ACTIVE': (infra.COMPUTE_STOP, infra.COMPUTE_RESTART,
               infra.COMPUTE_SUSPEND, infra.COMPUTE_SAVE),
    'SHUTOFF': (infra.COMPUTE_START, infra.COMPUTE_RESTART,
                infra.COMPUTE_SAVE),
    'SUSPENDED': (infra.COMPUTE_START,),
    'PAUSED': (infra.COMPUTE_START,),
    'SHELVED': (infra.COMPUTE_START,),
    'SHELVED_OFFLOADED': (infra.COMPUTE_START,),
    'ERROR': (infra.COMPUTE_RESTART,),
}

_ARCHITECTURES = {'x86_64': 'x64', 'amd64': 'x64', 'x64': 'x64',
                  'i386': 'x86', 'i686': 'x86', 'x86': 'x86'}

#: Provider attributes of a compute.
NS = 'org.openstack.compute.'


def state_of(server):
    """The OCCI state and state message of a server.

    :param server: the server dict as Nova renders it
    :returns: (state, message)
    """
    status = server.get('status', 'UNKNOWN')
    state = STATES.get(status, ERROR)
    task = nova_api.task_state(server)
    message = status
    if task:
        message = '%s, task %s' % (status, task)
    if state == ERROR and server.get('fault'):
        message = '%s: %s' % (message, server['fault'].get('message'))
    record = save.record_of(server)
    if record is not None and save.shown(record):
        message = '%s; %s' % (message, save.describe(record))
    return state, message


def actions_of(server):
    """The actions valid on a server now."""
    if nova_api.task_state(server):
        return ()
    return ACTIONS_BY_STATUS.get(server.get('status'), ())


def to_resource(conf, locations, server, user_mixins=(), links=(),
                flavor_term=templates.term_of):
    """The OCCI compute rendering of a Nova server.

    :param conf: the filter's configuration
    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param server: the server dict (microversion 2.47 or later)
    :param user_mixins: the user mixins the server is associated with
    :param links: its :class:`ooi_save.occi.entities.Link` objects
    :param flavor_term: gives the resource_tpl term of the flavor name the
        server embeds (:meth:`ooi_save.backend.templates.Templates.
        flavor_term_of`)
    :returns: a :class:`ooi_save.occi.entities.Resource`
    """
    state, message = state_of(server)
    flavor = server.get('flavor') or {}
    attributes = {
        'occi.compute.state': state,
        'occi.compute.state.message': message,
        NS + 'status': server.get('status'),
    }
    if 'vcpus' in flavor:
        attributes['occi.compute.cores'] = flavor['vcpus']
        attributes['occi.compute.memory'] = flavor['ram'] / 1024.0
    hostname = nova_api.hostname(server)
    if hostname:
        attributes['occi.compute.hostname'] = hostname
    arch = _ARCHITECTURES.get(
        (flavor.get('extra_specs') or {}).get('capabilities:cpu_arch', ''))
    if arch:
        attributes['occi.compute.architecture'] = arch
    if server.get('key_name'):
        attributes[NS + 'key_name'] = server['key_name']
    mixins = []
    image = server.get('image')
    if isinstance(image, dict) and image.get('id'):
        mixins.append(infra.os_tpl_mixin(
            conf.os_tpl_scheme, image['id'], None,
            locations.os_tpl(image['id'])))
    if flavor.get('original_name'):
        term = flavor_term(flavor['original_name'])
        mixins.append(infra.resource_tpl_mixin(
            conf.resource_tpl_scheme, term, flavor['original_name'],
            locations.resource_tpl(term)))
    mixins.extend(user_mixins)
    return entities.Resource(
        kind=infra.COMPUTE,
        id=server['id'],
        title=server.get('name'),
        summary=server.get('description'),
        mixins=mixins,
        attributes=attributes,
        location=locations.compute(server['id']),
        actions=actions_of(server),
        links=links)
