"""Cinder in the mini-cloud: cinder-api, -scheduler and -volume.

cinder-api is served by waitress (serve.py) like the other APIs; the
scheduler and the volume service are console scripts. cinder-volume runs
Cinder's own fake driver (``cinder.tests.fake_driver``, in the wheel):
volumes carry no bytes, but create, attach to a FakeDriver server, detach,
extend and delete go through the real API, scheduler and volume manager.
Nova finds Cinder in the keystone catalog (``volumev3`` and
``block-storage``).
"""

import os
import shutil
import sys

import configs
import layout

#: services.WSGI's entry: cinder-api is served by serve.py (config dir,
#: readiness path).
WSGI = {"cinder-api": ("cinder", "/")}

#: The catalog entries: (service name, type), both at the same URL.
CATALOG = (("cinderv3", "volumev3"), ("cinder", "block-storage"))

#: Cinder quotas of every project: the functional tests make many volumes.
QUOTAS = {"volumes": 200, "gigabytes": 2000, "snapshots": 200}


def conf_path():
    return layout.etc("cinder", "cinder.conf")


#: services.RPC's entries: console scripts, ready once they consume.
RPC = {name: (["--config-file", conf_path()], name)
       for name in ("cinder-scheduler", "cinder-volume")}


def endpoint(project_id="%(project_id)s"):
    return layout.url("cinder-api", "/v3/%s" % project_id)


def db_sync_steps():
    return [([os.path.join(layout.BIN, "cinder-manage"), "--config-file",
              conf_path(), "db", "sync"], "cinder db sync")]


def nova_section():
    """nova.conf's [cinder]: the region, and nova's user for its own calls.

    Nova calls Cinder with the caller's token; this user serves the calls
    made without one (cleaning up after an expired token).
    """
    return configs.service_auth(
        "cinder", "nova", extra="os_region_name = %s\n" % layout.REGION)


def write_config():
    state = os.path.join(layout.STATE, "cinder")
    for d in ("state", "lock", "volumes"):
        os.makedirs(os.path.join(state, d), exist_ok=True)
    paste = os.path.join(sys.prefix, "etc", "cinder", "api-paste.ini")
    if not os.path.exists(paste):
        import cinder
        paste = os.path.join(os.path.dirname(cinder.__file__), "..", "..",
                             "..", "..", "etc", "cinder", "api-paste.ini")
    os.makedirs(layout.etc("cinder"), exist_ok=True)
    shutil.copy(paste, layout.etc("cinder", "api-paste.ini"))
    layout.write(conf_path(), """[DEFAULT]
host = {host}
use_stderr = true
debug = false
my_ip = 127.0.0.1
state_path = {state}/state
volumes_dir = {state}/volumes
transport_url = {transport}
auth_strategy = keystone
api_paste_config = {etc}/api-paste.ini
enabled_backends = fake
default_volume_type = __DEFAULT__
quota_volumes = {volumes}
quota_gigabytes = {gigabytes}
quota_snapshots = {snapshots}
periodic_fuzzy_delay = 0

[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake

[database]
connection = {db}

[oslo_concurrency]
lock_path = {state}/lock

[oslo_messaging_notifications]
driver = noop

{authtoken}
# Cinder tells Nova of a volume extended in use (an external event).
{nova}
""".format(host=layout.NOVA_HOST, state=state,
           transport=configs.transport_url(),
           etc=os.path.dirname(conf_path()), db=configs.db_url("cinder"),
           authtoken=configs.authtoken("cinder"),
           nova=configs.service_auth("nova", "cinder",
                                     extra="interface = public\n"),
           **QUOTAS))
