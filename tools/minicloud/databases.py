"""PostgreSQL: a private cluster, its databases, migrations, the template.

The template is a copy of a freshly migrated and seeded cloud (a
pg_basebackup, Glance's image files, the seed record), taken before
nova-compute ever ran; later bring-ups start from it.
"""

import hashlib
import os
import pwd
import shutil
import subprocess

import block_storage
import configs
import layout
import packages
import process


def pg_user():
    """The OS user postgres runs as: root may not run it."""
    if os.geteuid() != 0:
        return None
    return "postgres"


def pg_bin(program):
    return os.path.join(packages.pg_bindir(), program)


def pg_env():
    return dict(os.environ, PGHOST=layout.HOST,
                PGPORT=str(layout.PORTS["postgres"]), PGUSER=layout.PG_USER,
                LC_ALL="C")


def prepare_pgdir():
    os.makedirs(layout.PGDIR, exist_ok=True)
    user = pg_user()
    if user:
        pw = pwd.getpwnam(user)
        os.chown(layout.PGDIR, pw.pw_uid, pw.pw_gid)
        probe = subprocess.run(["test", "-w", layout.PGDIR], user=user,
                               group=pw.pw_gid)
        if probe.returncode != 0:
            raise layout.Failure(
                "the postgres user cannot reach %s (a parent directory is "
                "not world-executable); set MINICLOUD_STATE_DIR to a place "
                "it can reach, e.g. /var/tmp/minicloud" % layout.PGDIR)


def template_key():
    h = hashlib.sha256()
    try:
        with open(layout.CONSTRAINTS, "rb") as f:
            h.update(f.read())
    except FileNotFoundError:
        h.update(b"no constraints file")
    h.update(("format=%s base=%d user=%s" % (
        layout.TEMPLATE_FORMAT, layout.BASE, layout.PG_USER)).encode())
    return h.hexdigest()


def template_valid():
    try:
        with open(layout.TEMPLATE_KEY) as f:
            return (f.read().strip() == template_key() and
                    os.path.exists(os.path.join(layout.PGTEMPLATE,
                                                "PG_VERSION")))
    except FileNotFoundError:
        return False


def start_postgres():
    # jit=off: PostgreSQL compiles a query with LLVM when the planner's
    # estimate passes jit_above_cost, and Neutron's floating IP listing
    # (a score of LEFT JOINs) passes it even on a nearly empty database:
    # 70 ms for one floating IP among 21 ports, 50 ms of it compiling
    # (EXPLAIN ANALYZE), 14 ms without. JIT pays off for long analytic
    # queries, not for an API's short ones: operators of OpenStack on
    # PostgreSQL turn it off.
    argv = [pg_bin("postgres"), "-D", layout.PGDATA,
            "-c", "listen_addresses=%s" % layout.HOST,
            "-c", "port=%d" % layout.PORTS["postgres"],
            "-c", "unix_socket_directories=",
            "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=400",
            "-c", "shared_buffers=64MB", "-c", "jit=off",
            "-c", "log_min_messages=warning",
            "-c", "log_connections=off", "-c", "logging_collector=off"]
    process.spawn("postgres", argv, env=pg_env(), user=pg_user())
    process.wait_for("postgres", pg_ready, 60, proc_name="postgres")


def pg_ready():
    p = subprocess.run([pg_bin("pg_isready"), "-q", "-d", "postgres"],
                       env=pg_env())
    return p.returncode == 0


