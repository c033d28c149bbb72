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

"""The save record on the server: within Nova's limits, read back."""

import json
import uuid

import testtools

from ooi_save.backend.save import claims
from ooi_save.backend.save import record as save_record


class TestRecord(testtools.TestCase):

    def test_encode_stays_within_nova_limit(self):
        running = {'v': 1, 'id': 'abcdef01', 'step': 'snapshot',
                   'm': 'deferred', 'from': 'ACTIVE', 't0': 1764000000,
                   'at': 1764000000, 'dl': 1764000121,
                   'ts': '2026-11-24T04:50:12Z', 'rq': '0123456789ab',
                   'own': claims.Registry(host='h' * 100).host +
                   ':4194304:abcdef'}
        self.assertLessEqual(len(save_record.encode(running)), 255)
        restart = {'v': 1, 'id': 'abcdef01', 'step': 'restart',
                   'm': 'deferred', 'from': 'ACTIVE', 't0': 1764000000,
                   'at': 1764000000, 'own': 'h' * 64 + ':4194304:abcdef',
                   'keep': 1, 'err': 'e"' * 200}
        value = save_record.encode(restart)
        self.assertLessEqual(len(value), 255)
        self.assertTrue(json.loads(value)['err'].startswith('e"e"'))
        failed = {'v': 1, 'id': 'abcdef01', 'step': 'failed',
                  'm': 'deferred', 'from': 'ACTIVE', 't0': 1764000000,
                  'at': 1764000000, 'img': str(uuid.uuid4()),
                  'err': 'x' * 300}
        value = save_record.encode(failed)
        self.assertLessEqual(len(value), 255)
        self.assertGreater(len(json.loads(value)['err']), 80)
        self.assertEqual(failed['img'], json.loads(value)['img'])

    def test_record_of(self):
        self.assertIsNone(save_record.record_of({'metadata': {}}))
        for raw in ('{', '[]'):
            self.assertIsNone(
                save_record.record_of({'metadata': {'ooi_save': raw}}))
        record = save_record.record_of({'metadata': {
            'ooi_save': '{"v":1,"step":"stop"}', 'ooi_save_name': 'n'}})
        self.assertEqual({'v': 1, 'step': 'stop', 'name': 'n',
                          'trust': None}, record)
        self.assertEqual('t1', save_record.record_of({'metadata': {
            'ooi_save': '{"v":1}', 'ooi_save_trust': 't1'}})['trust'])
        self.assertEqual('deferred save in progress (step stop)',
                         save_record.describe(record))
