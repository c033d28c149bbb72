"""RabbitMQ: a private node with its own epmd, started and stopped by PID."""

import os

import configs
import layout
import process


def rabbit_env():
    rdir = os.path.join(layout.STATE, "rabbit")
    return dict(
        os.environ,
        HOME=os.path.join(rdir, "home"),
        RABBITMQ_NODENAME="minicloud%d@localhost" % layout.BASE,
        RABBITMQ_NODE_IP_ADDRESS=layout.HOST,
        RABBITMQ_NODE_PORT=str(layout.PORTS["amqp"]),
        RABBITMQ_DIST_PORT=str(layout.PORTS["dist"]),
        RABBITMQ_CTL_DIST_PORT_MIN=str(layout.PORTS["ctl_min"]),
        RABBITMQ_CTL_DIST_PORT_MAX=str(layout.PORTS["ctl_max"]),
        ERL_EPMD_PORT=str(layout.PORTS["epmd"]),
        ERL_EPMD_ADDRESS=layout.HOST,
        RABBITMQ_MNESIA_BASE=os.path.join(rdir, "mnesia"),
        RABBITMQ_LOG_BASE=os.path.join(rdir, "log"),
        RABBITMQ_CONFIG_FILE=os.path.join(rdir, "rabbitmq.conf"),
        RABBITMQ_ADVANCED_CONFIG_FILE=os.path.join(rdir, "advanced.config"),
        RABBITMQ_CONF_ENV_FILE=os.path.join(rdir, "rabbitmq-env.conf"),
        RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(rdir, "enabled_plugins"),
        RABBITMQ_PLUGINS_EXPAND_DIR=os.path.join(rdir, "plugins-expand"),
        RABBITMQ_PID_FILE=os.path.join(layout.RUN, "rabbitmq-beam.pid"),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=(
            "-kernel inet_dist_use_interface {127,0,0,1}"),
        RABBITMQ_LOGS="-",
    )


def write_rabbit_config():
    rdir = os.path.join(layout.STATE, "rabbit")
    for d in ("home", "mnesia", "log", "plugins-expand"):
        os.makedirs(os.path.join(rdir, d), exist_ok=True)
    layout.write(os.path.join(rdir, "rabbitmq.conf"), """\
listeners.tcp.default = {host}:{port}
default_user = {user}
default_pass = {pw}
default_vhost = {vhost}
loopback_users = none
log.console = true
log.console.level = info
log.file = false
disk_free_limit.absolute = 50MB
""".format(host=layout.HOST, port=layout.PORTS["amqp"],
           user=layout.RABBIT_USER, pw=layout.RABBIT_PASS,
           vhost=layout.RABBIT_VHOST))
    layout.write(os.path.join(rdir, "advanced.config"), "[].\n")
    layout.write(os.path.join(rdir, "rabbitmq-env.conf"), "")
    layout.write(os.path.join(rdir, "enabled_plugins"), "[].\n")


def ensure_rabbit():
    env = rabbit_env()
    if not process.alive("epmd"):
        process.stop("rabbitmq")     # a beam without its epmd is no use
        process.spawn("epmd", ["epmd", "-port", str(layout.PORTS["epmd"]),
                               "-address", layout.HOST], env=env)
        process.wait_for("epmd",
                         lambda: process.port_open(layout.PORTS["epmd"]), 10,
                         proc_name="epmd")
    if not process.alive("rabbitmq"):
        write_rabbit_config()
        process.spawn("rabbitmq", ["/usr/lib/rabbitmq/bin/rabbitmq-server"],
                      env=env)
    process.wait_for("rabbitmq (AMQP)", amqp_ready, 90, interval=0.3,
                     proc_name="rabbitmq")
    layout.say("rabbitmq: running on port %d" % layout.PORTS["amqp"])


def amqp_ready():
    import kombu
    with kombu.Connection(configs.amqp_url(), connect_timeout=2) as c:
        c.connect()
        return True


def queue_consumers(queue):
    import kombu
    with kombu.Connection(configs.amqp_url(), connect_timeout=2) as c:
        ch = c.channel()
        try:
            _, _, consumers = ch.queue_declare(queue=queue, passive=True)
        except Exception:   # noqa: BLE001 - not declared yet
            return 0
        return consumers
