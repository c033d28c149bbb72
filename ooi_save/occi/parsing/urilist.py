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

"""Reading text/uri-list (RFC 2483, GFD.229 section 8): listings only.

A listing is one URI per line (any line end: CRLF, LF, LF CR, CR); ``#``
lines are comments. A request of
another kind (an entity, an action, categories) in text/uri-list is
refused with :class:`~ooi_save.occi.exceptions.UnsupportedMediaType`.
"""

from ooi_save.occi import exceptions
from ooi_save.occi.parsing import base


class UriListParser(base.Parser):
    """Listings of locations; ``#`` lines are comments (RFC 2483)."""

    def _unsupported(self, what):
        return exceptions.UnsupportedMediaType(
            'text/uri-list carries only listings of locations, not %s.'
            % what)

    def locations(self, headers, body):
        text = base.body_text(body, 'uri-list')
        locations = []
        for number, line in enumerate(base.body_lines(text), 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            if any(c in line for c in ' \t"<>'):
                raise exceptions.ParseError(
                    'uri-list line %d: %r is not a URI.'
                    % (number, line[:60]))
            locations.append(line)
        return locations

    def entity(self, headers, body):
        raise self._unsupported('an entity')

    def action(self, headers, body):
        raise self._unsupported('an action invocation')

    def categories(self, headers, body):
        raise self._unsupported('categories')
