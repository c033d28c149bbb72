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

"""Compatibility: the OCCI filter's former paste path.

api-paste.ini files written for earlier releases say::

    paste.filter_factory = ooi_save.middleware:filter_factory

That keeps working: the filter is :mod:`ooi_save.http.filter`, and new
files name ``ooi_save.http.filter:filter_factory``.
"""

from ooi_save.http.filter import filter_factory  # noqa: F401
