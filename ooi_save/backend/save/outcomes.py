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

"""What one step of a deferred save leaves its driver with.

Every step of a chain (:mod:`~ooi_save.backend.save.chain`) returns one of
these; the driver then sleeps, steps again, answers the waiting caller or
stops.
"""

#: Nothing changed: poll the server again, after a growing pause.
WAIT = 'wait'
#: Something changed: step again at once.
NEXT = 'next'
#: The snapshot was sent: the waiting caller is answered with the image.
IMAGE = 'image'
#: The save was given up: the waiting caller is answered with the error.
ABORT = 'abort'
#: The chain is over, or is not this worker's to drive.
DONE = 'done'
