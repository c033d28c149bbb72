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

"""Helpers of the OCCI layer's tests: test data and the GFD.225 schema."""

import json
import os

import jsonschema

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def data(path):
    """The bytes of a file below ``data/``.

    :param path: the path below ``data/``
    :returns: bytes
    """
    with open(os.path.join(DATA_DIR, path), 'rb') as handle:
        return handle.read()


def data_files(ext=None):
    """Every test data file (schema and README excluded).

    :param ext: keep only the paths ending so
    :returns: sorted paths below ``data/``
    """
    paths = []
    for directory, _dirs, files in os.walk(DATA_DIR):
        for name in files:
            path = os.path.relpath(os.path.join(directory, name), DATA_DIR)
            if path in ('occi-1.2-schema.json', 'README.rst'):
                continue
            if ext is None or path.endswith(ext):
                paths.append(path)
    return sorted(paths)


_SCHEMA = None
_VALIDATORS = {}


def schema():
    """The GFD.225 JSON schema (draft-04)."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(data('occi-1.2-schema.json'))
    return _SCHEMA


def schema_errors(value, definition=None):
    """What makes a JSON value invalid under the GFD.225 schema.

    The whole schema accepts almost any object (one of its ``anyOf``
    branches is ``attributes``, a map of any values), so OCCI objects are
    checked against their own definition.

    :param value: the decoded JSON value
    :param definition: e.g. ``model``, ``mixin``, ``resource``; None for the
        schema's top level
    :returns: a list of error messages, empty when valid
    """
    validator = _VALIDATORS.get(definition)
    if validator is None:
        document = schema()
        if definition is not None:
            document = {'$ref': '#/definitions/' + definition,
                        'definitions': document['definitions']}
        validator = jsonschema.Draft4Validator(document)
        _VALIDATORS[definition] = validator
    return ['%s: %s' % ('/'.join(str(p) for p in error.absolute_path),
                        error.message)
            for error in validator.iter_errors(value)]


def text_headers(raw):
    """Header pairs from a text/occi example written one header per line.

    Lines starting with whitespace continue the previous header (obs-fold).

    :param raw: bytes or str
    :returns: a list of ``(name, value)``
    """
    if isinstance(raw, bytes):
        raw = raw.decode('utf-8')
    headers = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        if line[0] in ' \t' and headers and ':' not in line.split('=')[0]:
            name, value = headers[-1]
            headers[-1] = (name, value + ' ' + line.strip())
            continue
        name, _sep, value = line.strip().partition(':')
        headers.append((name, value.strip()))
    return headers


def detranscript(raw):
    """A spec example without its transcript notation.

    The GFD.229 examples prefix lines with ``< `` and break long lines with
    a trailing ``\\``.

    :param raw: bytes
    :returns: bytes
    """
    lines = []
    for line in raw.decode('utf-8').split('\n'):
        if line.startswith('< '):
            line = line[2:]
        lines.append(line)
    return '\n'.join(lines).replace(' \\\n', ' ').encode('utf-8')
