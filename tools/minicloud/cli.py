#!/usr/bin/env python3
"""Mini-cloud: a real, small OpenStack (keystone, nova with two nova-api nodes
behind HAProxy, glance, placement, neutron) on 127.0.0.1 for ooi_save's
tests and demos.

usage: cli.py [up | status | down [--purge] | restart SERVICE | reset |
               stop SERVICE | start SERVICE]

  up        install what is missing (Debian packages, as root), start every
            service that is not running, wait until all answer, seed the
            cloud the first time, refresh the tokens in .minicloud/openrc
            when they are older than 6 h, print the OCCI endpoint. Running it
            while everything is up is harmless and fast.
  status    one line per service; exit 0 only if all are running.
  down      stop everything that `up` started (by PID, rabbit's epmd too).
            The data is kept: the next `up` brings back the same cloud.
  down --purge, reset
            stop and drop the cloud's data (databases, images, servers);
            the next `up` starts a fresh cloud from the cached, already
            migrated and seeded template (.minicloud/template).
  restart SERVICE
            stop one service (see `status` for names) and run `up`;
            `restart nova-api` restarts every nova-api node.
  stop SERVICE
            stop one service and leave it stopped (a fault to test with):
            `status` then shows it stopped and `up` would start it again.
            SERVICE is one of `status`'s names (one nova-api node:
            nova-api-1); `stop nova-api` stops every node.
  start SERVICE
            start what `stop` stopped and wait until it answers again;
            the same as `up`, which starts whatever is not running.

environment:
  MINICLOUD_PORT_BASE   first of the TCP ports used (default 27100): the
                        services listen on BASE+0 (postgres), +1 (amqp),
                        +2 (epmd), +3 (erlang dist), +4..+8 (rabbitmqctl),
                        +10 keystone, +11 placement, +12 glance,
                        +13 neutron, +14 nova-api (HAProxy in
                        front of the nodes), +15 nova-api-1, +16
                        nova-api-2, +17 HAProxy's stats page.
  MINICLOUD_STATE_DIR   where all state goes (default <repo>/.minicloud).
  MINICLOUD_API_PASTE   paste ini for nova-api
                        (default <repo>/etc/api-paste.ini). nova-api runs
                        with a copy in etc/nova/api-paste.ini that adds
                        a test-only mount, /plain/v2.1: the /v2.1 pipeline
                        without the OCCI filter, for the tests to compare
                        native answers with and without it; and
                        /healthcheck, for HAProxy's checks.
  MINICLOUD_WSGI_THREADS
                        waitress worker threads of each WSGI service
                        (default 8).

Everything lives under the state dir: run/<service>.pid, log/<service>.log,
etc/ (generated configs), openrc, state.json.
"""

import fcntl
import json
import os
import shutil
import signal
import sys
import time

import configs
import databases
import haproxy
import layout
import openrc
import packages
import process
import rabbit
import rest
import seed
import services


def lock():
    os.makedirs(layout.STATE, exist_ok=True)
    f = open(os.path.join(layout.STATE, "lock"), "w")
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


def ensure_gitignore():
    if os.path.abspath(layout.STATE) != os.path.join(layout.REPO,
                                                     ".minicloud"):
        return
    gi = os.path.join(layout.REPO, ".gitignore")
    try:
        with open(gi) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = []
    if ".minicloud/" not in lines and "/.minicloud/" not in lines:
        with open(gi, "a") as f:
            f.write(".minicloud/\n")


def cmd_up():
    with lock():
        if services.all_running():
            refreshed = openrc.write_openrc(None)
            if refreshed:
                layout.say("tokens in %s refreshed" % layout.OPENRC)
            banner()
            return 0
        packages.ensure_packages()
        ensure_gitignore()
        if databases.data_outdated():
            # NOTE: data made by an older mini-cloud (another template
            # format or other constraints) lacks what the new services
            # need, e.g. Cinder's tables: it is remade, not patched.
            layout.say("the cloud's data in %s was made by another version "
                       "of the mini-cloud: making it anew" % layout.STATE)
            stop_all(purge=True)
        for d in (layout.RUN, layout.LOG, layout.ETC):
            os.makedirs(d, exist_ok=True)
        configs.write_configs(services.NOVA_API_NODES)
        haproxy.write_config(services.NOVA_API_NODES)
        bring_up()
        openrc.update_state_pids()
        banner()
        return 0


