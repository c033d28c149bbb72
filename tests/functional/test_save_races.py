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
node and across the nodes."""

import threading

from tests.functional import save_base
from tests.functional.save_base import OS
from tests.functional.save_base import UPLOAD_SECONDS_KEY


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
        barrier = threading.Barrier(len(methods))
        responses = [None] * len(methods)

        def one(index):
            barrier.wait()
            responses[index] = self.save(server_id, methods[index],
                                         'race-%d-%s' % (index, server_id),
                                         url=urls[index % len(urls)])
        threads = [threading.Thread(target=one, args=(index,))
                   for index in range(len(methods))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        what = ['%s: %s %s' % (method, response.status_code, response.text)
                for method, response in zip(methods, responses)]
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
        # Nothing left by the refused saves: the one image is the answer.
        images = self.images_of(server_id)
        for image in images:
            self.forget_image(image['id'])
        self.assertEqual([(image_id, 'active')],
                         [(i['id'], i['status']) for i in images], what)
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
