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

"""The one place where errors become responses.

Errors we raise on purpose (:class:`ooi_save.exceptions.Error` and the OCCI
layer's :class:`ooi_save.occi.exceptions.OCCIError`) are answered with their
status and message in the negotiated rendering. Anything else is a bug: it is
logged with its traceback and answered with a bare 500 that reveals nothing.
A 503 (a service we depend on cannot be reached) carries ``Retry-After``.
"""

from oslo_log import log as logging
import webob

from ooi_save import exceptions
from ooi_save.occi import exceptions as occi_exceptions
from ooi_save.occi import rendering

LOG = logging.getLogger(__name__)

FALLBACK_TYPE = 'text/plain'


def _render_error(media_type, status, message, request_id):
    try:
        return rendering.renderer_for(media_type).error(
            status, message, request_id)
    except occi_exceptions.OCCIError:
        # NOTE(ooi-save): text/uri-list has no error rendering; plain text has
        # one.
        return rendering.renderer_for(FALLBACK_TYPE).error(
            status, message, request_id)


def error_response(exc, media_type=None, request_id=None):
    """Turn an exception into an error response.

    :param exc: the exception raised while serving the request
    :param media_type: the negotiated answer type, if negotiation got so far
    :param request_id: the request id of the whole request
    :returns: a :class:`webob.Response`
    """
    media_type = media_type or FALLBACK_TYPE
    if isinstance(exc, (exceptions.Error, occi_exceptions.OCCIError)):
        status = exc.code
        message = str(exc)
        request_id = getattr(exc, 'request_id', None) or request_id
        if status >= 500:
            LOG.warning('Answering %(status)s: %(message)s',
                        {'status': status, 'message': message})
        else:
            LOG.info('Answering %(status)s: %(message)s',
                     {'status': status, 'message': message})
    else:
        LOG.exception('Unexpected error while serving an OCCI request')
        status = 500
        message = 'The server failed to serve the request.'
    rendered = _render_error(media_type, status, message, request_id)
    response = webob.Response(status=status, body=rendered.body,
                              content_type=None)
    response.headers['Content-Type'] = rendered.content_type
    for name, value in rendered.headers:
        response.headers.add(name, value)
    if isinstance(exc, exceptions.MethodNotAllowed) and exc.allowed:
        response.headers['Allow'] = ', '.join(exc.allowed)
    if status == 503:
        # NOTE(ooi-save): a 503 is always worth trying again; the client
        # is told when (RFC 9110, 10.2.3).
        response.headers['Retry-After'] = str(getattr(
            exc, 'retry_after', exceptions.ServiceUnavailable.retry_after))
    return response
