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

"""Security group rules: OCCI's rule objects and Neutron's rules.

An OCCI rule (the objects of ``occi.securitygroup.rules``, with the keys
rOCCI-server reads) and the Neutron rule it stands for:

=============  =============================================================
``type``       ``inbound`` or ``outbound``: ``direction`` ingress or egress
``protocol``   a name Neutron knows (``tcp``, ``udp``, ``icmp``, ``sctp``,
               ``gre``...), a number from 0 to 255, or ``any``: Neutron's
               ``protocol`` (``null`` for any)
``port``       ``"22"`` or ``"8000:8080"`` for tcp, udp, sctp, dccp and
               udplite: ``port_range_min`` and ``port_range_max``; for ICMP
               ``"<type>"`` or ``"<type>:<code>"``; absent for all ports
``range``      the CIDR the traffic comes from (inbound) or goes to
               (outbound): ``remote_ip_prefix``, and ``ethertype`` by its
               IP version; ``0.0.0.0/0`` when absent
``group``      (ours) the location of a security group whose members the
               rule admits: ``remote_group_id``; ``range`` then only names
               the IP version (``0.0.0.0/0`` or ``::/0``)
=============  =============================================================

Every rule of a request is checked before Neutron is called: anything
Neutron would refuse half way through a create is refused here first.
Two rules are the same when their :func:`key` is: Neutron's ``null``
prefix and the whole address space are one, and so are a protocol's name
and number.
"""

import ipaddress
import json

from ooi_save import exceptions

ATTRIBUTE = 'occi.securitygroup.rules'

_DIRECTIONS = {'inbound': 'ingress', 'outbound': 'egress'}
_TYPES = {value: key for key, value in _DIRECTIONS.items()}

#: Protocols whose ``port`` is a range of ports.
_PORTED = ('tcp', 'udp', 'sctp', 'dccp', 'udplite')
#: Protocols whose ``port`` is an ICMP type and code.
_ICMP = ('icmp', 'icmpv6', 'ipv6-icmp')

#: The protocol names Neutron accepts, by number.
_NAMES = {
    '51': 'ah', '33': 'dccp', '8': 'egp', '50': 'esp', '47': 'gre',
    '0': 'hopopt', '1': 'icmp', '2': 'igmp', '4': 'ipip', '41':
    'ipv6-encap', '44': 'ipv6-frag', '58': 'ipv6-icmp', '59': 'ipv6-nonxt',
    '60': 'ipv6-opts', '43': 'ipv6-route', '89': 'ospf', '113': 'pgm',
    '46': 'rsvp', '132': 'sctp', '6': 'tcp', '17': 'udp', '136': 'udplite',
    '112': 'vrrp'}
_KNOWN = frozenset(_NAMES.values()) | {'icmpv6'}
_ANY = ('any', 'all', '')

_KEYS = ('protocol', 'type', 'port', 'range', 'group')

_EVERYWHERE = {'IPv4': '0.0.0.0/0', 'IPv6': '::/0'}


def _refuse(index, message):
    return exceptions.BadRequest(
        'Rule %d of %s: %s' % (index, ATTRIBUTE, message))


def _protocol(index, value):
    """Neutron's protocol for a rule's ``protocol``: a name, or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _refuse(index, '"protocol" must be a name or a number, not '
                             '%r.' % (value,))
    value = value.strip().lower()
    if value in _ANY:
        return None
    if value.isdigit():
        if int(value) > 255:
            raise _refuse(index, 'protocol number %s is not from 0 to 255.'
                          % value)
        return _NAMES.get(str(int(value)), str(int(value)))
    if value not in _KNOWN:
        raise _refuse(index, 'unknown protocol %r: give tcp, udp, icmp, '
                             'icmpv6, sctp, any, another IP protocol name '
                             'or a number from 0 to 255.' % value)
    return value


def _numbers(index, value, what):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _refuse(index, '"port" must be a string such as "22" or '
                             '"8000:8080", not %r.' % (value,))
    parts = value.strip().split(':')
    if len(parts) > 2 or not all(p.strip().isdigit() for p in parts):
        raise _refuse(index, '"port" must be %s, not %r.' % (what, value))
    numbers = [int(p) for p in parts]
    return numbers[0], numbers[-1] if len(numbers) == 2 else None


def _ports(index, protocol, value):
    """``(port_range_min, port_range_max)`` of a rule's ``port``."""
    if value is None or value == '':
        return None, None
    if protocol in _PORTED:
        low, high = _numbers(index, value, 'a port ("22") or a range of '
                                           'ports ("8000:8080")')
        high = low if high is None else high
        if not 1 <= low <= 65535 or not 1 <= high <= 65535:
            raise _refuse(index, 'ports are numbers from 1 to 65535, not '
                                 '%r.' % value)
        if low > high:
            raise _refuse(index, 'port range %r is backwards: give the low '
                                 'port first ("%d:%d").'
                          % (value, high, low))
        return low, high
    if protocol in _ICMP:
        icmp_type, code = _numbers(index, value, 'an ICMP type ("8") or '
                                                 'type and code ("8:0")')
        if icmp_type > 255 or (code is not None and code > 255):
            raise _refuse(index, 'ICMP types and codes are from 0 to 255, '
                                 'not %r.' % value)
        return icmp_type, code
    raise _refuse(index, '"port" applies to %s and ICMP only; protocol %s '
                         'has none.' % (', '.join(_PORTED),
                                        protocol or 'any'))


