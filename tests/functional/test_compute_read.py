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

"""Reading and listing computes through OCCI on the real mini-cloud, and
what another project may not see.

Every request rendering (text/plain, text/occi+plain, text/occi headers,
application/occi+json) is sent as a body, and every answer rendering is
asked for in Accept (text/uri-list where the answer is a listing). What
OCCI says is checked against what Nova and Glance say natively.
"""

import uuid

from tests.functional import base
from tests.functional.base import ENTITY_TYPES
from tests.functional.base import INFRA
from tests.functional.base import LISTING_TYPES
from tests.functional.base import OS
from tests.functional.base import render
from tests.functional.base import RES

ZONE = 'http://schemas.openstack.org/compute/availability_zone#'


class ReadTest(base.ComputeTestBase):

    def test_read_in_every_rendering_through_the_states(self):
        server_id, _ = self.create(title='read-me', flavor='m1.small')
        self.wait_server(server_id, 'ACTIVE')
        self.learn_flavor_names()
        steps = [
            (None, 'ACTIVE', 'active', {'stop', 'restart', 'suspend',
                                        'save'}),
            ('os-stop', 'SHUTOFF', 'inactive', {'start', 'restart',
                                                'save'}),
            ('os-start', 'ACTIVE', 'active', None),
            ('suspend', 'SUSPENDED', 'suspended', {'start'}),
        ]
        for nova_action, status, state, actions in steps:
            if nova_action:
                self.nova('POST', '/servers/%s/action' % server_id,
                          body={nova_action: None}, expect=202)
                self.wait_server(server_id, status)
            if actions is None:
                continue
            for accept in ENTITY_TYPES:
                answer = self.read(server_id, accept)
                what = '%s in %s' % (status, accept)
                # The server read, and the listing of its ports (one, on
                # the project's network; no floating IP, so no floating
                # IP listing).
                self.assertEqual(
                    'nova=1, glance=0, neutron=1',
                    answer.response.headers['X-OCCI-Backend-Calls'], what)
                values = answer.attributes()
                self.assertEqual(server_id, values['occi.core.id'], what)
                self.assertEqual('read-me', values['occi.core.title'], what)
                self.assertEqual(state, values['occi.compute.state'], what)
                self.assertEqual(status, values[
                    'occi.compute.state.message'], what)
                self.assertEqual(1, values['occi.compute.cores'], what)
                self.assertEqual(2.0, values['occi.compute.memory'], what)
                # The templates, and the zone Nova placed the server in.
                zone = self.server(server_id)['OS-EXT-AZ:availability_zone']
                self.assertEqual({OS + self.image_id,
                                  RES + self.flavor_term('m1.small'),
                                  ZONE + zone},
                                 answer.mixins(), what)
                self.assertEqual(actions, answer.actions(), what)

    def test_transitional_state_names_the_task(self):
        server_id, answer = self.create(accept='application/occi+json')
        values = answer.attributes()
        # Answered while Nova builds it: BUILD is inactive, with its task.
        self.assertEqual('inactive', values['occi.compute.state'])
        self.assertTrue(values['occi.compute.state.message'].startswith(
            'BUILD'), values)
        self.assertEqual(set(), answer.actions())

    def test_unknown_compute_is_404_in_the_asked_rendering(self):
        for accept in ENTITY_TYPES:
            response = self.occi('GET', '/compute/%s' % uuid.uuid4(),
                                 headers={'Accept': accept})
            self.assertEqual(404, response.status_code)
            self.assertEqual(accept, self.answer(response).type)


