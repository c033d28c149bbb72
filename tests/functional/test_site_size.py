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

"""A site's size through HAProxy: 150 images and 60 computes in one project.

The query interface and the compute collection are asked for in every
rendering through HAProxy, which runs with its defaults as a site runs it.
Each answer is whole (every image, every compute) or, in text/occi past the
header budget, the filter's 406 that says how to get it; never HAProxy's
502, and no header block above the budget as the client receives it. The
ways the 406 advises work: filtered discovery (``?category=``) and paging.

The project is made for this test alone (its images and computes would
swell every other test's answers): one Keystone project and member, Nova
quotas raised, the images made in parallel (queued, without data: a
template needs none to be listed), the computes booted by one multi-create
request without network. All of it is removed at the end.
"""

import concurrent.futures
import re
import time
import urllib.parse
import uuid

import requests
from testtools import content

from ooi_save import opts
from tests.functional import base

IMAGES = 150
COMPUTES = 60
INFRA = base.INFRA
OS = base.OS

#: The header budget and reserve the mini-cloud runs with: the defaults.
BUDGET = {opt.name: opt.default for opt in opts.occi_opts}['header_budget']


def wire_size(response):
    """The header block of an answer as the client received it, in bytes."""
    size = len('HTTP/1.1 %d %s\r\n' % (response.status_code,
                                       response.reason))
    for name, value in response.raw.headers.items():
        size += len(name) + len(': ') + len(value.encode('latin-1')) + 2
    return size + 2


def quoted(type_id):
    return urllib.parse.quote(type_id, safe='')


