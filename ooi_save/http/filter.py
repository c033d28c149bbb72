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

"""The OCCI 1.2 paste filter for nova-api.

Put it in nova's api-paste.ini after ``keystonecontext`` (see
``etc/api-paste.ini``). Requests below the configured prefix are answered as
OCCI; everything else goes on to the next application untouched.

The filter calls Nova in-process: its backend sends sub-requests straight
into the WSGI application below it, carrying the caller's ``nova.context``,
so there is no network hop and no second token validation. Glance is called
over HTTP with the caller's own token.

WSGI environ keys read:

* ``nova.context``: the caller's RequestContext, set by nova's
  ``keystonecontext`` filter; its token, user, project and roles.
* ``HTTP_X_SERVICE_CATALOG``: the caller's service catalog, set by
  keystonemiddleware's ``authtoken``, to find Glance.
* ``openstack.request_id``: the request id, echoed in error renderings.

Headers written: ``Server: ooi-save/<version> OCCI/1.2`` on every response
the filter makes, errors included; ``Content-Type``, ``Location``, ``Allow``
and the OCCI rendering headers as the response needs, within the header
budget (:mod:`ooi_save.http.budget`); with ``report_backend_calls``,
``X-OCCI-Backend-Calls: nova=N, glance=M``.
"""

from oslo_log import log as logging
import webob

from ooi_save import backend
from ooi_save import controllers
from ooi_save.http import budget
from ooi_save.http import faults
from ooi_save.http import negotiation
from ooi_save.http import paste
from ooi_save.http import request as occi_request
from ooi_save.http import router
from ooi_save import locations
from ooi_save import version

LOG = logging.getLogger(__name__)


class OCCIFilter:
    """Serves OCCI below a prefix and passes every other request on.

    :param app: the WSGI application below the filter (nova's API router)
    :param conf: a :class:`ooi_save.config.FilterConfig`
    :param backend_factory: builds the backend from (app, conf); tests may
        pass another, production uses :class:`ooi_save.backend.Backend`
    """

    def __init__(self, app, conf, backend_factory=backend.Backend):
        self.app = app
        self.conf = conf
        self.prefix = conf.prefix.rstrip('/')
        self.backend = backend_factory(app, conf)
        self.router = router.Router(controllers.routes(conf))
        self.budget = budget.HeaderBudget(
            conf.header_budget, conf.header_reserve, conf.max_page_size)
        self.backend.start()

    def __call__(self, environ, start_response):
        path = router.below(self.prefix, environ.get('PATH_INFO', ''))
        if path is None:
            return self.app(environ, start_response)
        response = self._serve(webob.Request(environ), path)
        return response(environ, start_response)

    def _serve(self, request, path):
        where = locations.Locations(request.application_url + self.prefix,
                                    path)
        session = self.backend.session(request.environ, where)

        def serve_as(answer_type=None):
            return self._finish(
                self._answer(request, path, session, answer_type), session)
        # NOTE(ooi-save): the one place where the header budget applies: it
        # sees every answer as the filter sends it, errors included.
        return self._finish(
            self.budget.enforce(request, path, serve_as(), serve_as),
            session)

    def _answer(self, request, path, session, answer_type=None):
        """The answer to a request, in the negotiated rendering.

        :param answer_type: None to negotiate the rendering from
            ``Accept`` (and check and read the request); a media type to
            serve the request, already read, again in that one
        """
        try:
            if answer_type is None:
                answer_type = negotiation.answer_type(request)
                negotiation.check_version(request.user_agent,
                                          version.OCCI_VERSION)
                occi_request.read_body(request, self.conf.max_body_size)
            text_path = router.text_path(path)
            handler, params = self.router.find(request.method, text_path)
            occi = occi_request.OCCIRequest(request, text_path, answer_type,
                                            session)
            return handler(occi, **params)
        except Exception as exc:
            return faults.error_response(
                exc, answer_type, request.environ.get('openstack.request_id'))

    def _finish(self, response, session):
        """The headers every answer of the filter carries."""
        if self.conf.report_backend_calls:
            response.headers['X-OCCI-Backend-Calls'] = (
                session.counter.header())
        response.headers['Server'] = version.SERVER_HEADER
        return response


def filter_factory(global_conf, **local_conf):
    """paste.deploy factory of the OCCI filter.

    :param global_conf: the paste ini's global options
    :param local_conf: the filter section's own options; any option of the
        ``[occi]`` group given here overrides nova.conf for this filter
    :returns: a function wrapping a WSGI application in the filter
    """
    return paste.wrapper(OCCIFilter, global_conf, local_conf)
