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

"""The caller that starts Nova sub-requests on a stack chunk of their own."""

import sys

import testtools

from ooi_save.backend.services import nova


class FreshChunkCallerTest(testtools.TestCase):

    def test_passes_arguments_and_result_through(self):
        self.assertEqual((1, 'b'), nova._call_on_fresh_chunk(
            lambda a, b: (a, b), 1, 'b'))
        self.assertRaises(KeyError, nova._call_on_fresh_chunk, {}.pop, 'x')

    def test_frame_is_bigger_than_two_default_chunks(self):
        self.assertEqual('cpython', sys.implementation.name)
        code = nova._call_on_fresh_chunk.__code__
        # 16 KiB chunks: a frame over 32 KiB gets a 64 KiB chunk.
        self.assertGreater(code.co_nlocals * 8, 32 * 1024)
        self.assertLess(code.co_nlocals * 8, 48 * 1024)
