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

"""What the paste.deploy factories of our filters share.

Both filters (:mod:`ooi_save.http.filter`, :mod:`ooi_save.http.outer`) are
configured the same way: the ``[occi]`` group of nova.conf, any option of
which the filter's own section of api-paste.ini overrides.
"""

from ooi_save import config


def wrapper(filter_class, global_conf, local_conf):
    """The function paste.deploy calls to wrap an application in a filter.

    The configuration is merged and checked here, once, when paste.deploy
    calls the factory: a bad value fails nova-api at start.

    :param filter_class: the filter, built as ``filter_class(app, conf)``
        with ``conf`` a :class:`ooi_save.config.FilterConfig`
    :param global_conf: the paste ini's global options
    :param local_conf: the filter section's own options; they win
    :returns: a function wrapping a WSGI application in the filter
    """
    conf = dict(global_conf)
    conf.update(local_conf)
    filter_conf = config.FilterConfig(conf)

    def wrap(app):
        return filter_class(app, filter_conf)
    return wrap
