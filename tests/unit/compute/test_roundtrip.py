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

"""GET a compute, change a mutable attribute, PUT the whole rendering back:
through the real filter, over a Nova faked at the wire."""

import json

from tests.unit.client import attribute
from tests.unit.compute import base as compute_base

RENDERINGS = ('text/plain', 'text/occi', 'application/occi+json')


def as_request(response, changes):
    """The headers and body that send a GET's answer back, changed.

    :param changes: {old text: new text} applied to the rendering
    """
    if response.content_type == 'text/occi':
        headers = {'Content-Type': 'text/occi'}
        for name in ('Category', 'Link', 'X-OCCI-Attribute'):
            values = response.headers.getall(name)
            if values:
                value = ', '.join(values)
                for old, new in changes.items():
                    value = value.replace(old, new)
                headers[name] = value
        return headers, b''
    body = response.text
    for old, new in changes.items():
        body = body.replace(old, new)
    return {'Content-Type': response.content_type}, body.encode()


class RoundTripTest(compute_base.ComputeTestCase):

    def _title_change(self, rendering):
        if rendering.endswith('json'):
            return {'"title":"before"': '"title":"after"'}
        return {'occi.core.title="before"': 'occi.core.title="after"'}

    def test_get_put_in_every_rendering(self):
        for rendering in RENDERINGS:
            server = self.nova.add_server(name='before', key_name='k1')
            path = '/compute/' + server['id']
            got = self.call(path, accept=rendering)
            self.assertEqual(200, got.status_int)
            headers, body = as_request(got, self._title_change(rendering))
            self.assertNotEqual(got.body, body)
            response = self.call(path, 'PUT', rendering, body, headers)
            self.assertEqual(200, response.status_int,
                             '%s: %s' % (rendering, response.text))
            self.assertEqual('after', server['name'], rendering)
            self.assertEqual('after', attribute(
                response, 'occi.core.title'), rendering)
            # Nothing but the rename: no rebuild, no resize.
            self.assertEqual([], [a for a in self.nova.actions
                                  if a[0] == server['id']], rendering)
            puts = [c for c in self.nova.calls if c[0] == 'PUT']
            self.assertEqual(1, len(puts), rendering)
            self.nova.calls.clear()

    def test_unchanged_put_only_reads(self):
        server = self.nova.add_server(name='same')
        path = '/compute/' + server['id']
        for rendering in RENDERINGS:
            headers, body = as_request(self.call(path, accept=rendering), {})
            self.nova.calls.clear()
            response = self.call(path, 'PUT', rendering, body, headers)
            self.assertEqual(200, response.status_int, response.text)
            # Reads only (the compute, its flavor, the answer): no PUT.
            self.assertEqual({'GET'}, {c[0] for c in self.nova.calls},
                             rendering)

    def test_changing_what_cannot_change_is_400(self):
        server = self.nova.add_server(name='fixed')
        path = '/compute/' + server['id']
        changes = [
            {'org.openstack.compute.status="ACTIVE"':
             'org.openstack.compute.status="SHUTOFF"'},
            {'occi.compute.cores=1': 'occi.compute.cores=4'},
            {'occi.compute.state="active"': 'occi.compute.state="inactive"'},
            {'occi.core.id="%s"' % server['id']: 'occi.core.id="other"'},
        ]
        for change in changes:
            got = self.call(path)
            headers, body = as_request(got, change)
            self.assertNotEqual(got.body, body, change)
            response = self.call(path, 'PUT', body=body, headers=headers)
            self.assertEqual(400, response.status_int, change)
            self.assertIn(list(change.values())[0].split('=')[0],
                          response.text)
        self.assertEqual(0, len([c for c in self.nova.calls
                                 if c[0] != 'GET']))
        got = self.call(path, accept='application/occi+json')
        data = got.json
        data['attributes']['occi.compute.memory'] = 64
        response = self.call(path, 'PUT', 'application/occi+json',
                             json.dumps(data).encode(),
                             {'Content-Type': 'application/occi+json'})
        self.assertEqual(400, response.status_int)

    def test_state_message_and_links_are_ignored(self):
        server = self.nova.add_server(name='vm')
        path = '/compute/' + server['id']
        got = self.call(path)
        headers, body = as_request(got, {
            'occi.compute.state.message="ACTIVE"':
            'occi.compute.state.message="ACTIVE, task powering-off"',
            '?action=stop': '?action=start'})
        response = self.call(path, 'PUT', body=body, headers=headers)
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([], self.nova.actions)
