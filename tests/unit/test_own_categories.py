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

"""The server's own categories as simple clients read them.

The query interface is read with a deliberately naive parser, the way a
compliance client reads it (split a ``Category`` value on ``;``, then each
part on ``=``): every category the server makes itself (kinds, actions,
built-in and provider mixins, whatever is added later) must read right.
Only the names users give (image, flavor and user mixin titles) may need
quoting. Every term the provider makes fits OCCI 1.1's grammar. And a
create that carries exactly the attributes a kind (or mixin) declares
required, with example values, works for every kind.
"""

import json
import re

from tests.unit import base
from tests.unit import client
from tests.unit.fakes import cinder as fake_cinder

OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'
#: Schemes of the categories named after what users name.
USER_NAMED = (OS, RES)
#: OCCI 1.1's term (GFD.185), which the EGI command-line client enforces.
OCCI_1_1_TERM = re.compile(r'[A-Za-z0-9][A-Za-z0-9_-]*\Z')
_ATTRIBUTE = re.compile(r'([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)'
                        r'(?:\{((?:immutable|required)'
                        r'(?: (?:immutable|required))?)\})?\Z')
_ITEM = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^,"])+')
#: A user's name with every character a quoted value must escape.
NASTY = 'a; b, "c" \\ d=e'


def naive_category(value):
    """A category as a client that splits on ``;`` and ``=`` reads it.

    :returns: (term, {parameter: value without its quotes})
    """
    parts = value.split(';')
    params = {}
    for part in parts[1:]:
        name, sep, raw = part.strip().partition('=')
        assert sep, 'no "=" in %r of %r' % (part, value)
        assert len(raw) >= 2 and raw[0] == raw[-1] == '"', (
            'not one quoted value: %r of %r' % (raw, value))
        assert '"' not in raw[1:-1], raw
        params[name] = raw[1:-1]
    return parts[0].strip(), params


def category_values(response):
    """Every Category value of a query interface answer."""
    if response.content_type == 'text/occi':
        # The list is split where a client must, outside quotes; every
        # category is then read naively.
        return [item.strip() for header in response.headers.getall(
            'Category') for item in _ITEM.findall(header)]
    return [line[len('Category: '):] for line in response.text.split('\n')
            if line.startswith('Category: ')]


def own_categories(response):
    """The server's own categories: {type id: params}, params with term."""
    found = {}
    for value in category_values(response):
        scheme = value.split(';')[1].strip()
        if any(scheme == 'scheme="%s"' % s for s in USER_NAMED):
            continue
        term, params = naive_category(value)
        params['term'] = term
        found[params['scheme'] + term] = params
    return found


def required(categories, type_id):
    """What a client must send for a category, with its parents'."""
    names = []
    while type_id:
        params = categories[type_id]
        for definition in params.get('attributes', '').split():
            name, _, props = definition.partition('{')
            if 'required' in props and 'immutable' not in props:
                names.append(name)
        type_id = params.get('rel') if params['class'] == 'kind' else None
    return names


