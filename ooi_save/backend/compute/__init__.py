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


"""OCCI Compute on Nova servers: a package whose files are its parts.

:class:`Computes` reads, lists and deletes computes; its parts are
:mod:`~ooi_save.backend.compute.read` (a server's rendering, its state and
actions), :mod:`~ooi_save.backend.compute.create`,
:mod:`~ooi_save.backend.compute.update` and
:mod:`~ooi_save.backend.compute.actions` (start, stop, restart, suspend;
save is :mod:`ooi_save.backend.save`'s). A compute's links come from
:mod:`ooi_save.backend.links`: one Neutron listing of its ports and one of
their floating IPs (none when it has no port); a page of computes costs the
same listings for the whole page.
"""

from ooi_save.backend.compute import actions
from ooi_save.backend.compute import create
from ooi_save.backend.compute import read
from ooi_save.backend.compute import update
from ooi_save.backend import concept
from ooi_save.backend import polling
from ooi_save.backend.services import nova
from ooi_save import exceptions


class Computes(create.Create, update.Update, actions.Actions,
               concept.Concept):
    """Computes as one caller sees them.

    Its create, update and actions are its parts' (see the package).

    :param session: the caller's :class:`ooi_save.backend.Session`
    """

    def __init__(self, session):
        super().__init__(session)
        self._links = None

    @property
    def links(self):
        """The :class:`ooi_save.backend.links.ComputeLinks` of the caller."""
        if self._links is None:
            self._links = self._session.links()
        return self._links

    def location(self, server_id):
        return self._locations.compute(server_id)

    def server(self, server_id):
        """The Nova server behind a compute (one Nova call).

        :raises: NotFound
        """
        server = self._nova.get_server(server_id)
        if nova.being_deleted(server):
            raise exceptions.NotFound('Compute %s is being deleted.'
                                      % server_id)
        self._session.saves.resume_if_pending(self._session, server)
        return server

    def resource(self, server, links=()):
        """The compute rendering of a server dict, user mixins included.

        :param links: its links, from :attr:`links`
        """
        # The zone and region mixins follow the user mixins (no call).
        mixins = list(self._session.mixins.of_server(server)) + (
            self._session.zones().of_server(server))
        return read.to_resource(self._conf, self._locations, server, mixins,
                                links, self._session.templates.flavor_term_of)

    def get(self, server_id):
        """The compute rendering of one server.

        :raises: NotFound
        """
        server = self.server(server_id)
        return self.resource(server,
                             self.links.of([server])[server['id']])

    def list(self, detail=True, filters=None, window=None):
        """The computes the caller can see, one Nova call per page.

        :param detail: full renderings (True) or only server dicts
        :param filters: Nova server list filters (``image``, ``flavor``,
            ``tags``)
        :param window: ``(start, stop)``: only these items of the listing
            (Nova's order, newest first); Nova is asked for no more than
            ``stop`` servers
        :returns: a list of :class:`ooi_save.occi.entities.Resource` when
            detailed, else a list of server dicts with ``id``
        """
        start, stop = window or (0, None)
        if not detail:
            return self._ids(filters, start, stop)
        servers = list(self._nova.list_servers(filters, limit=stop))[
            start:stop]
        links = self.links.of(servers)
        return [self.resource(server, links[server['id']])
                for server in servers]

    def _ids(self, filters, start, stop):
        """The summary listing, without the servers being deleted.

        NOTE(ooi-save): Nova's summary listing costs a third of the
        detailed one (measured with 100 servers) but shows no task state
        nor status. A server being deleted goes through the task state
        ``deleting``, then the status ``DELETED`` (Nova lists a server it
        has deleted for a moment more), or ``SOFT_DELETED`` with deferred
        deletion. The listing asks for every status but these two (a filter
        on the server's state, which costs Nova nothing more), after a
        listing of the servers in the task state ``deleting``, which lists
        next to nothing: a DELETE answered before this request is never
        listed, wherever its deletion has got to, for a server the
        listing shows is still ``deleting`` then, so it was too when the
        first listing was read.
        """
        going = {s['id'] for s in self._nova.list_servers(
            {'task_state': nova.DELETING}, detail=False, deleting=True)}
        limit = None if stop is None else stop + len(going)
        servers = [s for s in self._nova.list_servers(
            dict(filters or {}, status=nova.LISTED_STATUSES), detail=False,
            limit=limit, deleting=True) if s['id'] not in going]
        return servers[start:stop]

    def tagged(self, tag):
        """The ids of the caller's servers carrying a tag (one call)."""
        return [s['id'] for s in self.list(detail=False,
                                           filters={'tags': tag})]

    def wait(self, server_id, done, timeout):
        """Poll a server until ``done(server)`` holds.

        :raises: ServiceUnavailable when it does not in time
        """
        server, reached = polling.poll(
            lambda: self._nova.get_server(server_id), done, timeout)
        if not reached:
            raise exceptions.ServiceUnavailable(
                'Compute %s did not reach the expected state in %d s '
                '(it is %s).' % (server_id, timeout, server['status']))
        return server

    def delete(self, server_id):
        """Delete a compute and release what ooi-save made for it.

        The floating IPs ooi-save made go before Nova is asked: Nova's
        compute host deletes the ports it made as it deletes the server,
        and Neutron (on PostgreSQL) refused that deletion while the floating
        IP on the port was being deleted at the same moment (409, "the port
        still has an associated floating IP"), which left the server
        running after a 200. The ports ooi-save made go after, once Nova
        has let them go: Neutron refuses a project's member the deletion of
        a port a compute holds (403).

        :raises: NotFound
        """
        # The id first: one that is no UUID is refused before Neutron is
        # asked for anything about it.
        self._nova.check_server_id(server_id)
        made = self.links.made_for(server_id)
        floating_ips, ports = self.links.split_made(made)
        self.links.release(floating_ips)
        self._nova.delete_server(server_id)
        self.links.release_held(server_id, ports)
