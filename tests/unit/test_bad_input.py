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

"""Bad input: a clear 4xx in the client's rendering, never a 500.

One test class per kind of input that once answered 500 (issue 11, finding
6, and what the functional fuzz found next): paths, query strings, values
of the wrong type, page numbers, the announced OCCI version, bodies above
the size limit. The real filter runs over a Nova faked at the wire.
"""

import io
import json

import webob
import webob.exc

from ooi_save.http import outer
from tests.unit import base
from tests.unit import client
from tests.unit.fakes import glance as fake_glance

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'
JSON = 'application/occi+json'
NO_RESUME = {'resume_saves_at_startup': 'false'}


class Base(base.FilterTestCase):

    accept = JSON

    def setUp(self):
        super().setUp()
        self.occi, self.nova = base.build(NO_RESUME)
        self.useFixture(fake_glance.GlanceFixture([
            {'id': 'image-1', 'name': 'cirros', 'status': 'active'}]))

    def assertRefused(self, status, response, accept=JSON, words=()):
        """A refusal with the status, in the rendering asked for."""
        self.assertEqual(status, response.status_int, response.text)
        self.assertEqual(accept, response.content_type)
        self.assertNotIn('Traceback', response.text)
        if accept.endswith('json'):
            message = response.json['error']['message']
            self.assertEqual(status, response.json['error']['code'])
        else:
            message = response.text
        for word in words:
            self.assertIn(word, message)
        return message


class PathTest(Base):
    """Paths are read as UTF-8 once; ids stay in their segment."""

    def test_non_ascii_id_is_404_in_the_rendering(self):
        for accept in (JSON, 'text/plain', 'text/occi'):
            response = self.call('/compute/%C3%A9', accept=accept)
            self.assertRefused(404, response, accept, words=['\u00e9'])
        self.assertEqual([], self.nova.calls)

    def test_invalid_utf8_path_is_400(self):
        response = self.call('/compute/%FF%FE')
        self.assertRefused(400, response, words=['/compute/%FF%FE', 'UTF-8'])
        response = self.call('/%C3')
        self.assertRefused(400, response)

    def test_escapes_are_decoded_once(self):
        server = self.nova.add_server()
        # %253F arrives as %3F in PATH_INFO: an id, not a query for Nova.
        response = self.call('/compute/%s%%253Faction=stop' % server['id'])
        self.assertRefused(404, response, words=['%3F'])
        response = self.call('/compute/%s%%3Faction' % server['id'])
        self.assertRefused(404, response, words=['?action'])
        self.assertEqual([], self.nova.calls)
        self.assertEqual('ACTIVE', server['status'])

    def test_novas_own_paths_are_no_computes(self):
        server = self.nova.add_server()
        for method, path in (('GET', '/compute/detail'),
                             ('DELETE', '/compute/detail'),
                             ('POST', '/compute/detail?action=stop'),
                             ('POST', '/compute/detail?action=save'),
                             ('GET', '/compute/..')):
            response = self.call(path, method=method)
            self.assertRefused(404, response, words=['could not be found'])
        self.assertEqual([], self.nova.calls)
        self.assertIn(server['id'], self.nova.servers)

    def test_a_real_id_is_still_served(self):
        server = self.nova.add_server()
        response = self.call('/compute/%s' % server['id'])
        self.assertEqual(200, response.status_int)
        self.assertEqual(server['id'], response.json['id'])


class QueryTest(Base):

    def test_invalid_utf8_query_is_400(self):
        server = self.nova.add_server()
        for method, path in (
                ('GET', '/-/?category=%ff%fe'),
                ('GET', '/compute/?page=%C3&number=1'),
                ('POST', '/compute/%s?action=%%ff' % server['id'])):
            for accept in (JSON, 'text/plain'):
                response = self.call(path, accept=accept, method=method)
                self.assertRefused(400, response, accept,
                                   words=['query string', 'UTF-8'])

    def test_non_ascii_query_is_read_as_text(self):
        response = self.call('/-/?category=%C3%A9')
        self.assertEqual(200, response.status_int)
        self.assertEqual({'kinds': [], 'mixins': [], 'actions': []},
                         response.json)


class PageTest(Base):

    def test_numbers_python_reads_but_we_do_not(self):
        for page in ('%C2%B2', '%D9%A1', '1' * 5000, '9' * 20,
                     str(2 ** 63), '-1', '0', '1e3', '%2B1', '0x10'):
            response = self.call('/compute/?page=%s&number=1' % page)
            self.assertRefused(400, response, words=['"page"'])
        response = self.call('/compute/?page=1&number=%s' % ('7' * 5000))
        self.assertRefused(400, response, words=['"number"'])

    def test_the_largest_page_is_empty(self):
        self.nova.add_server()
        response = self.call('/compute/?page=%d&number=1' % (2 ** 63 - 1))
        self.assertEqual(200, response.status_int)
        self.assertEqual({'resources': []}, response.json)
        response = self.call('/compute/?page=1&number=1')
        self.assertEqual(1, len(response.json['resources']))


