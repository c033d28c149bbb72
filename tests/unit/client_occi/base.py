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

"""The ``occi`` client against the real filter, in process.

:class:`Wire` hands every request the client sends to
``http://nova.test:8774/occi1.2`` to the filter's WSGI app (through the
requests-mock of the fakes, so the client's keystoneauth1 session and
requests run as they do for users), as nova's pipeline would after
authentication: the token picks the project's context.
"""

import io
import re

import fixtures
import requests_mock
import testtools

from ooi_save.client import api
from ooi_save.cmd import occi
from tests.unit import base
from tests.unit import client as wsgi_client
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import neutron as fake_neutron

ENDPOINT = wsgi_client.ROOT
RENDERINGS = api.RENDERINGS


class Wire:
    """The filter behind a URL: a requests-mock callback.

    :param app: the WSGI app (the filter over the fakes)
    :param contexts: token -> ``nova.context``
    """

    def __init__(self, app, contexts):
        self.app = app
        self.contexts = contexts
        #: (method, path with query, content type, accept) of each request
        self.sent = []

    def install(self, mocker):
        mocker.register_uri(requests_mock.ANY,
                            re.compile(re.escape(ENDPOINT) + '(/|$)'),
                            content=self)

    def __call__(self, request, context):
        path = request.url[len(ENDPOINT):] or '/'
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ('content-length', 'host')}
        self.sent.append((request.method, path,
                          headers.get('Content-Type'),
                          headers.get('Accept')))
        token = headers.get('X-Auth-Token')
        if token not in self.contexts:
            context.status_code = 401
            return b'Authentication required'
        body = request.body or b''
        if isinstance(body, str):
            body = body.encode('utf-8')
        response = wsgi_client.request(
            path, context=self.contexts[token], method=request.method,
            headers=headers, body=body).get_response(self.app)
        context.status_code = response.status_int
        context.reason = response.status.split(' ', 1)[-1]
        joined = {}
        for name, value in response.headerlist:
            if name in joined:
                joined[name] = joined[name] + ', ' + value
            else:
                joined[name] = value
        context.headers.update(joined)
        return response.body


class ClientMixin:
    """The ``occi`` command before a filter (a test case's mixin)."""

    def use_client(self, app, mocker, contexts):
        """Hand the client's requests to ``app``, set its environment.

        :param mocker: the requests-mock fixture the fakes answer on
        :param contexts: token -> ``nova.context``
        """
        self.wire = Wire(app, contexts)
        self.wire.install(mocker)
        self.cache = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.EnvironmentVariable('XDG_CACHE_HOME',
                                                     self.cache))
        for name in ('OS_CLOUD', 'OS_AUTH_URL', 'OS_AUTH_TYPE',
                     'OS_USERNAME', 'OS_PASSWORD', 'OCCI_RENDERING',
                     'OCCI_CACHE_TTL'):
            self.useFixture(fixtures.EnvironmentVariable(name))
        self.useFixture(fixtures.EnvironmentVariable('OCCI_ENDPOINT',
                                                     ENDPOINT))
        self.useFixture(fixtures.EnvironmentVariable('OS_TOKEN',
                                                     'demo-token'))

    def command(self, *argv, rendering='application/occi+json'):
        """Run the command: (exit code, stdout, stderr)."""
        stdout, stderr = io.StringIO(), io.StringIO()
        app = occi.OCCIApp(stdout=stdout, stderr=stderr)
        try:
            code = app.run(['--rendering', rendering,
                            '--poll-interval', '0.01'] + list(argv))
        except SystemExit as exc:
            # argparse's usage errors, as the process would exit.
            code = exc.code
        return code, stdout.getvalue(), stderr.getvalue()

    def ok(self, *argv, rendering='application/occi+json'):
        """Run the command, which must succeed: its stdout."""
        code, out, err = self.command(*argv, rendering=rendering)
        self.assertEqual(0, code, 'occi %s failed: %s' % (' '.join(argv),
                                                          err))
        return out


class ClientTestCase(ClientMixin, testtools.TestCase):
    """The networked fakes behind the filter, and the client before it."""

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(base.NetworkedCloud())
        self.use_client(self.cloud.occi, self.cloud.glance.mock, {
            'demo-token': self.cloud.demo, 'alt-token': self.cloud.alt})

    def boot(self, name='vm'):
        return self.cloud.boot(name)


__all__ = ['fake_glance', 'fake_neutron', 'fixtures']
