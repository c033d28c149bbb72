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

"""Watching the upload of a save no chain drives (a hot save).

A hot save is answered as soon as Nova has registered its image; Nova
uploads it afterwards. When Glance goes away during that upload, Nova's own
delete of the image fails too and the image would stay ``queued`` or
``saving`` for good, listed as an os_tpl. So a :class:`Watch`, a daemon
thread of the process that answered, reads the image in Glance with the
caller's token until it is ``active`` or gone, the end of nearly every
upload. A Glance read costs Glance alone, where a read of the server costs
Nova and Neutron, both busy on a loaded cloud. Every few reads, or as soon
as Glance does not answer, it reads the server too (in-process, no HTTP),
and once Nova is done with it (no task state, or the server gone) it asks
Glance about the image once more:

* ``active``, or gone (Nova deleted it): nothing to do;
* still ``queued`` or ``saving``: the upload failed and Glance answers
  again; the image is deleted and the compute's record says the save
  failed (``step`` ``failed``, ``m`` ``hot``: its state message tells it);
* Glance does not answer: the failure is recorded as a deferred save's is
  (:func:`~ooi_save.backend.save.finish.finish`): a Keystone trust is
  created with the caller's token (when ``[occi_trustee]`` is configured),
  the record goes to the ``clean`` step with the image id, and the server
  is tagged. A chain of this process then deletes the image once Glance
  answers, and when this process is gone, the sweep of any node does,
  through the trust (:mod:`~ooi_save.backend.save.sweep`).

Nothing of this runs before the caller is answered: the trust is only
created for a save that failed, so a hot save costs what it did (one
thread, and a read of the image every few seconds while Nova uploads).
A trust created with every hot save, as a deferred save creates one, would
cost its answer a Keystone call and a metadata write: on the mini-cloud
the trust alone takes about 13 ms, a fifth of a hot save's 60 ms.

NOTE(ooi-save): the watch lives in memory until the failure is recorded:
when the nova-api process ends during the upload and Glance is lost too,
the image stays (it carries ``ooi_save_method=hot``; the operator guide
tells how to find it).
"""

import itertools
import time
import uuid

from oslo_log import log as logging

from ooi_save.backend.save import delegation
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import snapshot
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: What the watch of the image found: the upload over (or its image gone),
#: or Glance silent.
_UPLOADED = object()
_GLANCE_SILENT = object()

#: Seconds between two reads during the upload: a snapshot takes seconds
#: to hours, and the watch only needs its end.
INTERVALS = (0.5, 1.0, 2.0, 5.0)
#: Reads of the image in Glance for one of the server: the image stays
#: ``queued`` or ``saving`` only while Nova uploads, or once an upload
#: failed while Glance was away; only the server tells the two apart.
IMAGE_READS = 4
#: Seconds between two attempts at recording a failure Nova or the
#: database refused for now (another save holds the server).
RETRY = 10.0
#: Attempts at recording the failure before the watch gives up (logged).
MAX_ATTEMPTS = 30


def _nova_done(server):
    """Whether Nova is done with a server as read.

    :param server: the server, None when it is gone, False when the read
        failed (which tells nothing)
    """
    return server is None or (server is not False and not server.get(
        'OS-EXT-STS:task_state'))


