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

"""Rendering cost of the OCCI layer, per item and per rendering.

Renders, in every rendering:

* the query interface with N provider os_tpl mixins (N = 1,000, 2,000,
  5,000, 10,000), each with the eight image attributes the Glance backend
  gives, to show that the cost is linear;
* a collection of N computes (N = 250, 500, 1,000) shaped like the Nova
  backend's, as ``entities()`` (X-OCCI-Location listings in text, full
  resources in JSON) and as one ``entity()`` each.

"fresh" renders new objects, as a request does (the template mixins are
built per request); "cached" renders the same objects again, which reuses
the per-category cache. Times are the best of several runs.

Run: ``python benchmarks/occi_rendering.py [--repeat N]``.
"""

import argparse
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from ooi_save.occi import categories  # noqa: E402
from ooi_save.occi import entities  # noqa: E402
from ooi_save.occi import exceptions  # noqa: E402
from ooi_save.occi import infrastructure as infra  # noqa: E402
from ooi_save.occi import parsing  # noqa: E402
from ooi_save.occi import rendering  # noqa: E402

ROOT = 'https://cloud.example.com:8787/occi1.2'
OS_SCHEME = 'https://cloud.example.com/occi/infrastructure/os_tpl#'
RESOURCE_SCHEME = 'https://cloud.example.com/occi/infrastructure/' \
                  'resource_tpl#'
TYPES = ('text/plain', 'text/occi', 'application/occi+json',
         'text/uri-list')


def image_mixin(number):
    image_id = '6f1c%04x-9a1b-4c2d-8e3f-%012d' % (number % 65536, number)
    attributes = (
        categories.Attribute('org.openstack.image.status', default='active'),
        categories.Attribute('org.openstack.image.name',
                             default='Ubuntu 22.04 build %d' % number),
        categories.Attribute('org.openstack.image.visibility',
                             default='public'),
        categories.Attribute('org.openstack.image.min_disk', type='number',
                             default=10),
        categories.Attribute('org.openstack.image.min_ram', type='number',
                             default=512),
        categories.Attribute('org.openstack.image.size', type='number',
                             default=2361393152),
        categories.Attribute('org.openstack.image.created_at',
                             default='2024-05-01T10:00:00Z'),
        categories.Attribute('org.openstack.image.instance_uuid',
                             default='0b7e1a7c-1111-4222-8333-%012d' % number),
    )
    return infra.os_tpl_mixin(OS_SCHEME, image_id,
                              'Ubuntu 22.04 build %d' % number,
                              '%s/os_tpl/%s/' % (ROOT, image_id),
                              attributes=attributes)


def compute(number):
    server_id = '3d2a%04x-0c1b-4a5e-9f00-%012d' % (number % 65536, number)
    image = infra.os_tpl_mixin(OS_SCHEME, 'image-%d' % (number % 7), None,
                               '%s/os_tpl/image-%d/' % (ROOT, number % 7))
    flavor = infra.resource_tpl_mixin(RESOURCE_SCHEME, 'm1.small', 'm1.small',
                                      ROOT + '/resource_tpl/m1.small/')
    return entities.Resource(
        infra.COMPUTE, server_id, title='vm-%d' % number,
        summary='Benchmark compute %d' % number, mixins=[image, flavor],
        attributes={
            'occi.compute.state': 'active',
            'occi.compute.state.message': 'ACTIVE',
            'org.openstack.compute.status': 'ACTIVE',
            'occi.compute.cores': 2,
            'occi.compute.memory': 4.0,
            'occi.compute.hostname': 'vm-%d' % number,
            'occi.compute.architecture': 'x64',
            'org.openstack.compute.key_name': 'mykey',
        },
        location='%s/compute/%s' % (ROOT, server_id),
        actions=[infra.COMPUTE_STOP, infra.COMPUTE_RESTART,
                 infra.COMPUTE_SUSPEND, infra.COMPUTE_SAVE])


