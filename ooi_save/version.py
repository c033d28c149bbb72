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

"""The version ooi-save announces in its ``Server`` header."""

import pbr.version

version_info = pbr.version.VersionInfo('ooi-save')
version_string = version_info.version_string()

#: The OCCI specification version this server implements.
OCCI_VERSION = (1, 2)

#: The value of the ``Server`` header of every response we make.
SERVER_HEADER = 'ooi-save/%s OCCI/%d.%d' % ((version_string,) + OCCI_VERSION)
