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

"""The category collection of a model: what the query interface lists.

:class:`CategoryCollection` holds the kinds, mixins and actions a client
may discover (GFD.221 5.3.9) and filters them by type id (GFD.223 7.1).
"""

from ooi_save.occi import categories


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

    def _unique(self, candidates):
        result = []
        by_id = self._by_id
        for category in candidates:
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
        return categories.type_id_of(item) in self._by_id

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
            if isinstance(category, categories.Kind):
                related = category.ancestors() + list(category.actions)
            elif isinstance(category, categories.Mixin):
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
