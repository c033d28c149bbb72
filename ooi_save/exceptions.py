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

"""Errors the filter answers with, one class per HTTP status.

Every error carries the status it is answered with; the fault handler in
:mod:`ooi_save.http.faults` is the one place that turns them into responses.
Backend errors keep the request id of the backend call that failed.
"""

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class Error(Exception):
    """Base of every error answered to the client."""

    code = 500
    title = 'Internal Server Error'

    def __init__(self, message=None, request_id=None):
        self.message = message or self.title
        self.request_id = request_id
        super().__init__(self.message)


class BadRequest(Error):
    code = 400
    title = 'Bad Request'


class Unauthorized(Error):
    """Keystone's authtoken refused the credentials.

    :mod:`ooi_save.http.outer` renders that refusal. Not in the status table
    below: a backend's 401 is no refusal of the caller's credentials, which
    authtoken accepted before we ran.
    """

    code = 401
    title = 'Unauthorized'


class Forbidden(Error):
    code = 403
    title = 'Forbidden'


class NotFound(Error):
    code = 404
    title = 'Not Found'


class MethodNotAllowed(Error):
    code = 405
    title = 'Method Not Allowed'

    def __init__(self, message=None, allowed=(), request_id=None):
        super().__init__(message, request_id)
        self.allowed = tuple(allowed)


class NotAcceptable(Error):
    code = 406
    title = 'Not Acceptable'


class Conflict(Error):
    code = 409
    title = 'Conflict'


class RequestEntityTooLarge(Error):
    code = 413
    title = 'Request Entity Too Large'


class UnsupportedMediaType(Error):
    code = 415
    title = 'Unsupported Media Type'


class NotImplementedYet(Error):
    """The request is valid OCCI, but this server or its backend lacks it."""

    code = 501
    title = 'Not Implemented'


class BackendError(Error):
    """The backend failed in a way the client cannot fix."""

    code = 502
    title = 'Bad Gateway'


class ServiceUnavailable(Error):
    """A service we depend on does not answer now; worth trying again.

    Answered with ``Retry-After`` (:attr:`retry_after` seconds).
    """

    code = 503
    title = 'Service Unavailable'

    #: Seconds after which the client may try again (``Retry-After``).
    retry_after = 30


class Unreachable(ServiceUnavailable):
    """A backend service cannot be reached: its name, never its innards.

    What the connection failure said (addresses, library class names) is
    logged, not answered.

    :param service: the service's name as operators know it (``Glance``)
    :param detail: what the failure said, for the log
    :param request_id: the request id, if any
    """

    def __init__(self, service, detail=None, request_id=None):
        self.service = service
        super().__init__('%s cannot be reached; try again later.' % service,
                         request_id=request_id)
        if detail:
            LOG.warning('%s cannot be reached: %s', service, detail)


_BY_STATUS = {cls.code: cls for cls in (
    BadRequest, Forbidden, NotFound, MethodNotAllowed, NotAcceptable,
    Conflict, RequestEntityTooLarge, UnsupportedMediaType,
    NotImplementedYet, ServiceUnavailable)}


def fault_message(decoded):
    """The message of an OpenStack API error body, or None.

    Nova and Cinder answer ``{"itemNotFound": {"code": 404, "message":
    "..."}}``, the key naming the fault.

    :param decoded: the error body decoded from JSON
    """
    if isinstance(decoded, dict):
        for fault in decoded.values():
            if isinstance(fault, dict) and fault.get('message'):
                return fault['message']
    return None


def from_status(status, message, request_id=None):
    """The error for an HTTP status answered by a backend.

    Statuses we have no class for become :class:`BackendError` (5xx) or
    :class:`BadRequest` (other 4xx), so that a backend failure never reaches
    the client as a bare 500.

    :param status: the backend's HTTP status code
    :param message: the backend's own explanation
    :param request_id: the backend's request id, if any
    :returns: an :class:`Error` instance
    """
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = BackendError if status >= 500 else BadRequest
    return cls(message, request_id=request_id)
