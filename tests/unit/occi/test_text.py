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

import testtools

from ooi_save.occi import core
from ooi_save.occi import exceptions
from ooi_save.occi import infrastructure as infra
from ooi_save.occi.rendering import text

ROOT = 'http://cloud.example.com/occi1.2'
PROVIDER_OS = 'http://cloud.example.com/occi/os_tpl#'


def _lines(rendered):
    return rendered.body.decode('utf-8').split('\r\n')


def _compute(**kwargs):
    values = dict(
        title='my vm', summary='a test', mixins=[infra.os_tpl_mixin(
            PROVIDER_OS, 'img1', 'Debian', ROOT + '/os_tpl/img1/')],
        attributes={'occi.compute.cores': 2, 'occi.compute.memory': 1.5,
                    'occi.compute.state': 'active',
                    'occi.compute.hostname': None},
        location=ROOT + '/compute/c1',
        actions=[infra.COMPUTE_STOP, infra.COMPUTE_SAVE])
    values.update(kwargs)
    return core.Resource(infra.COMPUTE, 'c1', **values)


class TestValues(testtools.TestCase):

    def test_typed_values(self):
        self.assertEqual('"a \\"b\\" \\\\ c"', text.render_value('a "b" \\ c'))
        self.assertEqual('true', text.render_value(True))
        self.assertEqual('false', text.render_value(False))
        self.assertEqual('42', text.render_value(42))
        self.assertEqual('2.0', text.render_value(2.0))
        self.assertEqual('1.5', text.render_value(1.5))

    def test_floats_have_no_exponent(self):
        # GFD.229 4.3: float = *DIGIT "." *DIGIT
        self.assertEqual('0.00001', text.render_value(1e-05))
        self.assertEqual('10000000000000000.0', text.render_value(1e16))
        self.assertEqual(1e-05, float(text.render_value(1e-05)))

    def test_non_finite_float_is_a_string(self):
        self.assertEqual('"inf"', text.render_value(float('inf')))

    def test_list_and_dict_as_json_text(self):
        self.assertEqual('"[1,\\"a\\"]"', text.render_value([1, 'a']))
        self.assertEqual('"{\\"k\\":true}"', text.render_value({'k': True}))

    def test_control_characters_cannot_break_lines(self):
        rendered = text.render_value('a\r\nX-OCCI-Attribute: b="c"\x00\u2028')
        self.assertNotIn('\n', rendered)
        self.assertNotIn('\r', rendered)
        self.assertNotIn('\u2028', rendered)
        self.assertEqual('"a  X-OCCI-Attribute: b=\\"c\\"  "', rendered)


