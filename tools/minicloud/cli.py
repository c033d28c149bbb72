#!/usr/bin/env python3
"""Mini-cloud: a real, small OpenStack (keystone, nova, glance, placement) on
127.0.0.1 for ooi_save's tests and demos.

usage: cli.py [up | status | down [--purge] | restart SERVICE | reset]

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
            stop one service (see `status` for names) and run `up`.

environment:
  MINICLOUD_PORT_BASE   first of the TCP ports used (default 27100): the
                        services listen on BASE+0 (postgres), +1 (amqp),
                        +2 (epmd), +3 (erlang dist), +4..+8 (rabbitmqctl),
                        +10 keystone, +11 placement, +12 glance,
                        +13 neutron stand-in, +14 nova-api.
  MINICLOUD_STATE_DIR   where all state goes (default <repo>/.minicloud).
  MINICLOUD_API_PASTE   paste ini for nova-api
                        (default <repo>/etc/api-paste.ini). nova-api runs
                        with a copy in etc/nova/api-paste.ini that adds one
                        test-only mount, /plain/v2.1: the /v2.1 pipeline
                        without the OCCI filter, for the tests to compare
                        native answers with and without it.

Everything lives under the state dir: run/<service>.pid, log/<service>.log,
etc/ (generated configs), openrc, state.json.
"""
import configparser
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STATE = os.path.abspath(os.environ.get("MINICLOUD_STATE_DIR",
                                       os.path.join(REPO, ".minicloud")))
BASE = int(os.environ.get("MINICLOUD_PORT_BASE", "27100"))
PASTE = os.path.abspath(os.environ.get(
    "MINICLOUD_API_PASTE", os.path.join(REPO, "etc", "api-paste.ini")))
CONSTRAINTS = os.path.join(REPO, "minicloud-constraints.txt")
# Bump when what goes into the database template changes.
TEMPLATE_FORMAT = "5"

PORTS = {
    "postgres": BASE, "amqp": BASE + 1, "epmd": BASE + 2, "dist": BASE + 3,
    "ctl_min": BASE + 4, "ctl_max": BASE + 8,
    "keystone": BASE + 10, "placement": BASE + 11, "glance": BASE + 12,
    "neutron": BASE + 13, "nova-api": BASE + 14,
}
HOST = "127.0.0.1"
REGION = "RegionOne"
NOVA_HOST = "minicloud"          # [DEFAULT] host of every nova service
PG_USER = "minicloud"
DATABASES = ["keystone", "nova_api", "nova", "nova_cell0", "placement",
             "glance"]
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

SERVICE_ORDER = ["postgres", "epmd", "rabbitmq", "keystone", "placement",
                 "glance", "neutron", "nova-api", "nova-conductor",
                 "nova-scheduler", "nova-compute"]
SERVICE_PORTS = {"postgres": PORTS["postgres"], "epmd": PORTS["epmd"],
                 "rabbitmq": PORTS["amqp"], "keystone": PORTS["keystone"],
                 "placement": PORTS["placement"], "glance": PORTS["glance"],
                 "neutron": PORTS["neutron"], "nova-api": PORTS["nova-api"]}
WSGI_SERVICES = ["keystone", "placement", "glance", "neutron", "nova-api"]

T0 = time.time()


def say(msg):
    print("[minicloud %5.1fs] %s" % (time.time() - T0, msg), flush=True)


class Failure(Exception):
    pass


# --------------------------------------------------------------------------
# small helpers

def url(service, path=""):
    return "http://%s:%d%s" % (HOST, PORTS[service], path)


def http(method, address, body=None, token=None, headers=None, timeout=30,
         raw=False):
    """Return (status, headers, parsed body); never raises for HTTP errors."""
    hdrs = {"Accept": "application/json"}
    data = None
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
            hdrs["Content-Type"] = "application/octet-stream"
        else:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
    if token:
        hdrs["X-Auth-Token"] = token
    hdrs.update(headers or {})
    req = urllib.request.Request(address, data=data, headers=hdrs,
                                 method=method)
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
        status, rhdrs, content = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, rhdrs, content = e.code, e.headers, e.read()
    if raw:
        return status, rhdrs, content
    try:
        parsed = json.loads(content) if content else None
    except ValueError:
        parsed = content
    return status, rhdrs, parsed


def expect(result, *ok):
    status, _, body = result
    if status not in ok:
        raise Failure("unexpected HTTP %s: %s" % (status, str(body)[:500]))
    return body


def port_open(port, timeout=0.5):
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(what, check, timeout, interval=0.25, proc_name=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:   # noqa: BLE001 - not ready yet
            pass
        if proc_name and not alive(proc_name):
            raise Failure("%s died while starting; see %s" %
                          (proc_name, logfile(proc_name)))
        time.sleep(interval)
    raise Failure("timed out after %ds waiting for %s%s" % (
        timeout, what, "; see %s" % logfile(proc_name) if proc_name else ""))


def run(argv, what, env=None, user=None, timeout=600, quiet=False):
    log = logfile("setup")
    with open(log, "ab") as f:
        f.write(("\n$ %s\n" % " ".join(argv)).encode())
        f.flush()
        p = subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, env=env, user=user,
                           group=_group(user), timeout=timeout, cwd=STATE)
    if p.returncode != 0:
        raise Failure("%s failed (exit %d); see %s" % (what, p.returncode,
                                                       log))
    if not quiet:
        say("%s: done" % what)


def _group(user):
    if user is None:
        return None
    import pwd
    return pwd.getpwnam(user).pw_gid


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def logfile(name):
    return os.path.join(LOG, "%s.log" % name)


def pidfile(name):
    return os.path.join(RUN, "%s.pid" % name)


# --------------------------------------------------------------------------
# processes: PID files hold "pid starttime" so a reused PID is not ours

