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

"""The OCCI Core model (GFD.221): categories, entities, parsed requests.

Categories (:class:`Kind`, :class:`Mixin`, :class:`Action`) and their
:class:`Attribute` definitions are immutable and hashable; renderers cache
what they render of them, so one category object can be rendered many times
at the cost of one. Entities (:class:`Resource`, :class:`Link`) are plain
containers built by the caller for one answer.

The core kinds ``entity``, ``resource`` and ``link`` are defined at the end
of this module (:data:`ENTITY`, :data:`RESOURCE`, :data:`LINK`); the
infrastructure ones are in :mod:`ooi_save.occi.infrastructure`.
"""

import re

from ooi_save.occi import exceptions

CORE_SCHEME = 'http://schemas.ogf.org/occi/core#'

#: Attribute types: the JSON types of GFD.225, plus ``integer``, which is
#: rendered as ``number`` in JSON (with an ``integer`` pattern) and which
#: keeps GFD.224's Integer attributes apart from its Float ones.
ATTRIBUTE_TYPES = ('string', 'number', 'integer', 'boolean', 'array',
                   'object')

#: The Python types a parser gives for each attribute type.
_PYTHON_TYPES = {'string': (str,), 'number': (int, float),
                 'integer': (int,), 'boolean': (bool,),
                 'array': (list, tuple), 'object': (dict,)}

#: The classes of categories, as the text rendering names them.
CATEGORY_CLASSES = ('kind', 'mixin', 'action')

# GFD.229 4.1: a term starts with a letter or digit. Anything else could not
# be rendered unquoted in a Category line, so it is refused at build time.
_TERM = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.\-]*\Z')


def _type_id(value):
    """The type id of a category, or the value itself if already a str."""
    if value is None or isinstance(value, str):
        return value
    return value.type_id


def split_type_id(type_id):
    """Split a category type id into scheme and term.

    :param type_id: ``scheme + term``, e.g.
        ``http://schemas.ogf.org/occi/infrastructure#compute``
    :returns: ``(scheme, term)``; the scheme keeps its trailing ``#``. A
        type id without ``#`` has an empty scheme.
    """
    scheme, sep, term = type_id.rpartition('#')
    return scheme + sep, term


