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

"""OS and resource templates: Glance images and Nova flavors as mixins.

Every image the caller can see is an ``os_tpl`` provider mixin (term: the
image id, a UUID); every flavor is a ``resource_tpl`` provider mixin whose
term is made from the flavor id (:func:`flavor_term`) and whose title is
the flavor name.

Terms: every term made here fits OCCI 1.1's grammar (letters, digits, ``-``
and ``_``, starting with a letter or digit), which the OCCI 1.1 clients
still in use enforce on the whole answer: a ``.`` in one term (``m1.tiny``)
fails them. A flavor id that fits is the term itself, as in the retired
predecessor; any other id (Nova allows ``.`` and spaces in them) becomes
its characters with each one outside the grammar replaced by ``_``,
followed by ``-`` and the first 6 hex digits of the SHA-256 of the id, so
that two ids differing only in those characters keep apart
(``m1.tiny`` -> ``m1_tiny-<6 hex>``). On input the terms of earlier
releases, made from the flavor name (``m1.tiny``), still name their flavor
(:meth:`Templates.flavor_by_term`), and so does the name itself in the
``default_resource_tpl`` option.

Listing templates costs the Glance pages and one flavor listing. Images are
read from Glance on every request (once per request): a template saved
through any nova-api node, or uploaded to Glance directly, is listed at
the next read through every node, with its upload status as it is now.
Measured on the mini-cloud, a Glance listing costs about what the flavor
listing does, so the query interface stays within its cost goal without
an image cache (``benchmarks/nova_ratios.py``). Flavors change rarely and
only by an operator: they are kept for ``template_cache_ttl`` seconds per
caller scope (project, user and roles), never shared between scopes.

A compute embeds its flavor's name but not its id. Nova keeps flavor names
unique and never renames a flavor, so each process remembers the id of
every flavor name any listing showed it (:meth:`TemplateCache.flavor_id`),
and renders a compute's resource_tpl term from that: a compute read costs
the flavor listing only when its flavor name was never listed in that
process (:meth:`Templates.flavor_term_of`). A flavor deleted and made again
under the same name is learnt at the next listing.
"""

import functools
import hashlib
import re
import threading
import time

from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra

#: Provider attribute namespaces (``occi.`` is reserved for the standard).
IMAGE_NS = 'org.openstack.image.'
FLAVOR_NS = 'org.openstack.flavor.'

#: OCCI 1.1's term (GFD.185): what every term made here fits.
TERM = re.compile(r'[A-Za-z0-9][A-Za-z0-9_-]*\Z')
_OUTSIDE_TERM = re.compile(r'[^A-Za-z0-9_-]')
# The name-derived terms of earlier releases (GFD.229 allows ".").
_LEGACY_INVALID = re.compile(r'[^A-Za-z0-9_.-]')


def term_of(value):
    """A term in OCCI 1.1's grammar for a provider id.

    :param value: the id, e.g. a flavor id
    :returns: the id itself when it fits :data:`TERM`; else the id with
        every character outside the grammar replaced by ``_``, then ``-``
        and the first 6 hex digits of the id's SHA-256
    """
    value = str(value)
    if TERM.match(value):
        return value
    term = _OUTSIDE_TERM.sub('_', value)
    if not term[:1].isalnum():
        term = 'f' + term
    digest = hashlib.sha256(value.encode('utf-8')).hexdigest()[:6]
    return term + '-' + digest


def flavor_term(flavor):
    """The resource_tpl term of a flavor: its id (see :func:`term_of`).

    :param flavor: the flavor dict as Nova renders it
    """
    return term_of(flavor['id'])


def legacy_flavor_term(name):
    """The resource_tpl term earlier releases made of a flavor name.

    Read on input only: ``.`` kept, anything else outside the grammar
    replaced by ``_``.
    """
    term = _LEGACY_INVALID.sub('_', name)
    if not term[:1].isalnum():
        term = 'f' + term
    return term


