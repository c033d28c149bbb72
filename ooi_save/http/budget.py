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

"""The header budget: no answer bigger than the proxy in front can pass.

text/occi carries its rendering in HTTP headers, and the proxies in front of
nova-api hold a response's whole header block in one buffer: 15360 bytes in
HAProxy by default (``tune.bufsize`` less ``tune.maxrewrite``), 4096 in nginx
(``proxy_buffer_size``, one memory page). A bigger block never reaches the
client: the proxy answers its own 502. GFD.229 ("Limitations") leaves it to
the implementation to keep header data from being cut.

Every answer of the OCCI filter passes :meth:`HeaderBudget.enforce`. It
counts the header block as the filter sends it (status line, every header
line, the blank line) and keeps ``[occi] header_reserve`` bytes of
``header_budget`` for the headers added after the filter (``Date``, the
request ids, ``Via``...). An answer within the budget is sent as it is.
Beyond it:

* a GET or HEAD is served again in the next rendering the client's
  ``Accept`` names (in its order of preference; text/uri-list only for a
  listing of locations): that is plain negotiation, the client said it reads
  it. When ``Accept`` names none, the answer is a 406 in the client's
  rendering whose message says how to get the answer: another rendering,
  ``?category=`` on the query interface, a page size that fits on a
  collection;
* any other request has done what it asked for (an action, an update, a
  create): it is not refused after the fact. Its answer keeps its success
  and leaves the rendering out, as GFD.223 allows: an action answers 200
  without a rendering, an update 201 with the entity's ``Location``
  instead of 200 with the entity, a create its ``Location``; the client
  reads the entity with a GET.
"""

from oslo_log import log as logging
import webob

from ooi_save import exceptions
from ooi_save.http import faults
from ooi_save.occi import rendering

LOG = logging.getLogger(__name__)

#: The headers that carry a text/occi rendering.
RENDERING_HEADERS = frozenset(('category', 'link', 'x-occi-attribute',
                               'x-occi-location'))

#: The paths of the query interface, below the OCCI root.
QUERY_PATHS = frozenset(('/-/', '/.well-known/org/ogf/occi/-/'))

_CRLF = 2
_SAFE_METHODS = frozenset(('GET', 'HEAD'))
_BODY_TYPES = 'text/plain, text/occi+plain or application/occi+json'


def header_size(response):
    """The bytes of a response's header block as it goes on the wire.

    :param response: a :class:`webob.Response`
    :returns: the size of the status line, every header line and the blank
        line that ends them (header values are latin-1: one byte a
        character)
    """
    size = len('HTTP/1.1 ') + len(response.status) + _CRLF
    for name, value in response.headerlist:
        size += len(name) + len(': ') + len(value) + _CRLF
    return size + _CRLF


def _media_type(response):
    return (response.headers.get('Content-Type') or '').split(';')[0]


def _rendering(response):
    """The values of the rendering headers of an answer, by header."""
    found = {}
    for name, value in response.headerlist:
        if name.lower() in RENDERING_HEADERS:
            found.setdefault(name.lower(), []).append(value)
    return found


