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

"""What the unit tests share: the real filter over the fakes, and a test
case that calls it through :mod:`tests.unit.client`."""

import os

import fixtures
from oslo_config import cfg
import testtools

from ooi_save import config
from ooi_save.db import migration
from ooi_save.http import filter as occi_filter
from tests.unit import client
from tests.unit.fakes import glance as fake_glance
from tests.unit.fakes import networked_nova
from tests.unit.fakes import neutron as fake_neutron
from tests.unit.fakes import neutron_secgroups as fake_secgroups
from tests.unit.fakes import nova as fake_nova


def make_conf(**overrides):
    """A fresh oslo.config object with the [occi] group set."""
    conf = cfg.ConfigOpts()
    conf([], project='nova')
    filter_conf = config.FilterConfig({}, conf)
    for name, value in overrides.items():
        conf.set_override(name, value, group='occi')
    return conf, filter_conf


def build(local_conf=None, nova=None, database=None, **overrides):
    """The real filter over a fake Nova.

    :param database: the URL of an OCCI database, synced, or None
    :returns: (filter, fake nova)
    """
    nova = nova or fake_nova.FakeNova()
    conf, _ = make_conf(**overrides)
    if database:
        conf.set_override('connection', database, group='occi_database')
    filter_conf = config.FilterConfig(local_conf or {}, conf)
    return occi_filter.OCCIFilter(nova, filter_conf), nova


class FilterTestCase(testtools.TestCase):
    """A test of the real filter, ``self.occi``, which its setUp builds."""

    #: The Accept header of the calls that name none (None: no header).
    accept = 'text/plain'
    #: The ``nova.context`` of the calls that name none (None: a new one
    #: each).
    context = None

    def call(self, path, method='GET', accept=None, body=b'', headers=None,
             context=None):
        """One OCCI request to the filter (see :func:`client.call`)."""
        return client.call(self.occi, path, method, accept or self.accept,
                           body, headers, context or self.context)


class NetworkedCloud(fixtures.Fixture):
    """The real filter over the fake Nova, Glance and Neutron.

    Seeded as the mini-cloud is: an external network ``public``; in the
    projects demo and alt a private network, its subnet and a router to
    public.

    :param database: give the filter an OCCI database (SQLite, synced)
    :param overrides: ``[occi]`` options
    """

    def __init__(self, database=False, **overrides):
        super().__init__()
        self.database = database
        self.overrides = dict({'resume_saves_at_startup': 'false',
                               'report_backend_calls': 'true'}, **overrides)

    def _setUp(self):
        self.nova = networked_nova.NetworkedNova()
        #: The URL of the filter's OCCI database, or None.
        self.db_url = None
        if self.database:
            tmp = self.useFixture(fixtures.TempDir()).path
            self.db_url = 'sqlite:///' + os.path.join(tmp, 'occi.db')
            migration.upgrade(self.db_url)
        self.occi, _ = build(self.overrides, nova=self.nova,
                             database=self.db_url)
        glance = self.useFixture(fake_glance.GlanceFixture(
            fake_glance.IMAGES[:1]))
        #: The Glance fixture, whose requests-mock other fakes may join.
        self.glance = glance
        self.neutron = fake_neutron.FakeNeutron(glance.mock, {
            'demo-token': 'demo-project', 'alt-token': 'alt-project'})
        self.nova.neutron = self.neutron
        self.nova.checks_images = True
        #: Neutron's security groups, on the same fake Neutron.
        self.security_groups = fake_secgroups.FakeSecurityGroups(
            self.neutron, glance.mock)
        self.public = self.neutron.add_network(
            'admin-project', 'public', '172.24.4.0/24', external=True)
        self.private = self.neutron.add_network(
            'demo-project', 'private', '10.0.0.0/24')
        self.router = self.neutron.add_router(
            'demo-project', self.public,
            self.neutron.items['subnets'][self.private['subnets'][0]])
        self.alt_private = self.neutron.add_network(
            'alt-project', 'alt-private', '10.1.0.0/24')
        self.neutron.add_router(
            'alt-project', self.public,
            self.neutron.items['subnets'][self.alt_private['subnets'][0]])
        self.demo = fake_neutron.context()
        self.alt = fake_neutron.context('alt-project', 'alt-token',
                                        user_id='alt-user')

    def boot(self, name='vm', networks=None, project='demo-project'):
        """A server as Nova would have it, with ports on networks."""
        server = self.nova.add_server(name=name)
        self.nova.owners[server['id']] = project
        for network in networks or [self.private]:
            self.neutron.make_port(project, network['id'],
                                   device_id=server['id'],
                                   device_owner='compute:nova',
                                   made_by_nova=True)
        return server

    def ports_of(self, server_id):
        return [p for p in self.neutron.items['ports'].values()
                if p['device_id'] == server_id]

    def floating_ips(self):
        return list(self.neutron.items['floatingips'].values())
