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

"""The ``occi`` command: an OCCI 1.2 client of ooi-save (and of any OCCI
1.2 server), on cliff.

Exit codes: 0 success; 1 the server refused or failed (its OCCI error
text, HTTP status and request id on one line); 2 a usage error; 3 a
``--wait`` that timed out; 130 Ctrl-C (the server's work goes on).
"""

import os
import sys

from cliff import app
from cliff import commandmanager

from ooi_save.client import api
from ooi_save.client import errors

#: Exit codes of the errors that have their own.
EXIT_TIMEOUT = 3
EXIT_INTERRUPTED = 130


class _Commands(commandmanager.CommandManager):
    """The commands of :data:`ooi_save.client.commands.COMMANDS`.

    They are registered directly: no entry point scan at start-up.
    """

    def __init__(self, stdout=None, stderr=None):
        super().__init__(None)
        from ooi_save.client import commands
        for name, command_class in commands.COMMANDS.items():
            self.add_command(name, command_class)


class OCCIApp(app.App):
    """The ``occi`` application."""

    def __init__(self, stdout=None, stderr=None):
        super().__init__(
            description='OCCI 1.2 client: computes, networks, storage, '
                        'links, mixins and the save action.',
            version=_version(), command_manager=_Commands(),
            deferred_help=True, stdout=stdout, stderr=stderr)
        self._client = None
        self._error = None

    def build_option_parser(self, description, version,
                            argparse_kwargs=None):
        # NOTE(ooi-save): no abbreviations: `template list --os` would
        # otherwise be taken for an ambiguous --os-* option.
        argparse_kwargs = dict(argparse_kwargs or {}, allow_abbrev=False)
        parser = super().build_option_parser(description, version,
                                             argparse_kwargs)
        env = os.environ.get
        parser.add_argument(
            '--endpoint', metavar='URL', default=env('OCCI_ENDPOINT'),
            help='OCCI endpoint (env OCCI_ENDPOINT); default: from the '
                 'service catalog.')
        parser.add_argument(
            '--rendering', choices=api.RENDERINGS,
            default=env('OCCI_RENDERING') or api.DEFAULT_RENDERING,
            help='Rendering of requests and answers on the wire (env '
                 'OCCI_RENDERING; default %s).' % api.DEFAULT_RENDERING)
        parser.add_argument(
            '--cache-ttl', type=float, metavar='SECONDS',
            default=float(env('OCCI_CACHE_TTL') or 600),
            help='Seconds the discovered model is cached (env '
                 'OCCI_CACHE_TTL; 0 for no cache; default 600).')
        parser.add_argument(
            '--http-timeout', type=float, metavar='SECONDS', default=60,
            help='Seconds each HTTP request may take (default 60).')
        parser.add_argument(
            '--poll-interval', type=float, metavar='SECONDS', default=1.0,
            help='Seconds between the polls of --wait (default 1).')
        parser.add_argument('--insecure', action='store_true',
                            help='Do not verify the server certificate.')
        for name, text in (
                ('cloud', 'Cloud of clouds.yaml'),
                ('auth-url', 'Keystone URL'),
                ('auth-type', 'Auth plugin (password, '
                              'v3applicationcredential, token...)'),
                ('token', 'Token (used as is with --endpoint)'),
                ('username', 'User name'), ('user-id', 'User id'),
                ('password', 'Password'),
                ('project-name', 'Project name'),
                ('project-id', 'Project id'),
                ('user-domain-name', 'User domain name'),
                ('user-domain-id', 'User domain id'),
                ('project-domain-name', 'Project domain name'),
                ('project-domain-id', 'Project domain id'),
                ('domain-name', 'Domain name (domain scope)'),
                ('domain-id', 'Domain id (domain scope)'),
                ('system-scope', 'System scope'),
                ('application-credential-id', 'Application credential id'),
                ('application-credential-name',
                 'Application credential name'),
                ('application-credential-secret',
                 'Application credential secret'),
                ('region-name', 'Region'),
                ('interface', 'Catalog interface (public...)'),
                ('cacert', 'CA bundle file')):
            variable = 'OS_' + name.upper().replace('-', '_')
            parser.add_argument('--os-' + name, metavar='VALUE',
                                help='%s (env %s).' % (text, variable))
        return parser

    @property
    def client(self):
        """The client of the options, made at first use."""
        if self._client is None:
            from ooi_save.client import connect
            settings = connect.settings_from(self.options)
            self._client = connect.connect(
                settings, self.options.rendering,
                cache_ttl=self.options.cache_ttl,
                timeout=self.options.http_timeout)
        return self._client

    def interact(self):
        # NOTE(ooi-save): no interactive shell; bare `occi` gives help.
        self.parser.print_help(self.stdout)
        self.stdout.write('\nCommands:\n')
        for name in sorted(self.command_manager.commands):
            if name not in ('complete', 'help'):
                self.stdout.write('  %s\n' % name)
        self._gave_help = True

    def run(self, argv):
        self._gave_help = False
        result = super().run(argv)
        return 0 if self._gave_help else result

    def clean_up(self, cmd, result, err):
        self._error = err

    def run_subcommand(self, argv):
        result = super().run_subcommand(argv)
        if isinstance(self._error, errors.WaitTimeout):
            return EXIT_TIMEOUT
        from ooi_save.client import wait
        if isinstance(self._error, wait.Interrupted):
            return EXIT_INTERRUPTED
        return result


def _version():
    from importlib import metadata
    try:
        return metadata.version('ooi-save')
    except metadata.PackageNotFoundError:
        return 'unknown'


def main(argv=None):
    """The console script ``occi``."""
    return OCCIApp().run(sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
