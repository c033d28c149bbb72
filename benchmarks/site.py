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

"""A site-sized project on the mini-cloud, for the benchmarks.

Not a test. It makes (or finds again, from an earlier run) one Keystone
project ``ooi-bench-site`` and its member, with Nova quotas for a site,
``--images`` private images (queued, without data: a template needs none
to be listed), ``--computes`` servers (a few on the project's own network,
so that their computes render links, the others without network, booted
by multi-create requests as tests/functional/test_site_size.py does) and
two volumes. It then writes ``<state>/bench-site/openrc``: the mini-cloud's
openrc with the member's token and the project's Cinder endpoint, and the
benchmarks run with ``MINICLOUD_STATE_DIR`` pointing there, so they act as
the site's member. The project is kept for the next run (``--remove``
deletes it)::

    python benchmarks/site.py              # seed, print the state dir
    python benchmarks/site.py --remove
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import sys
import time
import uuid

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICROVERSION = {'OpenStack-API-Version': 'compute 2.90'}
NAME = 'ooi-bench-site'
#: Servers booted on the project's network (they render a link).
NETWORKED = 10


def state_dir():
    return os.path.abspath(os.environ.get(
        'MINICLOUD_STATE_DIR', os.path.join(ROOT, '.minicloud')))


def read_openrc(path):
    values = {}
    with open(path) as f:
        for line in f:
            if line.startswith('export '):
                name, _, value = line[7:].strip().partition('=')
                values[name] = ''.join(shlex.split(value))
    return values


class Site:
    """The site project, as its member and as the admin."""

    def __init__(self, env, here):
        self.env = env
        self.here = here
        self.keystone = env['OS_AUTH_URL'].rstrip('/')
        if not self.keystone.endswith('/v3'):
            self.keystone += '/v3'
        self.nova_url = env['NOVA_ENDPOINT']
        self.glance_url = env['GLANCE_ENDPOINT']
        self.neutron_url = env.get('NEUTRON_ENDPOINT', '').rstrip('/')
        self.admin = {'X-Auth-Token': env['OS_TOKEN_ADMIN']}
        self.token = None
        self.project_id = None

    def _admin(self, method, url, body=None):
        answer = requests.request(method, url, json=body, timeout=60,
                                  headers=dict(self.admin, **MICROVERSION))
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def call(self, method, url, body=None, headers=None):
        answer = requests.request(
            method, url, json=body, timeout=300,
            headers=dict({'X-Auth-Token': self.token}, **(headers or {})))
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def nova(self, method, path, body=None):
        return self.call(method, self.nova_url + path, body, MICROVERSION)

    def login(self):
        """Find or make the project and its member; take a token."""
        secret_path = os.path.join(self.here, 'site.json')
        found = self._admin('GET', self.keystone + '/projects?name=' + NAME)
        secret = None
        if found['projects'] and os.path.exists(secret_path):
            with open(secret_path) as f:
                secret = json.load(f)
            if secret['project_id'] != found['projects'][0]['id']:
                secret = None
        if secret is None:
            if found['projects']:
                project_id = found['projects'][0]['id']
            else:
                project_id = self._admin(
                    'POST', self.keystone + '/projects', {'project': {
                        'name': NAME, 'domain_id': 'default'}})[
                            'project']['id']
            users = self._admin('GET', self.keystone + '/users?name=' + NAME)
            password = uuid.uuid4().hex
            if users['users']:
                user_id = users['users'][0]['id']
                self._admin('PATCH', self.keystone + '/users/' + user_id,
                            {'user': {'password': password}})
            else:
                user_id = self._admin('POST', self.keystone + '/users', {
                    'user': {'name': NAME, 'password': password,
                             'domain_id': 'default',
                             'default_project_id': project_id}})[
                                 'user']['id']
            role = self._admin('GET', self.keystone + '/roles?name=member')
            requests.put(self.keystone + '/projects/%s/users/%s/roles/%s' % (
                project_id, user_id, role['roles'][0]['id']),
                headers=self.admin, timeout=30).raise_for_status()
            secret = {'project_id': project_id, 'user_id': user_id,
                      'password': password}
            os.makedirs(self.here, exist_ok=True)
            with open(secret_path, 'w') as f:
                json.dump(secret, f)
        self.project_id = secret['project_id']
        self.password = secret['password']
        answer = requests.post(self.keystone + '/auth/tokens', timeout=30,
                               json={'auth': {
                                   'identity': {
                                       'methods': ['password'],
                                       'password': {'user': {
                                           'id': secret['user_id'],
                                           'password': secret['password']}}},
                                   'scope': {'project': {
                                       'id': self.project_id}}}})
        answer.raise_for_status()
        self.token = answer.headers['X-Subject-Token']

    def quotas(self, computes):
        room = computes + 40
        self._admin('PUT', self.nova_url + '/os-quota-sets/' +
                    self.project_id, {'quota_set': {
                        'instances': room, 'cores': room,
                        'ram': room * 1024}})

    def images(self, count):
        listed = self.call('GET', self.glance_url + '/v2/images?limit=1000&'
                           'owner=' + self.project_id)['images']
        missing = count - len(listed)

        def make(number):
            return self.call('POST', self.glance_url + '/v2/images', {
                'name': 'site image %03d' % number, 'disk_format': 'raw',
                'container_format': 'bare', 'visibility': 'private'})['id']
        if missing > 0:
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                list(pool.map(make, range(len(listed), count)))
        return max(count, len(listed))

    def network(self):
        """The project's own network and subnet (made once)."""
        if not self.neutron_url:
            return None
        url = self.neutron_url + '/v2.0'
        mine = [n for n in self.call('GET', url + '/networks?name=site-net')[
            'networks'] if n['tenant_id'] == self.project_id]
        if mine:
            return mine[0]['id']
        net = self.call('POST', url + '/networks', {'network': {
            'name': 'site-net'}})['network']['id']
        self.call('POST', url + '/subnets', {'subnet': {
            'network_id': net, 'ip_version': 4, 'cidr': '10.77.0.0/24',
            'name': 'site-subnet'}})
        return net

    def computes(self, count, network):
        servers = self.nova('GET', '/servers?limit=1000')['servers']
        missing = count - len(servers)
        image = self.call('GET', self.glance_url +
                          '/v2/images?name=cirros-fake')['images'][0]['id']
        flavor = [f for f in self.nova('GET', '/flavors/detail')['flavors']
                  if f['name'] == 'm1.tiny'][0]['id']
        batches = []
        if missing > 0 and network and not servers:
            batches.append((min(NETWORKED, missing), [{'uuid': network}]))
            missing -= batches[-1][0]
        while missing > 0:
            batch = min(50, missing)
            batches.append((batch, 'none'))
            missing -= batch
        for number, networks in batches:
            self.nova('POST', '/servers', {'server': {
                'name': 'site-vm', 'imageRef': image, 'flavorRef': flavor,
                'networks': networks, 'min_count': number,
                'max_count': number}})
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            servers = self.nova('GET', '/servers/detail?limit=1000')[
                'servers']
            if all(s['status'] in ('ACTIVE', 'ERROR') for s in servers):
                break
            time.sleep(3)
        return len(servers)

    def volumes(self, count):
        cinder = self.cinder_url()
        if not cinder:
            return 0
        headers = {'OpenStack-API-Version': 'volume 3.42'}
        listed = self.call('GET', cinder + '/volumes', headers=headers)[
            'volumes']
        for number in range(len(listed), count):
            self.call('POST', cinder + '/volumes', {'volume': {
                'size': 1, 'name': 'site-vol-%d' % number}}, headers)
        return max(count, len(listed))

    def cinder_url(self):
        cinder = self.env.get('CINDER_ENDPOINT')
        if not cinder:
            return None
        return cinder.rsplit('/', 1)[0] + '/' + self.project_id

    def remove(self):
        servers = self.nova('GET', '/servers?limit=1000')['servers']
        images = self.call('GET', self.glance_url + '/v2/images?limit=1000&'
                           'owner=' + self.project_id)['images']
        urls = ([self.nova_url + '/servers/' + s['id'] for s in servers] +
                [self.glance_url + '/v2/images/' + i['id'] for i in images])
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda url: requests.delete(
                url, timeout=120, headers={'X-Auth-Token': self.token}),
                urls))

    def write_openrc(self, source):
        lines = []
        with open(source) as f:
            for line in f:
                # The member of the site project, by token and by
                # password alike.
                if line.startswith('export OS_TOKEN='):
                    line = 'export OS_TOKEN=%s\n' % shlex.quote(self.token)
                elif line.startswith('export OS_USERNAME='):
                    line = 'export OS_USERNAME=%s\n' % shlex.quote(NAME)
                elif line.startswith('export OS_PASSWORD='):
                    line = 'export OS_PASSWORD=%s\n' % shlex.quote(
                        self.password)
                elif line.startswith('export OS_PROJECT_NAME='):
                    line = 'export OS_PROJECT_NAME=%s\n' % shlex.quote(NAME)
                elif (line.startswith('export CINDER_ENDPOINT=') and
                      self.cinder_url()):
                    line = 'export CINDER_ENDPOINT=%s\n' % shlex.quote(
                        self.cinder_url())
                lines.append(line)
        with open(os.path.join(self.here, 'openrc'), 'w') as f:
            f.writelines(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--images', type=int, default=150)
    parser.add_argument('--computes', type=int, default=100)
    parser.add_argument('--volumes', type=int, default=2)
    parser.add_argument('--remove', action='store_true')
    args = parser.parse_args()
    source = os.path.join(state_dir(), 'openrc')
    here = os.path.join(state_dir(), 'bench-site')
    site = Site(read_openrc(source), here)
    site.login()
    if args.remove:
        site.remove()
        return
    started = time.monotonic()
    site.quotas(args.computes)
    images = site.images(args.images)
    computes = site.computes(args.computes, site.network())
    volumes = site.volumes(args.volumes)
    site.write_openrc(source)
    print('site project %s: %d images, %d computes, %d volumes (%.0f s)' % (
        site.project_id, images, computes, volumes,
        time.monotonic() - started), file=sys.stderr)
    print(here)


if __name__ == '__main__':
    main()
