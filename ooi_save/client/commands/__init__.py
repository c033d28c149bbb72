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

"""The ``occi`` commands, built on cliff; the table of them is
:data:`COMMANDS`, which :mod:`ooi_save.cmd.occi` registers (no entry point
scan at start-up)."""

from ooi_save.client.commands import base
from ooi_save.client.commands import compute
from ooi_save.client.commands import links
from ooi_save.client.commands import mixins
from ooi_save.client.commands import resources

Command = base.Command

#: command name -> cliff command class
COMMANDS = {
    'discover': mixins.Discover,
    'template list': mixins.TemplateList,
    'compute list': compute.ComputeList,
    'compute show': compute.ComputeShow,
    'compute create': compute.ComputeCreate,
    'compute action': compute.ComputeAction,
    'compute save': compute.ComputeSave,
    'compute delete': compute.ComputeDelete,
    'link create': links.LinkCreate,
    'link delete': links.LinkDelete,
    'link show': links.LinkShow,
    'mixin list': mixins.MixinList,
    'mixin create': mixins.MixinCreate,
    'mixin delete': mixins.MixinDelete,
    'mixin add': mixins.MixinAdd,
    'mixin remove': mixins.MixinRemove,
}
for _kind in ('network', 'storage'):
    for _verb, _class in resources.make(_kind).items():
        COMMANDS['%s %s' % (_kind, _verb)] = _class
