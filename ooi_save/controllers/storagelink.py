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


class StorageLinkCollection:
    """``/storagelink/``: list the links, and attach a volume."""

    def get(self, req):
        links = req.backend.storagelinks()
        return collection.listing(
            req, links, lambda window: links.list(window=window))

    def post(self, req):
        links = req.backend.storagelinks()
        # The answer shows the attaching, in every rendering that can.
        return collection.created(
            req, links.create(req.parse_entity()), in_text=True)


class StorageLink(collection.Member):
    """``/storagelink/<id>``: one link; DELETE detaches the volume."""

    what = 'a storagelink'

    def _entities(self, req):
        return req.backend.storagelinks()
