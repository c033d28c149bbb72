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

"""Cinder's block storage API v3, called over HTTP as the caller.

A keystoneauth1 :class:`~keystoneauth1.adapter.Adapter` carries the
caller's own token to the ``block-storage`` (or ``volumev3``) endpoint of
the caller's service catalog, or to ``[occi] cinder_endpoint``; Cinder
enforces its policy on the caller as for a native request. Every call
names the volume API microversion we were written for.

Cinder's refusals keep their status and Cinder's own message, with two
exceptions: Cinder answers 400 ``Invalid volume`` to an action the volume's
state does not allow (deleting a volume in use, say), which is a 409 to
an OCCI client; and a Cinder that cannot be reached is a 503.

The only code that knows a path or a JSON envelope of Cinder's API.
"""

import functools

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ksa_exc

from ooi_save.backend.services import base
from ooi_save import exceptions

#: The volume API microversion of every call: 3.42 extends volumes in use.
MICROVERSION = '3.42'

#: Catalog service types of Cinder's v3 API, the official one first.
SERVICE_TYPES = ('block-storage', 'volumev3')

#: The start of Cinder's message when a volume's state refuses an action.
_WRONG_STATE = ('Invalid volume', 'Invalid input received: Invalid volume')


class CinderAPI(base.ServiceAPI):
    """The block storage API, with the caller's token."""

    name = 'cinder'
    service_type = SERVICE_TYPES

    def _endpoint(self):
        # The operator's endpoint may name the caller's project.
        if self._conf.cinder_endpoint:
            project = getattr(self._environ.get('nova.context'),
                              'project_id', None) or ''
            return self._conf.cinder_endpoint.replace('%(project_id)s',
                                                      project)
        return super()._endpoint()

    @functools.cached_property
    def adapter(self):
        endpoint = self._endpoint().rstrip('/')
        return adapter.Adapter(
            self._session(endpoint), endpoint_override=endpoint,
            global_request_id=self._global_request_id,
            default_microversion=MICROVERSION,
            service_type='block-storage')

    @staticmethod
    def _volume_path(volume_id, *below):
        """The path of a volume, or of something below it.

        Cinder names volumes by UUID; anything else (``detail``, say) is
        no volume, though it may be one of Cinder's own paths.

        :raises: NotFound for an id that is not a UUID
        """
        return base.item_path('volumes', volume_id,
                              'Volume %s could not be found.' % volume_id,
                              *below)

    def check_volume_id(self, volume_id):
        """Refuse (NotFound), as Cinder would, an id that is no UUID."""
        self._volume_path(volume_id)

    def get_volume(self, volume_id):
        """One volume (one call).

        :raises: NotFound
        """
        return self._call('GET', self._volume_path(volume_id))['volume']

    def list_volumes(self, detail=True, limit=None, keep=None):
        """The volumes the caller can see, one call per page.

        :param detail: detailed volumes, or only ids and names
        :param limit: the number of volumes wanted, or None for all
        :param keep: tells whether a volume counts, or None for all
        :returns: an iterator of volume dicts, Cinder's order (newest
            first)
        """
        path = '/volumes/detail' if detail else '/volumes'
        return base.pages(lambda params: self._call('GET', path,
                                                    params=params),
                          'volumes', limit=limit, keep=keep)

    def create_volume(self, fields):
        """Create a volume; returns it as Cinder answers."""
        return self._call('POST', '/volumes', {'volume': fields},
                          expect=(202,))['volume']

    def update_volume(self, volume_id, fields):
        """Rename or describe a volume; returns it."""
        return self._call('PUT', self._volume_path(volume_id),
                          {'volume': fields})['volume']

    def extend_volume(self, volume_id, size):
        """Grow a volume to ``size`` GiB (Cinder does in the background)."""
        self._call('POST', self._volume_path(volume_id, 'action'),
                   {'os-extend': {'new_size': size}}, expect=(202,))

    def delete_volume(self, volume_id):
        """Delete a volume.

        :raises: NotFound, Conflict (in use, or in a state that refuses)
        """
        self._call('DELETE', self._volume_path(volume_id), expect=(202,))

    def _call(self, method, path, body=None, params=None, expect=(200,)):
        """Call Cinder.

        :param method: the HTTP method
        :param path: the path below the project's endpoint, e.g.
            ``/volumes/detail``
        :param body: a JSON-serialisable body, or None
        :param params: query parameters, or None
        :param expect: the statuses that mean success
        :returns: the decoded JSON body, or None when there is none
        :raises: an :class:`ooi_save.exceptions.Error` for Cinder's
            refusals, ServiceUnavailable when Cinder cannot be reached
        """
        try:
            response = self.adapter.request(
                path, method, json=body, params=params, raise_exc=False,
                headers={'Accept': 'application/json'})
        except (ksa_exc.ConnectionError, ksa_exc.RetriableConnectionFailure,
                ksa_exc.UnknownConnectionError) as error:
            raise exceptions.Unreachable('Cinder', error)
        try:
            decoded = response.json() if response.content else None
        except ValueError:
            decoded = None
        if response.status_code in expect:
            return decoded
        message = _message(decoded, response)
        request_id = response.headers.get('x-openstack-request-id')
        if response.status_code == 400 and message.startswith(_WRONG_STATE):
            raise exceptions.Conflict('Cinder: ' + message,
                                      request_id=request_id)
        raise exceptions.from_status(response.status_code,
                                     'Cinder: ' + message,
                                     request_id=request_id)


def _message(decoded, response):
    """The human message of a Cinder error body."""
    message = exceptions.fault_message(decoded)
    if message:
        return message
    text = response.text.strip()[:300] if response.content else ''
    return text or 'Cinder answered %d' % response.status_code
