# Copyright 2026 The ooi-save developers
#
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""What ``occi`` costs a user against curl, on the mini-cloud.

For ``occi compute list`` and ``occi compute show ID`` against the same
requests made with curl (``GET /compute/`` and ``GET /compute/<id>``,
JSON, the token in ``X-Auth-Token``), each a fresh process as a user runs
it, through HAProxy:

* curl alone: the floor (process start-up plus one request);
* ``occi --version``: the command's start-up alone (Python, cliff,
  keystoneauth1), no request;
* ``occi`` with a warm discovery cache: one request, as curl;
* ``occi`` with no cache (``--cache-ttl 0``): one ``?category=`` lookup
  of the compute kind first;
* ``occi`` with the password instead of the token (a Keystone round trip,
  the endpoint from the catalog), warm cache;
* ``occi --rendering text/plain compute list --long``: the text listing
  carries locations only, one more read per compute.

The command is the ``occi`` of a venv holding the client alone
(``.tox/occi-client``, made and brought up to date by the run), as a
user installs it; ``--here`` times this Python's instead. Medians of
``--repeat`` runs (default 10) with two computes booted for the run and
deleted after it. Run with the mini-cloud up:
``python benchmarks/client.py [--repeat N]``.
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICROVERSION = {'OpenStack-API-Version': 'compute 2.90'}


def openrc():
    values = {}
    state = os.environ.get('MINICLOUD_STATE_DIR',
                           os.path.join(ROOT, '.minicloud'))
    with open(os.path.join(state, 'openrc')) as f:
        for line in f:
            if line.startswith('export '):
                name, _, value = line[7:].strip().partition('=')
                values[name] = ''.join(shlex.split(value))
    return values


#: The venv the ``occi`` command is timed from: ooi-save installed as a
#: user installs the client (``pip install ooi-save``, no ``[server]``).
CLIENT_VENV = os.path.join(ROOT, '.tox', 'occi-client')


def occi_command(script=None, here=False):
    """The command to time.

    By default the ``occi`` of a venv holding the client's requirements
    alone, made (or brought up to date) here: the benchmark's own Python
    carries the whole cloud (Nova's osprofiler among it, which keystoneauth
    imports when it finds it), which a user's client never loads.
    """
    if script:
        return [script]
    if here:
        return [sys.executable, '-m', 'ooi_save.cmd.occi']
    python = os.path.join(CLIENT_VENV, 'bin', 'python')
    if not os.path.exists(python):
        subprocess.run([sys.executable, '-m', 'venv', CLIENT_VENV],
                       check=True)
    subprocess.run([python, '-m', 'pip', 'install', '-qq',
                    '--disable-pip-version-check', ROOT], check=True)
    return [os.path.join(CLIENT_VENV, 'bin', 'occi')]


def timed(argv, env, repeat):
    """Median seconds of a command run ``repeat`` times (it must work)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def boot(env, name):
    headers = dict(MICROVERSION, **{'X-Auth-Token': env['OS_TOKEN']})
    nova = env['NOVA_ENDPOINT']
    image = requests.get(env['GLANCE_ENDPOINT'] + '/v2/images?name='
                         'cirros-fake', headers=headers,
                         timeout=60).json()['images'][0]['id']
    server = requests.post(nova + '/servers', headers=headers, timeout=60,
                           json={'server': {'name': name, 'imageRef': image,
                                            'flavorRef': '1',
                                            'networks': 'none'}})
    server.raise_for_status()
    return server.json()['server']['id']


def delete(env, server_id):
    requests.delete(env['NOVA_ENDPOINT'] + '/servers/' + server_id,
                    headers={'X-Auth-Token': env['OS_TOKEN']}, timeout=60)


def wait_active(env, server_id):
    for _ in range(240):
        server = requests.get(
            env['NOVA_ENDPOINT'] + '/servers/' + server_id, timeout=60,
            headers={'X-Auth-Token': env['OS_TOKEN']}).json()['server']
        if server['status'] == 'ACTIVE' and not server.get(
                'OS-EXT-STS:task_state'):
            return
        time.sleep(0.5)
    raise SystemExit('server %s did not become active' % server_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--occi', metavar='PATH',
                        help='The occi command to time (default: one '
                             'installed alone in %s)' % CLIENT_VENV)
    parser.add_argument('--here', action='store_true',
                        help='time this Python\'s ooi_save.cmd.occi')
    args = parser.parse_args()
    rc = openrc()
    cache = tempfile.mkdtemp(prefix='occi-bench-cache-')
    # Only the openrc's identity: a variable of the caller's shell (a
    # project of another openrc) would scope the command elsewhere.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('OS_', 'OCCI_'))}
    env['XDG_CACHE_HOME'] = cache
    if args.here:
        env['PYTHONPATH'] = ROOT
    env.update({k: v for k, v in rc.items()
                if k.startswith(('OS_', 'OCCI_'))})
    password_env = {k: v for k, v in env.items()
                    if k not in ('OS_TOKEN', 'OCCI_ENDPOINT')}
    servers = [boot(rc, 'bench-client-%s-%d' % (uuid.uuid4().hex[:6], n))
               for n in range(2)]
    try:
        for server_id in servers:
            wait_active(rc, server_id)
        endpoint = rc['OCCI_ENDPOINT']
        curl = ['curl', '-sf', '-o', '/dev/null', '-H',
                'X-Auth-Token: ' + rc['OS_TOKEN'], '-H',
                'Accept: application/occi+json']
        occi = occi_command(args.occi, args.here)
        print('occi: %s' % ' '.join(occi))
        # Warm each cache once (token and password identities).
        subprocess.run(occi + ['compute', 'list'], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(occi + ['compute', 'list'], env=password_env,
                       check=True, stdout=subprocess.DEVNULL)
        rows = []
        for what, path, command in (
                ('list', '/compute/', ['compute', 'list']),
                ('show', '/compute/' + servers[0],
                 ['compute', 'show', servers[0]])):
            shown = ' '.join(command).replace(servers[0], 'ID')
            floor = timed(curl + [endpoint + path], env, args.repeat)
            rows.append(('curl GET %s' % path.split('/')[1] +
                         ('/' if what == 'list' else '/<id>'), floor))
            for label, argv, run_env in (
                    ('occi %s, warm cache' % shown, occi + command, env),
                    ('occi %s, no cache' % shown,
                     occi + ['--cache-ttl', '0'] + command, env),
                    ('occi %s, password + catalog' % shown,
                     occi + command, password_env)):
                rows.append((label, timed(argv, run_env, args.repeat)))
        rows.append(('occi --version (start-up alone)',
                     timed(occi + ['--version'], env, args.repeat)))
        rows.append(('occi --rendering text/plain compute list --long',
                     timed(occi + ['--rendering', 'text/plain', 'compute',
                                   'list', '--long'], env, args.repeat)))
        floor = rows[0][1]
        print('%-52s %9s %8s' % ('command (median of %d)' % args.repeat,
                                 'ms', 'x curl'))
        for label, seconds in rows:
            if label.startswith('curl'):
                floor = seconds
            print('%-52s %9.1f %8.2f' % (label, seconds * 1000,
                                         seconds / floor))
    finally:
        for server_id in servers:
            delete(rc, server_id)


if __name__ == '__main__':
    main()
