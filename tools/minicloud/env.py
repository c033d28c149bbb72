"""Helpers for tests that use the mini-cloud.

    from tools.minicloud import env      # or put tools/minicloud on sys.path
    env.ensure_up()                       # brings it up once, under a lock
    creds = env.load_openrc()             # {"OCCI_ENDPOINT": ..., ...}

ensure_up() takes an exclusive fcntl lock on <state dir>/ensure_up.lock, so
parallel test workers run `cli.py up` one after the other; the second and
later calls find everything running and return in about a second.
"""
import fcntl
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def state_dir():
    return os.path.abspath(os.environ.get(
        "MINICLOUD_STATE_DIR", os.path.join(REPO, ".minicloud")))


def openrc_path():
    return os.path.join(state_dir(), "openrc")


def load_openrc(path=None):
    """Parse the ``export NAME='value'`` lines of an openrc into a dict."""
    result = {}
    with open(path or openrc_path()) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("export "):
                continue
            name, _, value = line[len("export "):].partition("=")
            parts = shlex.split(value)
            result[name.strip()] = parts[0] if parts else ""
    return result


def ensure_up(timeout=900, python=None):
    """Run ``cli.py up`` under a file lock; return load_openrc()'s dict.

    Raises RuntimeError (with the end of the output) if `up` fails.
    """
    os.makedirs(state_dir(), exist_ok=True)
    with open(os.path.join(state_dir(), "ensure_up.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run([python or sys.executable,
                            os.path.join(HERE, "cli.py"), "up"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError("minicloud up failed (exit %d):\n%s" % (
                p.returncode, p.stdout[-4000:]))
    return load_openrc()
