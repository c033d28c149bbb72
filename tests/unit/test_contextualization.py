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

"""The predecessor's context mixins (user_data and public_key of the
OpenStack schemes), found in the query interface and accepted on a create
as the standard ones, in every rendering; and a create as IM sends it.

Over Nova, Cinder and Glance faked at the wire.
"""

import base64
import json
from urllib import parse

from tests.unit.client import INFRA
from tests.unit.client import ROOT
from tests.unit.storage import base as storage_base

OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'
USER_DATA = 'http://schemas.openstack.org/compute/instance#user_data'
PUBLIC_KEY = 'http://schemas.openstack.org/instance/credentials#public_key'
RENDERINGS = ('text/plain', 'text/occi', 'application/occi+json')
SCRIPT = base64.b64encode(b'#cloud-config\nhostname: im\n').decode()
KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ im@host'


def create_request(body_type, mixins, attributes):
    """A compute create with mixins and attributes: (headers, body)."""
    mixins = [OS + 'image-1', RES + 'm1.tiny'] + list(mixins)
    if body_type.endswith('json'):
        return ({'Content-Type': body_type}, json.dumps({
            'kind': INFRA + 'compute', 'mixins': mixins,
            'attributes': attributes}).encode())
    categories = ['compute; scheme="%s"; class="kind"' % INFRA] + [
        '%s; scheme="%s#"; class="mixin"' % (m.split('#')[1],
                                             m.split('#')[0])
        for m in mixins]
    values = ['%s=%s' % (k, json.dumps(v)) for k, v in attributes.items()]
    if body_type == 'text/occi':
        return ({'Content-Type': 'text/occi',
                 'Category': ', '.join(categories),
                 'X-OCCI-Attribute': ', '.join(values)}, b'')
    lines = (['Category: ' + c for c in categories] +
             ['X-OCCI-Attribute: ' + v for v in values])
    return ({'Content-Type': body_type},
            ('\n'.join(lines) + '\n').encode())


def category_of(response, type_id):
    """A category of a query interface answer, as a dict, or None."""
    scheme, term = type_id.split('#')
    scheme += '#'
    if response.content_type.endswith('json'):
        for mixin in response.json['mixins']:
            if (mixin['scheme'], mixin['term']) == (scheme, term):
                return {'location': mixin['location'],
                        'attributes': sorted(mixin['attributes']),
                        'applies': mixin.get('applies')}
        return None
    if response.content_type == 'text/occi':
        values = [v.strip() for h in response.headers.getall('Category')
                  for v in h.split(', ') if v.strip()]
    else:
        values = [line.partition(':')[2].strip()
                  for line in response.text.splitlines()
                  if line.startswith('Category:')]
    for value in values:
        if value.startswith(term + ';') and 'scheme="%s"' % scheme in value:
            params = dict(part.strip().split('=', 1)
                          for part in value.split(';')[1:] if '=' in part)
            return {'location': json.loads(params['location']),
                    'attributes': sorted(
                        a.split('{')[0] for a in
                        json.loads(params['attributes']).split()),
                    'applies': json.loads(params.get('rel', '""'))}
    return None


