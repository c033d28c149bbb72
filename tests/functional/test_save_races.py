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

"""Saves that race each other through OCCI on the real mini-cloud, on one
node and across the nodes; and power actions that race a deferred save.

Each race writes what it saw and what it left behind to
``.minicloud/log/race-tests.log`` (one JSON line per trial).
"""

import json
import os
import threading
import time

from tests.functional import base
from tests.functional import save_base
from tests.functional.save_base import OS
from tests.functional.save_base import RECORD_KEY
from tests.functional.save_base import UPLOAD_SECONDS_KEY


def released_together(calls):
    """Run calls in threads released by one barrier; their answers."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def one(index):
        barrier.wait()
        answers[index] = calls[index]()
    threads = [threading.Thread(target=one, args=(index,))
               for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def report(seen):
    path = os.path.join(base.STATE, 'log', 'race-tests.log')
    with open(path, 'a') as log:
        log.write(json.dumps(seen, sort_keys=True) + '\n')


class RaceTest(save_base.SaveTestBase):
    """Saves of one compute released together, through one or two nodes.

    Exactly one is answered 200, the others 409 with the reason; nothing
    is left behind by a refused save (no image of the compute but the one
    answered), and the compute ends ACTIVE with no record.
    """

    #: How many times each pair runs: the winner of a race changes.
    ROUNDS = 3

    def race(self, methods, urls):
        # A snapshot upload of a few seconds (the mini-cloud's fake driver
        # is otherwise instant) keeps the saves overlapping: an instant one
        # could end before the other save begins, and both would rightly
        # succeed one after the other.
        server_id = self.boot(metadata={UPLOAD_SECONDS_KEY: '3'})
        responses = released_together([
            (lambda index=index: self.save(
                server_id, methods[index], 'race-%d-%s' % (index, server_id),
                url=urls[index % len(urls)]))
            for index in range(len(methods))])
        what = ['%s via node %d: %s %s' % (
            method, index % len(urls) + 1, response.status_code,
            response.text) for index, (method, response) in enumerate(
                zip(methods, responses))]
        self.assertEqual([200] + [409] * (len(methods) - 1),
                         sorted(r.status_code for r in responses), what)
        for response in responses:
            if response.status_code == 409:
                # Ours, or Nova's own reason when the loser's snapshot met
                # the winner's task (the status is what matters).
                self.assertRegex(
                    response.json()['error']['message'],
                    'being saved already|busy|cannot be stopped|'
                    'while it is in task_state', what)
        winner = [r for r in responses if r.status_code == 200][0]
        image_id = self.assertImageMixin(winner)
        self.wait_image_active(image_id)
        server = self.wait_saved(server_id)
        self.assertEqual('ACTIVE', server['status'])
        self.assertEqual([], server['tags'], what)
        self.assertNotIn(RECORD_KEY, server['metadata'], what)
        # Nothing left by the refused saves: the one image is the answer.
        images = self.images_of(server_id)
        for image in images:
            self.forget_image(image['id'])
        left = {'methods': methods, 'nodes': len(urls),
                'answers': [r.status_code for r in responses],
                'winner': methods[responses.index(winner)],
                'images': [i['status'] for i in images],
                'status': server['status'],
                'task': server.get('OS-EXT-STS:task_state'),
                'tags': server['tags'],
                'claim': self.claim_of(server_id)}
        report(left)
        self.assertEqual([(image_id, 'active')],
                         [(i['id'], i['status']) for i in images], what)
        self.assertIsNone(left['claim'], what)
        return server_id

    def rounds(self, methods, count=1):
        urls = self.nodes(count)
        for _ in range(self.ROUNDS):
            self.race(methods, urls)

    def test_three_hot_one_node(self):
        self.rounds(('hot', 'hot', 'hot'))

    def test_hot_hot_one_node(self):
        self.rounds(('hot', 'hot'))

    def test_hot_deferred_one_node(self):
        self.rounds(('hot', 'deferred'))

    def test_deferred_deferred_one_node(self):
        self.rounds(('deferred', 'deferred'))

    def test_hot_hot_two_nodes(self):
        self.rounds(('hot', 'hot'), 2)

    def test_hot_deferred_two_nodes(self):
        self.rounds(('hot', 'deferred'), 2)

    def test_deferred_hot_two_nodes(self):
        self.rounds(('deferred', 'hot'), 2)

    def test_deferred_deferred_two_nodes(self):
        self.rounds(('deferred', 'deferred'), 2)

    def test_three_hot_two_nodes(self):
        self.rounds(('hot', 'hot', 'hot'), 2)

    def test_three_mixed_two_nodes(self):
        self.rounds(('hot', 'deferred', 'hot'), 2)
        self.rounds(('deferred', 'hot', 'deferred'), 2)

    def test_five_hot_two_nodes(self):
        self.rounds(('hot',) * 5, 2)

    def test_five_mixed_two_nodes(self):
        self.rounds(('hot', 'deferred', 'hot', 'deferred', 'hot'), 2)
        self.rounds(('deferred',) * 5, 2)


class ActionRaceTest(save_base.SaveTestBase):
    """A stop, start or restart released with a deferred save.

    The save holds the compute's claim to its end, and the action holds it
    around its Nova call: one of the two is refused (409), and a stop never
    lands after the save has started the compute again.
    """

    def act(self, server_id, action, url):
        return self.occi(
            'POST', '/compute/%s?action=%s' % (server_id, action),
            headers={'Content-Type': 'text/plain',
                     'Accept': 'application/occi+json'},
            data='Category: %s; scheme="%s"; class="action"\n' % (
                action, save_base.ACTION), url=url)

    def race(self, action, urls, delay):
        server_id = self.boot(metadata={UPLOAD_SECONDS_KEY: '2'})

        def act():
            # A delay lets the save go first: the action then meets the
            # chain at one of its steps; a negative one lets the action go
            # first.
            time.sleep(max(delay, 0))
            return self.act(server_id, action, urls[-1])

        def save():
            time.sleep(max(-delay, 0))
            return self.save(server_id, 'deferred', 'act-%s' % server_id,
                             url=urls[0])
        saved, acted = released_together([save, act])
        what = 'save %s %s; %s %s %s' % (
            saved.status_code, saved.text, action, acted.status_code,
            acted.text)
        self.assertIn(saved.status_code, (200, 409), what)
        self.assertIn(acted.status_code, (200, 409), what)
        # Let everything settle: the chain, the action's own task.
        deadline = time.monotonic() + 60
        while True:
            server = self.server(server_id)
            if not server.get('OS-EXT-STS:task_state') and \
                    RECORD_KEY not in server['metadata'] and \
                    not server['tags']:
                break
            self.assertLess(time.monotonic(), deadline, server)
            time.sleep(0.3)
        time.sleep(1)
        server = self.server(server_id)
        actions = self.actions(server_id)
        images = self.images_of(server_id)
        for image in images:
            self.forget_image(image['id'])
        left = {'action': action, 'delay': delay,
                'save': saved.status_code,
                'acted': acted.status_code, 'actions': actions,
                'status': server['status'],
                'images': [i['status'] for i in images],
                'claim': self.claim_of(server_id)}
        report(left)
        what += ' -> %s' % left
        self.assertIsNone(left['claim'], what)
        if saved.status_code == 200:
            self.assertEqual(1, len(images), what)
            self.wait_image_active(images[0]['id'])
            if 'start' in actions:
                # The save stopped and started the compute: nothing
                # stopped it after.
                self.assertNotIn('stop', actions[actions.index('start'):],
                                 what)
        else:
            self.assertEqual([], images, what)
        if action == 'stop' and acted.status_code == 200:
            # The user's stop went first: the compute stays stopped.
            self.assertEqual('SHUTOFF', server['status'], what)
        else:
            self.assertEqual('ACTIVE', server['status'], what)

    def rounds(self, action):
        urls = self.nodes(2)
        for delay in (-0.05, 0, 0, 0.05, 0.2, 0.6):
            self.race(action, urls, delay)

    def test_stop(self):
        self.rounds('stop')

    def test_restart(self):
        self.rounds('restart')

    def test_start(self):
        self.rounds('start')


class NodesTest(save_base.SaveTestBase):
    """What one node does, every other node sees at once."""

    def test_saved_template_listed_through_every_node(self):
        nodes = self.nodes(2)
        server_id = self.boot()
        for node in nodes:
            # Each node has just listed the templates (any cache is warm).
            self.occi('GET', '/-/', url=node)
        image_id = self.assertImageMixin(self.save(server_id, 'hot',
                                                   url=nodes[0]))
        for node in nodes:
            model = self.occi('GET', '/-/', url=node, headers={
                'Accept': 'application/occi+json'}).json()
            self.assertIn(image_id, [m['term'] for m in model['mixins']
                                     if m['scheme'] == OS], node)
        self.wait_image_active(image_id)
