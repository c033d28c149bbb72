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

"""User-defined mixins and their collections on the real mini-cloud.

Every path and method in every rendering, as request and as answer; the
associations checked natively (the computes' Nova server tags); the
second project sees and touches none of it; definitions survive a
restart of every nova-api node (:class:`MixinRestartKillTest`, run alone
with the other tests that stop nova-api).

The mini-cloud's nova.conf names its PostgreSQL database ``ooi_save`` in
``[occi_database]``, synced by ``up``.
"""

import json
import subprocess
import sys
import threading
import uuid

from tests.functional import base

BODY_TYPES = base.BODY_TYPES
ENTITY_TYPES = base.ENTITY_TYPES
LISTING_TYPES = base.LISTING_TYPES
TAG_PREFIX = 'occi-mixin-'


def render_mixin(body_type, term, scheme, location=None, title=None):
    """One mixin as a client renders it for POST or DELETE /-/."""
    if body_type.endswith('json'):
        mixin = {'term': term, 'scheme': scheme}
        mixin.update({k: v for k, v in (('location', location),
                                        ('title', title)) if v})
        return ({'Content-Type': body_type},
                json.dumps({'mixins': [mixin]}))
    value = '%s; scheme="%s"; class="mixin"' % (term, scheme)
    if title:
        value += '; title="%s"' % title
    if location:
        value += '; location="%s"' % location
    if body_type == 'text/occi':
        return {'Content-Type': 'text/occi', 'Category': value}, None
    return {'Content-Type': body_type}, 'Category: %s\n' % value


def render_locations(body_type, locations):
    if body_type.endswith('json'):
        return ({'Content-Type': body_type},
                json.dumps({'locations': locations}))
    if body_type == 'text/occi':
        return ({'Content-Type': 'text/occi',
                 'X-OCCI-Location': ', '.join(locations)}, None)
    if body_type == 'text/uri-list':
        return ({'Content-Type': body_type},
                ''.join(loc + '\r\n' for loc in locations))
    return ({'Content-Type': body_type},
            ''.join('X-OCCI-Location: %s\n' % loc for loc in locations))


def category_type_ids(response):
    """The mixin type ids of a query interface answer, any rendering."""
    kind = response.headers.get('Content-Type', '').split(';')[0]
    if kind.endswith('json'):
        return {m['scheme'] + m['term']
                for m in response.json().get('mixins', ())}
    if kind == 'text/occi':
        text = response.headers.get('Category', '')
    else:
        text = '\n'.join(line.partition(':')[2]
                         for line in response.text.splitlines()
                         if line.startswith('Category:'))
    found = set()
    for term, scheme in base._CATEGORY.findall(
            text.replace('\n', ',')):
        found.add(scheme + term)
    return found


class MixinTestBase(base.ComputeTestBase):

    def setUp(self):
        super().setUp()
        self.scheme = 'http://example.com/ft-%s/tags#' % uuid.uuid4().hex[:8]

    def define(self, term, body_type='text/plain', location=None,
               token=None, title=None, expect=200):
        headers, data = render_mixin(body_type, term, self.scheme,
                                     location, title)
        headers['Accept'] = 'application/occi+json'
        response = self.occi('POST', '/-/', token=token, headers=headers,
                             data=data)
        self.assertEqual(expect, response.status_code, response.text)
        if expect != 200:
            return response
        mixin = response.json()['mixins'][0]
        self.addCleanup(self.undefine, term, token=token)
        return mixin

    def undefine(self, term, token=None, body_type='text/plain'):
        headers, data = render_mixin(body_type, term, self.scheme)
        return self.occi('DELETE', '/-/', token=token, headers=headers,
                         data=data)

    def path(self, mixin):
        return mixin['location'][len(self.occi_url):]

    def tags(self, server_id, token=None):
        return [t for t in self.server(server_id, token)['tags']
                if t.startswith(TAG_PREFIX)]

    def members(self, mixin, accept='text/uri-list', token=None):
        response = self.occi('GET', self.path(mixin), token=token,
                             headers={'Accept': accept})
        self.assertEqual(200, response.status_code, response.text)
        return sorted(loc.rsplit('/', 1)[1]
                      for loc in self.answer(response).locations())


