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

"""``occi compute`` against the real filter: a compute's life in every
rendering, names for ids, the discovery cache, errors on one line."""

import json

import testtools

from tests.unit import base as unit_base
from tests.unit.client_occi import base

OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'


class ComputeLifeTest(base.ClientTestCase):

    def test_life_in_every_rendering(self):
        for rendering in base.RENDERINGS:
            title = 'web-' + rendering.replace('/', '-').replace('+', '-')
            start = len(self.wire.sent)
            shown = json.loads(self.ok(
                'compute', 'create', '--os-tpl', 'cirros',
                '--resource-tpl', 'm1.tiny', '--title', title,
                '--network', 'private', '--wait', '-f', 'json',
                rendering=rendering))
            self.assertEqual(title, shown['title'])
            self.assertEqual('active', shown['occi.compute.state'])
            self.assertIn(OS + 'image-1', shown['mixins'].split('\n'))
            server = self.cloud.nova.servers[shown['id']]
            self.assertEqual(title, server['name'])
            self.assertEqual('image-1', server['image']['id'])
            self.assertEqual([self.cloud.private['id']], [
                port['network_id']
                for port in self.cloud.ports_of(shown['id'])])
            # The request bodies and the answers were in the rendering.
            for method, path, content_type, accept in self.wire.sent[start:]:
                self.assertEqual(rendering, accept, path)
                if content_type:
                    self.assertTrue(content_type.startswith(rendering),
                                    (path, content_type))

            stopped = self.ok('compute', 'action', title, 'stop', '--wait',
                              '-f', 'value', '-c', 'occi.compute.state',
                              rendering=rendering)
            self.assertEqual('inactive\n', stopped)
            self.assertEqual('SHUTOFF', server['status'])
            started = self.ok('compute', 'action', shown['id'], 'start',
                              '--wait', '-f', 'value', '-c',
                              'occi.compute.state', rendering=rendering)
            self.assertEqual('active\n', started)

            self.ok('compute', 'delete', title, '--wait',
                    rendering=rendering)
            self.assertNotIn(shown['id'], self.cloud.nova.servers)

    def test_list_and_show_in_every_rendering(self):
        first = self.boot('first')
        second = self.boot('second')
        for rendering in base.RENDERINGS:
            listed = json.loads(self.ok('compute', 'list', '--long', '-f',
                                        'json', rendering=rendering))
            self.assertEqual(
                sorted([(first['id'], 'first', 'active'),
                        (second['id'], 'second', 'active')]),
                sorted((row['ID'], row['Title'], row['State'])
                       for row in listed))
            shown = self.ok('compute', 'show', 'second', '-f', 'value',
                            '-c', 'id', '-c', 'occi.compute.state',
                            rendering=rendering)
            self.assertEqual('%s\nactive\n' % second['id'], shown)

    def test_long_text_listing_reads_each_compute_in_order(self):
        made = [self.boot('vm-%02d' % n)['id'] for n in range(12)]
        listed = json.loads(self.ok('compute', 'list', '-f', 'json',
                                    rendering='text/plain'))
        start = len(self.wire.sent)
        long = json.loads(self.ok('compute', 'list', '--long', '-f',
                                  'json', rendering='text/plain'))
        # The listing's order, each compute read once, titles filled in.
        self.assertEqual([row['Location'] for row in listed],
                         [row['Location'] for row in long])
        self.assertEqual(sorted(made), sorted(row['ID'] for row in long))
        self.assertEqual({'active'}, {row['State'] for row in long})
        self.assertTrue(all(row['Title'].startswith('vm-') for row in long))
        reads = [path for method, path, _, _ in self.wire.sent[start:]
                 if method == 'GET' and path.startswith('/compute/') and
                 path != '/compute/']
        self.assertEqual(12, len(reads))

    def test_json_lists_in_one_request_text_lists_locations(self):
        self.boot('only')
        self.ok('compute', 'list')
        start = len(self.wire.sent)
        listed = json.loads(self.ok('compute', 'list', '-f', 'json'))
        self.assertEqual(1, len(self.wire.sent) - start, self.wire.sent)
        self.assertEqual('only', listed[0]['Title'])
        listed = json.loads(self.ok('compute', 'list', '-f', 'json',
                                    rendering='text/plain'))
        self.assertEqual('', listed[0]['Title'])
        self.assertIn('/compute/', listed[0]['Location'])

    def test_templates_by_name_or_id(self):
        by_id = json.loads(self.ok(
            'compute', 'create', '--os-tpl', 'image-1', '--resource-tpl',
            '2', '-f', 'json'))
        self.assertIn(RES + '2', by_id['mixins'].split('\n'))
        code, out, err = self.command('compute', 'create', '--os-tpl', 'nope',
                                      '--resource-tpl', 'm1.tiny')
        self.assertEqual(1, code)
        self.assertEqual('No OS template nope.', err.strip())

    def test_user_data_and_ssh_key_from_files(self):
        tmp = self.useFixture(base.fixtures.TempDir()).path
        key, data = tmp + '/id.pub', tmp + '/cloud-init'
        with open(key, 'w') as f:
            f.write('ssh-ed25519 AAAAC3Nza demo@laptop\n')
        with open(data, 'wb') as f:
            f.write(b'#cloud-config\n')
        self.ok('compute', 'create', '--os-tpl', 'cirros',
                '--resource-tpl', 'm1.tiny', '--ssh-key', key,
                '--user-data', data)
        body = self.cloud.nova.created[-1]
        self.assertEqual('I2Nsb3VkLWNvbmZpZwo=', body['user_data'])
        code, _out, err = self.command('compute', 'create', '--os-tpl',
                                       'cirros', '--resource-tpl', 'm1.tiny',
                                       '--ssh-key', tmp + '/missing')
        self.assertEqual(1, code)
        self.assertIn('Cannot read the SSH key', err)


