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

"""IM's OCCI connector, set up as a site runs it, without an IM server.

:class:`IMClient` holds one ``OCCICloudConnector`` made the way IM makes
it (``Authentication`` -> ``CloudInfo`` -> ``getCloudConnector``) and
calls its operations as IM's server does. What a site writes in
``im.cfg`` is set on ``IM.config.Config`` (:class:`SiteSettings`); the
connector's own code and what it sends are not touched.

:class:`WireLog` only records: every exchange with the OCCI endpoint
(request, status, answer; tokens hidden) goes into the failing test's
details, so a failure shows what IM sent and what it was answered.
"""

import logging
import threading
import time

import fixtures
import requests
import testtools.content

from IM.auth import Authentication
from IM.CloudInfo import CloudInfo
from IM.VirtualMachine import VirtualMachine
from radl import radl_parse

# im.cfg's PRIVATE_NET_MASKS without 172.16.0.0/12: the mini-cloud's
# public (floating) range is 172.24.4.0/24, and IM tells public from
# private addresses by these masks alone.
PRIVATE_NET_MASKS = ["10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16",
                     "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15"]

# What the tests wait for, in IM's own states.
RUNNING = VirtualMachine.RUNNING
STOPPED = VirtualMachine.STOPPED


class SiteSettings(fixtures.Fixture):
    """``im.cfg`` as a site without an IM server writes it."""

    def _setUp(self):
        self.useFixture(fixtures.MonkeyPatch(
            'IM.config.Config.PRIVATE_NET_MASKS', PRIVATE_NET_MASKS))
        # No IM server: no reverse SSH tunnels to it in the user data.
        self.useFixture(fixtures.MonkeyPatch(
            'IM.config.Config.SSH_REVERSE_TUNNELS', False))
        # IM reads a VM's state at most this often; the tests poll.
        self.useFixture(fixtures.MonkeyPatch(
            'IM.config.Config.VM_INFO_UPDATE_FREQUENCY', 0))


class Infrastructure:
    """The few parts of IM's ``InfrastructureInfo`` the connector uses.

    The real class imports IM's Ansible contextualizer and TOSCA parser,
    which an IM server needs and the connector does not: it only adds its
    VMs to the infrastructure, and a VM asks it whether contextualization
    is still going on.
    """

    def __init__(self, radl):
        self.id = 'interop'
        self.radl = radl
        self.vm_list = []
        self.vm_master = None
        self.configured = None
        self._lock = threading.Lock()

    def add_vm(self, vm):
        """As IM does: the VM's IM id is its position in the list."""
        with self._lock:
            vm.creation_im_id = vm.im_id
            vm.im_id = len(self.vm_list)
            if vm.creation_im_id is None:
                vm.creation_im_id = vm.im_id
            self.vm_list.append(vm)

    def get_vm_list(self):
        with self._lock:
            return [vm for vm in self.vm_list if not vm.destroy]

    def is_configured(self):
        return self.configured

    def set_configured(self, configured):
        self.configured = configured

    def vm_in_ctxt_tasks(self, vm):
        return False

    def stop(self):
        pass


class WireLog(fixtures.Fixture):
    """Record every exchange with ``prefix`` (nothing is changed)."""

    HIDDEN = ('x-auth-token', 'authorization')

    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix
        self.exchanges = []

    def _setUp(self):
        send = requests.sessions.Session.send
        log = self

        def recording_send(session, request, **kwargs):
            response = send(session, request, **kwargs)
            if request.url.startswith(log.prefix):
                log.exchanges.append((request, response))
            return response

        self.useFixture(fixtures.MonkeyPatch(
            'requests.sessions.Session.send', recording_send))
        self.addDetail('occi-wire', testtools.content.Content(
            testtools.content_type.UTF8_TEXT,
            lambda: [self.text().encode('utf-8')]))

    def _headers(self, headers):
        return ''.join('    %s: %s\n' % (name, '<hidden>' if name.lower()
                                         in self.HIDDEN else value)
                       for name, value in headers.items())

    @staticmethod
    def _body(body, limit=3000):
        if isinstance(body, bytes):
            body = body.decode('utf-8', 'replace')
        body = body or ''
        if len(body) > limit:
            body = body[:limit] + '... (%d characters)' % len(body)
        return ''.join('    | %r\n' % line for line in body.split('\n'))

    def text(self):
        parts = []
        for request, response in self.exchanges:
            parts.append('>>> %s %s\n%s%s<<< %s %s\n%s%s\n' % (
                request.method, request.url, self._headers(request.headers),
                self._body(request.body), response.status_code,
                response.reason, self._headers(response.headers),
                self._body(response.text)))
        return ''.join(parts)


class IMClient:
    """One IM OCCI connector to the mini-cloud, driven as IM drives it."""

    def __init__(self, endpoint, token):
        self.endpoint = endpoint
        self.auth = Authentication([{'id': 'occi', 'type': 'OCCI',
                                     'host': endpoint, 'token': token}])
        self.cloud = CloudInfo.get_cloud_list(self.auth)[0]
        self.infrastructure = None
        self.connector = None
        self.token = token

    def radl(self, text):
        return radl_parse.parse_radl(text)

    def launch(self, radl_text):
        """Concretize and launch the RADL's one system.

        :returns: IM's launch result: [(success, VM or message)]
        """
        requested = self.radl(radl_text)
        self.infrastructure = Infrastructure(requested)
        self.connector = self.cloud.getCloudConnector(self.infrastructure)
        # NOTE(ooi-save): IM's Keystone code knows only Keystone v2 and
        # EGI's federation; a token it was handed is its cached one.
        self.connector.keystone_token = self.token
        launch = requested.clone()
        systems = self.connector.concreteSystem(requested.systems[0],
                                                self.auth)
        if not systems:
            raise AssertionError('IM found no system for this cloud in '
                                 '%s' % radl_text)
        launch.systems = [systems[0]]
        return self.connector.launch(self.infrastructure, launch, requested,
                                     1, self.auth)

    def auth_header(self):
        return self.connector.get_auth_header(self.auth)

    def update(self, vm):
        """IM's updateVMInfo: (success, VM or message)."""
        return self.connector.updateVMInfo(vm, self.auth)

    def wait_state(self, vm, state, timeout=120):
        """Read the VM as IM does until IM sees ``state``.

        :returns: the last message when it never did, else None
        """
        deadline = time.monotonic() + timeout
        message = None
        while time.monotonic() < deadline:
            ok, found = self.update(vm)
            if ok and vm.state == state:
                return None
            message = 'IM reads %s (%s)' % (vm.state, found if not ok
                                            else 'read ok')
            time.sleep(1)
        return message

    def stop(self, vm):
        return self.connector.stop(vm, self.auth)

    def start(self, vm):
        return self.connector.start(vm, self.auth)

    def reboot(self, vm):
        return self.connector.reboot(vm, self.auth)

    def alter(self, vm, radl_text):
        return self.connector.alterVM(vm, self.radl(radl_text), self.auth)

    def attach_volume(self, vm, volume_id, device):
        return self.connector.attach_volume(vm, volume_id, device, None,
                                            self.auth, self.auth_header())

    def finalize(self, vm):
        return self.connector.finalize(vm, True, self.auth)


def quiet_im_logs():
    """IM logs every body it sends at DEBUG: keep them for failures only."""
    return fixtures.FakeLogger(level=logging.DEBUG,
                               format='%(asctime)s %(name)s %(message)s')