def image_attributes(image):
    """Provider attributes describing an image, as mixin attribute defaults.

    :param image: the image dict as Glance renders it
    :returns: a tuple of :class:`ooi_save.occi.categories.Attribute`
    """
    values = [
        ('status', image.get('status')),
        ('name', image.get('name')),
        ('visibility', image.get('visibility')),
        ('min_disk', image.get('min_disk')),
        ('min_ram', image.get('min_ram')),
        ('size', image.get('size')),
        ('created_at', image.get('created_at')),
        ('instance_uuid', image.get('instance_uuid')),
    ]
    return tuple(_attribute(IMAGE_NS + name, value)
                 for name, value in values if value is not None)


def flavor_attributes(flavor):
    """Compute attributes and provider extras of a flavor.

    Memory is in GiB, as GFD.224 says (Nova counts MiB).
    """
    return (
        _attribute('occi.compute.cores', flavor['vcpus'], mutable=True),
        _attribute('occi.compute.memory', flavor['ram'] / 1024.0,
                   mutable=True),
        _attribute(FLAVOR_NS + 'id', flavor['id']),
        _attribute(FLAVOR_NS + 'disk', flavor.get('disk') or 0),
        _attribute(FLAVOR_NS + 'ephemeral',
                   flavor.get('OS-FLV-EXT-DATA:ephemeral') or 0),
        _attribute(FLAVOR_NS + 'swap', flavor.get('swap') or 0),
    )


def _attribute(name, value, mutable=False):
    if isinstance(value, bool):
        kind = 'boolean'
    elif isinstance(value, (int, float)):
        kind = 'number'
    else:
        kind = 'string'
        value = str(value)
    return categories.Attribute(name, type=kind, mutable=mutable,
                                default=value)


#: The fields of an image its os_tpl mixin renders.
_IMAGE_FIELDS = ('id', 'name', 'status', 'visibility', 'min_disk',
                 'min_ram', 'size', 'created_at', 'instance_uuid')


def os_tpl(conf, locations, image):
    """The os_tpl mixin of an image."""
    location = locations.os_tpl(image['id'])
    values = tuple(image.get(field) for field in _IMAGE_FIELDS)
    try:
        return _os_tpl(conf.os_tpl_scheme, location, values)
    except TypeError:   # a value that cannot be a key: made anew
        return _os_tpl.__wrapped__(conf.os_tpl_scheme, location, values)


# NOTE(ooi-save): making the mixin (its attributes) was half of the CPU a
# query interface of 150 images took in nova-api: the mixins of the images
# as Glance lists them now are kept, made again when any field they render
# changes (the images are still read from Glance at every request).
@functools.lru_cache(maxsize=4096)
def _os_tpl(scheme, location, values):
    image = dict(zip(_IMAGE_FIELDS, values))
    return infra.os_tpl_mixin(
        scheme, image['id'], image.get('name') or image['id'], location,
        attributes=image_attributes(image))


def resource_tpl(conf, locations, flavor):
    """The resource_tpl mixin of a flavor."""
    term = flavor_term(flavor)
    return infra.resource_tpl_mixin(
        conf.resource_tpl_scheme, term, flavor['name'],
        locations.resource_tpl(term),
        attributes=flavor_attributes(flavor))


class TemplateCache:
    """Flavors per caller scope, for a few seconds.

    :param ttl: seconds an entry lives; 0 disables the cache
    """

    #: The most flavor names remembered (a bound, not a working size).
    MAX_FLAVOR_NAMES = 10000

    def __init__(self, ttl):
        self.ttl = ttl
        self._entries = {}
        self._lock = threading.Lock()
        self._flavor_ids = {}

    def learn_flavors(self, flavors):
        """Remember the id of each flavor name of a listing.

        :param flavors: flavor dicts as Nova lists them, of any scope: a
            name names one flavor for every caller
        """
        learnt = {f['name']: f['id'] for f in flavors if f.get('name')}
        with self._lock:
            if len(self._flavor_ids) + len(learnt) > self.MAX_FLAVOR_NAMES:
                self._flavor_ids = {}
            self._flavor_ids.update(learnt)

    def flavor_id(self, name):
        """The id of a flavor name a listing showed, or None."""
        return self._flavor_ids.get(name)

    def get(self, key, load):
        """The cached value for a key, loading it when missing or old.

        :param key: the cache key; its first item is the caller scope
        :param load: a function loading the value
        """
        if not self.ttl:
            return load()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry and entry[0] > now:
            return entry[1]
        value = load()
        with self._lock:
            self._entries[key] = (now + self.ttl, value)
            # Keep memory bounded: drop what has expired.
            if len(self._entries) > 1000:
                self._entries = {k: v for k, v in self._entries.items()
                                 if v[0] > now}
        return value


