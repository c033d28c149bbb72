"""The OpenStack services: how each runs, in which order, when it is up.

One table per way of running a service; adding a service (Cinder's API,
scheduler and volume service, say) is one line in one of them plus its
configuration in configs.py:

``WSGI``
    applications served by serve.py under waitress: config dir and the
    path that answers once they are ready.
``RPC``
    console scripts that are ready once they consume from a queue.
``haproxy``
    the load balancer in front of the nova-api nodes, on the contract's
    nova-api port; ready once it counts every node up.

nova-compute is not in the tables: it starts last, once the template is
saved, and ``cli.bring_up`` waits for it on its own.
"""

import os

import configs
import databases
import haproxy
import layout
import process
import rabbit
import rest


NOVA_API_NODES = ["nova-api-1", "nova-api-2"]

# name: (config dir under <state>/etc, readiness path)
WSGI = {
    "keystone": ("keystone", "/v3"),
    "placement": ("placement", "/"),
    "glance": ("glance", "/versions"),
    "neutron": ("neutron", "/"),
}
WSGI.update((node, ("nova", "/")) for node in NOVA_API_NODES)

# name: (argv after the console script, queue it consumes from once ready)
RPC = {
    "nova-conductor": (["--config-file", layout.etc("nova", "nova.conf")],
                       "conductor"),
    "nova-scheduler": (["--config-file", layout.etc("nova", "nova.conf")],
                       "scheduler"),
}

SERVICE_ORDER = (["postgres", "epmd", "rabbitmq"] + list(WSGI) +
                 ["haproxy"] + list(RPC) + ["nova-compute"])

SERVICE_PORTS = {name: layout.PORTS[name] for name in
                 ["postgres", "epmd"] + list(WSGI)}
SERVICE_PORTS["rabbitmq"] = layout.PORTS["amqp"]
SERVICE_PORTS["haproxy"] = layout.PORTS["nova-api"]

# Services of older layouts: `up` and `down` stop them if they still run
# (nova-api was one process before the nodes).
RETIRED = ["nova-api"]

# Services `up` starts and waits for together, after postgres and rabbit.
STARTED_TOGETHER = list(WSGI) + ["haproxy"] + list(RPC)


def service_argv(name):
    if name in WSGI:
        return [layout.PY, os.path.join(layout.HERE, "serve.py"), name,
                str(layout.PORTS[name]), layout.etc(WSGI[name][0])]
    if name in RPC:
        return [os.path.join(layout.BIN, name)] + RPC[name][0]
    if name == "haproxy":
        return haproxy.argv()
    if name == "nova-compute":
        return [layout.PY, os.path.join(layout.HERE, "compute_launcher.py"),
                "--config-file",
                layout.etc("nova-compute", "nova-compute.conf")]
    raise KeyError(name)


def service_env(name):
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    if name in NOVA_API_NODES:
        env["MINICLOUD_API_PASTE"] = layout.NOVA_PASTE
        env["MINICLOUD_NOVA_NODE_CONF"] = configs.nova_node_config(name)
    if name == "nova-compute":
        env["MINICLOUD_WAIT_CONDUCTOR"] = configs.amqp_url()
    for k in ("OS_TOKEN", "OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD",
              "OS_PROJECT_NAME", "OS_CLOUD"):
        env.pop(k, None)
    return env


def http_ready(name):
    status, _, _ = rest.http("GET", layout.url(name, WSGI[name][1]),
                             timeout=5)
    return status < 500


def start_service(name):
    process.spawn(name, service_argv(name), env=service_env(name))


def wait_ready(name):
    """Wait until the service ``name`` of STARTED_TOGETHER is ready."""
    if name in WSGI:
        timeout = 180 if name in NOVA_API_NODES else 120
        process.wait_for(name, lambda: http_ready(name), timeout,
                         proc_name=name)
        layout.say("%s: answering on port %d" % (name, layout.PORTS[name]))
    elif name in RPC:
        wait_consuming(name, RPC[name][1])
    elif name == "haproxy":
        process.wait_for("haproxy to count every nova-api node up",
                         lambda: haproxy.all_up(NOVA_API_NODES), 240,
                         interval=0.3, proc_name=name)
        layout.say("haproxy: balancing %s on port %d" % (
            " ".join(NOVA_API_NODES), layout.PORTS["nova-api"]))
    else:
        raise KeyError(name)


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
    apis = {"keystone", "glance", "placement"} | set(NOVA_API_NODES)
    if not set(started) & apis:
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
    for node in NOVA_API_NODES:
        if node in started:
            rest.http("GET", layout.url(node, "/v2.1/flavors"), token=token)


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
        return all(http_ready(n) for n in WSGI) and haproxy.all_up(
            NOVA_API_NODES)
    except OSError:
        return False