def psql(sql, db="postgres"):
    p = subprocess.run([pg_bin("psql"), "-X", "-q", "-A",
                        "-t", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                       env=pg_env(), capture_output=True, text=True)
    if p.returncode:
        raise layout.Failure("psql failed: %s" % p.stderr.strip())
    return p.stdout.strip()


def data_key_path():
    return os.path.join(layout.PGDIR, "key")


def data_outdated():
    """True when the cloud's data was made for another template key."""
    if not os.path.exists(os.path.join(layout.PGDATA, "PG_VERSION")):
        return False
    try:
        with open(data_key_path()) as f:
            return f.read().strip() != template_key()
    except FileNotFoundError:
        return True


def ensure_postgres():
    """Start postgres; True when its databases were just created empty.

    The data directory comes from the template when there is a valid one.
    """
    if process.alive("postgres"):
        ensure_databases()
        return False
    prepare_pgdir()
    fresh = False
    if not os.path.exists(os.path.join(layout.PGDATA, "PG_VERSION")):
        drop_runtime_state()
        if template_valid():
            layout.say("postgres: restoring the cloud from the template %s"
                       % layout.TEMPLATE)
            subprocess.run(["cp", "-a", layout.PGTEMPLATE, layout.PGDATA],
                           check=True)
            images = os.path.join(layout.STATE, "glance", "images")
            shutil.rmtree(images, ignore_errors=True)
            shutil.copytree(os.path.join(layout.TEMPLATE, "glance-images"),
                            images)
            shutil.copy(os.path.join(layout.TEMPLATE, "seeded.json"),
                        layout.SEEDED)
        else:
            shutil.rmtree(layout.TEMPLATE, ignore_errors=True)
            layout.say("postgres: initdb")
            process.run([pg_bin("initdb"), "-D", layout.PGDATA, "-U",
                         layout.PG_USER, "--auth=trust", "-E", "UTF8",
                         "--no-locale", "--no-sync"], "initdb", env=pg_env(),
                        user=pg_user(), quiet=True)
            fresh = True
        layout.write(data_key_path(), template_key() + "\n")
    start_postgres()
    layout.say("postgres: running on port %d" % layout.PORTS["postgres"])
    ensure_databases()
    return fresh


def ensure_databases():
    """Create the databases that are missing.

    Also those a newer mini-cloud added to the data of an older one.
    """
    existing = set(psql("SELECT datname FROM pg_database").split())
    for db in layout.DATABASES:
        if db not in existing:
            psql("CREATE DATABASE %s" % db)


def drop_runtime_state():
    """The data that belongs with a database: drop it with the database."""
    for d in ("glance/images", "glance/staging", "glance/tasks",
              "nova/state", "nova/instances"):
        shutil.rmtree(os.path.join(layout.STATE, d), ignore_errors=True)
        os.makedirs(os.path.join(layout.STATE, d), exist_ok=True)
    for f in (layout.SEEDED, layout.OPENRC, layout.STATEJSON):
        process.remove(f)


def save_template():
    """Keep the migrated, seeded cloud as the template.

    Taken while postgres runs (pg_basebackup), before nova-compute first
    runs, with Glance's image files and the seed record.
    """
    shutil.rmtree(layout.TEMPLATE, ignore_errors=True)
    os.makedirs(layout.TEMPLATE)
    user = pg_user()
    if user:
        pw = pwd.getpwnam(user)
        os.chown(layout.TEMPLATE, pw.pw_uid, pw.pw_gid)
    process.run([pg_bin("pg_basebackup"), "-D", layout.PGTEMPLATE,
                 "-X", "stream", "-c", "fast", "--no-sync"], "pg_basebackup",
                env=pg_env(), user=user, quiet=True)
    shutil.copytree(os.path.join(layout.STATE, "glance", "images"),
                    os.path.join(layout.TEMPLATE, "glance-images"))
    shutil.copy(layout.SEEDED, os.path.join(layout.TEMPLATE, "seeded.json"))
    layout.write(layout.TEMPLATE_KEY, template_key() + "\n")
    layout.say("saved the seeded cloud as the template %s" % layout.TEMPLATE)


def sync_databases():
    """Schema migrations and keystone bootstrap, in parallel."""
    nova_conf = ["--config-file", layout.etc("nova", "nova.conf")]
    ks_conf = ["--config-file", os.path.join(layout.ETC, "keystone",
                                             "keystone.conf")]
    mgr = os.path.join(layout.BIN, "nova-manage")
    ksm = os.path.join(layout.BIN, "keystone-manage")
    chains = {
        "keystone": [
            ([ksm] + ks_conf + ["db_sync"], "keystone db_sync"),
            ([ksm] + ks_conf + ["bootstrap",
                                "--bootstrap-password",
                                layout.PASSWORDS["admin"],
                                "--bootstrap-admin-url",
                                layout.url("keystone", "/v3"),
                                "--bootstrap-internal-url",
                                layout.url("keystone", "/v3"),
                                "--bootstrap-public-url",
                                layout.url("keystone", "/v3"),
                                "--bootstrap-region-id", layout.REGION],
             "keystone bootstrap"),
        ],
        "nova": [
            ([mgr] + nova_conf + ["api_db", "sync"], "nova api_db sync"),
            ([mgr] + nova_conf + ["cell_v2", "map_cell0",
                                  "--database_connection",
                                  configs.db_url("nova_cell0")],
             "nova map_cell0"),
            ([mgr] + nova_conf + ["cell_v2", "create_cell", "--name",
                                  "cell1"], "nova create_cell"),
            ([mgr] + nova_conf + ["db", "sync"], "nova db sync"),
        ],
        "neutron": neutron_migrations(),
        "placement": [
            ([os.path.join(layout.BIN, "placement-manage"), "--config-file",
              os.path.join(layout.ETC, "placement", "placement.conf"), "db",
              "sync"], "placement db sync"),
        ],
        "glance": [
            ([os.path.join(layout.BIN, "glance-manage"), "--config-file",
              layout.etc("glance", "glance-api.conf"), "db_sync"],
             "glance db_sync"),
        ],
    }
    chains["cinder"] = block_storage.db_sync_steps()
    process.run_parallel({
        name: (lambda steps=steps: [process.run(a, w) for a, w in steps])
        for name, steps in chains.items()})


OOI_SAVE_MANAGE = os.path.join(layout.REPO, "ooi_save", "cmd", "manage.py")


def sync_ooi_save():
    """Migrate ooi_save's own database, when the repository can.

    Run at every bring-up (migrations that are already applied are
    skipped), before the nova-api nodes start, with its output in
    log/ooi-save-manage.log. Nothing to do before ooi_save has a manage
    command.
    """
    if not os.path.exists(OOI_SAVE_MANAGE):
        return
    process.run([layout.PY, "-m", "ooi_save.cmd.manage", "--config-file",
                 layout.etc("nova", "nova.conf"), "db", "sync"],
                "ooi_save db sync", log_name="ooi-save-manage")


# NOTE: neutron's migration d553edeb540f (2025.2) runs MySQL-only SQL:
# on PostgreSQL upgrade to the one before it, stamp it, then go on.
NEUTRON_BEFORE_MYSQL_ONLY = "ad80a9f07c5c"
NEUTRON_MYSQL_ONLY = "d553edeb540f"


def neutron_migrations():
    """neutron-db-manage's steps, in one process (neutron_migrate.py)."""
    argv = [layout.PY, os.path.join(layout.HERE, "neutron_migrate.py")]
    for name in configs.NEUTRON_FILES:
        argv += ["--config-file", layout.etc("neutron", name)]
    argv += ["upgrade:" + NEUTRON_BEFORE_MYSQL_ONLY,
             "stamp:" + NEUTRON_MYSQL_ONLY, "upgrade:heads"]
    return [(argv, "neutron migrations")]


def ensure_keystone_keys():
    ks_conf = ["--config-file", os.path.join(layout.ETC, "keystone",
                                             "keystone.conf")]
    ksm = os.path.join(layout.BIN, "keystone-manage")
    uid = str(os.getuid())
    gid = str(os.getgid())
    for keys in ("fernet", "credential"):
        if not os.path.exists(os.path.join(layout.STATE, "keystone",
                                           "%s-keys" % keys, "0")):
            process.run([ksm] + ks_conf + ["%s_setup" % keys,
                                           "--keystone-user", uid,
                                           "--keystone-group", gid],
                        "keystone %s_setup" % keys)
