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

"""Nova's "Unexpected API Error" never reaches the client as it is.

A backend Nova could not reach is a 503 naming it, with ``Retry-After``;
anything else Nova did not expect is a 502 with its request id; never a
Python class name, in any rendering.
"""

import re

import requests
import requests_mock

from tests.unit import base
from tests.unit.compute import base as compute_base
from tests.unit.fakes import cinder as fake_cinder
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import neutron as fake_neutron

ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
ANSWERS = ('text/plain', 'text/occi', 'application/occi+json',
           'application/json')
SAVE = ('Category: save; scheme="%s"; class="action"\n'
        'X-OCCI-Attribute: method="hot"\n' % ACTION).encode()


def message_of(response):
    """The error message in whatever rendering it came."""
    if response.content_type.endswith('json'):
        return response.json['error']['message']
    return response.text + ' '.join(response.headers.values())


class NovaUnexpectedTest(compute_base.ComputeTestCase):

    def assertClean(self, response, status):
        self.assertEqual(status, response.status_int, response.text)
        text = message_of(response)
        self.assertNotIn('<class', text)
        self.assertNotIn('Unexpected API Error', text)
        self.assertNotIn('nova.exception', text)
        return text

    def test_glance_unreachable_on_save_is_503_naming_glance(self):
        server = self.nova.add_server()
        # Glance is down: Nova cannot register the image, and the save
        # cannot look for one left behind either.
        self.glance.mock.register_uri(
            requests_mock.ANY, re.compile(re.escape(fake_glance.GLANCE_URL)),
            exc=requests.exceptions.ConnectionError)
        self.nova.unexpected['createImage'] = (
            'nova.exception.GlanceConnectionFailed')
        for accept in ANSWERS:
            response = self.call(
                '/compute/%s?action=save' % server['id'], 'POST', accept,
                SAVE, {'Content-Type': 'text/plain'})
            text = self.assertClean(response, 503)
            self.assertIn('Glance cannot be reached', text, accept)
            self.assertEqual('30', response.headers['Retry-After'])
            expected = ('application/json' if accept.endswith('json')
                        else accept)
            self.assertIn(expected.split('/')[1], response.content_type)

    def test_message_queue_timeout_is_503(self):
        server = self.nova.add_server()
        self.nova.unexpected['GET'] = (
            'oslo_messaging.exceptions.MessagingTimeout')
        response = self.call('/compute/' + server['id'],
                             accept='application/occi+json')
        text = self.assertClean(response, 503)
        self.assertIn("Nova's compute services", text)
        self.assertIn('Retry-After', response.headers)

    def test_anything_else_is_502_with_the_request_id(self):
        server = self.nova.add_server()
        self.nova.unexpected['GET'] = 'nova.exception.SomethingBroke'
        for accept in ANSWERS:
            response = self.call('/compute/' + server['id'], accept=accept)
            text = self.assertClean(response, 502)
            self.assertNotIn('SomethingBroke', text)
            self.assertIn("Nova's log under request id req-", text)
            self.assertNotIn('Retry-After', response.headers)


class NeutronDownTest(base.FilterTestCase):
    """Nova cannot show a server without Neutron: 503 naming Neutron."""

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(base.NetworkedCloud())
        self.occi = self.cloud.occi
        self.context = self.cloud.demo

    def test_compute_read_and_listing(self):
        server = self.cloud.boot()
        self.cloud.neutron.down = True
        # What Nova answers when its server view cannot ask Neutron.
        self.cloud.nova.unexpected['GET'] = (
            'keystoneauth1.exceptions.connection.ConnectFailure')
        for path in ('/compute/' + server['id'], '/compute/'):
            for accept in ANSWERS:
                response = self.call(path, accept=accept)
                self.assertEqual(503, response.status_int, response.text)
                text = message_of(response)
                self.assertIn('Neutron cannot be reached', text)
                self.assertNotIn('<class', text)
                self.assertNotIn('keystoneauth1', text)
                self.assertNotIn(fake_neutron.NEUTRON_URL, text)
                self.assertEqual('30', response.headers['Retry-After'])

    def test_unknown_connection_failure_names_no_service(self):
        server = self.cloud.boot()
        # Every service answers: Nova's failure is no one's we can name.
        self.cloud.glance.mock.get(fake_glance.GLANCE_URL, text='ok')
        self.cloud.glance.mock.get(re.compile(re.escape(fake_cinder.URL)),
                                   text='ok')
        self.cloud.nova.unexpected['GET'] = (
            'keystoneauth1.exceptions.connection.ConnectFailure')
        response = self.call('/compute/' + server['id'],
                             accept='application/occi+json')
        self.assertEqual(503, response.status_int, response.text)
        self.assertIn('A service Nova depends on cannot be reached',
                      message_of(response))

    def test_neutron_down_on_network_listing_hides_the_address(self):
        self.cloud.neutron.down = True
        response = self.call('/network/', accept='text/plain')
        self.assertEqual(503, response.status_int)
        self.assertNotIn(fake_neutron.NEUTRON_URL, response.text)
        self.assertIn('Neutron cannot be reached; try again later.',
                      response.text)
