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

"""OCCI renderings read from a request, before they meet the model.

The parsers (:mod:`ooi_save.occi.parsing`) turn request bodies and headers
into these objects: :class:`EntityRequest` (an entity, or a link within
one), :class:`ActionRequest` (an action invocation) and
:class:`CategoryRequest` (a category: query filters, user mixins). They
hold type ids as strings and values as rendered; resolving them against
the model is the caller's job.
"""


class _Request:
    """What the request objects share: equal when their fields are."""

    def __eq__(self, other):
        if not isinstance(other, type(self)):
            return NotImplemented
        return vars(self) == vars(other)


def _attribute(name):
    """A read-only property giving one attribute of the request, or None.

    :param name: the attribute name, e.g. ``occi.core.title``
    """
    def get(self):
        return self.attributes.get(name)
    return property(get, doc='``%s``, or None.' % name)


class EntityRequest(_Request):
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

    def __repr__(self):
        return ('EntityRequest(kind=%r, mixins=%r, attributes=%r, links=%r, '
                'location=%r, actions=%r, rel=%r)'
                % (self.kind, self.mixins, self.attributes, self.links,
                   self.location, self.actions, self.rel))

    id = _attribute('occi.core.id')
    title = _attribute('occi.core.title')
    summary = _attribute('occi.core.summary')
    #: For links.
    source = _attribute('occi.core.source')
    target = _attribute('occi.core.target')
    target_kind = _attribute('occi.core.target.kind')


class ActionRequest(_Request):
    """An action invocation as a client rendered it.

    :param action: the action type id
    :param attributes: a dict from parameter name to value, as rendered
    """

    def __init__(self, action, attributes=None):
        self.action = action
        self.attributes = dict(attributes or {})

    def __repr__(self):
        return 'ActionRequest(%r, %r)' % (self.action, self.attributes)


class CategoryRequest(_Request):
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
    :param attributes: :class:`~ooi_save.occi.categories.Attribute`
        definitions; the text rendering gives only name, mutability and
        required
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

    def __repr__(self):
        return 'CategoryRequest(%r, %r)' % (self.type_id, self.category_class)
