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

"""The outer filter (occi_head): OCCI's Server header and 401 on the
answers of others."""

import json

import testtools
import webob
import webob.dec

from ooi_save.http import outer
from ooi_save import version
from tests.unit import base
from tests.unit import client
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import nova as fake_nova

KEYSTONE_URI = 'Keystone uri="http://keystone.test/v3"'
#: keystonemiddleware's answer to a request without a token, at the wire.
AUTHTOKEN_401 = json.dumps({'error': {
    'code': 401, 'title': 'Unauthorized',
    'message': 'The request you have made requires authentication.'}})


class Pipeline:
    """What sits below the head filter: authtoken, then the rest."""

    def __init__(self):
        self.seen = []

    @webob.dec.wsgify
    def __call__(self, request):
        self.seen.append(request)
        if 'X-Auth-Token' not in request.headers:
            response = webob.Response(status=401, body=AUTHTOKEN_401.encode(),
                                      content_type='application/json',
                                      charset=None)
            response.headers['WWW-Authenticate'] = KEYSTONE_URI
            response.headers['X-Openstack-Request-Id'] = 'req-below'
            return response
        return webob.Response(body=b'{"servers": []}',
                              content_type='application/json', charset=None)


def build(**local_conf):
    below = Pipeline()
    return outer.filter_factory({}, **local_conf)(below), below


class OuterFilterTest(testtools.TestCase):

    def test_401_in_every_rendering(self):
        app, _ = build()
        message = 'The request you have made requires authentication.'
        for accept, content_type in (
                (None, 'text/plain; charset=utf-8'),
                ('text/plain', 'text/plain; charset=utf-8'),
                ('text/occi', 'text/occi'),
                ('application/occi+json', 'application/occi+json'),
                ('text/uri-list', 'text/plain; charset=utf-8'),
                ('image/png', 'text/plain; charset=utf-8')):
            headers = {'Accept': accept} if accept else {}
            response = client.blank('/-/', headers=headers).get_response(app)
            self.assertEqual(401, response.status_int, accept)
            self.assertEqual(version.SERVER_HEADER,
                             response.headers['Server'], accept)
            self.assertEqual(KEYSTONE_URI,
                             response.headers['WWW-Authenticate'], accept)
            self.assertEqual('req-below',
                             response.headers['X-Openstack-Request-Id'])
            self.assertEqual(content_type, response.headers['Content-Type'],
                             accept)
            self.assertEqual(str(len(response.body)),
                             response.headers['Content-Length'])
            if content_type.endswith('json'):
                self.assertEqual({'code': 401, 'message': message},
                                 response.json['error'], accept)
            else:
                self.assertEqual(message, response.text, accept)

    def test_other_answers_get_the_server_header_only(self):
        app, below = build()
        response = client.blank('/compute/', headers={
            'X-Auth-Token': 'valid'}).get_response(app)
        self.assertEqual(200, response.status_int)
        self.assertEqual(version.SERVER_HEADER, response.headers['Server'])
        self.assertEqual(b'{"servers": []}', response.body)
        self.assertEqual('/compute/', below.seen[-1].path_info)

    def test_answers_of_the_occi_filter_pass_untouched(self):
        occi, _ = base.build({'resume_saves_at_startup': 'false'})
        headed = outer.OuterFilter(occi, occi.conf)
        self.useFixture(fake_glance.GlanceFixture([]))
        for path, accept in (('/-/', 'text/plain'),
                             ('/compute/nope', 'application/occi+json')):
            context = fake_nova.Context()
            expected = client.call(occi, path, accept=accept, body=None,
                                   context=context)
            response = client.call(headed, path, accept=accept, body=None,
                                   context=context)
            self.assertEqual(expected.status, response.status)
            self.assertEqual(expected.body, response.body)
            self.assertEqual(sorted(expected.headerlist),
                             sorted(response.headerlist))

    def test_outside_the_prefix_nothing_changes(self):
        app, _ = build(prefix='/occi')
        for path in ('/servers', '/occix/-/'):
            response = client.blank(path, '/v2.1').get_response(app)
            self.assertEqual(401, response.status_int)
            self.assertNotIn('Server', response.headers)
            self.assertEqual(AUTHTOKEN_401.encode(), response.body)
        response = client.blank('/occi/-/', '/v2.1').get_response(app)
        self.assertEqual(version.SERVER_HEADER, response.headers['Server'])
        self.assertEqual(KEYSTONE_URI, response.headers['WWW-Authenticate'])

    def test_factory_merges_global_and_local_conf(self):
        app, _ = build(prefix='/occi')
        self.assertEqual('/occi', app.prefix)
        app = outer.filter_factory({'prefix': '/global'})(Pipeline())
        self.assertEqual('/global', app.prefix)
