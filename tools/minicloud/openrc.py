"""openrc and state.json: the endpoints, tokens and ids tests read."""

import json
import os
import time

import block_storage
import layout
import process
import rest
import services


def load_state():
    try:
        with open(layout.STATEJSON) as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return {}


# Bump when openrc gains or loses a variable: `up` then writes it again.
OPENRC_FORMAT = 3


def write_openrc(seed, force=False):
    state = load_state()
    issued = state.get("tokens_issued_at", 0)
    if not force and time.time() - issued < layout.TOKEN_MAX_AGE and \
            os.path.exists(layout.OPENRC) and \
            state.get("base") == layout.BASE and \
            state.get("openrc_format") == OPENRC_FORMAT:
        return False
    tokens = {}
    expires = {}
    for var, (user, project) in {"OS_TOKEN": ("demo", "demo"),
                                 "OS_TOKEN_ALT": ("alt", "alt"),
                                 "OS_TOKEN_ADMIN": ("admin", "admin")}.items():
        tokens[var], body = rest.keystone_token(user, layout.PASSWORDS[user],
                                                project)
        expires[var] = body["expires_at"]
    env = {
        "OCCI_ENDPOINT": layout.url("nova-api", "/occi1.2"),
        "NOVA_ENDPOINT": layout.url("nova-api", "/v2.1"),
        # Each nova-api node on its own, behind HAProxy's endpoints above.
        "OCCI_NODES": " ".join(layout.url(node, "/occi1.2")
                               for node in services.NOVA_API_NODES),
        "NOVA_NODES": " ".join(layout.url(node, "/v2.1")
                               for node in services.NOVA_API_NODES),
        "GLANCE_ENDPOINT": layout.url("glance"),
        "NEUTRON_ENDPOINT": layout.url("neutron"),
        "OS_AUTH_URL": layout.url("keystone", "/v3"),
        "OS_USERNAME": "demo",
        "OS_PASSWORD": layout.PASSWORDS["demo"],
        "OS_PROJECT_NAME": "demo",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_REGION_NAME": layout.REGION,
        "OS_IDENTITY_API_VERSION": "3",
        "OS_AUTH_TYPE": "password",
    }
    projects = (seed or state).get("projects") or {}
    for var, project in (("CINDER_ENDPOINT", "demo"),
                         ("CINDER_ENDPOINT_ALT", "alt")):
        if projects.get(project):
            env[var] = block_storage.endpoint(projects[project])
    env.update(tokens)
    lines = ["# written by tools/minicloud/cli.py at %s; tokens expire %s" % (
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        expires["OS_TOKEN"])]
    lines += ["export %s='%s'" % kv for kv in env.items()]
    lines += ["# OS_TOKEN is for curl and the tests; python-openstackclient",
              "# would hand it to the password plugin and fail: hide it.",
              'openstack() { OS_TOKEN= command openstack "$@"; }']
    layout.write(layout.OPENRC, "\n".join(lines) + "\n", 0o600)
    state.update({
        "base": layout.BASE, "ports": services.SERVICE_PORTS,
        "state_dir": layout.STATE,
        "endpoints": {k: env[k] for k in (
            "OCCI_ENDPOINT", "NOVA_ENDPOINT", "OCCI_NODES", "NOVA_NODES",
            "GLANCE_ENDPOINT", "NEUTRON_ENDPOINT", "OS_AUTH_URL")},
        "tokens": tokens, "tokens_expire": expires,
        "tokens_issued_at": time.time(),
        "openrc_format": OPENRC_FORMAT,
        "users": {name: {"password": layout.PASSWORDS[name],
                         "project": name}
                  for name in ("demo", "alt", "admin")},
    })
    if seed:
        state.update(seed)
    save_state(state)
    return True


def update_state_pids():
    state = load_state()
    if not state:
        return
    state["pids"] = {n: process.read_pid(n) for n in services.SERVICE_ORDER}
    save_state(state)


def save_state(state):
    layout.write(layout.STATEJSON,
                 json.dumps(state, indent=2, sort_keys=True) + "\n", 0o600)
