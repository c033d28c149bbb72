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

"""Deferred saves delegated through Keystone trusts.

Keystone is answered by :mod:`tests.unit.fakes.keystone` (version
discovery, password and trust-scoped tokens, the OS-TRUST API), Nova by the
:class:`tests.unit.fakes.cloud_nova.CloudNova`; the trustee is the real
:class:`ooi_save.backend.save.delegation.Trustee` loaded from
``[occi_trustee]``.
"""

import datetime
import time
import uuid

import fixtures
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

from ooi_save.backend.save import delegation as trusts
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import sweep
from ooi_save import exceptions
from ooi_save import opts
from tests.unit import base
from tests.unit.fakes.cloud_nova import iso_time
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import keystone as fake_keystone
from tests.unit.fakes.keystone import CATALOG
from tests.unit.fakes.keystone import KEYSTONE
from tests.unit.fakes.keystone import SERVICE_TOKEN
from tests.unit.fakes.keystone import TRUST_TOKEN
from tests.unit.fakes.keystone import TRUSTEE_ID
from tests.unit.fakes import nova as fake_nova
from tests.unit.save import base as save_base


def trustee_conf(**overrides):
    """An oslo.config object with a password trustee in [occi_trustee]."""
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    opts.register_trustee_opts(conf)
    conf.register_opts(ks_loading.get_auth_plugin_conf_options('password'),
                       group=opts.TRUSTEE_GROUP)
    values = dict(auth_type='password', auth_url=KEYSTONE + '/v3',
                  username='nova', password='service-password',
                  user_domain_name='Default', project_name='service',
                  project_domain_name='Default')
    values.update(overrides)
    for name, value in values.items():
        conf.set_override(name, value, group=opts.TRUSTEE_GROUP)
    return conf


def trust_context(**values):
    """What nova's RequestContext keeps of the values, in the fake's shape."""
    context = fake_nova.Context(project_id=values['project_id'],
                                user_id=values['user_id'],
                                roles=values['roles'],
                                auth_token=values['auth_token'])
    context.service_catalog = values['service_catalog']
    context.values = values
    return context