class HeaderBudget:
    """Keeps every answer's header block within the proxy's buffer.

    :param budget: ``[occi] header_budget``, the bytes of a header block
        the proxy in front passes
    :param reserve: ``[occi] header_reserve``, the bytes of it kept for the
        headers added after the filter
    :param max_page_size: ``[occi] max_page_size``, the largest page a
        refusal may advise
    """

    def __init__(self, budget, reserve, max_page_size):
        #: The bytes the filter's own header block may take.
        self.limit = budget - reserve
        self.max_page_size = max_page_size

    def fits(self, response):
        """Whether the answer's header block is within the budget."""
        return header_size(response) <= self.limit

    def enforce(self, request, path, response, serve_as):
        """The answer to send instead of one that may be over the budget.

        :param request: the :class:`webob.Request` being answered
        :param path: its path below the OCCI root
        :param response: the answer made for it
        :param serve_as: ``serve_as(media_type)`` serves the same request
            again, answering in that media type
        :returns: ``response`` when it fits, else the answer above
        """
        size = header_size(response)
        if size <= self.limit or not _rendering(response):
            # NOTE(ooi-save): only text/occi renders in headers; any other
            # answer's block is the filter's fixed few headers.
            return response
        media_type = _media_type(response)
        LOG.info('The %(type)s answer to %(method)s %(path)s has %(size)d '
                 'bytes of headers, above the %(limit)d of the header '
                 'budget',
                 {'type': media_type, 'method': request.method,
                  'path': path, 'size': size, 'limit': self.limit})
        if request.method not in _SAFE_METHODS or response.status_code >= 300:
            return _without_rendering(request, response)
        listing = set(_rendering(response)) == {'x-occi-location'}
        for other in _alternatives(request, media_type, listing):
            again = serve_as(other)
            if self.fits(again):
                return again
        return faults.error_response(
            exceptions.NotAcceptable(self._advice(
                path, response, size, listing)),
            media_type, request.environ.get('openstack.request_id'))

    def _advice(self, path, response, size, listing):
        """The message of a refusal: why, and how to get the answer."""
        message = ('The %s rendering of this answer takes %d bytes of HTTP '
                   'headers, more than the %d this server sends. Ask for it '
                   'in %s (Accept)' % (_media_type(response), size,
                                       self.limit, _BODY_TYPES))
        if path in QUERY_PATHS:
            return message + (
                ', or ask for the categories you need: ?category=<scheme>'
                '<term> (%23 for the #), once per category.')
        if listing:
            return message + (', or page it: ?page=1&number=%d.'
                              % self._page_size(response, size))
        return message + '.'

    def _page_size(self, response, size):
        """The largest page of a listing whose answer fits the budget."""
        values = _rendering(response)['x-occi-location']
        locations = [item for value in values for item in value.split(', ')]
        listed = sum(len(value) for value in values)
        longest = max(len(location) for location in locations) + len(', ')
        # NOTE(ooi-save): the page's Content-Length and header splits vary
        # by a few bytes; a location's worth of slack covers them.
        room = self.limit - (size - listed) - longest
        return max(1, min(self.max_page_size, room // longest))


def _alternatives(request, answered, listing):
    """The other renderings the client accepts, its favourite first.

    :param request: the :class:`webob.Request`
    :param answered: the media type of the answer that did not fit
    :param listing: whether that answer lists locations only
    """
    if not (request.headers.get('Accept') or '').strip():
        return []
    offers = request.accept.acceptable_offers(rendering.RENDERED_TYPES)
    return [offer for offer, _ in offers
            if offer != answered and
            (listing or not rendering.renderer_for(offer).listings_only)]


def _without_rendering(request, response):
    """The answer to a request that changed something, rendering left out.

    The change is made: the answer keeps its success. An action answers
    200 without a rendering; an update 201 with the entity's ``Location``
    (GFD.223 3.4: a 200 carries the entity, a 201 its location); a create
    keeps its 201 and ``Location``. An error keeps its message, which is
    in the body.
    """
    if response.status_code >= 400:
        for name in RENDERING_HEADERS:
            if name in response.headers:
                del response.headers[name]
        return response
    rendered_entity = 'x-occi-attribute' in _rendering(response)
    status = response.status_code
    location = response.headers.get('Location')
    if (status == 200 and rendered_entity and
            'action' not in request.GET and request.method != 'DELETE'):
        status = 201
    if status == 201 and not location:
        location = request.path_url
    answer = webob.Response(status=status, body=b'OK', content_type=None)
    for name, value in response.headerlist:
        if name.lower() not in RENDERING_HEADERS and name.lower() not in (
                'content-length', 'location'):
            answer.headers.add(name, value)
    if location:
        answer.headers['Location'] = location
    return answer