def _starttime(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


def read_pid(name):
    try:
        with open(pidfile(name)) as f:
            pid, start = f.read().split()[:2]
        pid = int(pid)
    except (OSError, ValueError):
        return None
    return pid if _starttime(pid) == start else None


def alive(name):
    return read_pid(name) is not None


def _reap_leftovers(name):
    """Kill what is left of a service whose main process died.

    E.g. a beam whose rabbitmq-server wrapper was killed, or a nova
    worker whose master was: they keep its process group, whose id (the
    dead leader's PID, from the PID file) Linux does not hand out again
    while any member lives.
    """
    try:
        with open(pidfile(name)) as f:
            old = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if read_pid(name) is not None:
        return
    try:
        os.killpg(old, signal.SIGKILL)
        say("%s: killed what was left of its previous run" % name)
    except (ProcessLookupError, PermissionError):
        pass


def spawn(name, argv, env=None, user=None):
    _reap_leftovers(name)
    os.makedirs(LOG, exist_ok=True)
    os.makedirs(RUN, exist_ok=True)
    with open(logfile(name), "ab") as log:
        log.write(("\n===== %s starting: %s\n" % (
            time.strftime("%Y-%m-%d %H:%M:%S"), " ".join(argv))).encode())
        log.flush()
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=env,
                             start_new_session=True, cwd=STATE,
                             user=user, group=_group(user))
    start = None
    for _ in range(50):
        start = _starttime(p.pid)
        if start:
            break
        time.sleep(0.01)
    write(pidfile(name), "%d %s\n" % (p.pid, start or "0"))
    p.returncode = 0   # we never wait() for it: silence Popen's destructor
    return p.pid


def stop(name, timeout=15):
    return stop_many([name], timeout) == [name]


def stop_many(names, timeout=15):
    """Stop the services of names together; return those that were running.

    SIGINT for postgres (its fast shutdown), SIGTERM for the others; wait;
    then SIGKILL what is left, including the rest of each process group.
    """
    pids = {}
    for name in names:
        pid = read_pid(name)
        if pid is None:
            _remove(pidfile(name))
            continue
        pids[name] = (pid, _starttime(pid))
        sig = signal.SIGINT if name == "postgres" else signal.SIGTERM
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:
            os.kill(pid, sig)

    def running(pid, start):
        return _starttime(pid) == start
    deadline = time.time() + timeout
    while time.time() < deadline and any(running(*v) for v in pids.values()):
        time.sleep(0.1)
    for name, (pid, start) in pids.items():
        if running(pid, start):
            say("%s did not stop in %ds: killing it" % (name, timeout))
        # SIGKILL whatever is left in its process group (rabbit's helpers).
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        _remove(pidfile(name))
    return list(pids)


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


# --------------------------------------------------------------------------
# system packages and python packages

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
    if missing:
        if os.geteuid() != 0:
            print("minicloud: missing system packages. Install them with:\n"
                  "  sudo apt-get update && sudo apt-get install -y %s"
                  % " ".join(missing), file=sys.stderr)
            raise SystemExit(2)
        say("installing %s with apt-get" % " ".join(missing))
        # Keep apt from starting the system-wide postgres/rabbit daemons.
        policy = "/usr/sbin/policy-rc.d"
        made_policy = not os.path.exists(policy)
        if made_policy:
            write(policy, "#!/bin/sh\nexit 101\n", 0o755)
        try:
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            for argv in (["apt-get", "update", "-qq"],
                         ["apt-get", "install", "-y", "-qq"] + missing):
                p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL)
                if p.returncode:
                    raise Failure("%s failed" % " ".join(argv))
        finally:
            if made_policy:
                _remove(policy)
    needed = ["nova", "keystone", "glance", "placement", "waitress",
              "psycopg2", "kombu"]
    import importlib.util
    lacking = [m for m in needed if importlib.util.find_spec(m) is None]
    if lacking:
        print("minicloud: python packages missing (%s) in %s. Use\n"
              "  tox -e minicloud\nor\n  pip install -c %s -r %s" % (
                  ", ".join(lacking), sys.prefix, CONSTRAINTS,
                  os.path.join(REPO, "requirements-minicloud.txt")),
              file=sys.stderr)
        raise SystemExit(2)


# --------------------------------------------------------------------------
# configuration files

def db_url(name):
    return "postgresql+psycopg2://%s@%s:%d/%s" % (
        PG_USER, HOST, PORTS["postgres"], name)


def transport_url():
    return "rabbit://%s:%s@%s:%d/%s" % (RABBIT_USER, RABBIT_PASS, HOST,
                                        PORTS["amqp"], RABBIT_VHOST)


def authtoken(user):
    return service_auth(
        "keystone_authtoken", user,
        extra="www_authenticate_uri = {ks}/v3\n"
              "service_token_roles_required = true\n".format(
                  ks=url("keystone")))


def service_auth(section, user="nova", extra=""):
    return """[{section}]
auth_type = password
auth_url = {ks}/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = {user}
password = {pw}
region_name = {region}
{extra}""".format(section=section, ks=url("keystone"), user=user,
                  pw=PASSWORDS["service"], region=REGION, extra=extra)


def trustee():
    """[occi_trustee]: the service user deferred saves are delegated to."""
    return """[occi_trustee]
auth_type = password
auth_url = {ks}/v3
user_domain_name = Default
project_domain_name = Default
project_name = service
username = nova
password = {pw}
""".format(ks=url("keystone"), pw=PASSWORDS["service"])


def nova_common():
    return """[DEFAULT]
host = {host}
state_path = {state}/nova/state
instances_path = {state}/nova/instances
transport_url = {transport}
my_ip = 127.0.0.1
use_stderr = true
debug = false
periodic_fuzzy_delay = 0
heal_instance_info_cache_interval = -1
graceful_shutdown_timeout = 3
allow_resize_to_same_host = true
compute_driver = minicloud_fake.MiniCloudFakeDriver

[oslo_concurrency]
lock_path = {state}/nova/lock

[oslo_messaging_notifications]
driver = noop

[vnc]
enabled = false

[service_user]
send_service_user_token = false

[api]
auth_strategy = keystone

[wsgi]
api_paste_config = {paste}

[occi]
# The mini-cloud boots servers without networks, and its tests count the
# backend calls of each OCCI request. A compute created without templates
# boots the seeded image on the smallest flavor.
network = none
report_backend_calls = true
default_os_tpl = {image}
default_resource_tpl = m1.tiny

[conductor]
workers = 1

[scheduler]
workers = 1
discover_hosts_in_cells_interval = 2

[glance]
region_name = {region}

{placement}
{neutron}
""".format(host=NOVA_HOST, image=IMAGE_NAME, state=STATE,
           transport=transport_url(), paste=NOVA_PASTE, region=REGION,
           placement=service_auth("placement"),
           neutron=service_auth("neutron"))


