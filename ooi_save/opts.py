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

"""Configuration options of the OCCI filter.

The filter's options live in the ``[occi]`` group of nova's configuration.
Any of them can be overridden for one filter instance from its
``[filter:...]`` section in ``api-paste.ini`` (see
:func:`ooi_save.http.filter.filter_factory`).

The ``[occi_trustee]`` group holds the service credentials to which callers
delegate their deferred saves through Keystone trusts (see
:mod:`ooi_save.backend.save.delegation`): keystoneauth's usual auth and session
options, as in nova's ``[service_user]``. They are read from nova.conf only,
not from api-paste.ini.

The ``[occi_database]`` group holds oslo.db's database options for the
filter's own small database (user-defined mixins, :mod:`ooi_save.db`); its
``connection`` is a SQLAlchemy URL (SQLite for one node, the cloud's MySQL
or PostgreSQL when several nova-api nodes serve OCCI). Without it, clients
cannot define mixins. It is read from nova.conf only.
"""

import copy

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_db import options as db_options

GROUP = 'occi'
TRUSTEE_GROUP = 'occi_trustee'
DATABASE_GROUP = 'occi_database'

occi_opts = [
    cfg.StrOpt('prefix',
               default='',
               help='Path, below the point where the filter is mounted, '
                    'under which requests are OCCI. Empty when the filter '
                    'has a urlmap prefix of its own (for example '
                    '/occi1.2); set it (for example to /occi) when the '
                    'filter sits in the /v2.1 pipeline, so that every '
                    'other request passes through untouched.'),
    cfg.StrOpt('os_tpl_scheme',
               default='http://schemas.openstack.org/template/os#',
               help='Scheme of the provider os_tpl mixins, one per Glance '
                    'image.'),
    cfg.StrOpt('resource_tpl_scheme',
               default='http://schemas.openstack.org/template/resource#',
               help='Scheme of the provider resource_tpl mixins, one per '
                    'flavor.'),
    cfg.StrOpt('default_os_tpl',
               help='Glance image used when a compute is created '
                    'without an os_tpl mixin: its id, or its name (the '
                    'newest active image of that name the caller sees). '
                    'Without it such a request is refused with 400.'),
    cfg.StrOpt('default_resource_tpl',
               help='Flavor used when a compute is created without a '
                    'resource_tpl mixin: its name, its id or its '
                    'resource_tpl term. Without it such a request is '
                    'refused with 400.'),
    cfg.StrOpt('default_network',
               default='auto',
               deprecated_name='network',
               help='Network of a compute created without links to '
                    'networks: "auto" for the project\'s own network (the '
                    'oldest network of the caller\'s project that is '
                    'neither shared nor external; a shared one when the '
                    'project has none; no network at all when there is '
                    'none of either), "none" for no network, or the name '
                    'or id of a Neutron network.'),
    cfg.StrOpt('neutron_endpoint',
               help='Neutron endpoint URL (without /v2.0). By default it '
                    'is taken from the caller\'s service catalog.'),
    cfg.StrOpt('neutron_interface',
               default='public',
               choices=['public', 'internal', 'admin'],
               help='Catalog interface of the Neutron endpoint.'),
    cfg.StrOpt('neutron_region',
               help='Catalog region of the Neutron endpoint.'),
    cfg.StrOpt('glance_endpoint',
               help='Glance endpoint URL. By default it is taken from the '
                    'caller\'s service catalog.'),
    cfg.StrOpt('glance_interface',
               default='public',
               choices=['public', 'internal', 'admin'],
               help='Catalog interface of the Glance endpoint.'),
    cfg.StrOpt('glance_region',
               help='Catalog region of the Glance endpoint.'),
    cfg.StrOpt('cinder_endpoint',
               help='Cinder block storage (v3) endpoint URL; '
                    '%(project_id)s in it is replaced by the caller\'s '
                    'project, e.g. http://cinder:8776/v3/%(project_id)s. '
                    'By default it is taken from the caller\'s service '
                    'catalog (service type block-storage, else '
                    'volumev3).'),
    cfg.StrOpt('cinder_interface',
               default='public',
               choices=['public', 'internal', 'admin'],
               help='Catalog interface of the Cinder endpoint.'),
    cfg.StrOpt('cinder_region',
               help='Catalog region of the Cinder endpoint.'),
    cfg.IntOpt('storage_extend_timeout',
               default=60,
               min=0,
               help='Seconds an update that grows a storage waits for '
                    'Cinder to finish extending the volume before '
                    'answering with the volume as it is then.'),
    cfg.IntOpt('floating_ip_settle_timeout',
               default=10,
               min=0,
               help='Seconds a networkinterface create that gives a compute '
                    'a public address waits until Nova shows the floating '
                    'IP on the server (Neutron tells Nova in about a '
                    'second), so that the compute read next renders the '
                    'new link. 0 answers at once.'),
    cfg.IntOpt('interface_detach_timeout',
               default=20,
               min=0,
               help='Seconds the DELETE of a networkinterface to a private '
                    'network waits until Neutron shows the port detached '
                    '(Nova detaches in the background, in under a second '
                    'on most clouds), so that the link is gone once the '
                    'DELETE is answered, as a deleted compute is. 0 '
                    'answers at once.'),
    cfg.IntOpt('template_cache_ttl',
               default=30,
               min=0,
               help='Seconds for which the flavors (resource templates) '
                    'seen by one caller scope (project, user, roles), and '
                    'the availability zones, floating IP pools and default '
                    'network (see default_network) of one project, are '
                    'kept in memory by each nova-api process. 0 disables '
                    'the cache. Images (OS templates) are never kept: '
                    'Glance is read on every request, so that an image '
                    'saved through any node is listed at once through '
                    'every node.'),
    cfg.IntOpt('max_page_size',
               default=1000,
               min=1,
               help='Largest "number" of a paged collection request '
                    '(GET <collection>?page=P&number=N, GFD.223 section '
                    '6); a larger one is answered 413. Pages count from '
                    '1.'),
    cfg.IntOpt('max_body_size',
               default=102400,
               min=1,
               help='Largest request body, in bytes, the filter reads. A '
                    'larger one is answered 413 in the client\'s rendering '
                    'before it is parsed; a body of unknown length '
                    '(chunked) is read no further than this. The default '
                    'holds the largest user_data Nova takes (65535 bytes '
                    'of base64) and stays below oslo.middleware\'s '
                    '[oslo_middleware] max_request_body_size (114688), '
                    'which nova\'s sizelimit filter applies first.'),
    cfg.IntOpt('header_budget',
               default=4096,
               min=1024,
               help='Largest response header block, in bytes (status line '
                    'and every header line), that the proxy in front of '
                    'nova-api passes: HAProxy tune.bufsize less '
                    'tune.maxrewrite (16384 - 1024 = 15360 by default), '
                    'nginx proxy_buffer_size (4096 or 8192 by default). '
                    'A text/occi answer, which carries its rendering in '
                    'headers, that would pass it is never sent: a GET or '
                    'HEAD is answered in the next rendering its Accept '
                    'names, else refused with 406 saying how to ask for '
                    'it (another rendering, ?category=, paging); the '
                    'answer to a request that changed something keeps '
                    'its status and leaves the rendering out. The '
                    'default passes behind both proxies\' defaults.'),
    cfg.IntOpt('header_reserve',
               default=512,
               min=0,
               help='Bytes of header_budget kept for the headers that '
                    'nova\'s pipeline and the WSGI server add after the '
                    'filter (Date, X-OpenStack-Request-Id, '
                    'X-Compute-Request-Id, Via, Connection, CORS '
                    'headers): about 190 bytes under waitress without '
                    'CORS. Raise it when CORS expose_headers is long.'),
    cfg.StrOpt('save_method',
               default='hot',
               choices=['hot', 'deferred'],
               help='Method of a save action that names none.'),
    cfg.IntOpt('save_stop_timeout',
               default=120,
               min=1,
               help='Seconds a deferred save waits for the compute to '
                    'stop before giving up and starting it again.'),
    cfg.IntOpt('save_snapshot_timeout',
               default=3600,
               min=1,
               help='Seconds a deferred save waits for the snapshot upload '
                    'to finish before starting the compute again anyway.'),
    cfg.BoolOpt('report_backend_calls',
                default=False,
                help='Add to every OCCI response an X-OCCI-Backend-Calls '
                     'header counting the Nova and Glance calls made to '
                     'serve it. Meant for tests and benchmarks.'),
    cfg.BoolOpt('resume_saves_at_startup',
                default=True,
                help='Look for deferred saves left unfinished (for example '
                     'by a killed nova-api) when the filter starts, and '
                     'every save_sweep_interval seconds after, and finish '
                     'them. Every nova-api node should: the sweep is how '
                     'one node finishes the saves of a node that died.'),
    cfg.IntOpt('save_lease',
               default=60,
               min=5,
               help='Seconds for which a nova-api process that drives a '
                    'deferred save holds it: it renews the lease (its claim '
                    'in the [occi_database] database, or a server tag '
                    'without one) every third of it, and another node '
                    'takes the save over once the lease has run out. The '
                    'same on every node.'),
    cfg.IntOpt('save_sweep_interval',
               default=20,
               min=1,
               help='Seconds between two sweeps for unfinished deferred '
                    'saves on each nova-api process: one Nova listing of '
                    'the servers tagged as saving, in all projects. A save '
                    'whose driver died is finished within about '
                    'save_lease + save_sweep_interval seconds.'),
]


