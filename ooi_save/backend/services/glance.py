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

"""Glance, called over HTTP as the caller.

Images are listed with python-glanceclient using the caller's own token, so
a user sees exactly the images Glance lets that token see. The endpoint comes
from the caller's service catalog unless the operator overrides it.
"""

import functools
import urllib.parse

import glanceclient
from glanceclient import exc as glance_exc
from keystoneauth1 import exceptions as ksa_exc
from oslo_log import log as logging

from ooi_save.backend.services import base
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Images asked for in one Glance listing page.
PAGE_SIZE = 1000


class GlanceAPI(base.ServiceAPI):
    """The image API, with the caller's token."""

    name = 'glance'
    service_type = 'image'

    @functools.cached_property
    def client(self):
        endpoint = self._endpoint()
        return glanceclient.Client(
            '2', session=self._session(endpoint), endpoint=endpoint,
            global_request_id=self._global_request_id)

    def _guard(self, what, *args, **kwargs):
        try:
            return what(*args, **kwargs)
        except glance_exc.HTTPException as error:
            raise exceptions.from_status(
                error.code, 'Glance: %s' % (error.details or error))
        except (ksa_exc.ConnectionError, glance_exc.CommunicationError,
                glance_exc.InvalidEndpoint) as error:
            raise exceptions.Unreachable('Glance', error)

    def _get(self, url):
        response, body = self._guard(self.client.http_client.get, url)
        return body

    def list_images(self):
        """Every image the caller can see, one Glance call per page.

        NOTE: the raw listing is read through glanceclient's HTTP client:
        its image models would fetch Glance's JSON schema first, one more
        call for nothing we use.

        :returns: a list of image dicts, as Glance renders them
        """
        images = []
        url = '/v2/images?limit=%d' % PAGE_SIZE
        while url:
            body = self._get(url)
            images.extend(body.get('images', ()))
            url = body.get('next')
        return images

    def get_image(self, image_id):
        """One image.

        :param image_id: the image id
        :returns: the image dict
        :raises: NotFound when the caller cannot see it
        """
        return self._get('/v2/images/%s' % urllib.parse.quote(image_id))

    def find_images(self, **properties):
        """The images the caller can see whose properties match.

        :param properties: image properties and their values; Glance
            filters its listing on any property
        :returns: a list of image dicts
        """
        url = '/v2/images?%s' % urllib.parse.urlencode(
            dict(properties, limit=PAGE_SIZE))
        return self._get(url).get('images', [])

    def delete_image(self, image_id):
        """Delete one image; one that is gone already is no error.

        :param image_id: the image id
        """
        try:
            self._guard(self.client.http_client.delete,
                        '/v2/images/%s' % urllib.parse.quote(image_id))
        except exceptions.NotFound:
            pass