class _Frozen:
    """Refuse attribute assignment once built."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError('%s is immutable' % type(self).__name__)

    def __delattr__(self, name):
        raise AttributeError('%s is immutable' % type(self).__name__)


class Attribute(_Frozen):
    """The definition of an attribute (GFD.221 5.3.2).

    :param name: the attribute name, e.g. ``occi.compute.cores``
    :param type: one of :data:`ATTRIBUTE_TYPES`
    :param mutable: whether clients may set it
    :param required: whether clients must give it at creation time
    :param pattern: a regular expression (ERE) the value must match
    :param default: the default value, of the attribute's type
    :param description: a human readable description
    :param enum: the allowed values, for enumerations such as states
    :raises: ValueError for an empty name or an unknown type
    """

    __slots__ = ('name', 'type', 'mutable', 'required', 'pattern', 'default',
                 'description', 'enum')

    def __init__(self, name, type='string', mutable=False, required=False,
                 pattern=None, default=None, description=None, enum=None):
        if not name or not isinstance(name, str):
            raise ValueError('An attribute needs a name, got %r' % (name,))
        if type not in ATTRIBUTE_TYPES:
            raise ValueError('Attribute %s: type %r is not one of %s'
                             % (name, type, ', '.join(ATTRIBUTE_TYPES)))
        setter = object.__setattr__
        setter(self, 'name', name)
        setter(self, 'type', type)
        setter(self, 'mutable', bool(mutable))
        setter(self, 'required', bool(required))
        setter(self, 'pattern', pattern)
        setter(self, 'default', default)
        setter(self, 'description', description)
        setter(self, 'enum', tuple(enum) if enum is not None else None)

    def accepts(self, value):
        """Whether a value is of the attribute's type.

        ``integer`` takes whole numbers only, ``number`` any number; a
        boolean is no number. None (no value) is of every type.

        :param value: a value as a parser gives it
        :returns: a bool
        """
        if value is None:
            return True
        if isinstance(value, bool):
            return self.type == 'boolean'
        return isinstance(value, _PYTHON_TYPES[self.type])

    def _key(self):
        return (self.name, self.type, self.mutable, self.required,
                self.pattern, self.description, self.enum)

    def __eq__(self, other):
        if not isinstance(other, Attribute):
            return NotImplemented
        return (self._key() == other._key() and
                type(self.default) is type(other.default) and
                self.default == other.default)

    def __hash__(self):
        # The default may be a list or a dict: it is left out of the hash,
        # equality still compares it.
        return hash(self._key())

    def __repr__(self):
        return ('Attribute(%r, type=%r, mutable=%r, required=%r, pattern=%r, '
                'default=%r, description=%r, enum=%r)'
                % (self.name, self.type, self.mutable, self.required,
                   self.pattern, self.default, self.description, self.enum))

    def replace(self, **changes):
        """A copy of the attribute with some properties changed.

        :param changes: the properties to change, by name
        :returns: a new :class:`Attribute`
        """
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return Attribute(**values)


class Category(_Frozen):
    """A type identifier (GFD.221 5.3.1): the base of Kind, Mixin, Action.

    Two categories are equal when their type ids (scheme + term) are.

    :param scheme: the categorisation scheme, ending with ``#``
    :param term: the term, unique within the scheme
    :param title: a human readable title
    :param attributes: the :class:`Attribute` definitions it introduces
    :param location: the URL the category is bound to, rendered as given
    :raises: ValueError for a missing scheme or an invalid term
    """

    #: ``kind``, ``mixin`` or ``action``, as the text rendering names it.
    category_class = None

    __slots__ = ('scheme', 'term', 'title', 'attributes', 'location',
                 'type_id', '_cache')

    def __init__(self, scheme, term, title=None, attributes=(),
                 location=None):
        if not scheme or not isinstance(scheme, str):
            raise ValueError('A category needs a scheme, got %r' % (scheme,))
        if not isinstance(term, str) or not _TERM.match(term):
            raise ValueError('Invalid category term %r: a term is letters, '
                             'digits, "-", "_" and ".", starting with a '
                             'letter or digit' % (term,))
        attributes = tuple(attributes)
        for attribute in attributes:
            if not isinstance(attribute, Attribute):
                raise ValueError('%s%s: attributes must be Attribute '
                                 'objects, got %r' % (scheme, term,
                                                      attribute))
        setter = object.__setattr__
        setter(self, 'scheme', scheme)
        setter(self, 'term', term)
        setter(self, 'title', title)
        setter(self, 'attributes', attributes)
        setter(self, 'location', location)
        setter(self, 'type_id', scheme + term)
        # Renderers keep what they rendered of this (immutable) category
        # here, under their own key.
        setter(self, '_cache', {})

    def __eq__(self, other):
        if not isinstance(other, Category):
            return NotImplemented
        return self.type_id == other.type_id

    def __hash__(self):
        return hash(self.type_id)

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.type_id)

    def _fields(self):
        return {'scheme': self.scheme, 'term': self.term,
                'title': self.title, 'attributes': self.attributes,
                'location': self.location}

    def replace(self, **changes):
        """A copy of the category with some fields changed.

        :param changes: constructor arguments to change, by name
        :returns: a new category of the same class
        """
        fields = self._fields()
        fields.update(changes)
        return type(self)(**fields)

    def with_location(self, location):
        """A copy of the category bound to another location.

        :param location: the new location
        :returns: a new category of the same class
        """
        return self.replace(location=location)

    def all_attributes(self):
        """The attributes of the category, inherited ones included.

        :returns: a dict from attribute name to :class:`Attribute`
        """
        return {attribute.name: attribute for attribute in self.attributes}


class Action(Category):
    """An invocable operation (GFD.221 5.3.5).

    Actions are not bound to a location: they are invoked with
    ``?action=<term>`` on the entity or collection.

    :param scheme: the scheme, e.g.
        ``http://schemas.ogf.org/occi/infrastructure/compute/action#``
    :param term: the action term, e.g. ``start``
    :param title: a human readable title
    :param attributes: the parameters of the operation
    """

    category_class = 'action'
    __slots__ = ()

    def __init__(self, scheme, term, title=None, attributes=()):
        super().__init__(scheme, term, title, attributes, None)

    def _fields(self):
        fields = super()._fields()
        del fields['location']
        return fields

    def with_location(self, location):
        """Actions have no location: the action itself is returned."""
        return self


class Kind(Category):
    """The type of an entity (GFD.221 5.3.3).

    :param scheme: the scheme
    :param term: the term
    :param title: a human readable title
    :param attributes: the attributes the kind defines (not its parents')
    :param location: the collection URL; None for ``core#entity``
    :param parent: the parent :class:`Kind`
    :param actions: the :class:`Action` objects defined for the kind
    """

    category_class = 'kind'
    __slots__ = ('parent', 'actions')

    def __init__(self, scheme, term, title=None, attributes=(),
                 location=None, parent=None, actions=()):
        super().__init__(scheme, term, title, attributes, location)
        object.__setattr__(self, 'parent', parent)
        object.__setattr__(self, 'actions', tuple(actions))

    def _fields(self):
        fields = super()._fields()
        fields.update(parent=self.parent, actions=self.actions)
        return fields

    def ancestors(self):
        """The parent chain, nearest first.

        :returns: a list of :class:`Kind`
        """
        chain = []
        kind = self.parent
        while kind is not None and kind not in chain:
            chain.append(kind)
            kind = kind.parent
        return chain

    def all_attributes(self):
        """The kind's attributes and those of its parent chain.

        A kind's own definition wins over a parent's of the same name.

        :returns: a dict from attribute name to :class:`Attribute`, root
            kind's attributes first
        """
        result = {}
        for kind in reversed([self] + self.ancestors()):
            for attribute in kind.attributes:
                result[attribute.name] = attribute
        return result

    def all_actions(self):
        """The kind's actions and those of its parent chain.

        :returns: a list of :class:`Action`, without repeats
        """
        seen = []
        for kind in [self] + self.ancestors():
            for action in kind.actions:
                if action not in seen:
                    seen.append(action)
        return seen


class Mixin(Category):
    """A capability added to entities at run time (GFD.221 5.3.4).

    :param scheme: the scheme
    :param term: the term
    :param title: a human readable title
    :param attributes: the attributes the mixin adds; their defaults
        override the kind's (templates, GFD.221 5.3.7)
    :param location: the collection URL of the mixin
    :param depends: the :class:`Mixin` objects this one depends on
    :param applies: the :class:`Kind` objects it may be applied to (none
        means any)
    :param actions: the :class:`Action` objects it adds
    """

    category_class = 'mixin'
    __slots__ = ('depends', 'applies', 'actions')

    def __init__(self, scheme, term, title=None, attributes=(),
                 location=None, depends=(), applies=(), actions=()):
        super().__init__(scheme, term, title, attributes, location)
        object.__setattr__(self, 'depends', tuple(depends))
        object.__setattr__(self, 'applies', tuple(applies))
        object.__setattr__(self, 'actions', tuple(actions))

    def _fields(self):
        fields = super()._fields()
        fields.update(depends=self.depends, applies=self.applies,
                      actions=self.actions)
        return fields

    def all_depends(self):
        """Every mixin this one depends on, directly or not.

        :returns: a list of :class:`Mixin`, nearest first, without repeats
        """
        result = []
        todo = list(self.depends)
        while todo:
            mixin = todo.pop(0)
            if mixin in result or mixin == self:
                continue
            result.append(mixin)
            todo.extend(getattr(mixin, 'depends', ()))
        return result

    def all_attributes(self):
        """The mixin's attributes and those of the mixins it depends on.

        The mixin's own definition (and so its default) wins.

        :returns: a dict from attribute name to :class:`Attribute`
        """
        result = {}
        for mixin in reversed([self] + self.all_depends()):
            for attribute in mixin.attributes:
                result[attribute.name] = attribute
        return result


def check_types(categories, values):
    """Refuse attribute values of another type than their definitions.

    :param categories: the categories defining the attributes (kinds,
        mixins, actions); None items are skipped
    :param values: a dict of attribute values, by name; names no category
        defines are left to the caller
    :raises: InvalidAttribute for the first value of a wrong type
    """
    definitions = {}
    for category in categories:
        if category is not None:
            definitions.update(category.all_attributes())
    for name, value in values.items():
        attribute = definitions.get(name)
        if attribute is not None and not attribute.accepts(value):
            raise exceptions.InvalidAttribute(
                'Attribute %s is of type %s; the request gives it %s.'
                % (name, attribute.type, _shown(value)))


def _shown(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + '...'


class CategoryCollection:
    """The kinds, mixins and actions of a model (the query interface).

    Actions that a kind or mixin refers to are added to :attr:`actions` if
    they are not listed already, so that discovery is complete (GFD.221
    5.3.9). A type id listed twice keeps its first category.

    :param kinds: :class:`Kind` objects
    :param mixins: :class:`Mixin` objects
    :param actions: :class:`Action` objects
    """

    def __init__(self, kinds=(), mixins=(), actions=()):
        self._by_id = {}
        self.kinds = self._unique(kinds)
        self.mixins = self._unique(mixins)
        referred = [action for category in self.kinds + self.mixins
                    for action in category.actions]
        self.actions = self._unique(list(actions) + referred)

    def _unique(self, categories):
        result = []
        by_id = self._by_id
        for category in categories:
            if category.type_id not in by_id:
                by_id[category.type_id] = category
                result.append(category)
        return result

    def __iter__(self):
        yield from self.kinds
        yield from self.mixins
        yield from self.actions

    def __len__(self):
        return len(self._by_id)

    def __contains__(self, item):
        return _type_id(item) in self._by_id

    def __repr__(self):
        return ('CategoryCollection(%d kinds, %d mixins, %d actions)'
                % (len(self.kinds), len(self.mixins), len(self.actions)))

    def get(self, type_id, default=None):
        """The category with a type id.

        :param type_id: ``scheme + term``
        :param default: what to return if there is none
        :returns: the category, or ``default``
        """
        return self._by_id.get(type_id, default)

    def extended(self, kinds=(), mixins=(), actions=()):
        """A new collection with more categories.

        :param kinds: kinds to add
        :param mixins: mixins to add (e.g. the provider's templates)
        :param actions: actions to add
        :returns: a new :class:`CategoryCollection`
        """
        return CategoryCollection(self.kinds + list(kinds),
                                  self.mixins + list(mixins),
                                  self.actions + list(actions))

    def filter(self, type_ids, specializations=True):
        """The categories related to some type ids (GFD.223 7.1).

        "Related" is, for each requested category present in the
        collection:

        * the category itself;
        * for a kind, its parent chain, and the actions of the kind;
        * for a mixin, every mixin it depends on (transitively), and the
          actions of the mixin;
        * for an action, nothing more;
        * with ``specializations``, also the categories that specialise the
          requested one: kinds whose parent chain holds it, mixins that
          depend on it (transitively). So filtering by
          ``infrastructure#os_tpl`` lists every OS template.

        Type ids unknown to the collection are ignored. The order of the
        collection is kept.

        :param type_ids: type id strings (``scheme + term``)
        :param specializations: whether to add the specialising categories
        :returns: a new :class:`CategoryCollection`
        """
        wanted = set()
        requested = [self._by_id[t] for t in type_ids if t in self._by_id]
        for category in requested:
            wanted.add(category.type_id)
            if isinstance(category, Kind):
                related = category.ancestors() + list(category.actions)
            elif isinstance(category, Mixin):
                related = category.all_depends() + list(category.actions)
            else:
                related = []
            wanted.update(c.type_id for c in related)
        if specializations and requested:
            requested_ids = {c.type_id for c in requested}
            for kind in self.kinds:
                if any(k.type_id in requested_ids for k in kind.ancestors()):
                    wanted.add(kind.type_id)
            for mixin in self.mixins:
                if any(m.type_id in requested_ids
                       for m in mixin.all_depends()):
                    wanted.add(mixin.type_id)
        return CategoryCollection(
            [k for k in self.kinds if k.type_id in wanted],
            [m for m in self.mixins if m.type_id in wanted],
            [a for a in self.actions if a.type_id in wanted])


class Entity:
    """An entity instance (GFD.221 5.4.1), as the caller builds it.

    :param kind: the :class:`Kind` of the entity
    :param id: the entity id (``occi.core.id``)
    :param title: ``occi.core.title``
    :param mixins: the associated :class:`Mixin` objects
    :param attributes: a dict from attribute name to value (str, int,
        float, bool, list or dict) for every attribute beyond
        ``occi.core.id``, ``occi.core.title`` and ``occi.core.summary``,
        which come from the fields; None values are not rendered
    :param location: the URL of the entity, rendered as given
    :param actions: the :class:`Action` objects valid now, rendered as
        action links ``<location>?action=<term>``
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
        return '%s(%r, %r)' % (type(self).__name__, _type_id(self.kind),
                               self.id)

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
                             _type_id(self.source_kind)),
                            ('occi.core.target', self.target),
                            ('occi.core.target.kind',
                             _type_id(self.target_kind))):
            if value is not None:
                values.append((name, value))
        return values


