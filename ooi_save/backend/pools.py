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

"""Floating IP pools: one mixin per external network.

Each Neutron network with ``router:external`` the caller sees is a pool
floating IPs come from. Its mixin (scheme :data:`SCHEME`, the predecessor's)
depends on :data:`ooi_save.occi.infrastructure.FLOATINGIPPOOL` and is
applied to an ipreservation create, or to a networkinterface to the
external networks (``/network/public``), to choose where the address comes
from. Without one the oldest external network is the pool.

A pool's term is the network's name when that name fits OCCI 1.1's term
grammar (letters, digits, ``-``, ``_``)
and no other external network has it, else the network id; either is
understood in a request. The pools are listed once per ``[occi]
template_cache_ttl`` seconds (:mod:`ooi_save.backend.kept`), and the
process remembers the term of every pool it has listed, so that rendering
a floating IP's pool costs no call once its network has been seen (a new
one costs one listing).
"""

import re
import threading

from oslo_log import log as logging

from ooi_save import exceptions
from ooi_save.occi import categories
from ooi_save.occi import infrastructure as infra

LOG = logging.getLogger(__name__)

#: Scheme of the pool mixins (one term per external network).
SCHEME = 'http://schemas.openstack.org/network/floatingippool#'

#: The terms made: OCCI 1.1's grammar, which older clients enforce.
_TERM = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_-]*$')

# network id -> (term, name) of every pool listed by this process.
_KNOWN = {}
_KNOWN_LOCK = threading.Lock()


def _oldest_first(networks):
    return sorted(networks, key=lambda n: (n.get('created_at') or '',
                                           n['id']))


def _terms(networks):
    names = [n.get('name') or '' for n in networks]
    return {n['id']: (n['name'] if _TERM.match(n.get('name') or '') and
                      names.count(n['name']) == 1 else n['id'])
            for n in networks}


class Pools:
    """The floating IP pools one caller sees.

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        self._neutron = session.neutron
        self._locations = session.locations
        self._project_id = session.project_id
        self._ttl = session.conf.template_cache_ttl
        self._kept = session.kept
        self._listed = None

    def networks(self):
        """The external networks, oldest first.

        One listing, then none for ``[occi] template_cache_ttl`` seconds.
        """
        if self._listed is None:
            self._listed = self._kept.get(
                ('pools', self._project_id), self._ttl, lambda: _oldest_first(
                    self._neutron.networks(**{'router:external': True})))
            terms = _terms(self._listed)
            with _KNOWN_LOCK:
                for network in self._listed:
                    _KNOWN[network['id']] = (terms[network['id']],
                                             network.get('name'))
        return self._listed

    def mixin_of(self, network_id):
        """The mixin of the pool a floating IP came from, or None.

        Costs a listing only for a network this process has not seen.
        """
        known = _KNOWN.get(network_id)
        if known is None and self._listed is None:
            self.networks()
            known = _KNOWN.get(network_id)
        if known is None:
            return None
        return self._mixin(network_id, *known)

    def _mixin(self, network_id, term, name):
        return categories.Mixin(
            SCHEME, term, 'Floating IP pool %s' % (name or network_id),
            location=self._locations.url('/floatingippool/%s/' % term),
            depends=(infra.FLOATINGIPPOOL,),
            applies=(infra.IPRESERVATION, infra.NETWORKINTERFACE))

    def mixins(self):
        """A mixin per pool, for the query interface (none without Neutron)."""
        if not self._neutron.available:
            return []
        try:
            networks = self.networks()
        except (exceptions.ServiceUnavailable, exceptions.BackendError) as e:
            # NOTE(ooi-save): the rest of the model does not need Neutron: the
            # query interface answers without the pools rather than fail.
            LOG.warning('The query interface lists no floating IP pool: '
                        '%s', e)
            return []
        terms = _terms(networks)
        return [self._mixin(n['id'], terms[n['id']], n.get('name'))
                for n in networks]

    def network(self, term):
        """The external network of a pool term (its name or id).

        :raises: NotFound
        """
        networks = self.networks()
        terms = _terms(networks)
        for network in networks:
            if term in (terms[network['id']], network['id']):
                return network
        raise exceptions.NotFound('No floating IP pool %s here.' % term)

    @staticmethod
    def chosen(mixins):
        """The pool terms among a request's mixin ids."""
        return [m[len(SCHEME):] for m in mixins or ()
                if m.startswith(SCHEME)]

    def choose(self, mixins, what):
        """The external network a request's pool mixin names.

        :param mixins: the request's mixin ids
        :param what: what the request makes, for messages
        :returns: the network dict: the pool named, else the default one
        :raises: BadRequest for an unknown pool, two pools, or none at all
        """
        terms = self.chosen(mixins)
        if len(terms) > 1:
            raise exceptions.BadRequest(
                'A %s takes one floating IP pool mixin, not %d.'
                % (what, len(terms)))
        if terms:
            try:
                return self.network(terms[0])
            except exceptions.NotFound:
                raise exceptions.BadRequest(
                    'Floating IP pool %s%s does not exist here; the pools '
                    'are the mixins depending on %s in the query '
                    'interface.' % (SCHEME, terms[0],
                                    infra.FLOATINGIPPOOL.type_id))
        networks = self.networks()
        if not networks:
            raise exceptions.BadRequest(
                'This cloud has no floating IP pool (no external network) '
                'for a %s.' % what)
        return networks[0]
