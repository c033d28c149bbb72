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

"""What installing the client gives: the command and its help, and no
server dependency on its import path."""

import configparser
import os
import subprocess
import sys

import testtools

from ooi_save.client import commands
from tests.unit.client_occi import base

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

#: Top-level modules of the filter's [server] dependencies.
SERVER_MODULES = ('oslo_db', 'sqlalchemy', 'alembic', 'oslo_config',
                  'oslo_log', 'webob', 'paste', 'glanceclient')


class HelpTest(base.ClientTestCase):

    def test_every_command_has_help(self):
        for name in commands.COMMANDS:
            code, out, _err = self.command(*(name.split() + ['--help']))
            self.assertEqual(0, code, name)
            self.assertIn('usage: ', out, name)
            self.assertIn(name, out)
            code, out, _err = self.command(*(['help'] + name.split()))
            self.assertEqual(0, code, name)

    def test_bare_occi_gives_help(self):
        code, out, _err = self.command()
        self.assertEqual(0, code)
        self.assertIn('compute create', out)


class PackagingTest(testtools.TestCase):

    def test_server_extra_matches_its_requirements_file(self):
        setup = configparser.ConfigParser()
        setup.read(os.path.join(ROOT, 'setup.cfg'))
        extra = setup['extras']['server'].split()
        with open(os.path.join(ROOT, 'requirements-server.txt')) as f:
            listed = [line.strip() for line in f
                      if line.strip() and not line.startswith('#')]
        self.assertEqual(listed, extra)
        self.assertEqual('ooi_save.cmd.occi:main', dict(
            line.split(' = ') for line in setup['entry_points'][
                'console_scripts'].strip().splitlines())['occi'])

    def test_client_imports_no_server_module(self):
        script = (
            'import sys\n'
            'before = set(sys.modules)\n'
            'from ooi_save.cmd import occi\n'
            'from ooi_save.client import commands, connect\n'
            'occi.OCCIApp()\n'
            'loaded = {m.split(".")[0] for m in set(sys.modules) - before}\n'
            'print(" ".join(sorted(loaded & set(%r))))\n' % (SERVER_MODULES,))
        done = subprocess.run([sys.executable, '-c', script], cwd=ROOT,
                              capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONPATH=ROOT))
        self.assertEqual('', done.stdout.strip())
