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

The test modules share the client below: :class:`TestCase` talks OCCI and
native OpenStack to the mini-cloud, :func:`render` and :func:`render_action`
render requests as a client does, :class:`Answer` reads an answer the way a
client reads each rendering.
"""

import fcntl
import json
import os
import re
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

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'
SSH_KEY = 'http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key'
USER_DATA = 'http://schemas.ogf.org/occi/infrastructure/compute#user_data'

BODY_TYPES = ('text/plain', 'text/occi+plain', 'text/occi',
              'application/occi+json')
ENTITY_TYPES = ('text/plain', 'text/occi+plain', 'text/occi',
                'application/occi+json')
LISTING_TYPES = ENTITY_TYPES + ('text/uri-list',)

_ATTRIBUTE = re.compile(r'\s*([\w.]+)=("(?:[^"\\]|\\.)*"|[^,]*)\s*,?')
_CATEGORY = re.compile(r'\s*([^;,\s]+);\s*scheme="([^"]+)"')
_LINK = re.compile(r'<([^>]+)>;\s*rel="([^"]+)"')


def _category(type_id, cls):
    scheme, _, term = type_id.partition('#')
    return '%s; scheme="%s#"; class="%s"' % (term, scheme, cls)


def _value(text):
    return json.loads(text) if text[:1] in '"-0123456789tfn[{' else text


def render(body_type, kind=None, mixins=(), attributes=None):
    """An entity as a client renders it: (headers, body)."""
    attributes = attributes or {}
    categories = ([(kind, 'kind')] if kind else []) + [
        (mixin, 'mixin') for mixin in mixins]
    if body_type.endswith('json'):
        entity = {'attributes': attributes}
        if kind:
            entity['kind'] = kind
        if mixins:
            entity['mixins'] = list(mixins)
        return {'Content-Type': body_type}, json.dumps(entity)
    lines = [('Category', _category(*c)) for c in categories] + [
        ('X-OCCI-Attribute', '%s=%s' % (name, json.dumps(value)))
        for name, value in attributes.items()]
    return render_lines(body_type, lines)


def render_lines(body_type, lines):
    """Rendered (name, value) lines: text/occi headers or a text body.

    :returns: (headers, body)
    """
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi'}
        for name, value in lines:
            headers[name] = (headers[name] + ', ' + value
                             if name in headers else value)
        return headers, None
    return {'Content-Type': body_type}, ''.join(
        '%s: %s\n' % line for line in lines)


def render_action(body_type, term, method=None):
    """An action invocation as a client renders it: (headers, body)."""
    attributes = {'method': method} if method else {}
    if body_type.endswith('json'):
        body = {'action': ACTION + term}
        if attributes:
            body['attributes'] = attributes
        return {'Content-Type': body_type}, json.dumps(body)
    lines = [('Category', '%s; scheme="%s"; class="action"'
              % (term, ACTION))]
    lines += [('X-OCCI-Attribute', 'method="%s"' % method)] if method else []
    if body_type == 'text/occi':
        return dict(lines, **{'Content-Type': 'text/occi'}), None
    return {'Content-Type': body_type}, ''.join('%s: %s\n' % line
                                                for line in lines)


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
        self.neutron_url = self.env.get('NEUTRON_ENDPOINT', '').rstrip('/')
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

    def neutron(self, method, path, token=None, body=None, expect=None):
        """A native networking API v2.0 request."""
        response = requests.request(
            method, self.neutron_url + '/v2.0' + path, json=body,
            timeout=60, headers={'X-Auth-Token': token or self.token})
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

    def flavor_term(self, name='m1.tiny'):
        """The resource_tpl term of a flavor: its id.

        The mini-cloud's flavor ids fit OCCI 1.1's grammar.
        """
        return self.flavor(name)['id']

    def learn_flavor_names(self):
        """Have every nova-api node list the flavors once.

        A node renders a compute's resource_tpl term (the flavor id) from
        the flavor names a listing showed it: the first compute read of a
        node that never listed them costs one Nova call more. Tests that
        count a read's calls count the steady cost.
        """
        for node in self.occi_nodes:
            response = self.occi('GET', '/-/', url=node,
                                 headers={'Accept': 'application/json'})
            self.assertEqual(200, response.status_code, response.text)

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

    def assertDeleting(self, server_id, token=None):
        """Nova is deleting the server, or has done so.

        Right after a DELETE Nova shows task_state "deleting"; once the
        compute is done the server is DELETED for a moment before it is
        gone (404).
        """
        response = self.nova('GET', '/servers/' + server_id, token=token)
        if response.status_code == 404:
            return
        server = response.json()['server']
        self.assertTrue(server.get('OS-EXT-STS:task_state') == 'deleting' or
                        server['status'] == 'DELETED',
                        '%s is %s/%s' % (server_id, server['status'],
                                         server.get('OS-EXT-STS:task_state')))


class Answer:
    """An OCCI answer read the way a client reads each rendering."""

    def __init__(self, response, root_url):
        self.response = response
        self.root_url = root_url
        self.type = response.headers.get('Content-Type', '').split(';')[0]
        self.status = response.status_code
        if self.type.endswith('json'):
            self.json = response.json()
            return
        if self.type == 'text/occi':
            headers = response.headers
            self.lines = [(name, value) for name in (
                'Category', 'Link', 'X-OCCI-Attribute', 'X-OCCI-Location')
                for value in [headers.get(name)] if value]
        else:
            self.lines = [tuple(part.strip() for part in line.split(':', 1))
                          for line in response.text.splitlines()
                          if ':' in line and not line.startswith('http')]

    def _all(self, name):
        return [value for key, value in self.lines
                if key.lower() == name.lower()]

    def attributes(self):
        if self.type.endswith('json'):
            values = dict(self.json.get('attributes', {}))
            values['occi.core.id'] = self.json.get('id')
            values['occi.core.title'] = self.json.get('title')
            return values
        values = {}
        for line in self._all('X-OCCI-Attribute'):
            for name, value in _ATTRIBUTE.findall(line):
                values[name] = _value(value)
        return values

    def mixins(self):
        if self.type.endswith('json'):
            return set(self.json.get('mixins', ()))
        found = set()
        for line in self._all('Category'):
            for term, scheme in _CATEGORY.findall(
                    re.sub(r'"[^"]*"', lambda m: m.group(0).replace(
                        ',', ' '), line)):
                found.add(scheme + term)
        return found - {INFRA + 'compute'}

    def actions(self):
        """The actions offered by ActionLinks, by term."""
        if self.type.endswith('json'):
            return {a.rpartition('#')[2] for a in self.json.get(
                'actions', ())}
        return {rel.rpartition('#')[2]
                for line in self._all('Link')
                for location, rel in _LINK.findall(line)
                if '?action=' in location and rel.startswith(ACTION)}

    def locations(self):
        if self.type == 'text/uri-list':
            return [line for line in self.response.text.split()
                    if not line.startswith('#')]
        if self.type.endswith('json'):
            # GFD.225 renders no location in a resource: a client makes
            # it from the id, below the kind's location.
            body = self.json
            resources = body.get('resources', [body])
            return ['%s/compute/%s' % (self.root_url, r['id'])
                    for r in resources]
        return [location.strip() for line in self._all('X-OCCI-Location')
                for location in line.split(',')]

    def error(self):
        if self.type.endswith('json'):
            return self.json['error']['message']
        return self.response.text


class ComputeTestBase(TestCase):
    """Compute through OCCI, checked against Nova and Glance natively."""

    def setUp(self):
        super().setUp()
        self.image_id = self.image_by_name('cirros-fake')['id']

    def answer(self, response):
        return Answer(response, self.occi_url)

    def create(self, body_type='text/plain', accept='text/plain',
               title=None, flavor='m1.tiny', image_id=None, mixins=(),
               attributes=None, token=None, expect=201):
        """Create a compute through OCCI; it is deleted when the test ends.

        :returns: (server id, :class:`Answer`)
        """
        title = title or 'occi-%s' % uuid.uuid4().hex[:8]
        templates = []
        if image_id is not False:
            templates.append(OS + (image_id or self.image_id))
        if flavor:
            templates.append(RES + self.flavor_term(flavor))
        headers, data = render(
            body_type, INFRA + 'compute', templates + list(mixins),
            dict({'occi.core.title': title}, **(attributes or {})))
        headers['Accept'] = accept
        response = self.occi('POST', '/compute/', token=token,
                             headers=headers, data=data)
        self.assertEqual(expect, response.status_code, response.text)
        if expect != 201:
            return None, self.answer(response)
        location = response.headers['Location']
        self.assertTrue(location.startswith(self.occi_url + '/compute/'))
        server_id = location.rsplit('/', 1)[1]
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % server_id,
                        token=token)
        return server_id, self.answer(response)

    def assertListingCost(self, response, accept):
        """One Nova listing; in full renderings, the page's links too.

        Full renderings list the page's ports in one call, and the
        project's floating IPs in a second one when Nova shows one on a
        compute of the page (tests running alongside make some): never
        one call per compute. Lists of locations read the servers being
        deleted, then Nova's summary listing of the others.
        """
        calls = dict(item.split('=') for item in response.headers[
            'X-OCCI-Backend-Calls'].split(', '))
        self.assertEqual(('1' if accept.endswith('json') else '2', '0'),
                         (calls['nova'], calls['glance']))
        if accept.endswith('json'):
            self.assertIn(calls['neutron'], ('1', '2'))
        else:
            self.assertNotIn('neutron', calls)

    def read(self, server_id, accept='application/occi+json', token=None):
        response = self.occi('GET', '/compute/%s' % server_id, token=token,
                             headers={'Accept': accept})
        self.assertEqual(200, response.status_code, response.text)
        return self.answer(response)

    def act(self, server_id, term, method=None, body_type='text/plain',
            accept='application/occi+json', token=None):
        headers, data = render_action(body_type, term, method)
        headers['Accept'] = accept
        return self.occi('POST', '/compute/%s?action=%s' % (server_id, term),
                         token=token, headers=headers, data=data)

    def server(self, server_id, token=None):
        return self.nova('GET', '/servers/%s' % server_id, token=token,
                         expect=200).json()['server']

    def instance_actions(self, server_id, token=None):
        """Nova's action log of a server, oldest first."""
        actions = self.nova('GET', '/servers/%s/os-instance-actions'
                            % server_id, token=token,
                            expect=200).json()['instanceActions']
        return [a['action'] for a in reversed(actions)]

    def wait_gone(self, server_id, token=None):
        for _ in range(120):
            if self.nova('GET', '/servers/%s' % server_id,
                         token=token).status_code == 404:
                return
            time.sleep(0.5)
        self.fail('server %s was not deleted' % server_id)

    def upload_image(self, name, data=b'occi functional test image\n'):
        """A private image of the demo project; deleted when the test ends.

        :param data: its content, or None to leave it queued (no upload)
        """
        response = requests.post(
            self.glance_url + '/v2/images', timeout=60,
            headers={'X-Auth-Token': self.token},
            json={'name': name, 'disk_format': 'raw',
                  'container_format': 'bare', 'visibility': 'private'})
        self.assertEqual(201, response.status_code, response.text)
        image = response.json()
        self.addCleanup(self.glance, 'DELETE', '/v2/images/' + image['id'])
        if data is not None:
            response = requests.put(
                self.glance_url + '/v2/images/%s/file' % image['id'],
                data=data, timeout=60, headers={
                    'X-Auth-Token': self.token,
                    'Content-Type': 'application/octet-stream'})
            self.assertEqual(204, response.status_code, response.text)
            for _ in range(60):
                image = self.glance('GET', '/v2/images/' + image['id']).json()
                if image['status'] == 'active':
                    break
                time.sleep(0.5)
            self.assertEqual('active', image['status'])
        return image
