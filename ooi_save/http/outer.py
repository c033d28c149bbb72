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

"""The outer OCCI filter: OCCI's own face on the answers of other filters.

The OCCI filter sits after ``authtoken`` in nova's pipeline, so what is
answered before it (above all authtoken's 401) carries the WSGI server's
``Server`` header and a JSON body no OCCI client asked for. Put this filter
first in the pipeline (``etc/api-paste.ini``, ``occi_head``); below its
``prefix`` it:

* sets ``Server: ooi-save/<version> OCCI/1.2`` on every answer;
* renders the refusals of the filters ahead of the OCCI one in the
  rendering the client negotiates (their message in text/plain, text/occi
  or JSON), keeping ``WWW-Authenticate`` and every other header:
  authtoken's 401, and sizelimit's 413 for a body above
  ``[oslo_middleware] max_request_body_size``.

Answers the OCCI filter made itself already carry that ``Server`` header and
pass untouched; requests outside the prefix are not looked at.

WSGI environ keys read: ``PATH_INFO``; ``openstack.request_id`` when an
earlier filter set it. Headers read: ``Accept``, and the answer's ``Server``,
``Content-Type``. Headers written: ``Server``, and on a re-rendered error
``Content-Type`` and ``Content-Length``.
"""

import json

from oslo_log import log as logging
import webob

from ooi_save import exceptions
from ooi_save.http import faults
from ooi_save.http import negotiation
from ooi_save.http import paste
from ooi_save.http import router
from ooi_save import version

LOG = logging.getLogger(__name__)

#: The answers of other filters rendered as OCCI: status -> (error class,
#: message when the answer has none in JSON).
_RERENDERED = {
    401: (exceptions.Unauthorized,
          'The request you have made requires authentication.'),
    413: (exceptions.RequestEntityTooLarge,
          'The request body is larger than this cloud accepts.'),
}


class OuterFilter:
    """Gives the answers below a prefix OCCI's ``Server`` and refusals.

    The outermost filter of an OCCI pipeline (``occi_head`` in
    api-paste.ini), around the filters ahead of :class:`OCCIFilter
    <ooi_save.http.filter.OCCIFilter>`.

    :param app: the rest of the pipeline
    :param conf: a :class:`ooi_save.config.FilterConfig`; only ``prefix``
        is used, as in the OCCI filter of the same pipeline
    """

    def __init__(self, app, conf):
        self.app = app
        self.prefix = conf.prefix.rstrip('/')

    def __call__(self, environ, start_response):
        if router.below(self.prefix, environ.get('PATH_INFO', '')) is None:
            return self.app(environ, start_response)
        request = webob.Request(environ)
        response = request.get_response(self.app)
        if response.headers.get('Server') != version.SERVER_HEADER:
            if response.status_code in _RERENDERED:
                response = self._error(request, response)
            response.headers['Server'] = version.SERVER_HEADER
        return response(environ, start_response)

    @staticmethod
    def _error(request, response):
        """An error of another filter, rendered as OCCI, headers kept."""
        error_class, default_message = _RERENDERED[response.status_code]
        message = None
        if response.content_type == 'application/json':
            try:
                error = json.loads(response.body).get('error') or {}
                message = error.get('message')
            except (ValueError, AttributeError):
                pass
        try:
            media_type = negotiation.answer_type(request)
        except exceptions.Error:
            media_type = None
        rendered = faults.error_response(
            error_class(message or default_message), media_type,
            request.environ.get('openstack.request_id'))
        for name, value in response.headers.items():
            if name.lower() not in ('content-type', 'content-length'):
                rendered.headers.add(name, value)
        return rendered


def filter_factory(global_conf, **local_conf):
    """paste.deploy factory of the outer filter (``occi_head``).

    :param global_conf: the paste ini's global options
    :param local_conf: the filter section's own options; ``prefix`` as for
        the OCCI filter (an ``[occi]`` option of nova.conf, overridable
        here)
    :returns: a function wrapping a WSGI application in the filter
    """
    return paste.wrapper(OuterFilter, global_conf, local_conf)
