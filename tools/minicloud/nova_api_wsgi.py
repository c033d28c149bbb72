"""WSGI entry point for nova-api in the mini-cloud.

nova.wsgi.osapi_compute hands sys.argv to oslo.config, so a WSGI server's own
arguments would break it ("unrecognized arguments"). This wrapper resets
sys.argv and tells nova where its configuration is before importing it.

Environment (set by tools/minicloud/serve.py):
  MINICLOUD_NOVA_CONF   path of the nova.conf to use (required)
  MINICLOUD_API_PASTE   path of the paste ini
                        (default: <repo>/etc/api-paste.ini)
  MINICLOUD_NOVA_NODE_CONF
                        a config file read after nova.conf: this node's
                        own options ([DEFAULT] host) (optional)
"""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))

_conf = os.environ["MINICLOUD_NOVA_CONF"]
_paste = os.environ.get("MINICLOUD_API_PASTE",
                        os.path.join(_REPO, "etc", "api-paste.ini"))

sys.argv = ["nova-api-os-compute"]
# nova's wsgi_app loads the paste app from the FIRST file of this list and
# parses all of them as oslo.config files, the later ones overriding.
os.environ["OS_NOVA_CONFIG_DIR"] = os.path.dirname(_conf)
_node = os.environ.get("MINICLOUD_NOVA_NODE_CONF")
os.environ["OS_NOVA_CONFIG_FILES"] = ";".join(
    [_paste, _conf] + ([_node] if _node else []))

from nova.wsgi.osapi_compute import application  # noqa: E402,F401
