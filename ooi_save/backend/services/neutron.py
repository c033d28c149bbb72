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

"""Neutron's networking API v2.0, called over HTTP as the caller.

A keystoneauth1 :class:`~keystoneauth1.adapter.Adapter` over a session
holding the caller's own token, at the ``network`` endpoint of the caller's
catalog (``[occi] neutron_endpoint`` overrides it): Neutron shows and lets
the caller touch exactly what it would natively. keystoneauth1 is already
what Glance is called through; openstacksdk's network proxy would add a
large dependency and a resource layer over the same JSON, and
python-neutronclient's Python bindings are deprecated.

The only code that knows a path or a JSON envelope of Neutron's API: the
concepts call one method per resource and verb (``ports(**filters)``,
``get_network(id)``, ``create_floating_ip(fields)``...), as openstacksdk's
network proxy has them.

Errors: Neutron's 4xx keep their status and Neutron's own message (quota
exceeded, no more addresses, a network in use are 409); a Neutron that
cannot be reached answers 503, one that fails answers 502.
"""

import functools
import urllib.parse

from keystoneauth1 import adapter as ksa_adapter
from keystoneauth1 import exceptions as ksa_exc
from oslo_log import log as logging

from ooi_save.backend.services import base
from ooi_save import exceptions

LOG = logging.getLogger(__name__)

#: Seconds a Neutron call may take before it is given up (503).
TIMEOUT = 60

#: Items asked for in one page of a Neutron listing.
PAGE_SIZE = 1000

#: Resource names, as in the ``(resource, id)`` pairs of what the
#: concepts make and :meth:`NeutronAPI.delete_all` deletes.
PORT = 'port'
FLOATING_IP = 'floatingip'


def _lister(collection):
    def list_items(self, **filters):
        return self._list(collection, **filters)
    list_items.__doc__ = (
        'Every item of ``%s`` the caller sees: a list of dicts.\n\n'
        '        :param filters: Neutron filters; a list value repeats the '
        'filter\n            (``device_id=[a, b]`` matches either)\n'
        % collection)
    return list_items


def _getter(resource):
    def show(self, item_id):
        return self._call('GET', self._item_path(resource, item_id))[
            resource]
    show.__doc__ = 'One %s.\n\n        :raises: NotFound\n' % resource
    return show


def _deleter(resource):
    def delete(self, item_id, missing_ok=False):
        self._delete(resource, item_id, missing_ok)
    delete.__doc__ = ('Delete a %s.\n\n        :param missing_ok: one '
                      'already gone is no error\n        :raises: NotFound\n'
                      % resource)
    return delete


def _creator(resource):
    def create(self, fields):
        return self._call('POST', '/%ss' % resource, {resource: fields},
                          expect=(201,))[resource]
    create.__doc__ = 'Create a %s from its fields; returns it.' % resource
    return create


