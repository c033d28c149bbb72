"""Neutron's schema migrations, several steps in one process.

    python neutron_migrate.py --config-file F [--config-file F...] \
        upgrade:REV stamp:REV upgrade:heads

Each step is what ``neutron-db-manage ... upgrade REV`` (or ``stamp``)
does. neutron-db-manage takes most of its time importing Neutron, three
times for the mini-cloud's three steps (see databases.neutron_migrations):
one process takes that time once.
"""
import logging.config
import sys

from neutron.common import config as common_config
from neutron.db.migration import cli


def main(argv):
    conf_args = []
    steps = []
    args = iter(argv)
    for arg in args:
        if arg == "--config-file":
            conf_args += [arg, next(args)]
        else:
            steps.append(arg.split(":", 1))
    common_config.register_common_config_options()
    logging.config.fileConfig(cli.neutron_alembic_ini)
    for command, revision in steps:
        cli.CONF(conf_args + [command, revision], project="neutron")
        print("neutron %s %s" % (command, revision), flush=True)
        for config in cli.get_alembic_configs():
            cli.CONF.command.func(config, cli.CONF.command.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
