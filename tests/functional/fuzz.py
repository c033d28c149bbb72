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

"""Black-box fuzz cases: one HTTP request each, drawn from a seed.

A case is a function of ``(seed, number)`` only, so any case of a failed
run can be drawn again, whatever order the threads sent them in. Routes
come from the filter's own route table, so a route added to
:func:`ooi_save.controllers.routes` is fuzzed without a change here.
"""

import collections
import json
import random
import re
import urllib.parse

from oslo_config import cfg

from ooi_save import config
from ooi_save import controllers
from ooi_save.http import router

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
RES = 'http://schemas.openstack.org/template/resource#'

#: Accept headers and the media type of the answer each one negotiates:
#: (Accept, type of a success, type of an error). text/uri-list has no
#: error rendering: errors then come in text/plain.
ACCEPTS = [
    (None, 'text/plain', 'text/plain'),
    ('text/plain', 'text/plain', 'text/plain'),
    ('text/occi+plain', 'text/occi+plain', 'text/occi+plain'),
    ('text/occi', 'text/occi', 'text/occi'),
    ('application/occi+json', 'application/occi+json',
     'application/occi+json'),
    ('application/json', 'application/json', 'application/json'),
    ('text/uri-list', 'text/uri-list', 'text/plain'),
    ('*/*', 'text/plain', 'text/plain'),
    ('text/*', 'text/plain', 'text/plain'),
    ('application/occi+json;q=0.5, text/occi;q=0.9', 'text/occi',
     'text/occi'),
    ('image/png', None, 'text/plain'),
    ('application/occi+json;q=0', None, 'text/plain'),
]

#: Content-Types sent with a body, the renderings first.
BODY_TYPES = ['text/plain', 'text/occi+plain', 'text/occi',
              'application/occi+json', 'application/json', 'text/uri-list']
ODD_BODY_TYPES = [None, 'application/xml', 'text/plain; charset=latin-1',
                  'text/plain;;;', 'not a type', '*/*',
                  'application/x-www-form-urlencoded',
                  'multipart/form-data; boundary=zz', 'TEXT/PLAIN']

EXTRA_METHODS = ['PATCH', 'OPTIONS', 'FROB']

#: Strings that broke or might break servers: non-ASCII, invalid UTF-8
#: (percent-encoded, as it reaches PATH_INFO), dot segments, Nova's own
#: words, huge and odd numbers, quotes and control characters.
NASTY = ['\u00e9', '\u2603', '\U0001F600', '%FF%FE', '%C3', '%00', '..',
         '%2E%2E', '%252F', '%253F', '%3F', 'detail', 'action', 'x' * 3000,
         ' ', '"', "'", '<>', ';', ',', '\\', '9' * 30, '-1', '0', '1e400',
         '\u00b2', '\u0661', '1' * 5000, 'null', 'true', '{}', '[]',
         '18446744073709551617', '\ufeff', '%0D%0A', 'NaN']

_TEMPLATE_PARAM = re.compile(r'\{(\w+)\}')
_TOKEN = re.compile(r'^[A-Za-z0-9-]+$')

Case = collections.namedtuple(
    'Case', ['seed', 'number', 'method', 'path', 'headers', 'body',
             'ok_type', 'error_type'])


def route_table():
    """The filter's route table: (template, allowed methods) pairs."""
    conf = config.FilterConfig({}, cfg.ConfigOpts())
    return [(template, router.Route(template, controller).allowed())
            for template, controller in controllers.routes(conf)]


def _nasty(rng):
    return rng.choice(NASTY)


def _segment(text):
    """A path segment: %XX escapes kept, the rest percent-encoded."""
    return urllib.parse.quote(text, safe='%')


def _header(headers, name, value):
    """Add a header the HTTP client can send.

    A token name, a value in latin-1 (UTF-8 bytes are sent that way),
    no surrounding blanks.
    """
    if _TOKEN.match(name):
        headers.setdefault(name, value.encode('utf-8').decode(
            'latin-1').strip())


def _huge_number(rng):
    return rng.choice([10 ** 30, 2 ** 64 + 1, -2 ** 63 - 1, 1e308, -0.0,
                       5e-324, 10 ** 300])


