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

import uuid

from tests.functional import base

#: Headers that differ between any two answers of Nova.
VOLATILE = {'date', 'x-compute-request-id', 'x-openstack-request-id',
            'content-length'}


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
        # authtoken answers before the OCCI filter; occi_head, first in
        # both pipelines, gives its 401 OCCI's Server header and rendering.
        message = 'The request you have made requires authentication.'
        for url in (self.occi_url + '/-/', self.nova_url + '/occi/-/'):
            response = base.requests.get(url, timeout=30)
            self.assertEqual(401, response.status_code)
            self.assertIn('Keystone uri=', response.headers[
                'WWW-Authenticate'])
            self.assertRegex(response.headers['Server'],
                             r'^ooi-save/\S+ OCCI/1\.2$')
            self.assertEqual('text/plain; charset=utf-8',
                             response.headers['Content-Type'])
            self.assertEqual(message, response.text.splitlines()[0])
            response = base.requests.get(url, timeout=30, headers={
                'Accept': 'application/occi+json'})
            self.assertEqual((401, message), (
                response.json()['error']['code'],
                response.json()['error']['message']))
            self.assertIn('Keystone uri=', response.headers[
                'WWW-Authenticate'])

    def test_bad_token_is_401(self):
        response = self.occi('GET', '/-/', token='not-a-token')
        self.assertEqual(401, response.status_code)
        self.assertRegex(response.headers['Server'], r' OCCI/1\.2$')
        self.assertIn('Keystone uri=', response.headers['WWW-Authenticate'])

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

    def test_native_answers_equal_those_without_the_filter(self):
        # The mini-cloud mounts the /v2.1 pipeline without the OCCI filter
        # at /plain/v2.1 (tools/minicloud, write_api_paste): the same native
        # requests through deployment (b) and around it answer the same,
        # but for request ids, dates and the mount in Nova's links.
        # NOTE: the listings are narrowed to our own server, which nothing
        # else changes: tests running alongside change theirs.
        name = 'passthrough-%s' % uuid.uuid4().hex[:8]
        server_id = self.boot(name=name)
        v290 = {'OpenStack-API-Version': base.MICROVERSION}
        requests = [
            ('GET', '/servers/detail?name=%s' % name, v290, None, 200),
            ('GET', '/servers?name=%s' % name, {}, None, 200),
            ('GET', '/servers/%s' % server_id, v290, None, 200),
            ('GET', '/flavors', {}, None, 200),
            ('GET', '/servers', {'OpenStack-API-Version': 'compute 9.99'},
             None, 406),
            ('POST', '/servers', v290, {'server': {'name': 'no image'}},
             400),
            ('POST', '/servers/%s/action' % server_id, v290,
             {'no-such-action': None}, 400),
            ('GET', '/servers/%s' % uuid.uuid4(), v290, None, 404),
            ('DELETE', '/servers/%s' % uuid.uuid4(), v290, None, 404),
            # Paths that begin like the filter's prefix but are not below it.
            ('GET', '/occix/-/', v290, None, 404),
            ('GET', '/occi-/compute/', v290, None, 404),
        ]
        plain_url = self.nova_url[:-len('/v2.1')] + '/plain/v2.1'
        host = self.nova_url[:-len('/v2.1')]
        for method, path, headers, body, status in requests:
            what = '%s %s' % (method, path)
            answers = []
            for url in (self.nova_url, plain_url):
                answers.append(base.requests.request(
                    method, url + path, json=body, timeout=60,
                    headers=dict(headers, **{'X-Auth-Token': self.token})))
            through, plain = answers
            self.assertEqual((status, status), (plain.status_code,
                                                through.status_code), what)
            self.assertEqual(
                sorted((k.lower(), v) for k, v in plain.headers.items()
                       if k.lower() not in VOLATILE),
                sorted((k.lower(), v) for k, v in through.headers.items()
                       if k.lower() not in VOLATILE), what)
            plain_body = plain.content.replace(
                (host + '/plain/').encode(), (host + '/').encode())
            self.assertEqual(plain_body, through.content, what)
            self.assertEqual(str(len(through.content)),
                             through.headers['Content-Length'], what)
            if method == 'GET' and status == 200:
                self.assertIn(b'"links"', through.content, what)

    def test_native_answers_without_token_equal_those_without_filter(self):
        plain_url = self.nova_url[:-len('/v2.1')] + '/plain/v2.1'
        through = base.requests.get(self.nova_url + '/servers', timeout=30)
        plain = base.requests.get(plain_url + '/servers', timeout=30)
        self.assertEqual((401, 401), (through.status_code,
                                      plain.status_code))
        self.assertEqual(plain.content, through.content)
        self.assertEqual(plain.headers['WWW-Authenticate'],
                         through.headers['WWW-Authenticate'])
