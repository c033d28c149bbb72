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

"""The security group requests of :mod:`nova_ratios`, against Neutron.

Each OCCI request beside the native Neutron read giving the same
information: a group (its rules embedded), the project's groups in full
and as locations, a compute's securitygrouplink (the compute's ports).
"""


def securitygroup_cases(get, occi, neutron, server_id):
    """The cases: (name, OCCI call, native call, OCCI URL, Accept).

    :param get: ``get(url, **headers)``, the token already in
    :param server_id: a server booted on a network (its default group
        gives the link read)
    """
    [default] = get(neutron + '/security-groups?name=default').json()[
        'security_groups']
    group = default['id']
    link = '%s_%s' % (server_id, group)
    json_type = 'application/occi+json'
    return [
        ('GET securitygroup', lambda: get(
            occi + '/securitygroup/' + group, Accept=json_type),
         lambda: get(neutron + '/security-groups/' + group),
         occi + '/securitygroup/' + group, json_type),
        ('GET securitygroup collection (JSON)', lambda: get(
            occi + '/securitygroup/', Accept=json_type),
         lambda: get(neutron + '/security-groups'),
         occi + '/securitygroup/', json_type),
        ('GET securitygroup collection (uri-list)', lambda: get(
            occi + '/securitygroup/', Accept='text/uri-list'),
         lambda: get(neutron + '/security-groups?fields=id'),
         occi + '/securitygroup/', 'text/uri-list'),
        ('GET securitygrouplink', lambda: get(
            occi + '/securitygrouplink/' + link, Accept=json_type),
         lambda: get(neutron + '/ports?device_id=' + server_id),
         occi + '/securitygrouplink/' + link, json_type),
    ]
