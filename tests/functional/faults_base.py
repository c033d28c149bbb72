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

"""Stopping one mini-cloud service for a while, and what is answered.

:meth:`FaultTestBase.service_down` stops a service with the mini-cloud's
``stop`` and brings it back in the test's cleanup with ``start``, which
returns once every service answers again (its own checks, no blind sleep):
a failing test leaves the cloud whole for the rest of the suite.
"""

import os
import subprocess
import sys
import time

from tests.functional import base
from tests.functional import save_base


class FaultTestBase(save_base.SaveTestBase):
    """Saves and reads while one service is down, checked natively."""

    def cli(self, *args):
        started = time.monotonic()
        subprocess.run([sys.executable, base.CLI] + list(args), check=True,
                       stdout=sys.stderr, stderr=sys.stderr,
                       env=dict(os.environ))
        return time.monotonic() - started

    def service_down(self, name):
        """Stop a service until the test's cleanup starts it again."""
        self.addCleanup(self.cli, 'start', name)
        self.cli('stop', name)

    def service_back(self, name):
        """Start a service now (the cleanup's start is then at once)."""
        self.cli('start', name)

    def assertClear(self, response, statuses=(200, 503), service=None):
        """An answer a client can use: no traceback, no class name.

        :param statuses: the statuses allowed
        :param service: the service a 503 must name
        :returns: the answer's text
        """
        text = response.text
        self.assertIn(response.status_code, statuses, text[:500])
        leaks = ['<class', 'Traceback', 'Unexpected API Error',
                 'HTTPConnectionPool', 'keystoneauth1']
        if response.status_code >= 400:
            # An error names no address of a service behind us.
            leaks.append('127.0.0.1:')
        for leak in leaks:
            self.assertNotIn(leak, text)
        if response.status_code == 503:
            self.assertTrue(response.headers.get('Retry-After'), text)
            if service:
                self.assertIn(service, text)
        return text

    def read_state(self, server_id):
        """The compute's occi.compute.state and its message."""
        response = self.occi('GET', '/compute/%s' % server_id,
                             headers={'Accept': 'application/occi+json'})
        self.assertEqual(200, response.status_code, response.text)
        attributes = response.json()['attributes']
        return (attributes['occi.compute.state'],
                attributes['occi.compute.state.message'])

    def wait_for(self, what, check, timeout=60, interval=0.5):
        """Poll ``check`` until it returns something true."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                self.fail('%s: not within %d s' % (what, timeout))
            time.sleep(interval)

    def wait_running(self, server_id, timeout=90):
        """The server ACTIVE with no task (a save may keep its record)."""
        def running():
            server = self.server(server_id)
            return (server['status'] == 'ACTIVE' and
                    not server.get('OS-EXT-STS:task_state')) and server
        return self.wait_for('compute %s running' % server_id, running,
                             timeout)

    def assertNothingLeft(self, server_id, keep_images=()):
        """No image of the server but those kept; no claim; running."""
        self.wait_running(server_id)
        self.wait_for('images of %s removed' % server_id, lambda: not [
            image for image in self.images_of(server_id)
            if image['id'] not in keep_images], timeout=60)
        self.wait_for('claim of %s released' % server_id,
                      lambda: self.claim_of(server_id) is None, timeout=60)
