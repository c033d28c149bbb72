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

"""``ooi-save-manage``: the operator's tool for the OCCI database.

::

    ooi-save-manage --config-file /etc/nova/nova.conf db sync
    python -m ooi_save.cmd.manage --config-file /etc/nova/nova.conf db sync

``db sync`` makes or upgrades the schema of the database named by
``[occi_database] connection`` (the user-defined mixins); run it once
before the filter serves mixins, and again after an upgrade of ooi-save.
``db version`` prints the revision the database is at.
"""

import sys

from oslo_config import cfg

from ooi_save.db import migration
from ooi_save import opts
from ooi_save import version


def _connection(conf):
    connection = conf[opts.DATABASE_GROUP].connection
    if not connection:
        sys.exit('[%s] connection is not set in the configuration files '
                 '(%s).' % (opts.DATABASE_GROUP,
                            ', '.join(conf.config_file) or 'none given'))
    return connection


def db_sync(conf):
    migration.upgrade(_connection(conf), conf.command.revision)
    print('The OCCI database is at revision %s.' % ', '.join(
        sorted(migration.current(_connection(conf)))))


def db_version(conf):
    print(', '.join(sorted(migration.current(_connection(conf))))
          or 'None (never synced)')


def _add_commands(subparsers):
    db = subparsers.add_parser('db', help='The OCCI database.')
    db_commands = db.add_subparsers(dest='db_command')
    db_commands.required = True
    sync = db_commands.add_parser(
        'sync', help='Make or upgrade the schema.')
    sync.add_argument('revision', nargs='?', default='heads',
                      help='The revision to upgrade to (the newest by '
                           'default).')
    sync.set_defaults(func=db_sync)
    db_commands.add_parser(
        'version', help='Print the revision of the schema.').set_defaults(
            func=db_version)


def main(argv=None, conf=None):
    """Run one command.

    :param argv: the arguments, without the program name (sys.argv's by
        default)
    :param conf: the ConfigOpts to parse them into (a new one by default)
    """
    conf = conf if conf is not None else cfg.ConfigOpts()
    opts.register_database_opts(conf)
    conf.register_cli_opt(cfg.SubCommandOpt(
        'command', title='Commands', handler=_add_commands))
    conf(sys.argv[1:] if argv is None else argv, project='nova',
         prog='ooi-save-manage', version=version.version_string)
    conf.command.func(conf)


if __name__ == '__main__':
    main()
