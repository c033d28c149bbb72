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

"""Faults: Glance, Neutron, Cinder and Keystone down for a while.

Each test stops one service of the mini-cloud, runs the OCCI operations
that need it (503 naming the service, with Retry-After, in the client's
rendering; never a traceback or a class name), brings the service back
and checks what is left behind: no image, claim or stopped server.
"""

import json
import uuid

from tests.functional import base
from tests.functional import faults_base
from tests.functional import save_base

INFRA = base.INFRA


class GlanceDownTest(faults_base.FaultTestBase):

    def glance_lost_during_upload(self, method):
        """A save whose 4 s upload loses Glance: (server id, image id)."""
        server_id = self.boot(metadata={
            save_base.UPLOAD_SECONDS_KEY: '4'})
        image_id = self.assertImageMixin(self.save(server_id, method))
        self.wait_for('upload under way', lambda: self.server(server_id).get(
            'OS-EXT-STS:task_state') == 'image_uploading', timeout=30,
            interval=0.2)
        self.service_down('glance')
        return server_id, image_id

    def test_saves_and_templates_while_glance_is_down(self):
        server_id = self.boot()
        self.service_down('glance')
        for accept in ('text/plain', 'text/occi', 'application/occi+json'):
            response = self.occi(
                'POST', '/compute/%s?action=save' % server_id,
                headers={'Content-Type': 'text/plain', 'Accept': accept},
                data=save_base.save_body('hot'))
            self.assertClear(response, (503,), 'Glance cannot be reached')
            self.assertIn(accept.split('/')[1],
                          response.headers['Content-Type'])
        response = self.save(server_id, 'deferred')
        self.assertClear(response, (503,), 'Glance')
        self.assertClear(self.occi('GET', '/-/'), (503,), 'Glance')
        # A read of the compute needs no Glance.
        self.assertClear(self.occi('GET', '/compute/%s' % server_id),
                         (200,))
        self.service_back('glance')
        self.assertNothingLeft(server_id)
        self.wait_saved(server_id)
        # And once Glance is back, a save works.
        self.assertImageMixin(self.save(server_id, 'hot'))

    def test_deferred_save_whose_upload_loses_glance(self):
        server_id, image_id = self.glance_lost_during_upload('deferred')
        # The compute runs again, and says the save failed and why.
        self.wait_running(server_id)
        state, message = self.wait_for(
            'the failure told', lambda: (lambda s: 'failed' in s[1] and s)(
                self.read_state(server_id)), timeout=60)
        self.assertEqual('active', state)
        self.assertIn('deferred save failed', message)
        self.assertIn('Glance', message)
        self.service_back('glance')
        # The image Glance kept 'saving' is deleted once it answers.
        self.wait_for('image %s deleted' % image_id,
                      lambda: self.image(image_id)[0] == 404, timeout=60)
        self.assertNothingLeft(server_id)
        server = self.wait_for(
            'record final', lambda: (lambda s: save_base.TAG not in s[
                'tags'] and s)(self.server(server_id)), timeout=30)
        record = json.loads(server['metadata'][save_base.RECORD_KEY])
        self.assertEqual('failed', record['step'])
        self.assertNotIn(save_base.TRUST_KEY, server['metadata'])
        self.assertIn('deferred save failed', self.read_state(server_id)[1])

    def test_hot_save_whose_upload_loses_glance(self):
        server_id, image_id = self.glance_lost_during_upload('hot')
        # Nova is done with the compute, which runs and says the hot save
        # failed and why.
        state, message = self.wait_for(
            'the failure told', lambda: (lambda s: 'failed' in s[1] and s)(
                self.read_state(server_id)), timeout=60)
        self.assertEqual('active', state)
        self.assertIn('hot save failed', message)
        self.assertIn('Glance', message)
        # The sweep of any node could delete the image: the compute is
        # tagged, with the image and a trust of the owner recorded.
        server = self.server(server_id)
        self.assertIn(save_base.TAG, server['tags'])
        self.assertIn(save_base.TRUST_KEY, server['metadata'])
        record = json.loads(server['metadata'][save_base.RECORD_KEY])
        self.assertEqual(('clean', image_id), (record['step'], record['img']))
        # The process that watched the save ends: the sweep of the new ones
        # deletes the image Glance kept 'saving' once Glance answers,
        # through the trust.
        self.cli('restart', 'nova-api')
        self.service_back('glance')
        self.wait_for('image %s deleted' % image_id,
                      lambda: self.image(image_id)[0] == 404, timeout=90)
        self.assertNothingLeft(server_id)
        server = self.wait_for(
            'record final', lambda: (lambda s: save_base.TAG not in s[
                'tags'] and s)(self.server(server_id)), timeout=30)
        record = json.loads(server['metadata'][save_base.RECORD_KEY])
        self.assertEqual(('failed', 'hot', image_id),
                         (record['step'], record['m'], record['img']))
        self.assertIn('was deleted', record['err'])
        self.assertNotIn(save_base.TRUST_KEY, server['metadata'])
        self.assertIn('hot save failed', self.read_state(server_id)[1])
        # Nothing refuses the next save.
        self.assertImageMixin(self.save(server_id, 'hot'))


