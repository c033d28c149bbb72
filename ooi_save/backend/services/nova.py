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

"""Nova's compute API, called in-process with the caller's context.

The only code that knows a path or a JSON envelope of Nova's API: the
concepts above call :class:`NovaAPI`'s methods, shaped after
openstacksdk's compute proxy (``get_server``, ``list_servers``,
``server_action``...).

The filter sits in nova-api's own pipeline, so instead of calling Nova over
the network we hand sub-requests straight to the WSGI application below the
filter. They carry the caller's ``nova.context``: Nova enforces its policy on
the caller exactly as for a native request, and the token is not validated a
second time. Every call names the compute microversion we were written for.
"""

import json
import sys
import urllib.parse

from oslo_log import log as logging
import webob

from ooi_save.backend.services import base
from ooi_save.backend.services import nova_faults
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: The compute API microversion of every call. 2.90 gives the flavor
#: embedded in the server (2.47), the image id in the createImage answer
#: (2.45), server tags (2.26) and a settable hostname (2.90).
MICROVERSION = '2.90'

#: Environ keys a sub-request inherits from the caller's request.
_INHERITED = ('nova.context', 'openstack.request_id',
              'openstack.global_request_id', 'REMOTE_ADDR',
              'HTTP_X_FORWARDED_FOR')


def _fresh_stack_chunk_caller(slots):
    """A function that calls another from the start of a new stack chunk.

    NOTE: CPython 3.11 keeps Python frames in chunks of 16 KiB and frees a
    chunk as soon as its first frame returns. When a hot loop of Nova
    calls a small function (an SQLAlchemy attribute getter, say) exactly
    at a chunk boundary, every call maps a chunk and every return unmaps
    it: on the mini-cloud a listing of 100 servers made 7000 mmap/munmap
    pairs through the filter against 550 natively, and took 50 to 80 ms
    more. Where the boundary falls depends on the whole stack above, so
    it is luck whether a given request hits it. Calling Nova through a
    frame that is too big for any chunk makes the interpreter give it a
    chunk of its own, twice the default size: Nova then always starts at
    the same place, with about 30 KiB of stack before the next boundary,
    whatever the WSGI server and the pipeline put above us.

    :param slots: local variable slots of the big frame (8 bytes each)
    """
    names = ' = '.join('_%d' % number for number in range(slots))
    source = ('def call(function, *args):\n'
              '    if False:\n'
              '        %s = None\n'
              '    return function(*args)\n' % names)
    namespace = {}
    exec(compile(source, '<ooi_save stack spacer>', 'exec'), namespace)
    return namespace['call']


if sys.implementation.name == 'cpython':
    #: Just over 32 KiB of locals: a 64 KiB chunk, about 30 KiB left.
    _call_on_fresh_chunk = _fresh_stack_chunk_caller(4200)
else:
    def _call_on_fresh_chunk(function, *args):
        return function(*args)


#: Nova's task state of a server it is deleting.
DELETING = 'deleting'
_DELETING = DELETING
#: The statuses of every server that is not deleted: one for each of
#: Nova's VM states but ``deleted`` and ``soft-delete`` (the one a VM state
#: shows without a task; with that one in a filter, Nova keeps any task).
LISTED_STATUSES = ('ACTIVE', 'BUILD', 'PAUSED', 'SUSPENDED', 'SHUTOFF',
                   'RESCUE', 'VERIFY_RESIZE', 'ERROR', 'SHELVED',
                   'SHELVED_OFFLOADED')


#: The events of Nova's action log that end a stop and a start on the
#: compute host.
STOP_EVENT = 'compute_stop_instance'
START_EVENT = 'compute_start_instance'


def task_state(server):
    """The task Nova runs on a server (``powering-off``...), or None."""
    return server.get('OS-EXT-STS:task_state')


def hostname(server):
    """The server's hostname as Nova shows it (2.90), or None."""
    return server.get('OS-EXT-SRV-ATTR:hostname')


def attached_volumes(server):
    """The volumes Nova shows attached to a server.

    :returns: a list of ``{'id': <volume id>, ...}``, or None when Nova's
        answer does not say (a server read that lacks the extension)
    """
    return server.get('os-extended-volumes:volumes_attached')


def is_floating(address):
    """Whether an entry of a server's ``addresses`` is a floating IP."""
    return address.get('OS-EXT-IPS:type') == 'floating'


