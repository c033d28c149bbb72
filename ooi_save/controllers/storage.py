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

"""Storage: the collection at ``/storage/`` and each storage below it."""

from ooi_save.controllers import collection
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

STORAGE_ACTIONS = {action.term: action for action in (
    infra.STORAGE_ONLINE, infra.STORAGE_OFFLINE)}


class StorageCollection:
    """``/storage/``: list and create storages."""

    def get(self, req):
        storages = req.backend.storages()
        return collection.listing(
            req, storages, lambda window: storages.list(window=window),
            lambda window: storages.list(detail=False, window=window))

    def post(self, req):
        if 'action' in req.params:
            raise exceptions.NotImplementedYet(
                'Cinder has no online or offline state for volumes: '
                'storage actions are not available here.')
        storages = req.backend.storages()
        entity = req.parse_entity()
        if entity.kind != infra.STORAGE.type_id:
            raise exceptions.BadRequest(
                'Only storages can be created here; the request renders '
                'kind %s.' % entity.kind)
        return collection.created(req, storages.create(entity))


class Storage(collection.Member):
    """``/storage/<id>``: one storage."""

    what = 'a storage'

    def _entities(self, req):
        return req.backend.storages()

    def put(self, req, id):
        req.will_answer('the updated storage')
        storages = req.backend.storages()
        return req.respond(req.renderer.entity(
            storages.update(id, req.parse_entity(), replace=True)))

    def post(self, req, id):
        storages = req.backend.storages()
        if 'action' in req.params:
            req.will_answer('the outcome of an action')
            term = req.params.get('action')
            if term not in STORAGE_ACTIONS:
                raise exceptions.BadRequest(
                    'Unknown storage action %r; storages have %s.'
                    % (term, ', '.join(sorted(STORAGE_ACTIONS))))
            storages.volume(id)     # 404 for a storage the caller lacks
            raise exceptions.NotImplementedYet(
                'Cinder cannot bring a volume %s: a volume is online '
                'while it exists; detach it by deleting its storagelink.'
                % term)
        req.will_answer('the updated storage')
        return req.respond(req.renderer.entity(
            storages.update(id, req.parse_entity())))
