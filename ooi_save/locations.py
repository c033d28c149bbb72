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


"""Where OCCI entities live: every location built and parsed in one place.

A request makes one :class:`Locations` from its root URL (the filter's
prefix below nova-api's URL) and hands it to the backend session, so that
nothing below passes the root URL around. Locations:

==========================  ============================================
``/compute/<id>``           a Nova server
``/network/<id>``           a Neutron network
``/storage/<id>``           a Cinder volume
``/networkinterface/<id>``  a port (its id) or a floating IP (``fip_<id>``)
``/storagelink/<s>_<v>``    volume ``v`` attached to server ``s``
``/securitygroup/<id>``     a Neutron security group
``/securitygrouplink/...``  ``<s>_<g>``: server ``s``'s ports in group ``g``
``/ipreservation/<id>``     a floating IP the project keeps
``/os_tpl/<id>/``           an image; ``/resource_tpl/<term>/`` a flavor
==========================  ============================================

Every reference a client gives (``occi.core.source`` and ``.target``,
``Link`` targets, ``X-OCCI-Location`` and the other listings of a mixin
collection, the location of a new mixin) is resolved against the URL of
its request by :meth:`Locations.path_of`, and :meth:`Locations.id_of`
reads the id of an item from it: no other code parses a location.
"""

import urllib.parse


class Locations:
    """The locations below one OCCI root URL.

    :param root_url: absolute URL of the OCCI root, without trailing slash
    :param request_path: the path of the request below the root, as
        WSGI gives it (``/storagelink/``), which relative references are
        resolved against; None for the root
    """

    def __init__(self, root_url, request_path=None):
        self.root_url = root_url
        #: The path of the root, ``''`` when OCCI is served at the top.
        self.root_path = urllib.parse.urlsplit(root_url).path.rstrip('/')
        #: What relative references are resolved against: the URL the
        #: request was sent to, else the root.
        self.base_url = root_url + urllib.parse.quote(
            request_path or '/', safe='/', encoding='latin-1')

    def url(self, path):
        """The absolute URL of a path below the root (``/compute/``)."""
        return self.root_url + path

    def of(self, collection, item_id):
        """The location of an item of a collection: ``<root>/<c>/<id>``."""
        return '%s/%s/%s' % (self.root_url, collection, item_id)

    def compute(self, server_id):
        return self.of('compute', server_id)

    def network(self, network_id):
        return self.of('network', network_id)

    def storage(self, volume_id):
        return self.of('storage', volume_id)

    def networkinterface(self, link_id):
        return self.of('networkinterface', link_id)

    def storagelink(self, link_id):
        return self.of('storagelink', link_id)

    def os_tpl(self, image_id):
        return '%s/os_tpl/%s/' % (self.root_url, image_id)

    def resource_tpl(self, term):
        return '%s/resource_tpl/%s/' % (self.root_url, term)

    def path_of(self, reference):
        """The path below the root that a reference a client gave names.

        Every reference a request carries is read here: ``occi.core.source``
        and ``.target`` (in attributes, ``Link`` lines and JSON), the
        members of a mixin collection (``X-OCCI-Location``,
        text/uri-list, JSON) and the location of a new mixin. It is
        resolved against the request's URL (RFC 3986, section 5.2), so
        that each of these names the same place:

        * an absolute URL under the root's path, whatever host the client
          reached us by (a proxy's, a node's own);
        * a path-absolute reference under the root's path
          (``/occi1.2/compute/<id>``);
        * a relative one (``../compute/<id>`` from ``/occi1.2/storagelink/``);
        * and, as before, a path relative to the root itself
          (``/compute/<id>``), as clients that strip the root render them.

        :param reference: the reference, as the client rendered it
        :returns: the path below the root (``/compute/<id>``, a trailing
            ``/`` kept, query and fragment dropped), or None when it
            names nothing below the root
        """
        if not isinstance(reference, str) or not reference.strip():
            return None
        reference = reference.strip()
        try:
            resolved = urllib.parse.urlsplit(
                urllib.parse.urljoin(self.base_url, reference))
            given = urllib.parse.urlsplit(reference)
        except ValueError:
            return None
        if resolved.scheme not in ('http', 'https'):
            return None
        path = resolved.path
        if not self.root_path:
            return path or '/'
        if path == self.root_path or path.startswith(self.root_path + '/'):
            return path[len(self.root_path):] or '/'
        if not (given.scheme or given.netloc) and given.path.startswith('/'):
            # NOTE(ooi-save): a path-absolute reference outside the root's
            # path is read relative to the root (``/compute/<id>``): clients
            # that strip the root render links so.
            return path
        return None

    def id_of(self, reference, collection, bare_id=False):
        """The id of the item of a collection a reference names, or None.

        :param reference: ``occi.core.source``, ``.target`` or a member of
            a mixin collection, as the client rendered it (see
            :meth:`path_of`)
        :param collection: ``compute``, ``network``, ``storage``...
        :param bare_id: also take a reference that is one path segment
            (``<id>``) for the id of an item of the collection
        """
        path = self.path_of(reference)
        prefix = '/%s/' % collection
        if path is not None and path.startswith(prefix):
            item_id = path[len(prefix):].rstrip('/')
            if item_id and '/' not in item_id:
                return item_id
        if bare_id and isinstance(reference, str):
            reference = reference.strip()
            if reference and not set(reference) & set('/?#:'):
                return reference
        return None
