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

"""Hypothesis strategies for OCCI model objects."""

import hypothesis.strategies as st

from ooi_save.occi import categories
from ooi_save.occi import collections as occi_collections
from ooi_save.occi import entities
from ooi_save.occi import infrastructure as infra

#: Text a text rendering carries as is: no surrogates, no control
#: characters, no line or paragraph separators (text renderings have no
#: line breaks within a field; they become spaces, see test_text).
SAFE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=('Cs', 'Cc', 'Zl', 'Zp')),
    max_size=20)
IDS = st.text(
    alphabet=st.characters(exclude_categories=('Cs', 'Cc', 'Zl', 'Zp')),
    min_size=1, max_size=20)
TERMS = st.from_regex(r'[A-Za-z0-9][A-Za-z0-9_.\-]{0,12}', fullmatch=True)
_HOSTS = st.from_regex(r'[a-z][a-z0-9\-]{0,8}', fullmatch=True)
_PATHS = st.from_regex(r"[A-Za-z0-9_./~%!$&'()*+=:@\-]{0,20}",
                       fullmatch=True)
#: URLs without commas, which would separate locations in a comma list.
URLS = st.builds('http://{}.example.com/{}'.format, _HOSTS, _PATHS)
ATTRIBUTE_NAMES = st.from_regex(
    r'(com|org)\.example\.[a-z][a-z0-9_]{0,8}(\.[a-z0-9_]{1,6}){0,2}',
    fullmatch=True)


def schemes(prefix):
    """Category schemes below a host of their own, one per class."""
    return st.builds(('http://%s.example.com/{}#' % prefix).format,
                     st.from_regex(r'[a-z0-9_/]{0,12}', fullmatch=True))


SCALARS = st.one_of(SAFE_TEXT, st.integers(), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(SAFE_TEXT, children, max_size=3)),
    max_leaves=6)
ATTRIBUTE_VALUES = st.dictionaries(ATTRIBUTE_NAMES, st.none() | VALUES,
                                   max_size=5)


def _optional(strategy):
    return st.none() | strategy


def _subset(items, max_size=3):
    return st.lists(st.sampled_from(items), unique=True, max_size=max_size)


@st.composite
def attribute_definitions(draw):
    """An Attribute with any properties."""
    return categories.Attribute(
        draw(ATTRIBUTE_NAMES),
        type=draw(st.sampled_from(categories.ATTRIBUTE_TYPES)),
        mutable=draw(st.booleans()), required=draw(st.booleans()),
        pattern=draw(_optional(st.sampled_from(
            ['^[a-z]+$', r'\S+', '[0-9]{1,3}(\\.[0-9]+)?']))),
        default=draw(_optional(VALUES)),
        description=draw(_optional(SAFE_TEXT)),
        enum=draw(_optional(st.lists(IDS, max_size=3))))


def _attribute_tuples():
    return st.lists(attribute_definitions(), unique_by=lambda a: a.name,
                    max_size=4)


@st.composite
def actions(draw):
    """A provider action."""
    return categories.Action(draw(schemes('actions')), draw(TERMS),
                             title=draw(_optional(SAFE_TEXT)),
                             attributes=draw(_attribute_tuples()))


@st.composite
def collections(draw):
    """A CategoryCollection of provider kinds, mixins and actions."""
    action_list = draw(st.lists(actions(), unique_by=lambda a: a.type_id,
                                max_size=3))
    kinds = draw(st.lists(st.builds(
        categories.Kind, schemes('kinds'), TERMS, title=_optional(SAFE_TEXT),
        attributes=_attribute_tuples(), location=_optional(URLS),
        parent=_optional(st.sampled_from(infra.KINDS)),
        actions=_subset(action_list) if action_list else st.just(())),
        unique_by=lambda k: k.type_id, max_size=3))
    mixins = draw(st.lists(st.builds(
        categories.Mixin, schemes('mixins'), TERMS, title=_optional(SAFE_TEXT),
        attributes=_attribute_tuples(), location=URLS,
        depends=_subset(infra.MIXINS, 2), applies=_subset(infra.KINDS, 2),
        actions=_subset(action_list) if action_list else st.just(())),
        unique_by=lambda m: m.type_id, max_size=3))
    return occi_collections.CategoryCollection(kinds, mixins, action_list)


MIXINS = st.builds(categories.Mixin, schemes('mixins'), TERMS,
                   title=_optional(SAFE_TEXT), location=URLS)


def _mixin_lists():
    return st.lists(MIXINS, unique_by=lambda m: m.type_id, max_size=3)


@st.composite
def links(draw, with_source=True):
    """A Link entity."""
    return entities.Link(
        draw(st.sampled_from([infra.LINK, infra.NETWORKINTERFACE,
                              infra.STORAGELINK])),
        draw(IDS), title=draw(_optional(SAFE_TEXT)),
        mixins=draw(_mixin_lists()),
        attributes=draw(ATTRIBUTE_VALUES),
        location=draw(_optional(URLS)),
        source=draw(URLS if with_source else _optional(URLS)),
        source_kind=draw(_optional(st.sampled_from(infra.KINDS))),
        target=draw(URLS),
        target_kind=draw(_optional(st.sampled_from(infra.KINDS))),
        actions=draw(_subset(infra.ACTIONS, 2)))


@st.composite
def resources(draw):
    """A Resource entity with links, mixins, actions and attributes."""
    kind = draw(st.sampled_from([infra.RESOURCE, infra.COMPUTE,
                                 infra.STORAGE, infra.NETWORK]))
    return entities.Resource(
        kind, draw(IDS), title=draw(_optional(SAFE_TEXT)),
        summary=draw(_optional(SAFE_TEXT)), mixins=draw(_mixin_lists()),
        attributes=draw(ATTRIBUTE_VALUES), location=draw(URLS),
        actions=draw(_subset(kind.all_actions()) if kind.actions
                     else st.just([])),
        links=draw(st.lists(links(with_source=False), max_size=2)))
