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


"""Keystone's trusts API, called as the trustee of deferred saves.

The only code that knows a path or a JSON body of Keystone's API: the
trustee's own authentication (``[occi_trustee]`` of nova.conf), creating
and deleting a trust with the trustor's token, and authenticating scoped
to a trust. What a trust is for, how long it lasts and what a worker makes
of its token is :mod:`ooi_save.backend.save.delegation`'s.

The trustee must authenticate with a password-like plugin that accepts a
``trust_id`` (``password``, ``v3password``); its project scope, if any, is
replaced by the trust.
"""

import urllib.parse

from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin as ksa_plugin
from oslo_log import log as logging

from ooi_save import opts

GROUP = opts.TRUSTEE_GROUP

#: Options of the trustee's plugin that scope a token: a trust replaces them.
_SCOPE_OPTIONS = ('project_id', 'project_name', 'project_domain_id',
                  'project_domain_name', 'domain_id', 'domain_name',
                  'system_scope', 'default_domain_id',
                  'default_domain_name')

LOG = logging.getLogger(__name__)


class TrustRefused(Exception):
    """Keystone answered a trust request with an error status.

    :param status: the HTTP status
    :param message: Keystone's explanation
    """

    def __init__(self, status, message):
        super().__init__(status, message)
        self.status = status
        self.message = message


class KeystoneAPI:
    """Keystone, as the trustee configured in ``[occi_trustee]``.

    :param conf: the oslo.config object holding ``[occi_trustee]``
    :param auth: the trustee's keystoneauth plugin
    :param session: a keystoneauth session
    """

    def __init__(self, conf, auth, session):
        self._conf = conf
        self.auth = auth
        self.session = session
        self._user_id = None

    @classmethod
    def from_conf(cls, conf):
        """The trustee configured in ``[occi_trustee]``, or None.

        :param conf: the oslo.config object (nova's CONF)
        """
        opts.register_trustee_opts(conf)
        auth = ks_loading.load_auth_from_conf_options(conf, GROUP)
        if auth is None:
            LOG.info('No [%s] auth_type: deferred saves resumed without a '
                     'caller wait for a read of the compute', GROUP)
            return None
        session = ks_loading.load_session_from_conf_options(
            conf, GROUP, auth=auth)
        return cls(conf, auth, session)

    @property
    def user_id(self):
        """The trustee's user id (one authentication, then remembered)."""
        if self._user_id is None:
            self._user_id = self.auth.get_user_id(self.session)
        return self._user_id

    def _identity_url(self, path):
        """A URL of Keystone's v3 API, from the trustee's auth_url."""
        base = self.session.get_endpoint(
            self.auth, interface=ksa_plugin.AUTH_INTERFACE).rstrip('/')
        if not base.endswith('/v3'):
            base += '/v3'
        return base + path

    def _trust_auth(self, trust_id):
        """The trustee's plugin, scoped to a trust instead of a project."""
        loader = ks_loading.get_plugin_loader(self._conf[GROUP].auth_type)
        names = {opt.dest for opt in loader.get_options()}
        overrides = {name: None for name in _SCOPE_OPTIONS if name in names}
        return ks_loading.load_auth_from_conf_options(
            self._conf, GROUP, trust_id=trust_id, **overrides)

    def create_trust(self, token, trustor_user_id, project_id, roles,
                     expires_at):
        """Create an impersonating trust from a trustor to the trustee.

        :param token: the trustor's token
        :param trustor_user_id: the trustor's user id
        :param project_id: the project delegated
        :param roles: the role names delegated
        :param expires_at: a timezone-aware UTC datetime
        :returns: the trust id
        :raises: TrustRefused; keystoneauth1 exceptions when Keystone
            cannot be reached or refuses the trustee
        """
        body = {'trust': {
            'trustor_user_id': trustor_user_id,
            'trustee_user_id': self.user_id,
            'project_id': project_id,
            'impersonation': True,
            'roles': [{'name': role} for role in roles],
            'expires_at': expires_at.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}}
        response = self.session.post(
            self._identity_url('/OS-TRUST/trusts'), json=body,
            headers={'X-Auth-Token': token}, authenticated=False,
            raise_exc=False)
        if response.status_code != 201:
            raise TrustRefused(response.status_code,
                               _error_message(response))
        return response.json()['trust']['id']

    def trust_access(self, trust_id):
        """The access (token, user, project, catalog) through a trust.

        :raises: keystoneauth1 exceptions when Keystone refuses the trust
            (expired, deleted) or cannot be reached
        """
        return self._trust_auth(trust_id).get_access(self.session)

    def trust_token(self, trust_id):
        """A token of the trustor, through a trust.

        :raises: keystoneauth1 exceptions when Keystone refuses the trust
        """
        return self._trust_auth(trust_id).get_token(self.session)

    def delete_trust(self, trust_id, token):
        """Delete a trust with a token of its trustor.

        :param token: the trustor's token, or one scoped to the trust
        :returns: whether the trust is gone (deleted, or gone already)
        :raises: TrustRefused; keystoneauth1 exceptions when Keystone
            cannot be reached
        """
        response = self.session.delete(
            self._identity_url('/OS-TRUST/trusts/%s' %
                               urllib.parse.quote(trust_id)),
            headers={'X-Auth-Token': token}, authenticated=False,
            raise_exc=False)
        if response.status_code in (204, 404):
            return True
        raise TrustRefused(response.status_code, _error_message(response))


def _error_message(response):
    try:
        return response.json()['error']['message']
    except (ValueError, KeyError, TypeError):
        return response.reason or 'no reason given'
