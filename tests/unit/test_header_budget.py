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

"""text/occi within the proxy's header buffer, through the filter.

Each answer kind is asked for through a filter with no practical budget,
its header block measured as it would go on the wire, then asked again
through filters whose budget is exactly that size and one byte less: at the
limit the answer is whole; past it a GET is refused with a 406 that says
how to get the answer (or served in another rendering the client accepts),
and a request that changed something keeps its success without the
rendering. Never a cut set of headers.
"""

import re
import urllib.parse

from tests.unit import base
from tests.unit import client
from tests.unit.fakes import glance as fake_glance
from tests.unit.save import base as save_base

INFRA = 'http://schemas.ogf.org/occi/infrastructure#'
ACTION = 'http://schemas.ogf.org/occi/infrastructure/compute/action#'
OS = 'http://schemas.openstack.org/template/os#'
ROOT = client.ROOT
WIDE = 10 ** 7
NO_RESUME = {'resume_saves_at_startup': 'false'}
RENDERING = ('Category', 'Link', 'X-OCCI-Attribute', 'X-OCCI-Location')


def wire_size(response):
    """The bytes of the answer's header block, as a proxy counts them."""
    lines = ['HTTP/1.1 ' + response.status] + [
        '%s: %s' % (name, value) for name, value in response.headerlist]
    return len(('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1'))


def rendering_headers(response):
    return [name for name, _ in response.headerlist if name in RENDERING]


def categories(response):
    """The type ids of the categories a query interface answer lists."""
    if response.content_type.endswith('json'):
        return {c['scheme'] + c['term'] for key in
                ('kinds', 'mixins', 'actions') for c in response.json[key]}
    if response.content_type == 'text/occi':
        text = '\n'.join(response.headers.getall('Category'))
    else:
        text = response.text
    return {scheme + term for term, scheme in re.findall(
        r'(?:^|, |Category: )([\w.-]+); scheme="([^"]+)"', text, re.M)}


def locations(response):
    """The locations a listing answer gives, in any rendering."""
    if response.content_type.endswith('json'):
        return {ROOT + '/compute/' + r['id']
                for r in response.json.get('resources', [])}
    if response.content_type == 'text/occi':
        return {value.strip() for header in
                response.headers.getall('X-OCCI-Location')
                for value in header.split(',')}
    return {line.split(':', 1)[-1].strip() if line.startswith('X-OCCI')
            else line.strip() for line in response.text.splitlines()
            if line.strip()}


def budgeted(nova, budget, reserve=0, **overrides):
    """A filter over a fake Nova with that header budget and reserve.

    A budget below the smallest the option takes (1024) is made of that
    one and a reserve.
    """
    if budget < 1024:
        budget, reserve = 1024, reserve + 1024 - budget
    options = dict(overrides, header_budget=str(budget),
                   header_reserve=str(reserve))
    return base.build(options, nova=nova)[0]


class BudgetTestCase(base.FilterTestCase):
    """The fake networked cloud, and filters of any budget over it."""

    accept = 'text/occi'

    def setUp(self):
        super().setUp()
        self.cloud = self.useFixture(base.NetworkedCloud())
        self.context = self.cloud.demo
        self.occi = self.with_budget(WIDE)

    def with_budget(self, budget, reserve=0):
        """Another filter over the same cloud, with that header budget."""
        return budgeted(self.cloud.nova, budget, reserve,
                        **self.cloud.overrides)

    def through(self, occi, *args, **kwargs):
        """One call through another filter."""
        kept = self.occi
        self.occi = occi
        try:
            return self.call(*args, **kwargs)
        finally:
            self.occi = kept

    def limits(self, *args, **kwargs):
        """The answer without budget, then through filters at its size.

        :returns: (the answer with no budget, the answer at exactly its
            size, the answer one byte below)
        """
        whole = self.call(*args, **kwargs)
        size = wire_size(whole)
        at = self.through(self.with_budget(size), *args, **kwargs)
        below = self.through(self.with_budget(size - 1), *args, **kwargs)
        return whole, at, below

    def assertRefused(self, response, *advice):
        """A 406 in text/occi, within the budget, telling what to do."""
        self.assertEqual(406, response.status_int, response.text)
        self.assertEqual('text/occi', response.content_type)
        self.assertEqual([], rendering_headers(response))
        self.assertIn('text/plain', response.text)
        self.assertIn('application/occi+json', response.text)
        for words in advice:
            self.assertIn(words, response.text)


