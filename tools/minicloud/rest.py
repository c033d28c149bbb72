"""A small JSON-over-HTTP client (urllib only) and Keystone password login."""

import json
import urllib.error
import urllib.request

import layout


def http(method, address, body=None, token=None, headers=None, timeout=30,
         raw=False):
    """Return (status, headers, parsed body); never raises for HTTP errors."""
    hdrs = {"Accept": "application/json"}
    data = None
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
            hdrs["Content-Type"] = "application/octet-stream"
        else:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
    if token:
        hdrs["X-Auth-Token"] = token
    hdrs.update(headers or {})
    req = urllib.request.Request(address, data=data, headers=hdrs,
                                 method=method)
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
        status, rhdrs, content = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, rhdrs, content = e.code, e.headers, e.read()
    if raw:
        return status, rhdrs, content
    try:
        parsed = json.loads(content) if content else None
    except ValueError:
        parsed = content
    return status, rhdrs, parsed


def expect(result, *ok):
    status, _, body = result
    if status not in ok:
        raise layout.Failure("unexpected HTTP %s: %s" % (status,
                                                         str(body)[:500]))
    return body


def call(method, address, body=None, token=None, ok=(200,), **kwargs):
    """http() that raises Failure unless the status is one of ``ok``."""
    return expect(http(method, address, body, token, **kwargs), *ok)


def keystone_token(user, password, project, domain="Default"):
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password,
            "domain": {"name": domain}}}},
        "scope": {"project": {"name": project, "domain": {"name": domain}}}}}
    status, hdrs, resp = http(
        "POST", layout.url("keystone", "/v3/auth/tokens"), body)
    if status != 201:
        raise layout.Failure("keystone refused %s's password (HTTP %s)" % (
            user, status))
    return hdrs["X-Subject-Token"], resp["token"]


def admin_token():
    """A token of the admin user on the admin project."""
    return keystone_token("admin", layout.PASSWORDS["admin"], "admin")[0]
