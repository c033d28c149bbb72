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

"""The ``occi`` command as users run it, against the mini-cloud.

Each test runs the installed ``occi`` console script (``python -m
ooi_save.cmd.occi`` where the environment has no script yet) in a
subprocess, with the mini-cloud's openrc in its environment: OCCI through
HAProxy, the demo user's token, or its password and the catalog. Output is
piped, so ``--wait`` prints no progress line: stderr stays empty on
success. What the commands did is checked natively, in Nova and Glance.
"""

import json
import os
import subprocess
import sys
import uuid

import fixtures

from tests.functional import base

RENDERINGS = ('application/occi+json', 'text/plain', 'text/occi')


def occi_command():
    """The ``occi`` console script beside this Python, else the module."""
    script = os.path.join(os.path.dirname(sys.executable), 'occi')
    if os.path.exists(script):
        return [script]
    return [sys.executable, '-m', 'ooi_save.cmd.occi']


class ClientTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cache = self.useFixture(fixtures.TempDir()).path
        self.environ = dict(os.environ, XDG_CACHE_HOME=self.cache,
                            PYTHONPATH=base.ROOT)
        for name in ('OS_CLOUD', 'OCCI_RENDERING', 'OCCI_CACHE_TTL'):
            self.environ.pop(name, None)
        self.environ.update({name: value for name, value in self.env.items()
                             if name.startswith(('OS_', 'OCCI_'))})

    def run_occi(self, *argv, rendering='application/occi+json', env=None):
        """(exit code, stdout, stderr) of one ``occi`` command."""
        done = subprocess.run(
            occi_command() + ['--rendering', rendering,
                              '--poll-interval', '0.3'] + list(argv),
            env=env or self.environ, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=300)
        return done.returncode, done.stdout, done.stderr

    def ok(self, *argv, **kwargs):
        code, out, err = self.run_occi(*argv, **kwargs)
        self.assertEqual(0, code, 'occi %s: %s' % (' '.join(argv), err))
        self.assertEqual('', err, 'occi %s' % ' '.join(argv))
        return out

    def shown(self, *argv, **kwargs):
        return json.loads(self.ok(*(argv + ('-f', 'json')), **kwargs))

    def test_life_deferred_save_and_boot_in_every_rendering(self):
        for rendering in RENDERINGS:
            tag = '%s-%s' % (rendering.split('/')[1].replace('+', ''),
                             uuid.uuid4().hex[:6])
            title = 'ft-cli-' + tag
            made = self.shown('compute', 'create', '--os-tpl', 'cirros-fake',
                              '--resource-tpl', 'm1.tiny', '--title', title,
                              '--network', 'private', '--wait', '--timeout',
                              '120', rendering=rendering)
            self.addCleanup(self.nova, 'DELETE', '/servers/' + made['id'])
            self.assertEqual((title, 'active'),
                             (made['title'], made['occi.compute.state']))
            server = self.wait_server(made['id'], 'ACTIVE')
            self.assertEqual(title, server['name'])
            listed = self.shown('compute', 'list', '--long',
                                rendering=rendering)
            self.assertIn((made['id'], title),
                          [(row['ID'], row['Title']) for row in listed])

            stopped = self.shown('compute', 'action', title, 'stop',
                                 '--wait', rendering=rendering)
            self.assertEqual('inactive', stopped['occi.compute.state'])
            self.assertEqual('SHUTOFF', self.nova(
                'GET', '/servers/' + made['id']).json()['server']['status'])
            self.ok('compute', 'action', made['id'], 'start', '--wait',
                    rendering=rendering)

            name = 'ft-cli-saved-' + tag
            saved = self.shown('compute', 'save', title, '--method',
                               'deferred', '--name', name, '--wait',
                               '--timeout', '120', rendering=rendering)
            self.addCleanup(self.glance, 'DELETE',
                            '/v2/images/' + saved['os_tpl'])
            image = self.glance('GET', '/v2/images/' +
                                saved['os_tpl']).json()
            self.assertEqual((name, 'active', 'deferred'),
                             (image['name'], image['status'],
                              image.get('ooi_save_method')))
            # --wait came back with the compute active again, its save done.
            server = self.nova('GET', '/servers/' +
                               made['id']).json()['server']
            self.assertEqual(('ACTIVE', None),
                             (server['status'],
                              server.get('OS-EXT-STS:task_state')))

            booted = self.shown('compute', 'create', '--os-tpl', name,
                                '--resource-tpl', 'm1.tiny', '--wait',
                                '--timeout', '120', rendering=rendering)
            self.addCleanup(self.nova, 'DELETE', '/servers/' + booted['id'])
            self.assertEqual(saved['os_tpl'], self.nova(
                'GET', '/servers/' + booted['id']).json()['server'][
                    'image']['id'])

            for compute in (made['id'], booted['id']):
                self.ok('compute', 'delete', compute, '--wait',
                        rendering=rendering)
                # Gone for OCCI; Nova may still be finishing the deletion.
                self.assertDeleting(compute)
            listed = self.shown('compute', 'list', rendering=rendering)
            self.assertFalse({made['id'], booted['id']} &
                             {row['ID'] for row in listed})

    def test_error_is_one_line(self):
        for rendering in RENDERINGS:
            code, out, err = self.run_occi(
                'compute', 'show', str(uuid.uuid4()), rendering=rendering)
            self.assertEqual(1, code)
            self.assertEqual('', out)
            self.assertEqual(1, len(err.strip().splitlines()), err)
            self.assertRegex(err, r'^HTTP 404: .+ \(request req-[0-9a-f-]+\)')

    def test_password_and_catalog(self):
        environ = dict(self.environ)
        for name in ('OCCI_ENDPOINT', 'OS_TOKEN'):
            environ.pop(name)
        code, out, err = self.run_occi('template', 'list', '--resource',
                                       '-f', 'value', '-c', 'Name',
                                       env=environ)
        self.assertEqual(0, code, err)
        self.assertIn('m1.tiny', out.split())

    def test_network_storage_and_mixin_one_rendering_each(self):
        # Each kind in one rendering (the unit tests take every kind
        # through every rendering): a network in JSON, a storage in
        # text/plain, a user mixin in text/occi.
        tag = uuid.uuid4().hex[:6]
        net = self.shown('network', 'create', '--title', 'ft-net-' + tag,
                         '--address', '10.77.0.0/24',
                         rendering='application/occi+json')
        self.addCleanup(self.neutron, 'DELETE', '/networks/' + net['id'])
        [subnet] = self.neutron('GET', '/networks/' + net['id']).json()[
            'network']['subnets']
        self.assertEqual('10.77.0.0/24', self.neutron(
            'GET', '/subnets/' + subnet).json()['subnet']['cidr'])
        renamed = self.shown('network', 'update', 'ft-net-' + tag,
                             '--title', 'ft-net2-' + tag,
                             rendering='application/occi+json')
        self.assertEqual('ft-net2-' + tag, renamed['title'])
        self.ok('network', 'delete', 'ft-net2-' + tag,
                rendering='application/occi+json')
        self.assertEqual(404, self.neutron(
            'GET', '/networks/' + net['id']).status_code)

        disk = self.shown('storage', 'create', '--title', 'ft-disk-' + tag,
                          '--size', '1', rendering='text/plain')
        listed = self.shown('storage', 'list', '--long',
                            rendering='text/plain')
        self.assertIn((disk['id'], 'ft-disk-' + tag),
                      [(row['ID'], row['Title']) for row in listed])
        self.ok('storage', 'delete', 'ft-disk-' + tag,
                rendering='text/plain')

        server_id = self.boot()
        term = 'ftcli' + tag
        self.ok('mixin', 'create', term, '--title', 'FT ' + tag,
                rendering='text/occi')
        self.addCleanup(self.run_occi, 'mixin', 'delete', term)
        self.ok('mixin', 'add', 'FT ' + tag, server_id,
                rendering='text/occi')
        server = self.nova('GET', '/servers/' + server_id).json()['server']
        self.assertEqual(1, len(server['tags']), server['tags'])
        self.assertIn('#' + term, self.shown(
            'compute', 'show', server_id, rendering='text/occi')['mixins'])
        self.ok('mixin', 'remove', term, server_id, rendering='text/occi')
        server = self.nova('GET', '/servers/' + server_id).json()['server']
        self.assertEqual([], server['tags'])
        self.ok('mixin', 'delete', term, rendering='text/occi')
        listed = self.shown('mixin', 'list', rendering='text/occi')
        self.assertNotIn(term, [row['Term'] for row in listed])
