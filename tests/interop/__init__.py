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

"""Interoperability tests: OCCI clients users run, as shipped.

Our own functional tests speak OCCI the way we read the specification;
the clients people deployed read and write it their own way (bodies split
on LF only, a ``Content-Type`` that is a list, the predecessor's context
mixins, client-made ids, path-absolute references). These tests drive such
a client, unchanged, against the mini-cloud through HAProxy, and check
what it did the way its user would: natively, in Nova, Neutron and Cinder.

The client here is the OCCI connector of the Infrastructure Manager
(``IM.connectors.OCCI.OCCICloudConnector``, GRyCAP), EGI's main OCCI
consumer, at 1.19.1 (``pip install --no-deps im==1.19.1``), the last
release that has it. ``tox -e interop`` installs it and runs these tests;
the mini-cloud is brought up as for the functional tests
(:func:`tests.functional.base.minicloud`).
"""
