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

"""OCCI Compute on Nova servers.

Reading a compute costs one Nova call: at the microversion we pin, a
server embeds its flavor (cores and memory), its image id (the os_tpl
term) and its tags. Its links come from :mod:`ooi_save.backend.links`:
one Neutron listing of its ports and one of their floating IPs (none when
it has no port); a page of computes costs the same listings for the whole
page.

Nova status to ``occi.compute.state`` (``state.message`` always names the
Nova status, the task when one runs, and a deferred save under way or
failed, from its record in the server's metadata):

* ``active``: ACTIVE, and the transitional REBOOT, HARD_REBOOT, RESIZE,
  VERIFY_RESIZE, REVERT_RESIZE, MIGRATING, PASSWORD and RESCUE;
* ``inactive``: BUILD, REBUILD, SHUTOFF, STOPPED, DELETED, SOFT_DELETED;
* ``suspended``: SUSPENDED, PAUSED, SHELVED, SHELVED_OFFLOADED;
* ``error``: ERROR (the message carries the server's fault), UNKNOWN.

OCCI actions to Nova:

========================  =============================================
OCCI action (method)      Nova server action
========================  =============================================
start                     os-start from SHUTOFF, resume from SUSPENDED,
                          unpause from PAUSED, unshelve from SHELVED or
                          SHELVED_OFFLOADED
stop (any method)         os-stop: Nova always asks the guest first and
                          powers off after its shutdown timeout, which
                          serves graceful, acpioff and poweroff alike
restart (graceful, warm)  reboot SOFT from ACTIVE; reboot HARD from
                          ERROR (the only reboot Nova allows there)
restart (cold)            reboot HARD
restart (any method)      os-start from SHUTOFF: nothing runs that
                          could be stopped first
suspend (suspend)         suspend
suspend (hibernate)       shelve
save (hot, deferred)      see :mod:`ooi_save.backend.save`
========================  =============================================
"""

from oslo_log import log as logging

from ooi_save.backend import computerequest
from ooi_save.backend import concept
from ooi_save.backend import polling
from ooi_save.backend import save
from ooi_save.backend.services import nova
from ooi_save.backend import templates
from ooi_save import exceptions
from ooi_save.occi import core
from ooi_save.occi import infrastructure as infra

LOG = logging.getLogger(__name__)

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
    task = server.get('OS-EXT-STS:task_state')
    message = status
    if task:
        message = '%s, task %s' % (status, task)
    if state == ERROR and server.get('fault'):
        message = '%s: %s' % (message, server['fault'].get('message'))
    record = save.record_of(server)
    if record is not None:
        message = '%s; %s' % (message, save.describe(record))
    return state, message


def actions_of(server):
    """The actions valid on a server now."""
    if server.get('OS-EXT-STS:task_state'):
        return ()
    return ACTIONS_BY_STATUS.get(server.get('status'), ())


