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

:class:`Wire` serves the filter's WSGI app on a local HTTP server of this
test process (127.0.0.1, a free port), so that the client's keystoneauth1
session and requests talk HTTP to it as they do to nova-api; it hands each
request to the filter as nova's pipeline would after authentication: the
token picks the project's context. The fakes behind the filter answer on
requests-mock, which lets the client's requests to the server through.

NOTE(ooi-save): the client's requests do not go through requests-mock's
callback: requests-mock holds one process-wide lock while a callback runs,
and the filter asks Neutron and Cinder from two threads at once.
"""

import io
import re
import threading
from wsgiref import simple_server

import fixtures
import requests_mock
import testtools
import webob

from ooi_save.client import api
from ooi_save.cmd import occi
from tests.unit import base
from tests.unit import client as wsgi_client
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import neutron as fake_neutron

RENDERINGS = api.RENDERINGS


class _QuietHandler(simple_server.WSGIRequestHandler):

    def log_message(self, *args):
        pass


class _Server:
    """The local HTTP server, one per test process, serving one Wire."""

    def __init__(self):
        self.wire = None
        self.httpd = simple_server.make_server(
            '127.0.0.1', 0, self.serve, handler_class=_QuietHandler)
        thread = threading.Thread(target=self.httpd.serve_forever,
                                  daemon=True)
        thread.start()
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_port

    def serve(self, environ, start_response):
        return self.wire.serve(environ, start_response)


_SERVER = _Server()
ENDPOINT = _SERVER.url + '/occi1.2'


class Wire:
    """The filter behind :data:`ENDPOINT`.

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
                            real_http=True)
        _SERVER.wire = self

    def serve(self, environ, start_response):
        request = webob.Request(environ)
        if not request.content_length:
            # wsgiref says text/plain where the client sent no type.
            del request.headers['Content-Type']
        path = request.path_qs[len('/occi1.2'):] or '/'
        self.sent.append((request.method, path,
                          request.headers.get('Content-Type'),
                          request.headers.get('Accept')))
        token = request.headers.get('X-Auth-Token')
        if token not in self.contexts:
            return webob.Response(
                status=401, body=b'Authentication required')(
                    environ, start_response)
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ('content-length', 'host')}
        forward = wsgi_client.request(
            path, context=self.contexts[token], method=request.method,
            headers=headers, body=request.body)
        forward.host = request.host
        forward.environ['SERVER_NAME'] = '127.0.0.1'
        forward.environ['SERVER_PORT'] = str(_SERVER.httpd.server_port)
        return forward.get_response(self.app)(environ, start_response)


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
