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

"""The storage tests' case, and storage requests and answers as a client
renders and reads them."""

import json

from tests.unit import base
from tests.unit import client
from tests.unit.fakes import cinder as fake_cinder
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import nova as fake_nova

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
STORAGE_ACTION = 'http://schemas.ogf.org/occi/infrastructure/storage/action#'
ROOT = client.ROOT
ACCEPTS = ('text/plain', 'text/occi', 'application/occi+json')
BODY_TYPES = ('text/plain', 'text/occi', 'application/occi+json')


def entity_request(body_type, kind, attributes, links=()):
    """An entity rendering of a request: (headers, body).

    :param links: (target, target kind, link kind, attributes) tuples
    """
    term = kind.rpartition('#')[2]
    if body_type.endswith('json'):
        body = {'kind': kind, 'attributes': dict(attributes)}
        for name, key in (('occi.core.source', 'source'),
                          ('occi.core.target', 'target')):
            if name in body['attributes']:
                body[key] = {'location': body['attributes'].pop(name)}
        if links:
            body['links'] = [{'kind': link_kind, 'attributes': attrs,
                              'target': {'location': target,
                                         'kind': target_kind}}
                             for target, target_kind, link_kind, attrs
                             in links]
        return ({'Content-Type': body_type}, json.dumps(body).encode())
    category = '%s; scheme="%s"; class="kind"' % (term, INFRA)
    values = ['%s=%s' % (name, json.dumps(value))
              for name, value in attributes.items()]
    link_values = ['<%s>; rel="%s"; category="%s"%s' % (
        target, target_kind, link_kind, ''.join(
            '; %s=%s' % (n, json.dumps(v)) for n, v in attrs.items()))
        for target, target_kind, link_kind, attrs in links]
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi', 'Category': category}
        if values:
            headers['X-OCCI-Attribute'] = ', '.join(values)
        if link_values:
            headers['Link'] = ', '.join(link_values)
        return headers, b''
    lines = ['Category: ' + category]
    lines += ['Link: ' + value for value in link_values]
    lines += ['X-OCCI-Attribute: ' + value for value in values]
    return {'Content-Type': body_type}, ('\n'.join(lines) + '\n').encode()


def link_attributes(response):
    """The attributes of a link rendered on its own, target included."""
    if response.content_type.endswith('json'):
        body = response.json
        found = dict(body.get('attributes', {}))
        found['occi.core.target'] = body['target']['location']
        found['occi.core.source'] = body['source']['location']
        return found
    if response.content_type == 'text/occi':
        lines = ','.join(response.headers.getall('X-OCCI-Attribute'))
        lines = lines.split(',')
    else:
        lines = [line.partition(':')[2] for line in
                 response.text.splitlines()
                 if line.startswith('X-OCCI-Attribute:')]
    found = {}
    for line in lines:
        key, _, value = line.strip().partition('=')
        found[key] = json.loads(value)
    return found


def links_of(response):
    """The links rendered in a compute or a link: (target, self, attrs)."""
    if response.content_type.endswith('json'):
        body = response.json
        found = body.get('links', [body] if 'target' in body else [])
        return [(link['target']['location'], link['id'],
                 link.get('attributes', {})) for link in found]
    if response.content_type == 'text/occi':
        values = []
        for header in response.headers.getall('Link'):
            values.extend(v for v in header.split(', <'))
        values = [v if v.startswith('<') else '<' + v for v in values]
    else:
        values = [line.partition(':')[2].strip()
                  for line in response.text.splitlines()
                  if line.startswith('Link:')]
    found = []
    for value in values:
        if '?action=' in value:
            continue
        target = value[1:value.index('>')]
        params = {}
        for part in value[value.index('>') + 1:].split(';')[1:]:
            name, _, raw = part.strip().partition('=')
            params[name] = json.loads(raw)
        found.append((target, params.pop('self', None), params))
    return found


class StorageTestCase(base.FilterTestCase):
    """The real filter over the fake Nova, Cinder and Glance."""

    def setUp(self):
        super().setUp()
        self.cinder = fake_cinder.FakeCinder()
        self.occi, self.nova = base.build(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'},
            nova=fake_nova.FakeNova(self.cinder),
            storage_extend_timeout=0, default_os_tpl='image-1',
            default_resource_tpl='m1.tiny')
        self.glance = self.useFixture(fake_glance.GlanceFixture(
            fake_glance.IMAGES))
        self.cinder.register(self.glance.mock)
