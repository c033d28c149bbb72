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

"""OCCI links read from their text rendering, the way a client reads them.

Shared by the clients of the unit tests (:mod:`tests.unit.client`) and of
the functional tests (:mod:`tests.functional.base`).
"""

import json


def split_link_header(value):
    """The link values of one text/occi ``Link`` header."""
    return ['<' + part if n else part
            for n, part in enumerate(value.split(', <'))]


def read_links(values):
    """The links of text ``Link`` values, the action links left out.

    :returns: a dict per link of its parameters, its ``target`` and its
        ``id`` (its ``occi.core.id``)
    """
    found = []
    for value in values:
        if '?action=' in value:
            continue
        target, _, rest = value.strip().partition('>')
        link = {'target': target.lstrip('<')}
        for part in rest.split(';'):
            name, _, raw = part.strip().partition('=')
            if name:
                link[name] = json.loads(raw)
        link['id'] = link.get('occi.core.id')
        found.append(link)
    return found
