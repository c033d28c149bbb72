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

"""The OCCI client of the unit tests, at the filter's WSGI interface.

:func:`call` sends one request to the filter under test as nova's pipeline
hands it on (:func:`request`), and answers its response. The other helpers
are what a client does around it: render an entity as a request, read an
answer the way a client reads each rendering.
"""

import json

import webob

from tests.unit.fakes import nova as fake_nova

HOST_URL = 'http://nova.test:8774'
#: The OCCI root of the filter, in the default deployment.
ROOT = HOST_URL + '/occi1.2'
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'


def blank(path, script_name='/occi1.2', **kwargs):
    """A request as it reaches nova's pipeline, ahead of authentication."""
    return webob.Request.blank(path, base_url=HOST_URL + script_name,
                               **kwargs)


def request(path, context=None, script_name='/occi1.2', **kwargs):
    """A request as nova's pipeline hands it to the filter."""
    req = blank(path, script_name, **kwargs)
    req.environ['nova.context'] = context or fake_nova.Context()
    req.environ['openstack.request_id'] = req.environ[
        'nova.context'].request_id
    return req


def call(app, path, method='GET', accept='text/plain', body=b'',
         headers=None, context=None, **kwargs):
    """One OCCI request to ``app``, answered.

    :param accept: the Accept header, or None to send none
    :param body: bytes, text to send in UTF-8, or None for no body at all
    :param headers: more headers (an Accept among them wins)
    :param context: the caller's ``nova.context``, by default a new one
    :param kwargs: for :func:`request` (``script_name``)
    :returns: the :class:`webob.Response`
    """
    all_headers = {} if accept is None else {'Accept': accept}
    all_headers.update(headers or {})
    if isinstance(body, str):
        body = body.encode('utf-8')
    if body is not None:
        kwargs['body'] = body
    return request(path, context=context, method=method,
                   headers=all_headers, **kwargs).get_response(app)


def attribute(response, name):
    """An attribute value as a client reads it from any rendering."""
    if response.content_type.endswith('json'):
        body = response.json
        core = {'occi.core.title': 'title', 'occi.core.id': 'id'}
        if name in core:
            return body.get(core[name])
        return body['attributes'].get(name)
    if response.content_type == 'text/occi':
        lines = ','.join(response.headers.getall(
            'X-OCCI-Attribute')).split(',')
    else:
        lines = [line.partition(':')[2] for line in
                 response.text.splitlines()
                 if line.startswith('X-OCCI-Attribute:')]
    for line in lines:
        key, _, value = line.strip().partition('=')
        if key == name:
            return json.loads(value)
    return None


def entity_request(body_type, kind, mixins=(), attributes=None,
                   links=()):
    """The same entity rendering in a request type: (headers, body).

    :param kind: the kind's type id
    :param mixins: mixin type ids
    :param attributes: attribute name -> value
    :param links: (target location, target kind, attributes) triples
    """
    attributes = attributes or {}

    def category(type_id, cls):
        scheme, term = type_id.split('#')
        return '%s; scheme="%s#"; class="%s"' % (term, scheme, cls)

    categories = [category(kind, 'kind')] + [category(m, 'mixin')
                                             for m in mixins]
    rendered = ['%s=%s' % (k, json.dumps(v)) for k, v in attributes.items()]
    link_lines = ['<%s>; rel="%s"; category="%snetworkinterface"%s' % (
        target, target_kind, INFRA, ''.join(
            '; %s=%s' % (k, json.dumps(v)) for k, v in attrs.items()))
        for target, target_kind, attrs in links]
    if body_type == 'text/occi':
        headers = {'Content-Type': 'text/occi',
                   'Category': ', '.join(categories)}
        if rendered:
            headers['X-OCCI-Attribute'] = ', '.join(rendered)
        if link_lines:
            headers['Link'] = ', '.join(link_lines)
        return headers, b''
    if body_type.endswith('json'):
        body = {'kind': kind, 'mixins': list(mixins),
                'attributes': dict(attributes)}
        for name in ('source', 'target'):
            value = body['attributes'].pop('occi.core.' + name, None)
            if value is not None:
                body[name] = {'location': value}
        if links:
            body['links'] = [{
                'kind': INFRA + 'networkinterface',
                'target': {'location': target, 'kind': target_kind},
                'attributes': dict(attrs)}
                for target, target_kind, attrs in links]
        return ({'Content-Type': body_type},
                json.dumps(body).encode('utf-8'))
    lines = (['Category: ' + c for c in categories] +
             ['Link: ' + link for link in link_lines] +
             ['X-OCCI-Attribute: ' + a for a in rendered])
    return ({'Content-Type': body_type},
            ('\n'.join(lines) + '\n').encode('utf-8'))