def register_opts(conf):
    """Register the options of the filter on a config object.

    :param conf: an :class:`oslo_config.cfg.ConfigOpts`
    """
    conf.register_opts(occi_opts, group=GROUP)
    register_trustee_opts(conf)
    register_database_opts(conf)


def register_database_opts(conf):
    """Register oslo.db's options in the ``[occi_database]`` group.

    :param conf: an :class:`oslo_config.cfg.ConfigOpts`
    """
    conf.register_opts(database_opts(), group=DATABASE_GROUP)


def database_opts():
    """oslo.db's database options, without their deprecated names.

    NOTE: oslo.db's options carry deprecated names in nova's own
    ``[DEFAULT]`` and ``[DATABASE]`` groups (``sql_connection``...);
    copied into our group they would read nova's database settings.
    """
    result = []
    for opt in db_options.database_opts:
        opt = copy.deepcopy(opt)
        opt.deprecated_opts = []
        result.append(opt)
    return result


def register_trustee_opts(conf):
    """Register the trustee's keystoneauth auth and session options.

    The options of the chosen auth plugin are registered by keystoneauth
    when the plugin is loaded.

    :param conf: an :class:`oslo_config.cfg.ConfigOpts`
    """
    ks_loading.register_session_conf_options(conf, TRUSTEE_GROUP)
    ks_loading.register_auth_conf_options(conf, TRUSTEE_GROUP)


def trustee_opts():
    """The trustee's options as the sample shows them (password plugin)."""
    return (ks_loading.get_session_conf_options() +
            ks_loading.get_auth_common_conf_options() +
            ks_loading.get_auth_plugin_conf_options('password'))


def list_opts():
    """The options, for oslo-config-generator.

    :returns: a list of (group, options) pairs
    """
    return [(GROUP, occi_opts), (TRUSTEE_GROUP, trustee_opts()),
            (DATABASE_GROUP, database_opts())]
