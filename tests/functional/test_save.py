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

"""The save action through OCCI on the real mini-cloud.

The tests that kill nova-api (``kill -9``) in the middle of a deferred save
take nova-api away from every other test running at the same time: tox runs
them alone, after the others, as you would by hand::

    stestr --test-path tests/functional run --concurrency 1 KillTest
"""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

import requests

from tests.functional import base

ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
OS = 'http://schemas.openstack.org/template/os#'
TAG = 'ooi-save-pending'
RECORD_KEY = 'ooi_save'
TRUST_KEY = 'ooi_save_trust'
#: Server metadata the mini-cloud's fake driver reads: its snapshot upload
#: takes that many seconds (tools/minicloud/README.rst).
UPLOAD_SECONDS_KEY = 'minicloud_upload_seconds'


def save_body(method=None, name=None):
    """A text/plain save invocation."""
    lines = ['Category: save; scheme="%s"; class="action"' % ACTION]
    if method:
        lines.append('X-OCCI-Attribute: method="%s"' % method)
    if name:
        lines.append('X-OCCI-Attribute: name="%s"' % name)
    return '\n'.join(lines) + '\n'


def save_request(body_type, method, name=None):
    """A save invocation as a client renders it: (headers, body)."""
    attributes = {'method': method}
    if name:
        attributes['name'] = name
    if body_type.endswith('json'):
        return {'Content-Type': body_type}, json.dumps(
            {'action': ACTION + 'save', 'attributes': attributes})
    if body_type == 'text/occi':
        return {'Content-Type': 'text/occi',
                'Category': 'save; scheme="%s"; class="action"' % ACTION,
                'X-OCCI-Attribute': ', '.join(
                    '%s="%s"' % item for item in attributes.items())}, None
    return {'Content-Type': body_type}, save_body(method, name)


def stopped(server, answer):
    """Whether a deferred save stopped the server and sent no snapshot."""
    record = json.loads(server['metadata'].get(RECORD_KEY) or '{}')
    return server['status'] == 'SHUTOFF' and record.get('step') in (
        'stop', 'snapshot') and not server.get('OS-EXT-STS:task_state')