class TrustTestCase(save_base.ResumeTestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        self.fake_keystone = fake_keystone.FakeKeystone(self.nova)
        self.fake_keystone.register(self.requests_mock)
        self.trusts = self.fake_keystone.trusts
        self.keystone = self.fake_keystone.calls
        self.trustee = trusts.Trustee.from_conf(
            trustee_conf(), context_factory=trust_context)
        self.manager = self.make_manager(trustee=self.trustee,
                                         read_grace=10)
        self.addCleanup(self.manager.registry.wait, 10)

    def left_with_trust(self, step, status, **record):
        """A chain left by a killed nova-api, with its trust."""
        trust_id = uuid.uuid4().hex
        self.trusts[trust_id] = {
            'id': trust_id, 'trustor_user_id': 'demo-user',
            'trustee_user_id': TRUSTEE_ID, 'project_id': 'demo-project',
            'impersonation': True,
            'roles': [{'name': 'member'}, {'name': 'reader'}]}
        server_id = self.left_at(step, status, **record)
        metadata = self.nova.servers[server_id]['metadata']
        metadata[save_record.TRUST_KEY] = trust_id
        return server_id, trust_id

    def assertNoTokenLogged(self):
        for secret in ('secret-token', SERVICE_TOKEN, TRUST_TOKEN):
            self.assertNotIn(secret, self.log.output)


class TestDelegation(TrustTestCase):

    def test_trust_created_before_the_stop_and_deleted_at_the_end(self):
        server_id = self.nova.add_server()
        before = time.time()
        self.save(server_id, 'deferred', 'with-trust')
        self.finish()
        # The trust comes before the stop, and is recorded with the chain;
        # Keystone makes it while Nova adds the tag.
        kinds = [kind for kind, sid in self.nova.events
                 if sid in (server_id, None)]
        self.assertEqual({'tag', 'trust'}, set(kinds[:2]))
        self.assertEqual(['record', 'os-stop'], kinds[2:4])
        self.assertIn(('create', 'secret-token'), self.keystone)
        (created,) = [request for request in self.requests_mock.
                      request_history if request.path.endswith('/trusts')]
        trust = created.json()['trust']
        self.assertEqual('demo-user', trust['trustor_user_id'])
        self.assertEqual(TRUSTEE_ID, trust['trustee_user_id'])
        self.assertEqual('demo-project', trust['project_id'])
        self.assertTrue(trust['impersonation'])
        self.assertEqual([{'name': 'member'}, {'name': 'reader'}],
                         trust['roles'])
        expires = datetime.datetime.strptime(
            trust['expires_at'], '%Y-%m-%dT%H:%M:%S.%fZ').replace(
                tzinfo=datetime.timezone.utc).timestamp()
        bound = (self.conf.save_stop_timeout +
                 self.conf.save_snapshot_timeout + trusts.MARGIN)
        self.assertGreaterEqual(expires, before + bound - 1)
        self.assertLessEqual(expires, time.time() + bound + 1)
        # Deleted with the caller's token once the chain is over.
        self.assertEqual({}, self.trusts)
        self.assertEqual(('delete', 'secret-token'), self.keystone[-1])
        server = self.assertClean(server_id)
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertNoTokenLogged()

    def test_trust_recorded_before_the_stop(self):
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'n')
        self.finish()
        (trust_id,) = self.fake_keystone.made
        (record,) = self.nova.records_at_stop
        self.assertEqual(trust_id, record['trust'])
        self.assertEqual('stop', record['step'])
        # Deleted with the record, with the caller's token.
        self.assertEqual({}, self.trusts)

    def test_refused_trust_keeps_the_old_behaviour(self):
        # E.g. the caller authenticated with an application credential.
        self.fake_keystone.refuse_trusts = 403
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'no-trust')
        self.finish()
        server = self.assertClean(server_id)
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertIn('Keystone refused a trust (HTTP 403', self.log.output)
        self.assertNoTokenLogged()

    def test_trustee_refused_keeps_the_old_behaviour(self):
        self.requests_mock.post(KEYSTONE + '/v3/auth/tokens',
                                status_code=401, json={'error': {
                                    'code': 401, 'message': 'refused'}})
        server_id = self.nova.add_server()
        self.save(server_id, 'deferred', 'no-trustee')
        self.finish()
        server = self.assertClean(server_id)
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertIn('cannot create a trust (Unauthorized)',
                      self.log.output)
        self.assertNoTokenLogged()

    def test_trust_of_a_save_that_finds_the_tag_taken_is_deleted(self):
        # Another process's save tags the compute just before this one
        # does (no claim here): Nova answers this one's tag with 204.
        server_id = self.nova.add_server()
        tag = self.nova._tag

        def tagged_first(server, method, name):
            if method == 'PUT' and name == save_record.TAG:
                server['tags'].append(name)
            return tag(server, method, name)
        self.nova._tag = tagged_first
        error = self.assertRaises(exceptions.Conflict, self.save,
                                  server_id, 'deferred', 'second')
        self.assertIn('being saved', str(error))
        self.finish()
        self.assertEqual({}, self.trusts)
        self.assertEqual(('delete', 'secret-token'), self.keystone[-1])
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertNoTokenLogged()

    def test_deferred_save_of_a_compute_not_running_leaves_no_trust(self):
        # The tag and the trust are asked for while the server is read:
        # a stopped compute is saved as it is, and both are undone.
        server_id = self.nova.add_server(status='SHUTOFF')
        self.save(server_id, 'deferred', 'as-is')
        self.finish()
        self.assertEqual({}, self.trusts)
        self.assertEqual(['createImage'], self.nova.kinds(server_id))
        self.nova_done(server_id)
        self.assertClean(server_id, status='SHUTOFF')

    def test_deferred_save_of_a_busy_compute_leaves_no_trust(self):
        server_id = self.nova.add_server(task='rebooting')
        error = self.assertRaises(exceptions.Conflict, self.save,
                                  server_id, 'deferred', 'busy')
        self.assertIn('rebooting', str(error))
        self.finish()
        self.assertEqual({}, self.trusts)
        self.assertEqual([], self.nova.kinds(server_id))
        self.assertNotIn(save_record.TAG, self.nova.server(server_id)['tags'])

    def test_hot_save_creates_no_trust(self):
        server_id = self.nova.add_server()
        self.save(server_id, 'hot', 'hot')
        self.finish()
        self.assertEqual([], self.keystone)


