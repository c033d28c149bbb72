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

"""The JSON rendering of GFD.225: application/occi+json.

``application/json`` is served as an alias. Every object rendered here
validates against the GFD.225 schema (``schema/occi-1.2-schema.json`` of
the reference material, draft-04) under the matching definition:

* an entity: ``resource`` or ``link``; a collection of entities
  (:meth:`JSONRenderer.entities`): ``{"resources": [...]}``, and
  ``{"links": [...]}`` for links (both keys when both are given, which the
  ``model`` definition accepts);
* the query interface: the ``model`` object
  ``{"kinds": [...], "mixins": [...], "actions": [...]}``;
* one mixin (the answer of ``save``): ``mixin``;
* an action invocation: ``action_invocation``;
* a listing of locations (:meth:`JSONRenderer.locations`), which GFD.225
  does not define (JSON lists collections with full entities):
  ``{"locations": ["...", ...]}``, valid only at the schema's top level
  (its ``attributes`` alternative);
* success without content: ``{}`` (a ``model`` with nothing);
* an error: ``{"error": {"code": 404, "message": "...",
  "request_id": "req-..."}}`` (``request_id`` only when known), again only
  valid at the schema's top level: errors are not OCCI objects.

Attribute descriptions render ``mutable``, ``required`` and ``type`` always
(rOCCI-core requires them), ``integer`` as ``number`` with a pattern
``{"type": "integer"}``; ``pattern`` is a JSON schema object carrying the
regular expression and the enumeration; ``default`` only when it is a
number, string or boolean (the schema allows nothing else). ``null`` is
never rendered: None values are left out.

What is rendered here is read back by :mod:`ooi_save.occi.parsing.json`.
"""

import json
import math

from ooi_save.occi import categories
from ooi_save.occi import entities as occi_entities
from ooi_save.occi.rendering import base

MEDIA_TYPE = 'application/occi+json'
DRAFT4 = 'http://json-schema.org/draft-04/schema#'


def _dumps(value):
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(',', ':'),
                          allow_nan=False, default=str)
    except ValueError:
        # NaN and infinities are not JSON: they go as strings.
        text = json.dumps(_finite(value), ensure_ascii=False,
                          separators=(',', ':'), default=str)
    return text.encode('utf-8', 'replace')


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def attribute_description(attribute):
    """The JSON attribute description (GFD.225 3.5.1) of an attribute.

    :param attribute: a :class:`~ooi_save.occi.categories.Attribute`
    :returns: a dict
    """
    json_type = 'number' if attribute.type == 'integer' else attribute.type
    description = {'mutable': attribute.mutable,
                   'required': attribute.required,
                   'type': json_type}
    pattern = {}
    if attribute.type == 'integer':
        pattern['type'] = 'integer'
    if attribute.pattern is not None:
        pattern.setdefault('type', json_type)
        pattern['pattern'] = attribute.pattern
    if attribute.enum is not None:
        pattern.setdefault('type', json_type)
        pattern['enum'] = list(attribute.enum)
    if pattern:
        description['pattern'] = dict(pattern, **{'$schema': DRAFT4})
    default = attribute.default
    if isinstance(default, (str, bool, int, float)):
        if not isinstance(default, float) or math.isfinite(default):
            description['default'] = default
    if attribute.description is not None:
        description['description'] = attribute.description
    return description


def category_object(category):
    """The JSON object of a kind, mixin or action (GFD.225 3.2).

    The result is cached on the (immutable) category: do not change it.

    :param category: a :class:`~ooi_save.occi.categories.Category`
    :returns: a dict
    """
    cached = category._cache.get('json')
    if cached is not None:
        return cached
    result = {'term': category.term, 'scheme': category.scheme}
    if category.title is not None:
        result['title'] = category.title
    if category.attributes:
        result['attributes'] = {a.name: attribute_description(a)
                                for a in category.attributes}
    actions = getattr(category, 'actions', ())
    if actions:
        result['actions'] = [a.type_id for a in actions]
    if isinstance(category, categories.Kind):
        if category.parent is not None:
            result['parent'] = category.parent.type_id
        if category.location is not None:
            result['location'] = category.location
    elif isinstance(category, categories.Mixin):
        if category.depends:
            result['depends'] = [m.type_id for m in category.depends]
        if category.applies:
            result['applies'] = [k.type_id for k in category.applies]
        # The schema requires a mixin location.
        result['location'] = category.location or ''
    category._cache['json'] = result
    return result


