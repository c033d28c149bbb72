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

"""Nova's compute API, called in-process with the caller's context.

The filter sits in nova-api's own pipeline, so instead of calling Nova over
the network we hand sub-requests straight to the WSGI application below the
filter. They carry the caller's ``nova.context``: Nova enforces its policy on
the caller exactly as for a native request, and the token is not validated a
second time. Every call names the compute microversion we were written for.
"""

import json
import sys
import urllib.parse

from oslo_log import log as logging
import webob

from ooi_save.backend import service
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: The compute API microversion of every call. 2.90 gives the flavor
#: embedded in the server (2.47), the image id in the createImage answer
#: (2.45), server tags (2.26) and a settable hostname (2.90).
MICROVERSION = '2.90'

#: Environ keys a sub-request inherits from the caller's request.
_INHERITED = ('nova.context', 'openstack.request_id',
              'openstack.global_request_id', 'REMOTE_ADDR',
              'HTTP_X_FORWARDED_FOR')


def _fresh_stack_chunk_caller(slots):
    """A function that calls another from the start of a new stack chunk.

    NOTE: CPython 3.11 keeps Python frames in chunks of 16 KiB and frees a
    chunk as soon as its first frame returns. When a hot loop of Nova
    calls a small function (an SQLAlchemy attribute getter, say) exactly
    at a chunk boundary, every call maps a chunk and every return unmaps
    it: on the mini-cloud a listing of 100 servers made 7000 mmap/munmap
    pairs through the filter against 550 natively, and took 50 to 80 ms
    more. Where the boundary falls depends on the whole stack above, so
    it is luck whether a given request hits it. Calling Nova through a
    frame that is too big for any chunk makes the interpreter give it a
    chunk of its own, twice the default size: Nova then always starts at
    the same place, with about 30 KiB of stack before the next boundary,
    whatever the WSGI server and the pipeline put above us.

    :param slots: local variable slots of the big frame (8 bytes each)
    """
    names = ' = '.join('_%d' % number for number in range(slots))
    source = ('def call(function, *args):\n'
              '    if False:\n'
              '        %s = None\n'
              '    return function(*args)\n' % names)
    namespace = {}
    exec(compile(source, '<ooi_save stack spacer>', 'exec'), namespace)
    return namespace['call']


if sys.implementation.name == 'cpython':
    #: Just over 32 KiB of locals: a 64 KiB chunk, about 30 KiB left.
    _call_on_fresh_chunk = _fresh_stack_chunk_caller(4200)
else:
    def _call_on_fresh_chunk(function, *args):
        return function(*args)


class Reply:
    """What Nova answered to one call."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body


class NovaAPI:
    """Sub-requests into the Nova application below the filter.

    :param app: nova's WSGI API router
    :param environ: the caller's WSGI environ
    :param counter: a :class:`CallCounter` to account the call in, or None
    """

    def __init__(self, app, environ, counter=None):
        self._app = app
        self._environ = environ
        self._counter = counter
        context = environ.get('nova.context')
        #: The caller's ``nova.context``, or None.
        self.context = context
        self.request_id = getattr(context, 'request_id', None) or \
            environ.get('openstack.request_id')

    def server_path(self, server_id, *below):
        """The compute API path of a server, or of something below it.

        Nova names servers by UUID; anything else the client gives as a
        compute id is no server of Nova's, though it may be one of Nova's
        own paths (``/servers/detail``): it is refused here, as Nova would
        answer it.

        :param server_id: the compute id from the client
        :param below: path segments below the server (``action``,
            ``tags``...)
        :returns: ``/servers/<id>[/...]``
        :raises: NotFound for an id that is not a UUID
        """
        if not service.is_uuid(server_id):
            raise exceptions.NotFound(
                'Instance %s could not be found.' % server_id,
                request_id=self.request_id)
        return '/'.join(('/servers', server_id) + below)

    def call(self, method, path, body=None, params=None, expect=(200,)):
        """Call the compute API.

        :param method: the HTTP method
        :param path: the path below /v2.1, e.g. ``/servers/detail``
        :param body: a JSON-serialisable body, or None
        :param params: query parameters (a dict or list of pairs), or None
        :param expect: the statuses that mean success
        :returns: a :class:`Reply`, its body decoded from JSON
        :raises: an :class:`ooi_save.exceptions.Error` matching Nova's
            status when Nova refuses
        """
        # NOTE: ids and names in the path are the client's: a "?" or a
        # non-ASCII character in them must stay in their segment.
        path = urllib.parse.quote(path, safe='/')
        if params:
            query = urllib.parse.urlencode(params, doseq=True)
            path = '%s?%s' % (path, query)
        host = self._environ.get('HTTP_HOST') or '%s:%s' % (
            self._environ.get('SERVER_NAME', 'localhost'),
            self._environ.get('SERVER_PORT', '80'))
        base_url = '%s://%s/v2.1' % (
            self._environ.get('wsgi.url_scheme', 'http'), host)
        request = webob.Request.blank(path, base_url=base_url, method=method)
        for key in _INHERITED:
            if key in self._environ:
                request.environ[key] = self._environ[key]
        request.headers['OpenStack-API-Version'] = 'compute ' + MICROVERSION
        request.headers['Accept'] = 'application/json'
        if body is not None:
            request.body = json.dumps(body).encode('utf-8')
            request.content_type = 'application/json'
        if self._counter is not None:
            self._counter.nova += 1
        response = _call_on_fresh_chunk(request.get_response, self._app)
        try:
            decoded = json.loads(response.body) if response.body else None
        except ValueError:
            decoded = None
        if response.status_code not in expect:
            raise exceptions.from_status(
                response.status_code, _message(decoded, response),
                request_id=self.request_id)
        return Reply(response.status_code, response.headers, decoded)


def _message(decoded, response):
    """The human message of a Nova error body."""
    message = exceptions.fault_message(decoded)
    if message:
        return message
    text = response.text.strip() if response.body else ''
    return text or 'Nova answered %s' % response.status


class CallCounter:
    """Backend calls made while serving one OCCI request.

    Nova and Glance are always reported; services added since (Neutron)
    only when the request called them, so that ``nova=1, glance=0`` still
    reads as before for what does not touch them.
    """

    def __init__(self):
        self.nova = 0
        self.glance = 0
        self.neutron = 0
        self.cinder = 0

    def header(self):
        """The ``X-OCCI-Backend-Calls`` value.

        Nova and Glance are always named; Neutron and Cinder only when they
        were called.
        """
        parts = ['nova=%d' % self.nova, 'glance=%d' % self.glance]
        for name in ('neutron', 'cinder'):
            if getattr(self, name):
                parts.append('%s=%d' % (name, getattr(self, name)))
        return ', '.join(parts)
