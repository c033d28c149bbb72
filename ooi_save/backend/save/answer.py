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

"""The snapshot itself and what a save answers.

Both methods end in Nova's ``createImage`` (:func:`create_image`). The new
image carries the image properties ``ooi_save_compute`` (the OCCI location
of the compute, when it fits Nova's 255 characters) and ``ooi_save_method``;
Nova adds ``instance_uuid`` and ``image_type=snapshot`` itself. Its name is
the one asked for, else ``<server name>-<UTC time as YYYYmmddTHHMMSSZ>``
(:func:`default_name`). The answer is the new image (:func:`image`), which
the controller renders as a new ``os_tpl`` mixin. A save refused because
another save or task holds the server answers 409, worded in one place
(:func:`being_saved`, :func:`busy`, :func:`lost_race_conflict`).
"""

import datetime
import uuid

from oslo_log import log as logging

from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import nova as nova_api
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: UTC time format of default image names.
TIME_FORMAT = '%Y%m%dT%H%M%SZ'

MAX_LENGTH = save_record.MAX_LENGTH


def check_name(name):
    """Refuse an image name Nova would refuse.

    :raises: BadRequest
    """
    if not isinstance(name, str) or not name.strip():
        raise exceptions.BadRequest('The image name must be a non-empty '
                                    'string.')
    if len(name) > MAX_LENGTH:
        raise exceptions.BadRequest('The image name must be at most %d '
                                    'characters long.' % MAX_LENGTH)
    if name != name.strip() or any(not c.isprintable() for c in name):
        raise exceptions.BadRequest(
            'The image name cannot start or end with spaces, nor hold '
            'control characters.')


