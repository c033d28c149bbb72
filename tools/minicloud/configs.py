"""The services' configuration files, written under <state>/etc."""

import configparser
import os
import shutil
import sys

import block_storage
import layout


HEALTHCHECK = "/healthcheck"


def db_url(name):
    return "postgresql+psycopg2://%s@%s:%d/%s" % (
        layout.PG_USER, layout.HOST, layout.PORTS["postgres"], name)


def transport_url():
    return "rabbit://%s:%s@%s:%d/%s" % (
        layout.RABBIT_USER, layout.RABBIT_PASS, layout.HOST,
        layout.PORTS["amqp"], layout.RABBIT_VHOST)


def amqp_url():
    """transport_url() as kombu takes it."""
    return transport_url().replace("rabbit://", "amqp://")


def authtoken(user):
    return service_auth(
        "keystone_authtoken", user,
        extra="www_authenticate_uri = {ks}/v3\n"
              "service_token_roles_required = true\n".format(
                  ks=layout.url("keystone")))


def service_auth(section, user="nova", extra=""):
    return """[{section}]
auth_type = password
auth_url = {ks}/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = {user}
password = {pw}
region_name = {region}
{extra}""".format(section=section, ks=layout.url("keystone"), user=user,
                  pw=layout.PASSWORDS["service"], region=layout.REGION,
                  extra=extra)


def trustee():
    """[occi_trustee]: the service user deferred saves are delegated to."""
    return """[occi_trustee]
auth_type = password
auth_url = {ks}/v3
user_domain_name = Default
project_domain_name = Default
project_name = service
username = nova
password = {pw}
""".format(ks=layout.url("keystone"), pw=layout.PASSWORDS["service"])


def nova_common():
    return """[DEFAULT]
host = {host}
state_path = {state}/nova/state
instances_path = {state}/nova/instances
transport_url = {transport}
my_ip = 127.0.0.1
use_stderr = true
debug = false
periodic_fuzzy_delay = 0
heal_instance_info_cache_interval = -1
# The fake driver plugs nothing: no vif-plugged event to wait for.
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
graceful_shutdown_timeout = 3
allow_resize_to_same_host = true
compute_driver = minicloud_fake.MiniCloudFakeDriver

[oslo_concurrency]
lock_path = {state}/nova/lock

[oslo_messaging_notifications]
driver = noop

[vnc]
enabled = false

{service_user}
send_service_user_token = true

[api]
auth_strategy = keystone

[wsgi]
api_paste_config = {paste}

[occi]
# default_network is left at the product's default, "auto", as a site runs
# it: a compute created without links boots on its project's private
# network. The tests count the backend calls of each OCCI request. A
# compute created without templates boots the seeded image on the smallest
# flavor.
report_backend_calls = true
default_os_tpl = {image}
default_resource_tpl = m1.tiny

[conductor]
workers = 1

[scheduler]
workers = 1
discover_hosts_in_cells_interval = 2

[glance]
region_name = {region}

{placement}
{neutron}
""".format(host=layout.NOVA_HOST, image=layout.IMAGE_NAME,
           state=layout.STATE, transport=transport_url(),
           paste=layout.NOVA_PASTE, region=layout.REGION,
           placement=service_auth("placement"),
           service_user=service_auth("service_user"),
           neutron=service_auth("neutron"))


def write_api_paste():
    """nova-api's paste file: PASTE plus two mini-cloud mounts.

    ``/plain/v2.1`` serves the compute API through the very pipeline of
    ``/v2.1`` with the OCCI filters (any ``ooi_save`` filter) taken out, so
    that tests can send one native request through both and compare. The
    operators' file (etc/api-paste.ini) stays free of it.

    ``/healthcheck`` is oslo.middleware's healthcheck, for HAProxy's checks:
    outside nova's pipelines, so that its requests are not logged.
    """
    with open(layout.PASTE) as source:
        text = source.read()
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    ours = {section.split(":", 1)[1] for section in parser.sections()
            if section.startswith("filter:") and parser.get(
                section, "paste.filter_factory",
                fallback="").strip().startswith("ooi_save.")}
    v21 = parser["composite:openstack_compute_api_v21"]
    lines = ["", "# Test-only, added by tools/minicloud: the /v2.1 pipeline "
             "without the OCCI",
             "# filter, mounted at %s." % layout.PLAIN_MOUNT,
             "[composite:openstack_compute_api_v21_plain]"]
    for key, value in v21.items():
        if key != "use":
            value = " ".join(w for w in value.split() if w not in ours)
        lines.append("%s = %s" % (key, value))
    urlmap = "[composite:osapi_compute]\n"
    if urlmap not in text:
        sys.exit("%s has no [composite:osapi_compute]" % layout.PASTE)
    text = text.replace(urlmap, urlmap + "%s/+: openstack_compute_api_v21_"
                        "plain\n" % layout.PLAIN_MOUNT +
                        "%s: minicloud_healthcheck\n" % HEALTHCHECK, 1)
    lines += ["", "# Added by tools/minicloud: HAProxy checks the nodes here.",
              "[app:minicloud_healthcheck]",
              "paste.app_factory = oslo_middleware:Healthcheck.app_factory",
              "backends ="]
    layout.write(layout.NOVA_PASTE,
                 text.rstrip("\n") + "\n" + "\n".join(lines) + "\n")


NEUTRON_FILES = ("neutron.conf", "ml2_conf.ini")


