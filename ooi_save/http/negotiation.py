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

"""Content negotiation: which rendering answers, which one is parsed.

The answer's rendering comes from ``Accept`` (q-values and wildcards are
honoured; no ``Accept`` means ``text/plain``). The request's rendering comes
from ``Content-Type``; a request without one is read from its headers
(``text/occi``), which is what curl users send with ``-H X-OCCI-...``.

``Content-Type`` names one media type in HTTP, but deployed OCCI clients
(IM's OCCI connector, the EGI command-line client) send a list such as
``text/plain,text/occi`` on every request; the first type of the list that
this server reads is taken, as the retired predecessor did.
"""

import re

from ooi_save import exceptions
from ooi_save.occi import mediatypes
from ooi_save.occi import parsing
from ooi_save.occi import rendering

DEFAULT_TYPE = 'text/plain'
HEADERS_TYPE = 'text/occi'

_OCCI_VERSION = re.compile(r'OCCI/(\d+)\.(\d+)', re.IGNORECASE)
# One media type of a comma list: commas inside quoted parameter values
# do not separate.
_LIST_ITEM = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^,"])+')


def check_version(user_agent, supported):
    """Refuse clients that announce a newer OCCI than ours.

    :param user_agent: the ``User-Agent`` header, or None
    :param supported: our (major, minor) version
    :raises: NotImplementedYet for a higher announced version
    """
    if not user_agent:
        return
    match = _OCCI_VERSION.search(user_agent)
    if match and (int(match.group(1)), int(match.group(2))) > supported:
        raise exceptions.NotImplementedYet(
            'This server implements OCCI %d.%d; the client asks for '
            'OCCI %s.%s.' % (supported + match.groups()))


def answer_type(request):
    """The media type to answer in.

    :param request: a :class:`webob.Request`
    :returns: one of the rendered media types
    :raises: NotAcceptable when Accept names none of them
    """
    header = request.headers.get('Accept')
    if not header or not header.strip():
        return DEFAULT_TYPE
    offers = request.accept.acceptable_offers(rendering.RENDERED_TYPES)
    if not offers:
        raise exceptions.NotAcceptable(
            'None of the media types in Accept (%s) can be rendered; this '
            'server renders %s.' % (header, ', '.join(
                rendering.RENDERED_TYPES)))
    best_q = offers[0][1]
    best = [offer for offer, q in offers if q == best_q]
    # NOTE(ooi-save): "*/*" matches every offer equally; prefer our default
    # then.
    return DEFAULT_TYPE if DEFAULT_TYPE in best else best[0]


def body_types(header):
    """The media types a ``Content-Type`` header names, in order.

    :param header: the header value, e.g. ``text/plain,text/occi`` or
        ``text/plain; charset=utf-8``
    :returns: the media types without parameters, in lower case
    """
    found = [mediatypes.normalise(item)
             for item in _LIST_ITEM.findall(header or '')]
    return [media_type for media_type in found if media_type]


def body_type(request):
    """The media type of the request body.

    ``Content-Type`` may be a comma list (``text/plain,text/occi``): the
    first type of it that this server reads is taken, but text/occi when
    the list names it and the body is empty.

    :param request: a :class:`webob.Request`
    :returns: a parsed media type
    :raises: UnsupportedMediaType for a type we cannot parse; BadRequest
        for a body without Content-Type
    """
    header = request.headers.get('Content-Type') or ''
    named = body_types(header)
    if not header.strip():
        if request.body.strip() and request.body.strip() != b'OK':
            raise exceptions.BadRequest(
                'The request has a body but no Content-Type.')
        return HEADERS_TYPE
    known = [media_type for media_type in named
             if media_type in parsing.PARSED_TYPES]
    if not known:
        raise exceptions.UnsupportedMediaType(
            'Cannot read a request body of type %s; this server reads %s.'
            % (header.strip(), ', '.join(parsing.PARSED_TYPES)))
    if HEADERS_TYPE in known[1:] and not request.body.strip():
        # NOTE(ooi-save): a list that names text/occi too, with no body:
        # the rendering can only be in the headers.
        return HEADERS_TYPE
    return known[0]