def _range(index, value):
    """``(ethertype, remote_ip_prefix or None)`` of a rule's ``range``."""
    if value is None or value == '':
        return 'IPv4', None
    if not isinstance(value, str):
        raise _refuse(index, '"range" must be a CIDR string, not %r.'
                      % (value,))
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise _refuse(index, '"range" %r is not a CIDR such as '
                             '"192.0.2.0/24" or "0.0.0.0/0".' % value)
    ethertype = 'IPv%d' % network.version
    if network.prefixlen == 0:
        return ethertype, None
    return ethertype, str(network)


def parse(value, group_id_of):
    """Neutron's rule fields for the value of ``occi.securitygroup.rules``.

    :param value: the attribute as the request gave it: a list of rule
        objects (a JSON string of one is read too)
    :param group_id_of: gives the security group id of a ``group``
        reference, or None when it names none
    :returns: a list of Neutron rule field dicts (no ``security_group_id``),
        without repetitions
    :raises: BadRequest naming the first rule that is wrong and why
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if not isinstance(value, (list, tuple)):
        raise exceptions.BadRequest(
            '%s must be a list of rules, each an object with "protocol", '
            '"type", "port" and "range"; the request gives %.60r.'
            % (ATTRIBUTE, value))
    found, seen = [], set()
    for index, rule in enumerate(value, 1):
        fields = _fields(index, rule, group_id_of)
        if key(fields) not in seen:
            seen.add(key(fields))
            found.append(fields)
    return found


def _fields(index, rule, group_id_of):
    if not isinstance(rule, dict):
        raise _refuse(index, 'a rule is an object with "protocol", "type", '
                             '"port" and "range", not %.60r.' % (rule,))
    unknown = set(rule) - set(_KEYS)
    if unknown:
        raise _refuse(index, 'unknown key %s; a rule has %s.'
                      % (', '.join(sorted(unknown)), ', '.join(_KEYS)))
    direction = _DIRECTIONS.get(rule.get('type'))
    if direction is None:
        raise _refuse(index, '"type" must be inbound or outbound, not %r.'
                      % (rule.get('type'),))
    if 'protocol' not in rule:
        raise _refuse(index, '"protocol" is missing (tcp, udp, icmp, ... '
                             'or any).')
    protocol = _protocol(index, rule['protocol'])
    ethertype, prefix = _range(index, rule.get('range'))
    if protocol in _ICMP:
        protocol = 'ipv6-icmp' if ethertype == 'IPv6' else 'icmp'
    low, high = _ports(index, protocol, rule.get('port'))
    fields = {'direction': direction, 'ethertype': ethertype,
              'protocol': protocol, 'port_range_min': low,
              'port_range_max': high, 'remote_ip_prefix': prefix}
    if rule.get('group') not in (None, ''):
        group_id = group_id_of(rule['group'])
        if group_id is None:
            raise _refuse(index, '"group" %.80r is not the location of a '
                                 'security group here.' % (rule['group'],))
        if prefix is not None:
            raise _refuse(index, 'a rule admits a "group" or a "range", not '
                                 'both (a range of 0.0.0.0/0 or ::/0 only '
                                 'names the IP version).')
        fields['remote_group_id'] = group_id
    return fields


def _canonical_protocol(protocol, ethertype):
    if protocol is None:
        return None
    protocol = _NAMES.get(protocol, protocol)
    if protocol in _ICMP:
        return 'ipv6-icmp' if ethertype == 'IPv6' else 'icmp'
    return protocol


def _canonical_prefix(prefix):
    if not prefix:
        return None
    network = ipaddress.ip_network(prefix, strict=False)
    return None if network.prefixlen == 0 else str(network)


def key(rule):
    """What makes a rule the rule it is, Neutron's or parsed.

    :param rule: Neutron rule fields
    :returns: a hashable tuple
    """
    ethertype = rule.get('ethertype') or 'IPv4'
    return (rule.get('direction'), ethertype,
            _canonical_protocol(rule.get('protocol'), ethertype),
            rule.get('port_range_min'), rule.get('port_range_max'),
            _canonical_prefix(rule.get('remote_ip_prefix')),
            rule.get('remote_group_id'))


def render(rule, group_location):
    """The OCCI rule object of a Neutron rule.

    :param rule: the Neutron rule
    :param group_location: gives the location of a security group by id
    :returns: a dict with ``type``, ``protocol``, ``range`` and, when they
        apply, ``port`` and ``group``
    """
    ethertype = rule.get('ethertype') or 'IPv4'
    protocol = rule.get('protocol')
    rendered = {
        'protocol': protocol if protocol is not None else 'any',
        'type': _TYPES.get(rule.get('direction'), rule.get('direction')),
    }
    low, high = rule.get('port_range_min'), rule.get('port_range_max')
    if low is not None:
        rendered['port'] = (str(low) if high is None or (
            high == low and protocol not in _ICMP) else '%d:%d' % (low,
                                                                   high))
    rendered['range'] = (_canonical_prefix(rule.get('remote_ip_prefix')) or
                         _EVERYWHERE.get(ethertype, '0.0.0.0/0'))
    if rule.get('remote_group_id'):
        rendered['group'] = group_location(rule['remote_group_id'])
    return rendered


def order(rule):
    """A sort key that lists a group's rules the same way on every read."""
    return (rule.get('direction') or '', rule.get('ethertype') or '',
            str(rule.get('protocol')), rule.get('port_range_min') or 0,
            rule.get('port_range_max') or 0,
            rule.get('remote_ip_prefix') or '',
            rule.get('remote_group_id') or '', rule.get('id') or '')
