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

"""The os_tpl and resource_tpl templates through OCCI on the real mini-cloud.

Every request rendering (text/plain, text/occi+plain, text/occi headers,
application/occi+json) is sent as a body, and every answer rendering is
asked for in Accept (text/uri-list where the answer is a listing). What
OCCI says is checked against what Nova and Glance say natively.
"""

import urllib.parse

from tests.functional import base
from tests.functional.base import INFRA
from tests.functional.base import OS
from tests.functional.base import RES


class TemplatesTest(base.ComputeTestBase):

    def test_collection_pages(self):
        self.create()
        self.learn_flavor_names()
        for accept in ('text/plain', 'text/occi', 'text/uri-list',
                       'application/occi+json'):
            headers = {'Accept': accept}
            first = self.occi('GET', '/compute/?page=1&number=1',
                              headers=headers)
            self.assertEqual(200, first.status_code, first.text)
            if accept.endswith('json'):
                self.assertEqual(1, len(first.json()['resources']))
            else:
                text = first.text + first.headers.get('X-OCCI-Location', '')
                self.assertEqual(1, text.count('/compute/'), text)
            self.assertListingCost(first, accept)
            past = self.occi('GET', '/compute/?page=100000&number=1',
                             headers=headers)
            self.assertEqual(200, past.status_code, past.text)
            if accept.endswith('json'):
                self.assertEqual([], past.json().get('resources', []))
            else:
                self.assertNotIn('/compute/', past.text + str(past.headers))
            large = self.occi('GET', '/compute/?page=1&number=5000',
                              headers=headers)
            self.assertEqual(413, large.status_code, large.text)
            if accept != 'text/uri-list':
                self.assertEqual(accept, large.headers['Content-Type']
                                 .split(';')[0])

    def test_query_interface_lists_templates(self):
        flavors = {f['name']: f for f in self.nova(
            'GET', '/flavors/detail').json()['flavors']}
        image = self.image_by_name('cirros-fake')
        response = self.occi('GET', '/-/',
                             headers={'Accept': 'application/occi+json'})
        # Images, flavors, zones and pools are cached apart, and other
        # tests may have loaded any a moment ago: at most one listing of
        # each (Nova: the flavors and the zones; Neutron: the pools).
        calls = dict(item.split('=') for item in response.headers[
            'X-OCCI-Backend-Calls'].split(', '))
        self.assertLessEqual(int(calls['nova']), 2, calls)
        self.assertLessEqual(int(calls['glance']), 1, calls)
        self.assertLessEqual(int(calls.get('neutron', 0)), 1, calls)
        mixins = {m['scheme'] + m['term']: m
                  for m in response.json()['mixins']}
        mixin = mixins[OS + image['id']]
        self.assertEqual(image['name'], mixin['title'])
        self.assertEqual([INFRA + 'os_tpl'], mixin['depends'])
        self.assertEqual([INFRA + 'compute'], mixin['applies'])
        self.assertEqual(self.occi_url + '/os_tpl/%s/' % image['id'],
                         mixin['location'])
        self.assertEqual('active', mixin['attributes'][
            'org.openstack.image.status']['default'])
        for name, flavor in flavors.items():
            # The term is the flavor id, the title its name.
            mixin = mixins[RES + flavor['id']]
            self.assertEqual(name, mixin['title'])
            values = {key: value['default'] for key, value in
                      mixin['attributes'].items()}
            self.assertEqual([INFRA + 'resource_tpl'], mixin['depends'])
            self.assertEqual(flavor['vcpus'], values['occi.compute.cores'])
            self.assertEqual(flavor['ram'] / 1024.0,
                             values['occi.compute.memory'])
            self.assertEqual(flavor['disk'],
                             values['org.openstack.flavor.disk'])
            self.assertEqual(flavor['OS-FLV-EXT-DATA:ephemeral'],
                             values['org.openstack.flavor.ephemeral'])
            self.assertEqual(flavor['swap'] or 0,
                             values['org.openstack.flavor.swap'])
        tiny = mixins[RES + self.flavor_term('m1.tiny')]
        self.assertEqual('m1.tiny', tiny['title'])
        self.assertEqual(0.5, tiny['attributes'][
            'occi.compute.memory']['default'])
        # The cache: flavors are kept (each node its own cache: all three
        # reads go to node 1), images are read from Glance every time, so
        # that a template saved through another node is listed at once.
        node = self.occi_nodes[0]
        self.occi('GET', '/-/', token=self.alt_token, url=node)
        # In text/occi the whole query interface is above the default
        # header budget: the two categories looked at are asked for.
        wanted = '/-/?category=%s&category=%s' % (
            urllib.parse.quote(RES + self.flavor_term('m1.tiny.eph'), safe=''),
            urllib.parse.quote(OS + self.image_id, safe=''))
        for accept, path in (('text/plain', '/-/'), ('text/occi', wanted)):
            again = self.occi('GET', path, token=self.alt_token, url=node,
                              headers={'Accept': accept})
            self.assertEqual(200, again.status_code, again.text)
            self.assertEqual('nova=0, glance=1',
                             again.headers['X-OCCI-Backend-Calls'])
            text = again.text + str(again.headers)
            self.assertIn('%s; scheme="%s"; class="mixin"'
                          % (self.flavor_term('m1.tiny.eph'), RES), text)
            self.assertIn('title="m1.tiny.eph"', text)
            self.assertIn('%s; scheme="%s"; class="mixin"'
                          % (self.image_id, OS), text)