class DefineTest(MixinTestBase):

    def test_define_list_filter_delete_in_every_rendering(self):
        for number, body_type in enumerate(BODY_TYPES):
            term = 'def%d' % number
            for accept in ENTITY_TYPES:
                headers, data = render_mixin(
                    body_type, term, self.scheme, title='Tier %d' % number)
                headers['Accept'] = accept
                response = self.occi('POST', '/-/', headers=headers,
                                     data=data)
                self.assertEqual(200, response.status_code, response.text)
                self.assertEqual({self.scheme + term},
                                 category_type_ids(response), accept)
                for listing in ENTITY_TYPES:
                    # The whole query interface is above text/occi's
                    # default header budget (406): a text/occi client
                    # asks for the categories it needs.
                    path = '/-/' if listing != 'text/occi' else (
                        '/-/?category=' + (self.scheme + term).replace(
                            '#', '%23'))
                    listed = self.occi('GET', path,
                                       headers={'Accept': listing})
                    self.assertIn(self.scheme + term,
                                  category_type_ids(listed), listing)
                    alt = self.occi('GET', path, token=self.alt_token,
                                    headers={'Accept': listing})
                    self.assertEqual(200, alt.status_code, alt.text)
                    self.assertNotIn(self.scheme + term,
                                     category_type_ids(alt), listing)
                filtered = self.occi(
                    'GET', '/-/?category=%s' % (self.scheme + term).replace(
                        '#', '%23'), headers={'Accept': accept})
                self.assertEqual({self.scheme + term},
                                 category_type_ids(filtered), accept)
                # The other project can neither see nor delete it.
                self.assertEqual(404, self.undefine(
                    term, token=self.alt_token).status_code)
                headers, data = render_mixin(body_type, term, self.scheme)
                headers['Accept'] = accept
                response = self.occi('DELETE', '/-/', headers=headers,
                                     data=data)
                self.assertEqual(200, response.status_code, response.text)
                self.assertNotIn(self.scheme + term, category_type_ids(
                    self.occi('GET', '/-/')))

    def test_refusals_in_the_client_rendering(self):
        self.define('taken', location='/ft-taken-%s/' % self.scheme[22:30],
                    title='Taken')
        cases = [
            (400, 'x', base.INFRA, None),
            (400, 'x', base.OS, None),
            (400, '-bad', self.scheme, None),
            # Another definition (no title) of the same category.
            (409, 'taken', self.scheme, None),
            (409, 'other', self.scheme, '/compute/'),
        ]
        for status, term, scheme, location in cases:
            for body_type in BODY_TYPES:
                headers, data = render_mixin(body_type, term, scheme,
                                             location)
                headers['Accept'] = body_type
                response = self.occi('POST', '/-/', headers=headers,
                                     data=data)
                self.assertEqual(status, response.status_code,
                                 (term, body_type, response.text))
                self.assertEqual(body_type, self.answer(response).type)
                self.assertTrue(self.answer(response).error().strip())
        listed = {t for t in category_type_ids(self.occi('GET', '/-/'))
                  if t.startswith(self.scheme)}
        self.assertEqual({self.scheme + 'taken'}, listed)

    def test_the_same_definition_again_is_200(self):
        location = '/ft-again-%s/' % self.scheme[22:30]
        first = self.define('again', location=location, title='Again')
        for body_type in BODY_TYPES:
            for accept in ENTITY_TYPES:
                headers, data = render_mixin(body_type, 'again',
                                             self.scheme, location, 'Again')
                headers['Accept'] = accept
                response = self.occi('POST', '/-/', headers=headers,
                                     data=data)
                self.assertEqual(200, response.status_code,
                                 (body_type, accept, response.text))
                self.assertEqual({self.scheme + 'again'},
                                 category_type_ids(response), accept)
            # Without a location: the one it has.
            headers, data = render_mixin(body_type, 'again', self.scheme,
                                         title='Again')
            headers['Accept'] = 'application/occi+json'
            response = self.occi('POST', '/-/', headers=headers, data=data)
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual(first, response.json()['mixins'][0])
            for term, other_location, title in (
                    ('again', location, 'Other title'),
                    ('again', location + 'x/', 'Again'),
                    ('other', location, 'Again')):
                headers, data = render_mixin(body_type, term, self.scheme,
                                             other_location, title)
                headers['Accept'] = body_type
                response = self.occi('POST', '/-/', headers=headers,
                                     data=data)
                self.assertEqual(409, response.status_code,
                                 (body_type, term, response.text))
        listed = {t for t in category_type_ids(self.occi('GET', '/-/'))
                  if t.startswith(self.scheme)}
        self.assertEqual({self.scheme + 'again'}, listed)

    def test_concurrent_definitions_leave_one(self):
        barrier = threading.Barrier(4)
        statuses = []

        def define():
            headers, data = render_mixin('text/plain', 'race', self.scheme)
            barrier.wait()
            statuses.append(self.occi('POST', '/-/', headers=headers,
                                      data=data).status_code)
        threads = [threading.Thread(target=define) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.addCleanup(self.undefine, 'race')
        # The same definition: each is answered as the first.
        self.assertEqual([200, 200, 200, 200], sorted(statuses))
        response = self.occi('GET', '/-/',
                             headers={'Accept': 'application/occi+json'})
        self.assertEqual(1, len([m for m in response.json()['mixins']
                                 if m['scheme'] == self.scheme]))


class CollectionTest(MixinTestBase):

    def test_every_method_in_every_rendering(self):
        mixin = self.define('web', location='/ft-web-%s/'
                            % uuid.uuid4().hex[:8])
        path = self.path(mixin)
        servers = [self.create(title='mx%d' % i)[0] for i in range(4)]
        for server_id in servers:
            self.wait_server(server_id, 'ACTIVE')
        # POST associates, one compute in each rendering.
        for server_id, body_type in zip(servers, BODY_TYPES):
            headers, data = render_locations(
                body_type, ['%s/compute/%s' % (self.occi_url, server_id)])
            headers['Accept'] = 'text/uri-list'
            response = self.occi('POST', path, headers=headers, data=data)
            self.assertEqual(200, response.status_code, response.text)
            self.assertIn(server_id, [loc.rsplit('/', 1)[1] for loc in
                                      self.answer(response).locations()])
            self.assertEqual([TAG_PREFIX + mixin_id(self, server_id)],
                             self.tags(server_id))
        for accept in LISTING_TYPES:
            self.assertEqual(sorted(servers), self.members(mixin, accept))
        for accept in ENTITY_TYPES:
            self.assertIn(mixin['scheme'] + mixin['term'],
                          self.read(servers[0], accept).mixins())
        response = self.occi('GET', path, headers={'Accept': 'text/plain'})
        # The servers being deleted, then the summary listing.
        self.assertEqual('nova=2, glance=0',
                         response.headers['X-OCCI-Backend-Calls'])
        # Paged and filtered as a kind's collection.
        response = self.occi('GET', path + '?page=1&number=2',
                             headers={'Accept': 'text/uri-list'})
        self.assertEqual(2, len(self.answer(response).locations()))
        response = self.occi('GET', path, headers={
            'Accept': 'text/uri-list', 'Content-Type': 'text/occi',
            'X-OCCI-Attribute': 'occi.core.title="mx2"'})
        self.assertEqual([servers[2]], [loc.rsplit('/', 1)[1] for loc in
                                        self.answer(response).locations()])
        # The other project sees nothing and associates nothing.
        self.assertEqual(404, self.occi('GET', path,
                                        token=self.alt_token).status_code)
        # PUT replaces the membership, in every rendering.
        for body_type in BODY_TYPES:
            headers, data = render_locations(
                body_type, ['/compute/' + s for s in servers[1:3]])
            headers['Accept'] = body_type
            response = self.occi('PUT', path, headers=headers, data=data)
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual(sorted(servers[1:3]), self.members(mixin))
        self.assertEqual([], self.tags(servers[0]))
        self.assertEqual([], self.tags(servers[3]))
        # DELETE with a list removes those, in every rendering.
        for body_type in BODY_TYPES:
            headers, data = render_locations(body_type,
                                             ['/compute/' + servers[1]])
            headers['Accept'] = body_type
            response = self.occi('DELETE', path, headers=headers,
                                 data=data)
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual([servers[2]], self.members(mixin))
        # Deleting the mixin removes its tags.
        self.assertEqual(200, self.undefine('web').status_code)
        self.assertEqual([], self.tags(servers[2]))
        self.assertEqual(404, self.occi('GET', path).status_code)

    def test_create_and_update_with_a_user_mixin(self):
        mixin = self.define('db')
        type_id = mixin['scheme'] + mixin['term']
        for body_type in BODY_TYPES:
            server_id, _ = self.create(body_type, mixins=[type_id])
            self.assertEqual(1, len(self.tags(server_id)))
        self.assertEqual(len(BODY_TYPES), len(self.members(mixin)))
        other, _ = self.create()
        self.wait_server(other, 'ACTIVE')
        headers, data = base.render('text/occi', mixins=[type_id])
        response = self.occi('POST', '/compute/' + other, headers=headers)
        self.assertEqual(200, response.status_code, response.text)
        self.assertIn(other, self.members(mixin))
        # PUT of the compute without the mixin dissociates it.
        got = self.occi('GET', '/compute/' + other,
                        headers={'Accept': 'application/occi+json'}).json()
        got['mixins'] = [m for m in got['mixins'] if m != type_id]
        response = self.occi('PUT', '/compute/' + other, data=json.dumps(
            got), headers={'Content-Type': 'application/occi+json'})
        self.assertEqual(200, response.status_code, response.text)
        self.assertNotIn(other, self.members(mixin))

    def test_deleted_compute_drops_out_at_once(self):
        mixin = self.define('bye')
        server_id, _ = self.create(mixins=[mixin['scheme'] +
                                           mixin['term']])
        self.wait_server(server_id, 'ACTIVE')
        response = self.occi('DELETE', '/compute/' + server_id)
        self.assertEqual(200, response.status_code)
        self.assertDeleting(server_id)
        self.assertEqual(404, self.occi('GET', '/compute/' +
                                        server_id).status_code)
        for accept in LISTING_TYPES:
            listed = self.occi('GET', '/compute/', headers={'Accept': accept})
            self.assertNotIn(server_id, listed.text, accept)
            self.assertNotIn(server_id, self.members(mixin, accept), accept)
        self.wait_gone(server_id)


def mixin_id(test, server_id):
    tags = test.tags(server_id)
    test.assertEqual(1, len(tags))
    return tags[0][len(TAG_PREFIX):]


class RoundTripTest(base.ComputeTestBase):

    def test_get_put_in_every_rendering(self):
        server_id, _ = self.create(title='before')
        self.wait_server(server_id, 'ACTIVE')
        title = 'before'
        for body_type in ENTITY_TYPES:
            got = self.occi('GET', '/compute/' + server_id,
                            headers={'Accept': body_type})
            new = 'after-%s' % body_type.replace('/', '-')
            if body_type == 'text/occi':
                headers = {'Content-Type': 'text/occi', 'Accept': body_type}
                for name in ('Category', 'Link', 'X-OCCI-Attribute'):
                    if name in got.headers:
                        headers[name] = got.headers[name].replace(
                            'occi.core.title="%s"' % title,
                            'occi.core.title="%s"' % new)
                data = None
            elif body_type.endswith('json'):
                body = got.json()
                body['title'] = new
                headers = {'Content-Type': body_type, 'Accept': body_type}
                data = json.dumps(body)
            else:
                headers = {'Content-Type': body_type, 'Accept': body_type}
                data = got.text.replace('occi.core.title="%s"' % title,
                                        'occi.core.title="%s"' % new)
            response = self.occi('PUT', '/compute/' + server_id,
                                 headers=headers, data=data)
            self.assertEqual(200, response.status_code,
                             '%s: %s' % (body_type, response.text))
            self.assertEqual(new, self.server(server_id)['name'])
            self.assertEqual(new, self.answer(response).attributes()[
                'occi.core.title'])
            title = new
        # A rename only: no rebuild, no resize.
        self.assertEqual(['create'], self.instance_actions(server_id))
        # Changing what cannot change is refused.
        got = self.occi('GET', '/compute/' + server_id).text
        response = self.occi('PUT', '/compute/' + server_id, data=got.replace(
            'org.openstack.compute.status="ACTIVE"',
            'org.openstack.compute.status="SHUTOFF"'),
            headers={'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_code, response.text)
        self.assertIn('org.openstack.compute.status', response.text)
        self.assertEqual('ACTIVE', self.server(server_id)['status'])


class MixinRestartKillTest(MixinTestBase):
    """Definitions and associations survive a restart of nova-api.

    ``restart nova-api`` restarts every node behind the mini-cloud's
    HAProxy.
    """

    def test_survives_restart(self):
        mixin = self.define('kept')
        server_id, _ = self.create(mixins=[mixin['scheme'] + mixin['term']])
        subprocess.run([sys.executable, base.CLI, 'restart', 'nova-api'],
                       check=True, stdout=subprocess.DEVNULL)
        self.nova('GET', '/flavors', expect=200)
        self.assertIn(mixin['scheme'] + mixin['term'],
                      category_type_ids(self.occi('GET', '/-/')))
        self.assertEqual([server_id], self.members(mixin))
        self.assertIn(mixin['scheme'] + mixin['term'],
                      self.read(server_id).mixins())
