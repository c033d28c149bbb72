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

"""Where the client connects, and as whom: options, ``OS_*``, clouds.yaml.

:func:`connect` makes a :class:`~ooi_save.client.api.Client` from settings
gathered the way OpenStack's command lines gather them:

* the endpoint: ``--endpoint`` / ``OCCI_ENDPOINT``, ``occi_endpoint`` in
  the cloud's clouds.yaml entry, else the service catalog (a service of
  type ``occi``, else the compute endpoint with its version path replaced
  by ``/occi1.2``);
* the credentials: a token (``--os-token`` / ``OS_TOKEN``) when one is
  given; else the auth type asked (``--os-auth-type`` /
  ``OS_AUTH_TYPE``), an application credential when its id or name is
  given, else a password; each plugin takes its usual ``--os-*`` options
  and ``OS_*`` variables, loaded by keystoneauth1;
* ``--os-cloud`` / ``OS_CLOUD``: an entry of ``clouds.yaml`` (the current
  directory, ``~/.config/openstack``, ``/etc/openstack``), whose ``auth``,
  ``auth_type``, ``region_name``, ``interface``, ``cacert`` and ``verify``
  fill what the options and variables leave unset.
"""

import os
import urllib.parse

from ooi_save.client import api
from ooi_save.client import errors

#: Settings read from ``--os-<name>`` / ``OS_<NAME>``, for the auth plugins.
AUTH_SETTINGS = (
    'auth_url', 'username', 'user_id', 'password', 'project_name',
    'project_id', 'user_domain_name', 'user_domain_id',
    'project_domain_name', 'project_domain_id', 'domain_name', 'domain_id',
    'system_scope', 'application_credential_id',
    'application_credential_name', 'application_credential_secret',
    'token')

CLOUDS_YAML_DIRS = ('.', '~/.config/openstack', '/etc/openstack')

#: Where OCCI is served below a nova-api endpoint.
DEFAULT_OCCI_PATH = '/occi1.2'


def clouds_yaml(name, environ=None):
    """The entry ``name`` of the first clouds.yaml that has it.

    :param environ: the environment, whose ``OS_CLIENT_CONFIG_FILE``
        names a file to read first
    :raises: ClientError when no clouds.yaml names it
    """
    import yaml

    seen = []
    environ = os.environ if environ is None else environ
    config_file = environ.get('OS_CLIENT_CONFIG_FILE')
    paths = [config_file] if config_file else []
    paths += [os.path.join(os.path.expanduser(d), 'clouds.yaml')
              for d in CLOUDS_YAML_DIRS]
    for path in paths:
        try:
            with open(path, encoding='utf-8') as f:
                data = yaml.safe_load(f) or {}
        except OSError:
            continue
        except yaml.YAMLError as exc:
            raise errors.ClientError('%s is not YAML: %s' % (path, exc))
        seen.append(path)
        cloud = (data.get('clouds') or {}).get(name)
        if cloud is not None:
            return dict(cloud)
    raise errors.ClientError('No cloud %r in %s.' % (
        name, ', '.join(seen) or 'any clouds.yaml'))


def settings_from(options, environ=None):
    """The settings of a command: options, then ``OS_*``, then the cloud.

    :param options: an object with attributes ``os_<name>`` (argparse's
        namespace), None where not given
    :param environ: the environment (``os.environ``)
    :returns: a dict
    """
    environ = os.environ if environ is None else environ

    def pick(name):
        value = getattr(options, 'os_' + name, None)
        if value is None:
            value = environ.get('OS_' + name.upper()) or None
        return value

    settings = {name: pick(name) for name in AUTH_SETTINGS + (
        'auth_type', 'region_name', 'interface', 'cacert', 'cloud')}
    settings['endpoint'] = (getattr(options, 'endpoint', None) or
                            environ.get('OCCI_ENDPOINT') or None)
    settings['insecure'] = bool(getattr(options, 'insecure', False))
    if settings['cloud']:
        cloud = clouds_yaml(settings['cloud'], environ)
        for name, value in (cloud.get('auth') or {}).items():
            if settings.get(name) is None:
                settings[name] = value
        for name in ('auth_type', 'region_name', 'interface', 'cacert'):
            if settings.get(name) is None and cloud.get(name) is not None:
                settings[name] = cloud[name]
        if settings['endpoint'] is None:
            settings['endpoint'] = cloud.get('occi_endpoint')
        if cloud.get('verify') is False:
            settings['insecure'] = True
    return settings


