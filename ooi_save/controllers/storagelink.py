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

"""Storagelink: ``/storagelink/`` (attach) and each link below it."""

from ooi_save.controllers import collection


class StorageLinkCollection(collection.LinkCollection):
    """``/storagelink/``: list the links, and attach a volume."""

    def _entities(self, req):
        return req.session.storagelinks()

    def get(self, req):
        links = self._entities(req)
        return collection.listing(
            req, links, lambda window: links.list(window=window))


class StorageLink(collection.Member):
    """``/storagelink/<id>``: one link; DELETE detaches the volume."""

    noun = 'storagelink'

    def _entities(self, req):
        return req.session.storagelinks()
