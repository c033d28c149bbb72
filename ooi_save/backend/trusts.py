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

"""Keystone trusts: finishing a deferred save on the user's behalf.

Nova creates the Glance image of a snapshot with the token of whoever asks
for it, so a deferred save that a killed nova-api left before its
``createImage`` can only be finished with a user token. A reader of the
compute lends one (see :mod:`ooi_save.backend.save`); when nobody reads it,
a Keystone trust does, as Heat and Magnum do for deferred work:

* before a deferred save stops an ACTIVE server, the caller's token creates
  a trust from the caller (trustor) to the service user configured in the
  ``[occi_trustee]`` group of nova.conf (trustee), on the caller's project,
  with the caller's roles, impersonating, and expiring once the save cannot
  need it any more (:func:`lifetime`);
* a worker that resumes the chain without a user token authenticates as the
  trustee scoped to that trust: Keystone answers a token of the caller's
  user and project with the delegated roles, and the worker builds from it
  the ``nova.context`` that nova's keystonecontext filter would have built,
  so that its Nova sub-requests and Glance reads act as the user;
* when the chain ends, the trust is deleted with the caller's token while
  the worker has it, else with a token of the trust itself (Keystone lets
  the trustor, whom such a token impersonates, delete it); when neither
  works the trust simply expires.

Without ``[occi_trustee]`` (no ``auth_type``), or when Keystone refuses the
trust (for example to a token of an application credential, which cannot
delegate), a save goes on as before: a resumer without a user token waits
for a read of the compute. Tokens are never logged; trust ids are (they
are of no use without the trustee's password).

The trustee must authenticate with a password-like plugin that accepts a
``trust_id`` (``password``, ``v3password``); its project scope, if any, is
replaced by the trust.
"""

import datetime
import urllib.parse

from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin as ksa_plugin
from oslo_log import log as logging

from ooi_save import opts

GROUP = opts.TRUSTEE_GROUP

#: Seconds a trust outlives the longest save it serves: room for nova-api
#: to be restarted and for the sweep's lease.
MARGIN = 900

#: Options of the trustee's plugin that scope a token: a trust replaces them.
_SCOPE_OPTIONS = ('project_id', 'project_name', 'project_domain_id',
                  'project_domain_name', 'domain_id', 'domain_name',
                  'system_scope', 'default_domain_id',
                  'default_domain_name')

LOG = logging.getLogger(__name__)


def lifetime(conf):
    """Seconds a trust must last: the longest deferred save, and a margin.

    After ``save_snapshot_timeout`` the snapshot was sent long ago, and
    finishing the chain (starting the server) needs no user token.

    :param conf: the filter's configuration
    """
    return conf.save_stop_timeout + conf.save_snapshot_timeout + MARGIN


def v2_catalog(catalog):
    """A v3 service catalog in the v2 layout nova contexts carry.

    keystonemiddleware hands nova the catalog in this layout, and both
    nova (for Glance) and :mod:`ooi_save.backend.glance` read it so.

    :param catalog: the ``catalog`` list of a v3 token
    :returns: a list of ``{type, name, endpoints: [{region, publicURL,
        ...}]}``
    """
    services = []
    for service in catalog or ():
        regions = {}
        for endpoint in service.get('endpoints') or ():
            region = endpoint.get('region') or endpoint.get('region_id')
            entry = regions.setdefault(
                region, {'region': region} if region else {})
            entry[endpoint['interface'].lower() + 'URL'] = endpoint['url']
        entry = {'type': service.get('type'),
                 'endpoints': list(regions.values())}
        if service.get('name'):
            entry['name'] = service['name']
        services.append(entry)
    return services


def _nova_context(**values):
    """A nova RequestContext, as nova's keystonecontext filter builds it.

    Nova is imported here only, so that the module and its tests do not
    need it.
    """
    from nova import context as nova_context

    return nova_context.RequestContext(**values)