class SaveTestBase(base.TestCase):

    def save(self, server_id, method=None, name=None, token=None,
             url=None):
        """POST <compute>?action=save, answered in JSON.

        :param url: the OCCI root of one node, by default the endpoint
        """
        return self.occi(
            'POST', '/compute/%s?action=save' % server_id, token=token,
            headers={'Content-Type': 'text/plain',
                     'Accept': 'application/occi+json'},
            data=save_body(method, name), url=url)

    def nodes(self, count):
        """The OCCI roots of the nodes, at least ``count`` of them."""
        # NOTE: MINICLOUD_OCCI_NODES names nodes started by hand.
        nodes = (os.environ.get('MINICLOUD_OCCI_NODES') or
                 self.env.get('OCCI_NODES', '')).split() or [self.occi_url]
        if len(nodes) < count:
            self.skipTest('the mini-cloud has %d OCCI node(s), not %d '
                          '(OCCI_NODES in openrc)' % (len(nodes), count))
        return nodes

    def images_of(self, server_id):
        """Every image Glance holds of a server, whatever its status."""
        return self.glance('GET', '/v2/images?instance_uuid=%s'
                           % server_id).json()['images']

    def server(self, server_id, token=None):
        # NOTE: while a node is being killed, the load balancer may answer
        # one read itself (502/503) before its checks count the node down;
        # a polling client reads again. Anything else, or an error that
        # lasts, fails the test with what was answered.
        deadline = time.monotonic() + 15
        while True:
            response = self.nova('GET', '/servers/%s' % server_id,
                                 token=token)
            if response.status_code == 200:
                return response.json()['server']
            if (response.status_code not in (502, 503, 504) or
                    time.monotonic() > deadline):
                self.fail('GET server %s: %d %s' % (
                    server_id, response.status_code, response.text[:500]))
            time.sleep(0.5)

    def actions(self, server_id):
        """The server's instance actions, oldest first."""
        actions = self.nova('GET', '/servers/%s/os-instance-actions'
                            % server_id).json()['instanceActions']
        # Nova lists the newest first. (The start times do not order them:
        # every call of one OCCI request bears that request's start time.)
        return [action['action'] for action in reversed(actions)]

    def image(self, image_id, token=None):
        response = self.glance('GET', '/v2/images/%s' % image_id,
                               token=token)
        return response.status_code, (response.json() if response.ok
                                      else None)

    def images_named(self, name):
        return self.glance('GET', '/v2/images?name=%s' % name).json()[
            'images']

    def forget_image(self, image_id):
        self.addCleanup(self.glance, 'DELETE', '/v2/images/%s' % image_id)

    def wait_image_active(self, image_id, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            status, image = self.image(image_id)
            if status == 200 and image['status'] == 'active':
                return image
            if time.monotonic() > deadline:
                self.fail('image %s is %s' % (
                    image_id, image and image['status'] or status))
            time.sleep(0.2)

    def wait_saved(self, server_id, timeout=120):
        """Wait until no save is under way: ACTIVE, no task, no record."""
        deadline = time.monotonic() + timeout
        while True:
            server = self.server(server_id)
            if (server['status'] == 'ACTIVE' and
                    not server.get('OS-EXT-STS:task_state') and
                    TAG not in server['tags'] and
                    RECORD_KEY not in server['metadata']):
                return server
            if time.monotonic() > deadline:
                self.fail('save of %s did not finish: %s/%s tags=%s '
                          'metadata=%s' % (
                              server_id, server['status'],
                              server.get('OS-EXT-STS:task_state'),
                              server['tags'], server['metadata']))
            time.sleep(0.3)

    def assertImageMixin(self, response, name=None):
        """The answer is the new os_tpl mixin; returns its image id."""
        self.assertEqual(200, response.status_code, response.text)
        mixin = response.json()
        self.assertEqual(OS, mixin['scheme'])
        self.assertIn(INFRA + 'os_tpl', mixin['depends'])
        self.forget_image(mixin['term'])
        if name:
            self.assertEqual(name, mixin['title'])
        return mixin['term']


class SaveTest(SaveTestBase):

    def test_hot(self):
        server_id = self.boot()
        name = 'hot-%s' % uuid.uuid4().hex[:8]
        image_id = self.assertImageMixin(self.save(server_id, 'hot', name),
                                         name)
        image = self.wait_image_active(image_id)
        self.assertEqual(server_id, image['instance_uuid'])
        self.assertEqual('hot', image['ooi_save_method'])
        self.assertEqual('%s/compute/%s' % (self.occi_url, server_id),
                         image['ooi_save_compute'])
        # The compute was never stopped.
        self.assertEqual(['create', 'createImage'],
                         self.actions(server_id))
        self.wait_saved(server_id)
        # The new template is listed by the query interface at once.
        model = self.occi('GET', '/-/', headers={
            'Accept': 'application/occi+json'}).json()
        self.assertIn(image_id, [m['term'] for m in model['mixins']
                                 if m['scheme'] == OS])

    def test_default_name(self):
        server_id = self.boot(name='named-vm')
        response = self.save(server_id, 'hot')
        image_id = self.assertImageMixin(response)
        self.assertRegex(response.json()['title'],
                         r'^named-vm-\d{8}T\d{6}Z$')
        self.wait_image_active(image_id)

    def test_deferred_stops_snapshots_and_starts(self):
        server_id = self.boot()
        name = 'deferred-%s' % uuid.uuid4().hex[:8]
        image_id = self.assertImageMixin(
            self.save(server_id, 'deferred', name), name)
        self.wait_saved(server_id)
        self.assertEqual(['create', 'stop', 'createImage', 'start'],
                         self.actions(server_id))
        image = self.wait_image_active(image_id)
        self.assertEqual('deferred', image['ooi_save_method'])

    def test_deferred_on_a_stopped_compute_leaves_it_stopped(self):
        server_id = self.boot()
        self.nova('POST', '/servers/%s/action' % server_id,
                  body={'os-stop': None}, expect=202)
        self.wait_server(server_id, 'SHUTOFF')
        image_id = self.assertImageMixin(self.save(server_id, 'deferred'))
        self.wait_image_active(image_id)
        self.wait_server(server_id, 'SHUTOFF')
        self.assertEqual(['create', 'stop', 'createImage'],
                         self.actions(server_id))

    def test_save_accepted_once_active_again(self):
        for method in ('hot', 'deferred'):
            server_id = self.boot()
            self.assertImageMixin(self.save(server_id, 'deferred'))
            deadline = time.monotonic() + 60
            while True:
                server = self.server(server_id)
                if 'start' in self.actions(server_id) and server[
                        'status'] == 'ACTIVE' and not server.get(
                        'OS-EXT-STS:task_state'):
                    break
                self.assertLess(time.monotonic(), deadline, server)
                time.sleep(0.02)
            # Running again with no task: a save is accepted at once, even
            # while the first chain still removes its record.
            response = self.save(server_id, method)
            self.wait_image_active(self.assertImageMixin(response))
            self.wait_saved(server_id)

    def test_every_rendering_as_request_and_answer(self):
        server_id = self.boot()
        cases = (('text/plain', 'text/plain', 'hot'),
                 ('text/occi', 'text/occi', 'hot'),
                 ('application/occi+json', 'text/plain', 'hot'),
                 ('text/occi+plain', 'application/occi+json', 'deffered'),
                 ('text/plain', 'application/occi+json', 'deferred'))
        for body_type, accept, method in cases:
            what = '%s -> %s, %s' % (body_type, accept, method)
            name = 'r-%s' % uuid.uuid4().hex[:8]
            headers, data = save_request(body_type, method, name)
            headers['Accept'] = accept
            response = self.occi('POST', '/compute/%s?action=save'
                                 % server_id, headers=headers, data=data)
            self.assertEqual(200, response.status_code, what)
            if accept.endswith('json'):
                image_id = self.assertImageMixin(response, name)
            else:
                category = (response.text if accept == 'text/plain'
                            else 'Category: ' + response.headers['Category'])
                found = re.search(
                    r'Category: ([0-9a-f-]{36}); scheme="%s"; '
                    r'class="mixin"; title="%s"; rel="%sos_tpl"; '
                    r'location="%s/os_tpl/\1/"' % (
                        re.escape(OS), name, re.escape(INFRA),
                        re.escape(self.occi_url)), category)
                self.assertIsNotNone(found, '%s: %s' % (what, category))
                image_id = found.group(1)
                self.forget_image(image_id)
            image = self.wait_image_active(image_id)
            self.assertEqual(name, image['name'], what)
            self.assertEqual(method.replace('deffered', 'deferred'),
                             image['ooi_save_method'], what)
            self.wait_saved(server_id)
        done = ['create'] + ['createImage'] * 3 + [
            'stop', 'createImage', 'start'] * 2
        self.assertEqual(done, self.actions(server_id))
        # text/uri-list renders no template: refused before Nova is asked.
        headers, data = save_request('text/plain', 'hot')
        headers['Accept'] = 'text/uri-list'
        response = self.occi('POST', '/compute/%s?action=save' % server_id,
                             headers=headers, data=data)
        self.assertEqual(400, response.status_code, response.text)
        self.assertEqual(done, self.actions(server_id))

    def test_boot_from_the_saved_template(self):
        # A slow upload (the mini-cloud's fake driver) keeps the template
        # from being active for a few seconds.
        server_id = self.boot(metadata={UPLOAD_SECONDS_KEY: '4'})
        name = 'boot-%s' % uuid.uuid4().hex[:8]
        image_id = self.assertImageMixin(self.save(server_id, 'hot', name))
        create = {'Content-Type': 'text/plain',
                  'Accept': 'application/occi+json'}
        body = ('Category: compute; scheme="%s"; class="kind"\n'
                'Category: %s; scheme="%s"; class="mixin"\n'
                'X-OCCI-Attribute: occi.core.title="from-%s"\n'
                % (INFRA, image_id, OS, name))
        early = self.occi('POST', '/compute/', headers=create, data=body)
        self.assertEqual(409, early.status_code, early.text)
        self.assertIn('not active yet', early.json()['error']['message'])
        self.wait_image_active(image_id)
        response = self.occi('POST', '/compute/', headers=create, data=body)
        self.assertEqual(201, response.status_code, response.text)
        new_id = response.headers['Location'].rsplit('/', 1)[1]
        self.addCleanup(self.nova, 'DELETE', '/servers/%s' % new_id)
        server = self.wait_server(new_id, 'ACTIVE')
        self.assertEqual(image_id, server['image']['id'])
        compute = self.occi('GET', '/compute/%s' % new_id, headers={
            'Accept': 'application/occi+json'}).json()
        self.assertIn(OS + image_id, compute['mixins'])
        self.assertEqual('from-%s' % name, compute['title'])

    def test_other_project_can_neither_save_nor_see(self):
        server_id = self.boot()
        response = self.save(server_id, 'hot', token=self.alt_token)
        self.assertEqual(404, response.status_code, response.text)
        image_id = self.assertImageMixin(self.save(server_id, 'hot'))
        self.wait_image_active(image_id)
        status, _ = self.image(image_id, token=self.alt_token)
        self.assertEqual(404, status)
        model = self.occi('GET', '/-/', token=self.alt_token, headers={
            'Accept': 'application/occi+json'}).json()
        self.assertNotIn(image_id, [m['term'] for m in model['mixins']])

    def test_unknown_compute(self):
        response = self.save(str(uuid.uuid4()), 'deferred')
        self.assertEqual(404, response.status_code, response.text)

    def test_bad_method(self):
        server_id = self.boot()
        response = self.save(server_id, 'lukewarm')
        self.assertEqual(400, response.status_code, response.text)


class RaceTest(SaveTestBase):
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


class NodesTest(SaveTestBase):
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


class KillTest(SaveTestBase):
    """nova-api node 1 killed at each step of a deferred save, then started.

    The save is sent to node 1 directly (the first of ``OCCI_NODES``); the
    tests watch through HAProxy, which sends their native calls to node 2
    while node 1 is down.

    Nothing reads the compute through OCCI afterwards: the start-up sweep
    alone finishes the chain, snapshotting through the caller's Keystone
    trust when the snapshot was not sent. The tests observe through the
    native compute API and Glance only. Each writes what it saw and how
    long the recovery took to ``.minicloud/log/kill-tests.log``.

    They take nova-api away from every other test: tox runs them alone,
    after the others (``--concurrency 1``).
    """

    def setUp(self):
        super().setUp()
        self.state = os.environ.get('MINICLOUD_STATE_DIR', base.STATE)
        self.occi_url = self.occi_nodes[0]

    def kill_nova_api(self):
        with open(os.path.join(self.state, 'run', 'nova-api-1.pid')) as pids:
            pid = int(pids.read().split()[0])
        os.kill(pid, signal.SIGKILL)
        return pid

    def restart(self):
        # The mini-cloud's `up` starts node 1 again and waits until it
        # answers an authenticated request and HAProxy counts it up.
        subprocess.run([sys.executable, base.CLI, 'up'], check=True,
                       stdout=subprocess.DEVNULL)
        self.nova('GET', '/flavors', expect=200)

    def kill_during(self, step, reached, attempts=6, metadata=None):
        """Kill node 1 once ``reached(server, answer)``, restart it.

        The steps of the mini-cloud's fake driver take a fraction of a
        second: when the poll misses one, the scenario runs again on a new
        compute. ``reached`` may note what it saw in ``answer['seen']``;
        ``metadata`` is given to the server at boot.

        :returns: (server id, image name, what was seen when killed)
        """
        for attempt in range(attempts):
            server_id = self.boot(metadata=metadata)
            name = 'kill-%s-%s' % (step, uuid.uuid4().hex[:6])
            answer = {}

            def save():
                try:
                    answer['response'] = self.save(server_id, 'deferred',
                                                   name)
                except requests.RequestException as error:
                    answer['error'] = error
            thread = threading.Thread(target=save)
            thread.start()
            deadline = time.monotonic() + 30
            while True:
                server = self.server(server_id)
                if reached(server, answer) or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            if reached(server, answer):
                break
            thread.join(60)
            self.wait_saved(server_id)
        else:
            self.fail('never caught step %s' % step)
        record = json.loads(server['metadata'].get(RECORD_KEY) or '{}')
        seen = {'step': step, 'attempt': attempt + 1,
                'status': server['status'],
                'task': server.get('OS-EXT-STS:task_state'),
                'record_step': record.get('step'),
                'trust': server['metadata'].get(TRUST_KEY)}
        seen.update(answer.get('seen', {}))
        self.kill_nova_api()
        thread.join(60)
        seen['answer'] = (answer['response'].status_code
                          if 'response' in answer else 'connection lost')
        started = time.monotonic()
        self.restart()
        seen['restart_s'] = round(time.monotonic() - started, 2)
        seen['started'] = started
        return server_id, name, seen

    def assertCompleted(self, server_id, name, seen):
        """The chain ended as if nothing happened; no OCCI read."""
        self.wait_saved(server_id, timeout=180)
        images = self.images_named(name)
        self.assertEqual(1, len(images), images)
        self.forget_image(images[0]['id'])
        image = self.wait_image_active(images[0]['id'])
        self.assertGreater(image['size'] or 0, 0, image)
        seen['recovered_s'] = round(time.monotonic() - seen.pop('started'),
                                    2)
        server = self.server(server_id)
        self.assertNotIn(TRUST_KEY, server['metadata'])
        # The save delegated through a trust, deleted once it was over:
        # the chain deletes it right after the record, which we saw go.
        self.assertTrue(seen['trust'], seen)
        deadline = time.monotonic() + 30
        while True:
            trust = requests.get(
                '%s/OS-TRUST/trusts/%s' % (self.env['OS_AUTH_URL'],
                                           seen['trust']),
                headers={'X-Auth-Token': self.admin_token}, timeout=60)
            if trust.status_code != 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(404, trust.status_code, trust.text)
        self.assertEqual(['create', 'stop', 'createImage', 'start'],
                         self.actions(server_id))
        with open(os.path.join(self.state, 'log', 'kill-tests.log'),
                  'a') as report:
            report.write(json.dumps(seen, sort_keys=True) + '\n')

    def test_killed_while_stopping(self):
        self.assertCompleted(*self.kill_during(
            'stop', lambda s, a: s.get('OS-EXT-STS:task_state') ==
            'powering-off'))

    def test_killed_stopped_before_the_snapshot(self):
        self.assertCompleted(*self.kill_during('stopped', stopped))

    def test_killed_during_the_upload(self):
        # With the fake driver's instant upload this mostly lands on
        # image_snapshot or image_pending_upload, before any byte is sent;
        # test_killed_while_glance_is_saving kills during a real upload.
        self.assertCompleted(*self.kill_during(
            'upload', lambda s, a: (s.get('OS-EXT-STS:task_state') or
                                    '').startswith('image_')))

    def test_killed_while_starting(self):
        self.assertCompleted(*self.kill_during(
            'start', lambda s, a: s.get('OS-EXT-STS:task_state') ==
            'powering-on'))

    def test_killed_while_glance_is_saving(self):
        # The fake driver's uploads are over in milliseconds; this server
        # asks it for a slow one, so that nova-api dies while Nova says
        # image_uploading and Glance says saving, and comes back before the
        # upload is over.
        def uploading(server, answer):
            if (server.get('OS-EXT-STS:task_state') != 'image_uploading' or
                    'response' not in answer or
                    answer['response'].status_code != 200):
                return False
            image_id = answer['response'].json()['term']
            status, image = self.image(image_id)
            answer['seen'] = {'image': image_id,
                              'glance': image and image['status']}
            return status == 200 and image['status'] == 'saving'

        server_id, name, seen = self.kill_during(
            'saving', uploading, metadata={UPLOAD_SECONDS_KEY: '15'})
        self.assertEqual(200, seen['answer'], seen)
        # nova-compute and Glance go on uploading while nova-api is down.
        # Whether the upload is still running once nova-api is back depends
        # on how fast it started (about 3 s of the 15 on an idle machine):
        # noted for the report, not asserted.
        seen['glance_after_restart'] = self.image(seen['image'])[1]['status']
        self.assertCompleted(server_id, name, seen)

    def test_driving_node_killed_for_good(self):
        # The node driving the chain dies during the upload and stays
        # dead: another node's periodic sweep takes the chain over once its
        # lease has run out, and finishes it through the trust, with no
        # client action.
        nodes = self.nodes(2)
        pid_file = os.path.join(self.state, 'run', 'nova-api-2.pid')
        server_id = self.boot(metadata={UPLOAD_SECONDS_KEY: '15'})
        name = 'kill-node-%s' % uuid.uuid4().hex[:6]
        answer = self.save(server_id, 'deferred', name, url=nodes[1])
        self.assertEqual(200, answer.status_code, answer.text)
        self.forget_image(answer.json()['term'])
        deadline = time.monotonic() + 30
        while True:
            server = self.server(server_id)
            if server.get('OS-EXT-STS:task_state') == 'image_uploading':
                break
            self.assertLess(time.monotonic(), deadline, server)
            time.sleep(0.05)
        leases = [int(tag.rsplit('-', 1)[1]) for tag in server['tags']
                  if tag.startswith('ooi-save-lease-')]
        record = json.loads(server['metadata'][RECORD_KEY])
        with open(pid_file) as pids:
            pid = int(pids.read().split()[0])
        os.kill(pid, signal.SIGKILL)
        killed = time.time()
        # Restored afterwards, whatever happens.
        self.addCleanup(subprocess.run, [sys.executable, base.CLI, 'up'],
                        check=False, stdout=subprocess.DEVNULL)
        lease_end = max(leases + [record['at'] + 60])
        seen = {'step': 'node killed for good', 'task': 'image_uploading',
                'record_step': record.get('step'),
                'trust': server['metadata'].get(TRUST_KEY),
                'lease_left_s': round(lease_end - killed, 1),
                'started': time.monotonic()}
        self.wait_saved(server_id, timeout=200)
        done = time.time()
        seen['after_lease_s'] = round(done - lease_end, 1)
        seen['after_kill_s'] = round(done - killed, 1)
        self.assertLessEqual(done - lease_end, 60, seen)
        self.assertCompleted(server_id, name, seen)
