"""A tiny stand-in for the Neutron API, for the mini-cloud only.

Nova calls Neutron even for servers booted with ``"networks": "none"``: it
lists ports on boot, start, stop and delete, security groups for
GET /servers, and the extension list. This WSGI application answers those
calls as a Neutron with no networks would: every collection is empty, every
single resource is 404, and creating anything is refused with 400 (so a boot
that asks for a real network fails clearly instead of hanging).

It performs no authentication: it listens on 127.0.0.1 only and holds no
data. Replace it with a real neutron-server before testing network kinds.
"""
import json
import logging
import sys

LOG = logging.getLogger("neutron_stub")

# Defaults of a Neutron quota, big enough to never get in the way.
_QUOTA = {"network": -1, "subnet": -1, "port": -1, "router": -1,
          "floatingip": -1, "security_group": -1, "security_group_rule": -1,
          "rbac_policy": -1, "subnetpool": -1}


def _versions(host):
    return {"versions": [{
        "id": "v2.0", "status": "CURRENT",
        "links": [{"href": "http://%s/v2.0/" % host, "rel": "self"}]}]}


def _reply(start_response, status, body):
    data = json.dumps(body).encode() if body is not None else b""
    headers = [("Content-Length", str(len(data)))]
    if body is not None:
        headers.append(("Content-Type", "application/json"))
    start_response(status, headers)
    return [data]


def _error(start_response, status, kind, message):
    return _reply(start_response, status, {"NeutronError": {
        "type": kind, "message": message, "detail": ""}})


def application(environ, start_response):
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "/") or "/"
    host = environ.get("HTTP_HOST", "127.0.0.1")
    status_holder = []

    def sr(status, headers, exc_info=None):
        status_holder.append(status)
        return start_response(status, headers, exc_info)

    try:
        return _route(method, path.rstrip("/"), host, sr)
    finally:
        LOG.info("%s %s -> %s", method, path,
                 status_holder[0] if status_holder else "?")


def _route(method, path, host, sr):
    if path in ("", "/"):
        return _reply(sr, "200 OK", _versions(host))
    if path.endswith(".json"):
        path = path[:-5]
    parts = [p for p in path.split("/") if p]
    if parts[0] != "v2.0":
        return _error(sr, "404 Not Found", "HTTPNotFound", "Unknown version")
    parts = parts[1:]
    if not parts:
        return _reply(sr, "200 OK", {"resources": []})
    if method == "GET":
        if parts[0] == "quotas" and len(parts) >= 2:
            return _reply(sr, "200 OK", {"quota": dict(_QUOTA)})
        if len(parts) % 2 == 1:          # a collection: /v2.0/ports
            key = parts[-1].replace("-", "_")
            return _reply(sr, "200 OK", {key: []})
        return _error(sr, "404 Not Found", "NotFound",
                      "%s %s could not be found (mini-cloud neutron stub "
                      "has no resources)" % (parts[-2], parts[-1]))
    if method == "DELETE":
        return _error(sr, "404 Not Found", "NotFound",
                      "%s could not be found" % "/".join(parts))
    return _error(sr, "400 Bad Request", "BadRequest",
                  "The mini-cloud neutron stand-in does not create or "
                  "change network resources; boot servers with "
                  "\"networks\": \"none\"")


if __name__ == "__main__":   # python neutron_stub.py PORT (for debugging)
    import waitress
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    waitress.serve(application, host="127.0.0.1", port=int(sys.argv[1]))
