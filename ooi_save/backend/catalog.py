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

The services called over HTTP (Glance, Neutron) are called with the
caller's own token, at the endpoint of the caller's service catalog unless
the operator names one.
"""

import json

from keystoneauth1.access import service_catalog
from keystoneauth1 import exceptions as ksa_exc
from oslo_log import log as logging

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
    :param service_type: the catalog type (``image``, ``network``)
    :param interface: ``public``, ``internal`` or ``admin``
    :param region: the region, or None for any
    :param option: the ``[occi]`` option that overrides the catalog, named
        in the error
    :raises: ServiceUnavailable when the catalog has no such service
    """
    try:
        return service_catalog.ServiceCatalogV2(catalog(environ)).url_for(
            service_type=service_type, interface=interface,
            region_name=region)
    except ksa_exc.EndpointNotFound:
        raise exceptions.ServiceUnavailable(
            'No %s service in the caller\'s service catalog; set [occi] '
            '%s.' % (service_type, option))
