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

"""Reading OCCI requests, by media type.

* :data:`PARSED_TYPES`: the media types requests can be read from;
* :func:`parser_for` gives the :class:`~ooi_save.occi.parsing.base.Parser`
  of a media type.

The parsers themselves: :mod:`.text` (text/plain, text/occi+plain,
text/occi), :mod:`.json` (application/occi+json, application/json) and
:mod:`.urilist` (text/uri-list). They give the request objects of
:mod:`ooi_save.occi.requests`; answers are rendered by
:mod:`ooi_save.occi.rendering`.
"""

from ooi_save.occi import exceptions
from ooi_save.occi import mediatypes
from ooi_save.occi.parsing import base
from ooi_save.occi.parsing import json
from ooi_save.occi.parsing import text
from ooi_save.occi.parsing import urilist

Parser = base.Parser

_PARSERS = {
    'text/plain': text.PlainParser('text/plain'),
    'text/occi+plain': text.PlainParser('text/occi+plain'),
    'text/occi': text.HeaderParser('text/occi'),
    'application/occi+json': json.JSONParser('application/occi+json'),
    'application/json': json.JSONParser('application/json'),
    'text/uri-list': urilist.UriListParser('text/uri-list'),
}

#: Media types of request bodies.
PARSED_TYPES = list(_PARSERS)


def parser_for(media_type):
    """The parser of a media type.

    :param media_type: one of :data:`PARSED_TYPES`; parameters and case are
        ignored (bodies are read as UTF-8)
    :returns: a :class:`~ooi_save.occi.parsing.base.Parser`, stateless and
        shared
    :raises: UnsupportedMediaType for a media type that is not read
    """
    return mediatypes.lookup(
        _PARSERS, media_type, exceptions.UnsupportedMediaType,
        'Cannot read a request of type %s; this server reads %s.')