def bring_up():
    """Start what is not running, in order; seed a new cloud."""
    # 1. postgres and rabbitmq, side by side.
    broker_was_down = not process.alive("rabbitmq")
    result = {}
    process.run_parallel({
        "postgres": lambda: result.setdefault(
            "fresh", databases.ensure_postgres()),
        "rabbitmq": rabbit.ensure_rabbit,
        "keystone keys": databases.ensure_keystone_keys,
    })
    broker_back = time.time()
    if result.get("fresh"):
        layout.say("migrating the databases (first run for these "
                   "constraints)")
        databases.sync_databases()
    databases.sync_ooi_save()
    seeded = os.path.exists(layout.SEEDED)

    retired = process.stop_many(services.RETIRED)
    if retired:
        layout.say("stopped %s (no longer part of the mini-cloud)"
                   % ", ".join(retired))

    # 2. Every service. nova-compute's launcher itself waits until the
    # conductor consumes before it starts the service; on a new cloud it
    # starts only after the template is saved (it must not be in it).
    names = list(services.STARTED_TOGETHER)
    if seeded:
        names.append("nova-compute")
    started = [n for n in names if not process.alive(n)]
    compute_started = time.time() if "nova-compute" in started else None
    if compute_started is None and broker_was_down and seeded:
        # NOTE: a nova-compute that outlived the broker reports through
        # the conductor again only once its pending call has timed out
        # (rpc_response_timeout, 60 s); until then the scheduler counts
        # the host as down and every boot fails with no valid host.
        compute_started = broker_back
    for name in started:
        services.start_service(name)
    if started:
        layout.say("started %s" % ", ".join(started))
    process.run_parallel({name: (lambda n=name: services.wait_ready(n))
                          for name in services.STARTED_TOGETHER})

    services.warm_up(started)

    # 3. A new cloud: seed it and keep it as the template.
    if not seeded:
        record = seed.seed_keystone()
        layout.say("keystone: seeded projects, users, roles, catalog")
        admin_token = rest.admin_token()
        process.run_parallel({
            "nova seed": lambda: seed.seed_nova(admin_token,
                                                record["projects"]),
            "glance seed": lambda: record.update(
                {"image_id": seed.seed_glance(admin_token)}),
            "neutron seed": lambda: record.update(
                {"networks": seed.seed_neutron(admin_token,
                                               record["projects"])}),
        })
        record["flavors"] = {f[1]: f[0] for f in seed.FLAVORS}
        record["image_name"] = layout.IMAGE_NAME
        layout.write(layout.SEEDED, json.dumps(record, indent=2) + "\n")
        layout.say("nova: flavors and quotas; glance: image %s; neutron: "
                   "public, and a private network and router in %s"
                   % (layout.IMAGE_NAME, " and ".join(seed.PRIVATE)))
        databases.save_template()
    with open(layout.SEEDED) as f:
        record = json.load(f)

    # 4. nova-compute.
    if not process.alive("nova-compute"):
        compute_started = time.time()
        services.start_service("nova-compute")
        layout.say("started nova-compute")
    services.wait_consuming("nova-compute", "compute.%s" % layout.NOVA_HOST)
    process.wait_for("nova-compute to be mapped to cell1",
                     services.compute_mapped, 120, interval=0.3,
                     proc_name="nova-compute")
    if compute_started is not None:
        process.wait_for("nova-compute to report its service", lambda:
                         services.compute_reported_since(compute_started),
                         180, interval=0.3, proc_name="nova-compute")
    layout.say("nova-compute: registered and mapped to cell1")
    openrc.write_openrc(record, force=not seeded or not os.path.exists(
        layout.OPENRC))


