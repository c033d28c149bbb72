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

"""How a deferred save ends: its record removed, or left as ``failed``.

A failure the caller was answered with (a stop that timed out: 503; a
refused ``createImage``: 403/409/413/501) ends with the record removed. A
failure nobody was told of (the upload failed, or a resumed chain could not
snapshot) is left visible: the tag is removed but the record stays with
``step`` ``failed``, ``err`` saying why and ``img`` the image id when known,
until the next deferred save of the compute replaces it or the user deletes
the metadata key; the compute's state message tells it for
:data:`~ooi_save.backend.save.record.FAILURE_SHOWN` seconds.

The image of a failed snapshot is deleted first (:func:`remove_image`):
Nova tries to, but when Glance itself went away that fails and the image
would stay ``saving`` for good. While Glance does not answer, the chain
waits at the ``clean`` step (:func:`clean`), its tag and trust kept, so
that the sweep of any node resumes it if this process ends.

Also the ends of chains that have nothing left to save: a chain whose stop
Nova refused withdraws its record (:func:`withdraw`), and a tag left by a
chain interrupted at its very end is removed (:func:`remove_stale_tag`).
"""

import time

from oslo_log import log as logging

from ooi_save.backend.save import outcomes
from ooi_save.backend.save import record as save_record
from ooi_save import exceptions

LOG = logging.getLogger(__name__)


def finish(chain, failure, error_class=None, keep=None):
    """End the chain on a server that no longer needs us.

    :param chain: the :class:`~ooi_save.backend.save.chain.Chain`
    :param failure: why the save failed, or None when it succeeded
    :param error_class: what to answer a waiting caller with
    :param keep: leave a failed record; by default when no caller was
        told of the failure
    :returns: :data:`~ooi_save.backend.save.outcomes.DONE`, or ``WAIT``
        while Nova refuses the record's change
    """
    if keep is None:
        keep = bool(failure) and not chain.told
    image_id = chain.image_id or (chain.record or {}).get('img')
    if failure and keep and image_id and not chain.image_cleaned:
        if not remove_image(chain, image_id):
            # Not closing yet: the compute is no longer held for it.
            return _clean_later(chain, failure, image_id)
    chain.ending = True
    chain.closing()
    if failure and chain.told and chain.error is None:
        chain.error = (error_class or exceptions.BackendError)(
            'Compute %s was not saved: %s.' % (chain.server_id, failure))
    chain.adopt = False
    if failure and keep:
        # What a finished chain no longer needs leaves room for err.
        failed = {key: value for key, value in chain.record.items()
                  if key not in ('name', 'trust', 'dl', 'ts', 'rq',
                                 'own', 'keep')}
        failed.update(step=save_record.FAILED, err=failure,
                      at=save_record.now())
        if chain.image_id:
            failed['img'] = chain.image_id
        if not chain.write(failed):
            return outcomes.WAIT
        if chain.delegation.current(chain.record):
            chain.delete_key(save_record.TRUST_KEY)
        chain.untag()
        LOG.warning('%s of compute %s failed: %s',
                    save_record.label(chain.record).capitalize(),
                    chain.server_id, failure)
    else:
        if not chain.forget():
            return outcomes.WAIT
        if failure:
            LOG.warning('Deferred save of compute %s ended unsaved: %s',
                        chain.server_id, failure)
        else:
            LOG.info('Deferred save of compute %s done: image %s',
                     chain.server_id, chain.image_id or '(resumed)')
    chain.delegation.end(chain.record)
    return outcomes.DONE


#: What :func:`remove_image` returns for an image found active.
ACTIVE = 'active'


