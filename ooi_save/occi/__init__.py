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

"""The OCCI 1.2 model, its parsing and its renderings, in pure Python.

Nothing here knows OpenStack, WSGI or webob. The package holds:

* the OCCI Core model: :mod:`ooi_save.occi.categories` (attributes, kinds,
  mixins, actions), :mod:`ooi_save.occi.entities` (resources, links and the
  core kinds), :mod:`ooi_save.occi.collections` (the category collection
  of the query interface);
* the OCCI Infrastructure model: :mod:`ooi_save.occi.infrastructure`;
* what a request holds once read: :mod:`ooi_save.occi.requests`;
* reading requests, by media type: :mod:`ooi_save.occi.parsing`;
* writing answers, by media type: :mod:`ooi_save.occi.rendering`;
* the errors they raise: :mod:`ooi_save.occi.exceptions`.
"""
