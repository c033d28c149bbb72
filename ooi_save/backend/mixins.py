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

"""User-defined mixins (tags, GFD.221 5.5.3) and their collections.

Where things live:

* the **definitions** (scheme, term, title, location, applies, depends)
  are rows of the OCCI database (:mod:`ooi_save.db`), one set per project:
  every user of the project sees them, no other project does;
* the **associations** live on the resources themselves: a compute
  associated with a user mixin carries the Nova server tag
  ``occi-mixin-<id>`` (:data:`TAG_PREFIX` and the mixin's 32 hex digit
  id: 43 characters, within Nova's 60; a server carries at most 50 tags,
  Nova's limit, ``ooi-save-pending`` of a deferred save included).

So a mixin collection is read with one tag-filtered Nova listing per kind
(``GET /servers/detail?tags=occi-mixin-<id>``) after one database read of
the project's definitions; any nova-api node answers the same, and a
compute deleted outside OCCI drops out of the collection with its tags. A
tag whose mixin was deleted is never rendered.
"""

import re
import uuid

from ooi_save.backend import contextualization
from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra

#: Prefix of the Nova server tag that associates a mixin with a compute.
TAG_PREFIX = 'occi-mixin-'

#: Nova's limit of tags on one server.
MAX_TAGS = 50

#: The reserved scheme base (GFD.221 5.3.1).
RESERVED_SCHEME = 'http://schemas.ogf.org/occi/'

_SCHEME = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\s"#]*#\Z')
_TERM = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.\-]{0,254}\Z')
_SEGMENT = re.compile(r'[A-Za-z0-9._~\-]+\Z')

#: First path segments below the OCCI root that no user mixin may take.
_RESERVED_SEGMENTS = frozenset(
    ['-', '.well-known', 'link'] +
    [category.location.strip('/').split('/')[0]
     for category in infra.KINDS + infra.MIXINS + contextualization.MIXINS
     if category.location])

_KINDS = {kind.type_id: kind for kind in infra.KINDS}


def tag_of(mixin_id):
    """The Nova server tag of a mixin."""
    return TAG_PREFIX + mixin_id


def mixin_ids(server):
    """The ids of the user mixins a server's tags name."""
    return [tag[len(TAG_PREFIX):] for tag in server.get('tags') or ()
            if tag.startswith(TAG_PREFIX)]


def check_applies(definition, kind):
    """Refuse a mixin that does not apply to a kind (GFD.221 5.3.4).

    :raises: BadRequest
    """
    if definition['applies'] and kind.type_id not in definition['applies']:
        raise exceptions.BadRequest(
            'Mixin %s%s applies to %s only, not to %s.' % (
                definition['scheme'], definition['term'],
                ', '.join(definition['applies']), kind.type_id))


class NoStore(exceptions.NotImplementedYet):
    """The operator gave the filter no database for user mixins."""


def _category(type_id, known):
    found = known.get(type_id)
    if found is not None:
        return found
    scheme, term = categories.split_type_id(type_id)
    return categories.Mixin(scheme, term)