def being_deleted(server):
    """Whether a server is deleted for OCCI, though Nova still shows it.

    Nova answers a DELETE at once and deletes in the background: until
    nova-compute is done, the server is listed with the task state
    ``deleting`` (then, with deferred deletion, ``SOFT_DELETED``). Once a
    DELETE is answered, OCCI shows it no more.
    """
    return (task_state(server) == _DELETING or
            server.get('status') in ('DELETED', 'SOFT_DELETED'))


class LostRace(exceptions.Conflict):
    """Nova refused a request because another one won the task state.

    NOTE(ooi-save): Nova checks a server's task state when it reads the
    server, then writes its own guarded by the state it expects: of two
    requests released together both may pass the check, and the loser's
    guarded write fails with ``UnexpectedTaskStateError`` (or
    ``UnexpectedDeletingTaskStateError``), which Nova answers 500. It is a
    conflict like any other, answered 409 for every action. What the loser
    made before it lost stays: for ``createImage``, the image Nova
    registered in Glance (deleted by the save, which can find it:
    :func:`ooi_save.backend.save.answer.create_image`); start, stop,
    reboot, suspend, resize and rebuild make nothing before their guarded
    write.
    """


def lost_race(status, message):
    """Whether an answer of Nova's says another request won the server."""
    # UnexpectedDeletingTaskStateError ends with the same name.
    return status >= 500 and 'TaskStateError' in (message or '')


#: Nova did not answer a server action or a delete in time.
NoAnswer = nova_faults.NoAnswer


class UnknownImageId(exceptions.BackendError):
    """Nova accepted a createImage but told no image id."""


def image_id_of(reply):
    """The image id of a createImage answer.

    Microversion 2.45 and later answer it in the body; older clouds only in
    the ``Location`` header, which ends in the image id.

    :param reply: a :class:`ooi_save.backend.services.base.Reply`
    :returns: the image id
    :raises: UnknownImageId when Nova answered neither
    """
    body = reply.body if isinstance(reply.body, dict) else {}
    if body.get('image_id'):
        return body['image_id']
    location = reply.headers.get('Location') or ''
    image_id = location.rstrip('/').rsplit('/', 1)[-1]
    if not image_id:
        raise UnknownImageId('Nova did not tell the id of the new image.')
    return image_id


