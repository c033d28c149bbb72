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

"""What goes wrong when talking to an OCCI server, as one exception type.

:class:`ClientError` carries what a user needs on one line: the server's
own OCCI error text, the HTTP status and the request id (from the error
rendering, else nova's ``X-OpenStack-Request-Id`` / ``X-Compute-Request-Id``
headers). :func:`from_response` reads it from any rendering with the
parsers of :mod:`ooi_save.occi.parsing`.
"""

from ooi_save.occi import exceptions as occi_exceptions
from ooi_save.occi import parsing

_REQUEST_ID_HEADERS = ('X-OpenStack-Request-Id', 'X-Compute-Request-Id',
                       'X-Openstack-Request-Id')


class ClientError(Exception):
    """An OCCI request that failed, or a client-side refusal.

    :param message: what went wrong, in the server's words when it said
    :param status: the HTTP status, or None for an error found before or
        without an answer
    :param request_id: the request id of the answer, if any
    """

    def __init__(self, message, status=None, request_id=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.request_id = request_id

    def __str__(self):
        text = self.message or 'no message'
        if self.status is not None:
            text = 'HTTP %s: %s' % (self.status, text)
        if self.request_id:
            text = '%s (request %s)' % (text, self.request_id)
        return text


class NotFound(ClientError):
    """Nothing of that name or id."""


class Ambiguous(ClientError):
    """A name that several entities or templates carry."""


class WaitTimeout(ClientError):
    """A ``--wait`` that ran out of time; the server's work goes on."""


def from_response(response):
    """The :class:`ClientError` of an error answer.

    :param response: a ``requests.Response`` with a status of 400 or more
    :returns: a :class:`ClientError` (:class:`NotFound` for 404)
    """
    content_type = response.headers.get('Content-Type', '')
    try:
        parser = parsing.parser_for(content_type)
    except occi_exceptions.UnsupportedMediaType:
        # HTML or nothing from a proxy, nova's own JSON faults...
        parser = parsing.parser_for('text/plain')
    body = response.content or b''
    message, request_id = None, None
    if not content_type.startswith('application/occi+json'):
        message = _nova_fault(response)
    if message is None:
        message, request_id = parser.error(response.headers, body)
    if not message:
        message = response.reason or 'no message'
    if not request_id:
        for header in _REQUEST_ID_HEADERS:
            if response.headers.get(header):
                request_id = response.headers[header]
                break
    error = NotFound if response.status_code == 404 else ClientError
    return error(' '.join(message.split())[:500], response.status_code,
                 request_id)


def _nova_fault(response):
    """The message of a fault in nova's or keystone's own JSON.

    Such as ``{"itemNotFound": {"message": ...}}``, outside OCCI's prefix.
    """
    try:
        (fault,) = response.json().values()
        return str(fault['message'])
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
