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

"""Creating a compute: what a client's rendering asks of Nova.

A create boots a server from the request's templates (its os_tpl image and
resource_tpl flavor, or the provider's defaults), with the user mixins as
server tags, an ssh key or user data when the request has their mixins
(or the predecessor's aliases of them,
:mod:`ooi_save.backend.contextualization`), in the availability zone of
its zone mixin (:mod:`ooi_save.backend.zones`), and the networks and
volumes its links name, in the security groups its securitygrouplinks
name.

A client may name the new compute with ``occi.core.id``; Nova chooses the
server's id, and the answer's ``Location`` is the real one. The inline
links of the create may give that client id as their ``occi.core.source``
(IM does): it names the compute being made. Its checks of templates and
attributes serve the update too (:mod:`ooi_save.backend.compute.update`).
"""

import base64
import binascii
import hashlib
import re

from oslo_log import log as logging

from ooi_save.backend import concept
from ooi_save.backend import contextualization
from ooi_save.backend import fields
from ooi_save.backend.services import neutron
from ooi_save.backend import zones
from ooi_save import exceptions
from ooi_save.occi import infrastructure as infra

LOG = logging.getLogger(__name__)


def user_data(value):
    """Nova's base64 user data from ``occi.compute.userdata``.

    Clients send either base64 already or the plain script; Nova wants
    base64, so a value that does not decode is encoded.
    """
    try:
        base64.b64decode(value.encode('ascii'), validate=True)
        return value
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return base64.b64encode(value.encode('utf-8')).decode('ascii')


#: Standard mixins a compute can be created with, besides the templates.
SSH_KEY = 'http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key'
USER_DATA = 'http://schemas.ogf.org/occi/infrastructure/compute#user_data'

#: Attributes a client may set, and the Nova server field each one sets.
SETTABLE = {
    'occi.core.title': 'name',
    'occi.core.summary': 'description',
    'occi.compute.hostname': 'hostname',
}

#: Attributes that come from the resource template; a client may repeat
#: them only with the template's own values.
FROM_FLAVOR = ('occi.compute.cores', 'occi.compute.memory')

#: Attributes read when they are given, but that create nothing.
IGNORED = ('occi.core.id', 'occi.compute.state',
           'occi.compute.state.message', 'occi.credentials.ssh.publickey',
           'occi.compute.userdata') + contextualization.ATTRIBUTES


