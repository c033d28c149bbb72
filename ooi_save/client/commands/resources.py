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

"""``occi network`` and ``occi storage``: list, show, create, update,
delete. The commands of both kinds are made by :func:`make`."""

import json

from ooi_save.client.commands import base
from ooi_save.client import errors

NETWORK_MIXINS = 'http://schemas.ogf.org/occi/infrastructure/network#'

#: Options that set one attribute, per kind: option -> (attribute, type,
#: mixin the attribute needs, help).
SHORTCUTS = {
    'network': {
        'address': ('occi.network.address', str,
                    NETWORK_MIXINS + 'ipnetwork',
                    'Address range in CIDR notation (ipnetwork mixin).'),
        'gateway': ('occi.network.gateway', str,
                    NETWORK_MIXINS + 'ipnetwork', 'Gateway address.'),
        'label': ('occi.network.label', str, None, 'Label.'),
    },
    'storage': {
        'size': ('occi.storage.size', float, None, 'Size in GiB.'),
    },
}


def attribute_values(pairs):
    """``NAME=VALUE`` pairs as a dict.

    Values are read as JSON when they are JSON (numbers, booleans, quoted
    strings), else as strings.
    """
    values = {}
    for pair in pairs or ():
        name, sep, value = pair.partition('=')
        if not sep or not name:
            raise errors.ClientError('--attribute %r is not NAME=VALUE.'
                                     % pair)
        try:
            values[name] = json.loads(value)
        except ValueError:
            values[name] = value
    return values


def make(kind):
    """The command classes of a kind: verb -> class."""
    shortcuts = SHORTCUTS[kind]

    def add_values(parser):
        parser.add_argument('--title', help='Title.')
        for option, (_name, kind_of, _mixin, text) in shortcuts.items():
            parser.add_argument('--' + option, type=kind_of, help=text)
        parser.add_argument('--attribute', action='append', default=[],
                            metavar='NAME=VALUE',
                            help='Any other attribute (repeat for more).')

    def values(client, parsed_args):
        attributes = attribute_values(parsed_args.attribute)
        mixins = []
        for option, (name, _kind_of, mixin, _text) in shortcuts.items():
            value = getattr(parsed_args, option)
            if value is not None:
                attributes[name] = value
                if mixin and mixin not in mixins:
                    mixins.append(mixin)
        return attributes, mixins

    class List(base.Lister):
        __doc__ = 'List %s entities: id, title and state.' % kind

        def get_parser(self, prog_name):
            parser = super().get_parser(prog_name)
            parser.add_argument('--long', action='store_true',
                                help='In the text renderings, read every '
                                     'entity for its title and state.')
            return parser

        def take_action(self, parsed_args):
            return base.listing(self.client, kind, self.client.list(kind),
                                parsed_args.long)

    class Show(base.ShowOne):
        __doc__ = 'Show one %s entity.' % kind

        def get_parser(self, prog_name):
            parser = super().get_parser(prog_name)
            parser.add_argument('entity', metavar=kind.upper(),
                                help='Id, title or location.')
            return parser

        def take_action(self, parsed_args):
            location = self.client.find(kind, parsed_args.entity)
            return base.entity_fields(self.client.show(location))

    class Create(base.ShowOne):
        __doc__ = 'Create a %s entity.' % kind

        def get_parser(self, prog_name):
            parser = super().get_parser(prog_name)
            add_values(parser)
            parser.add_argument('--mixin', action='append', default=[],
                                metavar='MIXIN',
                                help='Mixin to apply (repeat for more).')
            return parser

        def take_action(self, parsed_args):
            attributes, mixins = values(self.client, parsed_args)
            mixins += [self.client.mixin(m).type_id
                       for m in parsed_args.mixin]
            location = self.client.create(kind, mixins, attributes,
                                          title=parsed_args.title)
            return base.entity_fields(self.client.show(location))

    class Update(base.ShowOne):
        __doc__ = 'Change attributes of a %s entity.' % kind

        def get_parser(self, prog_name):
            parser = super().get_parser(prog_name)
            parser.add_argument('entity', metavar=kind.upper(),
                                help='Id, title or location.')
            add_values(parser)
            return parser

        def take_action(self, parsed_args):
            location = self.client.find(kind, parsed_args.entity)
            attributes, _mixins = values(self.client, parsed_args)
            if not attributes and parsed_args.title is None:
                raise errors.ClientError('Nothing to update: give --title '
                                         'or an attribute.')
            return base.entity_fields(self.client.update(
                location, kind, attributes, title=parsed_args.title))

    class Delete(base.Command):
        __doc__ = 'Delete a %s entity.' % kind

        def get_parser(self, prog_name):
            parser = super().get_parser(prog_name)
            parser.add_argument('entity', metavar=kind.upper(),
                                help='Id, title or location.')
            return parser

        def take_action(self, parsed_args):
            self.client.delete(self.client.find(kind, parsed_args.entity))

    classes = {'list': List, 'show': Show, 'create': Create,
               'update': Update, 'delete': Delete}
    for verb, cls in classes.items():
        cls.__name__ = cls.__qualname__ = '%s%s' % (kind.title(),
                                                    verb.title())
    return classes