class EntityRequest:
    """An entity as a client rendered it in a request.

    Type ids are kept as strings: resolving them against the model is the
    caller's job. Every attribute is in :attr:`attributes`, the core ones
    included (``occi.core.id``, ``occi.core.title``, ``occi.core.summary``,
    and for links ``occi.core.source``, ``occi.core.target``,
    ``occi.core.target.kind``); values are kept as rendered (e.g. rOCCI's
    ``deffered``), in the type the rendering gave them.

    :param kind: the kind type id, or None (partial updates)
    :param mixins: mixin type ids
    :param attributes: a dict from attribute name to value
    :param links: :class:`EntityRequest` objects for the links of a
        resource
    :param location: the location the rendering gave (JSON ``location``,
        text ``self`` of a link), or None
    :param actions: action type ids the rendering listed
    :param rel: for a link rendered in text, the type ids in ``rel``
    """

    def __init__(self, kind=None, mixins=(), attributes=None, links=(),
                 location=None, actions=(), rel=()):
        self.kind = kind
        self.mixins = list(mixins)
        self.attributes = dict(attributes or {})
        self.links = list(links)
        self.location = location
        self.actions = list(actions)
        self.rel = tuple(rel)

    def __eq__(self, other):
        if not isinstance(other, EntityRequest):
            return NotImplemented
        return vars(self) == vars(other)

    def __repr__(self):
        return ('EntityRequest(kind=%r, mixins=%r, attributes=%r, links=%r, '
                'location=%r, actions=%r, rel=%r)'
                % (self.kind, self.mixins, self.attributes, self.links,
                   self.location, self.actions, self.rel))

    @property
    def id(self):
        """``occi.core.id``, or None."""
        return self.attributes.get('occi.core.id')

    @property
    def title(self):
        """``occi.core.title``, or None."""
        return self.attributes.get('occi.core.title')

    @property
    def summary(self):
        """``occi.core.summary``, or None."""
        return self.attributes.get('occi.core.summary')

    @property
    def source(self):
        """``occi.core.source`` of a link, or None."""
        return self.attributes.get('occi.core.source')

    @property
    def target(self):
        """``occi.core.target`` of a link, or None."""
        return self.attributes.get('occi.core.target')

    @property
    def target_kind(self):
        """``occi.core.target.kind`` of a link, or None."""
        return self.attributes.get('occi.core.target.kind')


