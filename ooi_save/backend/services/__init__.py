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


"""One adapter per OpenStack service: the only code that knows its API.

:mod:`~ooi_save.backend.services.nova` (in-process sub-requests into
nova-api), :mod:`~ooi_save.backend.services.glance`,
:mod:`~ooi_save.backend.services.neutron`,
:mod:`~ooi_save.backend.services.cinder` (over HTTP with the caller's
token, found through :mod:`~ooi_save.backend.services.catalog`) and
:mod:`~ooi_save.backend.services.keystone` (the trustee of deferred
saves). What they share is :mod:`~ooi_save.backend.services.base`.
"""