def banner():
    print("""
minicloud is up ({took:.1f}s).
  OCCI endpoint:  {occi}
  compute API:    {nova}
                  (HAProxy, round robin over {nodes})
  credentials:    . {openrc}
  try:            . {openrc}
                  curl -H "X-Auth-Token: $OS_TOKEN" $OCCI_ENDPOINT/-/
  logs:           {log}/<service>.log""".format(
        took=time.time() - layout.T0,
        occi=layout.url("nova-api", "/occi1.2"),
        nova=layout.url("nova-api", "/v2.1"),
        nodes=" and ".join(services.NOVA_API_NODES), openrc=layout.OPENRC,
        log=layout.LOG), flush=True)


def cmd_status():
    ok = True
    total_rss = total_pss = 0
    table = process.proc_table()
    for name in services.SERVICE_ORDER:
        pid = process.read_pid(name)
        port = services.SERVICE_PORTS.get(name)
        up = pid is not None and (port is None or process.port_open(port))
        ok = ok and up
        rss, pss = process.service_memory_kib(pid, table) if pid else (0, 0)
        total_rss += rss
        total_pss += pss
        print("%-15s %-8s pid %-8s port %-6s rss %5d MiB  pss %5d MiB" % (
            name, "running" if up else "stopped", pid or "-", port or "-",
            rss // 1024, pss // 1024))
    print("%-15s %-8s %-12s %-11s rss %5d MiB  pss %5d MiB" % (
        "total", "", "", "", total_rss // 1024, total_pss // 1024))
    return 0 if ok else 1


def cmd_down(purge=False):
    with lock():
        stop_all(purge)
    return 0


def stop_all(purge=False):
    """Stop every service; with ``purge`` drop the cloud's data too."""
    for group in (services.SERVICE_ORDER[3:] + services.RETIRED,
                  ["rabbitmq"], ["epmd"], ["postgres"]):
        stopped = process.stop_many(group)
        if stopped:
            layout.say("stopped %s" % ", ".join(stopped))
    beam = os.path.join(layout.RUN, "rabbitmq-beam.pid")
    try:
        with open(beam) as f:
            pid = int(f.read().split()[0])
        if pid and os.path.exists("/proc/%d" % pid) and \
                "minicloud%d" % layout.BASE in open(
                    "/proc/%d/cmdline" % pid).read():
            os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass
    process.remove(beam)
    if purge:
        shutil.rmtree(layout.PGDIR, ignore_errors=True)
        shutil.rmtree(os.path.join(layout.STATE, "rabbit"),
                      ignore_errors=True)
        databases.drop_runtime_state()
        layout.say("dropped the cloud's data (the database template is "
                   "kept)")


def service_names(name):
    """The services one name on the command line means, or None."""
    if name == "nova-api":
        return list(services.NOVA_API_NODES)
    if name in services.SERVICE_ORDER:
        return [name]
    print("unknown service %r; one of: nova-api %s" % (
        name, " ".join(services.SERVICE_ORDER)), file=sys.stderr)
    return None


def cmd_stop(name):
    names = service_names(name)
    if names is None:
        return 2
    with lock():
        stopped = process.stop_many(names)
        layout.say("stopped %s" % (", ".join(stopped) or "nothing"))
    return 0


def cmd_restart(name):
    status = cmd_stop(name)
    return status or cmd_up()


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "up":
            return cmd_up()
        if cmd == "status":
            return cmd_status()
        if cmd == "down":
            return cmd_down(purge="--purge" in args)
        if cmd == "reset":
            return cmd_down(purge=True)
        if cmd == "restart" and args:
            return cmd_restart(args[0])
        if cmd == "stop" and args:
            return cmd_stop(args[0])
        if cmd == "start" and args:
            if service_names(args[0]) is None:
                return 2
            return cmd_up()
    except layout.Failure as e:
        print("minicloud: %s" % e, file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
