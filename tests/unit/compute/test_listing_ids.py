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

"""Lists of compute locations from Nova's summary listing.

The servers being deleted (task state ``deleting``), deleted but still
listed for a moment (``DELETED``) or soft-deleted (``SOFT_DELETED``) are
left out of every listing, as the detailed listing leaves them out of
JSON, at two summary listings whatever the project's size.
"""

from tests.unit.compute import base as compute_base

LISTINGS = ('text/uri-list', 'text/plain', 'text/occi',
            'application/occi+json')


class IdsTest(compute_base.ComputeTestCase):

    def setUp(self):
        super().setUp()
        self.kept = self.nova.add_server(name='kept')['id']
        self.nova.add_server(name='going', task_state='deleting')
        self.nova.add_server(name='deleted', status='DELETED')
        self.nova.add_server(name='soft', status='SOFT_DELETED')

    def test_only_what_is_no_deletion_in_three_calls(self):
        for accept in LISTINGS:
            response = self.call('/compute/', accept=accept)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual([self.kept], self.listed(response, accept),
                             accept)
            if not accept.endswith('json'):
                self.assertEqual('nova=3, glance=0',
                                 response.headers['X-OCCI-Backend-Calls'])

    def test_pages_count_only_what_is_listed(self):
        ids = [self.kept] + [self.nova.add_server(name='vm%d' % n)['id']
                             for n in range(3)]
        for accept in LISTINGS:
            pages = [self.listed(self.call(
                '/compute/?page=%d&number=2' % page, accept=accept), accept)
                for page in (1, 2, 3)]
            self.assertEqual([ids[0:2], ids[2:4], []], pages, accept)