class TypeTest(Base):
    """Values of another type than the model gives their attribute."""

    def create(self, content_type, body):
        return self.call('/compute/', method='POST', body=body,
                         headers={'Content-Type': content_type})

    def test_json_string_where_a_number_belongs(self):
        for name, value in (('occi.compute.cores', 'many'),
                            ('occi.compute.cores', 1.5),
                            ('occi.compute.cores', True),
                            ('occi.compute.memory', '0.5'),
                            ('occi.compute.memory', [1]),
                            ('occi.core.title', 7),
                            ('occi.compute.hostname', {'a': 1})):
            body = json.dumps({'kind': INFRA + 'compute',
                               'attributes': {name: value}}).encode()
            response = self.create(JSON, body)
            self.assertRefused(400, response, words=[name])
        self.assertEqual([], self.nova.created)

    def test_text_quoted_number(self):
        body = ('Category: compute; scheme="%s"; class="kind"\n'
                'X-OCCI-Attribute: occi.compute.cores="many"\n' % INFRA)
        response = self.call('/compute/', method='POST', body=body.encode(),
                             accept='text/plain',
                             headers={'Content-Type': 'text/plain'})
        self.assertRefused(400, response, 'text/plain',
                           words=['occi.compute.cores', 'integer'])
        self.assertEqual([], self.nova.created)

    def test_action_parameter_of_the_wrong_type(self):
        server = self.nova.add_server()
        body = json.dumps({'action': ACTION + 'stop',
                           'attributes': {'method': 5}}).encode()
        response = self.call('/compute/%s?action=stop' % server['id'],
                             method='POST', body=body,
                             headers={'Content-Type': JSON})
        self.assertRefused(400, response, words=['method', 'string'])
        self.assertEqual([], self.nova.actions)
        self.assertEqual('ACTIVE', server['status'])

    def test_numbers_of_the_right_type_pass(self):
        body = json.dumps({
            'kind': INFRA + 'compute',
            'mixins': [OS + 'image-1', RES + '1'],
            'attributes': {'occi.compute.cores': 1,
                           'occi.compute.memory': 0.5}}).encode()
        response = self.create(JSON, body)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual(1, len(self.nova.created))


class VersionTest(Base):

    def test_newer_occi_is_501_in_the_negotiated_rendering(self):
        for accept in (JSON, 'text/occi', 'text/plain'):
            response = self.call('/-/', accept=accept, headers={
                'User-Agent': 'rOCCI-cli OCCI/2.0'})
            self.assertRefused(501, response, accept, words=['OCCI 2.0'])


class _Input(io.RawIOBase):
    """A WSGI input of unknown length that counts what is read of it."""

    def __init__(self, size):
        super().__init__()
        self.left = size
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.left)
        buffer[:count] = b'x' * count
        self.left -= count
        self.read_bytes += count
        return count


class BodySizeTest(Base):

    def setUp(self):
        super().setUp()
        self.occi, self.nova = base.build(NO_RESUME, max_body_size=100)

    def post(self, body=None, stream=None, accept=JSON):
        request = client.request('/compute/', method='POST', headers={
            'Content-Type': 'text/plain', 'Accept': accept})
        if stream is not None:
            request.environ['wsgi.input'] = stream
            request.environ['wsgi.input_terminated'] = True
            request.environ.pop('CONTENT_LENGTH', None)
        else:
            request.body = body
        return request.get_response(self.occi)

    def test_content_length_above_the_limit_is_413(self):
        for accept in (JSON, 'text/plain', 'text/occi'):
            response = self.post(b'x' * 101, accept=accept)
            self.assertRefused(413, response, accept, words=['100 bytes'])
        self.assertEqual([], self.nova.calls)

    def test_chunked_body_is_read_no_further_than_the_limit(self):
        stream = _Input(10 ** 7)
        response = self.post(stream=stream)
        self.assertRefused(413, response, words=['100 bytes'])
        self.assertEqual(101, stream.read_bytes)
        self.assertEqual([], self.nova.calls)

    def test_body_at_the_limit_is_parsed(self):
        response = self.post(b'Category: nothing' + b' ' * 83)
        self.assertEqual(100, len(b'Category: nothing' + b' ' * 83))
        self.assertRefused(400, response)
        self.assertNotIn('bytes', response.json['error']['message'])

    def test_chunked_body_within_the_limit_is_parsed(self):
        stream = _Input(50)
        response = self.post(stream=stream)
        self.assertEqual(50, stream.read_bytes)
        self.assertRefused(400, response)

    def test_sizelimit_ahead_of_us_is_rendered_as_occi(self):
        @webob.dec.wsgify
        def sizelimit(request):
            # oslo.middleware's RequestBodySizeLimiter, at the wire.
            return webob.exc.HTTPRequestEntityTooLarge()
        headed = outer.OuterFilter(sizelimit, self.occi.conf)
        for accept in (JSON, 'text/occi', 'text/plain'):
            response = client.call(headed, '/compute/', 'POST', accept,
                                   body=None)
            self.assertRefused(413, response, accept, words=['larger'])
