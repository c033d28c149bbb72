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
        storages = req.session.storages()
        return collection.listing(
            req, storages, lambda window: storages.list(window=window),
            lambda window: storages.list(detail=False, window=window))

    def post(self, req):
        if 'action' in req.params:
            raise exceptions.NotImplementedYet(
                'Cinder has no online or offline state for volumes: '
                'storage actions are not available here.')
        storages = req.session.storages()
        entity = collection.new_entity(req, infra.STORAGE)
        return collection.created(req, storages.create(entity))


class Storage(collection.UpdatableMember):
    """``/storage/<id>``: one storage."""

    noun = 'storage'

    def _entities(self, req):
        return req.session.storages()

    def _updated(self, entities, id, entity, replace):
        # Cinder answers the volume as updated: no second read.
        return entities.update(id, entity, replace=replace)

    def _act(self, req, id):
        term = req.params.get('action')
        if term not in STORAGE_ACTIONS:
            raise exceptions.BadRequest(
                'Unknown storage action %r; storages have %s.'
                % (term, ', '.join(sorted(STORAGE_ACTIONS))))
        storages = req.session.storages()
        storages.volume(id)     # 404 for a storage the caller lacks
        raise exceptions.NotImplementedYet(
            'Cinder cannot bring a volume %s: a volume is online '
            'while it exists; detach it by deleting its storagelink.'
            % term)
