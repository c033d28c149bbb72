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

"""The small database of the OCCI filter: user-defined mixins.

The definitions of the mixins clients make (GFD.221 5.5.3) live here, one
row each, shared by every nova-api node that points at the same database
(``[occi_database] connection``). Which resources carry a mixin is not
stored here: it lives on the resources themselves (see
:mod:`ooi_save.backend.mixins`).

The schema is made and upgraded by ``ooi-save-manage db sync``
(:mod:`ooi_save.db.migration`), never at import or when the filter starts.
"""