class ListTest(base.ComputeTestBase):

    def test_list_filter_and_template_collections(self):
        tiny = self.boot()
        small, _ = self.create(flavor='m1.small',
                               title='small-%s' % uuid.uuid4().hex[:6])
        small_title = self.server(small)['name']
        self.wait_server(small, 'ACTIVE')
        self.learn_flavor_names()
        small_term = self.flavor_term('m1.small')
        locations = {server_id: self.occi_url + '/compute/' + server_id
                     for server_id in (tiny, small)}
        for accept in LISTING_TYPES:
            response = self.occi('GET', '/compute/',
                                 headers={'Accept': accept})
            self.assertEqual(200, response.status_code, response.text)
            self.assertListingCost(response, accept)
            answer = self.answer(response)
            self.assertEqual(accept, answer.type)
            self.assertLessEqual(set(locations.values()),
                                 set(answer.locations()), accept)
            if accept.endswith('json'):
                by_id = {r['id']: r for r in answer.json['resources']}
                self.assertEqual('active', by_id[small]['attributes'][
                    'occi.compute.state'])
                self.assertIn(RES + small_term, by_id[small]['mixins'])

        # Filtering (GFD.223 section 3.5): an entity rendering in the
        # request; only the computes matching all its values are listed.
        filters = [
            render('text/occi', attributes={'occi.core.title': small_title}),
            render('text/plain', attributes={
                'occi.core.title': small_title}),
            render('application/occi+json', attributes={
                'occi.core.title': small_title}),
            render('text/occi', mixins=(RES + small_term,), attributes={
                'occi.core.id': small}),
            render('text/plain', attributes={
                'occi.compute.memory': 2.0, 'occi.core.id': small}),
        ]
        for number, (headers, data) in enumerate(filters):
            accept = LISTING_TYPES[number % len(LISTING_TYPES)]
            response = self.occi('GET', '/compute/', data=data, headers=dict(
                headers, Accept=accept))
            self.assertEqual(200, response.status_code, response.text)
            found = self.answer(response).locations()
            self.assertEqual([locations[small]], found, (headers, data))
        headers, data = render('text/occi', attributes={
            'occi.core.title': 'no-such-compute-%s' % uuid.uuid4().hex})
        response = self.occi('GET', '/compute/', data=data,
                             headers=dict(headers, Accept='text/uri-list'))
        self.assertEqual([], self.answer(response).locations())

        # A template's location lists the computes created from it.
        for accept in ('text/uri-list', 'text/plain',
                       'application/occi+json'):
            # The term, and the name-derived term of earlier releases.
            response = self.occi('GET', '/resource_tpl/%s/' % (
                small_term if accept != 'text/plain' else 'm1.small'),
                headers={'Accept': accept})
            self.assertEqual(200, response.status_code, response.text)
            found = self.answer(response).locations()
            self.assertIn(locations[small], found, accept)
            self.assertNotIn(locations[tiny], found, accept)
            response = self.occi('GET', '/os_tpl/%s/' % self.image_id,
                                 headers={'Accept': accept})
            self.assertEqual(200, response.status_code, response.text)
            found = self.answer(response).locations()
            self.assertLessEqual(set(locations.values()), set(found), accept)


class IsolationTest(base.ComputeTestBase):

    def test_other_project_sees_and_touches_nothing(self):
        # Nova answers another project's request for a server with 404,
        # except while the server is still a build request (before the
        # scheduler has put it in a cell): then its policy check answers
        # 403. Either way the other project learns nothing of the server.
        image = self.upload_image('private-%s' % uuid.uuid4().hex[:6])
        server_id, _ = self.create()
        alt = self.alt_token
        response = self.occi('GET', '/compute/%s' % server_id, token=alt,
                             headers={'Accept': 'application/occi+json'})
        self.assertIn(response.status_code, (403, 404), response.text)
        self.assertNotIn('occi.compute.state', response.text)
        self.wait_server(server_id, 'ACTIVE')
        for accept in LISTING_TYPES:
            listing = self.occi('GET', '/compute/', token=alt,
                                headers={'Accept': accept})
            self.assertEqual(200, listing.status_code)
            self.assertNotIn(server_id, listing.text + str(listing.headers))
        headers, data = render('text/plain', INFRA + 'compute',
                               attributes={'occi.core.title': 'stolen'})
        for method, path, data in (('GET', '', None), ('DELETE', '', None),
                                   ('POST', '?action=stop', None),
                                   ('PUT', '', data), ('POST', '', data)):
            response = self.occi(method, '/compute/%s%s' % (server_id, path),
                                 token=alt, data=data,
                                 headers=headers if data else {})
            self.assertEqual(404, response.status_code, response.text)
        server = self.server(server_id)
        self.assertEqual(('ACTIVE', 'create'), (
            server['status'], ''.join(self.instance_actions(server_id))))
        self.assertNotEqual('stolen', server['name'])
        # The first project's private image is no template of the second.
        model = self.occi('GET', '/-/', token=alt, headers={
            'Accept': 'application/occi+json'}).json()
        self.assertNotIn(OS + image['id'], {m['scheme'] + m['term']
                                            for m in model['mixins']})
        _, answer = self.create(image_id=image['id'], token=alt,
                                expect=400)
        self.assertIn(image['id'], answer.error())
