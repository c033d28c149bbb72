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

"""Maps OCCI paths to controllers.

A route is a path template such as ``/compute/{id}`` (``{name*}`` matches
one path segment or more) and a controller object;
the controller's ``get``, ``put``, ``post`` and ``delete`` methods serve the
HTTP methods of the same name (missing ones answer 405 with ``Allow``).
Path parameters are passed to the method as keyword arguments, as text:
the WSGI server has already percent-decoded ``PATH_INFO`` (PEP 3333 gives
its bytes as latin-1 characters), and the router reads those bytes as
UTF-8, once. Decoding again would let ``%253F`` become a ``?`` in an id.
"""

import re
import urllib.parse

from ooi_save import exceptions

METHODS = ('GET', 'HEAD', 'PUT', 'POST', 'DELETE')

_PARAM = re.compile(r'\{(\w+)\}')
_PARAMS = re.compile(r'\{(\w+)\*\}')


def below(prefix, path_info):
    """The path of a request below a filter's prefix, or None.

    :param prefix: the prefix the filter answers below, without a trailing
        slash; empty for a filter that answers everything
    :param path_info: the request's ``PATH_INFO``
    :returns: the path below the prefix (``/`` at least), or None when the
        request is not below it
    """
    if not prefix:
        return path_info or '/'
    if path_info == prefix or path_info.startswith(prefix + '/'):
        return path_info[len(prefix):] or '/'
    return None


def text_path(path_info):
    """A WSGI path as the text the client meant.

    :param path_info: a path as WSGI gives it: bytes as latin-1 characters,
        already percent-decoded
    :returns: the path read as UTF-8
    :raises: BadRequest when the bytes are not UTF-8
    """
    try:
        return path_info.encode('latin-1').decode('utf-8')
    except UnicodeError:
        raise exceptions.BadRequest(
            'The path %s is not UTF-8 text once percent-decoded.'
            % urllib.parse.quote(path_info.encode('latin-1', 'replace'),
                                 safe='/'))


class Route:
    """One path template bound to one controller."""

    def __init__(self, template, controller):
        self.template = template
        self.controller = controller
        pattern = re.escape(template).replace(r'\{', '{').replace(
            r'\}', '}').replace(r'\*', '*')
        pattern = _PARAMS.sub(r'(?P<\1>[^/]+(?:/[^/]+)*)', pattern)
        pattern = _PARAM.sub(r'(?P<\1>[^/]+)', pattern)
        self._regex = re.compile('^%s$' % pattern)

    def match(self, path):
        found = self._regex.match(path)
        if found is None:
            return None
        return found.groupdict()

    def allowed(self):
        allowed = [m for m in METHODS
                   if hasattr(self.controller, m.lower())]
        if 'GET' in allowed and 'HEAD' not in allowed:
            allowed.insert(allowed.index('GET') + 1, 'HEAD')
        return [m for m in METHODS if m in allowed]


class Router:
    """Finds the controller method serving a request."""

    def __init__(self, routes):
        """:param routes: an iterable of (template, controller) pairs"""
        self._routes = [Route(t, c) for t, c in routes]

    def find(self, method, path):
        """The handler for a method and a path below the OCCI root.

        :param method: the HTTP method
        :param path: the path, relative to the OCCI root, starting with /,
            as text (see :func:`text_path`)
        :returns: (bound controller method, path parameters)
        :raises: NotFound, MethodNotAllowed
        """
        for route in self._routes:
            params = route.match(path)
            if params is None:
                continue
            name = 'get' if method == 'HEAD' else method.lower()
            handler = getattr(route.controller, name, None)
            if method not in METHODS or handler is None:
                raise exceptions.MethodNotAllowed(
                    '%s is not allowed on %s.' % (method, path),
                    allowed=route.allowed())
            return handler, params
        raise exceptions.NotFound('Nothing is bound to %s.' % path)
