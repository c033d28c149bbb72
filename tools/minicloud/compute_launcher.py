"""Run nova-compute with the mini-cloud's out-of-tree fake driver.

    python compute_launcher.py --config-file nova-compute.conf

Nova imports compute drivers from ``nova.virt.<compute_driver>`` only, so this
registers tools/minicloud/fake_virt.py as ``nova.virt.minicloud_fake`` and
then runs nova's own nova-compute entry point.

With MINICLOUD_WAIT_CONDUCTOR=<amqp url> set, it first waits (after its slow
imports) until something consumes from the ``conductor`` queue: a
nova-compute that starts before the conductor loses about a minute in RPC
retries.
"""
import os
import sys
import time

import nova.cmd.compute  # first: it sets up nova's concurrency backend

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_virt  # noqa: E402

import nova.virt  # noqa: E402

sys.modules["nova.virt.minicloud_fake"] = fake_virt
nova.virt.minicloud_fake = fake_virt


def wait_for_conductor(amqp_url, timeout=300):
    import kombu
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with kombu.Connection(amqp_url, connect_timeout=2) as c:
                _, _, consumers = c.channel().queue_declare(
                    queue="conductor", passive=True)
                if consumers:
                    return
        except Exception:  # noqa: BLE001 - not there yet
            pass
        time.sleep(0.3)
    print("minicloud: no nova-conductor after %ds; starting anyway" %
          timeout, flush=True)


if __name__ == "__main__":
    if os.environ.get("MINICLOUD_WAIT_CONDUCTOR"):
        wait_for_conductor(os.environ["MINICLOUD_WAIT_CONDUCTOR"])
    sys.argv[0] = "nova-compute"
    sys.exit(nova.cmd.compute.main())
