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

"""OCCI StorageLink on Nova's volume attachments.

A storagelink is a Cinder volume attached to a Nova server. Its id is
``<server id>_<volume id>`` (both UUIDs, which hold no ``_``), its location
``/storagelink/<id>``, its source the compute and its target the storage.

* In a compute's rendering the links come from the server read itself
  (``os-extended-volumes:volumes_attached``), so that reading a compute
  still costs one Nova call. That read names the volumes but not their
  devices; the Cinder listing that a compute with volumes costs anyway
  (below) gives them (``occi.storagelink.deviceid``: clients such as IM
  mount a disk by the device they read there). Such a link is ``active``
  (Nova holds the attachment).
* The link's own location reads Nova's attachment (the device) and the
  volume (its Cinder status gives the state): ``in-use`` is ``active``;
  ``attaching``, ``reserved`` and ``detaching`` are ``inactive``;
  ``error_attaching``, ``error_detaching`` and the other errors are
  ``error``; the message is Cinder's status.
* Creating a link attaches the volume (Nova's os-volume_attachments); Nova
  answers once it has reserved the volume, and so does the link, showing
  the attaching. Deleting it detaches the volume: Nova answers once Cinder
  shows the volume ``detaching``, and detaches it in the background.
* A link whose volume Cinder is detaching (``detaching``), or has
  detached already while Nova still shows the attachment (``available``),
  is gone for OCCI, as a compute Nova is deleting: its location is 404,
  the listings and the compute's rendering leave it out, and a second
  DELETE is 404. A page of computes with volumes attached costs one
  Cinder listing for this (the caller's volumes); one without, nothing.
  Cinder's status is the volume's: while a volume attached to two servers
  is detached from one, neither link is shown.
* A compute created with storagelinks boots with the volumes attached
  (Nova's ``block_device_mapping_v2``): a single Nova call, so a refusal
  leaves no server and no attachment behind.
"""

from ooi_save.backend import concept
from ooi_save.backend import links
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

ACTIVE = 'active'
INACTIVE = 'inactive'
ERROR = 'error'

#: Cinder's status of a volume being detached.
DETACHING = 'detaching'

#: Cinder's statuses of a volume Nova may still show attached while the
#: link is gone: Cinder detaching it, or done with it already (Nova forgets
#: its attachment a moment after Cinder, measured on the mini-cloud).
RELEASED = (DETACHING, 'available')

_STATES = {'in-use': ACTIVE, 'attaching': INACTIVE, 'reserved': INACTIVE,
           DETACHING: INACTIVE}

#: Attributes a link create may carry besides source and target.
_CREATE_ATTRIBUTES = ('occi.core.id', 'occi.core.title', 'occi.core.source',
                      'occi.core.target', 'occi.core.target.kind',
                      'occi.core.source.kind', 'occi.storagelink.deviceid',
                      'occi.storagelink.mountpoint', 'occi.storagelink.state',
                      'occi.storagelink.state.message')


def link_id(server_id, volume_id):
    return '%s_%s' % (server_id, volume_id)


def split_id(value):
    """(server id, volume id) of a link id.

    :raises: NotFound for an id that names no link
    """
    server_id, sep, volume_id = value.partition('_')
    if not sep or not server_id or not volume_id:
        raise exceptions.NotFound('No storagelink %s.' % value)
    return server_id, volume_id


def to_link(locations, server_id, volume_id, device=None, status=None):
    """The OCCI rendering of one attachment.

    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param server_id: the server's id
    :param volume_id: the volume's id
    :param device: Nova's device name, when known
    :param status: the volume's Cinder status, when read; without it the
        link is active (Nova holds the attachment)
    :returns: a :class:`ooi_save.occi.entities.Link`
    """
    if status is None:
        state, message = ACTIVE, 'attached'
    else:
        state = _STATES.get(status, ERROR if status.startswith('error')
                            else INACTIVE)
        message = status
    attributes = {'occi.storagelink.state': state,
                  'occi.storagelink.state.message': message}
    if device:
        attributes['occi.storagelink.deviceid'] = device
    return links.build(locations, infra.STORAGELINK,
                       link_id(server_id, volume_id), server_id,
                       infra.STORAGE, volume_id, attributes)


def of_server(locations, server, volumes=None):
    """The storagelinks of a server, from the server read.

    :param server: the server dict as Nova renders it
    :param volumes: Cinder's volumes by id, when read: those Cinder let go
        are left out, and the others' attachments give the devices
    :returns: a list of :class:`ooi_save.occi.entities.Link`
    """
    volumes = volumes or {}
    found = []
    for attached in nova_api.attached_volumes(server) or ():
        volume = volumes.get(attached.get('id'), {})
        if not attached.get('id') or volume.get('status') in RELEASED:
            continue
        devices = [attachment.get('device')
                   for attachment in volume.get('attachments') or ()
                   if attachment.get('server_id') == server['id']]
        found.append(to_link(locations, server['id'], attached['id'],
                             devices[0] if devices else None))
    return found