class TestResumeThroughTrust(TrustTestCase):

    def test_sweep_snapshots_as_the_owner(self):
        server_id, trust_id = self.left_with_trust('stop', 'SHUTOFF')
        started = time.monotonic()
        sweep.Sweeper(self.manager).sweep()
        self.finish()
        # No reader came, and none was waited for (read_grace is 10 s).
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertEqual('active', image['status'])
        # createImage went with a context built from the trust token.
        (context,) = [c for m, p, h, c in self.nova.calls
                      if m == 'POST' and p.endswith('/action') and
                      c.auth_token == TRUST_TOKEN][:1]
        self.assertEqual('demo-user', context.user_id)
        self.assertEqual('demo-project', context.project_id)
        self.assertEqual(['member', 'reader'], context.roles)
        self.assertEqual(trusts.v2_catalog(CATALOG),
                         context.service_catalog)
        # The image was checked in Glance with that token too.
        glance = [r for r in self.requests_mock.request_history
                  if r.url.startswith(fake_glance.GLANCE_URL)]
        self.assertTrue(glance)
        self.assertEqual({TRUST_TOKEN},
                         {r.headers['X-Auth-Token'] for r in glance})
        # The trust is deleted with its own token, and the record is gone.
        self.assertNotIn(trust_id, self.trusts)
        self.assertEqual(('delete', TRUST_TOKEN), self.keystone[-1])
        server = self.assertClean(server_id)
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])
        self.assertNoTokenLogged()

    def test_resume_after_the_snapshot_deletes_the_trust(self):
        # The snapshot was sent: no token is needed to finish, only to
        # delete the trust.
        context = fake_nova.Context()
        server_id, trust_id = self.left_with_trust(
            'snapshot', 'SHUTOFF', ts=iso_time(time.time() - 1),
            rq=context.request_id[-12:])
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, context)
        self.nova.events.clear()
        sweep.Sweeper(self.manager).sweep()
        self.finish()
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertEqual({}, self.trusts)
        self.assertEqual([('trust-token', trust_id),
                          ('delete', TRUST_TOKEN)], self.keystone)
        self.assertClean(server_id)

    def test_expired_trust_waits_for_a_reader(self):
        manager = self.make_manager(trustee=self.trustee, read_grace=0.1)
        server_id, trust_id = self.left_with_trust('stop', 'SHUTOFF')
        del self.trusts[trust_id]
        sweep.Sweeper(manager).sweep()
        self.assertTrue(manager.registry.wait(10))
        # As without a trust: given up visibly, the server started again.
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertIn('no user token to snapshot with',
                      save_record.record_of(server)['err'])
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])
        self.assertIn('cannot act through trust %s' % trust_id,
                      self.log.output)
        self.assertNoTokenLogged()

    def test_reader_resumes_and_the_owner_trust_is_deleted(self):
        server_id, trust_id = self.left_with_trust('stop', 'SHUTOFF')
        reader = fake_nova.Context(user_id='another-user')
        self.manager.resume_if_pending(self.session(reader),
                                       self.nova.server(server_id))
        self.finish()
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        # The reader's token is not the trustor's: the trust's own token
        # deletes it.
        self.assertEqual({}, self.trusts)
        self.assertEqual(('delete', TRUST_TOKEN), self.keystone[-1])
        self.assertClean(server_id)


class TestWithoutTrustee(save_base.SaveTestCase):

    def test_no_trustee_configured(self):
        self.assertIsNone(trusts.Trustee.from_conf(base.make_conf()[0]))
        self.assertIsNone(self.manager.trustee)
        server_id = self.nova.add_server()
        # No Keystone is mocked: any call to it would fail the save.
        self.save(server_id, 'deferred', 'plain')
        self.finish()
        server = self.assertClean(server_id)
        self.assertNotIn(save_record.TRUST_KEY, server['metadata'])

    def test_v2_catalog(self):
        self.assertEqual(
            [{'type': 'image', 'name': 'glance', 'endpoints': [
                {'region': 'RegionOne', 'publicURL': fake_glance.GLANCE_URL}]},
             {'type': 'identity', 'name': 'keystone', 'endpoints': [
                 {'region': 'RegionOne', 'publicURL': KEYSTONE + '/v3'}]}],
            trusts.v2_catalog(CATALOG))
