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

"""What the server offers (``/-/``), asked once and kept on disk.

Every command that names a category (a template by name, a kind's
location, a mixin) needs the server's model. Asking ``/-/`` on every
command is what made the old clients slow, so :class:`Discovery` keeps the
answer in a cache file per endpoint and identity (the token when one is
given, else the Keystone user and project) for ``ttl`` seconds:

* the whole model, when a command needs it (a name to look up, a listing
  of templates or mixins);
* single categories asked with ``/-/?category=<type id>``, which costs the
  server far less than the whole model (the compute kind's location for
  ``occi compute list`` on a cold cache).

The cache holds the answers as the server rendered them (content type and
body), read again with :mod:`ooi_save.occi.parsing`; a command that changes
the model (a save, a mixin created or deleted) drops the cache, and a name
not found in a cached model is looked up once more in a fresh one.
"""

import hashlib
import json
import os
import tempfile
import time

from ooi_save.occi import parsing

#: Seconds a cached model is used.
DEFAULT_TTL = 600

#: The standard kinds and their usual locations, for servers (or cold
#: caches) that need no lookup to find them.
OS_TPL = 'http://schemas.ogf.org/occi/infrastructure#os_tpl'
RESOURCE_TPL = 'http://schemas.ogf.org/occi/infrastructure#resource_tpl'


def cache_dir():
    """Where cache files go: ``$XDG_CACHE_HOME/ooi-save/occi``."""
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'ooi-save', 'occi')


def cache_key(endpoint, identity):
    """The cache file name of an endpoint and identity.

    Both are hashed: a token never appears in a file name.
    """
    digest = hashlib.sha256(('%s\n%s' % (endpoint, identity)).encode(
        'utf-8')).hexdigest()
    return digest[:32] + '.json'


class Model:
    """The categories of one answer of the query interface.

    :param categories: :class:`~ooi_save.occi.requests.CategoryRequest`
        objects
    """

    def __init__(self, categories):
        self.categories = list(categories)
        self.by_id = {c.type_id: c for c in self.categories}

    def of_class(self, category_class):
        return [c for c in self.categories
                if c.category_class == category_class]

    @property
    def kinds(self):
        return self.of_class('kind')

    @property
    def mixins(self):
        return self.of_class('mixin')

    @property
    def actions(self):
        return self.of_class('action')

    def templates(self, parent):
        """The mixins that depend on ``parent`` (os_tpl, resource_tpl)."""
        return [c for c in self.mixins
                if parent in c.depends or parent in c.rel]


class Discovery:
    """The server's model for one client, through the cache.

    :param fetch: ``fetch(category=None)`` asks the query interface and
        answers ``(content_type, body)``
    :param key: the cache file name (:func:`cache_key`), or None for no
        cache on disk
    :param ttl: seconds a cached answer is used; 0 for none
    """

    def __init__(self, fetch, key=None, ttl=DEFAULT_TTL):
        self._fetch = fetch
        self._path = os.path.join(cache_dir(), key) if key and ttl else None
        self._ttl = ttl
        self._data = None
        self._model = None

    # The cache file: {"model": [time, type, body] or null,
    #                  "categories": {type_id: [time, type, body]}}.

    def _load(self):
        if self._data is None:
            self._data = {'model': None, 'categories': {}}
            if self._path:
                try:
                    with open(self._path, encoding='utf-8') as f:
                        data = json.load(f)
                    if isinstance(data, dict):
                        self._data.update(data)
                except (OSError, ValueError):
                    pass
        return self._data

    def _fresh(self, entry):
        return bool(entry) and time.time() - entry[0] < self._ttl

    def _save(self):
        if not self._path:
            return
        try:
            os.makedirs(os.path.dirname(self._path), mode=0o700,
                        exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self._path))
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                json.dump(self._data, f)
            os.replace(tmp, self._path)
        except OSError:
            pass    # a cache that cannot be written is no cache

    @staticmethod
    def _parse(entry):
        _time, content_type, body = entry
        return parsing.parser_for(content_type).categories(
            {'Content-Type': content_type}, body.encode('utf-8'))

    def model(self, refresh=False):
        """The whole model.

        :param refresh: ask the server even when the cache holds it
        :returns: a :class:`Model`
        """
        if self._model is not None and not refresh:
            return self._model
        data = self._load()
        entry = data.get('model')
        if refresh or not self._fresh(entry):
            content_type, body = self._fetch()
            entry = [time.time(), content_type, body]
            data['model'] = entry
            self._save()
        self._model = Model(self._parse(entry))
        return self._model

    def category(self, type_id):
        """One category.

        From the cached model, a cached lookup, or a ``?category=`` lookup.

        :returns: a :class:`~ooi_save.occi.requests.CategoryRequest`, or
            None when the server has no such category
        """
        if self._model is not None:
            return self._model.by_id.get(type_id)
        data = self._load()
        if self._fresh(data.get('model')):
            return self.model().by_id.get(type_id)
        entry = data['categories'].get(type_id)
        if not self._fresh(entry):
            content_type, body = self._fetch(type_id)
            entry = [time.time(), content_type, body]
            data['categories'][type_id] = entry
            self._save()
        for category in self._parse(entry):
            if category.type_id == type_id:
                return category
        return None

    def forget(self):
        """Drop what is cached: the model changed (a save, a mixin)."""
        self._data = {'model': None, 'categories': {}}
        self._model = None
        if self._path:
            try:
                os.unlink(self._path)
            except OSError:
                pass
