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

"""IM 1.19.1's OCCI connector, as shipped, against the mini-cloud.

Every operation the connector implements: ``launch`` (with user data, a
public key and a new disk), ``updateVMInfo`` (state, size, addresses,
disks), ``stop``/``start``/``reboot``, ``alterVM`` (add a disk; add and
remove a public IP), ``attach_volume`` and ``finalize``. It has no
snapshot operation. Each result is checked where its user would look:
the server, its keypair and user data in Nova, the floating IP in
Neutron, the volumes in Cinder.
"""

import base64
import time
import uuid

from tests.functional import base
from tests.functional import test_storage
from tests.interop import im

# A key IM passes on as is (it generates one only when the RADL has none).
PUBLIC_KEY = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDa9TkRbfBvlt3nI/'
              'vT6GUQ1dWjVBNMmgWB5bFa6Nmot im-interop@example.org')

USER_SCRIPT = '#!/bin/sh\necho "configured by IM" > /tmp/im-interop\n'


class IMConnectorTest(test_storage.StorageTestBase):
    """Each test is one VM's life through IM, checked natively."""

    def setUp(self):
        super().setUp()
        self.useFixture(im.SiteSettings())
        self.useFixture(im.quiet_im_logs())
        self.os_tpl, self.resource_tpl = self.templates()
        # From here on, every OCCI exchange is IM's.
        self.useFixture(im.WireLog(self.occi_url))
        self.client = im.IMClient(self.occi_url, self.token)
        self.name = 'im-interop-%s' % uuid.uuid4().hex[:8]

    def templates(self):
        """cirros-fake's os_tpl term and m1.tiny's resource_tpl URI.

        As a user reads them off the query interface: the term of the
        image in IM's ``disk.0.image.url``, the whole mixin as
        ``instance_type``.
        """
        response = self.occi('GET', '/-/', headers={
            'Accept': 'application/occi+json'})
        self.assertEqual(200, response.status_code, response.text)
        os_tpl = resource_tpl = None
        for mixin in response.json()['mixins']:
            depends = mixin.get('depends', ())
            if (base.INFRA + 'os_tpl' in depends
                    and mixin.get('title') == 'cirros-fake'):
                os_tpl = mixin['term']
            if (base.INFRA + 'resource_tpl' in depends
                    and mixin.get('title') == 'm1.tiny'):
                resource_tpl = mixin['scheme'] + mixin['term']
        self.assertIsNotNone(os_tpl, 'no os_tpl titled cirros-fake')
        self.assertIsNotNone(resource_tpl, 'no resource_tpl titled m1.tiny')
        return os_tpl, resource_tpl

    def radl(self, public=False, disk=False):
        """The RADL a user gives IM: one node, a script, a key."""
        return """
network private ()
network public (outbound = 'yes')
system node (
    instance_name = '%(name)s' and
    instance_type = '%(resource_tpl)s' and
    cpu.arch = 'x86_64' and cpu.count >= 1 and memory.size >= 512m and
    net_interface.0.connection = 'private' and
    net_interface.0.dns_name = 'im-node-#N#' and
    %(public)s
    %(disk)s
    disk.0.image.url = '%(url)s/os_tpl/%(os_tpl)s' and
    disk.0.os.credentials.username = 'cloudadm' and
    disk.0.os.credentials.public_key = '%(key)s'
)
configure node (
@begin
%(script)s
@end
)
contextualize (
    system node configure node with cloud_init
)
""" % {'name': self.name, 'resource_tpl': self.resource_tpl,
            'url': self.occi_url, 'os_tpl': self.os_tpl, 'key': PUBLIC_KEY,
            'script': USER_SCRIPT,
            'public': ("net_interface.1.connection = 'public' and"
                       if public else ''),
            'disk': ("disk.1.size = 1G and disk.1.device = 'hdb' and"
                     if disk else '')}

    def launch(self, **radl):
        """Launch one VM through IM; finalized when the test ends."""
        results = self.client.launch(self.radl(**radl))
        self.assertEqual(1, len(results))
        ok, vm = results[0]
        self.assertTrue(ok, 'IM could not launch: %s' % (vm,))
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % vm.id)
        self.addCleanup(self.finalize_left, vm)
        self.assertEqual(None, self.client.wait_state(vm, im.RUNNING))
        return vm

    def admin_server(self, server_id):
        """The server as an admin reads it (user data, hostname)."""
        return self.nova('GET', '/servers/%s' % server_id,
                         token=self.admin_token, expect=200).json()['server']

    def finalize_left(self, vm):
        """Finalize a VM that the test left (it failed half way)."""
        if not getattr(vm, 'finalized', False):
            self.client.finalize(vm)

    def finalize(self, vm):
        vm.finalized = True
        ok, message = self.client.finalize(vm)
        self.assertTrue(ok, 'IM could not finalize: %s' % message)
        for _ in range(120):
            if self.nova('GET', '/servers/%s' % vm.id).status_code == 404:
                return
            time.sleep(0.5)
        self.fail('server %s is still in Nova after finalize' % vm.id)

    def assertVolumeGone(self, volume_id):
        for _ in range(120):
            if self.cinder('GET', '/volumes/' + volume_id).status_code == 404:
                return
            time.sleep(0.5)
        self.fail('volume %s is still in Cinder: %s' % (
            volume_id, self.volume(volume_id)))

    def floating_ips(self, server_id):
        """The server's floating IPs in Neutron: {address: port id}."""
        ports = self.neutron('GET', '/ports?device_id=%s' % server_id,
                             expect=200).json()['ports']
        found = {}
        for port in ports:
            for fip in self.neutron(
                    'GET', '/floatingips?port_id=%s' % port['id'],
                    expect=200).json()['floatingips']:
                found[fip['floating_ip_address']] = port['id']
        return found

    def assertFloatingIPReleased(self, address):
        fips = self.neutron('GET', '/floatingips?floating_ip_address=%s'
                            % address, expect=200).json()['floatingips']
        self.assertEqual([], fips, 'floating IP %s was kept' % address)

    def attached(self, volume_id, server_id):
        """The device of a volume attached to the server in Cinder."""
        volume = self.wait_volume(volume_id, ('in-use',))
        servers = {a['server_id']: a['device']
                   for a in volume['attachments']}
        self.assertIn(server_id, servers)
        return servers[server_id]

    def test_launch_read_and_finalize(self):
        vm = self.launch()
        server = self.admin_server(vm.id)
        self.assertEqual(self.name, server['name'])
        self.assertEqual('im-node-0', server['OS-EXT-SRV-ATTR:hostname'])
        # IM sends the RADL's cloud_init recipe stripped.
        self.assertEqual(USER_SCRIPT.strip(), base64.b64decode(
            server['OS-EXT-SRV-ATTR:user_data']).decode('utf-8'))
        keypair = self.nova('GET', '/os-keypairs/%s' % server['key_name'],
                            expect=200).json()['keypair']
        self.assertEqual(PUBLIC_KEY, keypair['public_key'].strip())

        # What IM read back: its size, and the private address Nova gave
        # the server on the project's network (the default, "auto").
        system = vm.info.systems[0]
        self.assertEqual(1, system.getValue('cpu.count'))
        self.assertEqual(512, system.getFeature('memory.size').getValue('M'))
        addresses = [a['addr'] for network in server['addresses'].values()
                     for a in network]
        self.assertEqual(1, len(addresses), server['addresses'])
        self.assertEqual(addresses[0], vm.getPrivateIP())
        self.assertIsNone(vm.getPublicIP())

        self.finalize(vm)
        self.assertEqual([], self.neutron(
            'GET', '/ports?device_id=%s' % vm.id,
            expect=200).json()['ports'])

    def test_stop_start_reboot(self):
        vm = self.launch()
        ok, message = self.client.stop(vm)
        self.assertTrue(ok, message)
        # IM stops with OCCI's suspend: Nova suspends the server.
        self.wait_server(vm.id, 'SUSPENDED')
        self.assertEqual(None, self.client.wait_state(vm, im.STOPPED))

        ok, message = self.client.start(vm)
        self.assertTrue(ok, message)
        self.wait_server(vm.id, 'ACTIVE')
        self.assertEqual(None, self.client.wait_state(vm, im.RUNNING))

        ok, message = self.client.reboot(vm)
        self.assertTrue(ok, message)
        self.wait_server(vm.id, 'ACTIVE')
        actions = [a['action'] for a in self.nova(
            'GET', '/servers/%s/os-instance-actions' % vm.id,
            expect=200).json()['instanceActions']]
        # Nova lists the newest first.
        self.assertEqual(['reboot', 'resume', 'suspend', 'create'], actions)
        self.assertEqual(None, self.client.wait_state(vm, im.RUNNING))
        self.finalize(vm)

    def test_disks_and_volumes(self):
        # A disk in the RADL: IM makes the volume first and links it in
        # the compute create.
        vm = self.launch(disk=True)
        system = vm.info.systems[0]
        first = system.getValue('disk.1.provider_id')
        devices = {first: self.attached(first, vm.id)}

        # Add a disk to the running VM.
        ok, message = self.client.alter(vm, """
system node ( disk.2.size = 1G and disk.2.device = 'hdc' )""")
        self.assertTrue(ok, message)
        second = system.getValue('disk.2.provider_id')
        self.assertIsNotNone(second)
        self.assertNotEqual(first, second)
        self.assertEqual(1, self.volume(second)['size'])
        devices[second] = self.attached(second, vm.id)

        # Attach a volume the user made.
        own = self.make_volume(name='im-own-' + self.name)['id']
        self.assertTrue(self.client.attach_volume(vm, own, 'vdd'))
        self.attached(own, vm.id)

        # IM reads each disk's device from the compute's storagelinks.
        ok, message = self.client.update(vm)
        self.assertTrue(ok, message)
        read = {system.getValue('disk.%d.provider_id' % n):
                system.getValue('disk.%d.device' % n) for n in (1, 2)}

        # IM detaches and deletes every volume but the root disk.
        self.finalize(vm)
        for volume_id in (first, second, own):
            self.assertVolumeGone(volume_id)
        self.assertEqual(devices, read)

    def test_public_ip(self):
        # A RADL with a public network: IM adds the public IP itself once
        # the VM runs, and reads it back.
        vm = self.launch(public=True)
        deadline = time.monotonic() + 60
        while not vm.getPublicIP() and time.monotonic() < deadline:
            self.client.update(vm)
            time.sleep(1)
        address = vm.getPublicIP()
        self.assertIsNotNone(address, 'IM read no public IP')
        self.assertEqual([address], list(self.floating_ips(vm.id)))
        self.assertTrue(address.startswith('172.24.4.'), address)

        # Remove it (the VM's RADL without the public network) ...
        ok, message = self.client.alter(vm, self.radl())
        self.assertTrue(ok, message)
        self.assertEqual({}, self.floating_ips(vm.id))
        self.assertFloatingIPReleased(address)
        self.client.update(vm)
        self.assertIsNone(vm.getPublicIP())

        # ... and add one again.
        ok, message = self.client.alter(vm, self.radl(public=True))
        self.assertTrue(ok, message)
        added = self.floating_ips(vm.id)
        self.assertEqual(1, len(added), added)
        self.client.update(vm)
        self.assertEqual(list(added), [vm.getPublicIP()])

        self.finalize(vm)
        self.assertFloatingIPReleased(list(added)[0])
