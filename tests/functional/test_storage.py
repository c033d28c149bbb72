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

"""Storage and storagelink through OCCI on the mini-cloud's real Cinder.

Every request rendering is sent and every answer rendering asked for; what
OCCI says is checked against what Cinder and Nova say natively. The tests
make their own volumes and servers and delete them when they end.
"""

import json
import re
import threading
import time
import urllib.parse
import uuid

import requests

from tests.functional import base
from tests.functional import save_base

INFRA = base.INFRA
STORAGE_ACTION = 'http://schemas.ogf.org/occi/infrastructure/storage/action#'
BODY_TYPES = base.BODY_TYPES
ENTITY_TYPES = base.ENTITY_TYPES
VOLUME_MICROVERSION = 'volume 3.42'

_LINK_PARAM = re.compile(r';\s*([\w.]+)=("(?:[^"\\]|\\.)*"|[^;]*)')


def render(body_type, kind, attributes, links=()):
    """An entity with optional links as a client renders it.

    :param links: (target, target kind, link kind, attributes) tuples
    :returns: (headers, body)
    """
    if body_type.endswith('json'):
        body = {'kind': INFRA + kind, 'attributes': dict(attributes)}
        for key in ('source', 'target'):
            value = body['attributes'].pop('occi.core.' + key, None)
            if value:
                body[key] = {'location': value}
        if links:
            body['links'] = [
                {'kind': INFRA + link_kind, 'attributes': link_attributes,
                 'target': {'location': target, 'kind': INFRA + target_kind}}
                for target, target_kind, link_kind, link_attributes in links]
        return {'Content-Type': body_type}, json.dumps(body)
    lines = [('Category', '%s; scheme="%s"; class="kind"' % (kind, INFRA))]
    lines += [('Link', '<%s>; rel="%s%s"; category="%s%s"%s' % (
        target, INFRA, target_kind, INFRA, link_kind, ''.join(
            '; %s=%s' % (name, json.dumps(value))
            for name, value in link_attributes.items())))
        for target, target_kind, link_kind, link_attributes in links]
    lines += [('X-OCCI-Attribute', '%s=%s' % (name, json.dumps(value)))
              for name, value in attributes.items()]
    return base.render_lines(body_type, lines)


def storagelinks(response, root_url):
    """The storagelinks a compute rendering shows: {location: attributes}.

    JSON renders no link location: a client makes it from the id.
    """
    kind = INFRA + 'storagelink'
    content_type = response.headers['Content-Type'].split(';')[0].strip()
    if content_type.startswith('application/'):
        return {'%s/storagelink/%s' % (root_url, link['id']): dict(
            link.get('attributes', {}), target=link['target']['location'])
            for link in response.json().get('links', ())
            if link['kind'] == kind}
    if content_type == 'text/occi':
        values = re.split(r',\s*(?=<)', response.headers.get('Link', ''))
    else:
        values = [line[len('Link:'):].strip()
                  for line in response.text.splitlines()
                  if line.startswith('Link:')]
    found = {}
    for value in values:
        if not value.startswith('<') or '?action=' in value:
            continue
        params = {name: json.loads(raw) if raw.startswith('"') else raw
                  for name, raw in _LINK_PARAM.findall(value)}
        if kind in params.get('category', ''):
            params['target'] = value[1:value.index('>')]
            found[params.pop('self')] = params
    return found


class StorageTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.cinder_url = self.env.get('CINDER_ENDPOINT')
        if not self.cinder_url:
            self.skipTest('the mini-cloud has no Cinder (CINDER_ENDPOINT '
                          'is not in its openrc)')
        self.alt_cinder_url = self.env.get('CINDER_ENDPOINT_ALT')

    def cinder(self, method, path, token=None, body=None, expect=None,
               url=None):
        """A native block storage API request."""
        response = requests.request(
            method, (url or self.cinder_url) + path, json=body, timeout=120,
            headers={'X-Auth-Token': token or self.token,
                     'OpenStack-API-Version': VOLUME_MICROVERSION})
        if expect is not None:
            self.assertEqual(expect, response.status_code, response.text)
        return response

    def volume(self, volume_id, token=None, url=None):
        return self.cinder('GET', '/volumes/' + volume_id, token=token,
                           url=url, expect=200).json()['volume']

    def wait_volume(self, volume_id, statuses, token=None, timeout=60,
                    url=None):
        deadline = time.monotonic() + timeout
        while True:
            volume = self.volume(volume_id, token, url)
            if volume['status'] in statuses:
                return volume
            if time.monotonic() > deadline:
                self.fail('volume %s is %s, not %s'
                          % (volume_id, volume['status'], statuses))
            time.sleep(0.3)

    def cleanup_volume(self, volume_id, token=None, url=None):
        """Delete a volume when the test ends, once it is detached."""
        def delete():
            try:
                self.wait_volume(volume_id, ('available', 'error'), token,
                                 url=url)
            except Exception:
                pass
            self.cinder('DELETE', '/volumes/' + volume_id, token=token,
                        url=url)
        self.addCleanup(delete)

    def make_volume(self, size=1, name=None, token=None, url=None):
        """A volume made natively; deleted when the test ends."""
        volume = self.cinder('POST', '/volumes', token=token, url=url,
                             body={'volume': {
                                 'size': size,
                                 'name': name or 'ft-%s' % uuid.uuid4(
                                 ).hex[:8]}}, expect=202).json()['volume']
        self.cleanup_volume(volume['id'], token, url)
        return self.wait_volume(volume['id'], ('available',), token,
                                url=url)

    def answer(self, response):
        return base.Answer(response, self.occi_url)

    def attach(self, server_id, volume_id, token=None):
        self.nova('POST', '/servers/%s/os-volume_attachments' % server_id,
                  token=token, body={'volumeAttachment': {
                      'volumeId': volume_id}}, expect=200)
        self.addCleanup(self.nova, 'DELETE',
                        '/servers/%s/os-volume_attachments/%s'
                        % (server_id, volume_id), token=token)
        return self.wait_volume(volume_id, ('in-use',), token)


class NativeCinderTest(StorageTestBase):
    """The mini-cloud's Cinder works as the OCCI side needs."""

    def test_create_attach_detach_extend_delete(self):
        server_id = self.boot()
        volume = self.make_volume()
        self.attach(server_id, volume['id'])
        server = self.nova('GET', '/servers/' + server_id).json()['server']
        self.assertEqual([volume['id']], [
            v['id'] for v in server['os-extended-volumes:volumes_attached']])
        self.nova('DELETE', '/servers/%s/os-volume_attachments/%s'
                  % (server_id, volume['id']), expect=202)
        self.wait_volume(volume['id'], ('available',))
        self.cinder('POST', '/volumes/%s/action' % volume['id'],
                    body={'os-extend': {'new_size': 2}}, expect=202)
        self.assertEqual(2, self.wait_volume(volume['id'],
                                             ('available',))['size'])
        self.cinder('DELETE', '/volumes/' + volume['id'], expect=202)