def caller_scope(environ):
    """What decides which templates a caller sees.

    Glance and Nova decide visibility by project, and by role for admins;
    two callers with the same scope see the same templates.
    """
    context = environ.get('nova.context')
    roles = getattr(context, 'roles', None) or []
    return (getattr(context, 'project_id', None),
            getattr(context, 'user_id', None),
            tuple(sorted(roles)))


class Templates:
    """The templates one caller can see.

    :param session: the caller's backend session
    :param cache: the backend's :class:`TemplateCache`
    :param environ: the caller's WSGI environ
    """

    def __init__(self, session, cache, environ):
        self._session = session
        self._cache = cache
        self._scope = caller_scope(environ)
        self._image_list = None

    def _images(self):
        # NOTE(ooi-save): read once per request, never kept across requests: a
        # cache here would hide the images saved through other nodes.
        if self._image_list is None:
            self._image_list = self._session.glance.list_images()
        return self._image_list

    def _flavors(self):
        return self._cache.get((self._scope, 'flavors'), self._list_flavors)

    def _list_flavors(self):
        flavors = self._session.nova.list_flavors()
        self._cache.learn_flavors(flavors)
        return flavors

    def invalidate(self):
        """Forget the images read by this request (a save made one)."""
        self._image_list = None

    def os_tpl(self, image):
        """The os_tpl mixin of an image dict."""
        return os_tpl(self._session.conf, self._session.locations, image)

    def os_templates(self):
        """The os_tpl mixins of every image the caller sees."""
        return [self.os_tpl(image) for image in self._images()]

    def resource_templates(self):
        """The resource_tpl mixins of every flavor the caller sees."""
        return [resource_tpl(self._session.conf, self._session.locations,
                             flavor) for flavor in self._flavors()]

    def image(self, image_id):
        """One image the caller can see, fresh from Glance.

        :raises: NotFound
        """
        return self._session.glance.get_image(image_id)

    def image_id(self, ref):
        """The id of the image an operator's option names.

        :param ref: an image id, or an image name; of several active images
            with that name the newest is taken (a name lets a deployment
            follow the image it refreshes)
        :returns: the image id
        :raises: NotFound when the caller sees no such image
        """
        images = self._images()
        if any(image['id'] == ref for image in images):
            return ref
        named = [image for image in images if image.get('name') == ref and
                 image.get('status') == 'active']
        if not named:
            raise exceptions.NotFound('No image %s.' % ref)
        return max(named, key=lambda image: image.get('created_at') or '')[
            'id']

    def flavor_by_term(self, term):
        """The flavor behind a resource_tpl term.

        :param term: the term of :func:`flavor_term`; the flavor id; or, as
            earlier releases made it, the name-derived term or the name
        :raises: NotFound
        """
        flavors = self._flavors()
        for flavor in flavors:
            if term in (flavor_term(flavor), str(flavor['id'])):
                return flavor
        for flavor in flavors:
            name = flavor.get('name') or ''
            if term in (legacy_flavor_term(name), name):
                return flavor
        raise exceptions.NotFound('No resource template %s.' % term)

    def flavor_term_of(self, name):
        """The resource_tpl term of the flavor a server embeds.

        A server embeds its flavor's name, not its id: the id is the one
        the process learnt from a listing, else the caller's flavors are
        listed. A flavor no listing shows (deleted since) gets the term
        :func:`term_of` makes of its name.

        :param name: the flavor name (``original_name``)
        """
        flavor_id = self._cache.flavor_id(name)
        if flavor_id is None:
            for flavor in self._flavors():
                if flavor.get('name') == name:
                    flavor_id = flavor['id']
                    break
            else:
                return term_of(name)
        return term_of(flavor_id)
