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

"""Glance's image API v2 at the wire, with requests-mock."""

import re

import fixtures
from requests_mock.contrib import fixture as requests_mock_fixture

GLANCE_URL = 'http://glance.test:9292'
#: One image's URL, for requests-mock.
IMAGE_URL = re.compile(re.escape(GLANCE_URL) + '/v2/images/[^/]+$')
#: The image listing's URL with a query, for requests-mock.
LISTING_URL = re.compile(re.escape(GLANCE_URL) + r'/v2/images\?')

#: The images most tests start with: one to boot from, one still uploading.
IMAGES = [
    {'id': 'image-1', 'name': 'cirros', 'status': 'active',
     'visibility': 'public'},
    {'id': 'image-2', 'name': 'uploading', 'status': 'saving',
     'visibility': 'private'},
]


def glance_images(requests_mock, images):
    """Make requests-mock answer Glance's image listing and image reads."""
    requests_mock.get(GLANCE_URL + '/v2/images',
                      json={'images': images, 'schema': '/v2/schemas/images'})
    # Any other image is none the caller can see.
    requests_mock.get(IMAGE_URL, text=lambda request, context: glance_error(
        context, 404, 'No image found with ID %s.'
        % request.path.rsplit('/', 1)[-1]))
    for image in images:
        requests_mock.get(GLANCE_URL + '/v2/images/' + image['id'],
                          json=image)


def glance_error(context, status, message):
    """An error as Glance renders it: a small HTML page."""
    context.status_code = status
    context.headers['Content-Type'] = 'text/html; charset=UTF-8'
    return ('<html><head><title>%d</title></head><body><h1>%d</h1>%s'
            '</body></html>' % (status, status, message))


class GlanceFixture(fixtures.Fixture):
    """Glance's image API at the wire, with requests-mock."""

    def __init__(self, images):
        super().__init__()
        self.images = [dict(image) for image in images]

    def _setUp(self):
        self.mock = self.useFixture(requests_mock_fixture.Fixture())
        self.refresh()

    def refresh(self):
        glance_images(self.mock, self.images)