class AliasTest(storage_base.StorageTestCase):

    def test_listed_in_the_query_interface_with_their_attributes(self):
        # NOTE(ooi-save): the whole query interface is over the default
        # header budget in text/occi; a text/occi client asks for the
        # categories it needs, as the 406 tells it.
        wanted = '/-/?' + parse.urlencode(
            [('category', USER_DATA), ('category', PUBLIC_KEY)])
        for accept in RENDERINGS:
            path = wanted if accept == 'text/occi' else '/-/'
            response = self.call(path, accept=accept)
            self.assertEqual(200, response.status_int, response.text)
            user_data = category_of(response, USER_DATA)
            public_key = category_of(response, PUBLIC_KEY)
            self.assertEqual(ROOT + '/openstack/user_data/',
                             user_data['location'], accept)
            self.assertEqual(['org.openstack.compute.user_data'],
                             user_data['attributes'], accept)
            self.assertEqual(ROOT + '/openstack/public_key/',
                             public_key['location'], accept)
            self.assertEqual(
                ['org.openstack.credentials.publickey.data',
                 'org.openstack.credentials.publickey.name'],
                public_key['attributes'], accept)
            filtered = self.call('/-/?category=' + USER_DATA, accept=accept)
            self.assertIsNotNone(category_of(filtered, USER_DATA))
            self.assertIsNone(category_of(filtered, PUBLIC_KEY))

    def test_create_with_the_aliases_in_every_rendering(self):
        for body_type in RENDERINGS:
            headers, body = create_request(
                body_type, [USER_DATA, PUBLIC_KEY],
                {'org.openstack.compute.user_data': SCRIPT,
                 'org.openstack.credentials.publickey.data': KEY,
                 'org.openstack.credentials.publickey.name': 'mine'})
            response = self.call('/compute/', 'POST', body=body,
                                 headers=headers)
            self.assertEqual(201, response.status_int,
                             (body_type, response.text))
            created = self.nova.created[-1]
            self.assertEqual(SCRIPT, created['user_data'])
            self.assertEqual(KEY, self.nova.keypairs[created['key_name']])
        # The same key is imported once, under a name of its content, as
        # the standard ssh_key does.
        self.assertEqual(1, len(self.nova.keypairs))
        headers, body = create_request(
            'text/plain',
            [INFRA.replace('#', '/credentials#') + 'ssh_key'],
            {'occi.credentials.ssh.publickey': KEY})
        response = self.call('/compute/', 'POST', body=body, headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual(1, len(self.nova.keypairs))

    def test_plain_user_data_is_encoded(self):
        headers, body = create_request(
            'text/plain', [USER_DATA],
            {'org.openstack.compute.user_data': '#!/bin/sh'})
        response = self.call('/compute/', 'POST', body=body, headers=headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('IyEvYmluL3No', self.nova.created[-1]['user_data'])

    def test_same_checks_as_the_standard_mixins(self):
        standard_user_data = INFRA.replace('#', '/compute#') + 'user_data'
        cases = (
            ([USER_DATA], {}, 'org.openstack.compute.user_data'),
            ([PUBLIC_KEY], {'org.openstack.credentials.publickey.name': 'k'},
             'org.openstack.credentials.publickey.data'),
            ([PUBLIC_KEY], {'org.openstack.credentials.publickey.data': ' '},
             'org.openstack.credentials.publickey.data'),
            ([USER_DATA, standard_user_data],
             {'org.openstack.compute.user_data': SCRIPT,
              'occi.compute.userdata': 'other'}, 'different values'),
        )
        for body_type in RENDERINGS:
            for mixins, attributes, word in cases:
                headers, body = create_request(body_type, mixins,
                                               attributes)
                response = self.call('/compute/', 'POST', body_type, body,
                                     headers)
                self.assertEqual(400, response.status_int,
                                 (body_type, mixins, response.text))
                self.assertIn(word, response.text)
        self.assertEqual([], self.nova.created)
        # The same value twice is one.
        headers, body = create_request(
            'text/plain', [USER_DATA, standard_user_data],
            {'org.openstack.compute.user_data': SCRIPT,
             'occi.compute.userdata': SCRIPT})
        response = self.call('/compute/', 'POST', body=body, headers=headers)
        self.assertEqual(201, response.status_int, response.text)


class IMCreateTest(storage_base.StorageTestCase):
    """A compute create rendered exactly as IM 1.19.1's connector does."""

    def test_im_shaped_create(self):
        volume = self.cinder.add_volume(name='im-disk')
        compute_id = 'im-6f1c1b5e-d0f2-11f0-9a3e-0242ac120002'
        link_id = 'im-7a2c1b5e-d0f2-11f0-9a3e-0242ac120002'
        path = '/occi1.2'
        body = (
            'Category: compute; scheme="http://schemas.ogf.org/occi/'
            'infrastructure#"; class="kind"\n'
            'Category: image-1; scheme="%s"; class="mixin"\n'
            'Category: user_data; scheme="http://schemas.openstack.org/'
            'compute/instance#"; class="mixin"\n'
            'Category: public_key; scheme="http://schemas.openstack.org/'
            'instance/credentials#"; class="mixin"\n'
            'Category: m1.tiny; scheme="%s"; class="mixin"\n'
            'X-OCCI-Attribute: occi.core.id="%s"\n'
            'X-OCCI-Attribute: occi.core.title="userimage"\n'
            'X-OCCI-Attribute: occi.compute.hostname="vnode-0"\n'
            'X-OCCI-Attribute: org.openstack.compute.user_data="%s"\n'
            'X-OCCI-Attribute: org.openstack.credentials.publickey.data='
            '"%s"\n'
            'Link: <%s/storage/%s>; rel="http://schemas.ogf.org/occi/'
            'infrastructure#storage"; self="/storagelink/%s"; '
            'category="http://schemas.ogf.org/occi/infrastructure#'
            'storagelink"; occi.core.target="%s/storage/%s"; '
            'occi.core.source="%s/compute/%s"; occi.core.id="%s"'
            ';occi.storagelink.deviceid="/dev/vdb"\n'
            % (OS, RES, compute_id, SCRIPT, KEY, path, volume['id'],
               link_id, path, volume['id'], path, compute_id, link_id))
        response = self.call('/compute/', 'POST', 'text/plain',
                             body.encode(), {'Content-Type': 'text/plain'})
        self.assertEqual(201, response.status_int, response.text)
        server_id = response.headers['Location'].rsplit('/', 1)[1]
        self.assertIn(server_id, self.nova.servers)
        self.assertEqual(ROOT + '/compute/' + server_id,
                         response.headers['Location'])
        created = self.nova.created[-1]
        self.assertEqual(('userimage', 'vnode-0', SCRIPT), (
            created['name'], created['hostname'], created['user_data']))
        self.assertEqual(KEY, self.nova.keypairs[created['key_name']])
        device = created['block_device_mapping_v2'][1]
        self.assertEqual((volume['id'], '/dev/vdb'),
                         (device['uuid'], device['device_name']))
        # IM reads the new id from the last line of the body.
        self.assertTrue(response.text.strip().endswith(server_id))
