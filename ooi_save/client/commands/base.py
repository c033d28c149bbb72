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

"""What the ``occi`` commands share: the client, and entities as rows."""

from concurrent import futures

from cliff import command
from cliff import lister
from cliff import show

from ooi_save.client import errors
from ooi_save.client import wait as client_wait

CORE = ('occi.core.id', 'occi.core.title', 'occi.core.summary')


class _ClientMixin:
    """The client of the command's options, made once per run."""

    @property
    def client(self):
        return self.app.client

    def get_epilog(self):
        # NOTE(ooi-save): cliff's own epilog names the distribution that
        # provides a command, which it finds by reading the metadata of
        # every installed package: 0.3 s of each run in nova's environment.
        return ''

    def waiter(self, parsed_args):
        return client_wait.Waiter(
            self.client, timeout=parsed_args.timeout,
            interval=self.app.options.poll_interval, stream=self.app.stderr)

    @staticmethod
    def add_wait(parser, what):
        parser.add_argument('--wait', action='store_true',
                            help='Wait until %s.' % what)
        parser.add_argument('--timeout', type=float, default=600,
                            metavar='SECONDS',
                            help='How long --wait waits (default 600); '
                                 'the server goes on after it.')


class Command(_ClientMixin, command.Command):
    """A command printing nothing on success."""


class Lister(_ClientMixin, lister.Lister):
    """A command printing a table."""


class ShowOne(_ClientMixin, show.ShowOne):
    """A command printing one entity."""


def short_id(entity):
    """The id of an entity: ``occi.core.id``, else its location's end."""
    if entity.id:
        return entity.id
    if entity.location:
        return entity.location.rstrip('/').rsplit('/', 1)[-1]
    return ''


def term(type_id):
    return (type_id or '').rsplit('#', 1)[-1]


def entity_fields(entity):
    """(names, values) of an entity, for a ShowOne."""
    names = ['id', 'location', 'kind', 'title', 'summary', 'mixins']
    values = [short_id(entity), entity.location or '', entity.kind or '',
              entity.title or '', entity.summary or '',
              '\n'.join(entity.mixins)]
    if entity.source or entity.target:
        names += ['source', 'target']
        values += [entity.source or '', entity.target or '']
    for name in sorted(entity.attributes):
        if name in CORE or name in ('occi.core.source', 'occi.core.target'):
            continue
        names.append(name)
        values.append(_value(entity.attributes[name]))
    if entity.links:
        names.append('links')
        values.append('\n'.join(
            '%s -> %s (%s)' % (link.location or link.id or '',
                               link.target, term(link.kind))
            for link in entity.links))
    names.append('actions')
    values.append(' '.join(term(getattr(a, 'action', a))
                           for a in entity.actions))
    return names, values


def _value(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, dict)):
        import json
        return json.dumps(value)
    return value


#: Entities read at the same time for a long listing in a text rendering.
READERS = 8


def _read_each(client, entities):
    """The entities of a listing of locations, each read in full.

    They are read :data:`READERS` at a time (100 computes one after the
    other took 6.8 s); one deleted since the listing is left out.
    """
    def read(entity):
        if entity.kind is not None:
            return entity
        try:
            return client.show(entity.location)
        except errors.NotFound:
            return None

    if all(entity.kind is not None for entity in entities):
        return entities         # listed in full (JSON): nothing to read
    with futures.ThreadPoolExecutor(READERS) as pool:
        return [e for e in pool.map(read, entities) if e is not None]


def listing(client, kind, entities, long=False):
    """(columns, rows) of a listing: id, title, state, location.

    In the text renderings the listing carries locations only, and
    ``long`` reads each entity for the rest.
    """
    state_name = {'compute': 'occi.compute.state',
                  'network': 'occi.network.state',
                  'storage': 'occi.storage.state'}.get(kind)
    entities = list(entities)
    if long:
        entities = _read_each(client, entities)
    rows = []
    for entity in entities:
        rows.append((short_id(entity), entity.title or '',
                     entity.attributes.get(state_name, '') if state_name
                     else '', entity.location))
    return ('ID', 'Title', 'State', 'Location'), rows
