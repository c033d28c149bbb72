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

"""The text renderings (text/plain, text/occi+plain, text/occi) as written:
:mod:`ooi_save.occi.rendering.text`."""

import testtools

from ooi_save.occi import categories
from ooi_save.occi import collections
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra
from ooi_save.occi.parsing import text as parsing_text
from ooi_save.occi.rendering import text

ROOT = 'http://cloud.example.com/occi1.2'
PROVIDER_OS = 'http://cloud.example.com/occi/os_tpl#'


def _lines(rendered):
    # Lines end with a bare LF, and the last line with nothing.
    body = rendered.body.decode('utf-8')
    assert '\r' not in body, body
    assert not body.endswith('\n'), body
    return body.split('\n')


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
    return entities.Resource(infra.COMPUTE, 'c1', **values)


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
            'attributes="occi.compute.architecture{immutable} '
            'occi.compute.cores occi.compute.hostname '
            'occi.compute.share{immutable} occi.compute.memory '
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

    def test_one_line_per_category_lf_and_no_final_line_break(self):
        rendered = self.renderer.categories(infra.model(ROOT))
        self.assertEqual('text/plain; charset=utf-8', rendered.content_type)
        self.assertNotIn(b'\r', rendered.body)
        self.assertFalse(rendered.body.endswith(b'\n'))
        lines = _lines(rendered)
        self.assertEqual(len(infra.KINDS) + len(infra.MIXINS) +
                         len(infra.ACTIONS), len(lines))

    def test_attribute_properties(self):
        mixin = categories.Mixin('http://example.com/m#', 'm', location='/m/',
                                 attributes=(
                                     categories.Attribute('a', mutable=True),
                                     categories.Attribute('b', mutable=True,
                                                          required=True),
                                     categories.Attribute('c'),
                                     categories.Attribute('d', required=True)))
        line = _lines(self.renderer.mixin(mixin))[0]
        self.assertIn('attributes="a b{required} c{immutable} '
                      'd{immutable required}"', line)

    def test_mixin_rel_is_the_first_depends_only(self):
        other = categories.Mixin('http://example.com/m#', 'other',
                                 location='/o/')
        mixin = categories.Mixin('http://example.com/m#', 'img', 'Image',
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
            b'location="' + ROOT.encode() + b'/os_tpl/new-img/"',
            rendered.body)

    def test_action_line(self):
        lines = _lines(self.renderer.categories(
            collections.CategoryCollection(actions=[infra.COMPUTE_SAVE])))
        self.assertEqual(
            'Category: save; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/compute/action#"; class="action"; '
            'title="Save the compute as an OS template"; '
            'attributes="method name"', lines[0])

    def test_rendering_is_cached_on_the_category(self):
        mixin = categories.Mixin('http://example.com/m#', 'm', location='/m/')
        first = text.category_value(mixin)
        self.assertIs(first, text.category_value(mixin))


class TestEntityRendering(testtools.TestCase):

    def test_resource(self):
        link = entities.Link(infra.NETWORKINTERFACE, 'nic0',
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
        ], _lines(rendered))

    def test_numeric_id_is_a_string(self):
        lines = _lines(text.PlainRenderer().entity(
            entities.Resource(infra.COMPUTE, 42)))
        self.assertIn('X-OCCI-Attribute: occi.core.id="42"', lines)

    def test_angle_brackets_in_uris_are_encoded(self):
        link = entities.Link(infra.LINK, 'l', target='http://h/a<b>',
                             location='/l')
        resource = entities.Resource(infra.RESOURCE, 'r', location='/r>',
                                     links=[link], actions=[infra.NETWORK_UP])
        lines = _lines(text.PlainRenderer().entity(resource))
        self.assertTrue(lines[1].startswith('Link: <http://h/a%3Cb%3E>; '))
        self.assertTrue(lines[2].startswith('Link: </r%3E?action=up>; '))

    def test_link_entity(self):
        link = entities.Link(infra.STORAGELINK, 'sl',
                             source=ROOT + '/compute/1',
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
            'X-OCCI-Attribute: occi.storagelink.deviceid="vdb"'], lines)

    def test_collection_is_locations(self):
        rendered = text.PlainRenderer().entities(
            [_compute(), _compute(location=ROOT + '/compute/c2')])
        self.assertEqual(['X-OCCI-Location: %s/compute/c1' % ROOT,
                          'X-OCCI-Location: %s/compute/c2' % ROOT],
                         _lines(rendered))

    def test_empty_collection_and_ok(self):
        self.assertEqual(b'', text.PlainRenderer().locations([]).body)
        self.assertEqual(b'', text.PlainRenderer().ok().body)

    def test_error(self):
        rendered = text.PlainRenderer().error(404, 'No compute c9.',
                                              'req-123')
        self.assertEqual(b'No compute c9.\nRequest-Id: req-123',
                         rendered.body)
        rendered = text.PlainRenderer().error(500, 'Boom\nline')
        self.assertEqual(b'Boom line', rendered.body)

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
            'X-OCCI-Attribute: name="b"'], _lines(rendered))


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
            entities.Resource(infra.COMPUTE, 'c', title='café ☁'))
        value = dict(rendered.headers)['X-OCCI-Attribute']
        value.encode('latin-1')
        self.assertIn('café ☁'.encode('utf-8').decode('latin-1'), value)
        parser = parsing_text.HeaderParser('text/occi')
        parsed = parser.entity(rendered.headers, b'OK')
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
        parser = parsing_text.HeaderParser('text/occi')
        parsed = parser.categories(rendered.headers, rendered.body)
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
