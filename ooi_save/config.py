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

"""Options of one filter instance: nova's ``[occi]`` group, then overrides.

Like keystonemiddleware's auth_token, a value given in the filter's own
``[filter:...]`` section of api-paste.ini wins over the same option in the
``[occi]`` group of nova.conf, and is converted by the option's own type so
that a bad value fails at start-up, not at the first request.
"""

from oslo_config import cfg
from oslo_log import log as logging

from ooi_save import opts

LOG = logging.getLogger(__name__)

# Keys paste.deploy itself puts into a filter's configuration.
_PASTE_KEYS = frozenset(('__file__', 'here', 'paste.filter_factory', 'use'))


class FilterConfig:
    """The merged configuration of one filter.

    :param local_conf: the filter's paste configuration (global and local
        values merged, local winning)
    :param conf: the oslo.config object holding the ``[occi]`` group;
        nova's global ``cfg.CONF`` by default
    :raises: ValueError when an override is not valid for its option
    """

    def __init__(self, local_conf, conf=None):
        self._conf = conf if conf is not None else cfg.CONF
        #: The oslo.config object itself, for the groups that paste cannot
        #: override (``[occi_trustee]``).
        self.oslo_conf = self._conf
        try:
            opts.register_opts(self._conf)
        except cfg.DuplicateOptError:
            pass
        known = {opt.dest: opt for opt in opts.occi_opts}
        # Old names of renamed options still work from api-paste.ini.
        known.update({old.name: opt for opt in opts.occi_opts
                      for old in opt.deprecated_opts if old.name})
        self._overrides = {}
        for key, value in local_conf.items():
            if key in known:
                self._overrides[known[key].dest] = self._convert(
                    known[key], value)
            elif key not in _PASTE_KEYS and not key.startswith('oslo_'):
                LOG.debug('Ignoring paste option %s, which is not an option '
                          'of the [occi] group', key)

    @staticmethod
    def _convert(opt, value):
        try:
            return opt.type(value)
        except (ValueError, TypeError) as exc:
            raise ValueError('Invalid value %r for option %s of the OCCI '
                             'filter: %s' % (value, opt.dest, exc))

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        if name in self._overrides:
            return self._overrides[name]
        return getattr(self._conf[opts.GROUP], name)
