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

"""``occi link``: create, show and delete networkinterface and
storagelink links."""

from ooi_save.client import api
from ooi_save.client.commands import base
from ooi_save.client.commands import resources
from ooi_save.client import errors

#: The link kind of each target kind.
LINK_KINDS = {'network': 'networkinterface', 'storage': 'storagelink'}


def _kind_of(location):
    for kind in ('compute', 'network', 'storage'):
        if '/%s/' % kind in location:
            return kind
    return None


class LinkCreate(base.ShowOne):
    """Link a compute to a network or a storage."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('source', metavar='SOURCE',
                            help='The compute (id, title or location).')
        parser.add_argument('target', metavar='TARGET',
                            help='Location of the network or storage, or '
                                 'network:NAME|ID, storage:NAME|ID.')
        parser.add_argument('--kind', choices=sorted(LINK_KINDS.values()),
                            help='The link kind (default: from the target).')
        parser.add_argument('--attribute', action='append', default=[],
                            metavar='NAME=VALUE',
                            help='A link attribute (e.g. '
                                 'occi.storagelink.deviceid=/dev/vdb).')
        parser.add_argument('--mixin', action='append', default=[],
                            metavar='MIXIN', help='Mixin of the link.')
        return parser

    def take_action(self, parsed_args):
        client = self.client
        source = client.find('compute', parsed_args.source)
        target_kind, sep, ref = parsed_args.target.partition(':')
        if sep and target_kind in LINK_KINDS and '//' not in ref:
            target = client.find(target_kind, ref)
        else:
            target = client.url(parsed_args.target)
            target_kind = _kind_of(target)
        kind = parsed_args.kind or LINK_KINDS.get(target_kind)
        if kind is None:
            raise errors.ClientError(
                'Cannot tell the link kind of %s: give --kind.'
                % parsed_args.target)
        location = client.create_link(
            kind, source, target,
            target_kind=api.KINDS.get(target_kind),
            attributes=resources.attribute_values(parsed_args.attribute),
            mixins=[client.mixin(m).type_id for m in parsed_args.mixin])
        return base.entity_fields(client.show(location))


def link_location(client, ref):
    """The location of a link a user names by location or id.

    A storagelink's id is ``<compute id>_<volume id>``; any other id
    (a port id, ``fip_<id>``) is a networkinterface's.
    """
    if '/' in ref:
        return client.url(ref)
    kind = ('storagelink' if '_' in ref and not ref.startswith('fip_')
            else 'networkinterface')
    return client.kind_location(kind) + ref


class LinkShow(base.ShowOne):
    """Show a link."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('link', metavar='LINK',
                            help='Its location or id, as compute show '
                                 'lists them.')
        return parser

    def take_action(self, parsed_args):
        return base.entity_fields(self.client.show(
            link_location(self.client, parsed_args.link)))


class LinkDelete(base.Command):
    """Delete a link."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('link', metavar='LINK',
                            help='Its location or id, as compute show '
                                 'lists them.')
        return parser

    def take_action(self, parsed_args):
        self.client.delete(link_location(self.client, parsed_args.link))
