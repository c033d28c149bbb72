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

"""Template locations: each os_tpl and resource_tpl mixin's collection.

GET on a template's location lists the computes created from it, as GFD.223
says of every mixin collection.
"""

from ooi_save.controllers import compute


class OSTemplate:
    """``/os_tpl/<image id>/``."""

    def get(self, req, term):
        return compute.listing(req, {'image': term})


class ResourceTemplate:
    """``/resource_tpl/<flavor term>/``."""

    def get(self, req, term):
        flavor = req.session.templates.flavor_by_term(term)
        return compute.listing(req, {'flavor': flavor['id']})
