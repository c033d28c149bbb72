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

"""User-defined mixins through the real filter, over a Nova faked at the
wire and a real SQLite database (a temporary file, synced by the real
``ooi-save-manage db sync``)."""

import json
import os

import fixtures
import testtools

from ooi_save.cmd import manage
from ooi_save import config
from ooi_save.db import migration
from ooi_save.http import filter as occi_filter
from tests.unit import base
from tests.unit import client
from tests.unit.compute.base import create_request
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import nova as fake_nova

SCHEME = 'http://example.com/tags#'
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
RENDERINGS = ('text/plain', 'text/occi', 'application/occi+json')
ALT = fake_nova.Context(project_id='alt-project', user_id='alt-user')


def define_request(body_type, term, location=None, title=None,
                   scheme=SCHEME, category_class='mixin'):
    """A POST /-/ of one mixin in one rendering: (headers, body)."""
    if body_type.endswith('json'):
        mixin = {'term': term, 'scheme': scheme}
        if location:
            mixin['location'] = location
        if title:
            mixin['title'] = title
        key = 'mixins' if category_class == 'mixin' else 'kinds'
        return ({'Content-Type': body_type},
                json.dumps({key: [mixin]}).encode())
    value = '%s; scheme="%s"; class="%s"' % (term, scheme, category_class)
    if title:
        value += '; title="%s"' % title
    if location:
        value += '; location="%s"' % location
    if body_type == 'text/occi':
        return {'Content-Type': 'text/occi', 'Category': value}, b''
    return ({'Content-Type': body_type},
            ('Category: %s\n' % value).encode())


def locations_request(body_type, locations):
    if body_type.endswith('json'):
        return ({'Content-Type': body_type},
                json.dumps({'locations': locations}).encode())
    if body_type == 'text/occi':
        return ({'Content-Type': 'text/occi',
                 'X-OCCI-Location': ', '.join(locations)}, b'')
    if body_type == 'text/uri-list':
        return ({'Content-Type': body_type},
                ''.join(loc + '\r\n' for loc in locations).encode())
    return ({'Content-Type': body_type},
            ''.join('X-OCCI-Location: %s\n' % loc
                    for loc in locations).encode())


def listed_locations(response):
    """The locations of an entity collection in any rendering."""
    if response.content_type.endswith('json'):
        body = response.json
        return [r.get('location') or client.HOST_URL + '/occi1.2/compute/' +
                r['id'] for r in body.get('resources', [])] + \
            body.get('locations', [])
    if response.content_type == 'text/occi':
        return [v.strip() for h in response.headers.getall('X-OCCI-Location')
                for v in h.split(',')]
    if response.content_type == 'text/uri-list':
        return response.text.split()
    return [line.partition(':')[2].strip()
            for line in response.text.splitlines()
            if line.startswith('X-OCCI-Location:')]


def mixin_type_ids(response):
    """The mixin type ids of a category collection or an entity."""
    if response.content_type.endswith('json'):
        body = response.json
        if 'mixins' in body and body['mixins'] and isinstance(
                body['mixins'][0], dict):
            return [m['scheme'] + m['term'] for m in body['mixins']]
        return list(body.get('mixins', []))
    if response.content_type == 'text/occi':
        values = [v for h in response.headers.getall('Category')
                  for v in h.split(',')]
    else:
        values = [line.partition(':')[2]
                  for line in response.text.splitlines()
                  if line.startswith('Category:')]
    result = []
    for value in values:
        term, _, rest = value.strip().partition(';')
        if 'class="mixin"' in rest:
            scheme = rest.split('scheme="')[1].split('"')[0]
            result.append(scheme + term.strip())
    return result