class ServerVolumes:
    """The link source of :mod:`ooi_save.backend.links` for storagelinks.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        self._session = session
        self._locations = session.locations

    def volumes(self, servers):
        """Cinder's view of the volumes these servers have attached.

        :param servers: server dicts, as Nova renders them
        :returns: the caller's volumes by id; no Cinder call, and an empty
            dict, when no server has a volume attached
        """
        if not any(nova_api.attached_volumes(server) for server in servers):
            return {}
        # NOTE(ooi-save): one detailed listing of the caller's volumes, not
        # Cinder's status filter: a Cinder without resource_filters.json
        # refuses every filter to a non-admin.
        return {volume['id']: volume
                for volume in self._session.cinder.list_volumes()}

    def links_of(self, servers):
        volumes = self.volumes(servers)
        return {server['id']: of_server(self._locations, server, volumes)
                for server in servers}


def is_storagelink(request):
    """Whether a link rendered in a request is a storagelink."""
    return (request.kind == infra.STORAGELINK.type_id or
            request.target_kind == infra.STORAGE.type_id)


def block_devices(locations, requests):
    """Nova's ``block_device_mapping_v2`` for a compute's storagelinks.

    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param requests: the :class:`EntityRequest` links of a compute create
    :returns: a list of block device dicts, possibly empty
    :raises: BadRequest for a link that is no storagelink to a storage
    """
    devices = []
    for link in requests:
        if not is_storagelink(link):
            raise exceptions.BadRequest(
                'A compute can be created with storagelinks only; the '
                'request links to %s.' % (link.target,))
        check_attributes(link.attributes)
        volume_id = links.end_id(locations, link.target, 'storage',
                                 'occi.core.target', 'storagelink')
        device = {'uuid': volume_id, 'source_type': 'volume',
                  'destination_type': 'volume', 'boot_index': -1,
                  'delete_on_termination': False}
        if link.attributes.get('occi.storagelink.deviceid'):
            device['device_name'] = link.attributes[
                'occi.storagelink.deviceid']
        devices.append(device)
    return devices


def check_attributes(attributes):
    unknown = sorted(set(attributes) - set(_CREATE_ATTRIBUTES))
    if unknown:
        raise exceptions.BadRequest(
            'A storagelink has no attribute %s.' % ', '.join(unknown))
    device = attributes.get('occi.storagelink.deviceid')
    if device is not None and not isinstance(device, str):
        raise exceptions.BadRequest(
            'occi.storagelink.deviceid is a device name such as /dev/vdb.')


class StorageLinks(concept.Concept):
    """Storagelinks as one caller sees them.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def _attachment(self, server_id, volume_id):
        return self._nova.get_volume_attachment(server_id, volume_id)

    def get(self, value):
        """One storagelink (a Nova and a Cinder call).

        :param value: the link id
        :raises: NotFound
        """
        server_id, volume_id = split_id(value)
        try:
            attachment = self._attachment(server_id, volume_id)
        except exceptions.NotFound:
            raise exceptions.NotFound('No storagelink %s: volume %s is not '
                                      'attached to compute %s.'
                                      % (value, volume_id, server_id))
        status = self._cinder.get_volume(volume_id).get('status')
        if status in RELEASED:
            raise exceptions.NotFound('Storagelink %s is being deleted: '
                                      'volume %s is being detached.'
                                      % (value, volume_id))
        return to_link(self._locations, server_id, volume_id,
                       attachment.get('device'), status)

    def list(self, window=None):
        """Every storagelink of the caller's computes.

        Nova's listings, and one of Cinder's when computes have volumes.
        """
        servers = list(self._nova.list_servers())
        volumes = ServerVolumes(self._session).volumes(servers)
        found = []
        for server in servers:
            found.extend(of_server(self._locations, server, volumes))
        if window is not None:
            found = found[window[0]:window[1]]
        return found

    def create(self, request):
        """Attach a volume to a server for a storagelink create.

        :param request: the parsed :class:`EntityRequest`
        :returns: the new link, as Cinder shows it once Nova has accepted
        :raises: BadRequest, NotFound, Conflict (a volume that is not
            available, a server in a state that refuses)
        """
        if request.kind != infra.STORAGELINK.type_id:
            raise exceptions.BadRequest(
                'Only storagelinks can be created here; the request renders '
                'kind %s.' % request.kind)
        attributes = dict(request.attributes or {})
        check_attributes(attributes)
        if request.mixins:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a storagelink.'
                % request.mixins[0])
        server_id = links.end_id(self._locations, request.source,
                                 'compute', 'occi.core.source', 'storagelink')
        volume_id = links.end_id(self._locations, request.target,
                                 'storage', 'occi.core.target', 'storagelink')
        volume = self._session.storages().volume(volume_id)
        if volume.get('status') != 'available':
            raise exceptions.Conflict(
                'Storage %s is %s: only an available volume can be '
                'attached.' % (volume_id, volume.get('status')))
        attachment = {'volumeId': volume_id}
        if attributes.get('occi.storagelink.deviceid'):
            attachment['device'] = attributes['occi.storagelink.deviceid']
        try:
            attached = self._nova.attach_volume(server_id, attachment)
        except exceptions.BadRequest as error:
            if 'nvalid volume' in error.message:
                # Attached by someone else since we read it.
                raise exceptions.Conflict(error.message,
                                          request_id=error.request_id)
            raise
        status = self._cinder.get_volume(volume_id).get('status')
        return to_link(self._locations, server_id, volume_id,
                       attached.get('device'), status)

    def delete(self, value):
        """Detach the volume of a storagelink.

        :raises: NotFound (also while it is being detached), Conflict
            (Nova refuses in the server's state)
        """
        server_id, volume_id = split_id(value)
        self._cinder.check_volume_id(volume_id)
        try:
            self._nova.detach_volume(server_id, volume_id)
        except (exceptions.BadRequest, exceptions.Conflict):
            # Nova refuses a second detach while the first goes on.
            if self._cinder.get_volume(volume_id).get('status') in RELEASED:
                raise exceptions.NotFound(
                    'Storagelink %s is being deleted already: volume %s is '
                    'being detached.' % (value, volume_id))
            raise
