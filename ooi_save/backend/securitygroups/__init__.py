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

"""OCCI security groups on Neutron security groups and their rules.

A package whose files are its parts: this module reads, creates, updates
and deletes the groups; :mod:`~ooi_save.backend.securitygroups.rules`
turns OCCI's rule objects into Neutron's rules and back. A compute's
membership of a group is :mod:`ooi_save.backend.links.securitygrouplink`.

A group is ``/securitygroup/<Neutron id>``: ``occi.core.title`` is its
name, ``occi.core.summary`` its description, ``occi.securitygroup.rules``
its rules and ``occi.securitygroup.state`` always ``active`` (Neutron's
groups have no state). The caller sees its project's groups, ``default``
among them (Neutron makes it at the first listing).

Calls to Neutron, counted by the unit tests:

* a listing, or one group: one call (Neutron embeds the rules);
* a create: the group (Neutron gives it its two default egress rules),
  then, when the request gives rules, the missing ones in one bulk call
  (Neutron makes all or none) and one call per default rule that is not
  among them. A create without ``occi.securitygroup.rules`` keeps Neutron's
  defaults; with it, the group has exactly the rules given. If any step
  fails the group is deleted again: nothing is left behind;
* an update of the rules: one read, one bulk create of the new rules and
  one call per rule removed; the new rules are made first, so that a
  refusal leaves the group as it was.
"""

from ooi_save.backend import concept
from ooi_save.backend.securitygroups import rules as sg_rules
from ooi_save.backend.services import neutron
from ooi_save import exceptions
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

RULES = sg_rules.ATTRIBUTE
STATE = 'occi.securitygroup.state'

#: Attributes a create or update may carry, besides the rules.
_SETTABLE = {'occi.core.title': 'name', 'occi.core.summary': 'description'}
_IGNORED = ('occi.core.id', STATE)


class SecurityGroups(concept.Concept):
    """The security groups one caller sees.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def location(self, group_id):
        return self._locations.of('securitygroup', group_id)

    def group_id_of(self, reference):
        """The id of the group a reference (a location, or an id) names."""
        return self._locations.id_of(reference, 'securitygroup',
                                     bare_id=True)

    def resource(self, group):
        """The OCCI rendering of a Neutron security group."""
        rendered = [sg_rules.render(rule, self.location) for rule in sorted(
            group.get('security_group_rules') or (), key=sg_rules.order)]
        return entities.Resource(
            kind=infra.SECURITYGROUP, id=group['id'],
            title=group.get('name'), summary=group.get('description') or None,
            attributes={RULES: rendered, STATE: 'active'},
            location=self.location(group['id']))

    def _filters(self):
        if self._session.project_id:
            return {'project_id': self._session.project_id}
        return {}

    def list(self, window=None):
        """The caller's groups, in one Neutron call.

        :param window: ``(start, stop)``, or None for all
        """
        groups = self._neutron.security_groups(**self._filters())
        if window is not None:
            groups = groups[window[0]:window[1]]
        return [self.resource(group) for group in groups]

    def list_ids(self, window=None):
        """The caller's groups as dicts with ``id`` only (one call)."""
        groups = self._neutron.security_groups(fields='id',
                                               **self._filters())
        if window is not None:
            groups = groups[window[0]:window[1]]
        return groups

    def get(self, group_id):
        """One group (one call).

        :raises: NotFound
        """
        return self.resource(self._neutron.get_security_group(group_id))

    def _checked(self, request, creating):
        """The Neutron fields and the rules an OCCI request asks for.

        :returns: ``(fields, rules)``; rules None when not given
        :raises: BadRequest
        """
        if request.kind not in ((None,) if not creating else ()) + (
                infra.SECURITYGROUP.type_id,):
            raise exceptions.BadRequest(
                'A security group stays a security group; the request '
                'renders kind %s.' % request.kind)
        if request.mixins:
            raise exceptions.BadRequest(
                'Mixin %s cannot be applied to a security group here.'
                % ', '.join(sorted(request.mixins)))
        attributes = dict(request.attributes or {})
        wanted = attributes.pop(RULES, None)
        fields = {}
        for name, value in attributes.items():
            if name in _SETTABLE:
                if not isinstance(value, str):
                    raise exceptions.BadRequest('%s must be a string.'
                                                % name)
                fields[_SETTABLE[name]] = value
            elif name not in _IGNORED:
                raise exceptions.BadRequest(
                    'Attribute %s cannot be set on a security group.'
                    % name)
        found = None
        if wanted is not None:
            found = sg_rules.parse(wanted, self.group_id_of)
        return fields, found

    def create(self, request):
        """Make a group with the request's rules.

        :param request: the parsed :class:`EntityRequest`
        :returns: the new group's id
        :raises: BadRequest, Neutron's refusals (over quota: 409)
        """
        fields, wanted = self._checked(request, creating=True)
        fields.setdefault('name', 'occi-securitygroup')
        group = self._neutron.create_security_group(fields)
        if wanted is not None:
            try:
                self._apply(group, wanted)
            except Exception:
                with neutron.undoing():
                    self._neutron.delete_security_group(group['id'],
                                                        missing_ok=True)
                raise
        return group['id']

    def update(self, group_id, request, replace=False):
        """Rename a group or change its rules.

        :param replace: PUT (the rendering is the whole group) or POST
        :raises: NotFound, BadRequest
        """
        if replace and not request.kind:
            raise exceptions.BadRequest(
                'PUT replaces the whole security group: render it with its '
                'kind.')
        fields, wanted = self._checked(request, creating=False)
        group = self._neutron.get_security_group(group_id)
        changed = {k: v for k, v in fields.items() if group.get(k) != v}
        if changed:
            self._neutron.update_security_group(group_id, changed)
        if wanted is not None:
            self._apply(group, wanted)

    def _apply(self, group, wanted):
        """Give a group exactly the wanted rules: add first, then remove."""
        existing = [(sg_rules.key(rule), rule)
                    for rule in group.get('security_group_rules') or ()]
        present = {rule_key for rule_key, _rule in existing}
        keys = {sg_rules.key(rule) for rule in wanted}
        missing = [dict({k: v for k, v in rule.items() if v is not None},
                        security_group_id=group['id'])
                   for rule in wanted if sg_rules.key(rule) not in present]
        made = []
        if missing:
            made = self._neutron.create_security_group_rules(missing)
        try:
            for rule_key, rule in existing:
                if rule_key not in keys:
                    self._neutron.delete_security_group_rule(
                        rule['id'], missing_ok=True)
        except Exception:
            with neutron.undoing():
                for rule in made:
                    self._neutron.delete_security_group_rule(
                        rule['id'], missing_ok=True)
            raise

    def delete(self, group_id):
        """Delete a group and its rules.

        :raises: NotFound; Conflict while a compute is in it (Neutron's)
        """
        self._neutron.delete_security_group(group_id)