def write_api_paste():
    """nova-api's paste file: PASTE plus a test-only mount.

    ``/plain/v2.1`` serves the compute API through the very pipeline of
    ``/v2.1`` with the OCCI filters (any ``ooi_save`` filter) taken out, so
    that tests can send one native request through both and compare. The
    operators' file (etc/api-paste.ini) stays free of it.
    """
    with open(PASTE) as source:
        text = source.read()
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    ours = {section.split(":", 1)[1] for section in parser.sections()
            if section.startswith("filter:") and parser.get(
                section, "paste.filter_factory",
                fallback="").strip().startswith("ooi_save.")}
    v21 = parser["composite:openstack_compute_api_v21"]
    lines = ["", "# Test-only, added by tools/minicloud: the /v2.1 pipeline "
             "without the OCCI", "# filter, mounted at %s." % PLAIN_MOUNT,
             "[composite:openstack_compute_api_v21_plain]"]
    for key, value in v21.items():
        if key != "use":
            value = " ".join(w for w in value.split() if w not in ours)
        lines.append("%s = %s" % (key, value))
    urlmap = "[composite:osapi_compute]\n"
    if urlmap not in text:
        sys.exit("%s has no [composite:osapi_compute]" % PASTE)
    text = text.replace(urlmap, urlmap + "%s/+: openstack_compute_api_v21_"
                        "plain\n" % PLAIN_MOUNT, 1)
    write(NOVA_PASTE, text.rstrip("\n") + "\n" + "\n".join(lines) + "\n")


def write_configs():
    write_api_paste()
    # nova-api, -conductor, -scheduler, nova-manage
    write(os.path.join(ETC, "nova", "nova.conf"), nova_common() + """
[api_database]
connection = {api}

[database]
connection = {cell1}

{authtoken}
# The OCCI filter's deferred saves are delegated to nova's service user
# through Keystone trusts (enabled by default in keystone).
{trustee}
""".format(api=db_url("nova_api"), cell1=db_url("nova"),
           authtoken=authtoken("nova"), trustee=trustee()))
    # nova-compute: no database settings (it refuses them)
    write(os.path.join(ETC, "nova-compute", "nova-compute.conf"),
          nova_common())
    write(os.path.join(ETC, "keystone", "keystone.conf"), """[DEFAULT]
use_stderr = true
debug = false

[database]
connection = {db}

[token]
provider = fernet
# 24 h: tests keep the tokens of .minicloud/openrc for a whole day.
expiration = 86400

[fernet_tokens]
key_repository = {state}/keystone/fernet-keys

[fernet_receipts]
key_repository = {state}/keystone/fernet-keys

[credential]
key_repository = {state}/keystone/credential-keys

[cache]
# In-process cache: one keystone process, so it is always coherent.
enabled = true
backend = dogpile.cache.memory

[identity]
# bcrypt's minimum: a test cloud does not need slow password hashing, and
# each user creation and password login would cost ~1 s of CPU otherwise.
password_hash_rounds = 4
""".format(db=db_url("keystone"), state=STATE))
    write(os.path.join(ETC, "placement", "placement.conf"), """[DEFAULT]
use_stderr = true
debug = false

[api]
auth_strategy = keystone

[placement_database]
connection = {db}

{authtoken}
""".format(db=db_url("placement"), authtoken=authtoken("placement")))
    glance_etc = os.path.join(ETC, "glance")
    write(os.path.join(glance_etc, "glance-api.conf"), """[DEFAULT]
use_stderr = true
debug = false
enabled_backends = fs:file

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = {state}/glance/images/

[os_glance_staging_store]
filesystem_store_datadir = {state}/glance/staging/

[os_glance_tasks_store]
filesystem_store_datadir = {state}/glance/tasks/

[database]
connection = {db}

[paste_deploy]
flavor = keystone
config_file = {etc}/glance-api-paste.ini

[oslo_messaging_notifications]
driver = noop

{authtoken}
""".format(state=STATE, db=db_url("glance"), etc=glance_etc,
           authtoken=authtoken("glance")))
    paste = os.path.join(sys.prefix, "etc", "glance", "glance-api-paste.ini")
    if not os.path.exists(paste):
        import glance
        paste = os.path.join(os.path.dirname(glance.__file__), "..", "..",
                             "..", "..", "etc", "glance",
                             "glance-api-paste.ini")
    shutil.copy(paste, os.path.join(glance_etc, "glance-api-paste.ini"))
    for d in ("nova/state", "nova/instances", "nova/lock", "glance/images",
              "glance/staging", "glance/tasks", "keystone"):
        os.makedirs(os.path.join(STATE, d), exist_ok=True)


# --------------------------------------------------------------------------
# postgres

def pg_user():
    """The OS user postgres runs as: root may not run it."""
    if os.geteuid() != 0:
        return None
    return "postgres"


def pg_env():
    return dict(os.environ, PGHOST=HOST, PGPORT=str(PORTS["postgres"]),
                PGUSER=PG_USER, LC_ALL="C")


def prepare_pgdir():
    os.makedirs(PGDIR, exist_ok=True)
    user = pg_user()
    if user:
        import pwd
        pw = pwd.getpwnam(user)
        os.chown(PGDIR, pw.pw_uid, pw.pw_gid)
        probe = subprocess.run(["test", "-w", PGDIR], user=user,
                               group=pw.pw_gid)
        if probe.returncode != 0:
            raise Failure(
                "the postgres user cannot reach %s (a parent directory is "
                "not world-executable); set MINICLOUD_STATE_DIR to a place "
                "it can reach, e.g. /var/tmp/minicloud" % PGDIR)


def template_key():
    h = hashlib.sha256()
    try:
        with open(CONSTRAINTS, "rb") as f:
            h.update(f.read())
    except FileNotFoundError:
        h.update(b"no constraints file")
    h.update(("format=%s base=%d user=%s" % (TEMPLATE_FORMAT, BASE,
                                             PG_USER)).encode())
    return h.hexdigest()


def template_valid():
    try:
        with open(TEMPLATE_KEY) as f:
            return (f.read().strip() == template_key() and
                    os.path.exists(os.path.join(PGTEMPLATE, "PG_VERSION")))
    except FileNotFoundError:
        return False


