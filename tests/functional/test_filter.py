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

"""The filter in the real nova-api: both deployments, auth, pass-through."""

from tests.functional import base


class FilterTest(base.TestCase):

    def test_query_interface_in_both_deployments(self):
        own_prefix = self.occi('GET', '/-/')
        in_v21 = self.occi('GET', '/occi/-/', url=self.nova_url)
        for response in (own_prefix, in_v21):
            self.assertEqual(200, response.status_code, response.text)
            self.assertRegex(response.headers['Server'],
                             r'^ooi-save/\S+ OCCI/1\.2$')
            self.assertIn('Category: compute; scheme="http://schemas.ogf.'
                          'org/occi/infrastructure#"; class="kind"',
                          response.text)
        self.assertIn('location="%s/compute/"' % self.occi_url,
                      own_prefix.text)
        self.assertIn('location="%s/occi/compute/"' % self.nova_url,
                      in_v21.text)

    def test_well_known_query_interface(self):
        response = self.occi('GET', '/.well-known/org/ogf/occi/-/',
                             headers={'Accept': 'application/occi+json'})
        self.assertEqual(200, response.status_code)
        kinds = {k['term'] for k in response.json()['kinds']}
        self.assertLessEqual({'compute', 'storage', 'network'}, kinds)

    def test_without_token_keystone_answers_401(self):
        for url in (self.occi_url + '/-/', self.nova_url + '/occi/-/'):
            response = base.requests.get(url, timeout=30)
            self.assertEqual(401, response.status_code)
            self.assertIn('Keystone uri=', response.headers[
                'WWW-Authenticate'])

    def test_bad_token_is_401(self):
        response = self.occi('GET', '/-/', token='not-a-token')
        self.assertEqual(401, response.status_code)

    def test_native_api_passes_through_deployment_b(self):
        # NOTE: the unit tests prove the environ reaches Nova untouched;
        # here the real nova-api answers native requests as Nova does.
        server_id = self.boot()
        for path in ('/servers/detail', '/servers/%s' % server_id,
                     '/flavors/detail'):
            through = self.nova('GET', path)
            self.assertEqual(200, through.status_code, through.text)
            self.assertNotIn('OCCI', through.headers.get('Server', ''))
            self.assertEqual('application/json',
                             through.headers['Content-Type'])
            self.assertEqual(base.MICROVERSION,
                             through.headers['OpenStack-API-Version'])
            self.assertIn(server_id if 'servers' in path else 'm1.tiny',
                          through.text)
        server = self.nova('GET', '/servers/%s' % server_id).json()['server']
        self.assertEqual('ACTIVE', server['status'])
        self.assertEqual('m1.tiny', server['flavor']['original_name'])
