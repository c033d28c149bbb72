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

"""OCCI against the native Nova calls it replaces, on the mini-cloud.

Not a test: it prints, for one run, the median time of each OCCI request
and of the native request(s) doing the same work, their ratio, and the
backend calls the filter reports. With Neutron in the mini-cloud
(``NEUTRON_ENDPOINT`` in its openrc or the environment) the servers boot
on the project's network, one gets a floating IP, and the compute and
network requests are compared with the native reads giving the same
information (the server read and its ports and floating IPs; the network
and its subnets). Run it with the mini-cloud up::

    tox -e bench
"""

import argparse
import atexit
import os
import shlex
import statistics
import sys
import time
import uuid

import requests

from securitygroup_cases import securitygroup_cases

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICROVERSION = {'OpenStack-API-Version': 'compute 2.90'}
VOLUME_MICROVERSION = {'OpenStack-API-Version': 'volume 3.42'}
COMPUTE_KIND = 'http%3A%2F%2Fschemas.ogf.org%2Focci%2Finfrastructure%23compute'
OS_TPL = 'http%3A%2F%2Fschemas.ogf.org%2Focci%2Finfrastructure%23os_tpl'


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


def _elapsed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed_pair(first, second, rounds):
    """Median times of two callables, sampled in alternation.

    NOTE: on a shared machine the load drifts within seconds; timing all
    the rounds of one request before the other puts that drift into the
    ratio. Alternating the two (and which goes first) spreads it evenly.
    """
    samples = ([], [])
    for number in range(rounds):
        order = (0, 1) if number % 2 == 0 else (1, 0)
        for index in order:
            samples[index].append(_elapsed((first, second)[index]))
    return statistics.median(samples[0]), statistics.median(samples[1])


def _mixin_cases(http, token, occi, nova, neutron, servers, get,
                 cinder=None):
    """A user mixin's collection against Nova's tag-filtered listing.

    The mixin is defined and associated with every server first, and
    deleted when the program ends; without an [occi_database] on the
    mini-cloud (501) the cases are left out.
    """
    location = '/bench-%s/' % uuid.uuid4().hex[:8]
    response = http.post(occi + '/-/', timeout=60, headers=dict(
        token, **{'Content-Type': 'text/plain'}), data=(
            'Category: bench; scheme="http://example.com/bench%s#"; '
            'class="mixin"; location="%s"\n' % (location.strip('/'),
                                                location)))
    if response.status_code == 501:
        print('no user mixins on this cloud: %s' % response.text.strip(),
              file=sys.stderr)
        return []
    response.raise_for_status()
    atexit.register(http.delete, occi + '/-/', timeout=300, headers=dict(
        token, **{'Content-Type': 'text/plain'}), data=(
            'Category: bench; scheme="http://example.com/bench%s#"; '
            'class="mixin"\n' % location.strip('/')))
    members = ''.join('%s/compute/%s\r\n' % (occi, s['id'])
                      for s in servers)
    http.post(occi + location, data=members, timeout=300, headers=dict(
        token, **{'Content-Type': 'text/uri-list'})).raise_for_status()
    tag = [t for t in get(nova + '/servers/' + servers[0]['id'],
                          **MICROVERSION).json()['server']['tags']
           if t.startswith('occi-mixin-')][0]
    native = nova + '/servers/detail?tags=' + tag
    return [
        ('GET mixin collection (%d, uri-list)' % len(servers),
         lambda: get(occi + location, Accept='text/uri-list'),
         lambda: get(native, **MICROVERSION),
         occi + location, 'text/uri-list'),
        ('GET mixin collection (%d, JSON)' % len(servers),
         lambda: get(occi + location, Accept='application/occi+json'),
         lambda: native_listing(get, nova, neutron, native,
                                cinder),
         occi + location, 'application/occi+json'),
    ]


def _floating(server):
    return any(a.get('OS-EXT-IPS:type') == 'floating'
               for entries in server.get('addresses', {}).values()
               for a in entries)


def native_server(get, nova, neutron, server_id):
    """What a native client reads to know a server and its addresses.

    The server, its volume attachments when it has any, its ports, and
    their floating IPs when Nova shows one.
    """
    server = get(nova + '/servers/' + server_id,
                 **MICROVERSION).json()['server']
    if server.get('os-extended-volumes:volumes_attached'):
        # The storagelinks OCCI renders, with their devices.
        get(nova + '/servers/%s/os-volume_attachments' % server_id,
            **MICROVERSION)
    if neutron:
        ports = get(neutron + '/ports?device_id=' + server_id).json()[
            'ports']
        if ports and _floating(server):
            get(neutron + '/floatingips?' + '&'.join(
                'port_id=' + p['id'] for p in ports))