class UserMixins:
    """The user mixins of one caller's project.

    :param session: the caller's :class:`ooi_save.backend.Session`
    :param store: a :class:`ooi_save.db.api.MixinStore`, or None when no
        database is configured
    :param project_id: the caller's project
    """

    def __init__(self, session, store, project_id):
        self._session = session
        self._store = store
        self._project_id = project_id
        self._definitions = None

    @property
    def enabled(self):
        return self._store is not None and self._project_id is not None

    def _require_store(self):
        if not self.enabled:
            raise NoStore(
                'User-defined mixins are not enabled on this server: the '
                'operator has configured no [occi_database] connection.')

    def definitions(self):
        """The project's definitions (read once a request)."""
        if not self.enabled:
            return []
        if self._definitions is None:
            self._definitions = self._store.list(self._project_id)
        return self._definitions

    def _to_mixin(self, definition):
        known = dict(_KINDS)
        known.update((m.type_id, m) for m in infra.MIXINS)
        return categories.Mixin(
            definition['scheme'], definition['term'], definition['title'],
            location=self._session.locations.url(definition['location']),
            depends=[_category(t, known) for t in definition['depends']],
            applies=[_category(t, known) for t in definition['applies']])

    def mixins(self):
        """The project's mixins, as OCCI categories."""
        return [self._to_mixin(d) for d in self.definitions()]

    def of_server(self, server):
        """The user mixins associated with a server, from its tags.

        Reads the definitions only when the server carries a mixin tag;
        tags of mixins that no longer exist are left out.
        """
        ids = mixin_ids(server)
        if not ids or not self.enabled:
            return []
        by_id = {d['id']: d for d in self.definitions()}
        return [self._to_mixin(by_id[i]) for i in ids
                if i in by_id]

    def find(self, type_id):
        """The definition of a mixin of the project by type id, or None."""
        for definition in self.definitions():
            if definition['scheme'] + definition['term'] == type_id:
                return definition
        return None

    def at(self, path):
        """The definition of the mixin bound to a path, or None."""
        for definition in self.definitions():
            if definition['location'] == path:
                return definition
        return None

    def create(self, requests, model):
        """Define mixins from their renderings, all of them or none.

        :param requests: :class:`ooi_save.occi.requests.CategoryRequest`
        :param model: the category collection the caller sees now, whose
            type ids are taken
        :returns: the new mixins (:class:`ooi_save.occi.categories.Mixin`)
        :raises: BadRequest for a malformed or reserved mixin, Conflict
            for a type id or location taken, NoStore without a database
        """
        self._require_store()
        if not requests:
            raise exceptions.BadRequest(
                'Render at least one mixin to define (a Category of class '
                'mixin).')
        taken_ids = {c.type_id for c in model}
        taken_locations = {d['location'] for d in self.definitions()}
        known = {d['scheme'] + d['term'] for d in self.definitions()}
        known.update(m.type_id for m in infra.MIXINS)
        new = []
        # The answer, in the request's order: definitions, or the index
        # in ``new`` of one to make.
        answer = []
        for request in requests:
            same = self._defined(request, self.definitions() + new)
            if same is not None:
                answer.append(same)
                continue
            values = self._check(request, taken_ids,
                                 taken_locations, known)
            taken_ids.add(values['scheme'] + values['term'])
            taken_locations.add(values['location'])
            known.add(values['scheme'] + values['term'])
            answer.append(len(new))
            new.append(values)
        created = []
        if new:
            try:
                created = self._store.create(self._project_id, new)
            except exceptions.Conflict:
                # Another request made them meanwhile: the same ones?
                self._definitions = None
                again = [self._defined(r, self.definitions())
                         for r in requests]
                if None in again:
                    raise
                return [self._to_mixin(d) for d in again]
            self._definitions = None
        return [self._to_mixin(created[d] if isinstance(d, int) else d)
                for d in answer]

    def _defined(self, request, definitions):
        """The definition a mixin rendering repeats exactly, or None.

        Repeated means: the same scheme and term, title, applies and
        depends, and the same location when the rendering gives one.
        """
        type_id = (request.scheme or '') + (request.term or '')
        if request.category_class not in (None, 'mixin') or \
                request.attributes or request.actions:
            return None
        for definition in definitions:
            if definition['scheme'] + definition['term'] != type_id:
                continue
            location = definition['location']
            if request.location and self._session.locations.path_of(
                    request.location) != location:
                return None
            if (request.title == definition['title'] and
                    set(request.applies) == set(definition['applies']) and
                    set(request.depends) == set(definition['depends'])):
                return definition
            return None
        return None

    def _check(self, request, taken_ids, taken_locations, known):
        type_id = request.scheme + request.term
        if request.category_class not in (None, 'mixin'):
            raise exceptions.BadRequest(
                'Only mixins can be defined; %s is of class %s.'
                % (type_id, request.category_class))
        if not _SCHEME.match(request.scheme or ''):
            raise exceptions.BadRequest(
                'The scheme of a mixin is an absolute URI ending with "#", '
                'not %r.' % request.scheme)
        if request.scheme.startswith(RESERVED_SCHEME):
            raise exceptions.BadRequest(
                'The schemes below %s are reserved to the OCCI standard; '
                'give %s a scheme of your own.' % (RESERVED_SCHEME, type_id))
        conf = self._session.conf
        if request.scheme in (conf.os_tpl_scheme, conf.resource_tpl_scheme):
            raise exceptions.BadRequest(
                'The scheme %s is the provider\'s templates\'; give %s a '
                'scheme of your own.' % (request.scheme, request.term))
        if not _TERM.match(request.term or ''):
            raise exceptions.BadRequest(
                'Invalid mixin term %r: a term is letters, digits, "-", "_" '
                'and ".", starting with a letter or digit, at most 255 '
                'characters.' % (request.term,))
        if request.title is not None and len(request.title) > 255:
            raise exceptions.BadRequest(
                'The title of mixin %s is longer than 255 characters.'
                % type_id)
        if request.attributes or request.actions:
            raise exceptions.BadRequest(
                'Mixin %s defines attributes or actions: user-defined '
                'mixins are tags and carry neither.' % type_id)
        if type_id in taken_ids:
            raise exceptions.Conflict('The category %s exists already.'
                                      % type_id)
        for kind in request.applies:
            if kind not in _KINDS:
                raise exceptions.BadRequest(
                    'Mixin %s applies to %s, which is no kind of this '
                    'server.' % (type_id, kind))
        for depended in request.depends:
            if depended not in known:
                raise exceptions.BadRequest(
                    'Mixin %s depends on %s, which is neither a standard '
                    'mixin nor a mixin of this project.'
                    % (type_id, depended))
        mixin_id = uuid.uuid4().hex
        locations = self._session.locations
        location = self._location(request, locations, mixin_id)
        if location in taken_locations:
            raise exceptions.Conflict(
                'The location %s is bound to another mixin already.'
                % locations.url(location))
        return {'id': mixin_id, 'scheme': request.scheme,
                'term': request.term, 'title': request.title,
                'location': location, 'applies': list(request.applies),
                'depends': list(request.depends)}

    @staticmethod
    def _location(request, locations, mixin_id):
        if not request.location:
            return '/mixins/%s-%s/' % (request.term, mixin_id[:8])
        location = locations.path_of(request.location)
        if location is None or '//' in location or \
                not location.endswith('/') or location == '/':
            raise exceptions.BadRequest(
                'The location of a mixin is a path below %s/ ending with '
                '"/" (e.g. /mixins/web/), not %r.' % (locations.root_url,
                                                      request.location))
        segments = location.strip('/').split('/')
        if not all(_SEGMENT.match(s) for s in segments) or \
                len(location) > 255:
            raise exceptions.BadRequest(
                'The location %r has characters other than letters, digits '
                'and "._~-" in its path segments, or is too long.'
                % request.location)
        if segments[0] in _RESERVED_SEGMENTS:
            raise exceptions.Conflict(
                'The location %s is the server\'s own.' % location)
        return location

    def delete(self, requests, kinds):
        """Remove mixins of the project and their associations.

        :param requests: :class:`ooi_save.occi.requests.CategoryRequest`
        :param kinds: the collections of every kind of the caller (e.g.
            :class:`ooi_save.backend.compute.Computes`), to untag
        :raises: NotFound for a mixin the project does not have,
            BadRequest for one that no client can delete
        """
        self._require_store()
        if not requests:
            raise exceptions.BadRequest('Render the mixins to delete.')
        definitions = []
        for request in requests:
            definition = self.find(request.type_id)
            if definition is None:
                if request.type_id in {
                        c.type_id for c in infra.KINDS + infra.MIXINS +
                        contextualization.MIXINS} or \
                        request.scheme in (
                            self._session.conf.os_tpl_scheme,
                            self._session.conf.resource_tpl_scheme):
                    raise exceptions.BadRequest(
                        '%s is not a user-defined mixin: it cannot be '
                        'deleted.' % request.type_id)
                raise exceptions.NotFound(
                    'This project has no mixin %s.' % request.type_id)
            definitions.append(definition)
        for definition in definitions:
            tag = tag_of(definition['id'])
            for collection in kinds:
                # All of them or, when Nova refuses one, none.
                self.change(tag, remove=collection.tagged(tag))
            self._store.delete(self._project_id, definition['id'])
        self._definitions = None

    def tags_of(self, mixins, kind):
        """The user mixins of a request as tags, and its other mixins.

        :param mixins: the mixin type ids of an entity rendering
        :param kind: the kind of the entity
        :returns: (tags, other type ids)
        :raises: BadRequest for a mixin that does not apply to the kind,
            or more than a server can carry
        """
        tags, others = [], []
        for mixin in mixins or ():
            definition = self.find(mixin)
            if definition is None:
                others.append(mixin)
                continue
            check_applies(definition, kind)
            tags.append(tag_of(definition['id']))
        if len(tags) > MAX_TAGS - 1:
            raise exceptions.BadRequest(
                'A compute takes at most %d user mixins.' % (MAX_TAGS - 1))
        return tags, others

    def add_tag(self, server_id, tag):
        """Tag a server.

        :returns: whether the tag is new on the server
        :raises: NotFound, Conflict (a server Nova cannot tag in its state),
            BadRequest (over Nova's 50 tags)
        """
        return self._session.nova.add_server_tag(server_id, tag)

    def remove_tag(self, server_id, tag, missing_ok=False):
        """Remove a tag from a server.

        :returns: whether the server had the tag
        :raises: NotFound (unless ``missing_ok``), Conflict
        """
        return self._session.nova.remove_server_tag(server_id, tag,
                                                    missing_ok)

    def change(self, tag, add=(), remove=()):
        """Tag and untag servers, undoing what was done when one fails.

        :param tag: the tag of a mixin
        :param add: ids of the servers to tag
        :param remove: ids of the servers to untag
        :raises: the first failure, once the changes before it are undone
        """
        done = []
        try:
            for server_id in add:
                if self.add_tag(server_id, tag):
                    done.append((self.remove_tag, server_id))
            for server_id in remove:
                if self.remove_tag(server_id, tag, missing_ok=True):
                    done.append((self.add_tag, server_id))
        except exceptions.Error:
            for undo, server_id in reversed(done):
                try:
                    undo(server_id, tag)
                except exceptions.Error:
                    pass
            raise

    def retag(self, server, tags, replace):
        """Associate a server with the user mixins of an update.

        :param server: the server dict
        :param tags: the tags of the mixins of the update
        :param replace: PUT semantics: the server keeps only these
        """
        present = [t for t in server.get('tags') or ()
                   if t.startswith(TAG_PREFIX)]
        added = [t for t in tags if t not in present]
        removed = [t for t in present if t not in tags] if replace else []
        done = []
        try:
            for tag in added:
                self.change(tag, add=[server['id']])
                done.append((tag, [server['id']], ()))
            for tag in removed:
                self.change(tag, remove=[server['id']])
                done.append((tag, (), [server['id']]))
        except exceptions.Error:
            for tag, added_to, removed_from in reversed(done):
                try:
                    self.change(tag, add=removed_from, remove=added_to)
                except exceptions.Error:
                    pass
            raise
