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

"""The sample configuration is generated, never edited by hand."""

import os
import subprocess
import sys
import tempfile

import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class SampleConfigTest(testtools.TestCase):

    def test_sample_matches_the_options(self):
        with tempfile.TemporaryDirectory() as tmp:
            output = os.path.join(tmp, 'sample.conf')
            subprocess.run(
                [sys.executable, '-m', 'oslo_config.generator',
                 '--config-file',
                 os.path.join(ROOT, 'etc', 'ooi-save-config-generator.conf'),
                 '--output-file', output], check=True, cwd=ROOT)
            with open(output) as generated:
                expected = generated.read()
        with open(os.path.join(ROOT, 'etc', 'ooi-save.conf.sample')) as f:
            self.assertEqual(expected, f.read(),
                             'etc/ooi-save.conf.sample is stale: run '
                             'tox -e genconfig')
