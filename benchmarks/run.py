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

"""Every benchmark at a site's size, in one run: ``tox -e bench``.

Not a test. With the mini-cloud up (``tox -e minicloud``), it seeds the
site-sized project of :mod:`benchmarks.site` (150 images, 100 computes;
kept for the next run), then runs, as the project's member:

* ``occi_rendering.py`` (rendering alone, no cloud);
* ``nova_ratios.py``: every read of the table, OCCI against the native
  calls giving the same information, alternated, ratio of medians and
  the backend calls the filter reports;
* ``save_latency.py``: hot saves, and deferred saves all done against
  the same Nova steps run natively;
* ``load_mix.py``: 8 clients through HAProxy, p50 and p99 per operation,
  throughput and errors; then again with the native mix on both sides,
  whose ratios tell how far the load alone moves them;
* ``client.py``: the ``occi`` command's ``compute list`` and ``compute
  show`` against the same curl requests.

The machine's load average is printed before and after each part: on a
shared machine, read the ratios, not the milliseconds. Arguments after
``--`` go to nothing but this script::

    tox -e bench -- --rounds 31 --seconds 120
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    return 'load average %s' % ' '.join('%.2f' % v for v in os.getloadavg())


def part(title, argv, env):
    print('\n== %s (%s)' % (title, load()), flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable] + argv, env=env)
    print('== %s: exit %d, %.0f s (%s)' % (
        title, code, time.monotonic() - started, load()), flush=True)
    return code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=21,
                        help='alternated rounds of each read')
    parser.add_argument('--saves', type=int, default=7,
                        help='deferred saves (hot: 10)')
    parser.add_argument('--clients', type=int, default=8)
    parser.add_argument('--seconds', type=float, default=120,
                        help='load time of both sides together')
    parser.add_argument('--images', type=int, default=150)
    parser.add_argument('--computes', type=int, default=100)
    args = parser.parse_args()
    env = dict(os.environ)
    root = os.path.dirname(HERE)
    env['PYTHONPATH'] = os.pathsep.join(
        [root] + [p for p in [env.get('PYTHONPATH')] if p])
    print('== seeding the site-sized project (%s)' % load(), flush=True)
    here = subprocess.check_output(
        [sys.executable, os.path.join(HERE, 'site.py'),
         '--images', str(args.images), '--computes', str(args.computes)],
        env=env, text=True).strip().splitlines()[-1]
    site = dict(env, MINICLOUD_STATE_DIR=here)
    codes = [
        part('rendering alone', [os.path.join(HERE, 'occi_rendering.py')],
             env),
        part('reads: OCCI against native, site-sized',
             [os.path.join(HERE, 'nova_ratios.py'), '--rounds',
              str(args.rounds)], site),
        part('saves', [os.path.join(HERE, 'save_latency.py'),
                       '--deferred', str(args.saves)], site),
        part('mixed load through HAProxy, site-sized',
             [os.path.join(HERE, 'load_mix.py'), '--clients',
              str(args.clients), '--seconds', str(args.seconds)], site),
        part('the same load, native on both sides (its own variation)',
             [os.path.join(HERE, 'load_mix.py'), '--clients',
              str(args.clients), '--seconds', str(args.seconds),
              '--calibrate'], site),
        part('the occi command against curl',
             [os.path.join(HERE, 'client.py')], site),
    ]
    return max(codes)


if __name__ == '__main__':
    sys.exit(main())
