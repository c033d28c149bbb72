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

"""Latency of the OCCI save action against native Nova, on the mini-cloud.

Prints, in one run:

* hot: the OCCI save (``POST <compute>?action=save``, answered with the new
  os_tpl mixin) against a bare native ``createImage``, and against
  ``createImage`` plus the Glance read a native client needs to learn as
  much of the image as the OCCI answer tells (goal: <= 1.05x). A named save
  costs a read of the server's tags and of the new image besides
  ``createImage``; a save with the default name reads the whole server
  (for its name) and no image (see ``ooi_save.backend.save``);
* deferred: the OCCI save's answer time and total time (until the compute
  is ACTIVE again and the save record is gone) against the sum of the same
  Nova steps run natively (stop, snapshot, start, each until done).

Both sides are timed the same way: the wall clock of the HTTP calls, and
for waits a 50 ms poll of the server. The mini-cloud must be up
(``python tools/minicloud/cli.py up``); ``MINICLOUD_STATE_DIR`` selects
another one than ``.minicloud``.

usage: python benchmarks/save_latency.py [--rounds N]
"""

import argparse
import os
import shlex
import statistics
import sys
import time
import uuid

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATE = os.environ.get('MINICLOUD_STATE_DIR',
                       os.path.join(ROOT, '.minicloud'))
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
POLL = 0.05


def openrc():
    values = {}
    with open(os.path.join(STATE, 'openrc')) as source:
        for line in source:
            if line.startswith('export '):
                name, _, value = line[len('export '):].strip().partition('=')
                values[name] = ''.join(shlex.split(value))
    return values


