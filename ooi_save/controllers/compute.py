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

"""Compute: the collection at ``/compute/`` and each compute below it.

``POST <compute>?action=save`` is answered here with the rendering of the
new OS template; the saving itself is :mod:`ooi_save.backend.save`.
"""

from ooi_save.controllers import collection
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

COMPUTE_ACTIONS = {action.term: action for action in (
    infra.COMPUTE_START, infra.COMPUTE_STOP, infra.COMPUTE_RESTART,
    infra.COMPUTE_SUSPEND, infra.COMPUTE_SAVE)}

#: Spellings of the save methods, including rOCCI's.
SAVE_METHODS = {'hot': 'hot', 'deferred': 'deferred', 'deffered': 'deferred'}


def listing(req, filters=None):
    """The answer to a GET of a collection of computes.

    An entity rendering in the request filters it; ``?page=&number=``
    pages it (GFD.223 6 and 7.2), for the kind's collection and every
    mixin's alike.

    :param req: the :class:`ooi_save.http.request.OCCIRequest`
    :param filters: Nova's server list filters that make the collection
        (``image``, ``flavor``, ``tags``), or None for every compute
    """
    computes = req.session.computes()
    return collection.listing(
        req, computes,
        lambda window: computes.list(filters=filters, window=window),
        lambda window: computes.list(detail=False, filters=filters,
                                     window=window))


class ComputeCollection:
    """``/compute/``: list, create, act on and delete every compute."""

    def get(self, req):
        return listing(req)

    def post(self, req):
        computes = req.session.computes()
        if 'action' in req.params:
            req.will_answer('the outcome of an action')
            term, attributes = collection.action(
                req, COMPUTE_ACTIONS, 'compute')
            if term == 'save':
                raise exceptions.NotImplementedYet(
                    'Save cannot be applied to a collection: each save '
                    'answers with its own new OS template; save one '
                    'compute at a time.')
            _act_on_all(computes, term, attributes)
            return req.respond(req.renderer.ok())
        entity = collection.new_entity(req, infra.COMPUTE)
        server_id = computes.create(entity)
        return collection.created(req, computes.location(server_id),
                                  lambda: computes.get(server_id))

    def delete(self, req):
        req.will_answer('the outcome of a deletion')
        computes = req.session.computes()
        for server in computes.list(detail=False):
            computes.delete(server['id'])
        return req.respond(req.renderer.ok())


def _act_on_all(computes, term, attributes):
    """Apply an action to every compute of the caller.

    Every member is tried, even after one refuses (a compute already in
    the state asked for, say), so that one refusal does not leave the rest
    of the collection untouched; the refusals are then answered together,
    with the status of the first.
    """
    refusals = []
    for server in computes.list(detail=False):
        try:
            computes.act(server['id'], term, attributes)
        except exceptions.NotFound:
            continue    # deleted meanwhile: nothing left to act on
        except exceptions.Error as error:
            refusals.append((server['id'], error))
    if refusals:
        first = refusals[0][1]
        raise type(first)('%s refused for %d compute(s): %s' % (
            term, len(refusals), '; '.join(
                '%s: %s' % (server_id, error)
                for server_id, error in refusals)),
            request_id=first.request_id)


class Compute(collection.UpdatableMember):
    """``/compute/<id>``: one compute."""

    noun = 'compute'

    def _entities(self, req):
        return req.session.computes()

    def _act(self, req, id):
        computes = req.session.computes()
        term, attributes = collection.action(req, COMPUTE_ACTIONS,
                                             'compute')
        if term == 'save':
            return self._save(req, computes, id, attributes)
        computes.act(id, term, attributes)
        return req.respond(req.renderer.entity(computes.get(id)))

    def _save(self, req, computes, id, attributes):
        method = attributes.get('method') or req.session.conf.save_method
        if method not in SAVE_METHODS:
            raise exceptions.BadRequest(
                'Save method %r is neither hot nor deferred.' % (method,))
        name = attributes.get('name')
        if name is not None and (not isinstance(name, str) or
                                 not name.strip()):
            raise exceptions.BadRequest(
                'The name of a saved template is a non-empty string.')
        image = req.session.saves.save(
            req.session, id, SAVE_METHODS[method], name,
            computes.location(id))
        mixin = req.session.templates.os_tpl(image)
        return req.respond(req.renderer.mixin(mixin))
