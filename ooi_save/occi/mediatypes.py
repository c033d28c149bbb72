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

"""Looking up renderers and parsers by media type.

:mod:`ooi_save.occi.rendering` and :mod:`ooi_save.occi.parsing` each hold a
table from media type to renderer or parser; :func:`lookup` reads both the
same way: parameters (``; charset=utf-8``) and case are ignored.
"""


def normalise(value):
    """A media type without its parameters, in lower case.

    :param value: a media type such as ``Text/Plain; charset=utf-8``, or
        None
    :returns: e.g. ``text/plain``; empty for no media type
    """
    if not value:
        return ''
    return value.split(';', 1)[0].strip().lower()


def lookup(table, media_type, error, message):
    """The entry of a media type in a table of renderers or parsers.

    :param table: a dict from normalised media type to entry, in the order
        the message lists them
    :param media_type: the media type asked for, parameters and case
        ignored
    :param error: the exception class to raise when there is no entry
    :param message: the error message, with two ``%s``: the media type
        asked for, and the media types of the table
    :returns: the entry
    :raises: ``error`` for a media type the table does not hold
    """
    entry = table.get(normalise(media_type))
    if entry is None:
        raise error(message % (media_type, ', '.join(table)))
    return entry
