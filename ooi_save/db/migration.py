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

"""Making and upgrading the schema of the OCCI database with alembic.

:func:`upgrade` is what ``ooi-save-manage db sync`` runs. The revisions
live in ``ooi_save/db/migrations/versions``; there is no alembic.ini: the
configuration is built here, pointing at the configured connection.
"""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
import sqlalchemy as sa

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'migrations')


def _config(connection_url):
    config = alembic_config.Config()
    config.set_main_option('script_location', MIGRATIONS)
    # NOTE(ooi-save): alembic's options are interpolated: a % in a password (as
    # in a URL-quoted one) must be doubled.
    config.set_main_option('sqlalchemy.url',
                           connection_url.replace('%', '%%'))
    return config


def upgrade(connection_url, revision='heads'):
    """Bring the schema up to a revision, the newest by default.

    :param connection_url: the database URL (``[occi_database]
        connection``)
    :param revision: an alembic revision
    """
    alembic_command.upgrade(_config(connection_url), revision)


def current(connection_url):
    """The revisions the database is at (empty before the first sync)."""
    engine = sa.create_engine(connection_url)
    try:
        with engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection)
            return set(context.get_current_heads())
    finally:
        engine.dispose()
