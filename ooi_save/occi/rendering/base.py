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

"""What every rendering provides: the renderer interface.

A renderer turns model objects into a :class:`Rendered` answer. Renderers
are looked up by media type in :mod:`ooi_save.occi.rendering`; reading
requests is :mod:`ooi_save.occi.parsing`'s job.
"""

import collections

from ooi_save.occi import exceptions

#: One rendered answer: the ``Content-Type`` to send, extra headers as a
#: list of ``(name, value)`` (str values, latin-1 safe) and the body bytes.
Rendered = collections.namedtuple('Rendered',
                                  ['content_type', 'headers', 'body'])


class Renderer:
    """Renders model objects in one media type.

    :param media_type: the media type the client accepted (e.g.
        ``application/json`` for the JSON rendering); it becomes the
        answer's content type
    """

    #: Whether the rendering can only list locations (text/uri-list): the
    #: HTTP layer may check it before acting on a request whose answer
    #: would not be a listing, since :class:`NotListing` is raised only at
    #: rendering time.
    listings_only = False

    def __init__(self, media_type):
        self.media_type = media_type

    def categories(self, collection):
        """The query interface: every category of a collection.

        :param collection: a
            :class:`~ooi_save.occi.collections.CategoryCollection`
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def entity(self, entity):
        """One entity, in full.

        :param entity: a :class:`~ooi_save.occi.entities.Resource` or
            :class:`~ooi_save.occi.entities.Link`
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def entities(self, entities):
        """A collection of entities (listing or full, per rendering).

        :param entities: Resource and Link objects
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def locations(self, locations):
        """A listing of entity locations.

        :param locations: URL strings
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def mixin(self, mixin):
        """One mixin alone (e.g. the OS template made by ``save``).

        :param mixin: a :class:`~ooi_save.occi.categories.Mixin`
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def invocation(self, action, attributes=None):
        """An action invocation, as a client sends it.

        :param action: an :class:`~ooi_save.occi.categories.Action` or its
            type id
        :param attributes: a dict of parameters
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def ok(self):
        """The answer of a success with nothing to render.

        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()

    def error(self, status, message, request_id=None):
        """An error answer.

        :param status: the HTTP status code
        :param message: the human readable message
        :param request_id: the request id to quote, if any
        :returns: a :class:`Rendered`
        """
        raise NotImplementedError()


def not_listing(what):
    """The error for a non-listing answer in text/uri-list.

    :param what: what was to be rendered
    :returns: a :class:`~ooi_save.occi.exceptions.NotListing`
    """
    return exceptions.NotListing(
        'text/uri-list renders only listings of locations, not %s: accept '
        'text/plain, text/occi or application/occi+json instead.' % what)
