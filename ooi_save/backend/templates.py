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
image id); every flavor is a ``resource_tpl`` provider mixin (term: the
flavor name, which Nova keeps unique and embeds in every server, so reading
a compute needs no flavor lookup).

Listing templates costs the Glance pages and one flavor listing. Images are
read from Glance on every request (once per request): a template saved
through any nova-api node, or uploaded to Glance directly, is listed at
the next read through every node, with its upload status as it is now.
Measured on the mini-cloud, a Glance listing costs about what the flavor
listing does, so the query interface stays within its cost goal without
an image cache (``benchmarks/nova_ratios.py``). Flavors change rarely and
only by an operator: they are kept for ``template_cache_ttl`` seconds per
caller scope (project, user and roles), never shared between scopes.
"""

import re
import threading
import time

from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra

#: Provider attribute namespaces (``occi.`` is reserved for the standard).
IMAGE_NS = 'org.openstack.image.'
FLAVOR_NS = 'org.openstack.flavor.'

_TERM_INVALID = re.compile(r'[^A-Za-z0-9_.-]')


def flavor_term(name):
    """The resource_tpl term of a flavor name.

    OCCI terms allow letters, digits, ``-``, ``_`` and ``.``; anything else in
    a flavor name becomes ``_``.
    """
    term = _TERM_INVALID.sub('_', name)
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


def os_tpl(conf, locations, image):
    """The os_tpl mixin of an image."""
    return infra.os_tpl_mixin(
        conf.os_tpl_scheme, image['id'], image.get('name') or image['id'],
        locations.os_tpl(image['id']),
        attributes=image_attributes(image))


def resource_tpl(conf, locations, flavor):
    """The resource_tpl mixin of a flavor."""
    term = flavor_term(flavor['name'])
    return infra.resource_tpl_mixin(
        conf.resource_tpl_scheme, term, flavor['name'],
        locations.resource_tpl(term),
        attributes=flavor_attributes(flavor))


class TemplateCache:
    """Flavors per caller scope, for a few seconds.

    :param ttl: seconds an entry lives; 0 disables the cache
    """

    def __init__(self, ttl):
        self.ttl = ttl
        self._entries = {}
        self._lock = threading.Lock()

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
        return self._cache.get(
            (self._scope, 'flavors'),
            self._session.nova.list_flavors)

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

        :raises: NotFound
        """
        for flavor in self._flavors():
            if flavor_term(flavor['name']) == term:
                return flavor
        raise exceptions.NotFound('No resource template %s.' % term)
