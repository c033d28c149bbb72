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

"""The text renderings (text/plain, text/occi+plain, text/occi) as read:
:mod:`ooi_save.occi.parsing.text`."""

import testtools

from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure as infra
from ooi_save.occi.parsing import text
from ooi_save.occi import requests

PROVIDER_OS = 'http://cloud.example.com/occi/os_tpl#'


class TestParsing(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.plain = text.PlainParser('text/plain')
        self.headers = text.HeaderParser('text/occi')

    def test_create_compute_curl_style(self):
        headers = [
            ('Category', 'compute; scheme="http://schemas.ogf.org/occi/'
                         'infrastructure#"; class="kind"'),
            ('Category', 'img1; scheme="%s"; class="mixin", ssh_key; '
                         'scheme="http://schemas.ogf.org/occi/infrastructure/'
                         'credentials#"; class="mixin"' % PROVIDER_OS),
            ('X-OCCI-Attribute', 'occi.core.title="vm, the first", '
                                 'occi.compute.cores=2'),
            ('X-OCCI-Attribute', 'occi.credentials.ssh.publickey='
                                 '"ssh-rsa AAAA x@y"'),
            ('Content-Type', 'text/occi'),
        ]
        request = self.headers.entity(headers, b'')
        self.assertEqual(infra.COMPUTE.type_id, request.kind)
        self.assertEqual([PROVIDER_OS + 'img1', infra.SSH_KEY.type_id],
                         request.mixins)
        self.assertEqual({'occi.core.title': 'vm, the first',
                          'occi.compute.cores': 2,
                          'occi.credentials.ssh.publickey':
                              'ssh-rsa AAAA x@y'}, request.attributes)
        self.assertEqual('vm, the first', request.title)

    def test_header_names_any_case_and_whitespace(self):
        headers = [('CATEGORY', '  compute ;scheme = '
                                '"http://schemas.ogf.org/occi/'
                                'infrastructure#" ;  class = kind  '),
                   ('x-occi-attribute', ' occi.compute.memory = 2.5 ')]
        request = self.headers.entity(headers, b'OK')
        self.assertEqual(infra.COMPUTE.type_id, request.kind)
        self.assertEqual({'occi.compute.memory': 2.5}, request.attributes)

    def test_values_typed(self):
        body = (b'Category: compute; scheme="http://schemas.ogf.org/occi/'
                b'infrastructure#"; class="kind"\n'
                b'X-OCCI-Attribute: a.s="x \\"q\\" \\\\", a.i=-3, a.f=.5, '
                b'a.e=1e3, a.t=true, a.b=false, a.token=static\n')
        request = self.plain.entity([], body)
        self.assertEqual({'a.s': 'x "q" \\', 'a.i': -3, 'a.f': 0.5,
                          'a.e': 1000.0, 'a.t': True, 'a.b': False,
                          'a.token': 'static'}, request.attributes)

    def test_rocci_values_kept_as_given(self):
        body = (b'Category: save;scheme="http://schemas.ogf.org/occi/'
                b'infrastructure/compute/action#";class="action"\n'
                b'X-OCCI-Attribute: method="deffered"\n'
                b'X-OCCI-Attribute: name="backup"\n')
        request = self.plain.action([], body)
        self.assertEqual(infra.COMPUTE_SAVE.type_id, request.action)
        self.assertEqual({'method': 'deffered', 'name': 'backup'},
                         request.attributes)

    def test_action_from_headers_with_ok_body(self):
        headers = [('Category', 'stop; scheme="http://schemas.ogf.org/occi/'
                                'infrastructure/compute/action#"; '
                                'class="action"'),
                   ('X-OCCI-Attribute', 'method="graceful"')]
        request = self.headers.action(headers, b'OK')
        self.assertEqual(
            requests.ActionRequest(infra.COMPUTE_STOP.type_id,
                                   {'method': 'graceful'}), request)

    def test_rendering_in_body_of_text_occi_is_read(self):
        body = (b'Category: start; scheme="http://schemas.ogf.org/occi/'
                b'infrastructure/compute/action#"; class=action\r\n')
        request = self.headers.action([('Accept', 'text/occi')], body)
        self.assertEqual(infra.COMPUTE_START.type_id, request.action)

    def test_category_lenient_forms(self):
        body = (b'Category: img; scheme="http://example.com/os#"; '
                b'class=mixin; title="A, B"; location="/os_tpl/img/"; '
                b'rel="http://schemas.ogf.org/occi/infrastructure#os_tpl '
                b'http://schemas.ogf.org/occi/infrastructure#compute";\r\n'
                b'Category: compute; scheme="http://schemas.ogf.org/occi/'
                b'infrastructure#"; class="KIND"; location="/compute/"; '
                b'rel="http://schemas.ogf.org/occi/core#resource"; '
                b'attributes="occi.compute.speed{immutable} '
                b'occi.compute.cores{required}"; x-unknown="ignored"\r\n')
        mixin, kind = self.plain.categories([], body)
        self.assertEqual(requests.CategoryRequest(
            'http://example.com/os#', 'img', category_class='mixin',
            title='A, B', location='/os_tpl/img/',
            rel=(infra.OS_TPL.type_id, infra.COMPUTE.type_id),
            depends=(infra.OS_TPL.type_id,),
            applies=(infra.COMPUTE.type_id,)), mixin)
        self.assertEqual('kind', kind.category_class)
        self.assertEqual(infra.RESOURCE.type_id, kind.parent)
        self.assertEqual('/compute/', kind.location)
        self.assertEqual(
            [('occi.compute.speed', False, False),
             ('occi.compute.cores', True, True)],
            [(a.name, a.mutable, a.required) for a in kind.attributes])

    def test_action_links_are_listed_not_linked(self):
        body = (b'Category: compute; scheme="http://schemas.ogf.org/occi/'
                b'infrastructure#"; class="kind"\n'
                b'Link: </compute/1?action=stop>; rel="http://schemas.ogf.'
                b'org/occi/infrastructure/compute/action#stop"\n')
        request = self.plain.entity([], body)
        self.assertEqual([], request.links)
        self.assertEqual([infra.COMPUTE_STOP.type_id], request.actions)

    def test_link_with_comma_in_uri(self):
        headers = [('Link', '</storage/a,b>; rel="http://schemas.ogf.org/'
                            'occi/infrastructure#storage"; '
                            'category="http://schemas.ogf.org/occi/'
                            'infrastructure#storagelink"; '
                            'occi.storagelink.deviceid="vdb", '
                            '</network/1>; rel="http://schemas.ogf.org/occi/'
                            'infrastructure#network"; self="/ni/1"')]
        request = self.headers.entity(headers, b'')
        self.assertEqual(['/storage/a,b', '/network/1'],
                         [link.target for link in request.links])
        self.assertEqual('vdb', request.links[0].attributes[
            'occi.storagelink.deviceid'])
        self.assertEqual(infra.STORAGELINK.type_id, request.links[0].kind)
        self.assertEqual('/ni/1', request.links[1].location)
        self.assertEqual(infra.NETWORK.type_id, request.links[1].target_kind)

    def test_obs_fold_continuation(self):
        body = (b'Category: compute;\r\n'
                b'  scheme="http://schemas.ogf.org/occi/infrastructure#";\r\n'
                b'\tclass="kind"\r\n'
                b'X-OCCI-Attribute: occi.core.title="a",\r\n'
                b' occi.compute.cores=1\r\n')
        request = self.plain.entity([], body)
        self.assertEqual(infra.COMPUTE.type_id, request.kind)
        self.assertEqual({'occi.core.title': 'a', 'occi.compute.cores': 1},
                         request.attributes)

    def test_locations(self):
        headers = [('X-OCCI-Location', '/compute/1, /compute/2'),
                   ('x-occi-location', '</compute/3>,"/compute/4"')]
        self.assertEqual(['/compute/1', '/compute/2', '/compute/3',
                          '/compute/4'],
                         self.headers.locations(headers, b''))

    def test_every_line_end(self):
        # CRLF (GFD.229), LF, LF CR (a compliance client) and a lone CR.
        lines = ['Category: compute; scheme="http://schemas.ogf.org/occi/'
                 'infrastructure#"; class="kind"',
                 'X-OCCI-Attribute: occi.core.title="a\u2028b"',
                 'X-OCCI-Attribute: occi.compute.cores=2']
        for end in ('\r\n', '\n', '\n\r', '\r'):
            for body in (end.join(lines), end.join(lines) + end,
                         end + end.join(lines) + end + end):
                entity = self.plain.entity([], body.encode())
                self.assertEqual(infra.COMPUTE.type_id, entity.kind,
                                 repr(end))
                # The Unicode line separator is no line end.
                self.assertEqual({'occi.core.title': 'a\u2028b',
                                  'occi.compute.cores': 2},
                                 entity.attributes, repr(end))

    def test_utf8_body(self):
        body = ('Category: compute; scheme="http://schemas.ogf.org/occi/'
                'infrastructure#"; class="kind"\n'
                'X-OCCI-Attribute: occi.core.title="naïve ☁"\n')
        request = self.plain.entity([], ('\ufeff' + body).encode('utf-8'))
        self.assertEqual('naïve ☁', request.title)


class TestParseErrors(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.plain = text.PlainParser('text/plain')

    def assertParseError(self, method, body, *fragments):
        error = self.assertRaises(exceptions.ParseError,
                                  getattr(self.plain, method), [], body)
        self.assertEqual(400, error.code)
        for fragment in fragments:
            self.assertIn(fragment, str(error))

    def test_not_utf8(self):
        self.assertParseError('entity', b'Category: \xff\xfe', 'UTF-8')

    def test_not_a_field(self):
        self.assertParseError('entity', b'\nhello world\n', 'line 2',
                              "'hello world'")

    def test_no_scheme(self):
        self.assertParseError('entity', b'Category: compute; class="kind"',
                              'line 1', 'no scheme')

    def test_bad_class(self):
        self.assertParseError(
            'categories', b'Category: c; scheme="http://e.com/#"; class=tag',
            "class 'tag'")

    def test_unterminated_quote(self):
        self.assertParseError(
            'entity', b'Category: c; scheme="http://e.com/#; class=kind',
            'unterminated quoted string',
            'column 11 of the value')

    def test_missing_separator(self):
        self.assertParseError(
            'entity', b'Category: c; scheme="http://e.com/#" class="kind"',
            "expected ';' or ','", "'class'")

    def test_attribute_without_value(self):
        self.assertParseError('entity', b'X-OCCI-Attribute: a.b=',
                              'a.b= has no value')

    def test_attribute_without_name(self):
        self.assertParseError('entity', b'X-OCCI-Attribute: "x"',
                              'expected name=value')

    def test_two_kinds(self):
        self.assertParseError(
            'entity',
            b'Category: a; scheme="http://e.com/#"; class="kind"\n'
            b'Category: b; scheme="http://e.com/#"; class="kind"\n',
            'line 2', 'one kind')

    def test_action_in_entity(self):
        self.assertParseError(
            'entity',
            b'Category: stop; scheme="http://e.com/#"; class="action"',
            'no action category')

    def test_invocation_needs_one_category(self):
        self.assertParseError('action', b'X-OCCI-Attribute: method="x"',
                              'exactly one Category', 'got 0')

    def test_invocation_of_a_kind(self):
        self.assertParseError(
            'action', b'Category: a; scheme="http://e.com/#"; class="kind"',
            'is a kind, not an action')

    def test_too_long_number(self):
        self.assertParseError('entity',
                              b'X-OCCI-Attribute: a=' + b'9' * 5000,
                              'too long')

    def test_link_without_uri(self):
        self.assertParseError('entity', b'Link: /compute/1; rel="x"',
                              'starts with <URI>')
