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

"""The os_tpl and resource_tpl templates: collections, the query interface.

Every rendering is used both as request body and as answer.
"""

from tests.unit import client
from tests.unit.compute import base as compute_base
from tests.unit.compute.base import INFRA
from tests.unit.compute.base import OS
from tests.unit.compute.base import RES
from tests.unit.fakes import nova as fake_nova


class TemplatesTest(compute_base.ComputeTestCase):

    def test_template_collection_pages(self):
        for _ in range(3):
            self.nova.add_server(image_id='image-1')
        wanted = self.nova.add_server(image_id='image-1')['id']
        self.nova.add_server(image_id='image-2')
        response = self.call('/os_tpl/image-1/?page=4&number=1',
                             accept='application/occi+json')
        self.assertEqual(200, response.status_int, response.text)
        self.assertEqual([wanted], self.listed(response, 'json'))

    def test_template_collections(self):
        on_tiny = self.nova.add_server(flavor=0, image_id='image-1')
        on_small = self.nova.add_server(flavor=1, image_id='image-3')
        # The term (the flavor id) and, as earlier releases made it, the
        # name.
        for term in ('2', 'm1.small'):
            response = self.call('/resource_tpl/%s/' % term,
                                 accept='text/uri-list')
            self.assertEqual([client.HOST_URL + '/occi1.2/compute/' +
                              on_small['id']], response.text.split())
        response = self.call('/os_tpl/image-1/', accept='text/uri-list')
        self.assertEqual([client.HOST_URL + '/occi1.2/compute/' +
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
        small = mixins[RES + '2']
        self.assertEqual('m1.small', small['title'])
        self.assertEqual(client.ROOT + '/resource_tpl/2/', small['location'])
        self.assertEqual(2.0, small['attributes'][
            'occi.compute.memory']['default'])
        self.assertEqual(2, small['attributes'][
            'occi.compute.cores']['default'])
        # The flavors and the availability zones.
        self.assertEqual('nova=2, glance=1',
                         response.headers['X-OCCI-Backend-Calls'])
        # image-2 is still being made: Glance is asked again, so that its
        # status moves on; the flavors and zones come from the cache.
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
        self.assertEqual(('saving', 'nova=2, glance=1'), status())
        self.glance.images[1]['status'] = 'active'
        self.glance.refresh()
        self.assertEqual(('active', 'nova=0, glance=1'), status())
        # Images are never kept: another node may have made one.
        self.assertEqual(('active', 'nova=0, glance=1'), status())

    def test_template_cache_is_per_project(self):
        self.call('/-/')
        other = fake_nova.Context(project_id='other', user_id='other',
                                  auth_token='other-token')
        response = self.call('/-/', context=other)
        self.assertEqual('nova=2, glance=1',
                         response.headers['X-OCCI-Backend-Calls'])
        self.assertEqual('other-token', self.glance.mock.last_request.headers[
            'X-Auth-Token'])
        self.assertIs(other, self.nova.calls[-1][3])