def start_postgres():
    bindir = pg_bindir()
    argv = [os.path.join(bindir, "postgres"), "-D", PGDATA,
            "-c", "listen_addresses=%s" % HOST,
            "-c", "port=%d" % PORTS["postgres"],
            "-c", "unix_socket_directories=",
            "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=400",
            "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning",
            "-c", "log_connections=off", "-c", "logging_collector=off"]
    spawn("postgres", argv, env=pg_env(), user=pg_user())
    wait_for("postgres", pg_ready, 60, proc_name="postgres")


def pg_ready():
    p = subprocess.run([os.path.join(pg_bindir(), "pg_isready"), "-q", "-d",
                        "postgres"], env=pg_env())
    return p.returncode == 0


def psql(sql, db="postgres"):
    p = subprocess.run([os.path.join(pg_bindir(), "psql"), "-X", "-q", "-A",
                        "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                       env=pg_env(), capture_output=True, text=True)
    if p.returncode:
        raise Failure("psql failed: %s" % p.stderr.strip())
    return p.stdout.strip()


def ensure_postgres():
    """Start postgres; True when its databases were just created empty.

    The data directory comes from the template when there is a valid one.
    """
    if alive("postgres"):
        return False
    prepare_pgdir()
    fresh = False
    if not os.path.exists(os.path.join(PGDATA, "PG_VERSION")):
        _drop_runtime_state()
        if template_valid():
            say("postgres: restoring the cloud from the template %s"
                % TEMPLATE)
            subprocess.run(["cp", "-a", PGTEMPLATE, PGDATA], check=True)
            images = os.path.join(STATE, "glance", "images")
            shutil.rmtree(images, ignore_errors=True)
            shutil.copytree(os.path.join(TEMPLATE, "glance-images"), images)
            shutil.copy(os.path.join(TEMPLATE, "seeded.json"), SEEDED)
        else:
            shutil.rmtree(TEMPLATE, ignore_errors=True)
            say("postgres: initdb")
            run([os.path.join(pg_bindir(), "initdb"), "-D", PGDATA, "-U",
                 PG_USER, "--auth=trust", "-E", "UTF8", "--no-locale",
                 "--no-sync"], "initdb", env=pg_env(), user=pg_user(),
                quiet=True)
            fresh = True
    start_postgres()
    say("postgres: running on port %d" % PORTS["postgres"])
    if fresh:
        for db in DATABASES:
            psql("CREATE DATABASE %s" % db)
    return fresh


def _drop_runtime_state():
    """The data that belongs with a database: drop it with the database."""
    for d in ("glance/images", "glance/staging", "glance/tasks",
              "nova/state", "nova/instances"):
        shutil.rmtree(os.path.join(STATE, d), ignore_errors=True)
        os.makedirs(os.path.join(STATE, d), exist_ok=True)
    for f in (SEEDED, OPENRC, STATEJSON):
        _remove(f)


def save_template():
    """Keep the migrated, seeded cloud as the template.

    Taken while postgres runs (pg_basebackup), before nova-compute first
    runs, with Glance's image files and the seed record.
    """
    shutil.rmtree(TEMPLATE, ignore_errors=True)
    os.makedirs(TEMPLATE)
    user = pg_user()
    if user:
        import pwd
        pw = pwd.getpwnam(user)
        os.chown(TEMPLATE, pw.pw_uid, pw.pw_gid)
    run([os.path.join(pg_bindir(), "pg_basebackup"), "-D", PGTEMPLATE,
         "-X", "stream", "-c", "fast", "--no-sync"], "pg_basebackup",
        env=pg_env(), user=user, quiet=True)
    shutil.copytree(os.path.join(STATE, "glance", "images"),
                    os.path.join(TEMPLATE, "glance-images"))
    shutil.copy(SEEDED, os.path.join(TEMPLATE, "seeded.json"))
    write(TEMPLATE_KEY, template_key() + "\n")
    say("saved the seeded cloud as the template %s" % TEMPLATE)


def sync_databases():
    """Schema migrations and keystone bootstrap, in parallel."""
    nova_conf = ["--config-file", os.path.join(ETC, "nova", "nova.conf")]
    ks_conf = ["--config-file", os.path.join(ETC, "keystone",
                                             "keystone.conf")]
    mgr = os.path.join(BIN, "nova-manage")
    ksm = os.path.join(BIN, "keystone-manage")
    chains = {
        "keystone": [
            ([ksm] + ks_conf + ["db_sync"], "keystone db_sync"),
            ([ksm] + ks_conf + ["bootstrap",
                                "--bootstrap-password", PASSWORDS["admin"],
                                "--bootstrap-admin-url",
                                url("keystone", "/v3"),
                                "--bootstrap-internal-url",
                                url("keystone", "/v3"),
                                "--bootstrap-public-url",
                                url("keystone", "/v3"),
                                "--bootstrap-region-id", REGION],
             "keystone bootstrap"),
        ],
        "nova": [
            ([mgr] + nova_conf + ["api_db", "sync"], "nova api_db sync"),
            ([mgr] + nova_conf + ["cell_v2", "map_cell0",
                                  "--database_connection",
                                  db_url("nova_cell0")], "nova map_cell0"),
            ([mgr] + nova_conf + ["cell_v2", "create_cell", "--name",
                                  "cell1"], "nova create_cell"),
            ([mgr] + nova_conf + ["db", "sync"], "nova db sync"),
        ],
        "placement": [
            ([os.path.join(BIN, "placement-manage"), "--config-file",
              os.path.join(ETC, "placement", "placement.conf"), "db",
              "sync"], "placement db sync"),
        ],
        "glance": [
            ([os.path.join(BIN, "glance-manage"), "--config-file",
              os.path.join(ETC, "glance", "glance-api.conf"), "db_sync"],
             "glance db_sync"),
        ],
    }
    run_parallel({name: (lambda steps=steps: [run(a, w) for a, w in steps])
                  for name, steps in chains.items()})


def ensure_keystone_keys():
    ks_conf = ["--config-file", os.path.join(ETC, "keystone",
                                             "keystone.conf")]
    ksm = os.path.join(BIN, "keystone-manage")
    uid = str(os.getuid())
    gid = str(os.getgid())
    for keys in ("fernet", "credential"):
        if not os.path.exists(os.path.join(STATE, "keystone",
                                           "%s-keys" % keys, "0")):
            run([ksm] + ks_conf + ["%s_setup" % keys, "--keystone-user", uid,
                                   "--keystone-group", gid],
                "keystone %s_setup" % keys)


def run_parallel(jobs):
    errors = []

    def wrap(name, fn):
        try:
            fn()
        except Exception as e:   # noqa: BLE001
            errors.append("%s: %s" % (name, e))
    threads = [threading.Thread(target=wrap, args=(n, f), daemon=True)
               for n, f in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise Failure("; ".join(errors))


# --------------------------------------------------------------------------
# rabbitmq (private node) and its epmd

def rabbit_env():
    rdir = os.path.join(STATE, "rabbit")
    return dict(
        os.environ,
        HOME=os.path.join(rdir, "home"),
        RABBITMQ_NODENAME="minicloud%d@localhost" % BASE,
        RABBITMQ_NODE_IP_ADDRESS=HOST,
        RABBITMQ_NODE_PORT=str(PORTS["amqp"]),
        RABBITMQ_DIST_PORT=str(PORTS["dist"]),
        RABBITMQ_CTL_DIST_PORT_MIN=str(PORTS["ctl_min"]),
        RABBITMQ_CTL_DIST_PORT_MAX=str(PORTS["ctl_max"]),
        ERL_EPMD_PORT=str(PORTS["epmd"]),
        ERL_EPMD_ADDRESS=HOST,
        RABBITMQ_MNESIA_BASE=os.path.join(rdir, "mnesia"),
        RABBITMQ_LOG_BASE=os.path.join(rdir, "log"),
        RABBITMQ_CONFIG_FILE=os.path.join(rdir, "rabbitmq.conf"),
        RABBITMQ_ADVANCED_CONFIG_FILE=os.path.join(rdir, "advanced.config"),
        RABBITMQ_CONF_ENV_FILE=os.path.join(rdir, "rabbitmq-env.conf"),
        RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(rdir, "enabled_plugins"),
        RABBITMQ_PLUGINS_EXPAND_DIR=os.path.join(rdir, "plugins-expand"),
        RABBITMQ_PID_FILE=os.path.join(RUN, "rabbitmq-beam.pid"),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=(
            "-kernel inet_dist_use_interface {127,0,0,1}"),
        RABBITMQ_LOGS="-",
    )


def write_rabbit_config():
    rdir = os.path.join(STATE, "rabbit")
    for d in ("home", "mnesia", "log", "plugins-expand"):
        os.makedirs(os.path.join(rdir, d), exist_ok=True)
    write(os.path.join(rdir, "rabbitmq.conf"), """\
listeners.tcp.default = {host}:{port}
default_user = {user}
default_pass = {pw}
default_vhost = {vhost}
loopback_users = none
log.console = true
log.console.level = info
log.file = false
disk_free_limit.absolute = 50MB
""".format(host=HOST, port=PORTS["amqp"], user=RABBIT_USER, pw=RABBIT_PASS,
           vhost=RABBIT_VHOST))
    write(os.path.join(rdir, "advanced.config"), "[].\n")
    write(os.path.join(rdir, "rabbitmq-env.conf"), "")
    write(os.path.join(rdir, "enabled_plugins"), "[].\n")


def ensure_rabbit():
    env = rabbit_env()
    if not alive("epmd"):
        stop("rabbitmq")     # a beam without its epmd is no use
        spawn("epmd", ["epmd", "-port", str(PORTS["epmd"]), "-address",
                       HOST], env=env)
        wait_for("epmd", lambda: port_open(PORTS["epmd"]), 10,
                 proc_name="epmd")
    if not alive("rabbitmq"):
        write_rabbit_config()
        spawn("rabbitmq", ["/usr/lib/rabbitmq/bin/rabbitmq-server"], env=env)
    wait_for("rabbitmq (AMQP)", amqp_ready, 90, interval=0.3,
             proc_name="rabbitmq")
    say("rabbitmq: running on port %d" % PORTS["amqp"])


def amqp_ready():
    import kombu
    with kombu.Connection(transport_url().replace("rabbit://", "amqp://"),
                          connect_timeout=2) as c:
        c.connect()
        return True


def queue_consumers(queue):
    import kombu
    with kombu.Connection(transport_url().replace("rabbit://", "amqp://"),
                          connect_timeout=2) as c:
        ch = c.channel()
        try:
            _, _, consumers = ch.queue_declare(queue=queue, passive=True)
        except Exception:   # noqa: BLE001 - not declared yet
            return 0
        return consumers


# --------------------------------------------------------------------------
# OpenStack services

def service_argv(name):
    if name in WSGI_SERVICES:
        confdir = os.path.join(ETC, {"nova-api": "nova"}.get(name, name))
        return [PY, os.path.join(HERE, "serve.py"), name,
                str(PORTS[name]), confdir]
    if name == "nova-conductor":
        return [os.path.join(BIN, "nova-conductor"), "--config-file",
                os.path.join(ETC, "nova", "nova.conf")]
    if name == "nova-scheduler":
        return [os.path.join(BIN, "nova-scheduler"), "--config-file",
                os.path.join(ETC, "nova", "nova.conf")]
    if name == "nova-compute":
        return [PY, os.path.join(HERE, "compute_launcher.py"),
                "--config-file",
                os.path.join(ETC, "nova-compute", "nova-compute.conf")]
    raise KeyError(name)


def service_env(name):
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    if name == "nova-api":
        env["MINICLOUD_API_PASTE"] = NOVA_PASTE
    if name == "nova-compute":
        env["MINICLOUD_WAIT_CONDUCTOR"] = transport_url().replace(
            "rabbit://", "amqp://")
    for k in ("OS_TOKEN", "OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD",
              "OS_PROJECT_NAME", "OS_CLOUD"):
        env.pop(k, None)
    return env


def http_ready(name):
    paths = {"keystone": "/v3", "placement": "/", "glance": "/versions",
             "neutron": "/", "nova-api": "/"}
    status, _, _ = http("GET", url(name, paths[name]), timeout=5)
    return status < 500


def start_service(name):
    spawn(name, service_argv(name), env=service_env(name))


def wait_http(name, timeout=120):
    wait_for(name, lambda: http_ready(name), timeout, proc_name=name)
    say("%s: answering on port %d" % (name, PORTS[name]))


def wait_consuming(name, queue, timeout=120):
    wait_for("%s consuming from %s" % (name, queue),
             lambda: queue_consumers(queue) > 0, timeout, interval=0.5,
             proc_name=name)
    say("%s: consuming from RabbitMQ" % name)


def warm_up(started):
    """One authenticated request to each API service just started.

    The services build their policy enforcers lazily, and keystone's is not
    thread-safe: the first concurrent requests after a start can get a 403
    or a 500 ('Enforcer' object has no attribute '_warning_emitted'). One
    request first, before any test or seeding traffic, avoids that.
    """
    if not set(started) & {"keystone", "nova-api", "glance", "placement"}:
        return
    token, _ = keystone_token("admin", PASSWORDS["admin"], "admin")
    expect(http("GET", url("keystone", "/v3/projects?name=admin"),
                token=token), 200)
    expect(http("GET", url("keystone", "/v3/auth/tokens"), token=token,
                headers={"X-Subject-Token": token}), 200)
    if "placement" in started:
        http("GET", url("placement", "/resource_providers"), token=token)
    if "glance" in started:
        http("GET", url("glance", "/v2/images?limit=1"), token=token)
    if "nova-api" in started:
        http("GET", url("nova-api", "/v2.1/flavors"), token=token)


def compute_mapped():
    return psql("SELECT count(*) FROM host_mappings WHERE host = '%s'"
                % NOVA_HOST, db="nova_api") != "0"


def compute_reported_since(started):
    """Whether nova-compute's service heartbeat is newer than ``started``.

    After a ``down`` and ``up`` the services row still carries the last
    heartbeat (``last_seen_up``) of before: the scheduler counts the host
    as down (no valid host) until the new process has reported once. The
    heartbeat is read as nova's servicegroup driver reads it.
    """
    return psql("SELECT count(*) FROM services WHERE host = '%s' AND "
                "\"binary\" = 'nova-compute' AND deleted = 0 AND "
                "COALESCE(last_seen_up, updated_at, created_at) >= "
                "to_timestamp(%f) AT TIME ZONE 'UTC'"
                % (NOVA_HOST, started), db="nova") != "0"


# --------------------------------------------------------------------------
# seeding (first bring-up of a database)

def keystone_token(user, password, project, domain="Default"):
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password,
            "domain": {"name": domain}}}},
        "scope": {"project": {"name": project, "domain": {"name": domain}}}}}
    status, hdrs, resp = http("POST", url("keystone", "/v3/auth/tokens"),
                              body)
    if status != 201:
        raise Failure("keystone refused %s's password (HTTP %s)" % (
            user, status))
    return hdrs["X-Subject-Token"], resp["token"]


