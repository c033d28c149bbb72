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

"""``occi compute``: list, show, create, action, save, delete."""

import base64

from ooi_save.client import api
from ooi_save.client.commands import base
from ooi_save.client import errors

#: The state each action leads to.
ACTION_STATES = {'start': 'active', 'stop': 'inactive', 'restart': 'active',
                 'suspend': 'suspended'}


class ComputeList(base.Lister):
    """List computes: id, title and state."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--long', action='store_true',
            help='In the text renderings, read every compute for its '
                 'title and state (JSON lists them in full anyway).')
        return parser

    def take_action(self, parsed_args):
        return base.listing(self.client, 'compute',
                            self.client.list('compute'), parsed_args.long)


class ComputeShow(base.ShowOne):
    """Show a compute: attributes, mixins, links, actions."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('compute', metavar='COMPUTE',
                            help='Id, title or location of the compute.')
        return parser

    def take_action(self, parsed_args):
        location = self.client.find('compute', parsed_args.compute)
        return base.entity_fields(self.client.show(location))


def _read(path, what):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except OSError as exc:
        raise errors.ClientError('Cannot read the %s %s: %s'
                                 % (what, path, exc.strerror))


class ComputeCreate(base.ShowOne):
    """Create a compute from an OS and a resource template."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--os-tpl', required=True, metavar='NAME|ID',
                            help='OS template (image) name or id.')
        parser.add_argument('--resource-tpl', required=True,
                            metavar='NAME|ID',
                            help='Resource template (flavor) name or id.')
        parser.add_argument('--title', help='Title (the server name).')
        parser.add_argument('--summary', help='Summary.')
        parser.add_argument('--network', action='append', default=[],
                            metavar='NETWORK',
                            help='Network id, title or location to attach '
                                 '(repeat for more).')
        parser.add_argument('--ssh-key', metavar='FILE',
                            help='SSH public key file to inject.')
        parser.add_argument('--user-data', metavar='FILE',
                            help='User data file (sent base64-encoded).')
        parser.add_argument('--mixin', action='append', default=[],
                            metavar='MIXIN',
                            help='Mixin (type id, term or title) to apply '
                                 '(repeat for more).')
        self.add_wait(parser, 'the compute is active')
        return parser

    def take_action(self, parsed_args):
        client = self.client
        os_tpl = client.template('os', parsed_args.os_tpl)
        resource_tpl = client.template('resource', parsed_args.resource_tpl)
        mixins = [os_tpl.type_id, resource_tpl.type_id]
        mixins += [client.mixin(m).type_id for m in parsed_args.mixin]
        attributes = {}
        if parsed_args.ssh_key:
            mixins.append(api.CREDENTIALS + 'ssh_key')
            attributes['occi.credentials.ssh.publickey'] = _read(
                parsed_args.ssh_key, 'SSH key').decode('utf-8').strip()
        if parsed_args.user_data:
            mixins.append(api.COMPUTE_MIXINS + 'user_data')
            attributes['occi.compute.userdata'] = base64.b64encode(
                _read(parsed_args.user_data, 'user data')).decode('ascii')
        links = []
        for network in parsed_args.network:
            target = client.find('network', network)
            links.append(api.link('networkinterface', target, 'network'))
        location = client.create('compute', mixins, attributes, links,
                                 title=parsed_args.title,
                                 summary=parsed_args.summary)
        if parsed_args.wait:
            compute = self.waiter(parsed_args).compute_state(location,
                                                             'active')
        else:
            compute = client.show(location)
        return base.entity_fields(compute)


class ComputeAction(base.ShowOne):
    """Start, stop, restart or suspend a compute."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('compute', metavar='COMPUTE',
                            help='Id, title or location of the compute.')
        parser.add_argument('action', choices=sorted(ACTION_STATES),
                            help='The action.')
        parser.add_argument('--method', help='The action\'s method '
                            '(stop: graceful|acpioff|poweroff; restart: '
                            'graceful|warm|cold; suspend: hibernate|'
                            'suspend).')
        self.add_wait(parser, 'the compute reaches the action\'s state')
        return parser

    def take_action(self, parsed_args):
        location = self.client.find('compute', parsed_args.compute)
        attributes = {}
        if parsed_args.method:
            attributes['method'] = parsed_args.method
        compute = self.client.act(location,
                                  api.COMPUTE_ACTION + parsed_args.action,
                                  attributes)
        if parsed_args.wait:
            compute = self.waiter(parsed_args).compute_state(
                location, ACTION_STATES[parsed_args.action])
        return base.entity_fields(compute)


class ComputeSave(base.ShowOne):
    """Save a compute as a new OS template; prints the template."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('compute', metavar='COMPUTE',
                            help='Id, title or location of the compute.')
        parser.add_argument('--method', choices=('hot', 'deferred'),
                            help='hot: snapshot the running compute; '
                                 'deferred: stop it, snapshot, start it '
                                 'again (default: the server\'s).')
        parser.add_argument('--name', help='Name of the new template.')
        self.add_wait(parser, 'the template is active and the compute '
                      'back in its state (deferred: active again)')
        return parser

    def take_action(self, parsed_args):
        location = self.client.find('compute', parsed_args.compute)
        template = self.client.save(location, parsed_args.method,
                                    parsed_args.name)
        status = ''
        if parsed_args.wait:
            self.waiter(parsed_args).saved(
                location, template, parsed_args.method == 'deferred')
            status = 'active'
        return (('os_tpl', 'type_id', 'title', 'location', 'status'),
                (template.term, template.type_id, template.title or '',
                 template.location or '', status))


class ComputeDelete(base.Command):
    """Delete a compute."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('compute', metavar='COMPUTE',
                            help='Id, title or location of the compute.')
        self.add_wait(parser, 'the compute is gone')
        return parser

    def take_action(self, parsed_args):
        location = self.client.find('compute', parsed_args.compute)
        self.client.delete(location)
        if parsed_args.wait:
            self.waiter(parsed_args).gone(location)
