"""The OpenStack services: how each runs, in which order, when it is up."""

import os

import configs
import databases
import layout
import process
import rabbit
import rest


SERVICE_ORDER = ["postgres", "epmd", "rabbitmq", "keystone", "placement",
                 "glance", "neutron", "nova-api", "nova-conductor",
                 "nova-scheduler", "nova-compute"]

SERVICE_PORTS = {name: layout.PORTS[name] for name in (
    "postgres", "epmd", "keystone", "placement", "glance", "neutron",
    "nova-api")}
SERVICE_PORTS["rabbitmq"] = layout.PORTS["amqp"]

WSGI_SERVICES = ["keystone", "placement", "glance", "neutron", "nova-api"]


def service_argv(name):
    if name in WSGI_SERVICES:
        confdir = layout.etc({"nova-api": "nova"}.get(name, name))
        return [layout.PY, os.path.join(layout.HERE, "serve.py"), name,
                str(layout.PORTS[name]), confdir]
    if name == "nova-conductor":
        return [os.path.join(layout.BIN, "nova-conductor"), "--config-file",
                os.path.join(layout.ETC, "nova", "nova.conf")]
    if name == "nova-scheduler":
        return [os.path.join(layout.BIN, "nova-scheduler"), "--config-file",
                os.path.join(layout.ETC, "nova", "nova.conf")]
    if name == "nova-compute":
        return [layout.PY, os.path.join(layout.HERE, "compute_launcher.py"),
                "--config-file",
                os.path.join(layout.ETC, "nova-compute", "nova-compute.conf")]
    raise KeyError(name)


def service_env(name):
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    if name == "nova-api":
        env["MINICLOUD_API_PASTE"] = layout.NOVA_PASTE
    if name == "nova-compute":
        env["MINICLOUD_WAIT_CONDUCTOR"] = configs.amqp_url()
    for k in ("OS_TOKEN", "OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD",
              "OS_PROJECT_NAME", "OS_CLOUD"):
        env.pop(k, None)
    return env


def http_ready(name):
    paths = {"keystone": "/v3", "placement": "/", "glance": "/versions",
             "neutron": "/", "nova-api": "/"}
    status, _, _ = rest.http("GET", layout.url(name, paths[name]), timeout=5)
    return status < 500


def start_service(name):
    process.spawn(name, service_argv(name), env=service_env(name))


def wait_http(name, timeout=120):
    process.wait_for(name, lambda: http_ready(name), timeout, proc_name=name)
    layout.say("%s: answering on port %d" % (name, layout.PORTS[name]))


def wait_consuming(name, queue, timeout=120):
    process.wait_for("%s consuming from %s" % (name, queue),
                     lambda: rabbit.queue_consumers(queue) > 0, timeout,
                     interval=0.5, proc_name=name)
    layout.say("%s: consuming from RabbitMQ" % name)


def warm_up(started):
    """One authenticated request to each API service just started.

    The services build their policy enforcers lazily, and keystone's is not
    thread-safe: the first concurrent requests after a start can get a 403
    or a 500 ('Enforcer' object has no attribute '_warning_emitted'). One
    request first, before any test or seeding traffic, avoids that.
    """
    if not set(started) & {"keystone", "nova-api", "glance", "placement"}:
        return
    token = rest.admin_token()
    rest.call("GET", layout.url("keystone", "/v3/projects?name=admin"),
              token=token)
    rest.call("GET", layout.url("keystone", "/v3/auth/tokens"), token=token,
              headers={"X-Subject-Token": token})
    if "placement" in started:
        rest.http("GET", layout.url("placement", "/resource_providers"),
                  token=token)
    if "glance" in started:
        rest.http("GET", layout.url("glance", "/v2/images?limit=1"),
                  token=token)
    if "nova-api" in started:
        rest.http("GET", layout.url("nova-api", "/v2.1/flavors"), token=token)


def compute_mapped():
    return databases.psql(
        "SELECT count(*) FROM host_mappings WHERE host = '%s'"
        % layout.NOVA_HOST, db="nova_api") != "0"


def compute_reported_since(started):
    """Whether nova-compute's service heartbeat is newer than ``started``.

    After a ``down`` and ``up`` the services row still carries the last
    heartbeat (``last_seen_up``) of before: the scheduler counts the host
    as down (no valid host) until the new process has reported once. The
    heartbeat is read as nova's servicegroup driver reads it.
    """
    return databases.psql(
        "SELECT count(*) FROM services WHERE host = '%s' AND "
        "\"binary\" = 'nova-compute' AND deleted = 0 AND "
        "COALESCE(last_seen_up, updated_at, created_at) >= "
        "to_timestamp(%f) AT TIME ZONE 'UTC'"
        % (layout.NOVA_HOST, started), db="nova") != "0"


def all_running():
    for name in SERVICE_ORDER:
        if not process.alive(name):
            return False
        port = SERVICE_PORTS.get(name)
        if port and not process.port_open(port):
            return False
    if not (os.path.exists(layout.SEEDED) and os.path.exists(layout.OPENRC)):
        return False
    try:
        return all(http_ready(n) for n in WSGI_SERVICES)
    except OSError:
        return False