def _wrong_value(rng, depth=0):
    """A JSON value of any type, often the wrong one where it goes."""
    choice = rng.randrange(9)
    if choice == 0:
        return _nasty(rng)
    if choice == 1:
        return _huge_number(rng)
    if choice == 2:
        return rng.choice([True, False, None])
    if choice == 3 and depth < 3:
        return [_wrong_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    if choice == 4 and depth < 3:
        return {_nasty(rng): _wrong_value(rng, depth + 1)}
    if choice == 5:
        return rng.randrange(-5, 5)
    if choice == 6:
        return 'm1.tiny'
    return _nasty(rng)


class Draw:
    """Draws the cases of one seed.

    :param seed: the run's seed
    :param targets: real values of path parameters by name (``id``,
        ``term``...): the fuzz hits real objects too, not only 404s
    :param max_body_size: the filter's body limit, to send bodies on
        both sides of it
    """

    def __init__(self, seed, targets, max_body_size):
        self.seed = seed
        self.targets = targets
        self.max_body_size = max_body_size
        self.routes = route_table()

    def case(self, number):
        rng = random.Random('%d:%d' % (self.seed, number))
        template, allowed = rng.choice(self.routes)
        method = rng.choice(allowed + allowed + EXTRA_METHODS)
        path = self._path(rng, template)
        headers = {}
        accept, ok_type, error_type = rng.choice(ACCEPTS)
        if accept is not None:
            headers['Accept'] = accept
        body = self._body(rng, headers)
        self._random_headers(rng, headers)
        return Case(self.seed, number, method, path, headers, body,
                    ok_type, error_type)

    def _path(self, rng, template):
        def fill(match):
            real = self.targets.get(match.group(1), [])
            if real and rng.random() < 0.5:
                return _segment(rng.choice(real))
            return _segment(_nasty(rng))
        path = _TEMPLATE_PARAM.sub(fill, template)
        if rng.random() < 0.1:
            path += _segment(_nasty(rng))
        query = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            name = rng.choice(['action', 'category', 'page', 'number',
                               _nasty(rng)])
            value = rng.choice([
                _nasty(rng), 'save', 'stop', 'start', 'restart', 'suspend',
                INFRA + 'compute', OS, str(rng.randrange(1, 3))])
            query.append('%s=%s' % (_segment(name), _segment(value)))
        if query:
            path += '?' + '&'.join(query)
        return path

    def _random_headers(self, rng, headers):
        for _ in range(rng.choice([0, 0, 1, 2])):
            name, value = rng.choice([
                ('User-Agent', 'rOCCI OCCI/%d.%d' % (
                    rng.randrange(3), rng.randrange(4))),
                ('Category', _nasty(rng) + '; scheme="' + _nasty(rng)),
                ('Category', 'save; scheme="%s"; class="action"' % ACTION),
                ('X-OCCI-Attribute', 'occi.compute.cores=' + _nasty(rng)),
                ('X-OCCI-Attribute', 'method="%s"' % _nasty(rng)),
                ('Link', '<%s>; rel="%s"' % (_nasty(rng), _nasty(rng))),
                ('X-OCCI-Location', _nasty(rng)),
                ('X-Fuzz-' + str(rng.randrange(100)), _nasty(rng)),
                ('Accept-Charset', 'latin-1'),
                ('Content-Encoding', 'gzip'),
            ])
            _header(headers, name, value)

    def _body(self, rng, headers):
        if rng.random() < 0.25:
            return None
        body_type = rng.choice(BODY_TYPES + BODY_TYPES + ODD_BODY_TYPES)
        if body_type is not None:
            headers['Content-Type'] = body_type
        kind = rng.randrange(10)
        if kind == 0:
            return self._big(rng)
        if kind == 1:
            return rng.choice([b'\xff\xfe\xfd', b'\x00' * 64, b'\xc3',
                               '[' * 50000, '{"a":' * 30000, '1' * 5000,
                               'NaN', '1e99999', '', ' ', 'OK'])
        media_type = (body_type or '').split(';')[0].strip().lower()
        if media_type.endswith('json'):
            return json.dumps(self._json(rng))
        if media_type == 'text/occi':
            for name, value in self._text_lines(rng):
                _header(headers, name, value)
            return None
        if media_type == 'text/uri-list':
            return '\n'.join(_nasty(rng) for _ in range(rng.randrange(4)))
        return '\n'.join('%s: %s' % line for line in self._text_lines(rng))

    def _big(self, rng):
        size = rng.choice([self.max_body_size, self.max_body_size + 1,
                           self.max_body_size * 2, 200 * 1024])
        body = b'X-OCCI-Attribute: occi.core.title="' + b'x' * size
        if rng.random() < 0.3:
            # No Content-Length: a chunked body of unknown size.
            return (body[i:i + 8192] for i in range(0, len(body), 8192))
        return body

    def _json(self, rng):
        entity = {
            'kind': INFRA + 'compute',
            'mixins': [OS + rng.choice(self.targets.get('term', ['x'])),
                       RES + 'm1.tiny'],
            'attributes': {'occi.core.title': 'fuzz',
                           'occi.compute.cores': 1},
            'action': ACTION + rng.choice(['save', 'stop', 'start']),
            'id': 'fuzz', 'title': 'fuzz', 'links': [],
            'kinds': [], 'term': 'fuzz', 'scheme': OS,
            'locations': ['/compute/x'],
        }
        for key in rng.sample(sorted(entity), rng.randrange(1, 6)):
            if rng.random() < 0.3:
                del entity[key]
            else:
                entity[key] = _wrong_value(rng)
        attributes = entity.get('attributes')
        if isinstance(attributes, dict) and rng.random() < 0.7:
            name = rng.choice(['occi.compute.cores', 'occi.compute.memory',
                               'occi.core.title', 'method', 'name',
                               'occi.compute.hostname', _nasty(rng)])
            attributes[name] = _wrong_value(rng)
        return entity

    def _text_lines(self, rng):
        lines = [
            ('Category', 'compute; scheme="%s"; class="kind"' % INFRA),
            ('Category', 'm1.tiny; scheme="%s"; class="mixin"' % RES),
            ('Category', '%s; scheme="%s"; class="action"' % (
                rng.choice(['save', 'stop', 'start']), ACTION)),
            ('X-OCCI-Attribute', 'occi.core.title="fuzz"'),
            ('X-OCCI-Attribute', 'method="%s"' % rng.choice(
                ['hot', 'deferred', 'graceful'])),
        ]
        for _ in range(rng.randrange(1, 4)):
            where = rng.randrange(len(lines))
            name, value = lines[where]
            choice = rng.randrange(6)
            if choice == 0:
                value = value.replace('"', '', 1)
            elif choice == 1:
                value = _nasty(rng) + value
            elif choice == 2:
                value = 'occi.compute.%s=%s' % (
                    rng.choice(['cores', 'memory', 'share']),
                    rng.choice(['"2"', '2.5', '1' * 400, '-0', '1e400',
                                _nasty(rng)]))
                name = 'X-OCCI-Attribute'
            elif choice == 3:
                value = value + ', ' * rng.randrange(1, 50)
            elif choice == 4:
                del lines[where]
                continue
            else:
                name = rng.choice(['Link', 'X-OCCI-Location', _nasty(rng)])
            lines[where] = (name, value)
        return lines
