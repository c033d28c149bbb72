"""Processes: spawn, find, stop, wait for, and measure the services.

PID files hold "pid starttime" so that a reused PID is not taken for ours.
"""

import os
import pwd
import signal
import socket
import subprocess
import threading
import time

import layout


def port_open(port, timeout=0.5):
    try:
        with socket.create_connection((layout.HOST, port), timeout=timeout):
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
            raise layout.Failure("%s died while starting; see %s" %
                                 (proc_name, layout.logfile(proc_name)))
        time.sleep(interval)
    raise layout.Failure("timed out after %ds waiting for %s%s" % (
        timeout, what,
        "; see %s" % layout.logfile(proc_name) if proc_name else ""))


def run(argv, what, env=None, user=None, timeout=600, quiet=False,
        log_name="setup"):
    """Run a setup command to its end, its output in log/<log_name>.log."""
    log = layout.logfile(log_name)
    with open(log, "ab") as f:
        f.write(("\n$ %s\n" % " ".join(argv)).encode())
        f.flush()
        p = subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, env=env, user=user,
                           group=_group(user), timeout=timeout,
                           cwd=layout.STATE)
    if p.returncode != 0:
        raise layout.Failure("%s failed (exit %d); see %s" % (
            what, p.returncode, log))
    if not quiet:
        layout.say("%s: done" % what)


def _group(user):
    if user is None:
        return None
    return pwd.getpwnam(user).pw_gid


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
        raise layout.Failure("; ".join(errors))


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
        with open(layout.pidfile(name)) as f:
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
        with open(layout.pidfile(name)) as f:
            old = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if read_pid(name) is not None:
        return
    try:
        os.killpg(old, signal.SIGKILL)
        layout.say("%s: killed what was left of its previous run" % name)
    except (ProcessLookupError, PermissionError):
        pass


def spawn(name, argv, env=None, user=None):
    _reap_leftovers(name)
    os.makedirs(layout.LOG, exist_ok=True)
    os.makedirs(layout.RUN, exist_ok=True)
    with open(layout.logfile(name), "ab") as log:
        log.write(("\n===== %s starting: %s\n" % (
            time.strftime("%Y-%m-%d %H:%M:%S"), " ".join(argv))).encode())
        log.flush()
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, env=env,
                             start_new_session=True, cwd=layout.STATE,
                             user=user, group=_group(user))
    start = None
    for _ in range(50):
        start = _starttime(p.pid)
        if start:
            break
        time.sleep(0.01)
    layout.write(layout.pidfile(name), "%d %s\n" % (p.pid, start or "0"))
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
            remove(layout.pidfile(name))
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
            layout.say("%s did not stop in %ds: killing it" % (name, timeout))
        # SIGKILL whatever is left in its process group (rabbit's helpers).
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        remove(layout.pidfile(name))
    return list(pids)


def remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def proc_table():
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
    table = table if table is not None else proc_table()
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
