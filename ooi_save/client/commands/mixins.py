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

"""``occi discover``, ``occi template list`` and ``occi mixin``."""

from ooi_save.client.commands import base
from ooi_save.client import discovery

#: The scheme of user mixins made without ``--scheme``.
USER_SCHEME = 'http://schemas.ooi-save.org/occi/user#'


class Discover(base.Lister):
    """Kinds, mixins and actions the server offers (its /-/)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--class', dest='category_class',
                            choices=('kind', 'mixin', 'action'),
                            help='Only categories of this class.')
        return parser

    def take_action(self, parsed_args):
        model = self.client.model(refresh=True)
        rows = [(c.category_class or '', c.type_id, c.title or '',
                 c.location or '') for c in model.categories
                if parsed_args.category_class in (None, c.category_class)]
        return ('Class', 'Type id', 'Title', 'Location'), rows


class TemplateList(base.Lister):
    """OS templates (images) and resource templates (flavors)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        group = parser.add_mutually_exclusive_group()
        group.add_argument('--os', action='store_true',
                           help='Only OS templates.')
        group.add_argument('--resource', action='store_true',
                           help='Only resource templates.')
        return parser

    def take_action(self, parsed_args):
        model = self.client.model(refresh=True)
        rows = []
        for which, parent in (('os', discovery.OS_TPL),
                              ('resource', discovery.RESOURCE_TPL)):
            if (parsed_args.os and which != 'os') or (
                    parsed_args.resource and which != 'resource'):
                continue
            rows += [(which, m.term, m.title or '', m.type_id)
                     for m in model.templates(parent)]
        return ('Template', 'ID', 'Name', 'Type id'), rows


class MixinList(base.Lister):
    """Mixins the server offers, templates left out (see template list)."""

    def take_action(self, parsed_args):
        model = self.client.model(refresh=True)
        templates = {m.type_id for parent in (discovery.OS_TPL,
                                              discovery.RESOURCE_TPL)
                     for m in model.templates(parent)}
        rows = [(m.term, m.title or '', m.location or '', m.type_id)
                for m in model.mixins if m.type_id not in templates]
        return ('Term', 'Title', 'Location', 'Type id'), rows


class MixinCreate(base.Command):
    """Define a user mixin (a tag computes can be added to)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('term', metavar='TERM', help='Its term.')
        parser.add_argument('--scheme', default=USER_SCHEME,
                            help='Its scheme (default %s).' % USER_SCHEME)
        parser.add_argument('--title', help='Its title.')
        parser.add_argument('--location', help='Its location (default '
                            '/TERM/).')
        return parser

    def take_action(self, parsed_args):
        self.client.define_mixin(parsed_args.scheme, parsed_args.term,
                                 parsed_args.title, parsed_args.location)


class MixinDelete(base.Command):
    """Remove a user mixin's definition."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('mixin', metavar='MIXIN',
                            help='Type id, term, title or location.')
        return parser

    def take_action(self, parsed_args):
        mixin = self.client.mixin(parsed_args.mixin)
        self.client.undefine_mixin(mixin.type_id)


class _Membership(base.Command):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('mixin', metavar='MIXIN',
                            help='Type id, term, title or location.')
        parser.add_argument('entity', metavar='ENTITY',
                            help='The compute (id, title or location).')
        return parser

    def locate(self, parsed_args):
        return (self.client.mixin(parsed_args.mixin),
                self.client.find('compute', parsed_args.entity))


class MixinAdd(_Membership):
    """Add a compute to a mixin."""

    def take_action(self, parsed_args):
        self.client.associate(*self.locate(parsed_args))


class MixinRemove(_Membership):
    """Take a compute out of a mixin."""

    def take_action(self, parsed_args):
        self.client.dissociate(*self.locate(parsed_args))
