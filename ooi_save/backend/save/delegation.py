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

"""The Keystone trust through which a deferred save goes on as its owner.

A chain begun with the caller's token delegates the caller's roles on the
project to the configured trustee (:mod:`ooi_save.backend.trusts`), records
the trust id on the server, and deletes the trust when it ends. A resumer
that has no user token (the sweep) acts through that trust: Nova creates
the Glance image of a snapshot with the token of the request.
"""

from oslo_log import log as logging

from ooi_save.backend.save import record as save_record
from ooi_save.backend import trusts

LOG = logging.getLogger(__name__)


class Delegation:
    """The trust of one chain.

    :param trustee: the :class:`ooi_save.backend.trusts.Trustee`, or None
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
            context, trusts.lifetime(conf), self.server_id)
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
        if self.trustee is None or not trust_id:
            return
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
