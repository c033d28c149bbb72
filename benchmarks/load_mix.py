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

"""A mixed load through OCCI against the same mix of native calls.

Not a test: N client threads draw operations from one mix (reads of a
compute, of the collection and of the query interface; creates and
deletes; hot saves) for a fixed time, through ``OCCI_ENDPOINT``, then the
same mix of native Nova and Glance calls through ``NOVA_ENDPOINT`` (both
go through HAProxy where the mini-cloud has it); a native operation reads
what the OCCI answer shows (a compute read lists its ports too, the query
interface reads the flavors and the images, a save reads the new image in
Glance). The phases go OCCI, native, native, OCCI, so that a drift
falls on both sides alike: the machine's load, and the project growing
during the run (each save adds an image, which every later query lists;
with OCCI always first, a calibration run gave the query 0.74x). It
prints, per operation, the count, p50 and p99 of each side and their
ratio, the throughput of each side, the backend calls the
filter reports, and every unexpected answer. Run it with the mini-cloud
up::

    tox -e bench        # or: python benchmarks/load_mix.py --clients 8

With ``--calibrate`` both sides run the native mix: the ratios printed
are then those of two identical loads, what the machine's own variation
makes of a p50 or a throughput at that load.

It stops by itself after ``--seconds`` (plus the waits of the last saves)
and deletes every server and image it made, also when interrupted.
"""

import argparse
import collections
import os
import random
import statistics
import sys
import threading
import time
import uuid

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
from tools.minicloud import env as minicloud  # noqa: E402

MICROVERSION = {'OpenStack-API-Version': 'compute 2.90'}
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'

#: The mix: operation and weight. A create is followed by its delete.
MIX = (('read compute', 30), ('read collection', 20), ('query', 15),
       ('create', 20), ('save', 15))

TIMEOUT = 60


class Side:
    """One way of doing each operation of the mix: OCCI or native.

    Each operation returns ``[(name, seconds, error or None, backend
    calls)]``: a create also times its delete. What is made is recorded
    in ``made`` so that it is deleted whatever happens.
    """

    def __init__(self, name, env, image_id, flavor_id, made):
        self.name = name
        self.env = env
        self.image_id = image_id
        self.flavor_id = flavor_id
        self.made = made
        self.local = threading.local()
        #: The networks of a native create.
        self.networks = 'none'

    @property
    def http(self):
        if not hasattr(self.local, 'http'):
            self.local.http = requests.Session()
            self.local.http.headers['X-Auth-Token'] = self.env['OS_TOKEN']
        return self.local.http

    def timed(self, name, expect, method, url, **kwargs):
        started = time.perf_counter()
        try:
            response = self.http.request(method, url, timeout=TIMEOUT,
                                         **kwargs)
        except requests.RequestException as exc:
            return (name, time.perf_counter() - started, str(exc), None,
                    None)
        seconds = time.perf_counter() - started
        error = None
        if response.status_code not in expect:
            error = '%s %s: %d %s' % (method, url, response.status_code,
                                      response.text[:200])
        return (name, seconds, error,
                response.headers.get('X-OCCI-Backend-Calls'), response)

    def native(self, method, path, body=None):
        return self.http.request(
            method, self.env['NOVA_ENDPOINT'] + path, json=body,
            headers=MICROVERSION, timeout=TIMEOUT)

    def wait_idle(self, server_id, deadline):
        """Untimed: wait until the server runs no task (a save is done)."""
        while time.monotonic() < deadline:
            server = self.native('GET', '/servers/%s' % server_id).json()[
                'server']
            if not server.get('OS-EXT-STS:task_state') and not server.get(
                    'tags'):
                return
            time.sleep(0.2)


class OCCI(Side):

    def op(self, operation, server_id):
        occi = self.env['OCCI_ENDPOINT']
        if operation == 'read compute':
            return [self.timed(operation, (200,), 'GET',
                               occi + '/compute/' + server_id,
                               headers={'Accept': 'application/occi+json'})]
        if operation == 'read collection':
            return [self.timed(operation, (200,), 'GET', occi + '/compute/',
                               headers={'Accept': 'text/uri-list'})]
        if operation == 'query':
            return [self.timed(operation, (200,), 'GET', occi + '/-/')]
        if operation == 'create':
            body = ('Category: compute; scheme="%s"; class="kind"\n'
                    'Category: %s; scheme="%s"; class="mixin"\n'
                    'Category: m1.tiny; scheme="%s"; class="mixin"\n'
                    'X-OCCI-Attribute: occi.core.title="load-%s"\n'
                    % (INFRA, self.image_id, OS, RES, uuid.uuid4().hex[:6]))
            created = self.timed(operation, (201,), 'POST',
                                 occi + '/compute/', data=body,
                                 headers={'Content-Type': 'text/plain'})
            response = created[4]
            if created[2] is not None or response is None:
                return [created]
            location = response.headers['Location']
            self.made['servers'].append(location.rsplit('/', 1)[1])
            return [created, self.timed('delete', (200,), 'DELETE',
                                        location)]
        body = ('Category: save; scheme="%s"; class="action"\n'
                'X-OCCI-Attribute: method="hot"\n'
                'X-OCCI-Attribute: name="load-%s"\n'
                % (ACTION, uuid.uuid4().hex[:6]))
        saved = self.timed(operation, (200,), 'POST',
                           '%s/compute/%s?action=save' % (occi, server_id),
                           data=body, headers={
                               'Content-Type': 'text/plain',
                               'Accept': 'application/occi+json'})
        if saved[4] is not None and saved[2] is None:
            self.made['images'].append(saved[4].json()['term'])
        return [saved]


