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

"""Errors of the OCCI layer, each with the HTTP status it is answered with.

The HTTP layer catches :class:`OCCIError` and answers ``exc.code`` with
``str(exc)`` as the message, so every message is written for the client:
it says what is wrong and where.
"""


class OCCIError(Exception):
    """Base of every error raised by :mod:`ooi_save.occi`.

    :param message: the human readable explanation sent to the client
    """

    #: The HTTP status the error is answered with.
    code = 500

    def __init__(self, message=None):
        self.message = message or self.__class__.__doc__.strip().split(
            '\n')[0]
        super().__init__(self.message)

    def __str__(self):
        return self.message


class ParseError(OCCIError):
    """The request does not hold a valid OCCI rendering."""

    code = 400


class InvalidAttribute(OCCIError):
    """An attribute value is not of the type its definition gives."""

    code = 400


class UnsupportedMediaType(OCCIError):
    """The request body is in a media type this server cannot read."""

    code = 415


class NotAcceptable(OCCIError):
    """None of the accepted media types can be rendered."""

    code = 406


class NotListing(OCCIError):
    """text/uri-list renders listings only (GFD.229 section 8)."""

    code = 400