class Keystone:
    def __init__(self):
        self.token, _ = keystone_token("admin", PASSWORDS["admin"], "admin")

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        return expect(http(method, url("keystone", "/v3" + path), body,
                           self.token), *ok)

    def find(self, collection, name, key=None, **query):
        q = "&".join("%s=%s" % kv for kv in dict(query, name=name).items())
        items = self.call("GET", "/%s?%s" % (collection, q))[
            key or collection.split("/")[-1]]
        return items[0]["id"] if items else None

    def ensure(self, collection, name, attrs, key=None, **query):
        singular = (key or collection)[:-1]
        body = {singular: dict(attrs, name=name)}
        if collection != "services":     # services may share a name
            created = http("POST", url("keystone", "/v3/" + collection), body,
                           self.token)
            if created[0] == 201:
                return created[2][singular]["id"]
            if created[0] != 409:
                expect(created, 201)
        found = self.find(collection, name, key, **query)
        if found:
            return found
        return self.call("POST", "/" + collection, body)[singular]["id"]

    def grant(self, project, user, role):
        self.call("PUT", "/projects/%s/users/%s/roles/%s" % (
            project, user, role))


def _pmap(fn, items):
    """fn over items in threads; the first exception is raised."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda a: fn(*a), items))


def seed_keystone():
    ks = Keystone()
    domain = "default"
    names = ("service", "demo", "alt")
    projects = dict(zip(names, _pmap(
        lambda n: ks.ensure("projects", n, {"domain_id": domain,
                                            "description": "minicloud"},
                            domain_id=domain), [(n,) for n in names])))
    projects["admin"] = ks.find("projects", "admin")
    names = ("admin", "member", "reader", "service")
    roles = dict(zip(names, _pmap(lambda n: ks.ensure("roles", n, {}),
                                  [(n,) for n in names])))
    spec = (("demo", "demo", ["member", "reader"]),
            ("alt", "alt", ["member", "reader"]),
            ("nova", "service", ["admin", "service"]),
            ("placement", "service", ["admin", "service"]),
            ("glance", "service", ["admin", "service"]))

    def user(name, project, role_names):
        uid = ks.ensure("users", name, {
            "domain_id": domain,
            "password": PASSWORDS.get(name, PASSWORDS["service"]),
            "enabled": True, "default_project_id": projects[project]},
            domain_id=domain)
        for r in role_names:
            ks.grant(projects[project], uid, roles[r])
        return uid
    users = dict(zip([u[0] for u in spec], _pmap(user, spec)))
    users["admin"] = ks.find("users", "admin")

    def service(name, stype, endpoint):
        sid = ks.ensure("services", name, {"type": stype, "enabled": True})
        existing = ks.call("GET", "/endpoints?service_id=%s" % sid)[
            "endpoints"]
        have = {e["interface"] for e in existing}
        for iface in ("public", "internal", "admin"):
            if iface not in have:
                ks.call("POST", "/endpoints", {"endpoint": {
                    "service_id": sid, "interface": iface, "url": endpoint,
                    "region_id": REGION, "enabled": True}})
    _pmap(service, [("nova", "compute", url("nova-api", "/v2.1")),
                    ("glance", "image", url("glance")),
                    ("placement", "placement", url("placement")),
                    ("neutron", "network", url("neutron"))])
    return {"projects": projects, "users": users}


FLAVORS = [
    # id, name, vcpus, ram MiB, disk GiB, ephemeral GiB, swap MiB
    ("1", "m1.tiny", 1, 512, 1, 0, 0),
    ("2", "m1.small", 1, 2048, 2, 0, 0),
    ("3", "m1.medium", 2, 4096, 4, 0, 0),
    ("10", "m1.tiny.eph", 1, 512, 1, 1, 256),
]


def seed_nova(admin_token, projects):
    nova = url("nova-api", "/v2.1")
    flavors = expect(http("GET", nova + "/flavors?is_public=None",
                          token=admin_token), 200)["flavors"]
    have = {f["name"] for f in flavors}
    for fid, name, vcpus, ram, disk, eph, swap in FLAVORS:
        if name in have:
            continue
        body = {"flavor": {"id": fid, "name": name, "vcpus": vcpus,
                           "ram": ram, "disk": disk,
                           "OS-FLV-EXT-DATA:ephemeral": eph,
                           "os-flavor-access:is_public": True}}
        if swap:
            body["flavor"]["swap"] = swap
        expect(http("POST", nova + "/flavors", body, admin_token), 200)
    for p in ("demo", "alt", "admin"):
        quota = {"quota_set": {"instances": 1000, "cores": 100000,
                               "ram": 100000000, "server_groups": 1000,
                               "server_group_members": 1000,
                               "key_pairs": 1000, "metadata_items": 1000}}
        expect(http("PUT", nova + "/os-quota-sets/%s" % projects[p], quota,
                    admin_token), 200)


IMAGE_NAME = "cirros-fake"
IMAGE_PAYLOAD = b"minicloud fake cirros disk\n" * 160   # ~4 KiB


def seed_glance(admin_token):
    glance = url("glance", "/v2")
    images = expect(http("GET", glance + "/images?name=%s" % IMAGE_NAME,
                         token=admin_token), 200)["images"]
    image = next((i for i in images if i["status"] == "active"), None)
    for i in images:
        if i is not image:
            http("DELETE", glance + "/images/%s" % i["id"], token=admin_token)
    if image is None:
        image = expect(http("POST", glance + "/images", {
            "name": IMAGE_NAME, "disk_format": "raw",
            "container_format": "bare", "visibility": "public",
            "min_disk": 0, "min_ram": 0, "os_distro": "cirros"},
            admin_token), 201)
        expect(http("PUT", glance + "/images/%s/file" % image["id"],
                    IMAGE_PAYLOAD, admin_token), 204)
        wait_for("image %s active" % IMAGE_NAME, lambda: expect(http(
            "GET", glance + "/images/%s" % image["id"], token=admin_token),
            200)["status"] == "active", 30)
    return image["id"]


# --------------------------------------------------------------------------
# openrc, state.json

def load_state():
    try:
        with open(STATEJSON) as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return {}


def write_openrc(seed, force=False):
    state = load_state()
    issued = state.get("tokens_issued_at", 0)
    if not force and time.time() - issued < TOKEN_MAX_AGE and \
            os.path.exists(OPENRC) and state.get("base") == BASE:
        return False
    tokens = {}
    expires = {}
    for var, (user, project) in {"OS_TOKEN": ("demo", "demo"),
                                 "OS_TOKEN_ALT": ("alt", "alt"),
                                 "OS_TOKEN_ADMIN": ("admin", "admin")}.items():
        tokens[var], body = keystone_token(user, PASSWORDS[user], project)
        expires[var] = body["expires_at"]
    env = {
        "OCCI_ENDPOINT": url("nova-api", "/occi1.2"),
        "NOVA_ENDPOINT": url("nova-api", "/v2.1"),
        "GLANCE_ENDPOINT": url("glance"),
        "OS_AUTH_URL": url("keystone", "/v3"),
        "OS_USERNAME": "demo",
        "OS_PASSWORD": PASSWORDS["demo"],
        "OS_PROJECT_NAME": "demo",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_REGION_NAME": REGION,
        "OS_IDENTITY_API_VERSION": "3",
        "OS_AUTH_TYPE": "password",
    }
    env.update(tokens)
    lines = ["# written by tools/minicloud/cli.py at %s; tokens expire %s" % (
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        expires["OS_TOKEN"])]
    lines += ["export %s='%s'" % kv for kv in env.items()]
    lines += ["# OS_TOKEN is for curl and the tests; python-openstackclient",
              "# would hand it to the password plugin and fail: hide it.",
              'openstack() { OS_TOKEN= command openstack "$@"; }']
    write(OPENRC, "\n".join(lines) + "\n", 0o600)
    state.update({
        "base": BASE, "ports": SERVICE_PORTS, "state_dir": STATE,
        "endpoints": {k: env[k] for k in ("OCCI_ENDPOINT", "NOVA_ENDPOINT",
                                          "GLANCE_ENDPOINT", "OS_AUTH_URL")},
        "tokens": tokens, "tokens_expire": expires,
        "tokens_issued_at": time.time(),
        "users": {"demo": {"password": PASSWORDS["demo"], "project": "demo"},
                  "alt": {"password": PASSWORDS["alt"], "project": "alt"},
                  "admin": {"password": PASSWORDS["admin"],
                            "project": "admin"}},
    })
    if seed:
        state.update(seed)
    write(STATEJSON, json.dumps(state, indent=2, sort_keys=True) + "\n",
          0o600)
    return True


def update_state_pids():
    state = load_state()
    if not state:
        return
    state["pids"] = {n: read_pid(n) for n in SERVICE_ORDER}
    write(STATEJSON, json.dumps(state, indent=2, sort_keys=True) + "\n",
          0o600)


# --------------------------------------------------------------------------
# commands

def lock():
    os.makedirs(STATE, exist_ok=True)
    f = open(os.path.join(STATE, "lock"), "w")
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


def ensure_gitignore():
    if os.path.abspath(STATE) != os.path.join(REPO, ".minicloud"):
        return
    gi = os.path.join(REPO, ".gitignore")
    try:
        with open(gi) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = []
    if ".minicloud/" not in lines and "/.minicloud/" not in lines:
        with open(gi, "a") as f:
            f.write(".minicloud/\n")


def all_running():
    for name in SERVICE_ORDER:
        if not alive(name):
            return False
        port = SERVICE_PORTS.get(name)
        if port and not port_open(port):
            return False
    if not (os.path.exists(SEEDED) and os.path.exists(OPENRC)):
        return False
    try:
        return all(http_ready(n) for n in WSGI_SERVICES)
    except OSError:
        return False


def _proc_table():
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), int(fields[2]))   # ppid, pgrp
    return table


def service_memory_kib(pid, table=None):
    """(RSS, PSS) in KiB of a service and all its processes.

    Its process group and all its descendants (postgres backends leave the
    group).
    """
    table = table if table is not None else _proc_table()
    members = {p for p, (_, pgrp) in table.items() if pgrp == pid}
    members.add(pid)
    grew = True
    while grew:
        new = {p for p, (ppid, _) in table.items()
               if ppid in members and p not in members}
        members |= new
        grew = bool(new)
    rss = pss = 0
    for p in members:
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return rss, pss


def cmd_up():
    with lock():
        if all_running():
            refreshed = write_openrc(None)
            if refreshed:
                say("tokens in %s refreshed" % OPENRC)
            banner()
            return 0
        ensure_packages()
        ensure_gitignore()
        for d in (RUN, LOG, ETC):
            os.makedirs(d, exist_ok=True)
        write_configs()
        _up()
        update_state_pids()
        banner()
        return 0


def _up():
    # 1. postgres and rabbitmq, side by side.
    result = {}
    run_parallel({
        "postgres": lambda: result.setdefault("fresh", ensure_postgres()),
        "rabbitmq": ensure_rabbit,
        "keystone keys": ensure_keystone_keys,
    })
    if result.get("fresh"):
        say("migrating the databases (first run for these constraints)")
        sync_databases()
    seeded = os.path.exists(SEEDED)

    # 2. Every service. nova-compute's launcher itself waits until the
    # conductor consumes before it starts the service; on a new cloud it
    # starts only after the template is saved (it must not be in it).
    names = WSGI_SERVICES + ["nova-conductor", "nova-scheduler"]
    if seeded:
        names.append("nova-compute")
    started = [n for n in names if not alive(n)]
    compute_started = time.time() if "nova-compute" in started else None
    for name in started:
        start_service(name)
    if started:
        say("started %s" % ", ".join(started))
    run_parallel({
        "keystone": lambda: wait_http("keystone"),
        "placement": lambda: wait_http("placement"),
        "glance": lambda: wait_http("glance"),
        "neutron": lambda: wait_http("neutron"),
        "nova-api": lambda: wait_http("nova-api", timeout=180),
        "nova-conductor": lambda: wait_consuming("nova-conductor",
                                                 "conductor"),
        "nova-scheduler": lambda: wait_consuming("nova-scheduler",
                                                 "scheduler"),
    })

    warm_up(started)

    # 3. A new cloud: seed it and keep it as the template.
    if not seeded:
        seed = seed_keystone()
        say("keystone: seeded projects, users, roles, catalog")
        admin_token, _ = keystone_token("admin", PASSWORDS["admin"], "admin")
        run_parallel({
            "nova seed": lambda: seed_nova(admin_token, seed["projects"]),
            "glance seed": lambda: seed.update(
                {"image_id": seed_glance(admin_token)}),
        })
        seed["flavors"] = {f[1]: f[0] for f in FLAVORS}
        seed["image_name"] = IMAGE_NAME
        write(SEEDED, json.dumps(seed, indent=2) + "\n")
        say("nova: flavors and quotas; glance: image %s" % IMAGE_NAME)
        save_template()
    with open(SEEDED) as f:
        seed = json.load(f)

    # 4. nova-compute.
    if not alive("nova-compute"):
        compute_started = time.time()
        start_service("nova-compute")
        say("started nova-compute")
    wait_consuming("nova-compute", "compute.%s" % NOVA_HOST)
    wait_for("nova-compute to be mapped to cell1", compute_mapped, 120,
             interval=0.3, proc_name="nova-compute")
    if compute_started is not None:
        wait_for("nova-compute to report its service", lambda:
                 compute_reported_since(compute_started), 120,
                 interval=0.3, proc_name="nova-compute")
    say("nova-compute: registered and mapped to cell1")
    write_openrc(seed, force=not seeded or not os.path.exists(OPENRC))


def banner():
    print("""