def _values(attributes):
    return {name: value for name, value in attributes.items()
            if value is not None}


def _entity_common(entity):
    result = {'kind': categories.type_id_of(entity.kind)}
    if entity.id is not None:
        # NOTE(ooi-save): a client's create request leaves the id to the
        # server; every answer has one.
        result['id'] = str(entity.id)
    if entity.title is not None:
        result['title'] = str(entity.title)
    if entity.mixins:
        result['mixins'] = [m.type_id for m in entity.mixins]
    attributes = _values(entity.attributes)
    if attributes:
        result['attributes'] = attributes
    if entity.actions:
        result['actions'] = [a.type_id for a in entity.actions]
    return result


def _kinded(location, kind):
    result = {'location': location or ''}
    if kind is not None:
        result['kind'] = categories.type_id_of(kind)
    return result


def link_object(link, source=None):
    """The JSON object of a link (GFD.225 3.1.2).

    :param link: a :class:`~ooi_save.occi.entities.Link`
    :param source: the resource the link is rendered in, which gives the
        source when the link has none
    :returns: a dict
    """
    result = _entity_common(link)
    source_location = link.source
    source_kind = link.source_kind
    if source_location is None and source is not None:
        source_location = source.location
        source_kind = source_kind or source.kind
    if source_location is not None or source is None:
        result['source'] = _kinded(source_location, source_kind)
    # NOTE(ooi-save): else a client's link inside the create request of
    # its resource, which has no location yet: the server knows the
    # source, the resource being made.
    result['target'] = _kinded(link.target, link.target_kind)
    return result


def entity_object(entity):
    """The JSON object of a resource or a link (GFD.225 3.1).

    :param entity: a :class:`~ooi_save.occi.entities.Resource` or
        :class:`~ooi_save.occi.entities.Link`
    :returns: a dict
    """
    if isinstance(entity, occi_entities.Link):
        return link_object(entity)
    result = _entity_common(entity)
    summary = getattr(entity, 'summary', None)
    if summary is not None:
        result['summary'] = str(summary)
    links = getattr(entity, 'links', ())
    if links:
        result['links'] = [link_object(link, entity) for link in links]
    return result


class JSONRenderer(base.Renderer):
    """application/occi+json (and application/json)."""

    def __init__(self, media_type=MEDIA_TYPE):
        super().__init__(media_type)
        self.content_type = media_type

    def _rendered(self, value):
        return base.Rendered(self.content_type, [], _dumps(value))

    def categories(self, collection):
        return self._rendered({
            'kinds': [category_object(k) for k in collection.kinds],
            'mixins': [category_object(m) for m in collection.mixins],
            'actions': [category_object(a) for a in collection.actions],
        })

    def entity(self, entity):
        return self._rendered(entity_object(entity))

    def entities(self, entities):
        resources = []
        links = []
        for entity in entities:
            if isinstance(entity, occi_entities.Link):
                links.append(link_object(entity))
            else:
                resources.append(entity_object(entity))
        result = {}
        if resources or not links:
            result['resources'] = resources
        if links:
            result['links'] = links
        return self._rendered(result)

    def locations(self, locations):
        """``{"locations": [...]}``: GFD.225 has no listing of locations."""
        return self._rendered({'locations': list(locations)})

    def mixin(self, mixin):
        return self._rendered(category_object(mixin))

    def invocation(self, action, attributes=None):
        result = {'action': categories.type_id_of(action)}
        values = _values(attributes or {})
        if values:
            result['attributes'] = values
        return self._rendered(result)

    def ok(self):
        return self._rendered({})

    def error(self, status, message, request_id=None):
        """``{"error": {"code": ..., "message": ..., "request_id": ...}}``."""
        error = {'code': int(status), 'message': str(message)}
        if request_id:
            error['request_id'] = str(request_id)
        return self._rendered({'error': error})