def best(function, make, repeat):
    """Best time of ``function(make())``, ``make()`` not timed."""
    times = []
    for _ in range(repeat):
        argument = make()
        # Garbage of the previous run is not this run's cost.
        gc.collect()
        start = time.perf_counter()
        result = function(argument)
        times.append(time.perf_counter() - start)
    return min(times), result


def size_of(rendered):
    return len(rendered.body) + sum(len(n) + len(v) + 4
                                    for n, v in rendered.headers)


def bench_query_interface(repeat):
    print('Query interface: N os_tpl mixins (+ %d standard categories)'
          % (len(infra.KINDS) + len(infra.MIXINS) + len(infra.ACTIONS)))
    print('%-22s %7s %9s %9s %12s %12s %10s %7s'
          % ('rendering', 'N', 'fresh ms', 'cached ms', 'us/cat fresh',
             'lines/s fresh', 'bytes', 'headers'))
    for media_type in TYPES:
        renderer = rendering.renderer_for(media_type)
        for count in (1000, 2000, 5000, 10000):
            def make():
                return infra.model(ROOT, mixins=[image_mixin(n)
                                                 for n in range(count)])
            try:
                fresh, rendered = best(renderer.categories, make, repeat)
            except exceptions.NotListing:
                print('%-22s %7d  not a listing: 400 (NotListing)'
                      % (media_type, count))
                break
            collection = make()
            renderer.categories(collection)
            cached, _ = best(renderer.categories, lambda: collection,
                             repeat)
            lines = len(collection)
            print('%-22s %7d %9.1f %9.1f %12.2f %12.0f %10d %7d'
                  % (media_type, count, fresh * 1e3, cached * 1e3,
                     fresh / lines * 1e6, lines / fresh,
                     size_of(rendered), len(rendered.headers)))
    build, _ = best(lambda _: [image_mixin(n) for n in range(10000)],
                    lambda: None, repeat)
    print('(building the 10,000 mixins themselves: %.1f ms, %.2f us each)'
          % (build * 1e3, build / 10000 * 1e6))
    print()


def bench_collection(repeat):
    print('Collection of N computes')
    print('%-22s %7s %14s %9s %11s %14s %9s'
          % ('rendering', 'N', 'entities() ms', 'us/item', 'bytes',
             'N x entity() ms', 'us/item'))
    for media_type in TYPES:
        renderer = rendering.renderer_for(media_type)
        for count in (250, 500, 1000):
            def make():
                return [compute(n) for n in range(count)]
            listing, rendered = best(renderer.entities, make, repeat)
            try:
                single, _ = best(
                    lambda items: [renderer.entity(i) for i in items],
                    make, repeat)
                single_text = '%14.1f %9.2f' % (single * 1e3,
                                                single / count * 1e6)
            except exceptions.NotListing:
                single_text = '%14s' % 'NotListing'
            print('%-22s %7d %14.1f %9.2f %11d %s'
                  % (media_type, count, listing * 1e3,
                     listing / count * 1e6, size_of(rendered), single_text))
    print()


def bench_parsing(repeat):
    print('Parsing the 10,000-mixin query interface back')
    collection = infra.model(ROOT, mixins=[image_mixin(n)
                                           for n in range(10000)])
    for media_type in ('text/plain', 'text/occi', 'application/occi+json'):
        rendered = rendering.renderer_for(media_type).categories(collection)
        parser = parsing.parser_for(media_type)
        took, parsed = best(
            lambda r: parser.categories(r.headers, r.body),
            lambda: rendered, repeat)
        print('%-22s %d categories in %.1f ms (%.2f us each)'
              % (media_type, len(parsed), took * 1e3,
                 took / len(parsed) * 1e6))
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=5,
                        help='runs per measure; the best one counts')
    args = parser.parse_args()
    print('Python %s' % sys.version.split()[0])
    print()
    bench_query_interface(args.repeat)
    bench_collection(args.repeat)
    bench_parsing(args.repeat)


if __name__ == '__main__':
    main()