class Site:
    """A Keystone project and its member, with Nova quotas for a site."""

    def __init__(self, env):
        self.keystone = env['OS_AUTH_URL'].rstrip('/')
        if not self.keystone.endswith('/v3'):
            self.keystone += '/v3'
        self.nova_url = env['NOVA_ENDPOINT']
        self.glance_url = env['GLANCE_ENDPOINT']
        self.admin = {'X-Auth-Token': env['OS_TOKEN_ADMIN']}
        name = 'site-%s' % uuid.uuid4().hex[:8]
        self.project_id = self._keystone('/projects', {'project': {
            'name': name, 'domain_id': 'default'}})['project']['id']
        password = uuid.uuid4().hex
        self.user_id = self._keystone('/users', {'user': {
            'name': name, 'password': password, 'domain_id': 'default',
            'default_project_id': self.project_id}})['user']['id']
        role = requests.get(self.keystone + '/roles?name=member',
                            headers=self.admin, timeout=30).json()
        requests.put(
            self.keystone + '/projects/%s/users/%s/roles/%s' % (
                self.project_id, self.user_id, role['roles'][0]['id']),
            headers=self.admin, timeout=30).raise_for_status()
        answer = requests.post(self.keystone + '/auth/tokens', timeout=30,
                               json={'auth': {
                                   'identity': {
                                       'methods': ['password'],
                                       'password': {'user': {
                                           'id': self.user_id,
                                           'password': password}}},
                                   'scope': {'project': {
                                       'id': self.project_id}}}})
        answer.raise_for_status()
        self.token = answer.headers['X-Subject-Token']
        self._nova('PUT', '/os-quota-sets/%s' % self.project_id,
                   {'quota_set': {'instances': COMPUTES + 10,
                                  'cores': COMPUTES + 10,
                                  'ram': (COMPUTES + 10) * 1024}},
                   token=self.admin['X-Auth-Token'])
        self.image_ids = []
        self.server_ids = []

    def _keystone(self, path, body):
        answer = requests.post(self.keystone + path, json=body,
                               headers=self.admin, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def _nova(self, method, path, body=None, token=None):
        answer = requests.request(
            method, self.nova_url + path, json=body, timeout=300,
            headers={'X-Auth-Token': token or self.token,
                     'OpenStack-API-Version': base.MICROVERSION})
        answer.raise_for_status()
        return answer

    def _image(self, number):
        answer = requests.post(
            self.glance_url + '/v2/images', timeout=60,
            headers={'X-Auth-Token': self.token},
            json={'name': 'site image %03d' % number, 'disk_format': 'raw',
                  'container_format': 'bare', 'visibility': 'private'})
        answer.raise_for_status()
        return answer.json()['id']

    def make_images(self, count):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for image_id in pool.map(self._image, range(count)):
                self.image_ids.append(image_id)

    def boot(self, count, image_id, flavor_id):
        """``count`` servers from one multi-create request."""
        self._nova('POST', '/servers', {'server': {
            'name': 'site-vm', 'imageRef': image_id,
            'flavorRef': flavor_id, 'networks': 'none',
            'min_count': count, 'max_count': count}})
        self.server_ids = [s['id'] for s in self._nova(
            'GET', '/servers?limit=1000').json()['servers']]

    def settle(self, timeout=300):
        """Wait until every server is built, or has failed to be.

        Nova lists servers being scheduled (build requests) apart from
        those a cell holds, and reorders them while they move from one to
        the other (measured: 60 servers of one request change places for
        about 3 s). Pages are slices of that order, so the paging check
        reads a collection that holds still, as a user paging a site
        would.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            building = [s for s in self._nova(
                'GET', '/servers/detail?limit=1000').json()['servers']
                if s['status'] == 'BUILD']
            if not building:
                return
            time.sleep(1)
        raise AssertionError('%d servers still building after %d s'
                             % (len(building), timeout))

    def remove(self):
        """Delete the servers, the images, the member and the project."""
        def delete(url):
            requests.delete(url, timeout=120,
                            headers={'X-Auth-Token': self.token})
        urls = ([self.nova_url + '/servers/' + s for s in self.server_ids] +
                [self.glance_url + '/v2/images/' + i
                 for i in self.image_ids])
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(delete, urls))
        deadline = time.monotonic() + 300
        while self.server_ids and time.monotonic() < deadline:
            if not self._nova('GET', '/servers?limit=1000').json()[
                    'servers']:
                break
            time.sleep(1)
        for path in ('/users/%s' % self.user_id,
                     '/projects/%s' % self.project_id):
            requests.delete(self.keystone + path, headers=self.admin,
                            timeout=30)


class SiteSizeTest(base.TestCase):

    def setUp(self):
        super().setUp()
        started = time.monotonic()
        self.site = Site(self.env)
        self.addCleanup(self._remove, self.site)
        self.site.make_images(IMAGES)
        self.site.boot(COMPUTES, self.image_by_name('cirros-fake')['id'],
                       self.flavor()['id'])
        self.timings = {'build': time.monotonic() - started}
        self.sizes = {}
        self.addDetail('site', content.Content(
            content.UTF8_TEXT, lambda: [(
                'timings %r; header block sizes %r' % (
                    self.timings, self.sizes)).encode('utf-8')]))

    def _remove(self, site):
        started = time.monotonic()
        site.remove()
        self.timings['remove'] = time.monotonic() - started

    def get(self, path, accept):
        """A GET through HAProxy as the site's member, header block kept."""
        response = self.occi('GET', path, token=self.site.token,
                             headers={'Accept': accept})
        self.sizes['%s %s' % (path, accept)] = (response.status_code,
                                                wire_size(response))
        # Never HAProxy's own answer, never past the budget on the wire.
        self.assertIn('OCCI/1.2', response.headers.get('Server', ''),
                      (path, accept, response.status_code))
        self.assertLessEqual(wire_size(response), BUDGET, (path, accept))
        return response

    def assertAdvice(self, response, *advice):
        """The filter's 406 in text/occi, saying how to get the answer."""
        self.assertEqual(406, response.status_code, response.text[:300])
        self.assertEqual('text/occi', response.headers['Content-Type'])
        for header in ('Category', 'Link', 'X-OCCI-Location',
                       'X-OCCI-Attribute'):
            self.assertNotIn(header, response.headers)
        for words in ('text/plain', 'application/occi+json') + advice:
            self.assertIn(words, response.text)

    def os_templates(self, response):
        """The os_tpl terms a query interface answer lists."""
        kind = response.headers['Content-Type'].split(';')[0]
        if kind.endswith('json'):
            return {m['term'] for m in response.json()['mixins']
                    if m['scheme'] == OS}
        text = (response.text if kind != 'text/occi' else
                response.headers.get('Category', ''))
        return set(re.findall(r'(?:^|, |Category: )([\w.-]+); scheme="%s"'
                              % re.escape(OS), text, re.M))

    def computes(self, response):
        """The compute ids a listing answer gives."""
        kind = response.headers['Content-Type'].split(';')[0]
        if kind.endswith('json'):
            return {r['id'] for r in response.json().get('resources', [])}
        text = (response.text if kind != 'text/occi' else
                response.headers.get('X-OCCI-Location', ''))
        return set(re.findall(r'/compute/([0-9a-f-]{36})', text))

    def test_every_rendering_whole_or_refused_with_advice(self):
        images = set(self.site.image_ids)
        servers = set(self.site.server_ids)
        self.assertEqual((IMAGES, COMPUTES), (len(images), len(servers)))

        # The query interface (text/uri-list cannot render it).
        for accept in ('text/plain', 'text/occi+plain', 'text/occi',
                       'application/occi+json',
                       'text/occi, application/occi+json;q=0.5',
                       'text/plain,text/occi'):
            response = self.get('/-/', accept)
            if response.status_code == 406:
                self.assertEqual('text/occi', accept)
                self.assertAdvice(response, '?category=')
                continue
            self.assertEqual(200, response.status_code, accept)
            self.assertLessEqual(images, self.os_templates(response), accept)

        # Filtered discovery in text/occi: what the 406 advises.
        for type_id in (INFRA + 'compute', OS + self.site.image_ids[-1]):
            response = self.get('/-/?category=' + quoted(type_id),
                                'text/occi')
            self.assertEqual(200, response.status_code, response.text)
            scheme, term = type_id.split('#')
            self.assertIn('%s; scheme="%s#"' % (term, scheme),
                          response.headers['Category'])

        # The compute collection.
        number = None
        for accept in ('text/plain', 'text/occi+plain', 'text/occi',
                       'application/occi+json', 'text/uri-list'):
            response = self.get('/compute/', accept)
            if response.status_code == 406:
                self.assertEqual('text/occi', accept)
                self.assertAdvice(response, '?page=1&number=')
                number = int(re.search(r'number=(\d+)',
                                       response.text).group(1))
                continue
            self.assertEqual(200, response.status_code, accept)
            self.assertEqual(servers, self.computes(response), accept)

        # Paging in text/occi, at the size the 406 gave: every page fits.
        if number is not None:
            self.site.settle()
            seen = set()
            for page in range(1, COMPUTES // number + 2):
                response = self.get('/compute/?page=%d&number=%d'
                                    % (page, number), 'text/occi')
                self.assertEqual(200, response.status_code, response.text)
                seen |= self.computes(response)
            self.assertEqual(servers, seen)
