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

"""Creating computes through OCCI on the real mini-cloud, in every rendering.

Every request rendering (text/plain, text/occi+plain, text/occi headers,
application/occi+json) is sent as a body, and every answer rendering is
asked for in Accept (text/uri-list where the answer is a listing). What
OCCI says is checked against what Nova and Glance say natively.
"""

import base64
import glob
import os
import time
import urllib.parse
import uuid

from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization

from tests.functional import base
from tests.functional.base import BODY_TYPES
from tests.functional.base import ENTITY_TYPES
from tests.functional.base import INFRA
from tests.functional.base import LISTING_TYPES
from tests.functional.base import OS
from tests.functional.base import RES
from tests.functional.base import SSH_KEY
from tests.functional.base import USER_DATA
from tests.functional import test_storage


class CreateTest(base.ComputeTestBase):

    def test_create_in_every_rendering(self):
        accepts = LISTING_TYPES
        for number, body_type in enumerate(BODY_TYPES):
            accept = accepts[number % len(accepts)]
            title = 'create-%d-%s' % (number, uuid.uuid4().hex[:6])
            hostname = 'host-%d' % number
            server_id, answer = self.create(
                body_type, accept, title=title, flavor='m1.small',
                attributes={'occi.compute.hostname': hostname})
            what = '%s -> %s' % (body_type, accept)
            self.assertEqual(accept, answer.type, what)
            location = self.occi_url + '/compute/' + server_id
            if accept == 'application/occi+json':
                self.assertEqual(server_id, answer.json['id'], what)
                self.assertEqual(title, answer.json['title'], what)
            else:
                self.assertEqual([location], answer.locations(), what)
            server = self.server(server_id)
            self.assertEqual(title, server['name'], what)
            self.assertEqual(hostname, server['OS-EXT-SRV-ATTR:hostname'],
                             what)
            self.assertEqual(self.image_id, server['image']['id'], what)
            self.assertEqual('m1.small', server['flavor']['original_name'],
                             what)

    def test_kind_only_create_uses_the_default_templates(self):
        # The mini-cloud sets default_os_tpl = cirros-fake (by name) and
        # default_resource_tpl = m1.tiny.
        for body_type in ('text/occi', 'application/occi+json'):
            server_id, answer = self.create(body_type, image_id=False,
                                            flavor=None)
            server = self.server(server_id)
            self.assertEqual(self.image_id, server['image']['id'])
            self.assertEqual('m1.tiny', server['flavor']['original_name'])

    def test_ssh_key_and_user_data(self):
        key = ed25519.Ed25519PrivateKey.generate().public_key()
        public_key = key.public_bytes(serialization.Encoding.OpenSSH,
                                      serialization.PublicFormat.OpenSSH)
        public_key = public_key.decode()
        marker = uuid.uuid4().hex
        script = '#!/bin/sh\necho "hello from user_data %s"\n' % marker
        for number, body_type in enumerate(('text/plain', 'text/occi',
                                            'application/occi+json')):
            # A text rendering has no newline in a quoted string (a
            # backslash only quotes the next character): clients send the
            # script base64-encoded there, JSON carries it as it is.
            userdata = script if body_type.endswith('json') else \
                base64.b64encode(script.encode()).decode()
            server_id, _ = self.create(
                body_type, mixins=(SSH_KEY, USER_DATA), attributes={
                    'occi.credentials.ssh.publickey': public_key,
                    'occi.compute.userdata': userdata})
            server = self.nova('GET', '/servers/%s' % server_id,
                               token=self.admin_token,
                               expect=200).json()['server']
            key_name = server['key_name']
            if number == 0:
                self.addCleanup(self.nova, 'DELETE',
                                '/os-keypairs/%s' % key_name)
            keypair = self.nova('GET', '/os-keypairs/%s' % key_name,
                                expect=200).json()['keypair']
            self.assertEqual(public_key, keypair['public_key'].strip())
            self.assertEqual(script, base64.b64decode(
                server['OS-EXT-SRV-ATTR:user_data']).decode())
            self.assertEqual(
                key_name, self.read(server_id).attributes()[
                    'org.openstack.compute.key_name'])
        # Secrets never reach any nova-api node's log: not the script in
        # any form, not the caller's token.
        logs = glob.glob(os.path.join(base.STATE, 'log', 'nova-api-*.log'))
        self.assertEqual(len(self.occi_nodes), len(logs), logs)
        for path in logs:
            with open(path) as log:
                logged = log.read()
            for secret in (marker,
                           base64.b64encode(script.encode()).decode(),
                           self.token):
                self.assertNotIn(secret, logged, path)

    def test_what_nova_cannot_honour_is_400_and_creates_nothing(self):
        cases = [({'occi.compute.cores': 8}, (), 'occi.compute.cores'),
                 ({'occi.compute.memory': 64.0}, (), 'occi.compute.memory'),
                 ({'occi.compute.architecture': 'x86'}, (),
                  'occi.compute.architecture'),
                 ({}, (INFRA.replace('#', '/network#') + 'ipnetwork',),
                  'ipnetwork'),
                 ({}, (RES + 'm1.huge',), 'm1.huge'),
                 ({}, (SSH_KEY,), 'occi.credentials.ssh.publickey')]
        title = 'refused-%s' % uuid.uuid4().hex[:6]
        for number, (attributes, mixins, word) in enumerate(cases):
            body_type = BODY_TYPES[number % len(BODY_TYPES)]
            accept = ENTITY_TYPES[(number + 1) % len(ENTITY_TYPES)]
            flavor = None if mixins and mixins[0].startswith(RES) else \
                'm1.tiny'
            _, answer = self.create(body_type, accept, title=title,
                                    flavor=flavor, mixins=mixins,
                                    attributes=attributes, expect=400)
            self.assertEqual(accept, answer.type)
            self.assertIn(word, answer.error(), (body_type, accept))
        names = [s['name'] for s in self.nova(
            'GET', '/servers?name=%s' % title).json()['servers']]
        self.assertEqual([], names)

    def test_template_still_uploading(self):
        # An image without data stays "queued", as a save being uploaded
        # is "saving": listed with its status, refused as a template.
        image = self.upload_image('uploading-%s' % uuid.uuid4().hex[:6],
                                  data=None)
        _, answer = self.create('text/plain', 'application/occi+json',
                                image_id=image['id'], expect=409)
        self.assertIn('queued', answer.error())
        # The templates of this project may be cached from a moment ago
        # (template_cache_ttl, 30 s on the mini-cloud): wait for it. Each
        # nova-api node has its own cache: read through node 1 only
        # (across nodes: issue 11).
        node = self.occi_nodes[0]
        deadline = time.monotonic() + 40
        while True:
            response = self.occi('GET', '/-/', url=node, headers={
                'Accept': 'application/occi+json'})
            mixins = {m['scheme'] + m['term']: m
                      for m in response.json()['mixins']}
            if OS + image['id'] in mixins or time.monotonic() > deadline:
                break
            time.sleep(1)
        mixin = mixins[OS + image['id']]
        self.assertEqual(image['name'], mixin['title'])
        self.assertEqual('queued', mixin['attributes'][
            'org.openstack.image.status']['default'])
        text = self.occi('GET', '/-/', url=node,
                         headers={'Accept': 'text/plain'}).text
        line = [line for line in text.splitlines()
                if line.startswith('Category: %s;' % image['id'])]
        self.assertEqual(1, len(line), text)
        self.assertIn('org.openstack.image.status', line[0])