class ActionRequest:
    """An action invocation as a client rendered it.

    :param action: the action type id
    :param attributes: a dict from parameter name to value, as rendered
    """

    def __init__(self, action, attributes=None):
        self.action = action
        self.attributes = dict(attributes or {})

    def __eq__(self, other):
        if not isinstance(other, ActionRequest):
            return NotImplemented
        return vars(self) == vars(other)

    def __repr__(self):
        return 'ActionRequest(%r, %r)' % (self.action, self.attributes)


class CategoryRequest:
    """A category as a client rendered it (filters, user mixins).

    Related categories are type id strings. The text rendering has only
    ``rel``: for a kind it is the parent; for a mixin the values naming a
    standard kind go to :attr:`applies` (rOCCI renders "depends applies"),
    the others to :attr:`depends`.

    :param scheme: the scheme
    :param term: the term
    :param category_class: ``kind``, ``mixin``, ``action`` or None if the
        rendering did not say
    :param title: the title or None
    :param rel: the type ids in ``rel`` (text), or parent/depends (JSON)
    :param location: the location or None
    :param attributes: :class:`Attribute` definitions; the text rendering
        gives only name, mutability and required
    :param actions: action type ids
    :param parent: parent kind type id
    :param depends: type ids of mixins depended on
    :param applies: type ids of kinds applied to
    """

    def __init__(self, scheme, term, category_class=None, title=None,
                 rel=(), location=None, attributes=(), actions=(),
                 parent=None, depends=(), applies=()):
        self.scheme = scheme
        self.term = term
        self.category_class = category_class
        self.title = title
        self.rel = tuple(rel)
        self.location = location
        self.attributes = tuple(attributes)
        self.actions = tuple(actions)
        self.parent = parent
        self.depends = tuple(depends)
        self.applies = tuple(applies)

    @property
    def type_id(self):
        """``scheme + term``."""
        return self.scheme + self.term

    def __eq__(self, other):
        if not isinstance(other, CategoryRequest):
            return NotImplemented
        return vars(self) == vars(other)

    def __repr__(self):
        return 'CategoryRequest(%r, %r)' % (self.type_id, self.category_class)


