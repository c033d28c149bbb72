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

"""OCCI Storage on Cinder volumes.

A storage is a Cinder volume the caller can see: ``occi.core.title`` is its
name, ``occi.core.summary`` its description, ``occi.storage.size`` its size
in GiB. Cinder sizes are whole GiB: a requested size is rounded up (0.1
gives 1) and the rendering shows the real size.

Cinder status to ``occi.storage.state`` (``state.message`` is always
Cinder's status):

==========  ==========================================================
state       Cinder volume status
==========  ==========================================================
online      available, in-use
offline     creating, attaching, detaching, reserved, extending,
            deleting, downloading, uploading, retyping, maintenance,
            backing-up, restoring-backup, awaiting-transfer and any
            other status on its way somewhere
error       error, error_deleting, error_extending, error_restoring,
            error_backing-up, error_managing
==========  ==========================================================

A volume Cinder is deleting (``deleting``) is gone for OCCI, as a compute
Nova is deleting: once a DELETE is answered, the storage is 404, out of
the listings, and a second DELETE is 404 too.

Updates: ``occi.core.title`` and ``occi.core.summary`` rename and describe
the volume; a larger ``occi.storage.size`` extends it (in use too) and the
answer comes once Cinder has done so; a smaller one is refused with 400,
Cinder cannot shrink a volume. Cinder has no notion of taking a volume
offline or bringing it online: the ``online`` and ``offline`` actions are
answered 501 and never offered (detach a volume by deleting its
storagelink).
"""

import math

from ooi_save.backend import concept
from ooi_save.backend import fields
from ooi_save.backend import polling
from ooi_save import exceptions
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

ONLINE = 'online'
OFFLINE = 'offline'
ERROR = 'error'

#: Provider attributes of a storage.
NS = 'org.openstack.volume.'

_ONLINE_STATUSES = ('available', 'in-use')

#: Cinder's status of a volume it is deleting.
DELETING = 'deleting'

#: Attributes a client may set, and the Cinder volume field of each.
SETTABLE = {'occi.core.title': 'name', 'occi.core.summary': 'description'}

#: Attributes read when they are given, but that change nothing.
IGNORED = ('occi.core.id', 'occi.storage.state', 'occi.storage.state.message',
           NS + 'status', NS + 'bootable')


def state_of(volume):
    """The OCCI state and message of a volume.

    :param volume: the volume dict as Cinder renders it
    :returns: (state, message)
    """
    status = volume.get('status') or 'unknown'
    if status in _ONLINE_STATUSES:
        return ONLINE, status
    if status.startswith('error'):
        return ERROR, status
    return OFFLINE, status


def to_resource(locations, volume):
    """The OCCI storage rendering of a Cinder volume.

    :param locations: the request's :class:`ooi_save.locations.Locations`
    :param volume: the volume dict (detailed)
    :returns: a :class:`ooi_save.occi.entities.Resource`
    """
    state, message = state_of(volume)
    attributes = {
        'occi.storage.size': volume.get('size'),
        'occi.storage.state': state,
        'occi.storage.state.message': message,
        NS + 'status': volume.get('status'),
    }
    if 'bootable' in volume:
        attributes[NS + 'bootable'] = str(volume['bootable']).lower() == (
            'true')
    return entities.Resource(
        kind=infra.STORAGE, id=volume['id'], title=volume.get('name'),
        summary=volume.get('description'), attributes=attributes,
        location=locations.storage(volume['id']))