class Watch:
    """The watch of one save's upload, run by the process's registry.

    :param manager: the
        :class:`~ooi_save.backend.save.manager.SaveManager`
    :param session: the caller's :class:`ooi_save.backend.Session`
    :param server_id: the server id
    :param image_id: the id of the image Nova registered
    :param method: the save method (``hot``, or ``deferred`` for a compute
        saved as it was, not ACTIVE)
    :param intervals: seconds between reads of the server, growing
    :param retry: seconds between attempts at recording a failure
    """

    def __init__(self, manager, session, server_id, image_id, method,
                 intervals=INTERVALS, retry=RETRY):
        self.manager = manager
        self.session = session
        self.server_id = server_id
        self.image_id = image_id
        self.method = method
        self.intervals = tuple(intervals)
        self.retry = retry

    def start(self):
        """Watch in a daemon thread of the process's registry."""
        self.manager.registry.spawn(self)

    def drive(self):
        """Wait for Nova to be done, then check the image (the thread)."""
        watched = self._watch_image()
        if watched is _UPLOADED:
            return
        server = (self._wait_for_nova() if watched is _GLANCE_SILENT
                  else watched)
        try:
            image = self.session.glance.get_image(self.image_id)
        except exceptions.NotFound:
            return
        except exceptions.ServiceUnavailable as error:
            LOG.warning('%s save of compute %s: cannot check image %s once '
                        'Nova is done: %s', self.method.capitalize(),
                        self.server_id, self.image_id, error)
            self._record(server)
            return
        if image.get('status') not in ('queued', 'saving'):
            return
        # The upload failed and Nova's own delete did too; Glance answers
        # again by now.
        try:
            self.session.glance.delete_image(self.image_id)
        except exceptions.NotFound:
            pass
        except exceptions.ServiceUnavailable:
            self._record(server)
            return
        LOG.warning('%s save of compute %s failed: deleted image %s, left '
                    '%s by the failed snapshot', self.method.capitalize(),
                    self.server_id, self.image_id, image.get('status'))
        if server is not None:
            self._write_failed(snapshot.GLANCE_LOST +
                               '; its image was deleted')

    def _watch_image(self):
        """Read the image until the upload is over, or Glance cannot tell.

        :returns: :data:`_UPLOADED` when the image is active or gone (Nova
            deleted the image of a failed upload), :data:`_GLANCE_SILENT`
            when Glance did not answer, else the server once Nova is done
            with it while the image is still ``queued`` or ``saving`` (None
            when the server is gone)
        """
        for polls in self._paced():
            try:
                image = self.session.glance.get_image(self.image_id)
            except exceptions.NotFound:
                return _UPLOADED
            except exceptions.Error as error:
                LOG.debug('Cannot read image %s of compute %s: %s',
                          self.image_id, self.server_id, error)
                return _GLANCE_SILENT
            if image.get('status') not in ('queued', 'saving'):
                return _UPLOADED
            if polls % IMAGE_READS:
                continue
            server = self._read_server()
            if _nova_done(server):
                return server

    def _paced(self):
        """Count the reads, sleeping the watch's interval before each."""
        for polls in itertools.count(1):
            time.sleep(self.intervals[min(polls - 1,
                                          len(self.intervals) - 1)])
            yield polls

    def _read_server(self):
        """The server, None once it is gone, False when Nova failed."""
        try:
            return self.session.nova.get_server(self.server_id)
        except exceptions.NotFound:
            return None
        except exceptions.Error as error:
            LOG.debug('Cannot read compute %s: %s', self.server_id, error)
            return False

    def _wait_for_nova(self):
        """The server once no task runs on it, or None once it is gone."""
        for _polls in self._paced():
            server = self._read_server()
            if _nova_done(server):
                return server

    def _write_failed(self, failure):
        """Tell the failure in the compute's record (best effort).

        Under the server's claim, and only over a record of no chain under
        way: a deferred save begun meanwhile keeps its own.
        """
        manager = self.manager
        nova = self.session.nova
        try:
            claim = manager.gate.take(self.session, self.server_id,
                                      self.method)
        except exceptions.Error as error:
            LOG.info('Cannot record the failed save of compute %s: %s',
                     self.server_id, error)
            return
        try:
            server = nova.get_server(self.server_id)
            if save_record.active(save_record.record_of(server)):
                return
            now = save_record.now()
            record = {'v': 1, 'id': uuid.uuid4().hex[:8],
                      'step': save_record.FAILED, 'm': self.method,
                      't0': now, 'at': now, 'img': self.image_id,
                      'err': failure}
            nova.set_server_metadata(
                self.server_id,
                {save_record.RECORD_KEY: save_record.encode(record)})
        except exceptions.Error as error:
            LOG.info('Cannot record the failed save of compute %s: %s',
                     self.server_id, error)
        finally:
            manager.gate.release(claim)

    def _record(self, server):
        """Leave the image to be deleted once Glance answers again."""
        if server is None:
            LOG.warning('%s save of compute %s failed and the compute is '
                        'gone: image %s stays until an operator deletes it',
                        self.method.capitalize(), self.server_id,
                        self.image_id)
            return
        for _attempt in range(MAX_ATTEMPTS):
            try:
                server = self._record_once()
            except exceptions.NotFound:
                LOG.warning('%s save of compute %s failed and the compute '
                            'is gone: image %s stays until an operator '
                            'deletes it', self.method.capitalize(),
                            self.server_id, self.image_id)
                return
            except exceptions.Error as error:
                LOG.info('Cannot record the failed save of compute %s yet: '
                         '%s', self.server_id, error)
                time.sleep(self.retry)
                continue
            if server is not None:
                # Driven from here like a deferred save left at ``clean``;
                # the sweep takes it over if this process ends.
                self.manager.resume_if_pending(self.session, server)
            return
        LOG.warning('%s save of compute %s failed: could not record it; '
                    'image %s stays until an operator deletes it',
                    self.method.capitalize(), self.server_id, self.image_id)

    def _record_once(self):
        """Write the ``clean`` record and tag, holding the server's claim.

        :returns: the server as read afterwards, or None when another
            chain's record is there (ours is not written)
        :raises: Conflict when another save or action holds the server
        """
        manager = self.manager
        nova = self.session.nova
        claim = manager.gate.take(self.session, self.server_id,
                                  self.method)
        try:
            server = nova.get_server(self.server_id)
            if save_record.active(save_record.record_of(server)):
                LOG.warning('%s save of compute %s failed: another save is '
                            'recorded on it, image %s stays until an '
                            'operator deletes it', self.method.capitalize(),
                            self.server_id, self.image_id)
                return None
            now = save_record.now()
            record = {'v': 1, 'id': uuid.uuid4().hex[:8],
                      'step': save_record.CLEAN, 'm': self.method,
                      't0': now, 'at': now, 'img': self.image_id,
                      'err': snapshot.GLANCE_LOST, 'own': manager.owner}
            values = {save_record.RECORD_KEY: save_record.encode(record)}
            delegation.Delegation(manager.trustee, self.server_id).delegate(
                nova.context, manager.conf, values)
            # The record first: a record without its tag is resumed by
            # the next read of the compute; a tag without a record is
            # removed as stale.
            nova.set_server_metadata(self.server_id, values)
            nova.add_server_tag(self.server_id, save_record.TAG)
            LOG.warning('%s save of compute %s failed: %s; its image %s is '
                        'deleted once Glance answers',
                        self.method.capitalize(), self.server_id,
                        snapshot.GLANCE_LOST, self.image_id)
            return nova.get_server(self.server_id)
        finally:
            manager.gate.release(claim)
