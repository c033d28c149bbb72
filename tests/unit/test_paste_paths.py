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

"""The filters' paste paths: the current ones and the ones of earlier releases.

Operators' api-paste.ini files name ``ooi_save.middleware:filter_factory``
and ``ooi_save.head:filter_factory``; those paths must keep giving the same
filters as ``ooi_save.http.filter`` and ``ooi_save.http.outer``. Every
path is loaded the way nova-api loads it, through paste.deploy, and the
filter it gives is driven with a request.
"""

import configparser
import json
import os
import tempfile

from paste import deploy
import testtools
import webob
import webob.dec

from ooi_save import version
from tests.unit import client
from tests.unit.fakes import nova as fake_nova


def _repository_root():
    """The checkout's top folder, wherever below it this module lives."""
    folder = os.path.dirname(os.path.abspath(__file__))
    while not os.path.exists(os.path.join(folder, 'setup.cfg')):
        parent = os.path.dirname(folder)
        if parent == folder:
            raise RuntimeError('No setup.cfg above %s' % __file__)
        folder = parent
    return folder


ROOT = _repository_root()

#: The OCCI filter's paths, the current one first.
FILTER_PATHS = ('ooi_save.http.filter:filter_factory',
                'ooi_save.middleware:filter_factory')
#: The outer filter's (``occi_head``) paths, the current one first.
OUTER_PATHS = ('ooi_save.http.outer:filter_factory',
               'ooi_save.head:filter_factory')


@webob.dec.wsgify
def authtoken_refusal(request):
    """What keystonemiddleware's authtoken answers without a token."""
    response = webob.Response(status=401, content_type='application/json',
                              charset=None, body=json.dumps({'error': {
                                  'code': 401, 'message': 'No token.'}}
                              ).encode())
    response.headers['WWW-Authenticate'] = 'Keystone uri="http://ks.test"'
    return response


class PastePathTest(testtools.TestCase):

    def _load(self, factory_path, **options):
        """The filter paste.deploy builds from one api-paste.ini section."""
        lines = ['[filter:under_test]',
                 'paste.filter_factory = %s' % factory_path,
                 'resume_saves_at_startup = false']
        lines += ['%s = %s' % item for item in options.items()]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'api-paste.ini')
            with open(path, 'w') as ini:
                ini.write('\n'.join(lines) + '\n')
            return deploy.loadfilter('config:' + path, name='under_test')

    def test_occi_filter_paths_serve_occi(self):
        for factory_path in FILTER_PATHS:
            factory = self._load(factory_path, prefix='/occi')
            occi = factory(fake_nova.FakeNova())
            response = client.request(
                '/occi/nothing-here', script_name='/v2.1').get_response(occi)
            self.assertEqual(404, response.status_int, factory_path)
            self.assertEqual(version.SERVER_HEADER,
                             response.headers['Server'], factory_path)
            self.assertIn('/nothing-here', response.text, factory_path)
            native = client.request(
                '/servers', script_name='/v2.1').get_response(occi)
            self.assertEqual('yes', native.headers['X-Native'],
                             factory_path)

    def test_outer_filter_paths_render_refusals(self):
        for factory_path in OUTER_PATHS:
            outer = self._load(factory_path)(authtoken_refusal)
            response = webob.Request.blank(
                '/compute/', base_url=client.HOST_URL + '/occi1.2',
                headers={'Accept': 'text/plain'}).get_response(outer)
            self.assertEqual(401, response.status_int, factory_path)
            self.assertEqual(version.SERVER_HEADER,
                             response.headers['Server'], factory_path)
            self.assertEqual('text/plain', response.content_type,
                             factory_path)
            self.assertIn('No token.', response.text, factory_path)
            self.assertEqual('Keystone uri="http://ks.test"',
                             response.headers['WWW-Authenticate'])

    def test_old_paths_give_the_current_factories(self):
        for current, old in (FILTER_PATHS, OUTER_PATHS):
            self.assertIs(_resolve(current), _resolve(old))

    def test_sample_and_entry_points_name_the_current_paths(self):
        paste = configparser.ConfigParser(interpolation=None)
        paste.read(os.path.join(ROOT, 'etc', 'api-paste.ini'))
        named = {paste[section]['paste.filter_factory']
                 for section in paste.sections()
                 if paste[section].get('paste.filter_factory', '')
                 .startswith('ooi_save')}
        self.assertEqual({FILTER_PATHS[0], OUTER_PATHS[0]}, named)
        setup = configparser.ConfigParser(interpolation=None)
        setup.read(os.path.join(ROOT, 'setup.cfg'))
        entry_points = dict(
            line.replace(' ', '').split('=', 1) for line in
            setup['entry_points']['paste.filter_factory'].split('\n')
            if line.strip())
        self.assertEqual({'occi': FILTER_PATHS[0],
                          'occi_head': OUTER_PATHS[0]}, entry_points)


def _resolve(factory_path):
    """The object a paste ``module:attribute`` path names."""
    module, attribute = factory_path.split(':')
    return getattr(__import__(module, fromlist=[attribute]), attribute)
