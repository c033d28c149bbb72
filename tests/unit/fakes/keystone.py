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

"""Keystone's identity API v3 at the wire, with requests-mock.

Version discovery, password and trust-scoped tokens, and the OS-TRUST API,
as the trustee of :mod:`ooi_save.backend.save.delegation` uses them.
"""

import datetime
import re
import uuid

from tests.unit.fakes import glance

KEYSTONE = 'http://keystone.test:5000'
TRUSTEE_ID = 'nova-service-user'
SERVICE_TOKEN = 'service-token-secret'
TRUST_TOKEN = 'trust-token-secret'
CATALOG = [
    {'type': 'image', 'name': 'glance', 'id': 'img',
     'endpoints': [{'interface': 'public', 'url': glance.GLANCE_URL,
                    'region': 'RegionOne', 'region_id': 'RegionOne',
                    'id': 'e1'}]},
    {'type': 'identity', 'name': 'keystone', 'id': 'ks',
     'endpoints': [{'interface': 'public', 'url': KEYSTONE + '/v3',
                    'region': 'RegionOne', 'region_id': 'RegionOne',
                    'id': 'e2'}]}]


class FakeKeystone:
    """Tokens and trusts, from memory.

    :param nova: the fake Nova whose ``events`` each trust creation joins,
        as ``('trust', None)``, so tests see it among Nova's calls
    """

    def __init__(self, nova):
        self.nova = nova
        #: Trust id -> trust.
        self.trusts = {}
        #: The ids of every trust made, deleted since or not.
        self.made = []
        #: What was asked: (``service-token``, None), (``trust-token``,
        #: trust id), (``create`` or ``delete``, the token it came with).
        self.calls = []
        #: A status to refuse trust creations with, or None.
        self.refuse_trusts = None

    def register(self, mock):
        """Answer Keystone's URLs on a requests-mock mocker."""
        mock.get(KEYSTONE + '/v3', json={'version': {
            'id': 'v3.14', 'status': 'stable',
            'links': [{'rel': 'self', 'href': KEYSTONE + '/v3/'}]}})
        mock.post(KEYSTONE + '/v3/auth/tokens', json=self._token)
        mock.post(KEYSTONE + '/v3/OS-TRUST/trusts', json=self._create)
        mock.delete(re.compile(
            re.escape(KEYSTONE) + '/v3/OS-TRUST/trusts/.+'),
            text=self._delete)

    # Keystone.

    def _token(self, request, context):
        body = request.json()['auth']
        scope = body.get('scope') or {}
        expires = (datetime.datetime.now(datetime.timezone.utc) +
                   datetime.timedelta(hours=1)).strftime(
                       '%Y-%m-%dT%H:%M:%S.000000Z')
        context.status_code = 201
        if 'OS-TRUST:trust' in scope:
            trust_id = scope['OS-TRUST:trust']['id']
            trust = self.trusts.get(trust_id)
            self.calls.append(('trust-token', trust_id))
            if trust is None:
                context.status_code = 404
                return {'error': {'code': 404, 'message': 'Could not find '
                                  'trust: %s.' % trust_id}}
            context.headers['X-Subject-Token'] = TRUST_TOKEN
            return {'token': {
                'methods': ['password'], 'expires_at': expires,
                'user': {'id': trust['trustor_user_id'], 'name': 'demo',
                         'domain': {'id': 'default', 'name': 'Default'}},
                'project': {'id': trust['project_id'], 'name': 'demo',
                            'domain': {'id': 'default',
                                       'name': 'Default'}},
                'roles': [{'id': r['name'], 'name': r['name']}
                          for r in trust['roles']],
                'OS-TRUST:trust': {'id': trust_id, 'impersonation': True},
                'catalog': CATALOG}}
        self.calls.append(('service-token', None))
        context.headers['X-Subject-Token'] = SERVICE_TOKEN
        return {'token': {
            'methods': ['password'], 'expires_at': expires,
            'user': {'id': TRUSTEE_ID, 'name': 'nova',
                     'domain': {'id': 'default', 'name': 'Default'}},
            'project': {'id': 'service-project', 'name': 'service',
                        'domain': {'id': 'default', 'name': 'Default'}},
            'roles': [{'id': 'service', 'name': 'service'}],
            'catalog': CATALOG}}

    def _create(self, request, context):
        self.calls.append(('create', request.headers['X-Auth-Token']))
        with self.nova.lock:
            self.nova.events.append(('trust', None))
        if self.refuse_trusts:
            context.status_code = self.refuse_trusts
            return {'error': {'code': self.refuse_trusts, 'message':
                              'Using method application_credential is '
                              'not allowed for managing trusts.'}}
        trust = dict(request.json()['trust'], id=uuid.uuid4().hex)
        self.trusts[trust['id']] = trust
        self.made.append(trust['id'])
        context.status_code = 201
        return {'trust': trust}

    def _delete(self, request, context):
        trust_id = request.path.rsplit('/', 1)[-1]
        self.calls.append(('delete', request.headers['X-Auth-Token']))
        if self.trusts.pop(trust_id, None) is None:
            context.status_code = 404
            return ''
        context.status_code = 204
        return ''
