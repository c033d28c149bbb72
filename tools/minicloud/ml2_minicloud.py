"""An ML2 mechanism driver that binds every port, for a Neutron with no agents.

The mini-cloud's Neutron runs no L2 agent, and nothing Neutron ships binds a
port without one; nova-compute's fake driver needs a bound port to boot a
server on a network. This driver binds the first segment it is offered as
vif type ``ovs`` and sets the port ACTIVE, which is all Nova reads.

Neutron loads mechanism drivers by name from the
``neutron.ml2.mechanism_drivers`` entry point group only. serve.py registers
this one as ``minicloud`` before loading Neutron (see ``register``): it
writes a one-file distribution (``minicloud_ml2-1.dist-info`` with an
``entry_points.txt``) into a directory of the state dir and puts that
directory and tools/minicloud on ``sys.path``. Nothing is installed into
the virtualenv, so a clean clone works as it is.
"""

import os
import sys

DIST = "minicloud_ml2-1.dist-info"
ENTRY_POINTS = """[neutron.ml2.mechanism_drivers]
minicloud = ml2_minicloud:MiniCloudMechanismDriver
"""


def register(site_dir):
    """Make the driver loadable by name (``minicloud``) in this process."""
    info = os.path.join(site_dir, DIST)
    os.makedirs(info, exist_ok=True)
    for name, text in (("METADATA", "Metadata-Version: 2.1\n"
                                    "Name: minicloud-ml2\nVersion: 1\n"),
                       ("entry_points.txt", ENTRY_POINTS)):
        with open(os.path.join(info, name), "w") as f:
            f.write(text)
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (site_dir, here):
        if path not in sys.path:
            sys.path.insert(0, path)


def _driver_class():
    # Imported only in neutron's process: the module must stay importable
    # without neutron_lib for register() and the tools' flake8.
    from neutron_lib.api.definitions import portbindings
    from neutron_lib import constants
    from neutron_lib.plugins.ml2 import api

    class MiniCloudMechanismDriver(api.MechanismDriver):
        """Binds the first segment as ``ovs``, port ACTIVE; no agent."""

        def initialize(self):
            pass

        def bind_port(self, context):
            for segment in context.segments_to_bind:
                context.set_binding(
                    segment[api.ID], portbindings.VIF_TYPE_OVS,
                    {portbindings.CAP_PORT_FILTER: True,
                     portbindings.OVS_HYBRID_PLUG: False},
                    status=constants.PORT_STATUS_ACTIVE)
                return

    return MiniCloudMechanismDriver


def __getattr__(name):
    if name == "MiniCloudMechanismDriver":
        cls = _driver_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