minicloud is up ({took:.1f}s).
  OCCI endpoint:  {occi}
  compute API:    {nova}
  credentials:    . {openrc}
  try:            . {openrc}
                  curl -H "X-Auth-Token: $OS_TOKEN" $OCCI_ENDPOINT/-/
  logs:           {log}/<service>.log""".format(
        took=time.time() - T0, occi=url("nova-api", "/occi1.2"),
        nova=url("nova-api", "/v2.1"), openrc=OPENRC, log=LOG), flush=True)


def cmd_status():
    ok = True
    total_rss = total_pss = 0
    table = _proc_table()
    for name in SERVICE_ORDER:
        pid = read_pid(name)
        port = SERVICE_PORTS.get(name)
        up = pid is not None and (port is None or port_open(port))
        ok = ok and up
        rss, pss = service_memory_kib(pid, table) if pid else (0, 0)
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
        for group in (SERVICE_ORDER[3:], ["rabbitmq"], ["epmd"],
                      ["postgres"]):
            stopped = stop_many(group)
            if stopped:
                say("stopped %s" % ", ".join(stopped))
        beam = os.path.join(RUN, "rabbitmq-beam.pid")
        try:
            with open(beam) as f:
                pid = int(f.read().split()[0])
            if pid and os.path.exists("/proc/%d" % pid) and \
                    "minicloud%d" % BASE in open(
                        "/proc/%d/cmdline" % pid).read():
                os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        _remove(beam)
        if purge:
            shutil.rmtree(PGDIR, ignore_errors=True)
            shutil.rmtree(os.path.join(STATE, "rabbit"), ignore_errors=True)
            _drop_runtime_state()
            say("dropped the cloud's data (the database template is kept)")
    return 0


def cmd_restart(name):
    if name not in SERVICE_ORDER:
        print("unknown service %r; one of: %s" % (name,
                                                  " ".join(SERVICE_ORDER)),
              file=sys.stderr)
        return 2
    with lock():
        stop(name)
        say("stopped %s" % name)
    return cmd_up()


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    try:
        if cmd == "up":
            return cmd_up()
        if cmd == "status":
            return cmd_status()
        if cmd == "down":
            return cmd_down(purge="--purge" in rest)
        if cmd == "reset":
            return cmd_down(purge=True)
        if cmd == "restart" and rest:
            return cmd_restart(rest[0])
    except Failure as e:
        print("minicloud: %s" % e, file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