def _core_attribute(name, description, **kwargs):
    return Attribute(name, description=description, **kwargs)


#: ``core#entity``: abstract, so not bound to a location (GFD.223 4).
#: ``occi.core.id`` has multiplicity 1 but is assigned by the server, so it
#: is not "required" (which would ask clients to send it, GFD.221 5.3.2).
ENTITY = Kind(
    CORE_SCHEME, 'entity', 'Entity',
    attributes=(
        _core_attribute('occi.core.id', 'Identifier of the entity.'),
        _core_attribute('occi.core.title', 'Title of the entity.',
                        mutable=True),
    ))

#: ``core#resource``.
RESOURCE = Kind(
    CORE_SCHEME, 'resource', 'Resource',
    attributes=(
        _core_attribute('occi.core.summary', 'Summary of the resource.',
                        mutable=True),
    ),
    location='/resource/', parent=ENTITY)

#: ``core#link``.
LINK = Kind(
    CORE_SCHEME, 'link', 'Link',
    attributes=(
        _core_attribute('occi.core.source', 'Location of the source '
                        'resource.', mutable=True, required=True),
        _core_attribute('occi.core.target', 'URI of the target.',
                        mutable=True, required=True),
        _core_attribute('occi.core.target.kind', 'Kind of the target.',
                        mutable=True),
    ),
    location='/link/', parent=ENTITY)
