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

"""The caller's token and service catalog, as nova's pipeline leaves them.

The services called over HTTP (Glance, Neutron, Cinder) are called with the
caller's own token, at the endpoint of the caller's service catalog unless
the operator names one.
"""

import functools
import json
import os

from keystoneauth1.access import service_catalog
from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import session as ksa_session
from keystoneauth1 import token_endpoint
from oslo_log import log as logging
import requests

from ooi_save import exceptions

LOG = logging.getLogger(__name__)


def catalog(environ):
    """The caller's service catalog (a list of services), maybe empty."""
    context = environ.get('nova.context')
    services = getattr(context, 'service_catalog', None)
    if services:
        return services
    header = environ.get('HTTP_X_SERVICE_CATALOG')
    if header:
        try:
            return json.loads(header)
        except ValueError:
            LOG.warning('Ignoring an X-Service-Catalog that is not JSON')
    return []


def token(environ):
    """The caller's token."""
    context = environ.get('nova.context')
    return getattr(context, 'auth_token', None) or environ.get(
        'HTTP_X_AUTH_TOKEN')


def endpoint(environ, service_type, interface, region, option):
    """The URL of a service from the caller's catalog.

    :param environ: the caller's WSGI environ
    :param service_type: the catalog type (``image``, ``network``), or a
        tuple of types tried in order (``block-storage``, ``volumev3``)
    :param interface: ``public``, ``internal`` or ``admin``
    :param region: the region, or None for any
    :param option: the ``[occi]`` option that overrides the catalog, named
        in the error
    :raises: ServiceUnavailable when the catalog has no such service
    """
    types = (service_type,) if isinstance(service_type, str) else (
        service_type)
    entries = service_catalog.ServiceCatalogV2(catalog(environ))
    for one in types:
        try:
            return entries.url_for(service_type=one, interface=interface,
                                   region_name=region)
        except ksa_exc.EndpointNotFound:
            continue
    raise exceptions.ServiceUnavailable(
        'No %s service in the caller\'s service catalog; set [occi] '
        '%s.' % (types[0], option))


#: The connections to the services, kept open across requests and shared
#: by every request of the process (a pool per host).
#: NOTE(ooi-save): a connection opened per request cost 2 to 3 ms per call
#: on the mini-cloud (the service accepts it, then its worker thread takes
#: it), about a tenth of a listing; keystoneauth's own adapter keeps TCP
#: keep-alive on, as this one does.
_CONNECTIONS = ksa_session.TCPKeepAliveAdapter(pool_connections=16,
                                               pool_maxsize=64)


def token_session(environ, endpoint, on_response=None, timeout=None):
    """A keystoneauth session acting with the caller's token.

    Its HTTP connections come from the process's pool.

    :param environ: the caller's WSGI environ
    :param endpoint: the service's endpoint URL
    :param on_response: called with every HTTP response, to count calls;
        or None
    :param timeout: seconds a call may take, or None
    :returns: a :class:`keystoneauth1.session.Session`
    """
    http = requests.Session()
    http.mount('https://', _CONNECTIONS)
    http.mount('http://', _CONNECTIONS)
    # NOTE(ooi-save): requests reads the proxy variables (and ~/.netrc)
    # of the environment at every call, half a millisecond each; the
    # process's environment does not change, so they are read once.
    http.trust_env = False
    http.proxies = _proxies(endpoint)
    if on_response is not None:
        http.hooks['response'].append(on_response)
    return ksa_session.Session(
        auth=token_endpoint.Token(endpoint, token(environ)), session=http,
        timeout=timeout, verify=_CA_BUNDLE or True)


#: The CA bundle the environment names, as requests would read it.
_CA_BUNDLE = (os.environ.get('REQUESTS_CA_BUNDLE') or
              os.environ.get('CURL_CA_BUNDLE'))


@functools.lru_cache(maxsize=64)
def _proxies(endpoint):
    """The proxies of the environment for an endpoint, read once."""
    return requests.utils.get_environ_proxies(endpoint)
