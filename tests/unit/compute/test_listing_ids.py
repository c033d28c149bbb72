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
JSON, at two summary listings whatever the project's size: the servers
being deleted, then the others by status.
"""

import urllib.parse

import webob.multidict

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

    def test_only_what_is_no_deletion_in_two_calls(self):
        for accept in LISTINGS:
            response = self.call('/compute/', accept=accept)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual([self.kept], self.listed(response, accept),
                             accept)
            if not accept.endswith('json'):
                self.assertEqual('nova=2, glance=0',
                                 response.headers['X-OCCI-Backend-Calls'])

    def test_the_servers_being_deleted_are_read_first(self):
        # A DELETE answered before the request is never listed: the
        # listing by status comes after the one of the task state, so that
        # a server it shows not DELETED yet was ``deleting`` before.
        del self.nova.calls[:]
        self.call('/compute/', accept='text/uri-list')
        listings = [webob.multidict.MultiDict(urllib.parse.parse_qsl(
            urllib.parse.urlsplit(path_qs).query))
            for method, path_qs, _, _ in self.nova.calls
            if urllib.parse.urlsplit(path_qs).path.endswith('/servers')]
        self.assertEqual(2, len(listings))
        self.assertEqual(['deleting'], listings[0].getall('task_state'))
        self.assertNotIn('DELETED', listings[1].getall('status'))
        self.assertNotIn('SOFT_DELETED', listings[1].getall('status'))
        self.assertIn('SHUTOFF', listings[1].getall('status'))

    def test_servers_in_a_task_are_listed(self):
        # The statuses of a VM state in a task (REBOOT is ACTIVE and
        # rebooting) are computes still: the filter names VM states.
        busy = [self.nova.add_server(name=status, status=status)['id']
                for status in ('REBOOT', 'HARD_REBOOT', 'MIGRATING',
                               'RESIZE', 'REVERT_RESIZE', 'SHUTOFF',
                               'SHELVED_OFFLOADED', 'ERROR')]
        response = self.call('/compute/', accept='text/uri-list')
        self.assertEqual(sorted(busy + [self.kept]),
                         sorted(self.listed(response, 'text/uri-list')))

    def test_pages_count_only_what_is_listed(self):
        ids = [self.kept] + [self.nova.add_server(name='vm%d' % n)['id']
                             for n in range(3)]
        for accept in LISTINGS:
            pages = [self.listed(self.call(
                '/compute/?page=%d&number=2' % page, accept=accept), accept)
                for page in (1, 2, 3)]
            self.assertEqual([ids[0:2], ids[2:4], []], pages, accept)
