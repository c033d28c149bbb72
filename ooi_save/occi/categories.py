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

"""OCCI Core categories (GFD.221 5.3): what types entities.

:class:`Attribute` definitions, the :class:`Category` base and its three
classes :class:`Kind`, :class:`Mixin` and :class:`Action`, the type id
helpers (:func:`split_type_id`, :func:`type_id_of`) and :func:`check_types`,
which refuses attribute values of the wrong type.

Categories and attributes are immutable and hashable; renderers cache what
they render of them, so one category object can be rendered many times at
the cost of one. The core kinds ``entity``, ``resource`` and ``link`` are in
:mod:`ooi_save.occi.entities`, next to the entity classes; the
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


def type_id_of(value):
    """The type id of a category, or the value itself if already a str.

    :param value: a :class:`Category`, a type id string or None
    :returns: the type id string, or None
    """
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
