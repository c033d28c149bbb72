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

"""The mini-cloud itself, through the native APIs.

Both nova-api nodes behind HAProxy answer, each on its own and through
HAProxy, with OCCI's ``Server`` header, on the same cloud.
"""

import requests

from tests.functional import base


class NodesTest(base.TestCase):
    """Both nova-api nodes answer, each itself and through HAProxy."""

    def test_every_node_answers_occi_with_its_server_header(self):
        self.assertEqual(2, len(self.occi_nodes))
        for url in self.occi_nodes + [self.occi_url]:
            response = self.occi('GET', '/-/', url=url)
            self.assertEqual(200, response.status_code, url)
            self.assertTrue(response.headers['Server'].startswith(
                'ooi-save/'), response.headers)
            self.assertIn('OCCI/1.2', response.headers['Server'])

    def test_a_server_made_through_one_node_is_seen_by_the_other(self):
        server_id = self.boot(wait=False)
        for url in self.nova_nodes:
            response = requests.get(
                url + '/servers/%s' % server_id, timeout=60,
                headers={'X-Auth-Token': self.token})
            self.assertEqual(200, response.status_code, url)
