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

"""The save tests' case, and save requests as a client renders them."""

import configparser
import json
import os
import time

import sqlalchemy as sa

from tests.functional import base

ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
OS = 'http://schemas.openstack.org/template/os#'
TAG = 'ooi-save-pending'
RECORD_KEY = 'ooi_save'
TRUST_KEY = 'ooi_save_trust'
#: Server metadata the mini-cloud's fake driver reads: its snapshot upload
#: takes that many seconds (tools/minicloud/README.rst).
UPLOAD_SECONDS_KEY = 'minicloud_upload_seconds'


def save_body(method=None, name=None):
    """A text/plain save invocation."""
    lines = ['Category: save; scheme="%s"; class="action"' % ACTION]
    if method:
        lines.append('X-OCCI-Attribute: method="%s"' % method)
    if name:
        lines.append('X-OCCI-Attribute: name="%s"' % name)
    return '\n'.join(lines) + '\n'


def save_request(body_type, method, name=None):
    """A save invocation as a client renders it: (headers, body)."""
    attributes = {'method': method}
    if name:
        attributes['name'] = name
    if body_type.endswith('json'):
        return {'Content-Type': body_type}, json.dumps(
            {'action': ACTION + 'save', 'attributes': attributes})
    if body_type == 'text/occi':
        return {'Content-Type': 'text/occi',
                'Category': 'save; scheme="%s"; class="action"' % ACTION,
                'X-OCCI-Attribute': ', '.join(
                    '%s="%s"' % item for item in attributes.items())}, None
    return {'Content-Type': body_type}, save_body(method, name)


def stopped(server, answer):
    """Whether a deferred save stopped the server and sent no snapshot."""
    record = json.loads(server['metadata'].get(RECORD_KEY) or '{}')
    return server['status'] == 'SHUTOFF' and record.get('step') in (
        'stop', 'snapshot') and not server.get('OS-EXT-STS:task_state')


class SaveTestBase(base.TestCase):
    """Saves through OCCI, watched through Nova and Glance natively."""

    def save(self, server_id, method=None, name=None, token=None,
             url=None):
        """POST <compute>?action=save, answered in JSON.

        :param url: the OCCI root of one node, by default the endpoint
        """
        return self.occi(
            'POST', '/compute/%s?action=save' % server_id, token=token,
            headers={'Content-Type': 'text/plain',
                     'Accept': 'application/occi+json'},
            data=save_body(method, name), url=url)

    def nodes(self, count):
        """The OCCI roots of the nodes, at least ``count`` of them."""
        # NOTE: MINICLOUD_OCCI_NODES names nodes started by hand.
        nodes = (os.environ.get('MINICLOUD_OCCI_NODES') or
                 self.env.get('OCCI_NODES', '')).split() or [self.occi_url]
        if len(nodes) < count:
            self.skipTest('the mini-cloud has %d OCCI node(s), not %d '
                          '(OCCI_NODES in openrc)' % (len(nodes), count))
        return nodes

    def claim_of(self, server_id):
        """The server's row in the claims table of the OCCI database.

        :returns: a dict, or None when no save or action holds it
        """
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(os.path.join(base.STATE, 'etc', 'nova', 'nova.conf'))
        engine = sa.create_engine(parser['occi_database']['connection'],
                                  poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                row = connection.execute(sa.text(
                    'SELECT * FROM occi_save_claims WHERE server_id = :id'),
                    {'id': server_id}).mappings().first()
                return dict(row) if row is not None else None
        finally:
            engine.dispose()

    def images_of(self, server_id):
        """Every image Glance holds of a server, whatever its status."""
        return self.glance('GET', '/v2/images?instance_uuid=%s'
                           % server_id).json()['images']

    def server(self, server_id, token=None):
        # NOTE: while a node is being killed, the load balancer may answer
        # one read itself (502/503) before its checks count the node down;
        # a polling client reads again. Anything else, or an error that
        # lasts, fails the test with what was answered.
        deadline = time.monotonic() + 15
        while True:
            response = self.nova('GET', '/servers/%s' % server_id,
                                 token=token)
            if response.status_code == 200:
                return response.json()['server']
            if (response.status_code not in (502, 503, 504) or
                    time.monotonic() > deadline):
                self.fail('GET server %s: %d %s' % (
                    server_id, response.status_code, response.text[:500]))
            time.sleep(0.5)

    def actions(self, server_id):
        """The server's instance actions, oldest first."""
        actions = self.nova('GET', '/servers/%s/os-instance-actions'
                            % server_id).json()['instanceActions']
        # Nova lists the newest first. (The start times do not order them:
        # every call of one OCCI request bears that request's start time.)
        return [action['action'] for action in reversed(actions)]

    def image(self, image_id, token=None):
        response = self.glance('GET', '/v2/images/%s' % image_id,
                               token=token)
        return response.status_code, (response.json() if response.ok
                                      else None)

    def images_named(self, name):
        return self.glance('GET', '/v2/images?name=%s' % name).json()[
            'images']

    def forget_image(self, image_id):
        self.addCleanup(self.glance, 'DELETE', '/v2/images/%s' % image_id)

    def wait_image_active(self, image_id, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            status, image = self.image(image_id)
            if status == 200 and image['status'] == 'active':
                return image
            if time.monotonic() > deadline:
                self.fail('image %s is %s' % (
                    image_id, image and image['status'] or status))
            time.sleep(0.2)

    def wait_saved(self, server_id, timeout=120):
        """Wait until no save is under way: ACTIVE, no task, no record."""
        deadline = time.monotonic() + timeout
        while True:
            server = self.server(server_id)
            if (server['status'] == 'ACTIVE' and
                    not server.get('OS-EXT-STS:task_state') and
                    TAG not in server['tags'] and
                    RECORD_KEY not in server['metadata']):
                return server
            if time.monotonic() > deadline:
                self.fail('save of %s did not finish: %s/%s tags=%s '
                          'metadata=%s' % (
                              server_id, server['status'],
                              server.get('OS-EXT-STS:task_state'),
                              server['tags'], server['metadata']))
            time.sleep(0.3)

    def assertImageMixin(self, response, name=None):
        """The answer is the new os_tpl mixin; returns its image id."""
        self.assertEqual(200, response.status_code, response.text)
        mixin = response.json()
        self.assertEqual(OS, mixin['scheme'])
        self.assertIn(INFRA + 'os_tpl', mixin['depends'])
        self.forget_image(mixin['term'])
        if name:
            self.assertEqual(name, mixin['title'])
        return mixin['term']