class Trustee:
    """The service user to which callers delegate their deferred saves.

    :param conf: the oslo.config object holding ``[occi_trustee]``
    :param auth: the trustee's keystoneauth plugin
    :param session: a keystoneauth session
    :param context_factory: builds a ``nova.context`` from keyword values
        (``user_id``, ``project_id``, ``roles``, ``auth_token``,
        ``service_catalog`` ...); nova's RequestContext by default
    """

    def __init__(self, conf, auth, session, context_factory=None):
        self._conf = conf
        self.auth = auth
        self.session = session
        self._context_factory = context_factory or _nova_context
        self._user_id = None

    @classmethod
    def from_conf(cls, conf, context_factory=None):
        """The trustee configured in ``[occi_trustee]``, or None.

        :param conf: the oslo.config object (nova's CONF)
        :param context_factory: see :class:`Trustee`
        """
        opts.register_trustee_opts(conf)
        auth = ks_loading.load_auth_from_conf_options(conf, GROUP)
        if auth is None:
            LOG.info('No [%s] auth_type: deferred saves resumed without a '
                     'caller wait for a read of the compute', GROUP)
            return None
        session = ks_loading.load_session_from_conf_options(
            conf, GROUP, auth=auth)
        return cls(conf, auth, session, context_factory)

    # The trustee itself.

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

    # What callers delegate.

    def create(self, context, seconds, server_id):
        """Delegate the caller's roles on its project to the trustee.

        :param context: the caller's ``nova.context`` (with its token)
        :param seconds: lifetime of the trust
        :param server_id: the server saved, for the log
        :returns: the trust id, or None when there is none (logged)
        """
        token = getattr(context, 'auth_token', None)
        if not token:
            LOG.info('Deferred save of compute %s: no caller token to '
                     'create a trust with', server_id)
            return None
        expires = datetime.datetime.now(datetime.timezone.utc) + \
            datetime.timedelta(seconds=seconds)
        body = {'trust': {
            'trustor_user_id': context.user_id,
            'trustee_user_id': None,
            'project_id': context.project_id,
            'impersonation': True,
            'roles': [{'name': role} for role in context.roles or ()],
            'expires_at': expires.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}}
        try:
            body['trust']['trustee_user_id'] = self.user_id
            response = self.session.post(
                self._identity_url('/OS-TRUST/trusts'), json=body,
                headers={'X-Auth-Token': token}, authenticated=False,
                raise_exc=False)
        except Exception as error:
            # Keystone unreachable, the trustee's password refused...: the
            # save goes on without a trust. (The name of the error only: a
            # message could quote the request.)
            LOG.warning('Deferred save of compute %s: cannot create a '
                        'trust (%s); if nova-api stops before the snapshot '
                        'is sent, only a read of the compute can finish '
                        'the save', server_id, type(error).__name__)
            return None
        if response.status_code != 201:
            LOG.warning('Deferred save of compute %s: Keystone refused a '
                        'trust (HTTP %d: %s); if nova-api stops before the '
                        'snapshot is sent, only a read of the compute can '
                        'finish the save', server_id, response.status_code,
                        _error_message(response))
            return None
        trust_id = response.json()['trust']['id']
        LOG.debug('Deferred save of compute %s: trust %s created',
                  server_id, trust_id)
        return trust_id

    def token(self, trust_id):
        """A token of the trustor, through a trust.

        :param trust_id: the trust id
        :returns: the token
        :raises: keystoneauth1 exceptions when Keystone refuses the trust
        """
        return self._trust_auth(trust_id).get_token(self.session)

    def environ(self, trust_id):
        """A WSGI environ acting as the trustor, through a trust.

        :param trust_id: the trust id
        :returns: a dict with ``nova.context`` and ``openstack.request_id``
        :raises: keystoneauth1 exceptions when Keystone refuses the trust
            (expired, deleted) or cannot be reached
        """
        access = self._trust_auth(trust_id).get_access(self.session)
        context = self._context_factory(
            user_id=access.user_id, project_id=access.project_id,
            user_name=access.username, project_name=access.project_name,
            user_domain_id=access.user_domain_id,
            project_domain_id=access.project_domain_id,
            roles=list(access.role_names), auth_token=access.auth_token,
            service_catalog=v2_catalog(access.service_catalog.catalog))
        return {'nova.context': context,
                'openstack.request_id': context.request_id}

    def delete(self, trust_id, token):
        """Delete a trust with a token of its trustor.

        :param trust_id: the trust id
        :param token: the trustor's token, or one scoped to the trust
        :returns: True when the trust is gone
        """
        try:
            response = self.session.delete(
                self._identity_url('/OS-TRUST/trusts/%s' %
                                   urllib.parse.quote(trust_id)),
                headers={'X-Auth-Token': token}, authenticated=False,
                raise_exc=False)
        except ksa_exc.ClientException as error:
            LOG.info('Cannot delete trust %s (%s); it expires by itself',
                     trust_id, type(error).__name__)
            return False
        if response.status_code in (204, 404):
            return True
        LOG.info('Keystone refused to delete trust %s (HTTP %d); it '
                 'expires by itself', trust_id, response.status_code)
        return False


def _error_message(response):
    try:
        return response.json()['error']['message']
    except (ValueError, KeyError, TypeError):
        return response.reason or 'no reason given'