def default_name(server_name, now=None):
    """The image name of a save that names none.

    :param server_name: the server's name
    :param now: a UTC datetime, by default now
    :returns: ``<server name>-<YYYYmmddTHHMMSSZ>``, at most 255 characters
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    stamp = now.strftime(TIME_FORMAT)
    base = (server_name or 'compute').strip()[:MAX_LENGTH - len(stamp) - 1]
    return '%s-%s' % (base.strip() or 'compute', stamp)


def create_image(nova, server_id, name, method, compute_url=None,
                 glance=None, mark=None):
    """Nova's createImage on a server.

    Every call marks its image with a property of its own
    (``ooi_save_request``): when Nova fails after it has registered the
    image (it does when another snapshot or a stop wins the race for the
    server's task state: ``UnexpectedTaskStateError``, answered 500), the
    image is found by that mark and deleted, and the save is refused with
    409 (:class:`ooi_save.backend.services.nova.LostRace`).

    :param nova: a :class:`ooi_save.backend.services.nova.NovaAPI`
    :param server_id: the server id
    :param name: the image name
    :param method: the save method, recorded on the image
    :param compute_url: the compute's OCCI location, recorded on the image
        when it fits Nova's limit
    :param glance: the caller's
        :class:`ooi_save.backend.services.glance.GlanceAPI`,
        to delete what a failed call left behind; None when there is none
    :param mark: the value of the image's ``ooi_save_request`` property;
        by default a new random one
    :returns: the new image id
    :raises: NotImplementedYet when Nova cannot snapshot this server;
        Conflict when another task got the server first; Nova's own errors
        otherwise (NotFound, Conflict, Forbidden...)
    """
    mark = mark or uuid.uuid4().hex
    metadata = {save_record.IMAGE_METHOD_KEY: method,
                save_record.IMAGE_REQUEST_KEY: mark}
    if compute_url and len(compute_url) <= MAX_LENGTH:
        metadata[save_record.IMAGE_COMPUTE_KEY] = compute_url
    try:
        return nova.create_image(server_id, name, metadata)
    except nova_api.LostRace as error:
        # Nova registered the image before it lost the server's task state
        # to another request.
        _discard(glance, mark, server_id)
        task = _task_now(nova, server_id)
        if task:
            raise busy(server_id, task, ', begun by another request while '
                       'this save was asked', request_id=error.request_id)
        raise lost_race_conflict(server_id, error)
    except exceptions.BadRequest as error:
        # We checked the name and the metadata ourselves: what Nova still
        # refuses with 400 is snapshotting this server at all.
        raise exceptions.NotImplementedYet(
            'This cloud cannot save compute %s: %s'
            % (server_id, error.message), request_id=error.request_id)
    except nova_api.NoAnswer:
        # Nova registered the image before it got stuck sending the
        # snapshot to the compute host: delete it, and the snapshot fails
        # harmlessly if it is sent later.
        _discard(glance, mark, server_id)
        raise
    except exceptions.Error as error:
        if error.code < 500 or isinstance(error, nova_api.UnknownImageId):
            raise
        _discard(glance, mark, server_id)
        task = _task_now(nova, server_id)
        if task:
            raise busy(server_id, task, ', begun by another request while '
                       'this save was asked', request_id=error.request_id)
        if lost_race(error):
            # The winner's task may be over already (a quick stop).
            raise lost_race_conflict(server_id, error)
        raise


def lost_race(error):
    """Whether Nova's 500 says another request won the task state.

    Nova names the exception class in the message of its 500:
    ``UnexpectedTaskStateError`` (or ``UnexpectedDeletingTaskStateError``)
    when a task state another request set made its guarded write fail.
    """
    return isinstance(error, nova_api.LostRace) or (
        isinstance(error, exceptions.BackendError) and
        nova_api.lost_race(error.code, error.message))


def being_saved(server_id, detail='', request_id=None):
    """The Conflict of a save refused because another one is under way.

    :param detail: what to add after "being saved already"
    """
    return exceptions.Conflict(
        'Compute %s is being saved already%s; try again when that save has '
        'finished.' % (server_id, detail), request_id=request_id)


def busy(server_id, task, detail='', request_id=None):
    """The Conflict of a save refused because a task runs on the server.

    :param detail: what to add after the task's name
    """
    return exceptions.Conflict(
        'Compute %s is busy (task %s%s); try again when it has finished.'
        % (server_id, task, detail), request_id=request_id)


def lost_race_conflict(server_id, error):
    """The Conflict of a save that lost the server to a racing task.

    :param error: Nova's refusal (see :func:`lost_race`)
    """
    return exceptions.Conflict(
        'Compute %s was busy with a task another request began while this '
        'save was asked; try again.' % server_id,
        request_id=error.request_id)


def chain_mark(chain_id):
    """The ``ooi_save_request`` of the images of a deferred chain.

    Known to whoever resumes the chain (its id is in the record): the image
    of a ``createImage`` that a killed nova-api left unsent is found again.
    """
    return 'chain-%s' % chain_id


def discard_unsent(glance, chain_id, server_id):
    """Delete the images an earlier ``createImage`` of a chain left queued.

    NOTE(ooi-save): Nova registers the image in Glance before it sends the
    snapshot to the compute host; a nova-api killed in between leaves the
    image ``queued`` for good, and no action log tells of it. A resumer
    about to send ``createImage`` again calls this first.
    """
    if glance is None:
        return
    _delete_marked(glance, chain_mark(chain_id), server_id,
                   'left unsent by an interrupted save',
                   lambda image: image.get('instance_uuid') == server_id and
                   image.get('status') == 'queued')


def _discard(glance, mark, server_id):
    """Delete the images a failed createImage call left in Glance."""
    if glance is None:
        LOG.warning('Nova failed to snapshot compute %s; without a user '
                    'token the image it may have left (property %s=%s) '
                    'stays', server_id, save_record.IMAGE_REQUEST_KEY, mark)
        return
    _delete_marked(glance, mark, server_id, 'left by the failed snapshot',
                   lambda image: True)


def _delete_marked(glance, mark, server_id, left, wanted):
    """Delete the images of a ``createImage`` mark that ``wanted`` picks.

    :param left: how they were left, for the log
    """
    try:
        for image in glance.find_images(
                **{save_record.IMAGE_REQUEST_KEY: mark}):
            if wanted(image):
                LOG.info('Deleting image %s, %s of compute %s', image['id'],
                         left, server_id)
                glance.delete_image(image['id'])
    except exceptions.Error as error:
        LOG.warning('Cannot delete the images %s of compute %s (property '
                    '%s=%s): %s', left, server_id,
                    save_record.IMAGE_REQUEST_KEY, mark, error)


def _task_now(nova, server_id):
    """The task running on a server now, or None (also when unknown)."""
    try:
        server = nova.get_server(server_id)
    except exceptions.Error:
        return None
    return nova_api.task_state(server)


def _local_root(server):
    """Whether a server dict proves the server boots from a local disk.

    A volume-backed server's root volume is attached to it, so a server
    with no volume attached has a local root disk. A server read before its
    root volume was made is still building, and Nova snapshots no such
    server.
    """
    if server is None:
        return False
    volumes = nova_api.attached_volumes(server)
    return volumes is not None and not volumes


def image(session, image_id, name, server_id, server=None):
    """The new image, as far as the caller needs it in the answer.

    Its id comes from Nova's answer, its name is ours (Nova takes it as
    given, since we refuse what it would strip), ``instance_uuid`` is the
    server's id. Its status: Nova answers ``createImage`` once it has
    registered the image in Glance. For a server with a local root disk it
    registers it without data, which Glance calls ``queued``, and the
    upload follows from the compute host; so when the server was read and
    has no volume attached, the answer says ``queued`` without asking
    Glance. A volume-backed server's image holds no data at all and Nova
    activates it before answering: whenever the server's volumes are not
    known (a named hot save reads only the tags), Glance is asked. When
    Glance cannot tell, the answer leaves the status out.

    :param session: the caller's session
    :param image_id: the image id Nova answered
    :param name: the image name sent to Nova
    :param server_id: the server id
    :param server: the server dict when it was read, else None
    :returns: an image dict
    """
    # The new image is a new os_tpl: the cached listing is stale.
    session.templates.invalidate()
    if _local_root(server):
        # NOTE(ooi-save): the status of the image Nova has just registered
        # without data: no need to ask Glance.
        return {'id': image_id, 'name': name, 'status': 'queued',
                'instance_uuid': server_id}
    # The image exists once Nova answered, so a Glance hiccup must not turn
    # the save into an error: the caller then gets what we know of it.
    try:
        return session.glance.get_image(image_id)
    except Exception as error:
        LOG.warning('Cannot read new image %s from Glance: %s', image_id,
                    error, exc_info=not isinstance(error, exceptions.Error))
        # Its status is not known: the answer leaves it out.
        return {'id': image_id, 'name': name, 'instance_uuid': server_id}
