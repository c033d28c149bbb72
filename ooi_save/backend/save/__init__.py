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

"""The OCCI ``save`` action: a Nova snapshot, hot or deferred.

A package whose files are the parts of a save:

:mod:`~ooi_save.backend.save.manager`
    the entry points: :class:`SaveManager` saves a compute (hot or
    deferred) and resumes the chains it finds.
:mod:`~ooi_save.backend.save.gate`
    the claim every save takes in the OCCI database before it calls Nova,
    held to the save's end (and by the power actions around their call).
:mod:`~ooi_save.backend.save.record`
    the record of a deferred save, kept in Nova (server tag and metadata).
:mod:`~ooi_save.backend.save.chain`
    the driver of a deferred save: its state, the loop that steps it, the
    record writes every step shares; :mod:`~ooi_save.backend.save.outcomes`
    names what a step leaves the driver with.
the chain's steps, one file each
    :mod:`~ooi_save.backend.save.begin` (tag, record and stop),
    :mod:`~ooi_save.backend.save.stop` (wait for the stop),
    :mod:`~ooi_save.backend.save.snapshot` (``createImage`` and wait for
    the upload), :mod:`~ooi_save.backend.save.restart` (start the server
    again, also when a save gives up) and
    :mod:`~ooi_save.backend.save.finish` (remove the record, or leave it
    ``failed``).
:mod:`~ooi_save.backend.save.hot`
    the watch of a hot save's upload: the image of an upload that lost
    Glance is deleted, or left to the ``clean`` step of a record.
:mod:`~ooi_save.backend.save.evidence`
    what Nova's action log and Glance tell of a chain's snapshot.
:mod:`~ooi_save.backend.save.delegation`
    the Keystone trust through which a resumed chain acts as the owner.
:mod:`~ooi_save.backend.save.claims`, :mod:`~ooi_save.backend.save.sweep`
    resuming: who drives a chain (this process, another, no one; the
    lease; taking a chain over), and the sweep that finds the chains no
    one drives.
:mod:`~ooi_save.backend.save.answer`
    ``createImage``, default image names, and the new image the save
    answers with, rendered as a new ``os_tpl``.
"""

from ooi_save.backend.save import manager
from ooi_save.backend.save import record

SaveManager = manager.SaveManager
record_of = record.record_of
describe = record.describe
shown = record.shown