def remove_image(chain, image_id):
    """Delete the image of a failed snapshot, unless it is active.

    NOTE(ooi-save): Nova deletes the image of a snapshot that failed, but
    when the failure is Glance going away, that delete fails too and the
    image stays ``saving`` (or ``queued``) for good, listed as an os_tpl.

    :returns: False while Glance cannot be reached (try again later),
        :data:`ACTIVE` when the image turned out active (it is kept),
        True when the image is gone or is left for good (Glance refused)
    """
    glance = chain.glance
    if glance is None:
        environ = chain.delegation.environ(chain.record)
        if environ is None:
            LOG.warning('%s of compute %s failed; without a user token its '
                        'image %s stays',
                        save_record.label(chain.record).capitalize(),
                        chain.server_id, image_id)
            chain.image_cleaned = True
            return True
        from ooi_save.backend.services import glance as glance_api
        glance = chain.glance = glance_api.GlanceAPI(environ,
                                                     chain.manager.conf)
    try:
        image = glance.get_image(image_id)
        if image.get('status') == 'active':
            chain.image_cleaned = True
            return ACTIVE
        glance.delete_image(image_id)
    except exceptions.NotFound:
        pass
    except exceptions.ServiceUnavailable as error:
        LOG.info('%s of compute %s: cannot delete image %s of the failed '
                 'snapshot yet: %s',
                 save_record.label(chain.record).capitalize(),
                 chain.server_id, image_id, error)
        return False
    except exceptions.Error as error:
        LOG.warning('%s of compute %s: Glance refused to delete image %s '
                    'of the failed snapshot: %s',
                    save_record.label(chain.record).capitalize(),
                    chain.server_id, image_id, error)
        chain.image_cleaned = True
        return True
    else:
        LOG.info('%s of compute %s: deleted image %s of the failed '
                 'snapshot', save_record.label(chain.record).capitalize(),
                 chain.server_id, image_id)
    chain.image_cleaned = True
    return True


def _clean_later(chain, failure, image_id):
    """Record that the failed save's image is still to be deleted.

    The record goes to the ``clean`` step: the tag and the trust stay, so
    that this chain, or the sweep of any node when this one is gone,
    deletes the image once Glance answers (:func:`clean`).
    """
    if chain.record.get('step') != save_record.CLEAN:
        cleaning = {key: value for key, value in chain.record.items()
                    if key not in ('name', 'dl', 'rq', 'keep')}
        cleaning.update(step=save_record.CLEAN, err=failure, img=image_id,
                        at=save_record.now())
        if not chain.write(cleaning):
            return outcomes.WAIT
        chain.record = cleaning
        LOG.warning('Deferred save of compute %s failed: %s; its image %s '
                    'is deleted once Glance answers', chain.server_id,
                    failure, image_id)
    chain.overdue = True
    return outcomes.WAIT


def clean(chain, record):
    """The ``clean`` step: delete the image, then end as ``failed``."""
    chain.image_id = chain.image_id or record.get('img')
    removed = remove_image(chain, chain.image_id)
    if not removed:
        chain.overdue = True
        return outcomes.WAIT
    if removed == ACTIVE:
        # The upload had finished before Glance went away: saved.
        LOG.info('%s of compute %s: image %s is active after all',
                 save_record.label(record).capitalize(), chain.server_id,
                 chain.image_id)
        return finish(chain, None)
    return finish(chain, '%s; its image was deleted' % (
        record.get('err') or 'the snapshot failed'), keep=True)


def went(chain, status):
    """End the chain of a server that went into an unexpected status."""
    return finish(chain, 'the compute went %s while it was being saved'
                  % status, exceptions.BackendError)


def withdraw(chain, record, task):
    """Remove the record of a chain Nova refused, once it can."""
    if record is None or record.get('id') != chain.chain_id:
        # Another chain recorded itself meanwhile: the tag is its own.
        return outcomes.DONE
    if task:
        # Nova refuses metadata changes while a task runs.
        return outcomes.WAIT
    if not chain.forget():
        return outcomes.WAIT
    LOG.info('Deferred save of compute %s: record of the refused save '
             'removed', chain.server_id)
    return outcomes.DONE


def remove_stale_tag(chain):
    """Remove a tag left by a chain that was interrupted at its end."""
    time.sleep(chain.manager.settle)
    server = chain.nova.get_server(chain.server_id)
    if save_record.tagged(server) and not save_record.active(
            save_record.record_of(server)):
        LOG.info('Removing the tag left on compute %s by a finished '
                 'save', chain.server_id)
        chain.untag()