class Native(Side):

    def op(self, operation, server_id):
        nova = self.env['NOVA_ENDPOINT']
        if operation == 'read compute':
            # What the OCCI answer shows: the server and its links (its
            # ports), as benchmarks/nova_ratios.py reads them.
            read = self.timed(operation, (200,), 'GET',
                              nova + '/servers/' + server_id,
                              headers=MICROVERSION)
            neutron = self.env.get('NEUTRON_ENDPOINT', '').rstrip('/')
            if not neutron or read[2] is not None:
                return [read]
            ports = self.timed(operation, (200,), 'GET', neutron +
                               '/v2.0/ports?device_id=' + server_id)
            return [(operation, read[1] + ports[1], ports[2], None, None)]
        if operation == 'read collection':
            return [self.timed(operation, (200,), 'GET', nova + '/servers',
                               headers=MICROVERSION)]
        if operation == 'query':
            # What /-/ reads: the flavors and the images.
            flavors = self.timed(operation, (200,), 'GET',
                                 nova + '/flavors/detail',
                                 headers=MICROVERSION)
            images = self.timed(operation, (200,), 'GET',
                                self.env['GLANCE_ENDPOINT'] +
                                '/v2/images?limit=1000')
            return [(operation, flavors[1] + images[1],
                     flavors[2] or images[2], None, None)]
        if operation == 'create':
            created = self.timed(operation, (202,), 'POST',
                                 nova + '/servers', headers=MICROVERSION,
                                 json={'server': {
                                     'name': 'load-%s' % uuid.uuid4().hex[:6],
                                     'imageRef': self.image_id,
                                     'flavorRef': self.flavor_id,
                                     'networks': self.networks}})
            response = created[4]
            if created[2] is not None or response is None:
                return [created]
            new_id = response.json()['server']['id']
            self.made['servers'].append(new_id)
            return [created, self.timed('delete', (204,), 'DELETE',
                                        nova + '/servers/' + new_id,
                                        headers=MICROVERSION)]
        # What the OCCI answer shows: the new image, as Glance has it (OCCI
        # 1.2 answers a save with the new os_tpl's rendering, which names
        # its state). createImage gives only its id: a native client reads
        # the image to learn as much, as benchmarks/save_latency.py does.
        saved = self.timed(operation, (202,), 'POST',
                           '%s/servers/%s/action' % (nova, server_id),
                           headers=MICROVERSION, json={'createImage': {
                               'name': 'load-%s' % uuid.uuid4().hex[:6]}})
        if saved[4] is None or saved[2] is not None:
            return [saved]
        image_id = saved[4].json()['image_id']
        self.made['images'].append(image_id)
        image = self.timed(operation, (200,), 'GET', '%s/v2/images/%s' % (
            self.env['GLANCE_ENDPOINT'], image_id))
        return [(operation, saved[1] + image[1], image[2], None, None)]