class NeutronDownTest(faults_base.FaultTestBase):

    def test_reads_and_creates_while_neutron_is_down(self):
        server_id = self.boot()
        self.service_down('neutron')
        # Nova itself cannot show a server without Neutron: 503 naming it,
        # for the compute and for the collection in full.
        for path, accept in (('/compute/%s' % server_id, 'text/plain'),
                             ('/compute/%s' % server_id,
                              'application/occi+json'),
                             ('/compute/', 'application/occi+json')):
            self.assertClear(self.occi('GET', path, headers={
                'Accept': accept}), (503,), 'Neutron')
        # The collection's locations are Nova's summary listing alone.
        for accept in ('text/plain', 'text/uri-list'):
            response = self.occi('GET', '/compute/',
                                 headers={'Accept': accept})
            self.assertClear(response, (200,))
            self.assertIn('/compute/%s' % server_id, response.text)
        self.assertClear(self.occi('GET', '/network/'), (503,), 'Neutron')
        title = 'fault-%s' % uuid.uuid4().hex[:8]
        headers, data = base.render(
            'text/plain', INFRA + 'compute',
            [base.OS + self.image_by_name('cirros-fake')['id'],
             base.RES + self.flavor_term()], {'occi.core.title': title})
        response = self.occi('POST', '/compute/', headers=headers,
                             data=data)
        self.assertClear(response, (503,), 'Neutron')
        self.service_back('neutron')
        self.assertEqual('active', self.read_state(server_id)[0])
        # Nothing was made by the refused create.
        servers = self.nova('GET', '/servers?name=%s' % title,
                            expect=200).json()['servers']
        self.assertEqual([], servers)
        self.assertEqual([], self.neutron(
            'GET', '/ports?name=%s' % title, expect=200).json()['ports'])


class CinderDownTest(faults_base.FaultTestBase):

    def test_storage_while_cinder_is_down(self):
        server_id = self.boot()
        self.service_down('cinder-api')
        self.assertClear(self.occi('GET', '/storage/'), (503,), 'Cinder')
        title = 'fault-%s' % uuid.uuid4().hex[:8]
        response = self.occi('POST', '/storage/', headers={
            'Content-Type': 'text/plain'}, data=(
                'Category: storage; scheme="%s"; class="kind"\n'
                'X-OCCI-Attribute: occi.core.title="%s"\n'
                'X-OCCI-Attribute: occi.storage.size=1\n' % (INFRA, title)))
        self.assertClear(response, (503,), 'Cinder')
        # The compute does not need Cinder to be read.
        self.assertClear(self.occi('GET', '/compute/%s' % server_id),
                         (200,))
        self.service_back('cinder-api')
        response = self.occi('GET', '/storage/', headers={
            'Accept': 'application/occi+json'})
        self.assertEqual(200, response.status_code, response.text)
        self.assertNotIn(title, response.text)


class KeystoneDownTest(faults_base.FaultTestBase):

    def test_reads_and_saves_while_keystone_is_down(self):
        server_id = self.boot()
        # A token validated before the fault is in authtoken's cache (for
        # 5 minutes), on each node.
        for node in self.occi_nodes:
            response = self.occi('GET', '/compute/%s' % server_id, url=node)
            self.assertEqual(200, response.status_code, response.text)
        self.service_down('keystone')
        for path in ('/compute/%s' % server_id, '/compute/', '/-/'):
            self.assertClear(self.occi('GET', path))
        self.assertClear(self.save(server_id, 'hot'), (200, 503))
        self.service_back('keystone')
        for image in self.images_of(server_id):
            self.forget_image(image['id'])
        self.wait_running(server_id)
        self.wait_for('claim released',
                      lambda: self.claim_of(server_id) is None)
        self.wait_for('no image queued or saving', lambda: not [
            image for image in self.images_of(server_id)
            if image['status'] in ('queued', 'saving')], timeout=60)
