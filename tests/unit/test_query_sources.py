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

"""What a filtered query interface asks the backend: only the sources that
may hold a category the filter names, in every rendering, and no more as
the project grows (150 images, 100 computes).

Over Nova and Glance faked at the wire and a real SQLite database of user
mixins; the calls are those the filter reports in X-OCCI-Backend-Calls.
"""

import urllib.parse

from tests.unit import base
from tests.unit import client
from tests.unit.fakes import glance as fake_glance
from tests.unit import test_mixins

INFRA = client.INFRA
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RESOURCE = 'http://schemas.openstack.org/template/resource#'
RENDERINGS = test_mixins.RENDERINGS
NOTHING = 'nova=0, glance=0'


def query(type_id):
    return '/-/?category=' + urllib.parse.quote(type_id, safe='')


def type_ids(response):
    """Every category type id an answer of the query interface lists."""
    if response.content_type.endswith('json'):
        body = response.json
        return {c['scheme'] + c['term']
                for key in ('kinds', 'mixins', 'actions')
                for c in body.get(key, ())}
    if response.content_type == 'text/occi':
        values = [v for h in response.headers.getall('Category')
                  for v in h.split(',')]
    else:
        values = [line.partition(':')[2]
                  for line in response.text.splitlines()
                  if line.startswith('Category:')]
    found = set()
    for value in values:
        term, _, rest = value.strip().partition(';')
        scheme = rest.split('scheme="')[1].split('"')[0]
        found.add(scheme + term.strip())
    return found


class QuerySourcesTest(test_mixins.MixinTestBase):

    def setUp(self):
        super().setUp()
        response = self.call('/-/', 'POST', 'application/occi+json', (
            'Category: web; scheme="%s"; class="mixin"; rel="%sos_tpl"\n'
            % (test_mixins.SCHEME, INFRA)).encode(),
            {'Content-Type': 'text/plain'})
        self.assertEqual(200, response.status_int, response.text)
        self.mixin = test_mixins.SCHEME + 'web'

    def ask(self, type_id, accept, calls):
        """The filtered answer, checked to cost exactly ``calls``."""
        response = self.call(query(type_id), accept=accept)
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual(calls, response.headers['X-OCCI-Backend-Calls'],
                         (type_id, accept))
        return type_ids(response)

    def test_a_kind_or_an_action_asks_nothing(self):
        for accept in RENDERINGS:
            listed = self.ask(INFRA + 'compute', accept, NOTHING)
            self.assertLessEqual(
                {INFRA + 'compute', ACTION + 'start', ACTION + 'save',
                 'http://schemas.ogf.org/occi/core#resource'}, listed)
            self.assertNotIn(OS + 'image-1', listed)
            self.assertNotIn(self.mixin, listed)
            self.assertEqual({ACTION + 'stop'},
                             self.ask(ACTION + 'stop', accept, NOTHING))

    def test_os_tpl_asks_glance_and_the_project_mixins_only(self):
        for accept in RENDERINGS:
            listed = self.ask(INFRA + 'os_tpl', accept, 'nova=0, glance=1')
            # Every template, and the project's mixin depending on os_tpl.
            self.assertLessEqual({INFRA + 'os_tpl', OS + 'image-1',
                                  OS + 'image-2', self.mixin}, listed)
            self.assertFalse([t for t in listed if t.startswith(RESOURCE)])
            listed = self.ask(OS + 'image-1', accept, 'nova=0, glance=1')
            self.assertEqual({OS + 'image-1', INFRA + 'os_tpl'}, listed)

    def test_resource_tpl_asks_the_flavors_only(self):
        for accept in RENDERINGS:
            # The flavors, unless kept from the define of setUp
            # (template_cache_ttl); never Glance.
            listed = self.ask(INFRA + 'resource_tpl', accept, NOTHING)
            self.assertIn(RESOURCE + '1', listed)
            self.assertFalse([t for t in listed if t.startswith(OS)])
            self.assertEqual({RESOURCE + '1', INFRA + 'resource_tpl'},
                             self.ask(RESOURCE + '1', accept, NOTHING))

    def test_resource_tpl_reads_the_flavors_once(self):
        occi, nova = base.build(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'})
        response = client.call(
            occi, query(INFRA + 'resource_tpl'), 'GET', 'text/plain')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('nova=1, glance=0',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertIn(RESOURCE + '1', type_ids(response))

    def test_a_project_mixin_asks_no_service(self):
        for accept in RENDERINGS:
            self.assertEqual({self.mixin, INFRA + 'os_tpl'},
                             self.ask(self.mixin, accept, NOTHING))

    def test_a_filter_in_the_body_asks_the_same(self):
        for body_type in ('text/plain', 'text/occi'):
            value = 'compute; scheme="%s"; class="kind"' % INFRA
            headers = {'Content-Type': body_type}
            body = b''
            if body_type == 'text/occi':
                headers['Category'] = value
            else:
                body = ('Category: %s\n' % value).encode()
            response = self.call('/-/', 'GET', 'text/plain', body, headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual(NOTHING,
                             response.headers['X-OCCI-Backend-Calls'])
            self.assertIn(INFRA + 'compute', type_ids(response))

    def test_the_whole_interface_lists_every_source(self):
        response = self.call('/-/', accept='application/occi+json')
        # The images; the flavors are kept from the define of setUp.
        self.assertEqual('nova=0, glance=1',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertLessEqual({OS + 'image-1', RESOURCE + '1', self.mixin,
                              'http://schemas.openstack.org/network#public',
                              INFRA + 'compute'}, type_ids(response))


class SiteSizeTest(test_mixins.MixinTestBase):
    """The calls of each request stay the same as the project grows."""

    def calls(self, path, accept):
        response = self.call(path, accept=accept)
        self.assertEqual(200, response.status_int, response.text)
        return response.headers['X-OCCI-Backend-Calls']

    def measure(self):
        requests = [(query(INFRA + 'compute'), 'text/plain'),
                    (query(INFRA + 'os_tpl'), 'application/occi+json'),
                    ('/-/', 'application/occi+json'),
                    ('/compute/', 'text/uri-list'),
                    ('/compute/', 'text/plain'),
                    ('/compute/', 'application/occi+json')]
        servers = list(self.nova.servers)
        if servers:
            requests.append(('/compute/' + servers[0],
                             'application/occi+json'))
        return {request: self.calls(*request) for request in requests}

    def test_constant_from_a_few_to_150_images_and_100_computes(self):
        self.nova.add_server(name='first')
        # The flavors, zones and pools a process keeps for a while.
        self.calls('/-/', 'text/plain')
        few = self.measure()
        for number in range(150):
            self.glance.images.append(dict(
                fake_glance.IMAGES[0], id='site-%03d' % number))
        for number in range(99):
            self.nova.add_server(name='vm%d' % number)
        self.assertEqual(few, self.measure())
        self.assertEqual(NOTHING, few[(query(INFRA + 'compute'),
                                       'text/plain')])
        # The summary listing and the servers being deleted (one listing).
        self.assertEqual('nova=2, glance=0',
                         few[('/compute/', 'text/uri-list')])
