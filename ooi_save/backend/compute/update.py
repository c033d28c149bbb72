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


"""Updating a compute: rename, rebuild, resize, (dis)associate mixins.

An update renames, rebuilds (another os_tpl), resizes (another
resource_tpl) and (dis)associates user mixins; what the request repeats
unchanged of the compute changes nothing
(:mod:`ooi_save.backend.replacement`).
"""

from ooi_save.backend.compute import create
from ooi_save.backend import replacement
from ooi_save.backend.services import nova as nova_api
from ooi_save.backend import zones
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

#: Attributes given only when a compute is created (ssh_key, user_data):
#: an update ignores them.
CREATE_ONLY = ('occi.credentials.ssh.publickey', 'occi.compute.userdata')

#: The current value of each Nova field an update may set.
_FIELDS_NOW = {
    'name': lambda server: server.get('name'),
    'description': lambda server: server.get('description'),
    'hostname': nova_api.hostname,
}


class Update:
    """Update of :class:`ooi_save.backend.compute.Computes`.

    It uses the checks of :class:`~ooi_save.backend.compute.create.Create`.
    """

    def _placement_kept(self, current, mixins):
        """A request's mixins but the zone and region the compute has.

        :raises: BadRequest for another zone or region: Nova does not
            move a server so
        """
        region = self._session.zones().region_mixin()
        placed = {m.type_id for m in current.mixins + (
            [region] if region is not None else [])
            if zones.Zones.is_placement(m.type_id)}
        for mixin in mixins:
            if zones.Zones.is_placement(mixin) and mixin not in placed:
                raise exceptions.BadRequest(
                    'A compute stays in its availability zone and region: '
                    '%s is not its own.' % mixin)
        return [m for m in mixins if not zones.Zones.is_placement(m)]

    def update(self, server_id, request, replace=False):
        """Change a compute: rename, resize, rebuild, (dis)associate mixins.

        What the request repeats unchanged of the compute (its id, state,
        cores, templates, action links...) changes nothing; see
        :mod:`ooi_save.backend.replacement`.

        :param server_id: the server id
        :param request: the parsed :class:`EntityRequest`
        :param replace: PUT semantics (the request is the whole compute;
            user mixins it leaves out are dissociated)
        :raises: NotFound, BadRequest
        """
        if replace and not request.kind:
            raise exceptions.BadRequest(
                'PUT replaces the whole compute: render it with its kind.')
        server = self.server(server_id)
        if request.kind and request.kind != infra.COMPUTE.type_id:
            raise exceptions.BadRequest('A compute stays a compute.')
        current = self.resource(server)
        attributes = dict(request.attributes or {})
        tags, mixins = self._session.mixins.tags_of(request.mixins,
                                                    infra.COMPUTE)
        mixins = self._placement_kept(current, mixins)
        image_ids, flavor_terms, _others = self._template_terms(
            mixins, 'Mixin %s cannot be applied to an existing compute: '
            'only os_tpl (rebuild), resource_tpl (resize) and user mixins '
            'can.')
        flavor = None
        if flavor_terms:
            try:
                flavor = self._session.templates.flavor_by_term(
                    flavor_terms[0])
            except exceptions.NotFound:
                raise exceptions.BadRequest('Unknown resource template %s.'
                                            % flavor_terms[0])
            self._check_flavor_attributes(attributes, flavor)
        replacement.check_unchanged(
            current, attributes, create.SETTABLE,
            ignored=(create.FROM_FLAVOR if flavor else ()) + CREATE_ONLY)
        changes = self._settable({name: value for name, value in
                                  attributes.items()
                                  if name in create.SETTABLE})
        changes = {field: value for field, value in changes.items()
                   if value != _FIELDS_NOW[field](server)}
        current_image = (server.get('image') or {}).get('id')
        rebuild = image_ids and image_ids[0] != current_image
        if rebuild:
            self._check_image_active(image_ids[0])
        self._session.mixins.retag(server, tags, replace)
        if changes:
            self._nova.update_server(server_id, changes)
        if rebuild:
            self._nova.server_action(server_id, 'rebuild',
                                     {'imageRef': image_ids[0]})
        if flavor is not None and (flavor['name'] != server.get(
                'flavor', {}).get('original_name')):
            self._resize(server_id, flavor)

    def _resize(self, server_id, flavor):
        self._nova.server_action(server_id, 'resize',
                                 {'flavorRef': flavor['id']})
        server = self.wait(server_id, lambda s: s['status'] in (
            'VERIFY_RESIZE', 'ACTIVE', 'ERROR') and not nova_api.task_state(
                s), self._conf.save_stop_timeout)
        if server['status'] == 'VERIFY_RESIZE':
            self._nova.server_action(server_id, 'confirmResize',
                                     expect=(204,))
            # Nova confirms in the background: answer once it is done, so
            # that the client reads the resized compute, not the resize.
            self.wait(server_id, lambda s: s['status'] != 'VERIFY_RESIZE',
                      self._conf.save_stop_timeout)
        elif server['status'] == 'ERROR':
            raise exceptions.BackendError(
                'Nova failed to resize the compute: %s'
                % (server.get('fault') or {}).get('message'))
