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

"""A user mixin defined again: the same definition is 200 and changes
nothing; another one at the same identifier or location is 409. In every
rendering, over a real SQLite database."""

import json

from tests.unit.client import ROOT
from tests.unit import test_mixins
from tests.unit.test_mixins import define_request
from tests.unit.test_mixins import mixin_type_ids
from tests.unit.test_mixins import RENDERINGS
from tests.unit.test_mixins import SCHEME


class RepeatTest(test_mixins.MixinTestBase):

    def post(self, body_type, term, accept='application/occi+json',
             **kwargs):
        headers, body = define_request(body_type, term, **kwargs)
        return self.call('/-/', 'POST', accept, body, headers)

    def listed(self):
        return [t for t in mixin_type_ids(self.call('/-/'))
                if t.startswith(SCHEME)]

    def test_the_same_definition_is_200_in_every_rendering(self):
        for number, body_type in enumerate(RENDERINGS):
            term = 'web%d' % number
            first = self.post(body_type, term, title='Web servers',
                              location='/tags/%s/' % term)
            self.assertEqual(200, first.status_int, first.text)
            for accept in RENDERINGS:
                again = self.post(body_type, term, accept,
                                  title='Web servers',
                                  location='/tags/%s/' % term)
                self.assertEqual(200, again.status_int, again.text)
                self.assertIn(SCHEME + term, mixin_type_ids(again))
            again = self.post(body_type, term, title='Web servers',
                              location='/tags/%s/' % term)
            # The answer renders the mixin as it is defined.
            self.assertEqual(first.json, again.json)
            self.assertEqual(ROOT + '/tags/%s/' % term,
                             again.json['mixins'][0]['location'])
        self.assertEqual([SCHEME + 'web%d' % n for n in range(3)],
                         self.listed())

    def test_without_a_location_it_is_the_one_chosen(self):
        first = self.post('text/plain', 'db')
        for body_type in RENDERINGS:
            again = self.post(body_type, 'db')
            self.assertEqual(200, again.status_int, again.text)
            self.assertEqual(first.json['mixins'][0]['location'],
                             again.json['mixins'][0]['location'])
        self.assertEqual([SCHEME + 'db'], self.listed())

    def test_another_definition_is_409(self):
        self.post('text/plain', 'web', title='Web', location='/tags/web/')
        for body_type in RENDERINGS:
            for term, kwargs in (
                    ('web', dict(title='Other', location='/tags/web/')),
                    ('web', dict(title='Web', location='/tags/web2/')),
                    ('web', dict(location='/tags/web/')),
                    ('other', dict(title='Web', location='/tags/web/'))):
                response = self.post(body_type, term, **kwargs)
                self.assertEqual(409, response.status_int,
                                 (body_type, term, kwargs, response.text))
        self.assertEqual([SCHEME + 'web'], self.listed())

    def test_a_list_with_a_known_and_a_new_mixin(self):
        self.post('text/plain', 'web', location='/tags/web/')
        body = ('Category: web; scheme="%s"; class="mixin"; '
                'location="/tags/web/"\n'
                'Category: db; scheme="%s"; class="mixin"\n'
                % (SCHEME, SCHEME))
        response = self.call('/-/', 'POST', 'application/occi+json', body,
                             {'Content-Type': 'text/plain'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual(['web', 'db'],
                         [m['term'] for m in response.json['mixins']])
        self.assertEqual([SCHEME + 'web', SCHEME + 'db'], self.listed())

    def test_the_same_mixin_twice_in_one_request(self):
        body = json.dumps({'mixins': [{'scheme': SCHEME, 'term': 'web'},
                                      {'scheme': SCHEME, 'term': 'web'}]})
        response = self.call('/-/', 'POST', 'application/occi+json', body,
                             {'Content-Type': 'application/occi+json'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([SCHEME + 'web'], self.listed())

    def test_the_predecessors_aliases_are_the_servers(self):
        for scheme, term in (
                ('http://schemas.openstack.org/compute/instance#',
                 'user_data'),
                ('http://schemas.openstack.org/instance/credentials#',
                 'public_key')):
            headers, body = define_request('text/plain', term,
                                           scheme=scheme)
            self.assertEqual(409, self.call(
                '/-/', 'POST', body=body, headers=headers).status_int)
            self.assertEqual(400, self.call(
                '/-/', 'DELETE', body=body, headers=headers).status_int)
        response = self.post('text/plain', 'ctx',
                             location='/openstack/ctx/')
        self.assertEqual(409, response.status_int, response.text)