class IMShapedCreateTest(test_storage.StorageTestBase):
    """A compute create as IM 1.19.1's OCCI connector sends it.

    The body is IM's, byte for byte but for the ids: the predecessor's
    context mixins, a client-made ``occi.core.id``, path-absolute
    references and an inline storagelink whose source is that client id.
    """

    def category_term(self, query, rel, word):
        """The term of the category of ``/-/`` with ``rel`` naming word."""
        for line in query.splitlines():
            if rel in line and word in line:
                return line[len('Category:'):].split(';')[0].strip()
        self.fail('no %s category for %s in /-/' % (rel, word))

    def test_im_create(self):
        query = self.occi('GET', '/-/', headers={'Accept': 'text/plain'})
        self.assertEqual(200, query.status_code)
        for alias in ('user_data; scheme="http://schemas.openstack.org/'
                      'compute/instance#"',
                      'public_key; scheme="http://schemas.openstack.org/'
                      'instance/credentials#"'):
            self.assertIn('Category: ' + alias, query.text)
        image_id = self.image_by_name('cirros-fake')['id']
        os_tpl = self.category_term(query.text, '#os_tpl', image_id)
        resource_tpl = self.category_term(query.text, '#resource_tpl',
                                          'm1.tiny')
        volume = self.make_volume(name='im-disk')
        key = ed25519.Ed25519PrivateKey.generate().public_key()
        public_key = key.public_bytes(
            serialization.Encoding.OpenSSH,
            serialization.PublicFormat.OpenSSH).decode()
        script = '#cloud-config\nhostname: vnode-%s\n' % uuid.uuid4().hex[:6]
        user_data = base64.b64encode(script.encode()).decode()
        path = urllib.parse.urlsplit(self.occi_url).path
        compute_id = 'im-%s' % uuid.uuid1()
        link_id = 'im-%s' % uuid.uuid1()
        name = 'im-%s' % uuid.uuid4().hex[:8]
        body = 'Category: compute; scheme="http://schemas.ogf.org/occi/' \
            'infrastructure#"; class="kind"\n'
        body += 'Category: ' + os_tpl + '; scheme="' + OS + '"; ' \
            'class="mixin"\n'
        body += 'Category: user_data; scheme="http://schemas.openstack.org/' \
            'compute/instance#"; class="mixin"\n'
        body += 'Category: public_key; scheme="http://schemas.openstack.' \
            'org/instance/credentials#"; class="mixin"\n'
        body += 'Category: ' + resource_tpl + '; scheme="' + RES + '"; ' \
            'class="mixin"\n'
        body += 'X-OCCI-Attribute: occi.core.id="' + compute_id + '"\n'
        body += 'X-OCCI-Attribute: occi.core.title="' + name + '"\n'
        body += 'X-OCCI-Attribute: occi.compute.hostname="vnode-0"\n'
        body += 'X-OCCI-Attribute: org.openstack.compute.user_data="' + \
            user_data + '"\n'
        body += 'X-OCCI-Attribute: org.openstack.credentials.publickey.' \
            'data="' + public_key + '"\n'
        body += ('Link: <%s/storage/%s>; rel="http://schemas.ogf.org/occi/'
                 'infrastructure#storage"; self="/storagelink/%s"; '
                 'category="http://schemas.ogf.org/occi/infrastructure#'
                 'storagelink"; occi.core.target="%s/storage/%s"; '
                 'occi.core.source="%s/compute/%s"; occi.core.id="%s"'
                 % (path, volume['id'], link_id, path, volume['id'], path,
                    compute_id, link_id))
        body += ';occi.storagelink.deviceid="/dev/vdb"'
        body += '\n'
        response = self.occi('POST', '/compute/', data=body, headers={
            'Accept': 'text/plain', 'Connection': 'close',
            'Content-Type': 'text/plain'})
        self.assertEqual(201, response.status_code, response.text)
        server_id = response.headers['Location'].rpartition('/')[2]
        self.addCleanup(self.nova, 'DELETE', '/servers/' + server_id)
        self.assertEqual(self.occi_url + '/compute/' + server_id,
                         response.headers['Location'])
        self.assertNotIn(compute_id, response.text)
        server = self.wait_server(server_id, 'ACTIVE')
        self.assertEqual(name, server['name'])
        native = self.nova('GET', '/servers/%s' % server_id,
                           token=self.admin_token,
                           expect=200).json()['server']
        self.assertEqual(script, base64.b64decode(
            native['OS-EXT-SRV-ATTR:user_data']).decode())
        self.addCleanup(self.nova, 'DELETE',
                        '/os-keypairs/%s' % native['key_name'])
        keypair = self.nova('GET', '/os-keypairs/%s' % native['key_name'],
                            expect=200).json()['keypair']
        self.assertEqual(public_key, keypair['public_key'].strip())
        attached = self.wait_volume(volume['id'], ('in-use',))
        self.assertEqual([(server_id, '/dev/vdb')], [
            (a['server_id'], a['device']) for a in attached['attachments']])
        self.addCleanup(self.nova, 'DELETE',
                        '/servers/%s/os-volume_attachments/%s'
                        % (server_id, volume['id']))
        compute = self.occi('GET', '/compute/' + server_id)
        self.assertIn('%s/storagelink/%s_%s' % (
            self.occi_url, server_id, volume['id']),
            test_storage.storagelinks(compute, self.occi_url))