def native_listing(get, nova, neutron, url, cinder=None):
    """The same for a listing of servers.

    The listing, the volumes when a listed server has one attached, its
    ports by 50 servers, and the project's floating IPs when Nova shows
    one on a listed server.
    """
    listed = get(url, **MICROVERSION).json()['servers']
    if cinder and any(s.get('os-extended-volumes:volumes_attached')
                      for s in listed):
        # The storagelinks OCCI renders, with their devices: one listing.
        get(cinder + '/volumes/detail', **VOLUME_MICROVERSION)
    if neutron:
        ports = []
        for start in range(0, len(listed), 50):
            ports += get(neutron + '/ports?' + '&'.join(
                'device_id=' + s['id']
                for s in listed[start:start + 50])).json()['ports']
        if ports and any(_floating(s) for s in listed):
            get(neutron + '/floatingips')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--servers', type=int, default=100)
    parser.add_argument('--rounds', type=int, default=31)
    parser.add_argument('--only', help='run the cases whose name starts '
                        'with this (several: separated by commas)')
    args = parser.parse_args()
    env = openrc()
    http = requests.Session()
    token = {'X-Auth-Token': env['OS_TOKEN']}
    nova, occi, glance = (env['NOVA_ENDPOINT'], env['OCCI_ENDPOINT'],
                          env['GLANCE_ENDPOINT'])
    neutron = (env.get('NEUTRON_ENDPOINT') or
               os.environ.get('NEUTRON_ENDPOINT', '')).rstrip('/')
    neutron = neutron and neutron + '/v2.0'

    def get(url, **headers):
        response = http.get(url, headers=dict(token, **headers), timeout=300)
        response.raise_for_status()
        return response

    image = get(glance + '/v2/images?name=cirros-fake').json()['images'][0]
    flavor = [f for f in get(nova + '/flavors/detail', **MICROVERSION)
              .json()['flavors'] if f['name'] == 'm1.tiny'][0]
    existing = get(nova + '/servers', **MICROVERSION).json()['servers']
    created = []
    created_volumes = []
    reservations = []
    networks = 'none'
    public = None
    if neutron:
        visible = get(neutron + '/networks').json()['networks']
        private = [n for n in visible if n.get('subnets') and
                   not n.get('router:external') and
                   not n.get('shared')]
        public = [n for n in visible if n.get('router:external')]
        networks = [{'uuid': private[0]['id']}] if private else 'none'
        public = public[0] if public else None
    print('booting %d servers...' % max(0, args.servers - len(existing)),
          file=sys.stderr)
    for _ in range(max(0, args.servers - len(existing))):
        response = http.post(nova + '/servers', timeout=60, headers=dict(
            token, **MICROVERSION), json={'server': {
                'name': 'bench-%s' % uuid.uuid4().hex[:6],
                'imageRef': image['id'], 'flavorRef': flavor['id'],
                'networks': networks}})
        response.raise_for_status()
        created.append(response.json()['server']['id'])
    floating_ip = None
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            servers = get(nova + '/servers/detail',
                          **MICROVERSION).json()['servers']
            if all(s['status'] == 'ACTIVE' for s in servers):
                break
            time.sleep(2)
        # A compute on a network when there is one (the site project also
        # holds computes without any): its links are read.
        one = next((s['id'] for s in servers if s.get('addresses')),
                   servers[0]['id'])
        if neutron and public and networks != 'none':
            ports = get(neutron + '/ports?device_id=' + one).json()['ports']
            if ports:
                response = http.post(
                    neutron + '/floatingips', headers=token, timeout=60,
                    json={'floatingip': {'floating_network_id': public['id'],
                                         'port_id': ports[0]['id']}})
                # 404: the compute's network has no router to the public
                # one (the site's own network): read without the address.
                if response.status_code != 404:
                    response.raise_for_status()
                    floating_ip = response.json()['floatingip']['id']

        # Neutron tells Nova of the floating IP in about a second.
        deadline = time.monotonic() + 30
        while floating_ip and time.monotonic() < deadline and not _floating(
                get(nova + '/servers/' + one,
                    **MICROVERSION).json()['server']):
            time.sleep(0.2)

        def native_compute(server_id=one):
            native_server(get, nova, neutron, server_id)

        def native_collection():
            native_listing(get, nova, neutron, nova + '/servers/detail',
                           env.get('CINDER_ENDPOINT'))

        other = next((s['id'] for s in servers if s['id'] != one), one)

        cases = [
            ('GET compute', lambda: get(
                occi + '/compute/' + one, Accept='application/occi+json'),
             native_compute,
             occi + '/compute/' + one, 'application/occi+json'),
            ('GET compute, no floating IP', lambda: get(
                occi + '/compute/' + other, Accept='application/occi+json'),
             lambda: native_compute(other),
             occi + '/compute/' + other, 'application/occi+json'),
            ('GET compute collection (%d, JSON)' % len(servers), lambda: get(
                occi + '/compute/', Accept='application/occi+json'),
             native_collection,
             occi + '/compute/', 'application/occi+json'),
            # A listing of locations needs only the ids: Nova's summary
            # listing, and the (summary) listing of the servers being
            # deleted, which OCCI leaves out.
            ('GET compute collection (%d, uri-list)' % len(servers),
             lambda: get(occi + '/compute/', Accept='text/uri-list'),
             lambda: get(nova + '/servers', **MICROVERSION),
             occi + '/compute/', 'text/uri-list'),
        ] + _mixin_cases(http, token, occi, nova, neutron, servers,
                         get, env.get('CINDER_ENDPOINT')) + [
            # Images are read from Glance on every request, flavors kept
            # for template_cache_ttl seconds (ooi_save.backend.templates).
            ('GET /-/', lambda: get(occi + '/-/'),
             lambda: (get(nova + '/flavors/detail', **MICROVERSION),
                      get(glance + '/v2/images?limit=1000')),
             occi + '/-/', 'text/plain'),
            ('GET /-/ (JSON)', lambda: get(
                occi + '/-/', Accept='application/occi+json'),
             lambda: (get(nova + '/flavors/detail', **MICROVERSION),
                      get(glance + '/v2/images?limit=1000')),
             occi + '/-/', 'application/occi+json'),
            # A filter reads only what it names: the compute kind needs
            # no backend call (the native side reads the flavors, the
            # least a client reads to start a compute); os_tpl the images.
            ('GET /-/?category=compute kind', lambda: get(
                occi + '/-/?category=' + COMPUTE_KIND),
             lambda: get(nova + '/flavors/detail', **MICROVERSION),
             occi + '/-/?category=' + COMPUTE_KIND, 'text/plain'),
            ('GET /-/?category=os_tpl', lambda: get(
                occi + '/-/?category=' + OS_TPL),
             lambda: get(glance + '/v2/images?limit=1000'),
             occi + '/-/?category=' + OS_TPL, 'text/plain'),
        ]
        if env.get('CINDER_ENDPOINT'):
            cases += storage_cases(http, token, env, get, one, created_volumes,
                                   neutron)
        if neutron:
            net = (public or visible[0])['id']
            cases += [
                ('GET network', lambda: get(
                    occi + '/network/' + net,
                    Accept='application/occi+json'),
                 lambda: (get(neutron + '/networks/' + net),
                          get(neutron + '/subnets?network_id=' + net)),
                 occi + '/network/' + net, 'application/occi+json'),
                # The routers' interfaces tell nat_net from private_net.
                ('GET network collection (JSON)', lambda: get(
                    occi + '/network/', Accept='application/occi+json'),
                 lambda: (get(neutron + '/networks'),
                          get(neutron + '/subnets'),
                          get(neutron + '/ports?device_owner='
                              'network:router_interface')),
                 occi + '/network/', 'application/occi+json'),
                ('GET network collection (uri-list)', lambda: get(
                    occi + '/network/', Accept='text/uri-list'),
                 lambda: get(neutron + '/networks'),
                 occi + '/network/', 'text/uri-list'),
            ]
            if networks != 'none':
                cases += securitygroup_cases(get, occi, neutron, one)
            if public is not None:
                kept = http.post(neutron + '/floatingips', timeout=60,
                                 headers=token, json={'floatingip': {
                                     'floating_network_id': public['id']}})
                kept = kept.json()['floatingip']['id']
                reservations.append(kept)
                cases += [
                    ('GET ipreservation', lambda: get(
                        occi + '/ipreservation/' + kept,
                        Accept='application/occi+json'),
                     lambda: get(neutron + '/floatingips/' + kept),
                     occi + '/ipreservation/' + kept, 'application/occi+json'),
                    ('GET ipreservation collection (JSON)', lambda: get(
                        occi + '/ipreservation/',
                        Accept='application/occi+json'),
                     lambda: get(neutron + '/floatingips'),
                     occi + '/ipreservation/', 'application/occi+json'),
                ]
        else:
            print('no NEUTRON_ENDPOINT in the openrc: network requests '
                  'not measured', file=sys.stderr)
        print('%-42s %10s %10s %7s  %s' % (
            'request', 'OCCI ms', 'native ms', 'ratio', 'backend calls'))
        for name, occi_call, native_call, url, accept in cases:
            if args.only and not name.startswith(
                    tuple(args.only.split(','))):
                continue
            occi_call()
            native_call()
            occi_time, native_time = timed_pair(occi_call, native_call,
                                                args.rounds)
            calls = get(url, Accept=accept).headers.get(
                'X-OCCI-Backend-Calls', '?')
            print('%-42s %10.1f %10.1f %7.2f  %s' % (
                name, occi_time * 1000, native_time * 1000,
                occi_time / native_time, calls))
    finally:
        cinder = env.get('CINDER_ENDPOINT')
        for volume_id in created_volumes:
            http.delete('%s/servers/%s/os-volume_attachments/%s'
                        % (nova, one, volume_id), timeout=60,
                        headers=dict(token, **MICROVERSION))
        for volume_id in created_volumes:
            wait_volume(http, token, cinder, volume_id, ('available',))
            http.delete(cinder + '/volumes/' + volume_id, timeout=60,
                        headers=dict(token, **VOLUME_MICROVERSION))
        for kept in reservations:
            http.delete(neutron + '/floatingips/' + kept, headers=token,
                        timeout=60)
        if neutron and floating_ip:
            http.delete(neutron + '/floatingips/' + floating_ip,
                        headers=token, timeout=60)
        for server_id in created:
            http.delete(nova + '/servers/' + server_id, timeout=60,
                        headers=dict(token, **MICROVERSION))


