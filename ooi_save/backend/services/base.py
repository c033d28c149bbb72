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

"""What the service adapters share.

Glance, Neutron and Cinder are each called through a :class:`ServiceAPI`:
it finds the service's endpoint (``[occi] <service>_endpoint``, else the
caller's service catalog), accounts the calls in the request's
:class:`CallCounter` and opens a keystoneauth session with the caller's
token (see :mod:`ooi_save.backend.services.catalog`). Each adapter keeps
only its own wire format and its own errors. :func:`is_uuid` is the check
of an item id that every adapter, Nova's included, makes before calling;
:func:`pages` reads the marker-paged listings of Nova, Cinder and Neutron.
"""

import re
import threading

from ooi_save.backend.services import catalog
from ooi_save import exceptions

UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                  r'[0-9a-f]{12}\Z', re.IGNORECASE)


def is_uuid(item_id):
    """Whether an id from the client is a UUID.

    Nova, Neutron and Cinder name their items by UUID: anything else is no
    item of theirs, though it may be one of their own paths
    (``/servers/detail``), so the adapters refuse it as the service would
    answer it instead of sending it.

    :param item_id: the id, as the client gave it
    """
    return isinstance(item_id, str) and UUID.match(item_id) is not None


def item_path(collection, item_id, refusal, *below, **error):
    """The path of one item named by UUID, or of something below it.

    :param collection: the collection's path segment (``servers``)
    :param item_id: the id from the client
    :param refusal: the NotFound message for an id that is no UUID
    :param below: path segments below the item
    :param error: keyword arguments of the NotFound (``request_id``)
    :returns: ``/<collection>/<id>[/...]``
    :raises: NotFound for an id that is not a UUID
    """
    if not is_uuid(item_id):
        raise exceptions.NotFound(refusal, **error)
    return '/'.join(('/' + collection, item_id) + below)


def pages(fetch, collection, params=None, limit=None, keep=None):
    """The items of a listing paged with markers, read page after page.

    Nova, Cinder and Neutron page alike: a body holds ``<collection>``
    and, when there is more, a ``next`` link in ``<collection>_links``;
    the next page starts after the ``marker``, the last item's id.

    :param fetch: reads one page: called with the query parameters (a
        dict), returns the decoded body
    :param collection: the collection's key in the body (``servers``)
    :param params: query parameters of every page (filters)
    :param limit: the number of items wanted, or None for all of them:
        each page asks for no more than are still wanted
    :param keep: tells whether an item counts (is yielded), or None
    :returns: an iterator of item dicts; a page is read only when the
        items before it have been consumed
    """
    params = dict(params or {})
    kept = 0
    while limit is None or kept < limit:
        if limit is not None:
            params['limit'] = limit - kept
        body = fetch(params) or {}
        page = body.get(collection) or []
        for item in page:
            if keep is None or keep(item):
                kept += 1
                yield item
        if not page or not any(link.get('rel') == 'next' for link in
                               body.get(collection + '_links') or ()):
            return
        params['marker'] = page[-1]['id']


class Reply:
    """What a service answered to one call: status, headers, body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body


class CallCounter:
    """Backend calls made while serving one OCCI request.

    Nova and Glance are always reported; services added since (Neutron,
    Cinder) only when the request called them, so that ``nova=1,
    glance=0`` still reads as before for what does not touch them.
    """

    def __init__(self):
        self.nova = 0
        self.glance = 0
        self.neutron = 0
        self.cinder = 0

    def header(self):
        """The ``X-OCCI-Backend-Calls`` value."""
        parts = ['nova=%d' % self.nova, 'glance=%d' % self.glance]
        for name in ('neutron', 'cinder'):
            if getattr(self, name):
                parts.append('%s=%d' % (name, getattr(self, name)))
        return ', '.join(parts)


_COUNTING = threading.Lock()


class ServiceAPI:
    """One OpenStack service, called over HTTP with the caller's token.

    :param environ: the caller's WSGI environ
    :param conf: the filter's configuration
    :param counter: a :class:`CallCounter`, or None
    """

    #: The service's name: the counter's field, and the prefix of its
    #: ``[occi]`` options ``<name>_endpoint``, ``_interface`` and
    #: ``_region``.
    name = None

    #: The catalog type of the service, or a tuple of types tried in order.
    service_type = None

    def __init__(self, environ, conf, counter=None):
        self._environ = environ
        self._conf = conf
        self._counter = counter

    def _option(self, suffix):
        return getattr(self._conf, '%s_%s' % (self.name, suffix))

    def _endpoint(self):
        """The service's URL: the operator's, else the caller's catalog's.

        :raises: ServiceUnavailable when neither names one
        """
        return self._option('endpoint') or catalog.endpoint(
            self._environ, self.service_type, self._option('interface'),
            self._option('region'), self.name + '_endpoint')

    def endpoint_url(self):
        """The service's URL, as :meth:`_endpoint` finds it.

        :raises: ServiceUnavailable when neither the operator nor the
            caller's catalog names one
        """
        return self._endpoint()

    def _count(self, *response, **hook_arguments):
        """Account one call; also a ``requests`` response hook."""
        if self._counter is not None:
            # Calls of one request may be made from two threads.
            with _COUNTING:
                setattr(self._counter, self.name,
                        getattr(self._counter, self.name) + 1)

    @property
    def _global_request_id(self):
        return getattr(self._environ.get('nova.context'), 'global_id', None)

    def _session(self, endpoint, count_responses=True, timeout=None):
        """A keystoneauth session with the caller's token.

        :param endpoint: the service's endpoint URL
        :param count_responses: account every HTTP response as a call;
            otherwise the adapter calls :meth:`_count` itself
        :param timeout: seconds a call may take, or None
        """
        return catalog.token_session(
            self._environ, endpoint,
            self._count if count_responses else None, timeout=timeout)