def auth_plugin(settings):
    """The keystoneauth1 plugin of the settings.

    :returns: ``(plugin, identity)``: identity names who the client is,
        for the discovery cache
    :raises: ClientError when the credentials are incomplete
    """
    from keystoneauth1 import exceptions as ks_exceptions
    from keystoneauth1 import loading

    token = settings.get('token')
    auth_type = settings.get('auth_type')
    if token and settings.get('endpoint') and (
            auth_type in (None, 'password', 'token', 'v3token',
                          'admin_token', 'token_endpoint') or
            not settings.get('auth_url')):
        from keystoneauth1 import token_endpoint
        return (token_endpoint.Token(settings['endpoint'], token),
                'token:' + token)
    if token:
        auth_type = 'token'
    elif not auth_type:
        auth_type = ('v3applicationcredential'
                     if settings.get('application_credential_id') or
                     settings.get('application_credential_name')
                     else 'password')
    if not settings.get('auth_url'):
        raise errors.ClientError(
            'No credentials: set OS_TOKEN and OCCI_ENDPOINT, or OS_AUTH_URL '
            'and the credentials of your cloud, or --os-cloud.')
    try:
        loader = loading.get_plugin_loader(auth_type)
    except ks_exceptions.NoMatchingPlugin:
        raise errors.ClientError('Unknown auth type %s.' % auth_type)
    wanted = {option.dest for option in loader.get_options()}
    values = {name: settings[name] for name in wanted
              if settings.get(name) is not None}
    try:
        plugin = loader.load_from_options(**values)
    except ks_exceptions.MissingRequiredOptions as exc:
        raise errors.ClientError(
            'Auth type %s needs %s.' % (auth_type, ', '.join(
                '--os-' + o.dest.replace('_', '-') for o in exc.options)))
    identity = '|'.join(str(settings.get(name) or '') for name in (
        'auth_url', 'username', 'user_id', 'user_domain_name',
        'project_name', 'project_id', 'project_domain_name',
        'application_credential_id', 'application_credential_name',
        'token'))
    return plugin, identity


def catalog_endpoint(session, settings):
    """The OCCI endpoint from the service catalog.

    A service of type ``occi`` when the cloud registers one, else the
    compute endpoint with its version path (``/v2.1``, and a project id
    after it) replaced by ``/occi1.2``.
    """
    from keystoneauth1 import exceptions as ks_exceptions

    kwargs = {'interface': settings.get('interface') or 'public',
              'region_name': settings.get('region_name')}
    for service_type in ('occi', 'compute'):
        try:
            url = session.get_endpoint(service_type=service_type, **kwargs)
        except ks_exceptions.EndpointNotFound:
            url = None
        except ks_exceptions.ClientException as exc:
            raise errors.ClientError('No endpoint from the catalog: %s'
                                     % exc)
        if url and service_type == 'occi':
            return url
        if url:
            parts = urllib.parse.urlsplit(url)
            path = parts.path
            index = path.find('/v2')
            if index >= 0:
                path = path[:index]
            return '%s://%s%s%s' % (parts.scheme, parts.netloc,
                                    path.rstrip('/'), DEFAULT_OCCI_PATH)
    raise errors.ClientError('The catalog has no occi or compute endpoint: '
                             'give one with --endpoint or OCCI_ENDPOINT.')


def connect(settings, rendering=api.DEFAULT_RENDERING,
            cache_ttl=None, timeout=None):
    """A :class:`~ooi_save.client.api.Client` of the settings.

    :param settings: from :func:`settings_from`
    :param cache_ttl: seconds the discovery cache is used (0: no cache)
    :param timeout: seconds each HTTP request may take
    """
    from keystoneauth1 import session as ks_session

    from ooi_save.client import discovery

    plugin, identity = auth_plugin(settings)
    verify = True
    if settings.get('insecure'):
        verify = False
    elif settings.get('cacert'):
        verify = settings['cacert']
    session = ks_session.Session(auth=plugin, verify=verify,
                                 timeout=timeout, app_name='occi')
    endpoint = (settings.get('endpoint') or
                catalog_endpoint(session, settings))
    if cache_ttl is None:
        cache_ttl = discovery.DEFAULT_TTL
    return api.Client(session, endpoint, rendering,
                      cache_key=discovery.cache_key(endpoint, identity),
                      cache_ttl=cache_ttl)