class Create:
    """Create of :class:`ooi_save.backend.compute.Computes`.

    Its checks of templates and attributes serve the update too. It uses
    what the class gives: ``_session``, ``_nova``, ``_conf`` and
    :attr:`~ooi_save.backend.compute.Computes.links`.
    """

    def create(self, request):
        """Boot a server for an OCCI create request.

        :param request: the parsed :class:`EntityRequest`
        :returns: the new server id
        :raises: BadRequest for what Nova cannot honour, Conflict for an
            os_tpl whose image is not active yet
        """
        attributes = dict(request.attributes or {})
        server = {}
        tags, mixins = self._session.mixins.tags_of(request.mixins,
                                                    infra.COMPUTE)
        zone = self._session.zones().zone_for_create(mixins)
        image_id, flavor, others = self._templates(
            [m for m in mixins if not zones.Zones.is_placement(m)])
        if zone is not None:
            server['availability_zone'] = zone
        if tags:
            server['tags'] = tags
        server['imageRef'] = image_id
        server['flavorRef'] = flavor['id']
        self._check_flavor_attributes(attributes, flavor)
        server.update(self._settable(attributes))
        server.setdefault('name', 'occi-compute')
        context = contextualization.values(others, attributes)
        if SSH_KEY in context:
            server['key_name'] = self._keypair(*context[SSH_KEY])
        if USER_DATA in context:
            data, attribute = context[USER_DATA]
            if not isinstance(data, str) or not data:
                raise exceptions.BadRequest(
                    'The user_data mixin needs %s.' % attribute)
            server['user_data'] = user_data(data)
        self.links.check_sources(request.links, request.id)
        if not request.links:
            server_id = self._boot_unlinked(server, image_id)
            self.links.booted(server_id, ())
            return server_id
        devices = self.links.block_devices(request.links)
        if devices:
            # NOTE(ooi-save): with block_device_mapping_v2 Nova no longer boots
            # from imageRef by itself: the image is the first device.
            server['block_device_mapping_v2'] = [{
                'uuid': image_id, 'source_type': 'image',
                'destination_type': 'local', 'boot_index': 0,
                'delete_on_termination': True}] + devices
        # Glance is asked about the image while Neutron is asked about the
        # networks; links may make ports, which wait for the image's
        # answer: nothing is made for a compute that cannot boot.
        # (Without links see _boot_unlinked.)
        image_checked = concept.Meanwhile(
            lambda: self._check_image_active(image_id))
        try:
            groups = self.links.security_groups(request.links)
            if groups:
                server['security_groups'] = [{'name': g} for g in groups]
            if request.links:
                image_checked.result()
            server['networks'], made = self.links.boot_networks(
                request.links, self._conf.default_network)
        finally:
            image_checked.join()
        image_checked.result()
        try:
            self.links.place_ports(made, groups)
            created = self._nova.create_server(server)
        except Exception:
            with neutron.undoing():
                self.links.release(made)
            raise
        self.links.booted(created['id'], made)
        return created['id']

    def _boot_unlinked(self, server, image_id):
        """Boot a compute without links: Nova's call alone, usually.

        Nothing is made before the boot, so Glance is not asked about the
        image first: Nova checks it, and its refusal is told as ours would
        be. The default network is kept a while
        (:meth:`~ooi_save.backend.network.Networks.default_id`); when Nova
        no longer finds the one kept, it is found anew and the boot asked
        again.

        :returns: the new server id
        """
        choice = self._conf.default_network
        server['networks'], _ = self.links.boot_networks((), choice)
        try:
            return self._nova.create_server(server)['id']
        except exceptions.BadRequest as error:
            refusal = self._image_refusal(error, image_id)
            if refusal is not None:
                raise refusal
            if not isinstance(server['networks'], list) or not \
                    _NETWORK_GONE.search(error.message or ''):
                raise
            LOG.info('Nova no longer finds the default network %s: '
                     'looking for it again', server['networks'][0]['uuid'])
        server['networks'], _ = self.links.boot_networks((), choice,
                                                         again=True)
        return self._nova.create_server(server)['id']

    def _template_terms(self, mixins, refusal, others=()):
        """The os_tpl and resource_tpl terms of a request's mixins.

        :param mixins: the request's mixins, user mixins left out
        :param refusal: the message refusing any other mixin (``%s``)
        :param others: the other mixins accepted
        :returns: (image ids, flavor terms, other mixins), lists
        :raises: BadRequest for another mixin, or two templates of a kind
        """
        image_ids, flavor_terms, found = [], [], []
        for mixin in mixins or ():
            if mixin.startswith(self._conf.os_tpl_scheme):
                image_ids.append(mixin[len(self._conf.os_tpl_scheme):])
            elif mixin.startswith(self._conf.resource_tpl_scheme):
                flavor_terms.append(
                    mixin[len(self._conf.resource_tpl_scheme):])
            elif mixin in others:
                found.append(mixin)
            else:
                raise exceptions.BadRequest(refusal % mixin)
        if len(image_ids) > 1 or len(flavor_terms) > 1:
            raise exceptions.BadRequest(
                'A compute takes one os_tpl and one resource_tpl mixin.')
        return image_ids, flavor_terms, found

    def _templates(self, mixins):
        image_ids, flavor_terms, others = self._template_terms(
            mixins, 'Mixin %s cannot be applied to a compute here.',
            (SSH_KEY, USER_DATA) + tuple(contextualization.ALIASES))
        if image_ids:
            image_id = image_ids[0]
        elif self._conf.default_os_tpl:
            try:
                image_id = self._session.templates.image_id(
                    self._conf.default_os_tpl)
            except exceptions.NotFound:
                raise exceptions.BadRequest(
                    'An os_tpl mixin is required: the default OS template '
                    '%s is not one this project can use.'
                    % self._conf.default_os_tpl)
        else:
            raise exceptions.BadRequest(
                'An os_tpl mixin is required: this provider has no default '
                'OS template.')
        term = flavor_terms[0] if flavor_terms else (
            self._conf.default_resource_tpl)
        if not term:
            raise exceptions.BadRequest(
                'A resource_tpl mixin is required: this provider has no '
                'default resource template.')
        try:
            flavor = self._session.templates.flavor_by_term(term)
        except exceptions.NotFound:
            raise exceptions.BadRequest('Unknown resource template %s.'
                                        % term)
        return image_id, flavor, others

    @staticmethod
    def _check_flavor_attributes(attributes, flavor):
        wanted = {'occi.compute.cores': flavor['vcpus'],
                  'occi.compute.memory': flavor['ram'] / 1024.0}
        for name in FROM_FLAVOR:
            if name in attributes and float(attributes[name]) != float(
                    wanted[name]):
                raise exceptions.BadRequest(
                    '%s=%s cannot be honoured: resource template %s gives '
                    '%s. Choose another resource_tpl.' % (
                        name, attributes[name], flavor['name'],
                        wanted[name]))

    @staticmethod
    def _settable(attributes):
        return fields.string_fields(attributes, SETTABLE,
                                    FROM_FLAVOR + IGNORED, 'compute')

    def _keypair(self, public_key, attribute):
        if not isinstance(public_key, str) or not public_key.strip():
            raise exceptions.BadRequest(
                'The ssh_key mixin needs %s.' % attribute)
        # Same key, same name: a key already imported is used again.
        name = 'occi-' + hashlib.sha256(
            public_key.strip().encode('utf-8')).hexdigest()[:16]
        try:
            self._nova.create_keypair(name, public_key.strip())
        except exceptions.Conflict:
            pass
        return name

    def _check_image_active(self, image_id):
        try:
            image = self._session.templates.image(image_id)
        except exceptions.NotFound:
            raise _unknown_image(image_id)
        if image.get('status') != 'active':
            raise _inactive_image(image_id, image.get('status'))

    def _image_refusal(self, error, image_id):
        """Our answer to Nova's refusal of a boot for its image, or None.

        NOTE(ooi-save): Nova tells an image the caller cannot see (or that
        is no image id at all) with 400 "Can not find requested image" (or
        "Invalid input for field/attribute imageRef"), one not active yet
        with 400 "Image <id> is not active.": they are told as the check of
        the image in Glance tells them, which then says what the image is.
        """
        message = error.message or ''
        if 'Can not find requested image' in message or \
                'imageRef' in message:
            return _unknown_image(image_id, error.request_id)
        if 'Image %s is not active' % image_id not in message:
            return None
        try:
            self._check_image_active(image_id)
        except exceptions.Error as refusal:
            refusal.request_id = refusal.request_id or error.request_id
            return refusal
        return _inactive_image(image_id, request_id=error.request_id)


#: What Nova answers a boot on a network it does not find.
_NETWORK_GONE = re.compile(r'Network \S+ could not be found')


def _unknown_image(image_id, request_id=None):
    return exceptions.BadRequest('Unknown OS template %s.' % image_id,
                                 request_id=request_id)


def _inactive_image(image_id, status=None, request_id=None):
    return exceptions.Conflict(
        'OS template %s is %s, not active yet: a compute can be created '
        'from it once its upload has finished.'
        % (image_id, status or 'not active'), request_id=request_id)
