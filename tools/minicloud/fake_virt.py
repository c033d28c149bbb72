"""Out-of-tree fake virt driver for the mini-cloud's nova-compute.

nova.virt.fake.FakeDriver (through FakeDriverWithoutFakeNodes, which keeps
its node UUID in the ``compute_id`` file of nova's state_path like a real
single-node driver, so that a restarted nova-compute finds its node again
instead of refusing to start) with two changes:

* ``snapshot()`` uploads real bytes to Glance the way the libvirt driver
  does: task state image_pending_upload, then image_uploading (expected
  image_pending_upload), then an upload through nova's image API, so the
  Glance image goes queued -> saving -> active and nova clears task_state.
  A server with the metadata key ``minicloud_upload_seconds`` (see
  :data:`UPLOAD_SECONDS_KEY`) has its snapshot upload take that long, for
  tests that need to act while Nova says image_uploading and Glance
  says saving.
* the fake instances survive a restart of nova-compute: they are kept in a
  JSON file in nova's state_path (FakeDriver keeps them in memory only, so a
  restarted compute would find its servers gone).

Nova loads drivers from ``nova.virt.<name>`` only: compute_launcher.py
registers this module as ``nova.virt.minicloud_fake`` and nova.conf says
``compute_driver = minicloud_fake.MiniCloudFakeDriver``.
"""
import functools
import io
import json
import os
import threading

from oslo_log import log as logging
import requests

from nova.compute import task_states
import nova.conf
from nova import exception
from nova.image import glance
from nova.virt import fake

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# What a snapshot uploads: small, recognisable, same for every snapshot.
SNAPSHOT_PAYLOAD = b"minicloud fake snapshot disk\n" * 128

#: Server metadata key: seconds a snapshot upload of that server takes.
UPLOAD_SECONDS_KEY = "minicloud_upload_seconds"
#: Request header asking the mini-cloud's Glance to read an upload slowly
#: (serve.py): waitress buffers a request body whole before Glance sees
#: it, so a slow sender would keep the image queued, not saving.
UPLOAD_SECONDS_HEADER = "X-Minicloud-Upload-Seconds"

_MUTATORS = ("spawn", "destroy", "power_off", "power_on", "reboot", "rescue",
             "unrescue", "pause", "unpause", "suspend", "resume",
             "finish_migration", "finish_revert_migration",
             "confirm_migration", "migrate_disk_and_power_off",
             "post_live_migration_at_destination",
             "rollback_live_migration_at_destination", "live_migration",
             "cleanup", "rebuild")


def _persisting(name):
    def wrapper(self, *args, **kwargs):
        try:
            return getattr(super(MiniCloudFakeDriver, self), name)(
                *args, **kwargs)
        finally:
            self._save_instances()
    wrapper.__name__ = name
    return wrapper


class MiniCloudFakeDriver(fake.FakeDriverWithoutFakeNodes):
    """FakeDriver: snapshots upload to Glance, instances survive restarts."""

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only)
        self._image_api = glance.API()

    # -- persistence -------------------------------------------------------

    def _state_file(self):
        return os.path.join(CONF.state_path, "minicloud_fake_instances.json")

    # NOTE: nova-compute runs operations in parallel threads; without the
    # lock two of them shared the .tmp file and one failed the instance
    # with FileNotFoundError (seen deleting 100 servers at once).
    _save_lock = threading.Lock()

    def _save_instances(self):
        with self._save_lock:
            data = {uuid: {"name": i.name, "state": i.state}
                    for uuid, i in list(self.instances.items())}
            tmp = self._state_file() + ".tmp"
            with open(tmp, "w") as f:
                json.dump(data, f)
            os.replace(tmp, self._state_file())

    def init_host(self, host):
        super().init_host(host)
        try:
            with open(self._state_file()) as f:
                data = json.load(f)
        except (FileNotFoundError, ValueError):
            return
        for uuid, i in data.items():
            self.instances[uuid] = fake.FakeInstance(i["name"], i["state"],
                                                     uuid)
        LOG.info("Restored %d fake instances from %s", len(data),
                 self._state_file())

    def spawn(self, context, instance, *args, **kwargs):
        try:
            return super().spawn(context, instance, *args, **kwargs)
        finally:
            self._save_instances()

    # -- snapshot ----------------------------------------------------------

    def snapshot(self, context, instance, image_id, update_task_state):
        if instance.uuid not in self.instances:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        snapshot = self._image_api.get(context, image_id)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)

        image_meta = instance.image_meta
        disk_format = (image_meta.disk_format
                       if image_meta.obj_attr_is_set("disk_format") else
                       "raw")
        container_format = (image_meta.container_format
                            if image_meta.obj_attr_is_set("container_format")
                            else "bare")
        metadata = {
            "status": "active",
            "name": snapshot["name"],
            "properties": {
                "kernel_id": instance.kernel_id,
                "image_location": "snapshot",
                "image_state": "available",
                "owner_id": instance.project_id,
                "ramdisk_id": instance.ramdisk_id,
            },
            "disk_format": disk_format,
            "container_format": container_format,
        }
        if instance.os_type:
            metadata["properties"]["os_type"] = instance.os_type

        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        seconds = self._upload_seconds(instance)
        if seconds:
            self._image_api.update(context, image_id, metadata,
                                   purge_props=False)
            self._slow_upload(context, image_id, seconds)
        else:
            self._image_api.update(context, image_id, metadata,
                                   io.BytesIO(SNAPSHOT_PAYLOAD),
                                   purge_props=False)
        LOG.info("Snapshot of %s uploaded to image %s (%d bytes)",
                 instance.uuid, image_id, len(SNAPSHOT_PAYLOAD),
                 instance=instance)

    @staticmethod
    def _upload_seconds(instance):
        try:
            return max(0.0, float(instance.metadata.get(UPLOAD_SECONDS_KEY)
                                  or 0))
        except ValueError:
            return 0.0

    def _slow_upload(self, context, image_id, seconds):
        """PUT the bytes, asking Glance to take ``seconds`` reading them.

        As nova's image API does, but glanceclient cannot add a header.
        """
        url = "%s/v2/images/%s/file" % (
            glance.generate_glance_url(context).rstrip("/"), image_id)
        LOG.info("Uploading the snapshot to image %s over %.1f s",
                 image_id, seconds)
        response = requests.put(url, data=SNAPSHOT_PAYLOAD, timeout=600,
                                headers={
                                    "X-Auth-Token": context.auth_token,
                                    "Content-Type":
                                        "application/octet-stream",
                                    UPLOAD_SECONDS_HEADER: str(seconds)})
        response.raise_for_status()


for _name in _MUTATORS:
    if _name != "spawn" and hasattr(fake.FakeDriver, _name):
        setattr(MiniCloudFakeDriver, _name,
                functools.wraps(getattr(fake.FakeDriver, _name))(
                    _persisting(_name)))