class MixinTestBase(base.FilterTestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        self.db_url = 'sqlite:///' + os.path.join(tmp, 'occi.db')
        conf, _ = base.make_conf()
        conf.set_override('connection', self.db_url, group='occi_database')
        _sync(self.db_url, tmp)
        filter_conf = config.FilterConfig(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'}, conf)
        self.nova = fake_nova.FakeNova()
        self.occi = occi_filter.OCCIFilter(self.nova, filter_conf)
        self.glance = self.useFixture(
            fake_glance.GlanceFixture(fake_glance.IMAGES))

    def define(self, term, body_type='text/plain', **kwargs):
        headers, body = define_request(body_type, term, **kwargs)
        response = self.call('/-/', 'POST', 'application/occi+json', body,
                             headers)
        self.assertEqual(200, response.status_int, response.text)
        return response.json['mixins'][0]


def _sync(url, tmp):
    """Run the real ``ooi-save-manage db sync`` on a config file."""
    path = os.path.join(tmp, 'nova.conf')
    with open(path, 'w') as f:
        f.write('[occi_database]\nconnection = %s\n' % url)
    manage.main(['--config-file', path, 'db', 'sync'])


class DefinitionTest(MixinTestBase):

    def test_define_in_every_rendering_listed_in_every_rendering(self):
        for number, body_type in enumerate(RENDERINGS):
            term = 'web%d' % number
            mixin = self.define(term, body_type, title='Web %d' % number)
            self.assertEqual(SCHEME, mixin['scheme'])
            self.assertEqual('Web %d' % number, mixin['title'])
            self.assertTrue(mixin['location'].startswith(
                client.HOST_URL + '/occi1.2/mixins/%s-' % term))
            for accept in RENDERINGS:
                # The whole query interface is above text/occi's default
                # header budget (tests/unit/test_header_budget.py): a
                # text/occi client asks for the categories it needs.
                path = '/-/' if accept != 'text/occi' else (
                    '/-/?category=' + (SCHEME + term).replace('#', '%23'))
                listed = mixin_type_ids(self.call(path, accept=accept))
                self.assertIn(SCHEME + term, listed, accept)

    def test_answer_in_every_rendering(self):
        for number, accept in enumerate(RENDERINGS):
            headers, body = define_request('text/plain', 'a%d' % number,
                                           location='/tags/a%d/' % number)
            response = self.call('/-/', 'POST', accept, body, headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual([SCHEME + 'a%d' % number],
                             mixin_type_ids(response), accept)
            self.assertIn(client.HOST_URL + '/occi1.2/tags/a%d/' % number,
                          response.text + str(response.headers))
        headers, body = define_request('text/plain', 'b')
        response = self.call('/-/', 'POST', 'text/uri-list', body, headers)
        self.assertEqual(400, response.status_int)
        self.assertNotIn(SCHEME + 'b', mixin_type_ids(self.call('/-/')))

    def test_filterable(self):
        self.define('web')
        self.define('db')
        response = self.call('/-/?category=%s' % (SCHEME + 'web').replace(
            '#', '%23'), accept='application/occi+json')
        self.assertEqual([SCHEME + 'web'], mixin_type_ids(response))
        response = self.call('/-/', headers={
            'Content-Type': 'text/occi',
            'Category': 'db; scheme="%s"; class="mixin"' % SCHEME})
        self.assertEqual([SCHEME + 'db'], mixin_type_ids(response))

    def test_other_project_sees_none(self):
        mixin = self.define('secret', location='/secret/')
        for accept in RENDERINGS:
            self.assertNotIn(SCHEME + 'secret', mixin_type_ids(
                self.call('/-/', accept=accept, context=ALT)))
        self.assertEqual(404, self.call('/secret/', context=ALT).status_int)
        headers, body = define_request('text/plain', 'secret')
        self.assertEqual(404, self.call('/-/', 'DELETE', body=body,
                                        headers=headers,
                                        context=ALT).status_int)
        # The same term and location are free in the other project.
        headers, body = define_request('text/plain', 'secret',
                                       location='/secret/')
        self.assertEqual(200, self.call('/-/', 'POST', body=body,
                                        headers=headers,
                                        context=ALT).status_int)
        self.assertEqual(mixin['location'], self.call(
            '/-/', accept='application/occi+json').json['mixins'][-1][
                'location'])

    def test_refusals(self):
        self.define('taken', location='/taken/')
        cases = [
            (400, dict(term='x', scheme=INFRA)),
            (400, dict(term='x',
                       scheme='http://schemas.openstack.org/template/os#')),
            (400, dict(term='-bad')),
            (400, dict(term='x', scheme='no-scheme')),
            (400, dict(term='k', category_class='kind')),
            (409, dict(term='taken', title='another title')),
            (409, dict(term='other', location='/taken/')),
            (409, dict(term='other2', location='/compute/')),
            (400, dict(term='other3', location='no/slash')),
            (409, dict(term='compute', scheme='http://example.com/x#',
                       location='/-/')),
        ]
        for status, kwargs in cases:
            for body_type in RENDERINGS:
                term = kwargs.pop('term')
                headers, body = define_request(body_type, term, **kwargs)
                kwargs['term'] = term
                response = self.call('/-/', 'POST', body_type, body,
                                     headers)
                self.assertEqual(status, response.status_int,
                                 '%s %s: %s' % (kwargs, body_type,
                                                response.text))
                self.assertTrue(response.text.strip())
        listed = [t for t in mixin_type_ids(self.call('/-/'))
                  if t.startswith(SCHEME)]
        self.assertEqual([SCHEME + 'taken'], listed)

    def test_delete_in_every_rendering(self):
        for number, body_type in enumerate(RENDERINGS):
            mixin = self.define('gone%d' % number)
            server = self.nova.add_server()
            location = '/compute/' + server['id']
            headers, body = locations_request('text/uri-list', [location])
            path = mixin['location'][len(client.HOST_URL + '/occi1.2'):]
            self.assertEqual(200, self.call(path, 'POST', body=body,
                                            headers=headers).status_int)
            self.assertEqual(1, len(server['tags']))
            headers, body = define_request(body_type, 'gone%d' % number)
            response = self.call('/-/', 'DELETE', body_type, body, headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual([], server['tags'])
            self.assertNotIn(SCHEME + 'gone%d' % number,
                             mixin_type_ids(self.call('/-/')))
            self.assertEqual(404, self.call(path).status_int)

    def test_delete_refused_by_nova_half_way_leaves_everything(self):
        mixin = self.define('kept')
        path = mixin['location'][len(client.HOST_URL + '/occi1.2'):]
        servers = [self.nova.add_server(), self.nova.add_server()]
        headers, body = locations_request('text/plain', [
            '/compute/' + s['id'] for s in servers])
        self.assertEqual(200, self.call(path, 'POST', body=body,
                                        headers=headers).status_int)
        servers[1]['status'] = 'ERROR'
        headers, body = define_request('text/plain', 'kept')
        response = self.call('/-/', 'DELETE', body=body, headers=headers)
        self.assertEqual(409, response.status_int, response.text)
        self.assertEqual([1, 1], [len(s['tags']) for s in servers])
        self.assertIn(SCHEME + 'kept', mixin_type_ids(self.call('/-/')))

    def test_standard_mixins_cannot_be_deleted(self):
        headers, body = define_request('text/plain', 'os_tpl', scheme=INFRA)
        self.assertEqual(400, self.call('/-/', 'DELETE', body=body,
                                        headers=headers).status_int)

    def test_without_database_501(self):
        occi, _ = base.build({'resume_saves_at_startup': 'false'})
        headers, body = define_request('text/plain', 'web')
        response = client.call(occi, '/-/', 'POST', None, body, headers)
        self.assertEqual(501, response.status_int)
        self.assertIn('[occi_database]', response.text)


class CollectionTest(MixinTestBase):

    def setUp(self):
        super().setUp()
        mixin = self.define('web', location='/web/')
        self.tag = None
        self.servers = [self.nova.add_server(name='vm%d' % i)
                        for i in range(3)]
        self.location = mixin['location']

    def ids(self, response):
        return sorted(loc.rsplit('/', 1)[1]
                      for loc in listed_locations(response))

    def test_associate_in_every_rendering(self):
        body_types = RENDERINGS + ('text/uri-list',)
        for server, body_type in zip(self.servers, body_types):
            headers, body = locations_request(
                body_type, [client.HOST_URL + '/occi1.2/compute/' +
                            server['id']])
            response = self.call('/web/', 'POST', 'text/uri-list', body,
                                 headers)
            self.assertEqual(200, response.status_int, response.text)
            self.assertIn(server['id'], self.ids(response))
        expected = sorted(s['id'] for s in self.servers)
        for accept in RENDERINGS + ('text/uri-list',):
            response = self.call('/web/', accept=accept)
            self.assertEqual(200, response.status_int)
            self.assertEqual(expected, self.ids(response), accept)
            # Locations: the summary listing and the servers being deleted
            # (one listing).
            self.assertEqual('nova=%d, glance=0' % (
                1 if accept.endswith('json') else 2),
                response.headers['X-OCCI-Backend-Calls'])
        for accept in RENDERINGS:
            response = self.call('/compute/' + self.servers[0]['id'],
                                 accept=accept)
            self.assertIn(SCHEME + 'web', mixin_type_ids(response), accept)

    def test_replace_and_remove(self):
        first, second, third = [s['id'] for s in self.servers]
        headers, body = locations_request('text/plain', [
            '/compute/' + first, '/compute/' + second])
        self.call('/web/', 'POST', body=body, headers=headers)
        headers, body = locations_request('application/occi+json', [
            '/compute/' + second, '/compute/' + third])
        response = self.call('/web/', 'PUT', 'application/occi+json', body,
                             headers)
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual(sorted([second, third]), self.ids(response))
        headers, body = locations_request('text/occi', ['/compute/' + third])
        response = self.call('/web/', 'DELETE', 'text/occi', body, headers)
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([second], self.ids(response))
        response = self.call('/web/', 'DELETE')
        self.assertEqual([], self.ids(response))
        self.assertEqual([[], [], []], [s['tags'] for s in self.servers])

    def test_paging_and_filtering(self):
        headers, body = locations_request('text/plain', [
            '/compute/' + s['id'] for s in self.servers])
        self.call('/web/', 'POST', body=body, headers=headers)
        response = self.call('/web/?page=1&number=2', accept='text/uri-list')
        self.assertEqual(2, len(listed_locations(response)))
        response = self.call('/web/', 'GET', 'text/uri-list', headers={
            'Content-Type': 'text/occi',
            'X-OCCI-Attribute': 'occi.core.title="vm1"'})
        self.assertEqual([self.servers[1]['id']], self.ids(response))

    def test_failure_half_way_leaves_nothing(self):
        headers, body = locations_request('text/plain', [
            '/compute/' + self.servers[0]['id'], '/compute/no-such'])
        response = self.call('/web/', 'POST', body=body, headers=headers)
        self.assertEqual(404, response.status_int)
        self.assertEqual([], self.servers[0]['tags'])

    def test_not_a_compute_location(self):
        headers, body = locations_request('text/plain', ['/storage/x'])
        self.assertEqual(400, self.call('/web/', 'POST', body=body,
                                        headers=headers).status_int)

    def test_create_and_update_with_user_mixin(self):
        for body_type in RENDERINGS:
            headers, body = create_request(body_type)
            if body_type == 'text/occi':
                headers['Category'] += ', web; scheme="%s"; class="mixin"' \
                    % SCHEME
            elif body_type.endswith('json'):
                data = json.loads(body)
                data['mixins'].append(SCHEME + 'web')
                body = json.dumps(data).encode()
            else:
                body += ('Category: web; scheme="%s"; class="mixin"\n'
                         % SCHEME).encode()
            response = self.call('/compute/', 'POST', body=body,
                                 headers=headers)
            self.assertEqual(201, response.status_int, response.text)
            self.assertEqual(1, len(self.nova.created[-1]['tags']))
        self.assertEqual(3, len(self.ids(self.call('/web/'))))
        # POST (partial update) associates one more.
        server = self.servers[0]
        response = self.call(
            '/compute/' + server['id'], 'POST', headers={
                'Content-Type': 'text/occi',
                'Category': 'web; scheme="%s"; class="mixin"' % SCHEME})
        self.assertEqual(200, response.status_int, response.text)
        self.assertIn(SCHEME + 'web', mixin_type_ids(response))
        self.assertEqual(4, len(self.ids(self.call('/web/'))))

    def test_mixin_that_does_not_apply(self):
        self.define('nets', body_type='application/occi+json')
        headers = {'Content-Type': 'application/occi+json'}
        body = json.dumps({'mixins': [{
            'term': 'storagey', 'scheme': SCHEME, 'location': '/st/',
            'applies': [INFRA + 'storage']}]}).encode()
        self.assertEqual(200, self.call('/-/', 'POST', body=body,
                                        headers=headers).status_int)
        headers, body = locations_request('text/plain', [
            '/compute/' + self.servers[0]['id']])
        self.assertEqual(400, self.call('/st/', 'POST', body=body,
                                        headers=headers).status_int)


class DeletingTest(MixinTestBase):

    def test_deleting_compute_is_gone(self):
        kept = self.nova.add_server(name='kept')
        going = self.nova.add_server(name='going', task_state='deleting')
        self.assertEqual(404, self.call('/compute/' + going['id']).status_int)
        for accept in RENDERINGS + ('text/uri-list',):
            response = self.call('/compute/', accept=accept)
            ids = [loc.rsplit('/', 1)[1]
                   for loc in listed_locations(response)]
            self.assertEqual([kept['id']], ids, accept)


class DatabaseTest(testtools.TestCase):

    def test_not_synced_is_503_and_sync_makes_it_work(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        url = 'sqlite:///' + os.path.join(tmp, 'empty.db')
        conf, _ = base.make_conf()
        conf.set_override('connection', url, group='occi_database')
        occi = occi_filter.OCCIFilter(
            fake_nova.FakeNova(),
            config.FilterConfig({'resume_saves_at_startup': 'false'}, conf))
        self.useFixture(fake_glance.GlanceFixture(fake_glance.IMAGES))
        headers, body = define_request('text/plain', 'web')
        response = client.call(occi, '/-/', 'POST', None, body, headers)
        self.assertEqual(503, response.status_int)
        self.assertIn('ooi-save-manage db sync', response.text)
        # Nothing was made by the filter: the schema is the command's.
        self.assertEqual(set(), migration.current(url))
        _sync(url, tmp)
        self.assertEqual({'5c7e9a1b3d2f'}, migration.current(url))
        response = client.call(occi, '/-/', 'POST', None, body, headers)
        self.assertEqual(200, response.status_int, response.text)
