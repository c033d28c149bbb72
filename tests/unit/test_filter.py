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

"""The paste filter: factory, configuration merge, routing, pass-through."""

import uuid

from oslo_config import cfg
import requests_mock
import testtools

from ooi_save import config
from ooi_save.http import filter as occi_filter
from ooi_save import version
from tests.unit import base
from tests.unit import client
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import nova as fake_nova

NO_RESUME = {'resume_saves_at_startup': 'false'}


class FactoryTest(testtools.TestCase):

    def test_local_conf_wins_over_global_conf(self):
        wrap = occi_filter.filter_factory(
            {'prefix': '/from-global', 'template_cache_ttl': '3'},
            prefix='/from-local', **NO_RESUME)
        occi = wrap(fake_nova.FakeNova())
        self.assertEqual('/from-local', occi.prefix)
        self.assertEqual(3, occi.conf.template_cache_ttl)

    def test_global_conf_is_used(self):
        wrap = occi_filter.filter_factory({'prefix': '/occi'}, **NO_RESUME)
        self.assertEqual('/occi', wrap(fake_nova.FakeNova()).prefix)

    def test_paste_value_overrides_nova_conf(self):
        conf, _ = base.make_conf(template_cache_ttl=5, prefix='/nova')
        merged = config.FilterConfig({'template_cache_ttl': '7'}, conf)
        self.assertEqual(7, merged.template_cache_ttl)
        self.assertEqual('/nova', merged.prefix)

    def test_invalid_paste_value_fails_at_start(self):
        conf, _ = base.make_conf()
        self.assertRaises(ValueError, config.FilterConfig,
                          {'template_cache_ttl': 'soon'}, conf)
        self.assertRaises(ValueError, config.FilterConfig,
                          {'save_method': 'lukewarm'}, conf)

    def test_options_are_listed_for_the_generator(self):
        from ooi_save import opts
        listed = dict(opts.list_opts())
        self.assertEqual(['occi', 'occi_database', 'occi_trustee'],
                         sorted(listed))
        self.assertIn('prefix', [o.name for o in listed['occi']])
        # oslo.db's options, without their deprecated names in nova's
        # own groups.
        database = {o.dest: o for o in listed['occi_database']}
        self.assertIn('connection', database)
        self.assertEqual([], database['connection'].deprecated_opts)
        # The trustee's keystoneauth options, as in nova's [service_user].
        trustee = [o.dest for o in listed['occi_trustee']]
        for name in ('auth_type', 'auth_url', 'username', 'password',
                     'user_domain_name', 'cafile', 'timeout'):
            self.assertIn(name, trustee)
        self.assertTrue(all(isinstance(o, cfg.Opt)
                            for options in listed.values()
                            for o in options))


class PassThroughTest(testtools.TestCase):
    """Deployment (b): the filter in the /v2.1 pipeline, below /occi."""

    def setUp(self):
        super().setUp()
        self.occi, self.nova = base.build(
            dict(NO_RESUME, prefix='/occi'))

    def test_native_request_reaches_nova_untouched(self):
        req = client.request('/servers', script_name='/v2.1')
        response = req.get_response(self.occi)
        self.assertEqual(200, response.status_int)
        self.assertEqual('yes', response.headers['X-Native'])
        self.assertNotIn('Server', response.headers)
        [native] = self.nova.native_calls
        self.assertIs(req.environ, native.environ)

    def test_prefix_must_be_a_whole_segment(self):
        req = client.request('/occinot/-/', script_name='/v2.1')
        response = req.get_response(self.occi)
        self.assertEqual('yes', response.headers['X-Native'])

    @requests_mock.Mocker()
    def test_occi_request_below_prefix_is_served(self, glance):
        fake_glance.glance_images(glance, [])
        req = client.request('/occi/-/', script_name='/v2.1')
        response = req.get_response(self.occi)
        self.assertEqual(200, response.status_int)
        self.assertEqual(version.SERVER_HEADER, response.headers['Server'])
        self.assertEqual([], self.nova.native_calls)
        self.assertIn('/v2.1/occi/compute/', response.text)


class RoutingTest(base.FilterTestCase):
    """Deployment (a): the filter has the /occi1.2 prefix to itself."""

    accept = None

    def setUp(self):
        super().setUp()
        self.occi, self.nova = base.build(NO_RESUME)

    def test_server_header_on_every_answer(self):
        for path in ('/nothing-here', '/compute/'):
            response = self.call(path, method='PUT')
            self.assertIn('OCCI/1.2', response.headers['Server'])
            self.assertGreaterEqual(response.status_int, 400)

    def test_unknown_path_is_404_with_a_message(self):
        response = self.call('/nothing-here')
        self.assertEqual(404, response.status_int)
        self.assertIn('/nothing-here', response.text)
        self.assertEqual('text/plain', response.content_type)

    def test_method_not_allowed_lists_allowed_methods(self):
        response = self.call('/-/', method='PUT')
        self.assertEqual(405, response.status_int)
        self.assertEqual('GET, HEAD, POST, DELETE',
                         response.headers['Allow'])

    def test_newer_occi_client_gets_501(self):
        response = self.call('/-/', headers={
            'User-Agent': 'rOCCI-cli/5.0 OCCI/1.3'})
        self.assertEqual(501, response.status_int)
        self.assertIn('OCCI 1.3', response.text)

    @requests_mock.Mocker()
    def test_same_or_older_occi_client_is_served(self, glance):
        fake_glance.glance_images(glance, [])
        for agent in ('client OCCI/1.2', 'client OCCI/1.1', 'curl/8.0'):
            response = self.call('/-/', headers={'User-Agent': agent})
            self.assertEqual(200, response.status_int, agent)

    def test_unacceptable_accept_is_406(self):
        response = self.call('/-/', headers={'Accept': 'image/png'})
        self.assertEqual(406, response.status_int)
        self.assertIn('image/png', response.text)

    def test_unreadable_body_type_is_415(self):
        response = self.call('/compute/', method='POST',
                             body=b'<xml/>',
                             headers={'Content-Type': 'application/xml'})
        self.assertEqual(415, response.status_int)

    def test_unexpected_failure_is_a_bare_500(self):
        self.nova.explode_with = RuntimeError('secret-token')
        response = self.call('/compute/%s' % uuid.uuid4())
        self.assertEqual(500, response.status_int)
        self.assertNotIn('secret-token', response.text)
        self.assertNotIn('Traceback', response.text)
        self.assertIn('OCCI/1.2', response.headers['Server'])

    def test_head_has_headers_without_body(self):
        response = client.blank('/x', method='HEAD').get_response(self.occi)
        self.assertEqual(404, response.status_int)
        self.assertEqual(b'', response.body)
