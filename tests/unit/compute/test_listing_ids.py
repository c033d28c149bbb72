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

The servers being deleted (task state ``deleting``) and, where nova-api
soft-deletes (``reclaim_instance_interval``), the soft-deleted ones are
left out of every listing, as the detailed listing leaves them out of
JSON; they cost one summary listing each, whatever the project's size.
"""

from oslo_config import cfg

from ooi_save import config
from ooi_save.http import filter as occi_filter
from tests.unit import base
from tests.unit.compute import base as compute_base
from tests.unit.fakes import nova as fake_nova

LISTINGS = ('text/uri-list', 'text/plain', 'text/occi',
            'application/occi+json')


class IdsTest(compute_base.ComputeTestCase):

    def build(self, reclaim_instance_interval=None):
        conf, _ = base.make_conf()
        if reclaim_instance_interval is not None:
            # nova-api's own option, registered where nova runs.
            conf.register_opt(cfg.IntOpt('reclaim_instance_interval'))
            conf.set_override('reclaim_instance_interval',
                              reclaim_instance_interval)
        self.nova = fake_nova.FakeNova()
        self.occi = occi_filter.OCCIFilter(self.nova, config.FilterConfig(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'}, conf))
        self.kept = self.nova.add_server(name='kept')['id']
        self.going = self.nova.add_server(name='going',
                                          task_state='deleting')['id']
        self.soft = self.nova.add_server(name='soft',
                                         status='SOFT_DELETED')['id']

    def check(self, calls, listed):
        for accept in LISTINGS:
            response = self.call('/compute/', accept=accept)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual(listed, self.listed(response, accept), accept)
            if not accept.endswith('json'):
                self.assertEqual(calls,
                                 response.headers['X-OCCI-Backend-Calls'])

    def test_deleting_left_out_at_two_calls(self):
        self.build()
        # Without soft deletion Nova shows no SOFT_DELETED server; the
        # detailed listing (JSON) would leave one out.
        response = self.call('/compute/', accept='text/uri-list')
        self.assertEqual('nova=2, glance=0',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertNotIn(self.going, response.text)
        self.assertIn(self.kept, response.text)

    def test_soft_deleted_left_out_at_three_calls(self):
        self.build(reclaim_instance_interval=3600)
        self.check('nova=3, glance=0', [self.kept])

    def test_a_page_counts_only_what_is_listed(self):
        self.build(reclaim_instance_interval=3600)
        more = [self.nova.add_server(name='vm%d' % n)['id']
                for n in range(3)]
        ids = [self.kept] + more
        for accept in LISTINGS:
            pages = [self.listed(self.call(
                '/compute/?page=%d&number=2' % page, accept=accept), accept)
                for page in (1, 2, 3)]
            self.assertEqual([ids[0:2], ids[2:4], []], pages, accept)