def write_neutron_configs():
    """Neutron: ML2 with no agents, our own binding driver, L3 in the DB."""
    neutron_etc = layout.etc("neutron")
    layout.write(os.path.join(neutron_etc, "neutron.conf"), """[DEFAULT]
use_stderr = true
debug = false
state_path = {state}/neutron
core_plugin = ml2
# Routers and floating IPs, in the database only (no L3 agent).
service_plugins = router
auth_strategy = keystone
transport_url = {transport}
api_paste_config = {etc}/api-paste.ini
allow_overlapping_ips = true
# No DHCP agent to tell; port changes go to nova (vif events).
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true

[database]
connection = {db}

[oslo_concurrency]
lock_path = {state}/neutron/lock

[oslo_messaging_notifications]
driver = noop

[agent]
report_interval = 0

{authtoken}
{nova}
""".format(state=layout.STATE, transport=transport_url(), etc=neutron_etc,
           db=db_url("neutron"), authtoken=authtoken("neutron"),
           nova=service_auth("nova", "neutron")))
    layout.write(os.path.join(neutron_etc, "ml2_conf.ini"), """[ml2]
# public is flat (the external network); projects get vxlan networks,
# allocated in the database. ml2_minicloud binds every port: no agent.
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = minicloud
extension_drivers = port_security

[ml2_type_flat]
flat_networks = public

[ml2_type_vxlan]
vni_ranges = 1:10000

[securitygroup]
enable_security_group = true
""")
    paste = os.path.join(sys.prefix, "etc", "neutron", "api-paste.ini")
    shutil.copy(paste, os.path.join(neutron_etc, "api-paste.ini"))
    os.makedirs(os.path.join(layout.STATE, "neutron", "lock"), exist_ok=True)


def nova_node_config(node):
    """The extra config file of one nova-api node: its own host."""
    return layout.etc("nova", "%s.conf" % node)


def write_configs(nova_api_nodes):
    write_api_paste()
    for node in nova_api_nodes:
        layout.write(nova_node_config(node), """# nova-api node %s: read
# after nova.conf (tools/minicloud/nova_api_wsgi.py), so that each node
# tells itself apart in logs and locks.
[DEFAULT]
host = %s-%s
""" % (node, layout.NOVA_HOST, node))
    # nova-api, -conductor, -scheduler, nova-manage
    layout.write(layout.etc("nova", "nova.conf"), nova_common() + """
[api_database]
connection = {api}

[database]
connection = {cell1}

{authtoken}
# The OCCI filter's deferred saves are delegated to nova's service user
# through Keystone trusts (enabled by default in keystone).
{trustee}
# The OCCI filter's own state; `up` migrates it with
# python -m ooi_save.cmd.manage --config-file nova.conf db sync.
[occi_database]
connection = {occi}

{cinder}
""".format(api=db_url("nova_api"), cell1=db_url("nova"),
           authtoken=authtoken("nova"), trustee=trustee(),
           occi=db_url("ooi_save"), cinder=block_storage.nova_section()))
    # nova-compute: no database settings (it refuses them)
    layout.write(layout.etc("nova-compute", "nova-compute.conf"),
                 nova_common() + "\n" + block_storage.nova_section())
    block_storage.write_config()
    layout.write(layout.etc("keystone", "keystone.conf"), """[DEFAULT]
use_stderr = true
debug = false

[database]
connection = {db}

[token]
provider = fernet
# 24 h: tests keep the tokens of .minicloud/openrc for a whole day.
expiration = 86400

[fernet_tokens]
key_repository = {state}/keystone/fernet-keys

[fernet_receipts]
key_repository = {state}/keystone/fernet-keys

[credential]
key_repository = {state}/keystone/credential-keys

[cache]
# In-process cache: one keystone process, so it is always coherent.
enabled = true
backend = dogpile.cache.memory

[identity]
# bcrypt's minimum: a test cloud does not need slow password hashing, and
# each user creation and password login would cost ~1 s of CPU otherwise.
password_hash_rounds = 4
""".format(db=db_url("keystone"), state=layout.STATE))
    layout.write(layout.etc("placement", "placement.conf"), """[DEFAULT]
use_stderr = true
debug = false

[api]
auth_strategy = keystone

[placement_database]
connection = {db}

{authtoken}
""".format(db=db_url("placement"), authtoken=authtoken("placement")))
    write_neutron_configs()
    glance_etc = os.path.join(layout.ETC, "glance")
    layout.write(os.path.join(glance_etc, "glance-api.conf"), """[DEFAULT]
use_stderr = true
debug = false
enabled_backends = fs:file

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = {state}/glance/images/

[os_glance_staging_store]
filesystem_store_datadir = {state}/glance/staging/

[os_glance_tasks_store]
filesystem_store_datadir = {state}/glance/tasks/

[database]
connection = {db}

[paste_deploy]
flavor = keystone
config_file = {etc}/glance-api-paste.ini

[oslo_messaging_notifications]
driver = noop

{authtoken}
""".format(state=layout.STATE, db=db_url("glance"), etc=glance_etc,
           authtoken=authtoken("glance")))
    paste = os.path.join(sys.prefix, "etc", "glance", "glance-api-paste.ini")
    if not os.path.exists(paste):
        import glance
        paste = os.path.join(os.path.dirname(glance.__file__), "..", "..",
                             "..", "..", "etc", "glance",
                             "glance-api-paste.ini")
    shutil.copy(paste, os.path.join(glance_etc, "glance-api-paste.ini"))
    for d in ("nova/state", "nova/instances", "nova/lock", "glance/images",
              "glance/staging", "glance/tasks", "keystone"):
        os.makedirs(os.path.join(layout.STATE, d), exist_ok=True)