def run_phase(side, servers, seconds, seed, results):
    """N clients, each on its own server, drawing from the mix."""
    stop = time.monotonic() + seconds
    operations = [name for name, weight in MIX for _ in range(weight)]

    def client(number):
        rng = random.Random('%d:%d' % (seed, number))
        while time.monotonic() < stop:
            operation = rng.choice(operations)
            outcome = side.op(operation, servers[number])
            results.extend((side.name,) + item[:4] for item in outcome)
            if operation == 'save':
                # Untimed: the next save of this server waits for this one.
                side.wait_idle(servers[number], stop + 120)

    threads = [threading.Thread(target=client, args=(n,))
               for n in range(len(servers))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(results, wall):
    by_op = collections.defaultdict(lambda: {'OCCI': [], 'native': []})
    calls = {}
    errors = [r for r in results if r[3] is not None]
    for side, name, seconds, error, backend in results:
        if error is None:
            by_op[name][side].append(seconds)
        if backend and name not in calls:
            calls[name] = backend
    print('%-16s %6s %9s %9s %6s %9s %9s %7s %7s  %s' % (
        'operation', 'n OCCI', 'p50 OCCI', 'p99 OCCI', 'n nat', 'p50 nat',
        'p99 nat', 'p50 x', 'p99 x', 'backend calls'))
    for name, _ in MIX + (('delete', 0),):
        occi, native = by_op[name]['OCCI'], by_op[name]['native']
        if not occi or not native:
            continue
        p50 = (statistics.median(occi), statistics.median(native))
        p99 = (percentile(occi, 0.99), percentile(native, 0.99))
        print('%-16s %6d %8.1fms %8.1fms %6d %8.1fms %8.1fms %7.2f %7.2f  '
              '%s' % (name, len(occi), p50[0] * 1000, p99[0] * 1000,
                      len(native), p50[1] * 1000, p99[1] * 1000,
                      p50[0] / p50[1], p99[0] / p99[1], calls.get(name, '')))
    count = {side: sum(1 for r in results if r[0] == side)
             for side in ('OCCI', 'native')}
    throughput = {side: count[side] / wall[side] for side in count}
    print('throughput: OCCI %.1f ops/s, native %.1f ops/s, ratio (native / '
          'OCCI) %.2f' % (throughput['OCCI'], throughput['native'],
                          throughput['native'] / throughput['OCCI']))
    print('errors: %d' % len(errors))
    for side, name, seconds, error, backend in errors[:10]:
        print('  %s %s: %s' % (side, name, error))
    return len(errors)


def cleanup(env, made):
    http = requests.Session()
    http.headers.update(MICROVERSION)
    http.headers['X-Auth-Token'] = env['OS_TOKEN']
    for server_id in made['servers']:
        http.delete('%s/servers/%s' % (env['NOVA_ENDPOINT'], server_id),
                    timeout=TIMEOUT)
    deadline = time.monotonic() + 120
    for server_id in made['servers']:
        while time.monotonic() < deadline and http.get(
                '%s/servers/%s' % (env['NOVA_ENDPOINT'], server_id),
                timeout=TIMEOUT).status_code != 404:
            time.sleep(0.5)
    for image_id in made['images']:
        http.delete('%s/v2/images/%s' % (env['GLANCE_ENDPOINT'], image_id),
                    timeout=TIMEOUT)
    print('cleaned up %d servers and %d images' % (
        len(made['servers']), len(made['images'])), file=sys.stderr)


def default_network(http, env):
    """The network an OCCI create without links boots on, natively.

    ``[occi] default_network = auto``: the project's own network with a
    subnet, if it has one; a native create is given the same.
    """
    neutron = env.get('NEUTRON_ENDPOINT', '').rstrip('/')
    if not neutron:
        return 'none'
    own = [n for n in http.get(neutron + '/v2.0/networks',
                               timeout=TIMEOUT).json()['networks']
           if n.get('subnets') and not n.get('router:external') and
           not n.get('shared')]
    return [{'uuid': own[0]['id']}] if own else 'none'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=4)
    parser.add_argument('--seconds', type=float, default=60,
                        help='load time of both sides together')
    parser.add_argument('--seed', type=int, default=20261201)
    parser.add_argument('--calibrate', action='store_true',
                        help='run the native mix on both sides: the ratios '
                        'then show what the load alone makes of them')
    args = parser.parse_args()
    env = minicloud.load_openrc()
    made = {'servers': [], 'images': []}
    http = requests.Session()
    http.headers['X-Auth-Token'] = env['OS_TOKEN']
    image = http.get(env['GLANCE_ENDPOINT'] + '/v2/images?name=cirros-fake',
                     timeout=TIMEOUT).json()['images'][0]
    flavor = [f for f in http.get(
        env['NOVA_ENDPOINT'] + '/flavors/detail', headers=MICROVERSION,
        timeout=TIMEOUT).json()['flavors'] if f['name'] == 'm1.tiny'][0]
    occi = (Native if args.calibrate else OCCI)(
        'OCCI', env, image['id'], flavor['id'], made)
    native = Native('native', env, image['id'], flavor['id'], made)
    native.networks = occi.networks = default_network(http, env)
    try:
        servers = []
        for _ in range(args.clients):
            server = native.native('POST', '/servers', {'server': {
                'name': 'load-client-%s' % uuid.uuid4().hex[:6],
                'imageRef': image['id'], 'flavorRef': flavor['id'],
                'networks': 'none'}}).json()['server']
            made['servers'].append(server['id'])
            servers.append(server['id'])
        for server_id in servers:
            deadline = time.monotonic() + 120
            while native.native('GET', '/servers/%s' % server_id).json()[
                    'server']['status'] != 'ACTIVE':
                if time.monotonic() > deadline:
                    sys.exit('server %s did not become ACTIVE' % server_id)
                time.sleep(0.3)
        print('%d clients, %.0f s, seed %d, OCCI at %s, native creates on '
              '%s' % (args.clients, args.seconds, args.seed,
                      env['OCCI_ENDPOINT'], native.networks))
        if args.calibrate:
            print('calibration: the "OCCI" side runs the native mix too')
        results, wall = [], {'OCCI': 0.0, 'native': 0.0}
        for phase, side in enumerate((occi, native, native, occi)):
            wall[side.name] += run_phase(side, servers, args.seconds / 4,
                                         args.seed + phase // 2, results)
        errors = report(results, wall)
        print('load average after: %s' % ' '.join(
            '%.2f' % v for v in os.getloadavg()))
    finally:
        cleanup(env, made)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