class StorageTest(StorageTestBase):

    def test_create_in_every_rendering_answered_in_every_rendering(self):
        for body_type in BODY_TYPES:
            for accept in ENTITY_TYPES + ('text/uri-list',):
                title = 'occi-%s' % uuid.uuid4().hex[:8]
                headers, data = render(body_type, 'storage', {
                    'occi.core.title': title, 'occi.storage.size': 0.5,
                    'occi.core.summary': 'made by ' + body_type})
                headers['Accept'] = accept
                response = self.occi('POST', '/storage/', headers=headers,
                                     data=data)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_code, what)
                location = response.headers['Location']
                volume_id = location.rpartition('/')[2]
                self.cleanup_volume(volume_id)
                self.assertEqual(self.occi_url + '/storage/' + volume_id,
                                 location)
                volume = self.volume(volume_id)
                self.assertEqual((title, 'made by ' + body_type, 1), (
                    volume['name'], volume['description'], volume['size']))
                if accept != 'text/uri-list':
                    self.assertIn(volume_id, response.text + str(
                        response.headers), what)

    def test_read_list_and_filter_in_every_rendering(self):
        volume = self.make_volume(size=2)
        self.wait_volume(volume['id'], ('available',))
        for accept in ENTITY_TYPES:
            response = self.occi('GET', '/storage/' + volume['id'],
                                 headers={'Accept': accept})
            self.assertEqual(200, response.status_code, response.text)
            attributes = self.answer(response).attributes()
            self.assertEqual((volume['name'], 2, 'online', 'available'), (
                attributes['occi.core.title'],
                attributes['occi.storage.size'],
                attributes['occi.storage.state'],
                attributes['occi.storage.state.message']), accept)
        for accept in ENTITY_TYPES + ('text/uri-list',):
            response = self.occi('GET', '/storage/',
                                 headers={'Accept': accept})
            self.assertEqual(200, response.status_code)
            self.assertIn(volume['id'], response.text + str(
                response.headers), accept)
        headers, data = render('text/plain', 'storage',
                               {'occi.core.title': volume['name']})
        headers['Accept'] = 'text/uri-list'
        response = self.occi('GET', '/storage/', headers=headers, data=data)
        self.assertEqual([self.occi_url + '/storage/' + volume['id']],
                         response.text.split())

    def test_update_grows_renames_and_refuses_to_shrink(self):
        volume = self.make_volume(size=1)
        for number, body_type in enumerate(BODY_TYPES, 2):
            headers, data = render(body_type, 'storage', {
                'occi.core.title': 'grown-%d' % number,
                'occi.storage.size': number})
            headers['Accept'] = 'application/occi+json'
            response = self.occi('POST', '/storage/' + volume['id'],
                                 headers=headers, data=data)
            self.assertEqual(200, response.status_code, response.text)
            self.assertEqual(number, response.json()['attributes'][
                'occi.storage.size'])
            native = self.volume(volume['id'])
            self.assertEqual(('grown-%d' % number, number),
                             (native['name'], native['size']))
        headers, data = render('text/plain', 'storage',
                               {'occi.storage.size': 1})
        response = self.occi('POST', '/storage/' + volume['id'],
                             headers=headers, data=data)
        self.assertEqual(400, response.status_code)
        self.assertEqual(len(BODY_TYPES) + 1,
                         self.volume(volume['id'])['size'])

    def test_delete_actions_and_errors(self):
        volume = self.make_volume()
        for term in ('online', 'offline'):
            response = self.occi(
                'POST', '/storage/%s?action=%s' % (volume['id'], term),
                headers={'Category': '%s; scheme="%s"; class="action"'
                         % (term, STORAGE_ACTION)})
            self.assertEqual(501, response.status_code, response.text)
        for size in (0, -2, 'big'):
            headers, data = render('application/occi+json', 'storage',
                                   {'occi.storage.size': size})
            headers['Accept'] = 'application/occi+json'
            response = self.occi('POST', '/storage/', headers=headers,
                                 data=data)
            self.assertEqual(400, response.status_code, response.text)
            self.assertIn('error', response.json())
        headers, data = render('text/plain', 'storage',
                               {'occi.storage.size': 100000})
        response = self.occi('POST', '/storage/', headers=headers, data=data)
        self.assertIn(response.status_code, (403, 413), response.text)
        self.assertIn('quota', response.text.lower())
        response = self.occi('DELETE', '/storage/' + volume['id'])
        self.assertEqual(200, response.status_code, response.text)
        self.wait_gone(volume['id'])
        response = self.occi('GET', '/storage/' + volume['id'])
        self.assertEqual(404, response.status_code)

    def wait_gone(self, volume_id, timeout=60):
        deadline = time.monotonic() + timeout
        while self.cinder('GET', '/volumes/' + volume_id).status_code != 404:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.3)

    def test_delete_in_use_is_409_and_keeps_the_volume(self):
        server_id = self.boot()
        volume = self.make_volume()
        self.attach(server_id, volume['id'])
        for accept in ENTITY_TYPES:
            response = self.occi('DELETE', '/storage/' + volume['id'],
                                 headers={'Accept': accept})
            self.assertEqual(409, response.status_code, response.text)
            self.assertIn('attached', self.answer(response).error())
        self.assertEqual('in-use', self.volume(volume['id'])['status'])

    def test_another_project_sees_and_touches_nothing(self):
        volume = self.make_volume()
        server_id = self.boot()
        self.attach(server_id, volume['id'])
        link = '/storagelink/%s_%s' % (server_id, volume['id'])
        for method, path in (('GET', '/storage/' + volume['id']),
                             ('DELETE', '/storage/' + volume['id']),
                             ('POST', '/storage/' + volume['id']),
                             ('GET', link), ('DELETE', link)):
            headers, data = render('text/plain', 'storage',
                                   {'occi.storage.size': 5})
            response = self.occi(method, path, token=self.alt_token,
                                 headers=headers if method == 'POST' else {},
                                 data=data if method == 'POST' else None)
            self.assertEqual(404, response.status_code,
                             '%s %s: %s' % (method, path, response.text))
        listed = self.occi('GET', '/storage/', token=self.alt_token,
                           headers={'Accept': 'text/uri-list'})
        self.assertNotIn(volume['id'], listed.text)
        listed = self.occi('GET', '/storagelink/', token=self.alt_token,
                           headers={'Accept': 'text/uri-list'})
        self.assertNotIn(volume['id'], listed.text)
        native = self.volume(volume['id'])
        self.assertEqual(('in-use', 1), (native['status'], native['size']))


