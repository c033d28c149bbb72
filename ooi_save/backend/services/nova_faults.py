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

"""What Nova's "Unexpected API Error" means, answered without its innards.

Nova answers an exception it did not expect with a 500 whose message ends
in the exception's Python class (``Unexpected API Error. Please contact
the administrator <class 'nova.exception.GlanceConnectionFailed'>``).
Passed on, that would be our answer: class names and a plea to contact
the administrator. The class tells what happened, and that is what the
client gets instead:

* a service Nova could not reach (Glance, Neutron, Cinder, Keystone, or
  its own message queue): :class:`~ooi_save.exceptions.Unreachable`, 503
  with the service named and ``Retry-After``. Nova's own exceptions name
  the service; keystoneauth's connection failures do not, so the services
  Nova may have called are probed (an HTTP request to each endpoint, any
  answer counts) and the first one that does not answer is named;
* everything else: 502 with Nova's request id, which leads the operator to
  Nova's log, and no class name.

Also what is answered when Nova does not answer at all: a server action
stuck on Nova's message queue (:func:`call_within`, :class:`NoAnswer`).

(A lost race, Nova's ``UnexpectedTaskStateError``, is told apart before:
:class:`ooi_save.backend.services.nova.LostRace`, a 409.)
"""

import re
import threading

from oslo_log import log as logging
import requests

from ooi_save.backend.services import catalog
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: The class name Nova appends to an unexpected error.
_CLASS = re.compile(r"<class '([A-Za-z_][\w.]*)'>")

#: Nova's exceptions that name the service it could not reach.
NAMED = {
    'nova.exception.GlanceConnectionFailed': 'Glance',
    'nova.exception.CinderConnectionFailed': 'Cinder',
}

#: Exceptions (or prefixes) of a connection to a service that failed.
CONNECTION = (
    'keystoneauth1.exceptions.connection.',
    'keystoneauth1.exceptions.http.ServiceUnavailable',
    'keystoneauth1.exceptions.http.BadGateway',
    'keystoneauth1.exceptions.http.GatewayTimeout',
    'keystoneauth1.exceptions.discovery.DiscoveryFailure',
    'keystoneauth1.exceptions.auth.AuthorizationFailure',
    'requests.exceptions.ConnectionError',
    'requests.exceptions.ConnectTimeout',
    'requests.exceptions.ReadTimeout',
    'urllib3.exceptions.',
    'glanceclient.exc.CommunicationError',
    'cinderclient.exceptions.ConnectionError',
    'neutronclient.common.exceptions.ServiceUnavailable',
)

#: Exceptions of Nova's own message queue (RabbitMQ) and RPC.
QUEUE = (
    'oslo_messaging.exceptions.',
    'nova.exception.ComputeServiceUnavailable',
)

#: Seconds Nova may take to answer a server action or a delete before
#: the caller is answered :class:`NoAnswer`.
ACTION_DEADLINE = 15.0


class NoAnswer(exceptions.ServiceUnavailable):
    """Nova did not answer a server action or a delete in time.

    NOTE(ooi-save): Nova hands an action to the compute host over its
    message queue; while RabbitMQ is down, nova-api's send blocks until the
    broker is back (oslo.messaging retries for ever), and the request with
    it. The call goes on in its own thread and the action may still take
    place once the broker answers: the caller is told so, and a deferred
    save's chain watches the server to put it back as it was.
    """

    def __init__(self, what, deadline=ACTION_DEADLINE, request_id=None):
        super().__init__(
            "Nova did not answer %s within %g s: its compute services (its "
            "message queue) cannot be reached. It may still be done once "
            "they answer; try again later." % (what, deadline),
            request_id=request_id)