def whole_gib(value):
    """A requested ``occi.storage.size`` as Cinder's whole GiB.

    :raises: BadRequest when it is no positive number
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise exceptions.BadRequest('occi.storage.size is a number of GiB.')
    try:
        size = float(value)
    except ValueError:
        raise exceptions.BadRequest(
            'occi.storage.size is a number of GiB, not %r.' % (value,))
    if not size > 0 or math.isinf(size):
        raise exceptions.BadRequest(
            'occi.storage.size must be a positive number of GiB, not %r.'
            % (value,))
    return int(math.ceil(size))


class Storages(concept.Concept):
    """Storages as one caller sees them.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def location(self, volume_id):
        return self._locations.storage(volume_id)

    def volume(self, volume_id):
        """The Cinder volume behind a storage (one Cinder call).

        :raises: NotFound, also for a volume Cinder is deleting
        """
        volume = self._cinder.get_volume(volume_id)
        if volume.get('status') == DELETING:
            raise exceptions.NotFound('Storage %s is being deleted.'
                                      % volume_id)
        return volume

    def get(self, volume_id):
        """The storage rendering of one volume.

        :raises: NotFound
        """
        return to_resource(self._locations, self.volume(volume_id))

    def list(self, detail=True, window=None):
        """The storages the caller can see, one Cinder call per page.

        :param detail: full renderings (True) or only ids
        :param window: ``(start, stop)``: only these items of the listing
            (Cinder's order, newest first)
        :returns: :class:`ooi_save.occi.entities.Resource` objects when
            detailed, else volume dicts with ``id``
        """
        # NOTE(ooi-save): the detailed listing even for ids: only it shows
        # the status that tells a volume OCCI deleted already.
        start, stop = window or (0, None)
        volumes = list(self._cinder.list_volumes(
            limit=stop, keep=lambda v: v.get('status') != DELETING))[
                start:stop]
        if not detail:
            return volumes
        return [to_resource(self._locations, v) for v in volumes]

    @staticmethod
    def _fields(attributes):
        return fields.string_fields(attributes, SETTABLE,
                                    ('occi.storage.size',) + IGNORED,
                                    'storage')

    @staticmethod
    def _check_request(request):
        if request.kind and request.kind != infra.STORAGE.type_id:
            raise exceptions.BadRequest(
                'A storage is rendered with kind %s, not %s.'
                % (infra.STORAGE.type_id, request.kind))
        if request.mixins:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a storage here.'
                % request.mixins[0])
        if request.links:
            raise exceptions.BadRequest(
                'A storage has no links of its own: link it to a compute '
                'with a storagelink.')

    def create(self, request):
        """Create a volume for an OCCI create request (one Cinder call).

        :param request: the parsed :class:`EntityRequest`
        :returns: the storage rendering of the new volume
        :raises: BadRequest, RequestEntityTooLarge (quota)
        """
        self._check_request(request)
        attributes = dict(request.attributes or {})
        if 'occi.storage.size' not in attributes:
            raise exceptions.BadRequest(
                'occi.storage.size (GiB) is required to create a storage.')
        volume = self._fields(attributes)
        volume['size'] = whole_gib(attributes['occi.storage.size'])
        return to_resource(self._locations,
                           self._cinder.create_volume(volume))

    def update(self, volume_id, request, replace=False):
        """Rename, describe or grow a storage.

        :param volume_id: the volume id
        :param request: the parsed :class:`EntityRequest`
        :param replace: PUT semantics: the request renders the whole
            storage, its kind and size included
        :returns: the storage rendering after the update
        :raises: NotFound, BadRequest (a smaller size), Conflict (a volume
            whose state refuses the extension)
        """
        self._check_request(request)
        attributes = dict(request.attributes or {})
        if replace and (not request.kind or
                        'occi.storage.size' not in attributes):
            raise exceptions.BadRequest(
                'PUT replaces the whole storage: render it with its kind '
                'and occi.storage.size.')
        changes = self._fields(attributes)
        volume = self.volume(volume_id)
        size = None
        if 'occi.storage.size' in attributes:
            size = whole_gib(attributes['occi.storage.size'])
            if size < volume['size']:
                raise exceptions.BadRequest(
                    'Storage %s is %d GiB: Cinder can grow a volume but not '
                    'shrink it to %d GiB.' % (volume_id, volume['size'],
                                              size))
        if changes:
            volume = self._cinder.update_volume(volume_id, changes)
        if size is not None and size > volume['size']:
            self._cinder.extend_volume(volume_id, size)
            volume = self._wait_extended(volume_id)
        return to_resource(self._locations, volume)

    def _wait_extended(self, volume_id):
        volume, _ = polling.poll(
            lambda: self.volume(volume_id),
            lambda volume: volume.get('status') != 'extending',
            self._conf.storage_extend_timeout)
        return volume

    def delete(self, volume_id):
        """Delete a volume.

        :raises: NotFound (also when Cinder is deleting it already),
            Conflict (in use, or in a state that refuses)
        """
        try:
            self._cinder.delete_volume(volume_id)
        except exceptions.Conflict:
            self.volume(volume_id)      # NotFound while Cinder deletes it
            raise
