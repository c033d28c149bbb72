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

"""resource_tpl terms: flavor ids in OCCI 1.1's grammar, names as titles.

A flavor id that fits the grammar (letters, digits, ``-``, ``_``) is the
term; another id gets a derived term. The name-derived terms of earlier
releases (``m1.tiny``) still name their flavor on input.
"""

import hashlib
import re

from tests.unit import base
from tests.unit import client
from tests.unit.compute import base as compute_base
from tests.unit.compute.base import CREATE_PLAIN
from tests.unit.compute.base import RES
from tests.unit.fakes import nova as fake_nova

OCCI_1_1_TERM = re.compile(r'[A-Za-z0-9][A-Za-z0-9_-]*\Z')
#: The derived term of the flavor id ``big.one``.
BIG = 'big_one-' + hashlib.sha256(b'big.one').hexdigest()[:6]


def with_flavor(term):
    return CREATE_PLAIN.replace('Category: 2;', 'Category: %s;' % term)


class TermsTest(compute_base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.nova.flavors += [
            {'id': 'big.one', 'name': 'big one', 'vcpus': 8, 'ram': 8192,
             'disk': 80, 'swap': 0, 'OS-FLV-EXT-DATA:ephemeral': 0},
            {'id': 'f3c1b6de-5f43-4a8c-9b57-0c1d3e9a7b21',
             'name': 'gpu.large', 'vcpus': 4, 'ram': 4096, 'disk': 40,
             'swap': 0, 'OS-FLV-EXT-DATA:ephemeral': 0},
        ]

    def resource_templates(self):
        response = self.call('/-/', accept='application/occi+json')
        return {m['term']: m for m in response.json['mixins']
                if m['scheme'] == RES}

    def test_terms_are_flavor_ids_and_titles_their_names(self):
        templates = self.resource_templates()
        self.assertEqual(
            {'1': 'm1.tiny', '2': 'm1.small', BIG: 'big one',
             'f3c1b6de-5f43-4a8c-9b57-0c1d3e9a7b21': 'gpu.large'},
            {term: m['title'] for term, m in templates.items()})
        for term, mixin in templates.items():
            self.assertRegex(term, OCCI_1_1_TERM)
            self.assertEqual('%s/resource_tpl/%s/' % (client.ROOT, term),
                             mixin['location'])
        self.assertEqual('big.one', templates[BIG]['attributes'][
            'org.openstack.flavor.id']['default'])

    def test_create_with_the_term_and_read_it_back(self):
        for term, flavor_id in (('1', '1'), (BIG, 'big.one'),
                                ('big.one', 'big.one')):
            response = self.call('/compute/', 'POST', 'text/plain',
                                 with_flavor(term).encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual(flavor_id, self.nova.created[-1]['flavorRef'])
            location = response.headers['Location'][len(client.ROOT):]
            read = self.call(location, accept='application/occi+json')
            self.assertIn(RES + templates_term(flavor_id),
                          read.json['mixins'], term)

    def test_terms_of_earlier_releases_still_name_their_flavor(self):
        # The flavor name, and the name-derived term (same but for
        # characters outside GFD.229's grammar).
        for term, flavor_id in (('m1.tiny', '1'), ('m1.small', '2'),
                                ('gpu.large',
                                 'f3c1b6de-5f43-4a8c-9b57-0c1d3e9a7b21'),
                                ('big_one', 'big.one')):
            response = self.call('/compute/', 'POST', 'text/plain',
                                 with_flavor(term).encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual(flavor_id, self.nova.created[-1]['flavorRef'],
                             term)
        response = self.call('/compute/', 'POST', 'text/plain',
                             with_flavor('m1.huge').encode(),
                             {'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_int)
        self.assertIn('m1.huge', response.text)

    def test_default_resource_tpl_by_name_or_id(self):
        body = ('Category: compute; scheme="%s"; class="kind"\n'
                % compute_base.INFRA).encode()
        for default, flavor_id in (('m1.tiny', '1'), ('2', '2')):
            occi, nova = base.build(
                {'resume_saves_at_startup': 'false', 'network': 'none',
                 'default_os_tpl': 'image-1',
                 'default_resource_tpl': default})
            response = client.call(occi, '/compute/', 'POST', None, body,
                                   {'Content-Type': 'text/plain'})
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual(flavor_id, nova.created[-1]['flavorRef'])

    def test_a_read_costs_no_flavor_listing_once_the_name_is_known(self):
        server = self.nova.add_server(flavor=1)
        # Any caller's listing teaches the process the flavor names.
        other = fake_nova.Context(project_id='other', user_id='other',
                                  auth_token='other-token')
        self.call('/-/', context=other)
        response = self.call('/compute/' + server['id'],
                             accept='application/occi+json')
        self.assertEqual('nova=1, glance=0',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertIn(RES + '2', response.json['mixins'])

    def test_a_deleted_flavor_still_gets_a_term_in_the_grammar(self):
        server = self.nova.add_server(flavor=2)
        del self.nova.flavors[2]
        response = self.call('/compute/' + server['id'],
                             accept='application/occi+json')
        self.assertEqual(200, response.status_int, response.text)
        [term] = [m[len(RES):] for m in response.json['mixins']
                  if m.startswith(RES)]
        self.assertRegex(term, OCCI_1_1_TERM)
        self.assertTrue(term.startswith('big_one-'), term)


def templates_term(flavor_id):
    return BIG if flavor_id == 'big.one' else flavor_id
