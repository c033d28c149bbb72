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

"""The pieces under the command: what the occi package reads back of its
own answers (listings, errors), where the client connects, and waiting."""

import io
import os

import fixtures
import testtools

from ooi_save.client import api
from ooi_save.client import connect
from ooi_save.client import errors
from ooi_save.client import wait
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra
from ooi_save.occi import parsing
from ooi_save.occi import rendering
from tests.unit.client_occi import base

TYPES = ('text/plain', 'text/occi', 'application/occi+json')


def _compute(number):
    return entities.Resource(infra.COMPUTE, 'vm-%d' % number,
                             title='vm %d' % number,
                             location='http://h/compute/vm-%d' % number,
                             attributes={'occi.compute.state': 'active'})


class ReadBackTest(testtools.TestCase):
    """Each rendering reads back what it renders."""

    def test_entities(self):
        computes = [_compute(1), _compute(2)]
        for media_type in TYPES:
            rendered = rendering.renderer_for(media_type).entities(computes)
            headers = dict(rendered.headers,
                           **{'Content-Type': rendered.content_type})
            parser = parsing.parser_for(media_type)
            read = parser.entities(headers, rendered.body)
            if media_type.endswith('json'):
                self.assertEqual([('vm-1', 'vm 1', 'active'),
                                  ('vm-2', 'vm 2', 'active')],
                                 [(e.id, e.title,
                                   e.attributes['occi.compute.state'])
                                  for e in read])
            else:
                self.assertEqual(['http://h/compute/vm-1',
                                  'http://h/compute/vm-2'],
                                 [e.location for e in read], media_type)

    def test_errors(self):
        for media_type in TYPES:
            rendered = rendering.renderer_for(media_type).error(
                409, 'Busy: "saving"\nnow', 'req-42')
            message, request_id = parsing.parser_for(media_type).error(
                {}, rendered.body)
            self.assertEqual(('Busy: "saving" now', 'req-42'),
                             (' '.join(message.split()), request_id),
                             media_type)

    def test_error_bodies_of_others(self):
        json_parser = parsing.parser_for('application/occi+json')
        self.assertEqual(('<html>Bad gateway</html>', None),
                         json_parser.error({}, b'<html>Bad gateway</html>'))
        self.assertEqual(('', None), json_parser.error({}, b''))

    def test_create_request_has_no_id_nor_source(self):
        link = entities.Link(infra.NETWORKINTERFACE, None,
                             target='http://h/network/n1',
                             target_kind=infra.NETWORK)
        resource = entities.Resource(infra.COMPUTE, None, title='new',
                                     links=[link])
        rendered = rendering.renderer_for('application/occi+json').entity(
            resource)
        read = parsing.parser_for('application/occi+json').entity(
            {}, rendered.body)
        self.assertIsNone(read.id)
        self.assertIsNone(read.links[0].source)
        self.assertEqual('http://h/network/n1', read.links[0].target)


class ErrorFromResponseTest(base.ClientTestCase):

    def test_nova_fault_outside_occi(self):
        self.cloud.glance.mock.get('http://nova.test:8774/v2.1/x', json={
            'itemNotFound': {'code': 404, 'message': 'Not here.'}},
            status_code=404, headers={'X-Compute-Request-Id': 'req-7'})
        import requests
        error = errors.from_response(requests.get(
            'http://nova.test:8774/v2.1/x'))
        self.assertEqual('HTTP 404: Not here. (request req-7)', str(error))
        self.assertIsInstance(error, errors.NotFound)


class ConnectTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        for name in ('OS_TOKEN', 'OCCI_ENDPOINT', 'OS_AUTH_URL', 'OS_CLOUD',
                     'OS_AUTH_TYPE', 'OS_USERNAME', 'OS_PASSWORD',
                     'OS_PROJECT_NAME', 'OS_CLIENT_CONFIG_FILE'):
            self.useFixture(fixtures.EnvironmentVariable(name))

    def options(self, **kwargs):
        return type('Options', (), kwargs)()

    def test_token_and_endpoint_need_no_keystone(self):
        settings = connect.settings_from(self.options(), {
            'OS_TOKEN': 't0k', 'OCCI_ENDPOINT': 'http://o/occi1.2',
            'OS_AUTH_TYPE': 'password'})
        plugin, identity = connect.auth_plugin(settings)
        self.assertEqual('t0k', plugin.get_token(None))
        self.assertEqual('token:t0k', identity)

    def test_options_win_over_environment(self):
        settings = connect.settings_from(
            self.options(endpoint='http://opt', os_username='opt-user'),
            {'OCCI_ENDPOINT': 'http://env', 'OS_USERNAME': 'env-user'})
        self.assertEqual(('http://opt', 'opt-user'),
                         (settings['endpoint'], settings['username']))

    def test_clouds_yaml(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'clouds.yaml')
        with open(path, 'w') as f:
            f.write('clouds:\n  lab:\n    auth_type: v3applicationcredential\n'
                    '    occi_endpoint: http://lab/occi1.2\n'
                    '    region_name: Lab\n'
                    '    auth:\n      auth_url: http://ks/v3\n'
                    '      application_credential_id: ac1\n'
                    '      application_credential_secret: s3cret\n')
        settings = connect.settings_from(self.options(os_cloud='lab'), {
            'OS_CLIENT_CONFIG_FILE': path})
        self.assertEqual(('http://lab/occi1.2', 'Lab', 'ac1'),
                         (settings['endpoint'], settings['region_name'],
                          settings['application_credential_id']))
        plugin, identity = connect.auth_plugin(settings)
        self.assertEqual('ApplicationCredential', type(plugin).__name__)
        self.assertIn('ac1', identity)
        self.assertRaises(errors.ClientError, connect.settings_from,
                          self.options(os_cloud='other'),
                          {'OS_CLIENT_CONFIG_FILE': path})

    def test_no_credentials(self):
        error = self.assertRaises(errors.ClientError, connect.auth_plugin,
                                  connect.settings_from(self.options(), {}))
        self.assertIn('OS_TOKEN and OCCI_ENDPOINT', str(error))

    def test_endpoint_from_the_catalog(self):
        class Catalog:
            def __init__(self, urls):
                self.urls = urls

            def get_endpoint(self, service_type, **kwargs):
                return self.urls.get(service_type)

        self.assertEqual('http://nova:8774/occi1.2', connect.catalog_endpoint(
            Catalog({'compute': 'http://nova:8774/v2.1/abc'}), {}))
        self.assertEqual('https://c/compute/occi1.2',
                         connect.catalog_endpoint(Catalog(
                             {'compute': 'https://c/compute/v2.1'}), {}))
        self.assertEqual('http://o/x', connect.catalog_endpoint(
            Catalog({'occi': 'http://o/x', 'compute': 'http://n/v2.1'}), {}))
        self.assertRaises(errors.ClientError, connect.catalog_endpoint,
                          Catalog({}), {})


class Terminal(io.StringIO):
    def isatty(self):
        return True


class WaitTest(base.ClientTestCase):

    def client(self):
        settings = connect.settings_from(
            type('Options', (), {})(), {'OS_TOKEN': 'demo-token',
                                        'OCCI_ENDPOINT': base.ENDPOINT})
        return connect.connect(settings, api.DEFAULT_RENDERING, cache_ttl=0)

    def test_progress_on_a_terminal_only(self):
        server = self.boot('vm')
        location = base.ENDPOINT + '/compute/' + server['id']
        for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
            waiter = wait.Waiter(self.client(), timeout=0, interval=0,
                                 stream=stream)
            error = self.assertRaises(errors.WaitTimeout,
                                      waiter.compute_state, location,
                                      'suspended')
            self.assertIn('the server goes on with it', str(error))
            self.assertEqual(shown, 'compute %s: ACTIVE' % server['id']
                             in stream.getvalue())

    def test_ctrl_c_leaves_the_work_running(self):
        def interrupted():
            raise KeyboardInterrupt()
        waiter = wait.Waiter(self.client(), timeout=10, interval=0,
                             stream=io.StringIO())
        error = self.assertRaises(wait.Interrupted, waiter.until,
                                  interrupted, 'the save of vm')
        self.assertEqual('Stopped waiting for the save of vm; the server '
                         'goes on with it.', str(error))

    def test_timeout_exit_code(self):
        server = self.boot('vm')
        self.cloud.nova.servers[server['id']]['OS-EXT-STS:task_state'] = (
            'powering-off')
        code, _out, err = self.command('compute', 'action', server['id'],
                                       'restart', '--wait', '--timeout', '0')
        self.assertEqual(3, code, err)
        self.assertIn('Gave up waiting', err)

    def test_error_state_stops_the_wait(self):
        server = self.boot('vm')
        self.cloud.nova.servers[server['id']]['status'] = 'ERROR'
        waiter = wait.Waiter(self.client(), timeout=10, interval=0,
                             stream=io.StringIO())
        error = self.assertRaises(
            errors.ClientError, waiter.compute_state,
            base.ENDPOINT + '/compute/' + server['id'], 'active')
        self.assertIn('went to error', str(error))


class SettledTest(testtools.TestCase):

    def test_what_keeps_a_compute_busy(self):
        for message, expected in (
                ('ACTIVE', True),
                ('SHUTOFF', True),
                ('ACTIVE, task powering-off', False),
                ('SHUTOFF; deferred save in progress (step snapshot)', False),
                ('ACTIVE; deferred save abandoned (boom), starting the '
                 'compute again', False),
                ('ACTIVE; deferred save failed: no space', True)):
            self.assertEqual(expected, wait.settled(message), message)