class NovaAPI:
    """Sub-requests into the Nova application below the filter.

    :param app: nova's WSGI API router
    :param environ: the caller's WSGI environ
    :param counter: a :class:`ooi_save.backend.services.base.CallCounter`
        to account the calls in, or None
    """

    def __init__(self, app, environ, counter=None):
        self._app = app
        self._environ = environ
        self._counter = counter
        context = environ.get('nova.context')
        #: The caller's ``nova.context``, or None.
        self.context = context
        self.request_id = getattr(context, 'request_id', None) or \
            environ.get('openstack.request_id')
        #: The adapters of the services Nova calls (Glance, Neutron,
        #: Cinder), probed to name the one Nova could not reach
        #: (:mod:`~ooi_save.backend.services.nova_faults`).
        self.probes = ()

    def _server_path(self, server_id, *below):
        """The path of a server, or of something below it.

        Nova names servers by UUID; anything else the client gives as a
        compute id is no server of Nova's, though it may be one of Nova's
        own paths (``/servers/detail``): it is refused here, as Nova would
        answer it.

        :raises: NotFound for an id that is not a UUID
        """
        return base.item_path('servers', server_id,
                              'Instance %s could not be found.' % server_id,
                              *below, request_id=self.request_id)

    def check_server_id(self, server_id):
        """Refuse, as Nova would, a server id that is no UUID (no call).

        :raises: NotFound
        """
        self._server_path(server_id)

    # Servers.

    def get_server(self, server_id):
        """One server (one call).

        :raises: NotFound
        """
        return self._call('GET', self._server_path(server_id)).body['server']

    def list_servers(self, filters=None, detail=True, limit=None,
                     deleting=False):
        """The servers the caller can see, one call per page.

        The one pager of every server listing.

        :param filters: Nova's server list filters (``tags``,
            ``all_tenants``...)
        :param detail: the detailed listing; only it shows the task state
            that tells a server being deleted
        :param limit: the number of servers wanted, or None for all
        :param deleting: list servers being deleted too
            (:func:`being_deleted`), which are no computes any more
        :returns: an iterator of server dicts, Nova's order (newest first)
        """
        path = '/servers/detail' if detail else '/servers'
        return base.pages(
            lambda params: self._call('GET', path, params=params).body,
            'servers', filters, limit,
            None if deleting else lambda s: not being_deleted(s))

    def create_server(self, server):
        """Boot a server; returns Nova's answer (``id``...)."""
        return self._call('POST', '/servers', {'server': server},
                          expect=(202,)).body['server']

    def update_server(self, server_id, fields):
        """Change a server's fields (``name``, ``description``...)."""
        self._call('PUT', self._server_path(server_id), {'server': fields})

    def delete_server(self, server_id):
        """Delete a server.

        :raises: NotFound
        """
        self._call('DELETE', self._server_path(server_id), expect=(204,),
                   deadline=nova_faults.ACTION_DEADLINE)

    def server_action(self, server_id, action, args=None, expect=(202,)):
        """Run a server action (``os-stop``, ``reboot``...).

        :param args: the action's arguments, or None
        :param expect: the statuses that mean success
        :returns: a :class:`ooi_save.backend.services.base.Reply`
        """
        return self._call('POST', self._server_path(server_id, 'action'),
                          {action: args}, expect=expect,
                          deadline=nova_faults.ACTION_DEADLINE)

    def create_image(self, server_id, name, metadata):
        """Snapshot a server (``createImage``).

        :returns: the new image id, from the body (2.45) or ``Location``
        :raises: UnknownImageId when Nova accepted but told no id
        """
        return image_id_of(self.server_action(
            server_id, 'createImage', {'name': name, 'metadata': metadata}))

    def instance_actions(self, server_id, since=None):
        """Nova's action log of a server.

        :param since: Nova's ``changes-since`` timestamp, or None
        :returns: a list of instance action dicts
        """
        return self._call(
            'GET', self._server_path(server_id, 'os-instance-actions'),
            params={'changes-since': since} if since else None
        ).body.get('instanceActions') or ()

    def instance_action(self, server_id, request_id):
        """The newest action of a server that a request began.

        :raises: NotFound when that request began none
        """
        return self._call('GET', self._server_path(
            server_id, 'os-instance-actions', request_id)).body[
                'instanceAction']

    # Metadata and tags.

    def set_server_metadata(self, server_id, items):
        """Set (add or replace) metadata items of a server."""
        self._call('POST', self._server_path(server_id, 'metadata'),
                   {'metadata': items})

    def delete_server_metadata(self, server_id, key):
        """Remove one metadata item; one gone already is no error."""
        self._call('DELETE', self._server_path(server_id, 'metadata', key),
                   expect=(204, 404))

    def server_tags(self, server_id):
        """The tags of a server (one call, far cheaper than the server)."""
        body = self._call('GET', self._server_path(server_id, 'tags')).body
        return (body or {}).get('tags', ())

    def add_server_tag(self, server_id, tag):
        """Tag a server.

        :returns: whether the tag is new: Nova answers 201 when it adds
            it, 204 when the server had it already
        """
        return self._call('PUT', self._server_path(server_id, 'tags', tag),
                          expect=(201, 204)).status == 201

    def remove_server_tag(self, server_id, tag, missing_ok=False):
        """Remove a tag from a server.

        :param missing_ok: a tag (or server) already gone is no error
        :returns: whether the server had the tag
        :raises: NotFound unless ``missing_ok``
        """
        try:
            self._call('DELETE', self._server_path(server_id, 'tags', tag),
                       expect=(204,))
        except exceptions.NotFound:
            if not missing_ok:
                raise
            return False
        return True

    # Interfaces, volumes, keypairs, flavors.

    def attach_interface(self, server_id, attachment):
        """Attach a port (``os-interface``); returns Nova's attachment."""
        return self._call(
            'POST', self._server_path(server_id, 'os-interface'),
            {'interfaceAttachment': attachment}).body['interfaceAttachment']

    def detach_interface(self, server_id, port_id):
        """Detach a port from a server."""
        self._call('DELETE', self._server_path(server_id, 'os-interface',
                                               port_id), expect=(202,))

    def get_volume_attachment(self, server_id, volume_id):
        """Nova's attachment of a volume to a server (its ``device``).

        :raises: NotFound when the volume is not attached to it
        """
        return self._call('GET', self._server_path(
            server_id, 'os-volume_attachments', volume_id)).body[
                'volumeAttachment']

    def attach_volume(self, server_id, attachment):
        """Attach a volume; returns Nova's attachment (its ``device``)."""
        return self._call(
            'POST', self._server_path(server_id, 'os-volume_attachments'),
            {'volumeAttachment': attachment}).body['volumeAttachment']

    def detach_volume(self, server_id, volume_id):
        """Detach a volume from a server."""
        self._call('DELETE', self._server_path(
            server_id, 'os-volume_attachments', volume_id), expect=(202,))

    def create_keypair(self, name, public_key):
        """Import a public key as a keypair.

        :raises: Conflict when the name is taken
        """
        # NOTE(ooi-save): Nova answers 201 since microversion 2.2, 200
        # before.
        self._call('POST', '/os-keypairs', {'keypair': {
            'name': name, 'public_key': public_key}}, expect=(200, 201))

    def availability_zones(self):
        """The availability zones the caller sees (one call).

        :returns: Nova's ``availabilityZoneInfo`` entries (``zoneName``,
            ``zoneState``)
        """
        return self._call('GET', '/os-availability-zone').body[
            'availabilityZoneInfo']

    def list_flavors(self):
        """Every flavor the caller can see, detailed (one call)."""
        return self._call('GET', '/flavors/detail').body['flavors']

    def _call(self, method, path, body=None, params=None, expect=(200,),
              deadline=None):
        """Call the compute API.

        :param method: the HTTP method
        :param path: the path below /v2.1, e.g. ``/servers/detail``
        :param body: a JSON-serialisable body, or None
        :param params: query parameters (a dict or list of pairs), or None
        :param expect: the statuses that mean success
        :param deadline: seconds to wait for Nova's answer, or None
        :returns: a :class:`ooi_save.backend.services.base.Reply`, its
            body decoded from JSON
        :raises: an :class:`ooi_save.exceptions.Error` matching Nova's
            status when Nova refuses
        """
        # NOTE(ooi-save): ids and names in the path are the client's: a "?" or
        # a non-ASCII character in them must stay in their segment.
        path = urllib.parse.quote(path, safe='/')
        if params:
            query = urllib.parse.urlencode(params, doseq=True)
            path = '%s?%s' % (path, query)
        host = self._environ.get('HTTP_HOST') or '%s:%s' % (
            self._environ.get('SERVER_NAME', 'localhost'),
            self._environ.get('SERVER_PORT', '80'))
        base_url = '%s://%s/v2.1' % (
            self._environ.get('wsgi.url_scheme', 'http'), host)
        request = webob.Request.blank(path, base_url=base_url, method=method)
        for key in _INHERITED:
            if key in self._environ:
                request.environ[key] = self._environ[key]
        request.headers['OpenStack-API-Version'] = 'compute ' + MICROVERSION
        request.headers['Accept'] = 'application/json'
        if body is not None:
            request.body = json.dumps(body).encode('utf-8')
            request.content_type = 'application/json'
        if self._counter is not None:
            self._counter.nova += 1
        if deadline is None:
            response = _call_on_fresh_chunk(request.get_response, self._app)
        else:
            what = '%s %s' % (method, path.split('?', 1)[0])
            if isinstance(body, dict) and len(body) == 1:
                what = 'the %s of compute %s' % (next(iter(body)),
                                                 _server_of(path))
            response = nova_faults.call_within(
                lambda: _call_on_fresh_chunk(request.get_response,
                                             self._app),
                deadline, what, self.request_id)
        try:
            decoded = json.loads(response.body) if response.body else None
        except ValueError:
            decoded = None
        if response.status_code not in expect:
            message = _message(decoded, response)
            if lost_race(response.status_code, message):
                raise LostRace(
                    'Compute %s is busy: another request began %s on it '
                    'at the same moment; try again.' % (
                        _server_of(path),
                        'to delete it' if 'Deleting' in message
                        else 'a task'),
                    request_id=self.request_id)
            error = nova_faults.error_for(
                response.status_code, message, path, self.request_id,
                self.probes, self._environ)
            raise error or exceptions.from_status(
                response.status_code, message, request_id=self.request_id)
        return base.Reply(response.status_code, response.headers, decoded)


def _server_of(path):
    """The server id of a sub-request's path, or what it names."""
    parts = path.split('?', 1)[0].split('/')
    if len(parts) > 2 and parts[1] == 'servers':
        return urllib.parse.unquote(parts[2])
    return 'of %s' % path


def _message(decoded, response):
    """The human message of a Nova error body."""
    message = exceptions.fault_message(decoded)
    if message:
        return message
    text = response.text.strip() if response.body else ''
    return text or 'Nova answered %s' % response.status
