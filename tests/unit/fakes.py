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

"""Test doubles at the wire: a Nova WSGI app below the filter.

Nothing of ooi-save is faked: the filter under test is real and talks to
these through the same WSGI interface as to nova's API router.
"""

import copy
import json
import re
import uuid

from oslo_config import cfg
import webob
import webob.dec

from ooi_save import config
from ooi_save import middleware

GLANCE_URL = 'http://glance.test:9292'
HOST_URL = 'http://nova.test:8774'


class Context:
    """What nova's keystonecontext filter leaves in ``nova.context``."""

    def __init__(self, project_id='demo-project', user_id='demo-user',
                 roles=('member', 'reader'), auth_token='secret-token'):
        self.project_id = project_id
        self.user_id = user_id
        self.roles = list(roles)
        self.auth_token = auth_token
        self.request_id = 'req-' + str(uuid.uuid4())
        self.global_id = self.request_id
        self.service_catalog = [{
            'type': 'image', 'name': 'glance',
            'endpoints': [{'publicURL': GLANCE_URL,
                           'region': 'RegionOne'}]}]


class FakeNova:
    """A WSGI app answering a few compute API calls from memory.

    It records every call it gets, so tests can count backend calls.
    """

    def __init__(self):
        self.calls = []
        self.native_calls = []
        self.flavors = [
            {'id': '1', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512,
             'disk': 1, 'swap': 0, 'OS-FLV-EXT-DATA:ephemeral': 0},
            {'id': '2', 'name': 'm1.small', 'vcpus': 2, 'ram': 2048,
             'disk': 20, 'swap': 512, 'OS-FLV-EXT-DATA:ephemeral': 5},
        ]
        self.servers = {}
        #: An exception to raise from the next call, as a broken Nova would.
        self.explode_with = None

    def _reply(self, status, body=None, headers=None):
        response = webob.Response(status=status)
        response.headers.update(headers or {})
        if body is not None:
            response.json_body = body
        return response

    @webob.dec.wsgify
    def __call__(self, request):
        self.calls.append((request.method, request.path_qs,
                           dict(request.headers),
                           request.environ.get('nova.context')))
        if self.explode_with is not None:
            raise self.explode_with
        path = request.path_info
        if request.headers.get('OpenStack-API-Version') is None:
            # A native request, passed through the filter untouched.
            self.native_calls.append(request)
            return self._reply(200, {'servers': [], 'native': True},
                               headers={'X-Native': 'yes'})
        if path == '/flavors/detail':
            return self._reply(200, {'flavors': copy.deepcopy(
                self.flavors)})
        match = re.match(r'^/servers/([^/]+)$', path)
        if match and request.method == 'GET':
            server = self.servers.get(match.group(1))
            if server is None:
                return self._reply(404, {'itemNotFound': {
                    'code': 404,
                    'message': 'Instance %s could not be found.'
                               % match.group(1)}})
            return self._reply(200, {'server': copy.deepcopy(server)})
        return self._reply(404, {'itemNotFound': {
            'code': 404, 'message': 'No fake for %s' % path}})


def make_conf(**overrides):
    """A fresh oslo.config object with the [occi] group set."""
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    filter_conf = config.FilterConfig({}, conf)
    for name, value in overrides.items():
        conf.set_override(name, value, group='occi')
    return conf, filter_conf


def build(local_conf=None, nova=None, **overrides):
    """The real filter over a fake Nova.

    :returns: (filter, fake nova)
    """
    nova = nova or FakeNova()
    conf, _ = make_conf(**overrides)
    filter_conf = config.FilterConfig(local_conf or {}, conf)
    return middleware.OCCIFilter(nova, filter_conf), nova


def request(path, context=None, script_name='/occi1.2', **kwargs):
    """A request as nova's pipeline hands it to the filter."""
    req = webob.Request.blank(path, base_url=HOST_URL + script_name,
                              **kwargs)
    req.environ['nova.context'] = context or Context()
    req.environ['openstack.request_id'] = req.environ[
        'nova.context'].request_id
    return req


def glance_images(requests_mock, images):
    """Make requests-mock answer Glance's image listing."""
    requests_mock.get(GLANCE_URL + '/v2/images',
                      json={'images': images, 'schema': '/v2/schemas/images'})


def json_body(response):
    return json.loads(response.body)
