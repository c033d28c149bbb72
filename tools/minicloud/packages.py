"""The Debian packages and Python packages the mini-cloud needs."""

import importlib.util
import os
import subprocess
import sys

import layout
import process

HAPROXY = "/usr/sbin/haproxy"


def pg_bindir():
    for v in ("15", "16", "17", "14", "13"):
        d = "/usr/lib/postgresql/%s/bin" % v
        if os.path.exists(os.path.join(d, "postgres")):
            return d
    return None


def ensure_packages():
    missing = []
    if pg_bindir() is None:
        missing.append("postgresql-15")
    if not os.path.exists("/usr/lib/rabbitmq/bin/rabbitmq-server"):
        missing.append("rabbitmq-server")
    if not os.path.exists(HAPROXY):
        missing.append("haproxy")
    if missing:
        if os.geteuid() != 0:
            print("minicloud: missing system packages. Install them with:\n"
                  "  sudo apt-get update && sudo apt-get install -y %s"
                  % " ".join(missing), file=sys.stderr)
            raise SystemExit(2)
        layout.say("installing %s with apt-get" % " ".join(missing))
        # Keep apt from starting the system-wide postgres/rabbit daemons.
        policy = "/usr/sbin/policy-rc.d"
        made_policy = not os.path.exists(policy)
        if made_policy:
            layout.write(policy, "#!/bin/sh\nexit 101\n", 0o755)
        try:
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            # Wait for another apt run to finish rather than fail.
            lock = ["-o", "DPkg::Lock::Timeout=600"]
            for argv in (["apt-get", "update", "-qq"],
                         ["apt-get", "install", "-y", "-qq"] + lock +
                         missing):
                p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL)
                if p.returncode:
                    raise layout.Failure("%s failed" % " ".join(argv))
        finally:
            if made_policy:
                process.remove(policy)
    needed = ["nova", "keystone", "glance", "placement", "neutron",
              "waitress", "psycopg2", "kombu"]
    lacking = [m for m in needed if importlib.util.find_spec(m) is None]
    if lacking:
        print("minicloud: python packages missing (%s) in %s. Use\n"
              "  tox -e minicloud\nor\n  pip install -c %s -r %s" % (
                  ", ".join(lacking), sys.prefix, layout.CONSTRAINTS,
                  os.path.join(layout.REPO, "requirements-minicloud.txt")),
              file=sys.stderr)
        raise SystemExit(2)
