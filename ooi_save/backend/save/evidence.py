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

"""What Nova and Glance tell of a chain's snapshot.

Nova keeps no image id anywhere a resumer could read it, and the server
metadata cannot be written while the snapshot task runs: whether a
resumed chain's ``createImage`` was sent is read from Nova's instance
action log, and whether it succeeded from Glance, or from that log.
"""

from oslo_log import log as logging

from ooi_save.backend.save import record as save_record
from ooi_save import exceptions

LOG = logging.getLogger(__name__)


def actions(nova, server_id, record):
    """Nova's instance actions of a server since it stopped.

    :param nova: a :class:`ooi_save.backend.services.nova.NovaAPI`
    :param server_id: the server id
    :param record: the chain record (its ``ts``)
    """
    since = save_record.parse_time(record.get('ts'))
    return nova.instance_actions(server_id, record['ts'] if since else None)


def ours(action, record):
    """Whether an instance action is the chain's ``createImage``.

    NOTE(ooi-save): Nova stamps an action with the start time of the
    request context, and every call of one OCCI request shares its context:
    the ``createImage`` of a deferred save bears the time the save was
    asked, before the stop. So the action is matched by request id (``rq``,
    written with the record of the stop, or by a resumer just before its
    ``createImage``), else by ``updated_at``.
    """
    if action.get('action') != 'createImage':
        return False
    if record.get('rq'):
        return (action.get('request_id') or '').endswith(record['rq'])
    since = save_record.parse_time(record.get('ts'))
    return since is None or (save_record.parse_time(
        action.get('updated_at') or action.get('start_time')) or
        0) >= since


def snapshot_sent(nova, server_id, record):
    """Whether the chain's ``createImage`` was sent since it stopped."""
    return any(ours(action, record)
               for action in actions(nova, server_id, record))


def snapshot_failure(nova, glance, server_id, image_id, record):
    """Why the snapshot failed, '' when it succeeded, None when unknown.

    Glance tells best, with the caller's token while it is valid;
    otherwise Nova's instance action log says whether the snapshot failed.

    NOTE(ooi-save): when Glance goes away during the upload, Nova clears
    the server's task state first and marks its action failed only after
    it has tried (and failed) to delete the image, seconds later: with
    Glance unreachable and no failure in the log yet, the outcome is
    unknown (None) and the caller looks again later.

    :param glance: a :class:`ooi_save.backend.services.glance.GlanceAPI`, or
        None
    :param image_id: the image id when known, else None
    """
    glance_down = False
    if image_id and glance is not None:
        try:
            image = glance.get_image(image_id)
        except exceptions.NotFound:
            return 'snapshot image %s was deleted: the snapshot ' \
                   'failed' % image_id
        except exceptions.ServiceUnavailable:
            glance_down = True
        except Exception as error:
            # Only a confirmation: Nova's action log tells as well.
            LOG.debug('Cannot check image %s in Glance: %s', image_id,
                      error)
        else:
            if image.get('status') == 'active':
                return ''
            if image.get('status') in ('queued', 'saving'):
                return 'the snapshot upload did not finish (image %s was ' \
                       'left %s)' % (image_id, image.get('status'))
            return 'snapshot image %s is %s' % (
                image_id, image.get('status'))
    for action in actions(nova, server_id, record):
        if ours(action, record) and action.get('message') == 'Error':
            if glance_down:
                return 'the snapshot upload failed: Glance could not be ' \
                       'reached (request %s)' % action.get('request_id')
            return 'Nova reports that the snapshot failed (request ' \
                   '%s)' % action.get('request_id')
    return None if glance_down else ''