class OwnCategoriesTest(base.FilterTestCase):

    def setUp(self):
        super().setUp()
        # A site whose proxy takes 64 KiB of headers: the whole query
        # interface is served in text/occi (the default budget refuses it).
        self.cloud = self.useFixture(base.NetworkedCloud(
            header_budget='65536'))
        self.occi = self.cloud.occi
        self.context = self.cloud.demo
        self.nova = self.cloud.nova
        self.nova.cinder = fake_cinder.FakeCinder()
        self.nova.cinder.register(self.cloud.glance.mock)
        # Names users give, with what a quoted value must escape.
        self.cloud.glance.images.append({'id': 'image-9', 'name': NASTY,
                                         'status': 'active'})
        self.cloud.glance.refresh()
        self.nova.flavors.append({
            'id': 'big.one', 'name': NASTY, 'vcpus': 8, 'ram': 8192,
            'disk': 80, 'swap': 0, 'OS-FLV-EXT-DATA:ephemeral': 0})

    def query(self, accept='text/plain'):
        response = self.call('/-/', accept=accept)
        self.assertEqual(200, response.status_int, response.text)
        return response

    def test_own_categories_read_naively(self):
        for accept in ('text/plain', 'text/occi'):
            response = self.query(accept)
            categories = own_categories(response)
            # Every kind, action and built-in mixin, whatever their number.
            classes = {p['class'] for p in categories.values()}
            self.assertEqual({'kind', 'mixin', 'action'}, classes, accept)
            self.assertIn('http://schemas.openstack.org/network#public',
                          categories)
            for type_id, params in categories.items():
                what = '%s: %s' % (accept, type_id)
                for name, value in params.items():
                    for char in ';,"\\':
                        self.assertNotIn(char, value, what)
                self.assertTrue(params['scheme'].endswith('#'), what)
                if 'location' in params:
                    self.assertTrue(params['location'].startswith(
                        client.ROOT + '/'), what)
                    self.assertTrue(params['location'].endswith('/'), what)
                for definition in params.get('attributes', '').split(' '):
                    if definition:
                        self.assertRegex(definition, _ATTRIBUTE, what)
                for action in params.get('actions', '').split():
                    self.assertIn(action, categories, what)
                    self.assertEqual('action', categories[action]['class'])
                if 'rel' in params:
                    self.assertIn(params['rel'], categories, what)

    def test_user_names_stay_escaped(self):
        for accept in ('text/plain', 'text/occi'):
            response = self.query(accept)
            escaped = 'title="a; b, \\"c\\" \\\\ d=e"'
            values = [v for v in category_values(response)
                      if escaped in v]
            self.assertEqual(2, len(values), accept)

    def test_every_provider_term_fits_occi_1_1(self):
        for accept in ('text/plain', 'text/occi'):
            terms = [value.split(';')[0].strip()
                     for value in category_values(self.query(accept))]
            self.assertIn('image-9', terms)
            self.assertIn('2', terms)
            for term in terms:
                self.assertRegex(term, OCCI_1_1_TERM, accept)
        # A flavor id outside the grammar gets a derived term.
        [big] = [t for t in terms if t.startswith('big')]
        self.assertRegex(big, r'big_one-[0-9a-f]{6}\Z')

    def example_values(self, kind):
        """The example values of a client, for each attribute it knows."""
        server = self.cloud.boot('linked')
        volume = self.nova.cinder.add_volume(name='disk')
        target = {
            'networkinterface': '%s/network/%s' % (
                client.ROOT, self.cloud.private['id']),
            'storagelink': '%s/storage/%s' % (client.ROOT, volume['id']),
            'securitygrouplink': '%s/securitygroup/%s' % (
                client.ROOT, self.cloud.security_groups.default(
                    'demo-project')['id']),
        }.get(kind)
        return {
            'occi.core.title': 'example',
            'occi.core.source': '%s/compute/%s' % (client.ROOT,
                                                   server['id']),
            'occi.core.target': target,
            'occi.storage.size': 1,
            'occi.network.address': '10.20.0.0/24',
            'occi.credentials.ssh.publickey': 'ssh-rsa AAAAexample demo',
            'occi.compute.userdata': 'IyEvYmluL3No',
            'org.openstack.compute.user_data': 'IyEvYmluL3No',
            'org.openstack.credentials.publickey.data':
                'ssh-rsa AAAAexample demo',
            'org.openstack.credentials.publickey.name': 'demo',
        }

    def create(self, categories, kind_id, mixin_ids=()):
        """A create with exactly the declared required attributes."""
        kind = categories[kind_id]
        values = self.example_values(kind['term'])
        lines = ['Category: %s; scheme="%s"; class="kind"'
                 % (kind['term'], kind['scheme'])]
        names = required(categories, kind_id)
        if kind['term'] == 'compute':
            # The templates a client picks from the query interface.
            lines += ['Category: image-1; scheme="%s"; class="mixin"' % OS,
                      'Category: 1; scheme="%s"; class="mixin"' % RES]
        for mixin_id in mixin_ids:
            mixin = categories[mixin_id]
            lines.append('Category: %s; scheme="%s"; class="mixin"'
                         % (mixin['term'], mixin['scheme']))
            names += required(categories, mixin_id)
        for name in names:
            self.assertIn(name, values, 'no example value for %s' % name)
            lines.append('X-OCCI-Attribute: %s=%s'
                         % (name, json.dumps(values[name])))
        location = kind['location'][len(client.ROOT):]
        return self.call(location, 'POST', 'text/plain',
                         '\n'.join(lines).encode(),
                         {'Content-Type': 'text/plain'})

    def test_a_create_with_the_required_attributes_works_for_every_kind(self):
        categories = own_categories(self.query())
        kinds = [t for t, p in categories.items()
                 if p['class'] == 'kind' and 'location' in p and
                 not t.startswith('http://schemas.ogf.org/occi/core#')]
        self.assertEqual(8, len(kinds), kinds)
        for kind_id in kinds:
            response = self.create(categories, kind_id)
            self.assertEqual(201, response.status_int,
                             '%s: %s' % (kind_id, response.text))
            self.nova.cinder.finish_attaching()

    def test_mixins_with_required_attributes_work_with_them_alone(self):
        categories = own_categories(self.query())
        applies = {m['scheme'] + m['term']: m.get('applies', [])
                   for m in self.query('application/occi+json').json[
                       'mixins']}
        tried = []
        for mixin_id, params in categories.items():
            if params['class'] != 'mixin' or not required(categories,
                                                          mixin_id):
                continue
            for kind_id in applies[mixin_id]:
                tried.append(mixin_id)
                response = self.create(categories, kind_id, [mixin_id])
                self.assertEqual(201, response.status_int, '%s on %s: %s' % (
                    mixin_id, kind_id, response.text))
        # ssh_key, user_data, ipnetwork at least.
        self.assertGreaterEqual(len(tried), 3, tried)
