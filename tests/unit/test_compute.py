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

"""Compute through the real filter, over a Nova faked at the wire.

Every rendering is used both as request body and as answer.
"""

import json

import testtools

from tests.unit import fakes

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'

IMAGES = [
    {'id': 'image-1', 'name': 'cirros', 'status': 'active',
     'visibility': 'public'},
    {'id': 'image-2', 'name': 'uploading', 'status': 'saving',
     'visibility': 'private'},
]

CREATE_PLAIN = (
    'Category: compute; scheme="%s"; class="kind"\n'
    'Category: image-1; scheme="%s"; class="mixin"\n'
    'Category: m1.small; scheme="%s"; class="mixin"\n'
    'X-OCCI-Attribute: occi.core.title="my \\"vm\\""\n'
    'X-OCCI-Attribute: occi.compute.hostname="myhost"\n' % (INFRA, OS, RES))

CREATE_HEADERS = {
    'Category': 'compute; scheme="%s"; class="kind", '
                'image-1; scheme="%s"; class="mixin", '
                'm1.small; scheme="%s"; class="mixin"' % (INFRA, OS, RES),
    'X-OCCI-Attribute': 'occi.core.title="my \\"vm\\"", '
                        'occi.compute.hostname="myhost"',
}

CREATE_JSON = {
    'kind': INFRA + 'compute',
    'mixins': [OS + 'image-1', RES + 'm1.small'],
    'attributes': {'occi.core.title': 'my "vm"',
                   'occi.compute.hostname': 'myhost'},
}


def create_request(body_type):
    """The same create request in one rendering: (headers, body)."""
    if body_type == 'text/occi':
        return dict(CREATE_HEADERS, **{'Content-Type': 'text/occi'}), b''
    if body_type.endswith('json'):
        return ({'Content-Type': body_type},
                json.dumps(CREATE_JSON).encode())
    return {'Content-Type': body_type}, CREATE_PLAIN.encode()


def attribute(response, name):
    """An attribute value as a client reads it from any rendering."""
    if response.content_type.endswith('json'):
        body = response.json
        if name == 'occi.core.title':
            return body.get('title')
        return body['attributes'].get(name)
    if response.content_type == 'text/occi':
        lines = [h for h in response.headers.getall('X-OCCI-Attribute')]
        lines = ','.join(lines).split(',')
    else:
        lines = [line.partition(':')[2] for line in
                 response.text.splitlines()
                 if line.startswith('X-OCCI-Attribute:')]
    for line in lines:
        key, _, value = line.strip().partition('=')
        if key == name:
            return json.loads(value)
    return None


class ComputeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.occi, self.nova = fakes.build(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'})
        self.glance = self.useFixture(fakes.GlanceFixture(IMAGES))

    def call(self, path, method='GET', accept='text/plain', body=b'',
             headers=None, context=None):
        all_headers = {'Accept': accept}
        all_headers.update(headers or {})
        return fakes.request(path, method=method, headers=all_headers,
                             body=body, context=context).get_response(
                                 self.occi)

    def test_create_in_every_rendering_answered_in_every_rendering(self):
        for body_type in ('text/plain', 'text/occi+plain', 'text/occi',
                          'application/occi+json', 'application/json'):
            for accept in ('text/plain', 'text/occi',
                           'application/occi+json', 'text/uri-list'):
                headers, body = create_request(body_type)
                response = self.call('/compute/', 'POST', accept, body,
                                     headers)
                what = '%s -> %s: %s' % (body_type, accept, response.text)
                self.assertEqual(201, response.status_int, what)
                location = response.headers['Location']
                self.assertTrue(location.startswith(
                    fakes.HOST_URL + '/occi1.2/compute/'), what)
                self.assertIn(location, response.text + str(
                    response.headers), what)
                created = self.nova.created[-1]
                self.assertEqual('my "vm"', created['name'], what)
                self.assertEqual('myhost', created['hostname'], what)
                self.assertEqual('image-1', created['imageRef'], what)
                self.assertEqual('2', created['flavorRef'], what)
                self.assertEqual('none', created['networks'], what)

    def test_read_in_every_rendering(self):
        server = self.nova.add_server(name='reader', flavor=1)
        for accept in ('text/plain', 'text/occi+plain', 'text/occi',
                       'application/occi+json', 'application/json'):
            response = self.call('/compute/' + server['id'], accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual('nova=1, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
            self.assertEqual('reader', attribute(
                response, 'occi.core.title'), accept)
            self.assertEqual('active', attribute(
                response, 'occi.compute.state'), accept)
            self.assertEqual(2, attribute(response, 'occi.compute.cores'))
            self.assertEqual(2.0, attribute(response,
                                            'occi.compute.memory'))
            text = response.text + str(response.headers)
            self.assertIn(OS + 'image-1', text.replace(
                'image-1; scheme="%s"' % OS, OS + 'image-1').replace(
                '"term":"image-1","scheme":"%s"' % OS, OS + 'image-1'))
            if accept.endswith('json'):
                self.assertEqual([ACTION + a for a in (
                    'stop', 'restart', 'suspend', 'save')],
                    response.json['actions'])
            else:
                self.assertIn('?action=stop>', text, accept)
                self.assertNotIn('?action=start', text, accept)

    def test_uri_list_of_one_compute_is_400(self):
        server = self.nova.add_server()
        response = self.call('/compute/' + server['id'],
                             accept='text/uri-list')
        self.assertEqual(400, response.status_int)

    def test_uri_list_is_refused_before_anything_is_done(self):
        server = self.nova.add_server(name='untouched')
        sid = server['id']
        update = ('Category: compute; scheme="%s"; class="kind"\n'
                  'X-OCCI-Attribute: occi.core.title="renamed"\n' % INFRA)
        cases = [('/compute/' + sid, 'DELETE', b''),
                 ('/compute/', 'DELETE', b''),
                 ('/compute/%s?action=stop' % sid, 'POST', b''),
                 ('/compute/?action=stop', 'POST', b''),
                 ('/compute/%s?action=save' % sid, 'POST', b''),
                 ('/compute/' + sid, 'PUT', update.encode()),
                 ('/compute/' + sid, 'POST', update.encode())]
        for path, method, body in cases:
            calls = len(self.nova.calls)
            response = self.call(path, method, 'text/uri-list', body,
                                 {'Content-Type': 'text/plain'})
            what = '%s %s' % (method, path)
            self.assertEqual(400, response.status_int, what)
            self.assertEqual('text/plain', response.content_type, what)
            self.assertIn('text/uri-list', response.text, what)
            self.assertEqual(calls, len(self.nova.calls), what)
        self.assertEqual([], self.nova.actions)
        self.assertEqual('untouched', self.nova.servers[sid]['name'])
        self.assertEqual('ACTIVE', self.nova.servers[sid]['status'])

    def test_unknown_compute_is_404_in_the_asked_rendering(self):
        response = self.call('/compute/nope',
                             accept='application/occi+json')
        self.assertEqual(404, response.status_int)
        self.assertEqual(404, response.json['error']['code'])
        self.assertIn('nope', response.json['error']['message'])

    def test_state_table(self):
        cases = [('SHUTOFF', None, 'inactive', ['start', 'restart', 'save']),
                 ('SUSPENDED', None, 'suspended', ['start']),
                 ('SHELVED_OFFLOADED', None, 'suspended', ['start']),
                 ('ERROR', None, 'error', ['restart']),
                 ('ACTIVE', 'image_uploading', 'active', []),
                 ('BUILD', 'spawning', 'inactive', [])]
        for status, task, state, actions in cases:
            server = self.nova.add_server(status=status, task_state=task)
            response = self.call('/compute/' + server['id'],
                                 accept='application/occi+json')
            body = response.json
            self.assertEqual(state, body['attributes'][
                'occi.compute.state'], status)
            message = body['attributes']['occi.compute.state.message']
            self.assertIn(status, message)
            if task:
                self.assertIn(task, message)
            self.assertEqual(sorted(ACTION + a for a in actions),
                             sorted(body.get('actions', [])), status)

    def test_state_message_tells_of_a_failed_deferred_save(self):
        record = ('{"v": 1, "id": "c1", "step": "failed", "m": "deferred", '
                  '"err": "the snapshot upload failed"}')
        server = self.nova.add_server(
            status='ACTIVE', metadata={'ooi_save': record,
                                       'ooi_save_name': 'golden'})
        for accept in ('text/plain', 'application/occi+json'):
            response = self.call('/compute/' + server['id'], accept=accept)
            self.assertEqual(200, response.status_int)
            self.assertIn('ACTIVE; deferred save failed: the snapshot '
                          'upload failed', response.text)

    def test_collection_is_one_call_per_page(self):
        self.nova.page_size = 2
        ids = [self.nova.add_server(name='s%d' % i)['id'] for i in range(5)]
        for accept in ('text/plain', 'text/occi', 'text/uri-list',
                       'application/occi+json'):
            response = self.call('/compute/', accept=accept)
            self.assertEqual(200, response.status_int)
            self.assertEqual('nova=3, glance=0',
                             response.headers['X-OCCI-Backend-Calls'])
            text = response.text + str(response.headers)
            for server_id in ids:
                if accept.endswith('json'):
                    self.assertIn('"id":"%s"' % server_id, text)
                else:
                    self.assertIn('/occi1.2/compute/' + server_id, text)

    def _listed(self, response, accept):
        if accept.endswith('json'):
            return [r['id'] for r in response.json.get('resources', [])]
        if accept == 'text/occi':
            text = ','.join(response.headers.getall('X-OCCI-Location'))
        else:
            text = response.text.replace('X-OCCI-Location:', ',')
        return [url.strip().rsplit('/', 1)[1]
                for url in text.replace('\n', ',').split(',')
                if '/compute/' in url]

    def test_collection_pages(self):
        self.nova.page_size = 2
        ids = [self.nova.add_server(name='s%d' % i)['id'] for i in range(5)]
        for accept in ('text/plain', 'text/occi', 'text/uri-list',
                       'application/occi+json'):
            pages = []
            for page, calls in ((1, 1), (2, 2), (3, 3), (4, 3)):
                response = self.call('/compute/?page=%d&number=2' % page,
                                     accept=accept)
                self.assertEqual(200, response.status_int, response.text)
                # Nova is asked for no more than the pages up to this one.
                self.assertEqual('nova=%d, glance=0' % calls,
                                 response.headers['X-OCCI-Backend-Calls'])
                pages.append(self._listed(response, accept))
            self.assertEqual([ids[0:2], ids[2:4], ids[4:5], []], pages,
                             accept)

    def test_template_collection_pages(self):
        for _ in range(3):
            self.nova.add_server(image_id='image-1')
        wanted = self.nova.add_server(image_id='image-1')['id']
        self.nova.add_server(image_id='image-2')
        response = self.call('/os_tpl/image-1/?page=4&number=1',
                             accept='application/occi+json')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([wanted], self._listed(response, 'json'))

    def test_bad_paging_is_refused_in_the_asked_rendering(self):
        self.nova.add_server()
        cases = (('page=0&number=2', 400, 'page'),
                 ('page=1&number=-1', 400, 'number'),
                 ('page=one&number=2', 400, 'page'),
                 ('page=1', 400, 'number'),
                 ('page=1&number=1001', 413, '1000'))
        for query, status, said in cases:
            for accept in ('text/plain', 'application/occi+json'):
                response = self.call('/compute/?' + query, accept=accept)
                self.assertEqual(status, response.status_int, query)
                self.assertEqual(accept, response.content_type, query)
                self.assertIn(said, response.text, query)
                self.assertEqual('nova=0, glance=0',
                                 response.headers['X-OCCI-Backend-Calls'])

    def test_collection_filtered_by_attribute(self):
        self.nova.add_server(name='keep')
        self.nova.add_server(name='drop')
        response = self.call('/compute/', accept='text/uri-list', headers={
            'X-OCCI-Attribute': 'occi.core.title="keep"'})
        self.assertEqual(1, len(response.text.split()))

    def test_actions_map_to_nova(self):
        server = self.nova.add_server()
        sid = server['id']
        steps = [('stop', None, 'os-stop', 'inactive'),
                 ('start', None, 'os-start', 'active'),
                 ('restart', 'cold', 'reboot', 'active'),
                 ('suspend', 'suspend', 'suspend', 'suspended'),
                 ('start', None, 'resume', 'active'),
                 ('suspend', 'hibernate', 'shelve', 'suspended'),
                 ('start', None, 'unshelve', 'active')]
        for term, method, nova_action, state in steps:
            body = 'Category: %s; scheme="%s"; class="action"\n' % (
                term, ACTION)
            if method:
                body += 'X-OCCI-Attribute: method="%s"\n' % method
            response = self.call('/compute/%s?action=%s' % (sid, term),
                                 'POST', 'application/occi+json',
                                 body.encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertEqual(200, response.status_int, response.text)
            self.assertEqual(nova_action, self.nova.actions[-1][1])
            self.assertEqual(state, response.json['attributes'][
                'occi.compute.state'])
        self.assertEqual({'type': 'HARD'}, self.nova.actions[2][2])

    def test_restart_follows_the_state(self):
        cases = [('ACTIVE', 'warm', 'reboot', {'type': 'SOFT'}),
                 ('ACTIVE', 'graceful', 'reboot', {'type': 'SOFT'}),
                 ('ACTIVE', 'cold', 'reboot', {'type': 'HARD'}),
                 ('SHUTOFF', 'warm', 'os-start', None),
                 ('SHUTOFF', 'cold', 'os-start', None),
                 ('ERROR', 'warm', 'reboot', {'type': 'HARD'})]
        for status, method, nova_action, args in cases:
            server = self.nova.add_server(status=status)
            response = self.call(
                '/compute/%s?action=restart' % server['id'], 'POST',
                'application/occi+json', json.dumps({
                    'action': ACTION + 'restart',
                    'attributes': {'method': method}}).encode(),
                {'Content-Type': 'application/occi+json'})
            what = '%s %s: %s' % (status, method, response.text)
            self.assertEqual(200, response.status_int, what)
            self.assertEqual((server['id'], nova_action, args),
                             self.nova.actions[-1], what)
            self.assertEqual('active', response.json['attributes'][
                'occi.compute.state'], what)

    def test_action_invocation_in_json_and_headers(self):
        server = self.nova.add_server()
        response = self.call(
            '/compute/%s?action=restart' % server['id'], 'POST',
            body=json.dumps({'action': ACTION + 'restart', 'attributes': {
                'method': 'warm'}}).encode(),
            headers={'Content-Type': 'application/occi+json'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual({'type': 'SOFT'}, self.nova.actions[-1][2])
        response = self.call(
            '/compute/%s?action=stop' % server['id'], 'POST',
            accept='text/occi', headers={
                'Category': 'stop; scheme="%s"; class="action"' % ACTION,
                'X-OCCI-Attribute': 'method="acpioff"'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('os-stop', self.nova.actions[-1][1])

    def test_action_errors(self):
        server = self.nova.add_server()
        cases = [('fly', b'', 400), ('start', b'', 409),
                 ('stop', b'X-OCCI-Attribute: method="yank"', 400)]
        for term, body, status in cases:
            if body:
                body = ('Category: %s; scheme="%s"; class="action"\n'
                        % (term, ACTION)).encode() + body
            response = self.call('/compute/%s?action=%s'
                                 % (server['id'], term), 'POST', body=body,
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(status, response.status_int, response.text)

    def test_action_category_must_match_query(self):
        server = self.nova.add_server()
        response = self.call(
            '/compute/%s?action=stop' % server['id'], 'POST',
            body=('Category: start; scheme="%s"; class="action"'
                  % ACTION).encode(),
            headers={'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_int)

    def test_create_refuses_what_nova_cannot_honour(self):
        cases = [
            ('X-OCCI-Attribute: occi.compute.cores=8\n', 'cores'),
            ('X-OCCI-Attribute: occi.compute.architecture="x86"\n',
             'architecture'),
            ('Category: ipnetwork; scheme="http://schemas.ogf.org/occi/'
             'infrastructure/network#"; class="mixin"\n', 'ipnetwork'),
        ]
        for extra, word in cases:
            response = self.call('/compute/', 'POST',
                                 body=(CREATE_PLAIN + extra).encode(),
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(400, response.status_int, word)
            self.assertIn(word, response.text)
        self.assertEqual([], self.nova.created)

    def test_create_from_a_template_still_uploading_is_409(self):
        body = CREATE_PLAIN.replace('image-1', 'image-2')
        response = self.call('/compute/', 'POST', body=body.encode(),
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(409, response.status_int)
        self.assertIn('saving', response.text)

    def test_create_with_ssh_key_and_user_data(self):
        body = CREATE_PLAIN + (
            'Category: ssh_key; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/credentials#"; class="mixin"\n'
            'Category: user_data; scheme="http://schemas.ogf.org/occi/'
            'infrastructure/compute#"; class="mixin"\n'
            'X-OCCI-Attribute: occi.credentials.ssh.publickey="ssh-rsa AAA"\n'
            'X-OCCI-Attribute: occi.compute.userdata="#!/bin/sh"\n')
        for _ in range(2):
            response = self.call('/compute/', 'POST', body=body.encode(),
                                 headers={'Content-Type': 'text/plain'})
            self.assertEqual(201, response.status_int, response.text)
        created = self.nova.created[-1]
        self.assertEqual(['ssh-rsa AAA'], list(self.nova.keypairs.values()))
        self.assertEqual(list(self.nova.keypairs), [created['key_name']])
        self.assertEqual('IyEvYmluL3No', created['user_data'])

    def test_kind_only_create_uses_configured_defaults(self):
        occi, nova = fakes.build(
            {'resume_saves_at_startup': 'false',
             'default_os_tpl': 'image-1',
             'default_resource_tpl': 'm1.tiny'})
        body = 'Category: compute; scheme="%s"; class="kind"\n' % INFRA
        response = fakes.request('/compute/', method='POST',
                                 body=body.encode(), headers={
                                     'Content-Type': 'text/plain'}
                                 ).get_response(occi)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('1', nova.created[-1]['flavorRef'])
        self.assertEqual('image-1', nova.created[-1]['imageRef'])
        # By name: the newest active image of that name.
        self.glance.images.append({'id': 'image-4', 'name': 'cirros',
                                   'status': 'active',
                                   'created_at': '2030-01-01T00:00:00Z'})
        self.glance.images.append({'id': 'image-5', 'name': 'cirros',
                                   'status': 'queued',
                                   'created_at': '2031-01-01T00:00:00Z'})
        self.glance.refresh()
        occi, nova = fakes.build(
            {'resume_saves_at_startup': 'false',
             'default_os_tpl': 'cirros',
             'default_resource_tpl': 'm1.tiny'})
        response = fakes.request('/compute/', method='POST',
                                 body=body.encode(), headers={
                                     'Content-Type': 'text/plain'}
                                 ).get_response(occi)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('image-4', nova.created[-1]['imageRef'])
        response = self.call('/compute/', 'POST', body=body.encode(),
                             headers={'Content-Type': 'text/plain'})
        self.assertEqual(400, response.status_int)
        self.assertIn('os_tpl', response.text)

    def test_update_renames_resizes_and_rebuilds(self):
        server = self.nova.add_server(name='before')
        self.glance.images.append({'id': 'image-3', 'name': 'other',
                                   'status': 'active'})
        self.glance.refresh()
        body = ('Category: compute; scheme="%s"; class="kind"\n'
                'Category: m1.small; scheme="%s"; class="mixin"\n'
                'Category: image-3; scheme="%s"; class="mixin"\n'
                'X-OCCI-Attribute: occi.core.title="after"\n'
                % (INFRA, RES, OS))
        response = self.call('/compute/' + server['id'], 'PUT',
                             'application/occi+json', body.encode(),
                             {'Content-Type': 'text/plain'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('after', response.json['title'])
        self.assertEqual(2, response.json['attributes'][
            'occi.compute.cores'])
        self.assertEqual(['rebuild', 'resize', 'confirmResize'],
                         [a[1] for a in self.nova.actions])

    def test_partial_update_by_post(self):
        server = self.nova.add_server(name='before')
        response = self.call(
            '/compute/' + server['id'], 'POST', 'application/occi+json',
            json.dumps({'attributes': {'occi.core.title': 'after'}}).encode(),
            {'Content-Type': 'application/occi+json'})
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual('after', response.json['title'])
        self.assertEqual([], self.nova.actions)

    def test_delete_one_and_all(self):
        first = self.nova.add_server()
        self.nova.add_server()
        response = self.call('/compute/' + first['id'], 'DELETE',
                             accept='text/occi')
        self.assertEqual(200, response.status_int)
        self.assertEqual(1, len(self.nova.servers))
        response = self.call('/compute/', 'DELETE')
        self.assertEqual(200, response.status_int)
        self.assertEqual({}, self.nova.servers)

    def test_collection_action(self):
        for _ in range(3):
            self.nova.add_server()
        response = self.call('/compute/?action=stop', 'POST')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual({'SHUTOFF'}, {s['status'] for s in
                                       self.nova.servers.values()})

    def test_collection_action_tries_every_member(self):
        stopped = self.nova.add_server(status='SHUTOFF')
        for _ in range(2):
            self.nova.add_server()
        response = self.call('/compute/?action=stop', 'POST',
                             accept='application/occi+json')
        self.assertEqual(409, response.status_int, response.text)
        self.assertIn(stopped['id'], response.json['error']['message'])
        self.assertEqual({'SHUTOFF'}, {s['status'] for s in
                                       self.nova.servers.values()})
        self.assertEqual(2, len(self.nova.actions))

    def test_collection_save_is_not_implemented(self):
        self.nova.add_server()
        response = self.call('/compute/?action=save', 'POST')
        self.assertEqual(501, response.status_int, response.text)
        self.assertEqual([], self.nova.actions)

    def test_template_collections(self):
        on_tiny = self.nova.add_server(flavor=0, image_id='image-1')
        on_small = self.nova.add_server(flavor=1, image_id='image-3')
        response = self.call('/resource_tpl/m1.small/',
                             accept='text/uri-list')
        self.assertEqual([fakes.HOST_URL + '/occi1.2/compute/' +
                          on_small['id']], response.text.split())
        response = self.call('/os_tpl/image-1/', accept='text/uri-list')
        self.assertEqual([fakes.HOST_URL + '/occi1.2/compute/' +
                          on_tiny['id']], response.text.split())

    def test_query_interface_lists_templates_with_status(self):
        response = self.call('/-/', accept='application/occi+json')
        mixins = {m['scheme'] + m['term']: m
                  for m in response.json['mixins']}
        uploading = mixins[OS + 'image-2']
        self.assertEqual('uploading', uploading['title'])
        self.assertEqual('saving', uploading['attributes'][
            'org.openstack.image.status']['default'])
        self.assertEqual([INFRA + 'os_tpl'], uploading['depends'])
        small = mixins[RES + 'm1.small']
        self.assertEqual(2.0, small['attributes'][
            'occi.compute.memory']['default'])
        self.assertEqual(2, small['attributes'][
            'occi.compute.cores']['default'])
        self.assertEqual('nova=1, glance=1',
                         response.headers['X-OCCI-Backend-Calls'])
        # image-2 is still being made: Glance is asked again, so that its
        # status moves on; the flavors come from the cache.
        again = self.call('/-/', accept='text/plain')
        self.assertEqual('nova=0, glance=1',
                         again.headers['X-OCCI-Backend-Calls'])
        self.assertIn('Category: image-2; scheme="%s"' % OS, again.text)

    def test_template_status_is_not_kept_while_it_changes(self):
        def status():
            response = self.call('/-/', accept='application/occi+json')
            [image] = [m for m in response.json['mixins']
                       if m['term'] == 'image-2']
            return (image['attributes']['org.openstack.image.status'][
                'default'], response.headers['X-OCCI-Backend-Calls'])
        self.assertEqual(('saving', 'nova=1, glance=1'), status())
        self.glance.images[1]['status'] = 'active'
        self.glance.refresh()
        self.assertEqual(('active', 'nova=0, glance=1'), status())
        # Images are never kept: another node may have made one.
        self.assertEqual(('active', 'nova=0, glance=1'), status())

    def test_template_cache_is_per_project(self):
        self.call('/-/')
        other = fakes.Context(project_id='other', user_id='other',
                              auth_token='other-token')
        response = self.call('/-/', context=other)
        self.assertEqual('nova=1, glance=1',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertEqual('other-token', self.glance.mock.last_request.headers[
            'X-Auth-Token'])
        self.assertIs(other, self.nova.calls[-1][3])
