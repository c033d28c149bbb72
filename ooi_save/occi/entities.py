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

"""OCCI Core entities (GFD.221 5.4) and the core kinds.

:class:`Entity` and its two subtypes :class:`Resource` and :class:`Link`
are plain containers the caller builds for one answer. The core kinds
:data:`ENTITY`, :data:`RESOURCE` and :data:`LINK` that type them are
defined here too, at the end; the infrastructure kinds are in
:mod:`ooi_save.occi.infrastructure`.
"""

from ooi_save.occi import categories


class Entity:
    """An entity instance (GFD.221 5.4.1), as the caller builds it.

    :param kind: the :class:`~ooi_save.occi.categories.Kind` of the entity
    :param id: the entity id (``occi.core.id``)
    :param title: ``occi.core.title``
    :param mixins: the associated
        :class:`~ooi_save.occi.categories.Mixin` objects
    :param attributes: a dict from attribute name to value (str, int,
        float, bool, list or dict) for every attribute beyond
        ``occi.core.id``, ``occi.core.title`` and ``occi.core.summary``,
        which come from the fields; None values are not rendered
    :param location: the URL of the entity, rendered as given
    :param actions: the :class:`~ooi_save.occi.categories.Action` objects
        valid now, rendered as action links ``<location>?action=<term>``
    """

    def __init__(self, kind, id, *, title=None, mixins=(), attributes=None,
                 location=None, actions=()):
        self.kind = kind
        self.id = id
        self.title = title
        self.mixins = list(mixins)
        self.attributes = dict(attributes or {})
        self.location = location
        self.actions = list(actions)

    def __repr__(self):
        return '%s(%r, %r)' % (type(self).__name__,
                               categories.type_id_of(self.kind), self.id)

    def core_attributes(self):
        """The ``occi.core.*`` attributes rendered from the fields.

        :returns: a list of ``(name, value)``, None values left out
        """
        # An id is a URI (GFD.221 5.4): a string even when given as a number.
        values = [('occi.core.id', None if self.id is None else str(self.id)),
                  ('occi.core.title', self.title)]
        return [(name, value) for name, value in values if value is not None]


class Resource(Entity):
    """A resource instance (GFD.221 5.4.2).

    :param summary: ``occi.core.summary``
    :param links: the :class:`Link` objects whose source is this resource
    :param kwargs: as for :class:`Entity`
    """

    def __init__(self, kind, id, *, summary=None, links=(), **kwargs):
        super().__init__(kind, id, **kwargs)
        self.summary = summary
        self.links = list(links)

    def core_attributes(self):
        values = super().core_attributes()
        if self.summary is not None:
            values.append(('occi.core.summary', self.summary))
        return values


class Link(Entity):
    """A link instance (GFD.221 5.4.3).

    :param source: the location of the source resource
    :param source_kind: the kind (or its type id) of the source
    :param target: the location (URI) of the target
    :param target_kind: the kind (or its type id) of the target
    :param kwargs: as for :class:`Entity`
    """

    def __init__(self, kind, id, *, source=None, source_kind=None,
                 target=None, target_kind=None, **kwargs):
        super().__init__(kind, id, **kwargs)
        self.source = source
        self.source_kind = source_kind
        self.target = target
        self.target_kind = target_kind

    def core_attributes(self):
        values = super().core_attributes()
        for name, value in (('occi.core.source', self.source),
                            ('occi.core.source.kind',
                             categories.type_id_of(self.source_kind)),
                            ('occi.core.target', self.target),
                            ('occi.core.target.kind',
                             categories.type_id_of(self.target_kind))):
            if value is not None:
                values.append((name, value))
        return values


def _core_attribute(name, description, **kwargs):
    return categories.Attribute(name, description=description, **kwargs)


#: ``core#entity``: abstract, so not bound to a location (GFD.223 4).
#: ``occi.core.id`` has multiplicity 1 but is assigned by the server, so it
#: is not "required" (which would ask clients to send it, GFD.221 5.3.2).
ENTITY = categories.Kind(
    categories.CORE_SCHEME, 'entity', 'Entity',
    attributes=(
        _core_attribute('occi.core.id', 'Identifier of the entity.'),
        _core_attribute('occi.core.title', 'Title of the entity.',
                        mutable=True),
    ))

#: ``core#resource``.
RESOURCE = categories.Kind(
    categories.CORE_SCHEME, 'resource', 'Resource',
    attributes=(
        _core_attribute('occi.core.summary', 'Summary of the resource.',
                        mutable=True),
    ),
    location='/resource/', parent=ENTITY)

#: ``core#link``.
LINK = categories.Kind(
    categories.CORE_SCHEME, 'link', 'Link',
    attributes=(
        _core_attribute('occi.core.source', 'Location of the source '
                        'resource.', mutable=True, required=True),
        _core_attribute('occi.core.target', 'URI of the target.',
                        mutable=True, required=True),
        _core_attribute('occi.core.target.kind', 'Kind of the target.',
                        mutable=True),
    ),
    location='/link/', parent=ENTITY)