class Cloud:
    """The mini-cloud, natively and through OCCI, as the demo user."""

    def __init__(self, env):
        self.nova_url = env['NOVA_ENDPOINT']
        self.occi_url = env['OCCI_ENDPOINT']
        self.glance_url = env['GLANCE_ENDPOINT']
        self.http = requests.Session()
        self.http.headers['X-Auth-Token'] = env['OS_TOKEN']
        self.images = []

    def nova(self, method, path, body=None, expect=(200,)):
        response = self.http.request(
            method, self.nova_url + path, json=body, timeout=120,
            headers={'OpenStack-API-Version': 'compute 2.90'})
        if response.status_code not in expect:
            sys.exit('%s %s: %s %s' % (method, path, response.status_code,
                                       response.text))
        return response

    def glance(self, path):
        response = self.http.get(self.glance_url + path, timeout=60)
        response.raise_for_status()
        return response.json()

    def server(self, server_id):
        return self.nova('GET', '/servers/%s' % server_id).json()['server']

    def wait(self, server_id, done, timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            server = self.server(server_id)
            if done(server):
                return server
            if time.monotonic() > deadline:
                sys.exit('server %s stuck: %s/%s' % (
                    server_id, server['status'],
                    server.get('OS-EXT-STS:task_state')))
            time.sleep(POLL)

    def idle(self, server_id, status='ACTIVE'):
        return self.wait(server_id, lambda s: s['status'] == status and
                         not s.get('OS-EXT-STS:task_state') and
                         not s.get('tags') and
                         'ooi_save' not in s.get('metadata', {}))

    def boot(self):
        image = self.glance('/v2/images?name=cirros-fake')['images'][0]
        flavor = [f for f in self.nova('GET', '/flavors/detail').json()[
            'flavors'] if f['name'] == 'm1.tiny'][0]
        server_id = self.nova('POST', '/servers', {'server': {
            'name': 'bench-%s' % uuid.uuid4().hex[:6],
            'imageRef': image['id'], 'flavorRef': flavor['id'],
            'networks': 'none'}}, expect=(202,)).json()['server']['id']
        self.idle(server_id)
        return server_id

    def action(self, server_id, body):
        return self.nova('POST', '/servers/%s/action' % server_id, body,
                         expect=(202,))

    def create_image(self, server_id, name):
        image_id = self.action(server_id, {'createImage': {
            'name': name}}).json()['image_id']
        self.images.append(image_id)
        return image_id

    def occi_save(self, server_id, method, name):
        response = self.http.post(
            '%s/compute/%s?action=save' % (self.occi_url, server_id),
            timeout=300,
            headers={'Content-Type': 'text/plain',
                     'Accept': 'application/occi+json'},
            data='Category: save; scheme="%s"; class="action"\n'
                 'X-OCCI-Attribute: method="%s"\n%s' % (
                     ACTION, method,
                     'X-OCCI-Attribute: name="%s"\n' % name if name else ''))
        if response.status_code != 200:
            sys.exit('OCCI save: %s %s' % (response.status_code,
                                           response.text))
        self.images.append(response.json()['term'])
        return response

    def cleanup(self, server_id):
        self.nova('DELETE', '/servers/%s' % server_id, expect=(204, 404))
        for image_id in self.images:
            self.http.delete('%s/v2/images/%s' % (self.glance_url,
                                                  image_id), timeout=60)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def hot(cloud, server_id, rounds):
    native, native_read, occi, unnamed = [], [], [], []

    def native_with_read(name):
        image_id = cloud.create_image(server_id, name)
        return cloud.glance('/v2/images/%s' % image_id)

    for index in range(rounds):
        # Alternate the order, so that neither side always goes first.
        runs = [('native', native), ('read', native_read), ('occi', occi),
                ('unnamed', unnamed)]
        if index % 2:
            runs.reverse()
        for kind, samples in runs:
            name = 'bench-hot-%s-%d' % (kind, index)
            if kind == 'native':
                samples.append(timed(cloud.create_image, server_id,
                                     name)[0])
            elif kind == 'read':
                samples.append(timed(native_with_read, name)[0])
            elif kind == 'unnamed':
                samples.append(timed(cloud.occi_save, server_id, 'hot',
                                     None)[0])
            else:
                samples.append(timed(cloud.occi_save, server_id, 'hot',
                                     name)[0])
            cloud.idle(server_id)
    return native, native_read, occi, unnamed


def deferred(cloud, server_id, rounds):
    native, answer, total = [], [], []
    for index in range(rounds):
        started = time.perf_counter()
        cloud.action(server_id, {'os-stop': None})
        cloud.wait(server_id, lambda s: s['status'] == 'SHUTOFF' and
                   not s.get('OS-EXT-STS:task_state'))
        cloud.create_image(server_id, 'bench-deferred-native-%d' % index)
        cloud.wait(server_id, lambda s: not s.get('OS-EXT-STS:task_state'))
        cloud.action(server_id, {'os-start': None})
        cloud.idle(server_id)
        native.append(time.perf_counter() - started)

        started = time.perf_counter()
        cloud.occi_save(server_id, 'deferred',
                        'bench-deferred-occi-%d' % index)
        answer.append(time.perf_counter() - started)
        cloud.idle(server_id)
        total.append(time.perf_counter() - started)
    return native, answer, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=10,
                        help='hot saves of each kind')
    parser.add_argument('--deferred', type=int, default=None,
                        help='deferred saves (default: a third of --rounds)')
    parser.add_argument('--only-deferred', action='store_true')
    args = parser.parse_args()
    cloud = Cloud(openrc())
    server_id = cloud.boot()
    try:
        if not args.only_deferred:
            native, native_read, occi, unnamed = hot(cloud, server_id,
                                                     args.rounds)
        stop_snap_start, answer, total = deferred(
            cloud, server_id, args.deferred or max(1, args.rounds // 3))
    finally:
        cloud.cleanup(server_id)
    med = statistics.median
    print('load average while it ran: %s' % ' '.join(
        '%.2f' % v for v in os.getloadavg()))
    if args.only_deferred:
        return _deferred_report(stop_snap_start, answer, total)
    print('hot save, median of %d (ms):' % args.rounds)
    print('  native createImage              %7.1f' % (med(native) * 1e3))
    print('  native createImage + Glance GET %7.1f' % (
        med(native_read) * 1e3))
    print('  OCCI save hot                   %7.1f' % (med(occi) * 1e3))
    print('  ratio to createImage            %7.2fx (goal <= 1.05x)'
          % (med(occi) / med(native)))
    print('  ratio to createImage + GET      %7.2fx' % (
        med(occi) / med(native_read)))
    print('  OCCI save hot, default name     %7.1f' % (med(unnamed) * 1e3))
    print('  ratio to createImage            %7.2fx' % (
        med(unnamed) / med(native)))
    _deferred_report(stop_snap_start, answer, total)


def _deferred_report(stop_snap_start, answer, total):
    med = statistics.median
    print('deferred save, median of %d (s):' % len(total))
    print('  native stop+snapshot+start      %7.2f' % med(stop_snap_start))
    print('  OCCI save deferred, answered    %7.2f' % med(answer))
    print('  OCCI save deferred, all done    %7.2f' % med(total))
    print('  ratio all done / native steps   %7.2fx' % (
        med(total) / med(stop_snap_start)))


if __name__ == '__main__':
    main()