class NeutronAPI(base.ServiceAPI):
    """The networking API, with the caller's token."""

    name = 'neutron'
    service_type = 'network'

    @property
    def available(self):
        """Whether the caller's cloud has a Neutron to call."""
        if self._conf.neutron_endpoint:
            return True
        try:
            self._endpoint()
        except exceptions.ServiceUnavailable:
            return False
        return True

    @functools.cached_property
    def adapter(self):
        endpoint = self._endpoint().rstrip('/')
        # NOTE(ooi-save): each call is counted as it is made (see _call()), not
        # as its response arrives: a call to an unreachable Neutron counts.
        session = self._session(endpoint, count_responses=False,
                                timeout=TIMEOUT)
        return ksa_adapter.Adapter(
            session, endpoint_override=endpoint + '/v2.0',
            global_request_id=self._global_request_id, logger=LOG)

    def _call(self, method, path, body=None, params=None, expect=(200,),
              headers=None):
        """One Neutron call.

        :param method: the HTTP method
        :param path: the path below ``/v2.0``, e.g. ``/ports``
        :param body: a JSON-serialisable body, or None
        :param params: query parameters (a dict or list of pairs)
        :param expect: the statuses that mean success
        :param headers: more request headers (``If-Match``), or None
        :returns: the decoded JSON body, or None when there is none
        :raises: an :class:`ooi_save.exceptions.Error`: Neutron's status
            and message for its refusals, ServiceUnavailable when it
            cannot be reached, BackendError when it fails
        """
        if params:
            path = '%s?%s' % (path, urllib.parse.urlencode(params,
                                                           doseq=True))
        self._count()
        try:
            response = self.adapter.request(
                path, method, json=body, raise_exc=False,
                headers=dict(headers or {}, Accept='application/json'))
        except ksa_exc.ConnectionError as error:
            raise exceptions.Unreachable('Neutron', error)
        if response.status_code not in expect:
            raise exceptions.from_status(
                response.status_code, 'Neutron: %s' % _message(response),
                request_id=response.headers.get('X-OpenStack-Request-ID'))
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise exceptions.BackendError(
                'Neutron answered %s with a body that is not JSON.'
                % response.status_code)

    def _list(self, collection, **filters):
        params = [(key, value) for key, values in sorted(filters.items())
                  for value in (values if isinstance(values, (list, tuple))
                                else [values])]

        def page(query):
            marker = [('marker', query['marker'])] if 'marker' in query \
                else []
            return self._call('GET', '/' + collection, params=params + [
                ('limit', PAGE_SIZE)] + marker)
        return list(base.pages(page, collection))

    @staticmethod
    def _item_path(resource, item_id):
        """The path of one item; Neutron names every item by UUID.

        NOTE(ooi-save): anything else is refused here, as Neutron would
        answer it, not sent: Neutron answers 500 to some such ids (a NUL
        byte).

        :raises: NotFound for an id that is not a UUID
        """
        return base.item_path(resource + 's', item_id,
                              'No %s %r here.' % (resource, item_id))

    networks = _lister('networks')
    subnets = _lister('subnets')
    ports = _lister('ports')
    floating_ips = _lister('floatingips')
    routers = _lister('routers')

    get_network = _getter('network')
    get_port = _getter('port')
    get_floating_ip = _getter(FLOATING_IP)

    create_network = _creator('network')
    create_subnet = _creator('subnet')
    create_port = _creator(PORT)
    create_floating_ip = _creator(FLOATING_IP)

    def update_network(self, network_id, fields):
        """Change a network's fields; returns it."""
        return self._call('PUT', self._item_path('network', network_id),
                          {'network': fields})['network']

    def update_floating_ip(self, floating_ip_id, fields, revision=None):
        """Change a floating IP's fields (``port_id``); returns it.

        :param revision: the ``revision_number`` the floating IP must still
            have (Neutron's ``revision-if-match``), or None
        :raises: Conflict when it changed since that revision (Neutron
            answers 412), NotFound
        """
        headers = None
        if revision is not None:
            headers = {'If-Match': 'revision_number=%s' % revision}
        # NOTE(ooi-save): 412 is taken as an answer, not an error, so that it
        # becomes the Conflict it is for a client (another request won).
        body = self._call(
            'PUT', self._item_path(FLOATING_IP, floating_ip_id),
            {FLOATING_IP: fields}, expect=(200, 412), headers=headers)
        if not isinstance(body, dict) or FLOATING_IP not in body:
            raise exceptions.Conflict(
                'Floating IP %s changed meanwhile: another request got '
                'there first.' % floating_ip_id)
        return body[FLOATING_IP]

    def _delete(self, resource, item_id, missing_ok=False):
        try:
            self._call('DELETE', self._item_path(resource, item_id),
                       expect=(204,))
        except exceptions.NotFound:
            if not missing_ok:
                raise

    def delete_all(self, made):
        """Delete ``(resource, id)`` pairs, floating IPs before ports.

        Items already gone are no error.
        """
        for resource, item_id in sorted(
                made, key=lambda item: item[0] != FLOATING_IP):
            self._delete(resource, item_id, missing_ok=True)

    delete_network = _deleter('network')
    delete_floating_ip = _deleter(FLOATING_IP)

    # Security groups and their rules: their paths are hyphenated, their
    # JSON keys are not.

    def security_groups(self, **filters):
        """Every security group the caller sees, rules embedded.

        :param filters: Neutron filters (``project_id``, ``fields``...); a
            list value repeats the filter
        """
        params = [(key, value) for key, values in sorted(filters.items())
                  for value in (values if isinstance(values, (list, tuple))
                                else [values])]

        def page(query):
            marker = [('marker', query['marker'])] if 'marker' in query \
                else []
            return self._call('GET', '/security-groups', params=params + [
                ('limit', PAGE_SIZE)] + marker)
        return list(base.pages(page, 'security_groups'))

    @staticmethod
    def _group_path(group_id):
        return base.item_path('security-groups', group_id,
                              'No security group %r here.' % group_id)

    def get_security_group(self, group_id):
        """One security group, its rules embedded.

        :raises: NotFound
        """
        return self._call('GET', self._group_path(group_id))[
            'security_group']

    def create_security_group(self, fields):
        """Create a security group; returns it with Neutron's own rules."""
        return self._call('POST', '/security-groups',
                          {'security_group': fields},
                          expect=(201,))['security_group']

    def update_security_group(self, group_id, fields):
        """Change a security group's name or description; returns it."""
        return self._call('PUT', self._group_path(group_id),
                          {'security_group': fields})['security_group']

    def delete_security_group(self, group_id, missing_ok=False):
        """Delete a security group and its rules.

        :raises: NotFound, Conflict while a port is in it
        """
        try:
            self._call('DELETE', self._group_path(group_id), expect=(204,))
        except exceptions.NotFound:
            if not missing_ok:
                raise

    def create_security_group_rules(self, rules):
        """Create rules in one bulk call: Neutron makes all or none.

        :param rules: the rules' fields, ``security_group_id`` included
        :returns: the new rules
        """
        return self._call('POST', '/security-group-rules',
                          {'security_group_rules': list(rules)},
                          expect=(201,))['security_group_rules']

    def delete_security_group_rule(self, rule_id, missing_ok=False):
        """Delete one rule.

        :raises: NotFound
        """
        path = base.item_path('security-group-rules', rule_id,
                              'No security group rule %r here.' % rule_id)
        try:
            self._call('DELETE', path, expect=(204,))
        except exceptions.NotFound:
            if not missing_ok:
                raise

    def update_port(self, port_id, fields, revision=None):
        """Change a port's fields; returns it.

        :param revision: the ``revision_number`` the port must still have,
            or None: Neutron refuses the change (412) when another change
            came first
        :returns: the port, or None when Neutron refused it so
        :raises: NotFound
        """
        headers = None
        if revision is not None:
            headers = {'If-Match': 'revision_number=%s' % revision}
        answer = self._call('PUT', self._item_path('port', port_id),
                            {'port': fields}, headers=headers,
                            expect=(200, 412))
        return (answer or {}).get('port')

    def add_router_interface(self, router_id, subnet_id):
        """Plug a subnet into a router."""
        self._call('PUT', '/routers/%s/add_router_interface' % router_id,
                   {'subnet_id': subnet_id})

    def remove_router_interface(self, router_id, subnet_id):
        """Unplug a subnet from a router."""
        self._call('PUT', '/routers/%s/remove_router_interface'
                   % router_id, {'subnet_id': subnet_id})


def _message(response):
    """Neutron's own explanation of a refusal."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        fault = body.get('NeutronError')
        if isinstance(fault, dict) and fault.get('message'):
            return fault['message']
        if isinstance(fault, str):
            return fault
        for value in body.values():
            if isinstance(value, dict) and value.get('message'):
                return value['message']
    text = (response.text or '').strip()
    return text[:300] or 'answered %s' % response.status_code


class undoing:
    """Undo what a failed request made, without hiding why it failed.

    ``with undoing(): ...`` inside an ``except`` block runs the clean-up;
    an error of the clean-up itself is logged, and the original error is
    re-raised by the ``except`` block as it would have been.
    """

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is not None:
            LOG.warning('Undoing a failed request failed too: %s', error)
        return True
