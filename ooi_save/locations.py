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
``/os_tpl/<id>/``           an image; ``/resource_tpl/<term>/`` a flavor
==========================  ============================================

Clients render ``occi.core.source``, ``occi.core.target`` and the members
of a mixin collection as locations, which :meth:`Locations.id_of` reads.
"""

import urllib.parse


class Locations:
    """The locations below one OCCI root URL.

    :param root_url: absolute URL of the OCCI root, without trailing slash
    """

    def __init__(self, root_url):
        self.root_url = root_url
        #: The path of the root, ``''`` when OCCI is served at the top.
        self.root_path = urllib.parse.urlsplit(root_url).path.rstrip('/')

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

    def below_root(self, location):
        """The path below the root of a location a client gave, or None.

        Accepted: an absolute URL under the root's path (whatever host
        the client reached us by), a path-absolute reference under the
        root's path and, as before, one relative to the root itself
        (``/compute/<id>``). The query and a trailing ``/`` are dropped.
        """
        if not isinstance(location, str):
            return None
        try:
            parts = urllib.parse.urlsplit(location)
        except ValueError:
            return None
        path = parts.path.rstrip('/')
        if self.root_path and path.startswith(self.root_path + '/'):
            return path[len(self.root_path):]
        if parts.scheme or parts.netloc:
            return path if not self.root_path else None
        # NOTE(ooi-save): a path relative to the root, as clients that
        # strip the root render links (``/compute/<id>``).
        return path if path.startswith('/') else None

    def id_of(self, location, collection):
        """The id of the item of a collection at a location, or None.

        :param location: ``occi.core.source``, ``.target`` or a member of
            a mixin collection, as the client rendered it
        :param collection: ``compute``, ``network``, ``storage``...
        """
        path = self.below_root(location)
        prefix = '/%s/' % collection
        if path is None or not path.startswith(prefix):
            return None
        item_id = path[len(prefix):]
        return item_id if item_id and '/' not in item_id else None
