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

"""text/uri-list (RFC 2483, GFD.229 section 8): listings only.

A listing is one URI per line, each line ended by CRLF as RFC 2483 (5)
says, unlike text/plain: no OCCI client we know reads this type, and the
generic tools that do expect its registered form (see design.rst).

Anything that is not a listing raises
:class:`~ooi_save.occi.exceptions.NotListing` (400), as GFD.229 wants for
``Accept: text/uri-list`` on a non-listing; that includes
:meth:`UriListRenderer.error`, so the HTTP layer falls back to another
rendering for errors.
"""

from ooi_save.occi.rendering import base
from ooi_save.occi.rendering import text

MEDIA_TYPE = 'text/uri-list'

#: RFC 2483: every line of a text/uri-list ends with CRLF.
LINE_END = '\r\n'


class UriListRenderer(base.Renderer):
    """Listings of locations, one per line."""

    listings_only = True

    def __init__(self, media_type=MEDIA_TYPE):
        super().__init__(media_type)
        self.content_type = media_type

    def locations(self, locations):
        lines = [text.clean(location) for location in locations]
        body = ''.join(line + LINE_END for line in lines)
        return base.Rendered(self.content_type, [],
                             body.encode('utf-8', 'replace'))

    def entities(self, entities):
        return self.locations([e.location for e in entities
                               if e.location is not None])

    def categories(self, collection):
        raise base.not_listing('the query interface')

    def entity(self, entity):
        raise base.not_listing('an entity')

    def mixin(self, mixin):
        raise base.not_listing('a mixin')

    def invocation(self, action, attributes=None):
        raise base.not_listing('an action invocation')

    def ok(self):
        raise base.not_listing('the outcome of an operation')

    def error(self, status, message, request_id=None):
        raise base.not_listing('an error')
