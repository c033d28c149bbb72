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

"""The OCCI renderings, looked up by media type.

* :data:`RENDERED_TYPES`: the media types answers can be rendered in, the
  default (``text/plain``) first;
* :func:`renderer_for` gives the
  :class:`~ooi_save.occi.rendering.base.Renderer` of a media type.

The renderings themselves: :mod:`.text` (text/plain, text/occi+plain,
text/occi), :mod:`.json` (application/occi+json, application/json) and
:mod:`.urilist` (text/uri-list). Requests are read by
:mod:`ooi_save.occi.parsing`.
"""

from ooi_save.occi import exceptions
from ooi_save.occi import mediatypes
from ooi_save.occi.rendering import base
from ooi_save.occi.rendering import json
from ooi_save.occi.rendering import text
from ooi_save.occi.rendering import urilist

Rendered = base.Rendered
Renderer = base.Renderer

_RENDERERS = {
    'text/plain': text.PlainRenderer('text/plain'),
    'text/occi+plain': text.PlainRenderer('text/occi+plain'),
    'text/occi': text.HeaderRenderer('text/occi'),
    'application/occi+json': json.JSONRenderer('application/occi+json'),
    'application/json': json.JSONRenderer('application/json'),
    'text/uri-list': urilist.UriListRenderer('text/uri-list'),
}

#: Media types of answers, the default first.
RENDERED_TYPES = list(_RENDERERS)


def renderer_for(media_type):
    """The renderer of a media type.

    :param media_type: one of :data:`RENDERED_TYPES`; parameters such as
        ``; charset=utf-8`` and case are ignored
    :returns: a :class:`~ooi_save.occi.rendering.base.Renderer`, stateless
        and shared
    :raises: NotAcceptable for a media type that is not rendered
    """
    return mediatypes.lookup(_RENDERERS, media_type,
                             exceptions.NotAcceptable,
                             'Cannot render %s; this server renders %s.')
