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

"""Chains found by the sweeps and claimed, driven once by one of many."""

import sys
import threading
import time

import fixtures

from ooi_save.backend.save import claims
from ooi_save.backend.save import record as save_record
from ooi_save.backend.save import sweep
from tests.unit import base
from tests.unit.fakes.cloud_nova import iso_time
from tests.unit.fakes.cloud_nova import QUICK
from tests.unit.fakes import nova as fake_nova
from tests.unit.save import base as save_base


class TestSweep(save_base.ResumeTestCase):
    """Pending chains found by sweeps and readers, claimed by one driver."""

    def test_two_filters_of_one_process_drive_a_chain_once(self):
        other = self.make_manager()
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off')
        self.nova.later(server_id, 0.1, status='SHUTOFF', task=None)
        server = self.nova.server(server_id)
        self.manager.resume_if_pending(self.session(), server)
        other.resume_if_pending(self.session(), server)
        self.finish()
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)
        # One claim and the snapshot step: the second filter did not
        # claim the chain as well.
        writes = [kind for kind, sid in self.nova.events
                  if kind == 'record' and sid == server_id]
        self.assertEqual(2, len(writes))

    def test_sweeps_of_a_new_process_drive_a_chain_once(self):
        # nova's paste deploys the filter twice: in a new process, both
        # sweeps start together, with a registry that has not named the
        # process yet. Switching threads as often as possible makes them
        # meet at its first use.
        log = self.useFixture(fixtures.FakeLogger(level='INFO'))
        for attempt in range(20):
            registry = claims.Registry()
            managers = [self.make_manager(registry=registry)
                        for _ in range(4)]
            server_id = self.left_at('stop', 'SHUTOFF')
            barrier = threading.Barrier(len(managers))

            def sweep_at_once(manager):
                barrier.wait()
                sweep.Sweeper(manager).sweep()
            interval = sys.getswitchinterval()
            sys.setswitchinterval(1e-6)
            try:
                threads = [threading.Thread(target=sweep_at_once, args=(m,))
                           for m in managers]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(10)
            finally:
                sys.setswitchinterval(interval)
            for manager in managers:
                self.assertTrue(manager.registry.wait(10))
            resumed = log.output.count('Resuming the deferred save of '
                                       'compute %s' % server_id)
            self.assertEqual(1, resumed, 'attempt %d' % attempt)

    def test_two_processes_resume_one_chain(self):
        other = self.make_manager(registry=claims.Registry(host='otherhost'))
        server_id = self.left_at('stop', 'SHUTOFF',
                                 own='gone:1:abcdef',
                                 at=save_record.now() - 120,
                                 t0=save_record.now() - 120)
        server = self.nova.server(server_id)
        self.manager.resume_if_pending(self.session(), server)
        other.resume_if_pending(self.session(), server)
        self.finish()
        self.assertTrue(other.registry.wait(10))
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        self.assertClean(server_id)

    def test_sweep_at_start_up(self):
        _, self.conf = base.make_conf(resume_saves_at_startup=True)
        manager = self.make_manager()
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=iso_time(time.time() - 1))
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, fake_nova.Context())
        self.nova.events.clear()
        idle = self.nova.add_server()
        manager.start()
        self.addCleanup(manager.stop)
        deadline = time.monotonic() + 10
        while self.nova.server(server_id)['tags'] and \
                time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(manager.registry.wait(10))
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        self.assertClean(server_id)
        self.assertEqual([], self.nova.kinds(idle))
        listing = [path for method, path in self.nova_calls()
                   if path.startswith('/servers/detail')]
        self.assertEqual(
            ['/servers/detail?all_tenants=1&tags=' + save_record.TAG],
            listing)
        # Each chain is driven in its server's own project, as an admin.
        contexts = [c for _, path, _, c in self.nova.calls
                    if path == '/servers/%s' % server_id]
        self.assertEqual('demo-project', contexts[-1].project_id)
        self.assertIn('admin', contexts[-1].roles)

    def test_periodic_sweep_takes_over_once_the_lease_runs_out(self):
        _, self.conf = base.make_conf(resume_saves_at_startup=True)
        manager = self.make_manager(
            lease=1, sweep_interval=0.05,
            registry=claims.Registry(host='sweeper'))
        expiry = time.time() + 0.6
        server_id = self.left_at('snapshot', 'SHUTOFF',
                                 ts=iso_time(time.time() - 1),
                                 own='deadhost:42:abcdef',
                                 at=save_record.now())
        self.nova._create_image(self.nova.servers[server_id],
                                {'name': 'recorded-name'}, fake_nova.Context())
        self.nova.later(server_id, 0, task=None)
        self.nova.servers[server_id]['tags'].append(
            claims.lease_tag(expiry))
        self.nova.events.clear()
        manager.start()
        self.addCleanup(manager.stop)
        deadline = time.monotonic() + 10
        while save_record.TAG in self.nova.server(server_id)['tags'] and \
                time.monotonic() < deadline:
            time.sleep(0.02)
        taken = time.time()
        self.assertTrue(manager.registry.wait(10))
        # Not before the lease ran out, soon after it did.
        self.assertGreater(taken, expiry)
        # (The fake moves the server on at the snapshot, which counts.)
        self.assertLess(taken, expiry + 2.5)
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        server = self.assertClean(server_id)
        self.assertEqual([], claims.lease_tags(server))
        # One listing per interval, no read of the server while it is held.
        listings = [path for _, path in self.nova_calls()
                    if path.startswith('/servers/detail')]
        self.assertGreater(len(listings), 3)
        reads = [i for i, (_, path) in enumerate(self.nova_calls())
                 if path == '/servers/%s' % server_id]
        first_listings = [i for i, (_, path) in enumerate(self.nova_calls())
                          if path.startswith('/servers/detail')][:3]
        self.assertGreater(reads[0], first_listings[-1])

    def test_live_driver_renews_its_lease(self):
        # Records count whole seconds: a lease of more than one.
        manager = self.make_manager(lease=1.5)
        self.nova.upload_seconds = 3
        server_id = self.nova.add_server()
        manager.save(self.session(), server_id, 'deferred', 'long',
                     save_base.COMPUTE_URL % server_id)
        other = self.make_manager(lease=1.5,
                                  registry=claims.Registry(host='other'))
        seen = set()
        sweeps = 0
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            server = self.nova.server(server_id)
            if 'SHUTOFF' != server['status']:
                break
            seen.update(claims.lease_tags(server))
            # Another node sweeping meanwhile leaves the chain alone.
            self.assertEqual(1, sweep.Sweeper(other).sweep())
            sweeps += 1
            time.sleep(0.05)
        self.assertGreater(sweeps, 5)
        self.assertTrue(manager.registry.wait(10))
        self.assertGreater(len(seen), 1)
        server = self.assertClean(server_id)
        self.assertEqual([], claims.lease_tags(server))
        self.assertEqual(['os-stop', 'createImage', 'os-start'],
                         self.nova.kinds(server_id))

    def test_sweep_cannot_snapshot_without_a_token(self):
        server_id = self.left_at('stop', 'ACTIVE', task='powering-off')
        self.nova.later(server_id, QUICK, status='SHUTOFF', task=None)
        sweep.Sweeper(self.manager).sweep()
        self.finish()
        # No reader came in time: the save is given up, visibly.
        self.assertEqual(['os-start'], self.nova.kinds(server_id))
        server = self.nova.server(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertNotIn(save_record.TAG, server['tags'])
        self.assertIn('no user token to snapshot with',
                      save_record.record_of(server)['err'])

    def test_sweep_borrows_the_token_of_a_reader(self):
        manager = self.make_manager(read_grace=10)
        server_id = self.left_at('stop', 'SHUTOFF')
        sweep.Sweeper(manager).sweep()
        deadline = time.monotonic() + 5
        while 'snapshot' not in self.nova.servers[server_id]['metadata'][
                save_record.RECORD_KEY] and time.monotonic() < deadline:
            time.sleep(0.01)
        reader = fake_nova.Context()
        manager.resume_if_pending(self.session(reader),
                                  self.nova.server(server_id))
        self.assertTrue(manager.registry.wait(10))
        self.assertEqual(['createImage', 'os-start'],
                         self.nova.kinds(server_id))
        (image,) = self.nova.images.values()
        self.assertEqual('recorded-name', image['name'])
        self.assertEqual('active', image['status'])
        # createImage, then os-start, went with the reader's credentials.
        acting = [c for m, p, h, c in self.nova.calls
                  if m == 'POST' and p.endswith('/action')]
        self.assertEqual([reader, reader], acting)
        self.assertClean(server_id)
