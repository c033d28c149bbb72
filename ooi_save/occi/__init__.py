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

"""The OCCI 1.2 model and its renderings, in pure Python.

Nothing here knows OpenStack, WSGI or webob: the package holds the OCCI Core
and Infrastructure model (:mod:`ooi_save.occi.core`,
:mod:`ooi_save.occi.infrastructure`), the renderings that turn it into bytes
and read requests back (:mod:`ooi_save.occi.rendering`) and the errors they
raise (:mod:`ooi_save.occi.exceptions`).
"""
