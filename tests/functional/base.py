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

"""Functional tests: the real filter in a real nova-api.

The first test to need it brings the mini-cloud up (``tools/minicloud``),
once per run; a mini-cloud already up is reused. Parallel test workers wait
on one file lock, so only one of them starts it.
"""

import fcntl
import os
import shlex
import subprocess
import sys
import time
import uuid

import requests
import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
STATE = os.path.abspath(os.environ.get('MINICLOUD_STATE_DIR',
                                       os.path.join(ROOT, '.minicloud')))
OPENRC = os.path.join(STATE, 'openrc')
CLI = os.path.join(ROOT, 'tools', 'minicloud', 'cli.py')

MICROVERSION = 'compute 2.90'

_ENV = None


def _read_openrc(path):
    values = {}
    with open(path) as openrc:
        for line in openrc:
            line = line.strip()
            if line.startswith('export '):
                name, _, value = line[len('export '):].partition('=')
                values[name] = ''.join(shlex.split(value))
    return values


def minicloud():
    """The mini-cloud's openrc values, bringing it up if needed."""
    global _ENV
    if _ENV is None:
        os.makedirs(STATE, exist_ok=True)
        with open(os.path.join(STATE, '.tests.lock'), 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            subprocess.run([sys.executable, CLI, 'up'], check=True,
                           stdout=sys.stderr)
        _ENV = _read_openrc(OPENRC)
    return _ENV


class TestCase(testtools.TestCase):
    """Helpers to talk OCCI and native OpenStack to the mini-cloud."""

    def setUp(self):
        super().setUp()
        self.env = minicloud()
        self.occi_url = self.env['OCCI_ENDPOINT']
        self.nova_url = self.env['NOVA_ENDPOINT']
        # Each nova-api node's own endpoints (the two above are HAProxy's).
        self.occi_nodes = self.env['OCCI_NODES'].split()
        self.nova_nodes = self.env['NOVA_NODES'].split()
        self.glance_url = self.env['GLANCE_ENDPOINT']
        self.token = self.env['OS_TOKEN']
        self.alt_token = self.env['OS_TOKEN_ALT']
        self.admin_token = self.env['OS_TOKEN_ADMIN']

    def occi(self, method, path, token=None, headers=None, data=None,
             url=None):
        """An OCCI request; ``path`` is below the OCCI root."""
        all_headers = {'X-Auth-Token': token or self.token}
        all_headers.update(headers or {})
        return requests.request(method, (url or self.occi_url) + path,
                                headers=all_headers, data=data,
                                timeout=120)

    def nova(self, method, path, token=None, body=None, expect=None):
        """A native compute API request."""
        response = requests.request(
            method, self.nova_url + path, json=body, timeout=120,
            headers={'X-Auth-Token': token or self.token,
                     'OpenStack-API-Version': MICROVERSION})
        if expect is not None:
            self.assertEqual(expect, response.status_code, response.text)
        return response

    def glance(self, method, path, token=None):
        return requests.request(
            method, self.glance_url + path, timeout=60,
            headers={'X-Auth-Token': token or self.token})

    def image_by_name(self, name):
        images = self.glance('GET', '/v2/images?name=%s' % name).json()
        return images['images'][0]

    def flavor(self, name='m1.tiny'):
        for flavor in self.nova('GET', '/flavors/detail').json()['flavors']:
            if flavor['name'] == name:
                return flavor
        self.fail('no flavor %s in the mini-cloud' % name)

    def boot(self, name=None, token=None, wait=True, metadata=None):
        """Boot a server natively; it is deleted when the test ends."""
        body = {'server': {
            'name': name or 'ft-%s' % uuid.uuid4().hex[:8],
            'imageRef': self.image_by_name('cirros-fake')['id'],
            'flavorRef': self.flavor()['id'],
            'networks': 'none'}}
        if metadata:
            body['server']['metadata'] = metadata
        server = self.nova('POST', '/servers', token=token, body=body,
                           expect=202).json()['server']
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % server['id'],
                        token=token)
        if wait:
            self.wait_server(server['id'], 'ACTIVE', token=token)
        return server['id']

    def wait_server(self, server_id, status, token=None, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            server = self.nova('GET', '/servers/%s' % server_id,
                               token=token).json()['server']
            if server['status'] == status and not server.get(
                    'OS-EXT-STS:task_state'):
                return server
            if server['status'] == 'ERROR' or time.monotonic() > deadline:
                self.fail('server %s is %s/%s, not %s' % (
                    server_id, server['status'],
                    server.get('OS-EXT-STS:task_state'), status))
            time.sleep(0.3)
