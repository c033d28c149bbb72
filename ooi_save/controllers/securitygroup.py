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

"""Security groups and securitygrouplinks, and each one below them.

``/securitygroup/`` lists and creates groups, ``/securitygroup/<id>``
reads, updates (PUT, POST) and deletes one;
``/securitygrouplink/`` lists the caller's links and creates one (a compute
put in a group), ``/securitygrouplink/<id>`` reads and deletes one. What
each means on Neutron is :mod:`ooi_save.backend.securitygroups` and
:mod:`ooi_save.backend.links.securitygrouplink`.
"""

from ooi_save.controllers import collection
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra


class SecurityGroupCollection:
    """``/securitygroup/``: the caller's groups; create one."""

    def get(self, req):
        groups = req.session.security_groups()
        return collection.listing(req, groups, groups.list,
                                  groups.list_ids)

    def post(self, req):
        groups = req.session.security_groups()
        entity = collection.new_entity(req, infra.SECURITYGROUP)
        group_id = groups.create(entity)
        return collection.created(req, groups.location(group_id),
                                  lambda: groups.get(group_id))


class SecurityGroup(collection.UpdatableMember):
    """``/securitygroup/<id>``: one group."""

    noun = 'security group'

    def _entities(self, req):
        return req.session.security_groups()

    def post(self, req, id):
        if 'action' in req.params:
            raise exceptions.BadRequest(
                'Security groups have no actions; %r is none.'
                % req.params['action'])
        return self._update(req, id)


class SecurityGroupLinkCollection(collection.LinkCollection):
    """``/securitygrouplink/``: the caller's links; create one."""

    def _entities(self, req):
        return req.session.security_group_links()

    def get(self, req):
        return collection.respond(req, self._entities(req).list)


class SecurityGroupLink(collection.Member):
    """``/securitygrouplink/<id>``: one link."""

    noun = 'security group link'

    def _entities(self, req):
        return req.session.security_group_links()
