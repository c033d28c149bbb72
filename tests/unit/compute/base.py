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

"""The compute tests' case and the create request in every rendering."""

import json

from tests.unit import base
from tests.unit.fakes import glance as fake_glance

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'

CREATE_PLAIN = (
    'Category: compute; scheme="%s"; class="kind"\n'
    'Category: image-1; scheme="%s"; class="mixin"\n'
    'Category: 2; scheme="%s"; class="mixin"\n'
    'X-OCCI-Attribute: occi.core.title="my \\"vm\\""\n'
    'X-OCCI-Attribute: occi.compute.hostname="myhost"\n' % (INFRA, OS, RES))

CREATE_HEADERS = {
    'Category': 'compute; scheme="%s"; class="kind", '
                'image-1; scheme="%s"; class="mixin", '
                '2; scheme="%s"; class="mixin"' % (INFRA, OS, RES),
    'X-OCCI-Attribute': 'occi.core.title="my \\"vm\\"", '
                        'occi.compute.hostname="myhost"',
}

CREATE_JSON = {
    'kind': INFRA + 'compute',
    'mixins': [OS + 'image-1', RES + '2'],
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


class ComputeTestCase(base.FilterTestCase):
    """The real filter over the fake Nova (no network) and Glance."""

    def setUp(self):
        super().setUp()
        self.occi, self.nova = base.build(
            {'resume_saves_at_startup': 'false', 'network': 'none',
             'report_backend_calls': 'true'})
        self.glance = self.useFixture(fake_glance.GlanceFixture(
            fake_glance.IMAGES))
        self.nova.checks_images = True

    def listed(self, response, accept):
        """The compute ids a listing answer gives, in any rendering."""
        if accept.endswith('json'):
            return [r['id'] for r in response.json.get('resources', [])]
        if accept == 'text/occi':
            text = ','.join(response.headers.getall('X-OCCI-Location'))
        else:
            text = response.text.replace('X-OCCI-Location:', ',')
        return [url.strip().rsplit('/', 1)[1]
                for url in text.replace('\n', ',').split(',')
                if '/compute/' in url]