def to_resource(conf, locations, server, user_mixins=(), links=()):
    """The OCCI compute rendering of a Nova server.

    :param conf: the filter's configuration
    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param server: the server dict (microversion 2.47 or later)
    :param user_mixins: the user mixins the server is associated with
    :param links: its :class:`ooi_save.occi.core.Link` objects
    :returns: a :class:`ooi_save.occi.core.Resource`
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
    hostname = server.get('OS-EXT-SRV-ATTR:hostname')
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
        term = templates.flavor_term(flavor['original_name'])
        mixins.append(infra.resource_tpl_mixin(
            conf.resource_tpl_scheme, term, flavor['original_name'],
            locations.resource_tpl(term)))
    mixins.extend(user_mixins)
    return core.Resource(
        kind=infra.COMPUTE,
        id=server['id'],
        title=server.get('name'),
        summary=server.get('description'),
        mixins=mixins,
        attributes=attributes,
        location=locations.compute(server['id']),
        actions=actions_of(server),
        links=links)


#: The methods of each action, the first being the default.
METHODS = {
    'stop': ('graceful', 'acpioff', 'poweroff'),
    'restart': ('warm', 'graceful', 'cold'),
    'suspend': ('suspend', 'hibernate'),
}

_START = {'SHUTOFF': 'os-start', 'STOPPED': 'os-start',
          'SUSPENDED': 'resume', 'PAUSED': 'unpause',
          'SHELVED': 'unshelve', 'SHELVED_OFFLOADED': 'unshelve'}


class Computes(computerequest.CreateUpdateMixin, concept.Concept):
    """Computes as one caller sees them.

    Their create and update are :mod:`ooi_save.backend.computerequest`'s.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        super().__init__(session)
        self._links = None

    @property
    def links(self):
        """The :class:`ooi_save.backend.links.ComputeLinks` of the caller."""
        if self._links is None:
            self._links = self._session.links()
        return self._links

    def location(self, server_id):
        return self._locations.compute(server_id)

    def server(self, server_id):
        """The Nova server behind a compute (one Nova call).

        :raises: NotFound
        """
        server = self._nova.get_server(server_id)
        if nova.being_deleted(server):
            raise exceptions.NotFound('Compute %s is being deleted.'
                                      % server_id)
        self._session.saves.resume_if_pending(self._session, server)
        return server

    def resource(self, server, links=()):
        """The compute rendering of a server dict, user mixins included.

        :param links: its links, from :attr:`links`
        """
        return to_resource(self._conf, self._locations, server,
                           self._session.mixins.of_server(server), links)

    def get(self, server_id):
        """The compute rendering of one server.

        :raises: NotFound
        """
        server = self.server(server_id)
        return self.resource(server,
                             self.links.of([server])[server['id']])

    def list(self, detail=True, filters=None, window=None):
        """The computes the caller can see, one Nova call per page.

        :param detail: full renderings (True) or only server dicts
        :param filters: Nova server list filters (``image``, ``flavor``,
            ``tags``)
        :param window: ``(start, stop)``: only these items of the listing
            (Nova's order, newest first); Nova is asked for no more than
            ``stop`` servers
        :returns: a list of :class:`ooi_save.occi.core.Resource` when
            detailed, else a list of server dicts with ``id``
        """
        # NOTE(ooi-save): the detailed listing even for ids: only it shows
        # the task state that tells a compute OCCI deleted already.
        start, stop = window or (0, None)
        servers = list(self._nova.list_servers(filters, limit=stop))[
            start:stop]
        if not detail:
            return servers
        links = self.links.of(servers)
        return [self.resource(server, links[server['id']])
                for server in servers]

    def tagged(self, tag):
        """The ids of the caller's servers carrying a tag (one call)."""
        return [s['id'] for s in self.list(detail=False,
                                           filters={'tags': tag})]

    def wait(self, server_id, done, timeout):
        """Poll a server until ``done(server)`` holds.

        :raises: ServiceUnavailable when it does not in time
        """
        server, reached = polling.poll(
            lambda: self._nova.get_server(server_id), done, timeout)
        if not reached:
            raise exceptions.ServiceUnavailable(
                'Compute %s did not reach the expected state in %d s '
                '(it is %s).' % (server_id, timeout, server['status']))
        return server

    def delete(self, server_id):
        """Delete a compute, then release what ooi-save made for it.

        :raises: NotFound
        """
        # The id first: one that is no UUID is refused before Neutron is
        # asked for anything about it.
        self._nova.check_server_id(server_id)
        made = self.links.made_for(server_id)
        self._nova.delete_server(server_id)
        self.links.release(made)

    def act(self, server_id, action, attributes):
        """Run a compute action other than save.

        :param server_id: the server id
        :param action: the action term
        :param attributes: the invocation's attributes
        :raises: BadRequest for an unknown method, Conflict when the state
            does not allow the action (with Nova's reason), NotFound
        """
        method = attributes.get('method')
        if action in METHODS:
            allowed = METHODS[action]
            method = method or allowed[0]
            if method not in allowed:
                raise exceptions.BadRequest(
                    'Method %r is not one of %s for action %s.'
                    % (method, ', '.join(allowed), action))
        self._nova.check_server_id(server_id)
        if action == 'start':
            status = self.server(server_id).get('status')
            if status not in _START:
                raise exceptions.Conflict(
                    'Cannot start compute %s: it is %s.'
                    % (server_id, status))
            nova_action, args = _START[status], None
        elif action == 'stop':
            nova_action, args = 'os-stop', None
        elif action == 'restart':
            status = self.server(server_id).get('status')
            if status in ('SHUTOFF', 'STOPPED'):
                nova_action, args = 'os-start', None
            elif method == 'cold' or status == 'ERROR':
                nova_action, args = 'reboot', {'type': 'HARD'}
            else:
                nova_action, args = 'reboot', {'type': 'SOFT'}
        elif action == 'suspend':
            nova_action = 'shelve' if method == 'hibernate' else 'suspend'
            args = None
        else:
            raise exceptions.BadRequest('Unknown compute action %s.'
                                        % action)
        self._nova.server_action(server_id, nova_action, args)