class DiscoveryCacheTest(base.ClientTestCase):

    def queries(self, start=0):
        return [path for _m, path, _c, _a in self.wire.sent[start:]
                if path.startswith('/-/')]

    def test_kind_lookup_once_then_cached_per_token(self):
        self.ok('compute', 'list')
        self.assertEqual(1, len(self.queries()))
        self.assertIn('?category=', self.queries()[0])
        start = len(self.wire.sent)
        self.ok('compute', 'list')
        self.assertEqual([], self.queries(start))
        # Another token, another cache.
        self.useFixture(base.fixtures.EnvironmentVariable('OS_TOKEN',
                                                          'alt-token'))
        self.ok('compute', 'list')
        self.assertEqual(1, len(self.queries(start)))

    def test_no_cache_asks_every_time(self):
        self.ok('--cache-ttl', '0', 'compute', 'list')
        self.ok('--cache-ttl', '0', 'compute', 'list')
        self.assertEqual(2, len(self.queries()))

    def test_stale_cache_refreshed_for_a_new_template(self):
        self.ok('template', 'list')
        self.cloud.glance.images.append(dict(
            self.cloud.glance.images[0], id='image-new', name='fresh'))
        base.fake_glance.glance_images(self.cloud.glance.mock,
                                       self.cloud.glance.images)
        shown = json.loads(self.ok('compute', 'create', '--os-tpl', 'fresh',
                                   '--resource-tpl', 'm1.tiny', '-f',
                                   'json'))
        self.assertIn(OS + 'image-new', shown['mixins'].split('\n'))


class ErrorTest(base.ClientTestCase):

    def test_error_is_one_line_with_status_and_request_id(self):
        for rendering in base.RENDERINGS:
            code, out, err = self.command(
                'compute', 'show', '0b0b0b0b-0000-4000-8000-000000000000',
                rendering=rendering)
            self.assertEqual(1, code)
            self.assertEqual('', out)
            line = err.strip().splitlines()[-1]
            self.assertRegex(line,
                             r'^HTTP 404: .+ \(request req-[0-9a-f-]+\)$')
            self.assertNotIn('Traceback', err)

    def test_unknown_name(self):
        code, _out, err = self.command('compute', 'show', 'nobody')
        self.assertEqual(1, code)
        self.assertIn("HTTP 404: No compute has the title or id 'nobody'",
                      err)

    def test_ambiguous_name(self):
        self.boot('twin')
        self.boot('twin')
        code, _out, err = self.command('compute', 'show', 'twin')
        self.assertEqual(1, code)
        self.assertIn('2 compute entities are titled', err)

    def test_bad_token(self):
        self.useFixture(base.fixtures.EnvironmentVariable('OS_TOKEN',
                                                          'wrong'))
        code, _out, err = self.command('compute', 'list', '--cache-ttl', '0')
        self.assertEqual(1, code)
        self.assertIn('HTTP 401', err)

    def test_usage_error_exit_2(self):
        code, _out, _err = self.command('compute', 'action')
        self.assertEqual(2, code)


class HeaderBudgetTest(base.ClientMixin, testtools.TestCase):
    """text/occi answers past the server's header budget."""

    def setUp(self):
        super().setUp()
        # A budget a listing of a dozen computes passes, as a site's
        # listing passes nginx's 4 KiB.
        self.cloud = self.useFixture(unit_base.NetworkedCloud(
            header_budget='1024', header_reserve='64'))
        self.use_client(self.cloud.occi, self.cloud.glance.mock, {
            'demo-token': self.cloud.demo})

    def test_listing_and_compute_read_from_a_text_plain_body(self):
        made = {self.cloud.boot('vm-%02d' % n)['id'] for n in range(12)}
        listed = json.loads(self.ok('compute', 'list', '--long', '-f',
                                    'json', rendering='text/occi'))
        self.assertEqual(made, {row['ID'] for row in listed})
        self.assertEqual({'active'}, {row['State'] for row in listed})
        # The server refused the listing in text/occi (406) and the client
        # read the same rendering from a body, as the refusal advises.
        listings = [(accept, path) for method, path, _, accept in
                    self.wire.sent if path == '/compute/']
        self.assertEqual(('text/occi', 'text/plain'),
                         (listings[0][0], listings[1][0]))
        shown = json.loads(self.ok('compute', 'show', 'vm-03', '-f',
                                   'json', rendering='text/occi'))
        self.assertEqual(('vm-03', 'active'),
                         (shown['title'], shown['occi.compute.state']))
