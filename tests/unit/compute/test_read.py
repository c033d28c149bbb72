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

"""Reading and listing computes: renderings, states, pages, filters.

Every rendering is used both as request body and as answer.
"""

from tests.unit.client import attribute
from tests.unit.compute import base as compute_base
from tests.unit.compute.base import ACTION
from tests.unit.compute.base import OS
from tests.unit.compute.base import RES


class ReadTest(compute_base.ComputeTestCase):

    def test_read_in_every_rendering(self):
        server = self.nova.add_server(name='reader', flavor=1)
        # The server, and on the first read the flavors (the resource_tpl
        # term is the flavor id, which a server does not embed), which are
        # then kept for template_cache_ttl.
        calls = iter((2, 1, 1, 1, 1))
        for accept in ('text/plain', 'text/occi+plain', 'text/occi',
                       'application/occi+json', 'application/json'):
            response = self.call('/compute/' + server['id'], accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual('nova=%d, glance=0' % next(calls),
                             response.headers['X-OCCI-Backend-Calls'])
            # The resource_tpl term is the flavor id (2, m1.small).
            if accept.endswith('json'):
                self.assertIn(RES + '2', response.json['mixins'])
            else:
                self.assertIn('Category: 2; scheme="%s"' % RES,
                              response.text + '\n' + '\n'.join(
                                  'Category: ' + v.strip() for h in
                                  response.headers.getall('Category')
                                  for v in h.split(',')), accept)
            self.assertEqual('reader', attribute(
                response, 'occi.core.title'), accept)
            self.assertEqual('active', attribute(
                response, 'occi.compute.state'), accept)
            self.assertEqual(2, attribute(response, 'occi.compute.cores'))
            self.assertEqual(2.0, attribute(response,
                                            'occi.compute.memory'))
            text = response.text + str(response.headers)
            self.assertIn(OS + 'image-1', text.replace(
                'image-1; scheme="%s"' % OS, OS + 'image-1').replace(
                '"term":"image-1","scheme":"%s"' % OS, OS + 'image-1'))
            if accept.endswith('json'):
                self.assertEqual([ACTION + a for a in (
                    'stop', 'restart', 'suspend', 'save')],
                    response.json['actions'])
            else:
                self.assertIn('?action=stop>', text, accept)
                self.assertNotIn('?action=start', text, accept)

    def test_uri_list_of_one_compute_is_400(self):
        server = self.nova.add_server()
        response = self.call('/compute/' + server['id'],
                             accept='text/uri-list')
        self.assertEqual(400, response.status_int)

    def test_unknown_compute_is_404_in_the_asked_rendering(self):
        response = self.call('/compute/nope',
                             accept='application/occi+json')
        self.assertEqual(404, response.status_int)
        self.assertEqual(404, response.json['error']['code'])
        self.assertIn('nope', response.json['error']['message'])

    def test_state_table(self):
        cases = [('SHUTOFF', None, 'inactive', ['start', 'restart', 'save']),
                 ('SUSPENDED', None, 'suspended', ['start']),
                 ('SHELVED_OFFLOADED', None, 'suspended', ['start']),
                 ('ERROR', None, 'error', ['restart']),
                 ('ACTIVE', 'image_uploading', 'active', []),
                 ('BUILD', 'spawning', 'inactive', [])]
        for status, task, state, actions in cases:
            server = self.nova.add_server(status=status, task_state=task)
            response = self.call('/compute/' + server['id'],
                                 accept='application/occi+json')
            body = response.json
            self.assertEqual(state, body['attributes'][
                'occi.compute.state'], status)
            message = body['attributes']['occi.compute.state.message']
            self.assertIn(status, message)
            if task:
                self.assertIn(task, message)
            self.assertEqual(sorted(ACTION + a for a in actions),
                             sorted(body.get('actions', [])), status)

    def test_state_message_tells_of_a_failed_deferred_save(self):
        record = ('{"v": 1, "id": "c1", "step": "failed", "m": "deferred", '
                  '"err": "the snapshot upload failed"}')
        server = self.nova.add_server(
            status='ACTIVE', metadata={'ooi_save': record,
                                       'ooi_save_name': 'golden'})
        for accept in ('text/plain', 'application/occi+json'):
            response = self.call('/compute/' + server['id'], accept=accept)
            self.assertEqual(200, response.status_int)
            self.assertIn('ACTIVE; deferred save failed: the snapshot '
                          'upload failed', response.text)

    def test_collection_is_one_call_per_page(self):
        self.nova.page_size = 2
        ids = [self.nova.add_server(name='s%d' % i)['id'] for i in range(5)]
        for accept in ('text/plain', 'text/occi', 'text/uri-list',
                       'application/occi+json'):
            response = self.call('/compute/', accept=accept)
            self.assertEqual(200, response.status_int)
            # Three pages; full renderings read the flavors once too, lists
            # of locations the servers being deleted (one listing).
            self.assertEqual('nova=4, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
            text = response.text + str(response.headers)
            for server_id in ids:
                if accept.endswith('json'):
                    self.assertIn('"id":"%s"' % server_id, text)
                else:
                    self.assertIn('/occi1.2/compute/' + server_id, text)

    def test_collection_pages(self):
        self.nova.page_size = 2
        ids = [self.nova.add_server(name='s%d' % i)['id'] for i in range(5)]
        for accept in ('text/plain', 'text/occi', 'text/uri-list',
                       'application/occi+json'):
            pages = []
            for page, calls in ((1, 1), (2, 2), (3, 3), (4, 3)):
                response = self.call('/compute/?page=%d&number=2' % page,
                                     accept=accept)
                self.assertEqual(200, response.status_int, response.text)
                # Nova is asked for no more than the pages up to this one.
                # A first page in full reads the flavors too; a list of
                # locations, the servers being deleted (one listing).
                if not accept.endswith('json'):
                    calls += 1
                elif page == 1:
                    calls += 1
                self.assertEqual('nova=%d, glance=0' % calls,
                                 response.headers['X-OCCI-Backend-Calls'])
                pages.append(self.listed(response, accept))
            self.assertEqual([ids[0:2], ids[2:4], ids[4:5], []], pages,
                             accept)

    def test_bad_paging_is_refused_in_the_asked_rendering(self):
        self.nova.add_server()
        cases = (('page=0&number=2', 400, 'page'),
                 ('page=1&number=-1', 400, 'number'),
                 ('page=one&number=2', 400, 'page'),
                 ('page=1', 400, 'number'),
                 ('page=1&number=1001', 413, '1000'))
        for query, status, said in cases:
            for accept in ('text/plain', 'application/occi+json'):
                response = self.call('/compute/?' + query, accept=accept)
                self.assertEqual(status, response.status_int, query)
                self.assertEqual(accept, response.content_type, query)
                self.assertIn(said, response.text, query)
                self.assertEqual('nova=0, glance=0',
                                 response.headers['X-OCCI-Backend-Calls'])

    def test_collection_filtered_by_attribute(self):
        self.nova.add_server(name='keep')
        self.nova.add_server(name='drop')
        response = self.call('/compute/', accept='text/uri-list', headers={
            'X-OCCI-Attribute': 'occi.core.title="keep"'})
        self.assertEqual(1, len(response.text.split()))