def wait_volume(http, token, cinder, volume_id, statuses, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        volume = http.get(cinder + '/volumes/' + volume_id, timeout=60,
                          headers=dict(token, **VOLUME_MICROVERSION)).json()
        if volume.get('volume', {}).get('status') in statuses:
            return
        time.sleep(0.5)


def storage_cases(http, token, env, get, server_id, created_volumes,
                  neutron=None):
    """Storage and storagelink against the native Cinder and Nova calls.

    Two volumes are attached to one server, so that GET compute renders
    two storagelinks.
    """
    nova, occi, cinder = (env['NOVA_ENDPOINT'], env['OCCI_ENDPOINT'],
                          env['CINDER_ENDPOINT'])
    for number in range(2):
        response = http.post(cinder + '/volumes', timeout=60, headers=dict(
            token, **VOLUME_MICROVERSION), json={'volume': {
                'size': 1, 'name': 'bench-vol-%d' % number}})
        response.raise_for_status()
        volume_id = response.json()['volume']['id']
        created_volumes.append(volume_id)
        wait_volume(http, token, cinder, volume_id, ('available',))
        http.post('%s/servers/%s/os-volume_attachments' % (nova, server_id),
                  timeout=60, headers=dict(token, **MICROVERSION),
                  json={'volumeAttachment': {'volumeId': volume_id}}
                  ).raise_for_status()
        wait_volume(http, token, cinder, volume_id, ('in-use',))
    volume_id = created_volumes[0]
    link = '%s/storagelink/%s_%s' % (occi, server_id, volume_id)
    volumes = len(get(cinder + '/volumes', **VOLUME_MICROVERSION).json()[
        'volumes'])
    return [
        ('GET compute with 2 volumes', lambda: get(
            occi + '/compute/' + server_id, Accept='application/occi+json'),
         lambda: native_server(get, nova, neutron, server_id),
         occi + '/compute/' + server_id, 'application/occi+json'),
        ('GET storage', lambda: get(
            occi + '/storage/' + volume_id, Accept='application/occi+json'),
         lambda: get(cinder + '/volumes/' + volume_id,
                     **VOLUME_MICROVERSION),
         occi + '/storage/' + volume_id, 'application/occi+json'),
        ('GET storage collection (%d, JSON)' % volumes, lambda: get(
            occi + '/storage/', Accept='application/occi+json'),
         lambda: get(cinder + '/volumes/detail', **VOLUME_MICROVERSION),
         occi + '/storage/', 'application/occi+json'),
        ('GET storage collection (%d, uri-list)' % volumes, lambda: get(
            occi + '/storage/', Accept='text/uri-list'),
         lambda: get(cinder + '/volumes', **VOLUME_MICROVERSION),
         occi + '/storage/', 'text/uri-list'),
        ('GET storagelink', lambda: get(
            link, Accept='application/occi+json'),
         lambda: (get('%s/servers/%s/os-volume_attachments/%s' % (
             nova, server_id, volume_id), **MICROVERSION),
             get(cinder + '/volumes/' + volume_id, **VOLUME_MICROVERSION)),
         link, 'application/occi+json'),
    ]


if __name__ == '__main__':
    main()
