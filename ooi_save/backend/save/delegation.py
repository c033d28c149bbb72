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
  need it any more (:func:`lifetime`); the chain records the trust id on
  the server (:class:`Delegation`);
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
are of no use without the trustee's password). Keystone's own API is
:mod:`ooi_save.backend.services.keystone`.
"""

import datetime

from keystoneauth1 import exceptions as ksa_exc
from oslo_log import log as logging

from ooi_save.backend.save import record as save_record
from ooi_save.backend.services import keystone

LOG = logging.getLogger(__name__)

#: Seconds a trust outlives the longest save it serves: room for nova-api
#: to be restarted and for the sweep's lease.
MARGIN = 900


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
    nova (for Glance) and :mod:`ooi_save.backend.services.catalog` read it
    so.

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

    :param keystone: the trustee's
        :class:`ooi_save.backend.services.keystone.KeystoneAPI`
    :param context_factory: builds a ``nova.context`` from keyword values
        (``user_id``, ``project_id``, ``roles``, ``auth_token``,
        ``service_catalog`` ...); nova's RequestContext by default
    """

    def __init__(self, keystone_api, context_factory=None):
        self.keystone = keystone_api
        self._context_factory = context_factory or _nova_context

    @classmethod
    def from_conf(cls, conf, context_factory=None):
        """The trustee configured in ``[occi_trustee]``, or None.

        :param conf: the oslo.config object (nova's CONF)
        :param context_factory: see :class:`Trustee`
        """
        keystone_api = keystone.KeystoneAPI.from_conf(conf)
        if keystone_api is None:
            return None
        return cls(keystone_api, context_factory)

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
        try:
            trust_id = self.keystone.create_trust(
                token, context.user_id, context.project_id,
                context.roles or (), expires)
        except keystone.TrustRefused as refusal:
            LOG.warning('Deferred save of compute %s: Keystone refused a '
                        'trust (HTTP %d: %s); if nova-api stops before the '
                        'snapshot is sent, only a read of the compute can '
                        'finish the save', server_id, refusal.status,
                        refusal.message)
            return None
        except Exception as error:
            # Keystone unreachable, the trustee's password refused...: the
            # save goes on without a trust. (The name of the error only: a
            # message could quote the request.)
            LOG.warning('Deferred save of compute %s: cannot create a '
                        'trust (%s); if nova-api stops before the snapshot '
                        'is sent, only a read of the compute can finish '
                        'the save', server_id, type(error).__name__)
            return None
        LOG.debug('Deferred save of compute %s: trust %s created',
                  server_id, trust_id)
        return trust_id

    def token(self, trust_id):
        """A token of the trustor, through a trust.

        :raises: keystoneauth1 exceptions when Keystone refuses the trust
        """
        return self.keystone.trust_token(trust_id)

    def environ(self, trust_id):
        """A WSGI environ acting as the trustor, through a trust.

        :param trust_id: the trust id
        :returns: a dict with ``nova.context`` and ``openstack.request_id``
        :raises: keystoneauth1 exceptions when Keystone refuses the trust
            (expired, deleted) or cannot be reached
        """
        access = self.keystone.trust_access(trust_id)
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
            return self.keystone.delete_trust(trust_id, token)
        except ksa_exc.ClientException as error:
            LOG.info('Cannot delete trust %s (%s); it expires by itself',
                     trust_id, type(error).__name__)
        except keystone.TrustRefused as refusal:
            LOG.info('Keystone refused to delete trust %s (HTTP %d); it '
                     'expires by itself', trust_id, refusal.status)
        return False


class Delegation:
    """The trust of one chain.

    :param trustee: the :class:`Trustee`, or None
    :param server_id: the server id, for the trust's description and logs
    """

    def __init__(self, trustee, server_id):
        self.trustee = trustee
        self.server_id = server_id
        #: The trust of a chain begun here (resumed chains read theirs
        #: from the record), and the tokens that may delete it.
        self.trust_id = None
        self.tried = False
        self.caller_token = None
        self.trust_token = None
        #: Set once :meth:`end` was called.
        self.ended = False

    def current(self, record):
        """The chain's trust id: ours, else the recorded one, or None."""
        return self.trust_id or (record or {}).get('trust')

    def delegate(self, context, conf, values):
        """Create the chain's trust and add it to the record values.

        :param context: the caller's ``nova.context``
        :param conf: the filter's configuration
        :param values: the server metadata about to be written
        """
        if self.trustee is None:
            return
        self.trust_id = self.trustee.create(
            context, lifetime(conf), self.server_id)
        if self.trust_id:
            self.caller_token = context.auth_token
            values[save_record.TRUST_KEY] = self.trust_id

    def environ(self, record):
        """A WSGI environ acting as the compute's owner, once, or None."""
        trust_id = self.current(record)
        if self.trustee is None or not trust_id or self.tried:
            return None
        self.tried = True
        try:
            environ = self.trustee.environ(trust_id)
        except Exception as error:
            LOG.warning('Deferred save of compute %s: cannot act through '
                        'trust %s: %s', self.server_id, trust_id, error)
            return None
        LOG.info('Deferred save of compute %s goes on as its owner, '
                 'through trust %s', self.server_id, trust_id)
        self.trust_token = environ['nova.context'].auth_token
        return environ

    def end(self, record):
        """Delete the chain's trust; it expires by itself otherwise.

        Only the trustor may delete a trust: with the caller's token when
        this worker began the chain, else with a token of the trust itself
        (a reader lending its token may be another user).
        """
        trust_id = self.current(record)
        if self.trustee is None or not trust_id or self.ended:
            return
        self.ended = True
        if self.caller_token and self.trustee.delete(trust_id,
                                                     self.caller_token):
            return
        if self.trust_token is None:
            try:
                self.trust_token = self.trustee.token(trust_id)
            except Exception as error:
                LOG.info('Cannot delete trust %s (%s); it expires by '
                         'itself', trust_id, error)
                return
        self.trustee.delete(trust_id, self.trust_token)
