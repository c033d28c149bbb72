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

import base64
import binascii
import hashlib
import time

from oslo_log import log as logging

from ooi_save.backend import fields
from ooi_save.backend import neutron
from ooi_save.backend import replacement
from ooi_save.backend import save
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


def gone(server):
    """Whether a server is deleted for OCCI, though Nova still shows it.

    Nova answers a DELETE at once and deletes in the background: until
    nova-compute is done, the server is listed with the task state
    ``deleting`` (then, with deferred deletion, ``SOFT_DELETED``). Once a
    DELETE is answered, OCCI shows it no more.
    """
    return (server.get('OS-EXT-STS:task_state') == 'deleting' or
            server.get('status') in ('DELETED', 'SOFT_DELETED'))


def actions_of(server):
    """The actions valid on a server now."""
    if server.get('OS-EXT-STS:task_state'):
        return ()
    return ACTIONS_BY_STATUS.get(server.get('status'), ())


def to_resource(conf, root_url, server, user_mixins=(), links=()):
    """The OCCI compute rendering of a Nova server.

    :param conf: the filter's configuration
    :param root_url: the URL of the OCCI root
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
            '%s/os_tpl/%s/' % (root_url, image['id'])))
    if flavor.get('original_name'):
        term = templates.flavor_term(flavor['original_name'])
        mixins.append(infra.resource_tpl_mixin(
            conf.resource_tpl_scheme, term, flavor['original_name'],
            '%s/resource_tpl/%s/' % (root_url, term)))
    mixins.extend(user_mixins)
    return core.Resource(
        kind=infra.COMPUTE,
        id=server['id'],
        title=server.get('name'),
        summary=server.get('description'),
        mixins=mixins,
        attributes=attributes,
        location='%s/compute/%s' % (root_url, server['id']),
        actions=actions_of(server),
        links=links)


def user_data(value):
    """Nova's base64 user data from ``occi.compute.userdata``.

    Clients send either base64 already or the plain script; Nova wants
    base64, so a value that does not decode is encoded.
    """
    try:
        base64.b64decode(value.encode('ascii'), validate=True)
        return value
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return base64.b64encode(value.encode('utf-8')).decode('ascii')


#: Standard mixins a compute can be created with, besides the templates.
SSH_KEY = 'http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key'
USER_DATA = 'http://schemas.ogf.org/occi/infrastructure/compute#user_data'

#: Attributes a client may set, and the Nova server field each one sets.
SETTABLE = {
    'occi.core.title': 'name',
    'occi.core.summary': 'description',
    'occi.compute.hostname': 'hostname',
}

#: Attributes that come from the resource template; a client may repeat
#: them only with the template's own values.
FROM_FLAVOR = ('occi.compute.cores', 'occi.compute.memory')

#: Attributes read when they are given, but that create nothing.
IGNORED = ('occi.core.id', 'occi.compute.state',
           'occi.compute.state.message', 'occi.credentials.ssh.publickey',
           'occi.compute.userdata')

#: Attributes given only when a compute is created (ssh_key, user_data):
#: an update ignores them.
CREATE_ONLY = ('occi.credentials.ssh.publickey', 'occi.compute.userdata')

#: The current value of each Nova field an update may set.
_FIELDS_NOW = {
    'name': lambda server: server.get('name'),
    'description': lambda server: server.get('description'),
    'hostname': lambda server: server.get('OS-EXT-SRV-ATTR:hostname'),
}

#: The methods of each action, the first being the default.
METHODS = {
    'stop': ('graceful', 'acpioff', 'poweroff'),
    'restart': ('warm', 'graceful', 'cold'),
    'suspend': ('suspend', 'hibernate'),
}

_START = {'SHUTOFF': 'os-start', 'STOPPED': 'os-start',
          'SUSPENDED': 'resume', 'PAUSED': 'unpause',
          'SHELVED': 'unshelve', 'SHELVED_OFFLOADED': 'unshelve'}

_POLL_INTERVALS = (0.2, 0.3, 0.5, 1.0, 2.0)


class Computes:
    """Computes as one caller sees them.

    :param session: the caller's :class:`ooi_save.backend.Session`
    :param root_url: the URL of the OCCI root, for locations
    """

    def __init__(self, session, root_url):
        self._session = session
        self._nova = session.nova
        self._conf = session.conf
        self.root_url = root_url
        self._links = None

    @property
    def links(self):
        """The :class:`ooi_save.backend.links.ComputeLinks` of the caller."""
        if self._links is None:
            self._links = self._session.links(self.root_url)
        return self._links

    def location(self, server_id):
        return '%s/compute/%s' % (self.root_url, server_id)

    def server(self, server_id):
        """The Nova server behind a compute (one Nova call).

        :raises: NotFound
        """
        server = self._nova.call(
            'GET', self._nova.server_path(server_id)).body['server']
        if gone(server):
            raise exceptions.NotFound('Compute %s is being deleted.'
                                      % server_id)
        saves = getattr(self._session, 'saves', None)
        if saves is not None:
            saves.resume_if_pending(self._session, server)
        return server

    def _user_mixins(self, server):
        tags = getattr(self._session, 'mixins', None)
        if tags is None:
            return []
        return tags.of_server(server, self.root_url)

    def resource(self, server, links=()):
        """The compute rendering of a server dict, user mixins included.

        :param links: its links, from :attr:`links`
        """
        return to_resource(self._conf, self.root_url, server,
                           self._user_mixins(server), links)

    def get(self, server_id):
        """The compute rendering of one server.

        :raises: NotFound
        """
        server = self.server(server_id)
        return self.resource(server,
                             self.links.of([server])[server['id']])

    def _all_pages(self, path, params, stop=None):
        servers = []
        params = dict(params or {})
        while stop is None or len(servers) < stop:
            if stop is not None:
                # Nova caps the page at its own max_limit.
                params['limit'] = stop - len(servers)
            body = self._nova.call('GET', path, params=params).body
            page = body.get('servers', [])
            servers.extend(s for s in page if not gone(s))
            next_links = [link for link in body.get('servers_links', ())
                          if link.get('rel') == 'next']
            if not next_links or not page:
                break
            params['marker'] = page[-1]['id']
        return servers

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
        # NOTE: the detailed listing even for ids: only it shows the task
        # state that tells a compute OCCI deleted already (see gone()).
        path = '/servers/detail'
        if window is None:
            servers = self._all_pages(path, filters)
        else:
            start, stop = window
            servers = self._all_pages(path, filters, stop)[start:stop]
        if not detail:
            return servers
        links = self.links.of(servers)
        return [self.resource(server, links[server['id']])
                for server in servers]

    def tagged(self, tag):
        """The ids of the caller's servers carrying a tag (one call)."""
        return [s['id'] for s in self.list(detail=False,
                                           filters={'tags': tag})]

    def create(self, request):
        """Boot a server for an OCCI create request.

        :param request: the parsed :class:`EntityRequest`
        :returns: the new server id
        :raises: BadRequest for what Nova cannot honour, Conflict for an
            os_tpl whose image is not active yet
        """
        attributes = dict(request.attributes or {})
        server = {}
        tags, mixins = self._session.mixins.tags_of(request.mixins,
                                                    infra.COMPUTE)
        image_id, flavor, others = self._templates(mixins)
        if tags:
            server['tags'] = tags
        server['imageRef'] = image_id
        server['flavorRef'] = flavor['id']
        self._check_flavor_attributes(attributes, flavor)
        server.update(self._settable(attributes))
        server.setdefault('name', 'occi-compute')
        for mixin in others:
            if mixin == SSH_KEY:
                server['key_name'] = self._keypair(attributes.get(
                    'occi.credentials.ssh.publickey'))
            elif mixin == USER_DATA:
                data = attributes.get('occi.compute.userdata')
                if not isinstance(data, str) or not data:
                    raise exceptions.BadRequest(
                        'The user_data mixin needs occi.compute.userdata.')
                server['user_data'] = user_data(data)
        devices = self.links.block_devices(request.links)
        if devices:
            # NOTE: with block_device_mapping_v2 Nova no longer boots from
            # imageRef by itself: the image is the first device.
            server['block_device_mapping_v2'] = [{
                'uuid': image_id, 'source_type': 'image',
                'destination_type': 'local', 'boot_index': 0,
                'delete_on_termination': True}] + devices
        self._check_image_active(image_id)
        server['networks'], made = self.links.boot_networks(
            request.links, self._conf.default_network)
        try:
            reply = self._nova.call('POST', '/servers', {'server': server},
                                    expect=(202,))
        except Exception:
            with neutron.undoing():
                self.links.release(made)
            raise
        return reply.body['server']['id']

    def _templates(self, mixins):
        image_ids, flavor_terms, others = [], [], []
        for mixin in mixins or ():
            if mixin.startswith(self._conf.os_tpl_scheme):
                image_ids.append(mixin[len(self._conf.os_tpl_scheme):])
            elif mixin.startswith(self._conf.resource_tpl_scheme):
                flavor_terms.append(
                    mixin[len(self._conf.resource_tpl_scheme):])
            elif mixin in (SSH_KEY, USER_DATA):
                others.append(mixin)
            else:
                raise exceptions.BadRequest(
                    'Mixin %s cannot be applied to a compute here.' % mixin)
        if len(image_ids) > 1 or len(flavor_terms) > 1:
            raise exceptions.BadRequest(
                'A compute takes one os_tpl and one resource_tpl mixin.')
        if image_ids:
            image_id = image_ids[0]
        elif self._conf.default_os_tpl:
            try:
                image_id = self._session.templates.image_id(
                    self._conf.default_os_tpl)
            except exceptions.NotFound:
                raise exceptions.BadRequest(
                    'An os_tpl mixin is required: the default OS template '
                    '%s is not one this project can use.'
                    % self._conf.default_os_tpl)
        else:
            raise exceptions.BadRequest(
                'An os_tpl mixin is required: this provider has no default '
                'OS template.')
        term = flavor_terms[0] if flavor_terms else (
            self._conf.default_resource_tpl and templates.flavor_term(
                self._conf.default_resource_tpl))
        if not term:
            raise exceptions.BadRequest(
                'A resource_tpl mixin is required: this provider has no '
                'default resource template.')
        try:
            flavor = self._session.templates.flavor_by_term(term)
        except exceptions.NotFound:
            raise exceptions.BadRequest('Unknown resource template %s.'
                                        % term)
        return image_id, flavor, others

    @staticmethod
    def _check_flavor_attributes(attributes, flavor):
        wanted = {'occi.compute.cores': flavor['vcpus'],
                  'occi.compute.memory': flavor['ram'] / 1024.0}
        for name in FROM_FLAVOR:
            if name in attributes and float(attributes[name]) != float(
                    wanted[name]):
                raise exceptions.BadRequest(
                    '%s=%s cannot be honoured: resource template %s gives '
                    '%s. Choose another resource_tpl.' % (
                        name, attributes[name], flavor['name'],
                        wanted[name]))

    @staticmethod
    def _settable(attributes):
        return fields.string_fields(attributes, SETTABLE,
                                    FROM_FLAVOR + IGNORED, 'compute')

    def _keypair(self, public_key):
        if not isinstance(public_key, str) or not public_key.strip():
            raise exceptions.BadRequest(
                'The ssh_key mixin needs occi.credentials.ssh.publickey.')
        # Same key, same name: a key already imported is used again.
        name = 'occi-' + hashlib.sha256(
            public_key.strip().encode('utf-8')).hexdigest()[:16]
        try:
            # NOTE: Nova answers 201 since microversion 2.2, 200 before.
            self._nova.call('POST', '/os-keypairs', {'keypair': {
                'name': name, 'public_key': public_key.strip()}},
                expect=(200, 201))
        except exceptions.Conflict:
            pass
        return name

    def _check_image_active(self, image_id):
        try:
            image = self._session.templates.image(image_id)
        except exceptions.NotFound:
            raise exceptions.BadRequest('Unknown OS template %s.' % image_id)
        if image.get('status') != 'active':
            raise exceptions.Conflict(
                'OS template %s is %s, not active yet: a compute can be '
                'created from it once its upload has finished.'
                % (image_id, image.get('status')))

    def update(self, server_id, request, replace=False):
        """Change a compute: rename, resize, rebuild, (dis)associate mixins.

        What the request repeats unchanged of the compute (its id, state,
        cores, templates, action links...) changes nothing; see
        :mod:`ooi_save.backend.replacement`.

        :param server_id: the server id
        :param request: the parsed :class:`EntityRequest`
        :param replace: PUT semantics (the request is the whole compute;
            user mixins it leaves out are dissociated)
        :raises: NotFound, BadRequest
        """
        if replace and not request.kind:
            raise exceptions.BadRequest(
                'PUT replaces the whole compute: render it with its kind.')
        server = self.server(server_id)
        if request.kind and request.kind != infra.COMPUTE.type_id:
            raise exceptions.BadRequest('A compute stays a compute.')
        current = self.resource(server)
        attributes = dict(request.attributes or {})
        tags, mixins = self._session.mixins.tags_of(request.mixins,
                                                    infra.COMPUTE)
        image_ids, flavor_terms = [], []
        for mixin in mixins:
            if mixin.startswith(self._conf.os_tpl_scheme):
                image_ids.append(mixin[len(self._conf.os_tpl_scheme):])
            elif mixin.startswith(self._conf.resource_tpl_scheme):
                flavor_terms.append(
                    mixin[len(self._conf.resource_tpl_scheme):])
            else:
                raise exceptions.BadRequest(
                    'Mixin %s cannot be applied to an existing compute: '
                    'only os_tpl (rebuild), resource_tpl (resize) and user '
                    'mixins can.' % mixin)
        if len(image_ids) > 1 or len(flavor_terms) > 1:
            raise exceptions.BadRequest(
                'A compute takes one os_tpl and one resource_tpl mixin.')
        flavor = None
        if flavor_terms:
            try:
                flavor = self._session.templates.flavor_by_term(
                    flavor_terms[0])
            except exceptions.NotFound:
                raise exceptions.BadRequest('Unknown resource template %s.'
                                            % flavor_terms[0])
            self._check_flavor_attributes(attributes, flavor)
        replacement.check_unchanged(
            current, attributes, SETTABLE,
            ignored=(FROM_FLAVOR if flavor else ()) + CREATE_ONLY)
        changes = self._settable({name: value for name, value in
                                  attributes.items() if name in SETTABLE})
        changes = {field: value for field, value in changes.items()
                   if value != _FIELDS_NOW[field](server)}
        current_image = (server.get('image') or {}).get('id')
        rebuild = image_ids and image_ids[0] != current_image
        if rebuild:
            self._check_image_active(image_ids[0])
        self._session.mixins.retag(server, tags, replace)
        if changes:
            self._nova.call('PUT', self._nova.server_path(server_id),
                            {'server': changes})
        if rebuild:
            self._nova.call(
                'POST', self._nova.server_path(server_id, 'action'),
                {'rebuild': {'imageRef': image_ids[0]}}, expect=(202,))
        if flavor is not None and (flavor['name'] != server.get(
                'flavor', {}).get('original_name')):
            self._resize(server_id, flavor)

    def _resize(self, server_id, flavor):
        self._nova.call('POST', self._nova.server_path(server_id, 'action'),
                        {'resize': {'flavorRef': flavor['id']}},
                        expect=(202,))
        server = self.wait(server_id, lambda s: s['status'] in (
            'VERIFY_RESIZE', 'ACTIVE', 'ERROR') and not s.get(
                'OS-EXT-STS:task_state'), self._conf.save_stop_timeout)
        if server['status'] == 'VERIFY_RESIZE':
            self._nova.call(
                'POST', self._nova.server_path(server_id, 'action'),
                {'confirmResize': None}, expect=(204,))
            # Nova confirms in the background: answer once it is done, so
            # that the client reads the resized compute, not the resize.
            self.wait(server_id, lambda s: s['status'] != 'VERIFY_RESIZE',
                      self._conf.save_stop_timeout)
        elif server['status'] == 'ERROR':
            raise exceptions.BackendError(
                'Nova failed to resize the compute: %s'
                % (server.get('fault') or {}).get('message'))

    def wait(self, server_id, done, timeout):
        """Poll a server until ``done(server)`` holds.

        :raises: ServiceUnavailable when it does not in time
        """
        deadline = time.monotonic() + timeout
        for attempt in range(1 << 30):
            server = self._nova.call('GET', self._nova.server_path(
                server_id)).body['server']
            if done(server):
                return server
            if time.monotonic() > deadline:
                raise exceptions.ServiceUnavailable(
                    'Compute %s did not reach the expected state in %d s '
                    '(it is %s).' % (server_id, timeout, server['status']))
            time.sleep(_POLL_INTERVALS[min(attempt,
                                           len(_POLL_INTERVALS) - 1)])

    def delete(self, server_id):
        """Delete a compute, then release what ooi-save made for it.

        :raises: NotFound
        """
        made = self.links.made_for(server_id)
        self._nova.call('DELETE', self._nova.server_path(server_id),
                        expect=(204,))
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
        path = self._nova.server_path(server_id, 'action')
        if action == 'start':
            status = self.server(server_id).get('status')
            if status not in _START:
                raise exceptions.Conflict(
                    'Cannot start compute %s: it is %s.'
                    % (server_id, status))
            body = {_START[status]: None}
        elif action == 'stop':
            body = {'os-stop': None}
        elif action == 'restart':
            status = self.server(server_id).get('status')
            if status in ('SHUTOFF', 'STOPPED'):
                body = {'os-start': None}
            elif method == 'cold' or status == 'ERROR':
                body = {'reboot': {'type': 'HARD'}}
            else:
                body = {'reboot': {'type': 'SOFT'}}
        elif action == 'suspend':
            body = {'shelve' if method == 'hibernate' else 'suspend': None}
        else:
            raise exceptions.BadRequest('Unknown compute action %s.'
                                        % action)
        self._nova.call('POST', path, body, expect=(202,))