class StorageLinkTest(StorageTestBase):

    def link(self, body_type, server_id, volume_id, accept='text/plain',
             token=None, **extra):
        attributes = {
            'occi.core.source': self.occi_url + '/compute/' + server_id,
            'occi.core.target': self.occi_url + '/storage/' + volume_id}
        attributes.update(extra)
        headers, data = render(body_type, 'storagelink', attributes)
        headers['Accept'] = accept
        return self.occi('POST', '/storagelink/', headers=headers,
                         data=data, token=token)

    def test_attach_see_and_detach_in_every_rendering(self):
        server_id = self.boot()
        self.learn_flavor_names()
        for body_type, accept in zip(BODY_TYPES, reversed(ENTITY_TYPES)):
            volume = self.make_volume()
            response = self.link(body_type, server_id, volume['id'], accept)
            what = '%s -> %s: %s' % (body_type, accept, response.text)
            self.assertEqual(201, response.status_code, what)
            location = '%s/storagelink/%s_%s' % (self.occi_url, server_id,
                                                 volume['id'])
            self.assertEqual(location, response.headers['Location'])
            self.addCleanup(self.nova, 'DELETE',
                            '/servers/%s/os-volume_attachments/%s'
                            % (server_id, volume['id']))
            attributes = self.answer(response).attributes()
            self.assertIn(attributes['occi.storagelink.state'],
                          ('inactive', 'active'), what)
            self.assertIn(attributes['occi.storagelink.state.message'],
                          ('reserved', 'attaching', 'in-use'), what)
            self.wait_volume(volume['id'], ('in-use',))
            for read_type in ENTITY_TYPES:
                compute = self.occi('GET', '/compute/' + server_id,
                                    headers={'Accept': read_type})
                links = storagelinks(compute, self.occi_url)
                self.assertIn(location, links, read_type)
                self.assertEqual(self.occi_url + '/storage/' + volume['id'],
                                 links[location]['target'])
                # The storagelinks come with the server read and one
                # Cinder listing (the volumes being detached); the one
                # Neutron call lists its ports (it has none).
                self.assertEqual('nova=1, glance=0, neutron=1, cinder=1',
                                 compute.headers['X-OCCI-Backend-Calls'])
                one = self.occi('GET', location[len(self.occi_url):],
                                headers={'Accept': read_type})
                self.assertEqual(200, one.status_code, one.text)
                attributes = self.answer(one).attributes()
                self.assertEqual('active',
                                 attributes['occi.storagelink.state'])
                self.assertTrue(attributes['occi.storagelink.deviceid']
                                .startswith('/dev/'))
            listed = self.occi('GET', '/storagelink/',
                               headers={'Accept': 'text/uri-list'})
            self.assertIn(location, listed.text.split())
            response = self.occi('DELETE', location[len(self.occi_url):])
            self.assertEqual(200, response.status_code, response.text)
            self.wait_volume(volume['id'], ('available',))
            compute = self.occi('GET', '/compute/' + server_id)
            self.assertNotIn(location, storagelinks(compute, self.occi_url))

    def test_attach_refusals(self):
        server_id = self.boot()
        other_id = self.boot()
        volume = self.make_volume()
        self.attach(other_id, volume['id'])
        response = self.link('text/plain', server_id, volume['id'])
        self.assertEqual(409, response.status_code, response.text)
        self.assertIn('in-use', response.text)
        fresh = self.make_volume()
        response = self.link('text/plain', str(uuid.uuid4()), fresh['id'])
        self.assertEqual(404, response.status_code, response.text)
        self.assertEqual('available', self.volume(fresh['id'])['status'])
        response = self.link('text/plain', server_id, str(uuid.uuid4()))
        self.assertEqual(404, response.status_code, response.text)
        alt_volume = None
        if self.alt_cinder_url:
            alt_volume = self.make_volume(token=self.alt_token,
                                          url=self.alt_cinder_url)
            response = self.link('text/plain', server_id, alt_volume['id'])
            self.assertEqual(404, response.status_code, response.text)

    def test_two_attaches_of_one_volume_at_once(self):
        servers = [self.boot(), self.boot()]
        volume = self.make_volume()
        barrier = threading.Barrier(2)
        answers = [None, None]

        def attach(index):
            barrier.wait()
            answers[index] = self.link('text/plain', servers[index],
                                       volume['id'])
        threads = [threading.Thread(target=attach, args=(i,))
                   for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for server_id in servers:
            self.addCleanup(self.nova, 'DELETE',
                            '/servers/%s/os-volume_attachments/%s'
                            % (server_id, volume['id']))
        statuses = sorted(a.status_code for a in answers)
        self.assertEqual([201, 409], statuses,
                         [a.text for a in answers])
        volume = self.wait_volume(volume['id'], ('in-use',))
        self.assertEqual(1, len(volume['attachments']))
        attached = [
            s for s in servers if volume['id'] in [
                v['id'] for v in self.nova('GET', '/servers/' + s).json()[
                    'server']['os-extended-volumes:volumes_attached']]]
        self.assertEqual(1, len(attached))

    def test_compute_created_with_storagelinks(self):
        for body_type in BODY_TYPES:
            volume = self.make_volume()
            headers, data = render(
                body_type, 'compute', {'occi.core.title': 'with-volume'},
                links=[(self.occi_url + '/storage/' + volume['id'],
                        'storage', 'storagelink', {})])
            response = self.occi('POST', '/compute/', headers=headers,
                                 data=data)
            self.assertEqual(201, response.status_code, response.text)
            server_id = response.headers['Location'].rpartition('/')[2]
            self.addCleanup(self.nova, 'DELETE', '/servers/' + server_id)
            self.wait_server(server_id, 'ACTIVE')
            self.wait_volume(volume['id'], ('in-use',))
            compute = self.occi('GET', '/compute/' + server_id)
            self.assertIn('%s/storagelink/%s_%s' % (
                self.occi_url, server_id, volume['id']),
                storagelinks(compute, self.occi_url))
            self.nova('DELETE', '/servers/%s/os-volume_attachments/%s'
                      % (server_id, volume['id']))

    def test_compute_create_with_a_volume_in_use_makes_nothing(self):
        busy = self.make_volume()
        self.attach(self.boot(), busy['id'])
        free = self.make_volume()
        title = 'never-%s' % uuid.uuid4().hex[:8]
        headers, data = render(
            'text/plain', 'compute', {'occi.core.title': title},
            links=[(self.occi_url + '/storage/' + free['id'], 'storage',
                    'storagelink', {}),
                   (self.occi_url + '/storage/' + busy['id'], 'storage',
                    'storagelink', {})])
        response = self.occi('POST', '/compute/', headers=headers,
                             data=data)
        self.assertEqual(400, response.status_code, response.text)
        servers = self.nova('GET', '/servers?name=' + title).json()[
            'servers']
        self.assertEqual([], servers)
        self.assertEqual('available', self.volume(free['id'])['status'])


class DeleteVisibilityTest(StorageTestBase):
    """A storage or storagelink is gone once its DELETE is answered.

    Cinder and Nova still delete and detach in the background then.
    """

    def assertGone(self, path, collection, compute=None):
        for accept in ENTITY_TYPES:
            response = self.occi('GET', path, headers={'Accept': accept})
            self.assertEqual(404, response.status_code,
                             (path, accept, response.text))
        item = path.rpartition('/')[2]
        for accept in ENTITY_TYPES + ('text/uri-list',):
            listed = self.occi('GET', collection, headers={'Accept': accept})
            self.assertEqual(200, listed.status_code, listed.text)
            self.assertNotIn(item, listed.text + str(listed.headers))
        if compute:
            for accept in ENTITY_TYPES:
                read = self.occi('GET', compute, headers={'Accept': accept})
                self.assertNotIn(item, read.text + str(read.headers))
        response = self.occi('DELETE', path)
        self.assertEqual(404, response.status_code, response.text)

    def test_storage(self):
        volume = self.make_volume()
        path = '/storage/' + volume['id']
        response = self.occi('DELETE', path)
        self.assertEqual(200, response.status_code, response.text)
        self.assertGone(path, '/storage/')

    def test_storagelink(self):
        server_id = self.boot()
        volume = self.make_volume()
        self.attach(server_id, volume['id'])
        path = '/storagelink/%s_%s' % (server_id, volume['id'])
        self.assertEqual(200, self.occi('GET', path).status_code)
        response = self.occi('DELETE', path)
        self.assertEqual(200, response.status_code, response.text)
        self.assertGone(path, '/storagelink/', '/compute/' + server_id)
        self.wait_volume(volume['id'], ('available',))

    def test_path_absolute_references(self):
        # As IM renders them: the root's path, no scheme and host.
        root_path = urllib.parse.urlsplit(self.occi_url).path
        server_id = self.boot()
        volume = self.make_volume()
        headers, data = render('text/plain', 'storagelink', {
            'occi.core.id': 'imdisk-%s' % uuid.uuid1(),
            'occi.core.source': '%s/compute/%s' % (root_path, server_id),
            'occi.core.target': '%s/storage/%s' % (root_path, volume['id']),
            'occi.storagelink.deviceid': '/dev/vdb'})
        response = self.occi('POST', '/storagelink/', headers=headers,
                             data=data)
        self.assertEqual(201, response.status_code, response.text)
        self.addCleanup(self.nova, 'DELETE',
                        '/servers/%s/os-volume_attachments/%s'
                        % (server_id, volume['id']))
        self.assertEqual('%s/storagelink/%s_%s' % (
            self.occi_url, server_id, volume['id']),
            response.headers['Location'])
        self.wait_volume(volume['id'], ('in-use',))


class SaveWithVolumesTest(StorageTestBase):
    """What save makes of a compute with volumes (Nova's own ways)."""

    def save_hot(self, server_id):
        response = self.occi(
            'POST', '/compute/%s?action=save' % server_id,
            headers={'Content-Type': 'text/plain',
                     'Accept': 'application/occi+json'},
            data=save_base.save_body('hot'))
        self.assertEqual(200, response.status_code, response.text)
        image_id = response.json()['term']
        self.addCleanup(self.glance, 'DELETE', '/v2/images/' + image_id)
        deadline = time.monotonic() + 120
        while True:
            image = self.glance('GET', '/v2/images/' + image_id).json()
            if image['status'] == 'active':
                return image
            self.assertLess(time.monotonic(), deadline, image)
            time.sleep(0.5)

    def test_image_backed_compute_saves_its_root_disk_only(self):
        server_id = self.boot()
        volume = self.make_volume()
        self.attach(server_id, volume['id'])
        image = self.save_hot(server_id)
        # An image-backed server is snapshotted as such: the template holds
        # the root disk, no block device mapping of the attached volume.
        self.assertNotIn('block_device_mapping', image)
        self.assertEqual('snapshot', image.get('image_type'))
        self.assertEqual('in-use', self.volume(volume['id'])['status'])

    def test_volume_backed_compute_saves_a_volume_snapshot(self):
        volume = self.make_volume()
        self.cinder('POST', '/volumes/%s/action' % volume['id'],
                    body={'os-set_bootable': {'bootable': True}},
                    expect=200)
        server = self.nova('POST', '/servers', expect=202, body={'server': {
            'name': 'ft-vol-%s' % uuid.uuid4().hex[:6],
            'flavorRef': self.flavor()['id'], 'networks': 'none',
            'block_device_mapping_v2': [{
                'boot_index': 0, 'uuid': volume['id'],
                'source_type': 'volume', 'destination_type': 'volume',
                'delete_on_termination': False}]}}).json()['server']
        self.addCleanup(self.nova, 'DELETE', '/servers/' + server['id'])
        self.wait_server(server['id'], 'ACTIVE')
        image = self.save_hot(server['id'])
        # Nova snapshots each volume in Cinder and the template maps them:
        # booting from it makes new volumes from those snapshots.
        mappings = json.loads(image['block_device_mapping'])
        snapshots = [m['snapshot_id'] for m in mappings
                     if m.get('snapshot_id')]
        self.assertEqual(1, len(snapshots), mappings)
        for snapshot_id in snapshots:
            self.addCleanup(self.cinder, 'DELETE',
                            '/snapshots/' + snapshot_id)
        snapshot = self.cinder('GET', '/snapshots/' + snapshots[0],
                               expect=200).json()['snapshot']
        self.assertEqual(volume['id'], snapshot['volume_id'])
        self.assertEqual(0, image.get('size') or 0)