class TestCategoryRendering(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.renderer = text.PlainRenderer()

    def test_kind_line(self):
        lines = _lines(self.renderer.categories(infra.model(ROOT)))
        compute = [line for line in lines
                   if line.startswith('Category: compute;')]
        self.assertEqual([
            'Category: compute; '
            'scheme="http://schemas.ogf.org/occi/infrastructure#"; '
            'class="kind"; title="Compute"; '
            'rel="http://schemas.ogf.org/occi/core#resource"; '
            'location="%s/compute/"; '
            'attributes="occi.compute.architecture occi.compute.cores '
            'occi.compute.hostname occi.compute.share occi.compute.memory '
            'occi.compute.state{immutable} '
            'occi.compute.state.message{immutable}"; '
            'actions="'
            'http://schemas.ogf.org/occi/infrastructure/compute/action#start '
            'http://schemas.ogf.org/occi/infrastructure/compute/action#stop '
            'http://schemas.ogf.org/occi/infrastructure/compute/action#'
            'restart '
            'http://schemas.ogf.org/occi/infrastructure/compute/action#'
            'suspend '
            'http://schemas.ogf.org/occi/infrastructure/compute/action#save"'
            % ROOT], compute)

    def test_entity_kind_has_no_location(self):
        lines = _lines(self.renderer.categories(infra.model(ROOT)))
        entity = [line for line in lines
                  if line.startswith('Category: entity;')][0]
        self.assertNotIn('location=', entity)
        self.assertNotIn('rel=', entity)

    def test_one_line_per_category_crlf(self):
        rendered = self.renderer.categories(infra.model(ROOT))
        self.assertEqual('text/plain; charset=utf-8', rendered.content_type)
        lines = _lines(rendered)
        self.assertEqual('', lines[-1])
        self.assertEqual(len(infra.KINDS) + len(infra.MIXINS) +
                         len(infra.ACTIONS), len(lines) - 1)

    def test_attribute_properties(self):
        mixin = core.Mixin('http://example.com/m#', 'm', location='/m/',
                           attributes=(
                               core.Attribute('a', mutable=True),
                               core.Attribute('b', mutable=True,
                                              required=True),
                               core.Attribute('c'),
                               core.Attribute('d', required=True)))
        line = _lines(self.renderer.mixin(mixin))[0]
        self.assertIn('attributes="a b{required} c{immutable} '
                      'd{immutable required}"', line)

    def test_mixin_rel_is_the_first_depends_only(self):
        other = core.Mixin('http://example.com/m#', 'other', location='/o/')
        mixin = core.Mixin('http://example.com/m#', 'img', 'Image',
                           location='/img/',
                           depends=(infra.OS_TPL, other),
                           applies=(infra.COMPUTE,))
        line = _lines(self.renderer.mixin(mixin))[0]
        self.assertIn('; rel="http://schemas.ogf.org/occi/infrastructure#'
                      'os_tpl";', line)
        self.assertNotIn('#compute', line)
        self.assertNotIn('#other', line)

    def test_saved_template_answer(self):
        mixin = infra.os_tpl_mixin(PROVIDER_OS, 'new-img', 'backup "1"',
                                   ROOT + '/os_tpl/new-img/')
        rendered = self.renderer.mixin(mixin)
        self.assertEqual(
            b'Category: new-img; scheme="' + PROVIDER_OS.encode() +
            b'"; class="mixin"; title="backup \\"1\\""; '
            b'rel="http://schemas.ogf.org/occi/infrastructure#os_tpl"; '
            b'location="' + ROOT.encode() + b'/os_tpl/new-img/"\r\n',
            rendered.body)

    def test_action_line(self):
        lines = _lines(self.renderer.categories(
            core.CategoryCollection(actions=[infra.COMPUTE_SAVE])))
        self.assertEqual(
            'Category: save; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/compute/action#"; class="action"; '
            'title="Save the compute as an OS template"; '
            'attributes="method name"', lines[0])

    def test_rendering_is_cached_on_the_category(self):
        mixin = core.Mixin('http://example.com/m#', 'm', location='/m/')
        first = text.category_value(mixin)
        self.assertIs(first, text.category_value(mixin))


class TestEntityRendering(testtools.TestCase):

    def test_resource(self):
        link = core.Link(infra.NETWORKINTERFACE, 'nic0',
                         target=ROOT + '/network/n1',
                         target_kind=infra.NETWORK,
                         location=ROOT + '/networkinterface/nic0',
                         mixins=[infra.IPNETWORKINTERFACE],
                         attributes={'occi.networkinterface.mac': 'aa:bb'})
        rendered = text.PlainRenderer().entity(_compute(links=[link]))
        self.assertEqual([
            'Category: compute; '
            'scheme="http://schemas.ogf.org/occi/infrastructure#"; '
            'class="kind"',
            'Category: img1; scheme="%s"; class="mixin"' % PROVIDER_OS,
            'Link: <{r}/network/n1>; '
            'rel="http://schemas.ogf.org/occi/infrastructure#network"; '
            'self="{r}/networkinterface/nic0"; '
            'category="http://schemas.ogf.org/occi/infrastructure#'
            'networkinterface http://schemas.ogf.org/occi/infrastructure/'
            'networkinterface#ipnetworkinterface"; occi.core.id="nic0"; '
            'occi.core.target="{r}/network/n1"; '
            'occi.core.target.kind="http://schemas.ogf.org/occi/'
            'infrastructure#network"; '
            'occi.core.source="{r}/compute/c1"; '
            'occi.networkinterface.mac="aa:bb"'.format(r=ROOT),
            'Link: <%s/compute/c1?action=stop>; rel="http://schemas.ogf.org/'
            'occi/infrastructure/compute/action#stop"' % ROOT,
            'Link: <%s/compute/c1?action=save>; rel="http://schemas.ogf.org/'
            'occi/infrastructure/compute/action#save"' % ROOT,
            'X-OCCI-Attribute: occi.core.id="c1"',
            'X-OCCI-Attribute: occi.core.title="my vm"',
            'X-OCCI-Attribute: occi.core.summary="a test"',
            'X-OCCI-Attribute: occi.compute.cores=2',
            'X-OCCI-Attribute: occi.compute.memory=1.5',
            'X-OCCI-Attribute: occi.compute.state="active"',
            '',
        ], _lines(rendered))

    def test_numeric_id_is_a_string(self):
        lines = _lines(text.PlainRenderer().entity(
            core.Resource(infra.COMPUTE, 42)))
        self.assertIn('X-OCCI-Attribute: occi.core.id="42"', lines)

    def test_angle_brackets_in_uris_are_encoded(self):
        link = core.Link(infra.LINK, 'l', target='http://h/a<b>',
                         location='/l')
        resource = core.Resource(infra.RESOURCE, 'r', location='/r>',
                                 links=[link], actions=[infra.NETWORK_UP])
        lines = _lines(text.PlainRenderer().entity(resource))
        self.assertTrue(lines[1].startswith('Link: <http://h/a%3Cb%3E>; '))
        self.assertTrue(lines[2].startswith('Link: </r%3E?action=up>; '))

    def test_link_entity(self):
        link = core.Link(infra.STORAGELINK, 'sl', source=ROOT + '/compute/1',
                         target=ROOT + '/storage/2',
                         attributes={'occi.storagelink.deviceid': 'vdb'})
        lines = _lines(text.PlainRenderer().entity(link))
        self.assertEqual([
            'Category: storagelink; '
            'scheme="http://schemas.ogf.org/occi/infrastructure#"; '
            'class="kind"',
            'X-OCCI-Attribute: occi.core.id="sl"',
            'X-OCCI-Attribute: occi.core.source="%s/compute/1"' % ROOT,
            'X-OCCI-Attribute: occi.core.target="%s/storage/2"' % ROOT,
            'X-OCCI-Attribute: occi.storagelink.deviceid="vdb"', ''], lines)

    def test_collection_is_locations(self):
        rendered = text.PlainRenderer().entities(
            [_compute(), _compute(location=ROOT + '/compute/c2')])
        self.assertEqual(['X-OCCI-Location: %s/compute/c1' % ROOT,
                          'X-OCCI-Location: %s/compute/c2' % ROOT, ''],
                         _lines(rendered))

    def test_empty_collection_and_ok(self):
        self.assertEqual(b'', text.PlainRenderer().locations([]).body)
        self.assertEqual(b'', text.PlainRenderer().ok().body)

    def test_error(self):
        rendered = text.PlainRenderer().error(404, 'No compute c9.',
                                              'req-123')
        self.assertEqual(b'No compute c9.\r\nRequest-Id: req-123\r\n',
                         rendered.body)
        rendered = text.PlainRenderer().error(500, 'Boom\nline')
        self.assertEqual(b'Boom line\r\n', rendered.body)

    def test_occi_plain_media_type(self):
        rendered = text.PlainRenderer('text/occi+plain').ok()
        self.assertEqual('text/occi+plain; charset=utf-8',
                         rendered.content_type)

    def test_invocation(self):
        rendered = text.PlainRenderer().invocation(
            infra.COMPUTE_SAVE, {'method': 'hot', 'name': 'b'})
        self.assertEqual([
            'Category: save; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/compute/action#"; class="action"',
            'X-OCCI-Attribute: method="hot"',
            'X-OCCI-Attribute: name="b"', ''], _lines(rendered))


class TestHeaderRendering(testtools.TestCase):

    def test_entity_in_headers_ok_in_body(self):
        rendered = text.HeaderRenderer().entity(_compute())
        self.assertEqual('text/occi', rendered.content_type)
        self.assertEqual(b'OK', rendered.body)
        names = [name for name, _value in rendered.headers]
        self.assertEqual(['Category', 'Link', 'X-OCCI-Attribute'], names)
        self.assertEqual(
            'occi.core.id="c1", occi.core.title="my vm", '
            'occi.core.summary="a test", occi.compute.cores=2, '
            'occi.compute.memory=1.5, occi.compute.state="active"',
            rendered.headers[2][1])

    def test_ok(self):
        rendered = text.HeaderRenderer().ok()
        self.assertEqual(('text/occi', [], b'OK'), tuple(rendered))

    def test_non_ascii_sent_as_utf8_bytes(self):
        rendered = text.HeaderRenderer().entity(
            core.Resource(infra.COMPUTE, 'c', title='café ☁'))
        value = dict(rendered.headers)['X-OCCI-Attribute']
        value.encode('latin-1')
        self.assertIn('café ☁'.encode('utf-8').decode('latin-1'), value)
        parsed = text.HeaderParser('text/occi').entity(rendered.headers,
                                                       b'OK')
        self.assertEqual('café ☁', parsed.title)

    def test_ten_thousand_mixins(self):
        mixins = [infra.os_tpl_mixin(PROVIDER_OS, 'image-%05d' % number,
                                     'Image %d' % number,
                                     '%s/os_tpl/image-%05d/' % (ROOT, number))
                  for number in range(10000)]
        rendered = text.HeaderRenderer().categories(
            infra.model(ROOT, mixins=mixins))
        self.assertTrue(all(name == 'Category'
                            for name, _value in rendered.headers))
        self.assertTrue(all(len(value) <= text.MAX_HEADER_VALUE
                            for _name, value in rendered.headers))
        self.assertGreater(len(rendered.headers), 100)
        parsed = text.HeaderParser('text/occi').categories(rendered.headers,
                                                           rendered.body)
        self.assertEqual(10000 + len(infra.KINDS) + len(infra.MIXINS) +
                         len(infra.ACTIONS), len(parsed))
        self.assertEqual(PROVIDER_OS + 'image-09999', parsed[-10].type_id)

    def test_long_category_alone_in_its_header(self):
        renderer = text.HeaderRenderer(max_header_value=100)
        rendered = renderer.categories(infra.model())
        self.assertEqual(len(infra.KINDS) + len(infra.MIXINS) +
                         len(infra.ACTIONS), len(rendered.headers))

    def test_location_with_comma_gets_its_own_header(self):
        rendered = text.HeaderRenderer().locations(['/a', '/b,c', '/d'])
        self.assertEqual([('X-OCCI-Location', '/a'),
                          ('X-OCCI-Location', '/b,c'),
                          ('X-OCCI-Location', '/d')], rendered.headers)


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
        self.assertEqual(core.ActionRequest(infra.COMPUTE_STOP.type_id,
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
        self.assertEqual(core.CategoryRequest(
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