def call_within(call, deadline, what, request_id=None):
    """Make a call into Nova; give up waiting for it after ``deadline``.

    :param call: calls Nova, returns its response
    :param deadline: seconds to wait
    :param what: what is asked, for the message (``the os-stop of ...``)
    :param request_id: the request id, kept in the error
    :returns: what ``call`` returned
    :raises: NoAnswer when Nova has not answered in time (the call goes on
        in its thread)
    """
    box = {}

    def run():
        try:
            box['response'] = call()
        except BaseException as error:
            box['error'] = error

    worker = threading.Thread(target=run, name='ooi-save-nova-call',
                              daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        LOG.warning('Nova has not answered %s within %g s (is its message '
                    'queue down?)', what, deadline)
        raise NoAnswer(what, deadline, request_id=request_id)
    if 'error' in box:
        raise box['error']
    return box['response']


#: Seconds a probe waits for a service's answer.
PROBE_TIMEOUT = 2.0

#: Which services a Nova path may have called, first the likeliest.
_HINTS = (
    ('/os-volume_attachments', ('cinder',)),
    ('/os-interface', ('neutron',)),
    ('/servers', ('neutron', 'glance', 'cinder')),
)


def class_of(message):
    """The Python class named in an error message of Nova's, or None."""
    found = _CLASS.search(message or '')
    return found.group(1) if found else None


def strip_class(message):
    """A message without the class names Nova may have put in it."""
    return _CLASS.sub('', message or '').strip()


def _matches(name, patterns):
    return any(name == pattern or (pattern.endswith('.') and
                                   name.startswith(pattern))
               for pattern in patterns)


def reachable(url, timeout=PROBE_TIMEOUT):
    """Whether anything answers HTTP at ``url`` (any status counts)."""
    try:
        requests.get(url, timeout=timeout, allow_redirects=False)
    except requests.RequestException as error:
        LOG.debug('Probe of %s failed: %s', url, error)
        return False
    return True


def identity_url(environ):
    """Keystone's URL from the caller's full catalog, or None.

    Nova keeps only the services it calls in its context's catalog;
    authtoken's ``X-Service-Catalog`` header has Keystone too.
    """
    for service in catalog.catalog({'HTTP_X_SERVICE_CATALOG': environ.get(
            'HTTP_X_SERVICE_CATALOG')}):
        if service.get('type') == 'identity':
            for endpoint in service.get('endpoints') or ():
                if endpoint.get('interface') in ('public', None):
                    return endpoint.get('url')
    return None


def unreachable_service(path, adapters, environ):
    """The first service Nova may have called that does not answer.

    :param path: the Nova path of the failed call
    :param adapters: the :class:`~ooi_save.backend.services.base.ServiceAPI`
        adapters that may be probed
    :param environ: the caller's WSGI environ (Keystone's URL)
    :returns: the service's name (``Neutron``), or None
    """
    order = ()
    for prefix, names in _HINTS:
        if prefix in path:
            order = names
            break
    by_name = {adapter.name: adapter for adapter in adapters}
    names = [n for n in order if n in by_name] + sorted(
        n for n in by_name if n not in order)
    for name in names:
        try:
            url = by_name[name].endpoint_url()
        except exceptions.Error:
            continue
        if not reachable(url):
            return name.capitalize()
    keystone = identity_url(environ)
    if keystone and not reachable(keystone):
        return 'Keystone'
    return None


def error_for(status, message, path, request_id, adapters=(), environ=None):
    """The error to answer for a 5xx of Nova's, or None when it is plain.

    :param status: Nova's status
    :param message: Nova's message
    :param path: the Nova path of the call
    :param request_id: the request id, kept in the answer
    :param adapters: the service adapters to probe
    :param environ: the caller's WSGI environ
    :returns: an :class:`ooi_save.exceptions.Error`, or None when the
        message names no class (then Nova's own message is fine to pass)
    """
    name = class_of(message)
    if status < 500 or name is None:
        return None
    LOG.warning('Nova failed a call to %(path)s: %(class)s (request '
                '%(request)s)', {'path': path, 'class': name,
                                 'request': request_id})
    if name in NAMED:
        return exceptions.Unreachable(NAMED[name], request_id=request_id)
    if _matches(name, QUEUE):
        return exceptions.Unreachable(
            "Nova's compute services (its message queue or conductor)",
            request_id=request_id)
    if _matches(name, CONNECTION):
        service = unreachable_service(path, adapters, environ or {})
        return exceptions.Unreachable(
            service or 'A service Nova depends on', request_id=request_id)
    return exceptions.BackendError(
        'Nova failed to serve the request; the operator finds why in '
        "Nova's log under request id %s." % request_id,
        request_id=request_id)
