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

"""What the deployed OCCI clients put on the wire, through the filter.

``Content-Type`` lists (IM's OCCI connector and the EGI command-line client
send ``text/plain,text/occi``), and line ends: answers in text/plain end
their lines with a bare LF and have no final line break (IM splits on LF
and reads a new entity's location from the last line); request bodies may
end lines with CRLF, LF, LF CR (a compliance client) or a lone CR.
"""

from tests.unit import client
from tests.unit.compute import base as compute_base
from tests.unit.compute.base import CREATE_PLAIN

#: The line ends a request body may use, by name.
LINE_ENDS = {'CRLF': '\r\n', 'LF': '\n', 'LF CR': '\n\r', 'CR': '\r'}


class ContentTypeListTest(compute_base.ComputeTestCase):

    def create(self, content_type, body=CREATE_PLAIN):
        return self.call('/compute/', 'POST', 'text/plain', body.encode(),
                         {'Content-Type': content_type})

    def test_the_first_type_read_of_a_list_is_taken(self):
        for content_type in ('text/plain,text/occi',
                             'text/plain, text/occi',
                             ' text/plain ;charset=utf-8 , text/occi',
                             'text/plain; charset="utf-8,x", text/occi',
                             'Text/Plain,Text/OCCI',
                             'application/x-unknown, text/plain',
                             'text/html;q=1,text/plain,text/occi'):
            response = self.create(content_type)
            self.assertEqual(201, response.status_int,
                             '%s: %s' % (content_type, response.text))
            self.assertEqual('my "vm"', self.nova.created[-1]['name'],
                             content_type)

    def test_the_first_known_type_decides_how_the_body_is_read(self):
        # text/occi first: the rendering is read from the headers, and
        # this request carries it in the body only, which text/occi reads
        # when the headers hold none.
        headers, _ = compute_base.create_request('text/occi')
        headers['Content-Type'] = 'text/occi,text/plain'
        response = self.call('/compute/', 'POST', 'text/plain', b'',
                             headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('myhost', self.nova.created[-1]['hostname'])

    def test_a_list_naming_text_occi_reads_headers_without_a_body(self):
        headers, _ = compute_base.create_request('text/occi')
        headers['Content-Type'] = 'text/plain,text/occi'
        response = self.call('/compute/', 'POST', 'text/plain', b'',
                             headers)
        self.assertEqual(201, response.status_int, response.text)
        self.assertEqual('myhost', self.nova.created[-1]['hostname'])

    def test_a_list_of_unknown_types_is_415(self):
        for content_type in ('application/xml, text/html',
                             'application/xml,', ',', 'text/html; a="b,c"'):
            response = self.create(content_type)
            self.assertEqual(415, response.status_int, content_type)
            self.assertEqual('text/plain', response.content_type)
            self.assertIn('text/plain', response.text)
        self.assertEqual([], self.nova.created)


class LineEndTest(compute_base.ComputeTestCase):

    def test_text_plain_answers_end_lines_with_lf_and_no_final_break(self):
        created = self.call('/compute/', 'POST', 'text/plain',
                            CREATE_PLAIN.encode(),
                            {'Content-Type': 'text/plain,text/occi'})
        self.assertEqual(201, created.status_int, created.text)
        # IM takes the id from the last line, final line break included.
        last = created.body.split(b'\n')[-1].decode()
        self.assertEqual('X-OCCI-Location: ' + created.headers['Location'],
                         last)
        location = created.headers['Location'][len(client.ROOT):]
        for path in ('/-/', '/compute/', location, '/nothing'):
            for accept in ('text/plain', 'text/occi+plain'):
                response = self.call(path, accept=accept)
                self.assertTrue(response.body, path)
                self.assertNotIn(b'\r', response.body, path)
                self.assertFalse(response.body.endswith(b'\n'), path)
                # Values read up to the end of the line are whole.
                for line in response.body.split(b'\n'):
                    self.assertTrue(line.strip(), (path, line))
                    self.assertEqual(line, line.strip(), (path, line))

    def test_uri_list_answers_end_lines_with_crlf(self):
        ids = [self.nova.add_server(name='s%d' % i)['id'] for i in range(2)]
        response = self.call('/compute/', accept='text/uri-list')
        self.assertEqual(200, response.status_int)
        # RFC 2483: every line ends with CRLF.
        self.assertEqual(
            sorted(client.ROOT + '/compute/' + i + '\r\n' for i in ids),
            sorted(response.text.splitlines(True)))

    def test_request_bodies_in_every_line_end(self):
        for name, end in LINE_ENDS.items():
            for body_type in ('text/plain', 'text/occi+plain'):
                body = CREATE_PLAIN.replace('\n', end)
                # With and without a final line end, and a blank line.
                for variant in (body, body[:-len(end)], end + body + end):
                    response = self.call('/compute/', 'POST', 'text/plain',
                                         variant.encode(),
                                         {'Content-Type': body_type})
                    what = '%s %s: %s' % (name, body_type, response.text)
                    self.assertEqual(201, response.status_int, what)
                    created = self.nova.created[-1]
                    self.assertEqual('my "vm"', created['name'], what)
                    self.assertEqual('myhost', created['hostname'], what)
                    self.assertEqual('2', created['flavorRef'], what)

    def test_folded_lines_in_every_line_end(self):
        for name, end in LINE_ENDS.items():
            body = ('Category: compute;' + end +
                    ' scheme="http://schemas.ogf.org/occi/infrastructure#";'
                    + end + '\tclass="kind"' + end +
                    CREATE_PLAIN.split('\n', 1)[1].replace('\n', end))
            response = self.call('/compute/', 'POST', 'text/plain',
                                 body.encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertEqual(201, response.status_int,
                             '%s: %s' % (name, response.text))

    def test_a_broken_line_is_still_a_clear_400(self):
        for name, end in LINE_ENDS.items():
            body = CREATE_PLAIN.replace('\n', end) + 'not a field' + end
            response = self.call('/compute/', 'POST', 'text/plain',
                                 body.encode(),
                                 {'Content-Type': 'text/plain'})
            self.assertEqual(400, response.status_int, name)
            self.assertIn('not a field', response.text, name)