class QueryInterfaceTest(BudgetTestCase):

    def test_whole_at_the_limit_refused_past_it(self):
        whole, at, below = self.limits('/-/')
        self.assertEqual(200, whole.status_int)
        listed = categories(self.call('/-/', accept='text/plain'))
        self.assertEqual(listed, categories(whole))
        self.assertEqual((200, listed), (at.status_int, categories(at)))
        self.assertEqual(whole.headerlist, at.headerlist)
        self.assertRefused(below, '?category=')
        self.assertLessEqual(wire_size(below), wire_size(whole) - 1)

    def test_the_reserve_is_kept_for_the_pipeline(self):
        size = wire_size(self.call('/-/'))
        fits = self.through(self.with_budget(size + 512, reserve=512), '/-/')
        self.assertEqual(200, fits.status_int)
        refused = self.through(self.with_budget(size + 511, reserve=512),
                               '/-/')
        self.assertEqual(406, refused.status_int)

    def test_head_is_refused_as_get(self):
        size = wire_size(self.call('/-/'))
        response = self.through(self.with_budget(size - 1), '/-/', 'HEAD')
        self.assertEqual(406, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual([], rendering_headers(response))

    def test_another_accepted_rendering_answers_in_full(self):
        listed = categories(self.call('/-/', accept='text/plain'))
        tight = self.with_budget(wire_size(self.call('/-/')) - 1)
        for accept, answered in [
                ('text/occi, application/occi+json;q=0.5',
                 'application/occi+json'),
                ('text/occi, text/plain;q=0.1', 'text/plain'),
                ('text/occi;q=0.9, text/occi+plain;q=0.8', 'text/occi+plain')]:
            response = self.through(tight, '/-/', accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual(answered, response.content_type, accept)
            self.assertEqual(listed, categories(response), accept)
        # A list of locations cannot render the query interface.
        self.assertRefused(self.through(
            tight, '/-/', accept='text/occi, text/uri-list'))

    def test_default_budget_refuses_the_whole_and_serves_a_filter(self):
        occi = self.with_budget(4096, 512)
        response = self.through(occi, '/-/')
        self.assertRefused(response, '?category=', '3584 this server sends')
        self.assertLessEqual(wire_size(response), 3584)
        for type_id in (INFRA + 'compute', INFRA + 'os_tpl',
                        OS + fake_glance.IMAGES[0]['id']):
            path = '/-/?category=' + urllib.parse.quote(type_id, safe='')
            filtered = self.through(occi, path)
            self.assertEqual(200, filtered.status_int, type_id)
            self.assertIn(type_id, categories(filtered))
            self.assertLessEqual(wire_size(filtered), 3584)

    def test_default_options(self):
        conf, filter_conf = base.make_conf()
        self.assertEqual((4096, 512), (filter_conf.header_budget,
                                       filter_conf.header_reserve))


class CollectionTest(BudgetTestCase):

    def setUp(self):
        super().setUp()
        self.servers = {ROOT + '/compute/' + self.cloud.boot(
            name='vm%d' % number)['id'] for number in range(60)}

    def test_whole_at_the_limit_refused_past_it_with_a_page_size(self):
        whole, at, below = self.limits('/compute/')
        self.assertEqual(self.servers, locations(whole))
        self.assertEqual((200, self.servers),
                         (at.status_int, locations(at)))
        self.assertRefused(below, '?page=1&number=')
        number = int(re.search(r'number=(\d+)', below.text).group(1))
        self.assertLess(number, 60)
        self.assertGreater(number, 50)
        # Every page of that size fits the same budget; together they
        # list every compute.
        tight = self.with_budget(wire_size(whole) - 1)
        seen = set()
        for page in range(1, 3):
            response = self.through(tight, '/compute/?page=%d&number=%d'
                                    % (page, number))
            self.assertEqual(200, response.status_int, response.text)
            seen |= locations(response)
        self.assertEqual(self.servers, seen)

    def test_a_page_size_for_the_default_budget(self):
        occi = self.with_budget(4096, 512)
        refused = self.through(occi, '/compute/')
        self.assertRefused(refused, '?page=1&number=')
        number = int(re.search(r'number=(\d+)', refused.text).group(1))
        page = self.through(occi, '/compute/?page=1&number=%d' % number)
        self.assertEqual((200, number),
                         (page.status_int, len(locations(page))))
        self.assertLessEqual(wire_size(page), 3584)

    def test_a_listing_falls_back_to_a_list_of_locations(self):
        tight = self.with_budget(wire_size(self.call('/compute/')) - 1)
        for accept in ('text/occi, text/uri-list;q=0.5',
                       'text/occi, application/json;q=0.1'):
            response = self.through(tight, '/compute/', accept=accept)
            self.assertEqual(200, response.status_int, accept)
            self.assertEqual(accept.split(', ')[1].split(';')[0],
                             response.content_type)
            self.assertEqual(self.servers, locations(response), accept)


class EntityTest(BudgetTestCase):

    def setUp(self):
        super().setUp()
        networks = [self.cloud.private] + [
            self.cloud.neutron.add_network(
                'demo-project', 'net%d' % number, '10.%d.0.0/24'
                % (number + 10)) for number in range(8)]
        self.server = self.cloud.boot(networks=networks)
        self.path = '/compute/' + self.server['id']

    def test_many_links_at_the_limit_refused_past_it(self):
        whole, at, below = self.limits(self.path)
        links = ','.join(whole.headers.getall('Link'))
        self.assertEqual(9, links.count('networkinterface#'))
        self.assertGreater(wire_size(whole), 3584)
        self.assertEqual(whole.headerlist, at.headerlist)
        self.assertRefused(below)
        self.assertNotIn('page=', below.text)
        self.assertNotIn('?category=', below.text)

    def test_an_action_keeps_its_200_without_the_rendering(self):
        path = self.path + '?action=restart'
        body = 'Category: restart; scheme="%s"; class="action"\n' % ACTION
        headers = {'Content-Type': 'text/plain'}
        whole, at, below = self.limits(path, 'POST', body=body,
                                       headers=headers)
        self.assertEqual(200, whole.status_int, whole.text)
        self.assertIn('X-OCCI-Attribute', whole.headers)
        self.assertEqual((200, whole.headers.getall('Category')),
                         (at.status_int, at.headers.getall('Category')))
        self.assertEqual(200, below.status_int, below.text)
        self.assertEqual(([], b'OK'), (rendering_headers(below), below.body))
        self.assertNotIn('Location', below.headers)
        # The action was done every time.
        actions = [path for method, path, _, _ in self.cloud.nova.calls
                   if method == 'POST' and path.endswith('/action')]
        self.assertEqual(3, len(actions))

    def test_an_update_answers_201_with_its_location(self):
        headers, body = client.entity_request(
            'text/plain', INFRA + 'compute',
            attributes={'occi.core.title': 'renamed'})
        whole, at, below = self.limits(self.path, 'POST', body=body,
                                       headers=headers)
        self.assertEqual(200, whole.status_int, whole.text)
        self.assertEqual((200, whole.headers.getall('X-OCCI-Attribute')),
                         (at.status_int, at.headers.getall(
                             'X-OCCI-Attribute')))
        self.assertEqual(201, below.status_int, below.text)
        self.assertEqual(ROOT + self.path, below.headers['Location'])
        self.assertEqual(([], b'OK'), (rendering_headers(below), below.body))
        self.assertEqual('renamed', self.cloud.nova.servers[
            self.server['id']]['name'])

    def test_a_link_create_keeps_its_201_and_location(self):
        network = self.cloud.neutron.add_network('demo-project', 'more',
                                                 '10.99.0.0/24')
        headers, body = client.entity_request(
            'text/plain', INFRA + 'networkinterface',
            ['http://schemas.ogf.org/occi/infrastructure/networkinterface#'
             'ipnetworkinterface'],
            {'occi.core.source': ROOT + self.path,
             'occi.core.target': ROOT + '/network/' + network['id']})
        created = self.call('/networkinterface/', 'POST', body=body,
                            headers=headers)
        self.assertEqual(201, created.status_int, created.text)
        self.assertIn('X-OCCI-Attribute', created.headers)
        size = wire_size(created)
        # Another address may be a digit longer: a margin of ten bytes.
        tight = self.with_budget(size - 10)
        again = self.through(tight, '/networkinterface/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(201, again.status_int, again.text)
        self.assertTrue(again.headers['Location'].startswith(
            ROOT + '/networkinterface/'))
        self.assertEqual(([], b'OK'), (rendering_headers(again), again.body))
        roomy = self.through(self.with_budget(size + 10),
                             '/networkinterface/', 'POST', body=body,
                             headers=headers)
        self.assertEqual(201, roomy.status_int, roomy.text)
        self.assertIn('X-OCCI-Attribute', roomy.headers)


class ErrorTest(BudgetTestCase):

    def test_errors_keep_their_message_at_the_smallest_budget(self):
        smallest = self.with_budget(1024)
        cases = [('/compute/nothing-here', 'GET', 404),
                 ('/-/', 'PATCH', 405),
                 ('/compute/?page=1&number=99999', 'GET', 413)]
        for path, method, status in cases:
            whole = self.call(path, method)
            response = self.through(smallest, path, method)
            self.assertEqual(status, response.status_int, path)
            self.assertEqual('text/occi', response.content_type)
            self.assertEqual(whole.body, response.body)
            self.assertTrue(response.text.strip())
            self.assertLessEqual(wire_size(response), 1024)

    def test_a_budget_from_api_paste_ini(self):
        occi, _ = base.build(dict(self.cloud.overrides, header_budget='2048',
                                  header_reserve='48'), nova=self.cloud.nova)
        self.assertEqual(2000, occi.budget.limit)


class SaveAnswerTest(save_base.SaveTestCase):
    """The new OS template, rendered by the answer to save."""

    def setUp(self):
        super().setUp()
        self.wide = budgeted(self.nova, WIDE, **NO_RESUME)

    def save_through(self, occi):
        server_id = self.nova.add_server()
        headers = {
            'Content-Type': 'text/occi', 'Accept': 'text/occi',
            'Category': 'save; scheme="%s"; class="action"' % ACTION,
            'X-OCCI-Attribute': 'method="hot", name="same name"'}
        response = client.call(occi, '/compute/%s?action=save' % server_id,
                               'POST', None, None, headers)
        self.finish()
        return response

    def test_at_the_limit_and_past_it(self):
        whole = self.save_through(self.wide)
        self.assertEqual(200, whole.status_int, whole.text)
        self.assertIn('os_tpl', whole.headers['Category'])
        size = wire_size(whole)
        at = self.save_through(budgeted(self.nova, size, **NO_RESUME))
        self.assertEqual(200, at.status_int, at.text)
        self.assertIn('os_tpl', at.headers['Category'])
        below = self.save_through(budgeted(self.nova, size - 1,
                                           **NO_RESUME))
        self.assertEqual(200, below.status_int, below.text)
        self.assertEqual(([], b'OK'), (rendering_headers(below), below.body))
        self.assertEqual(3, len([i for i in self.nova.images.values()
                                 if i['name'] == 'same name']))
