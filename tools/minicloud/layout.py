"""Where the mini-cloud keeps its state, which ports it uses, its names.

Everything the other modules share: paths under the state dir, the TCP
ports (from MINICLOUD_PORT_BASE), the seeded names and passwords, and the
few helpers every step uses (say, write, url, logfile, pidfile).
"""

import os
import sys
import time


HERE = os.path.dirname(os.path.abspath(__file__))

REPO = os.path.dirname(os.path.dirname(HERE))

STATE = os.path.abspath(os.environ.get("MINICLOUD_STATE_DIR",
                                       os.path.join(REPO, ".minicloud")))

BASE = int(os.environ.get("MINICLOUD_PORT_BASE", "27100"))

PASTE = os.path.abspath(os.environ.get(
    "MINICLOUD_API_PASTE", os.path.join(REPO, "etc", "api-paste.ini")))

CONSTRAINTS = os.path.join(REPO, "minicloud-constraints.txt")

# Bump when what goes into the database template changes.
TEMPLATE_FORMAT = "8"

# "nova-api" is the contract's compute endpoint: HAProxy, in front of the
# nova-api nodes. BASE+20 and above are free for more services.
PORTS = {
    "postgres": BASE, "amqp": BASE + 1, "epmd": BASE + 2, "dist": BASE + 3,
    "ctl_min": BASE + 4, "ctl_max": BASE + 8,
    "keystone": BASE + 10, "placement": BASE + 11, "glance": BASE + 12,
    "neutron": BASE + 13, "nova-api": BASE + 14,
    "nova-api-1": BASE + 15, "nova-api-2": BASE + 16,
    "haproxy-stats": BASE + 17, "cinder-api": BASE + 18,
}

HOST = "127.0.0.1"

REGION = "RegionOne"

# [DEFAULT] host of nova's services; each nova-api node has its own,
# NOVA_HOST-<node> (e.g. minicloud-nova-api-1).
NOVA_HOST = "minicloud"

PG_USER = "minicloud"

# ooi_save: the OCCI filter's own state ([occi_database] in nova.conf).
DATABASES = ["keystone", "nova_api", "nova", "nova_cell0", "placement",
             "glance", "neutron", "ooi_save", "cinder"]

PASSWORDS = {"admin": "admin", "demo": "demo", "alt": "alt",
             "service": "minicloud-service"}

RABBIT_USER, RABBIT_PASS, RABBIT_VHOST = "nova", "nova", "nova"

TOKEN_MAX_AGE = 6 * 3600

RUN = os.path.join(STATE, "run")

LOG = os.path.join(STATE, "log")

ETC = os.path.join(STATE, "etc")

# nova-api's paste file: PASTE plus the test-only mount below.
NOVA_PASTE = os.path.join(ETC, "nova", "api-paste.ini")

# NOTE: it ends in /v2.1, as Nova builds its links from that suffix.
PLAIN_MOUNT = "/plain/v2.1"

PGDIR = os.path.join(STATE, "pg")

PGDATA = os.path.join(PGDIR, "data")

# The template: a copy of a freshly migrated and seeded cloud (databases,
# Glance's image files, the seed record), taken before nova-compute ever ran.
TEMPLATE = os.path.join(STATE, "template")

PGTEMPLATE = os.path.join(TEMPLATE, "pgdata")

TEMPLATE_KEY = os.path.join(TEMPLATE, "key")

SEEDED = os.path.join(STATE, "seeded.json")

OPENRC = os.path.join(STATE, "openrc")

STATEJSON = os.path.join(STATE, "state.json")

BIN = os.path.dirname(sys.executable)   # the venv's console scripts

PY = sys.executable

IMAGE_NAME = "cirros-fake"

T0 = time.time()


def say(msg):
    print("[minicloud %5.1fs] %s" % (time.time() - T0, msg), flush=True)


class Failure(Exception):
    pass


def url(service, path=""):
    return "http://%s:%d%s" % (HOST, PORTS[service], path)


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def etc(*parts):
    """A path under the generated configuration, <state>/etc."""
    return os.path.join(ETC, *parts)


def logfile(name):
    return os.path.join(LOG, "%s.log" % name)


def pidfile(name):
    return os.path.join(RUN, "%s.pid" % name)
