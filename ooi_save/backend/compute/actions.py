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


"""Compute actions other than save, as Nova server actions.

OCCI actions to Nova:

========================  =============================================
OCCI action (method)      Nova server action
========================  =============================================
start                     os-start from SHUTOFF, resume from SUSPENDED,
                          unpause from PAUSED, unshelve from SHELVED or
                          SHELVED_OFFLOADED
stop (any method)         os-stop: Nova always asks the guest first and
                          powers off after its shutdown timeout, which
                          serves graceful, acpioff and poweroff alike
restart (graceful, warm)  reboot SOFT from ACTIVE; reboot HARD from
                          ERROR (the only reboot Nova allows there)
restart (cold)            reboot HARD
restart (any method)      os-start from SHUTOFF: nothing runs that
                          could be stopped first
suspend (suspend)         suspend
suspend (hibernate)       shelve
save (hot, deferred)      see :mod:`ooi_save.backend.save`
========================  =============================================
"""

from ooi_save import exceptions

#: The methods of each action, the first being the default.
METHODS = {
    'stop': ('graceful', 'acpioff', 'poweroff'),
    'restart': ('warm', 'graceful', 'cold'),
    'suspend': ('suspend', 'hibernate'),
}

_START = {'SHUTOFF': 'os-start', 'STOPPED': 'os-start',
          'SUSPENDED': 'resume', 'PAUSED': 'unpause',
          'SHELVED': 'unshelve', 'SHELVED_OFFLOADED': 'unshelve'}


class Actions:
    """The actions of :class:`ooi_save.backend.compute.Computes`."""

    def act(self, server_id, action, attributes):
        """Run a compute action other than save.

        :param server_id: the server id
        :param action: the action term
        :param attributes: the invocation's attributes
        :raises: BadRequest for an unknown method, Conflict when the state
            does not allow the action (with Nova's reason), NotFound
        """
        method = attributes.get('method')
        if action in METHODS:
            allowed = METHODS[action]
            method = method or allowed[0]
            if method not in allowed:
                raise exceptions.BadRequest(
                    'Method %r is not one of %s for action %s.'
                    % (method, ', '.join(allowed), action))
        self._nova.check_server_id(server_id)
        if action == 'start':
            status = self.server(server_id).get('status')
            if status not in _START:
                raise exceptions.Conflict(
                    'Cannot start compute %s: it is %s.'
                    % (server_id, status))
            nova_action, args = _START[status], None
        elif action == 'stop':
            nova_action, args = 'os-stop', None
        elif action == 'restart':
            status = self.server(server_id).get('status')
            if status in ('SHUTOFF', 'STOPPED'):
                nova_action, args = 'os-start', None
            elif method == 'cold' or status == 'ERROR':
                nova_action, args = 'reboot', {'type': 'HARD'}
            else:
                nova_action, args = 'reboot', {'type': 'SOFT'}
        elif action == 'suspend':
            nova_action = 'shelve' if method == 'hibernate' else 'suspend'
            args = None
        else:
            raise exceptions.BadRequest('Unknown compute action %s.'
                                        % action)
        # A save holds the server to its end: the action is refused (409)
        # while one does, and no save begins while the action's call runs
        # (see ooi_save.backend.save.gate).
        with self._session.saves.holding(self._session, server_id, action):
            self._nova.server_action(server_id, nova_action, args)
