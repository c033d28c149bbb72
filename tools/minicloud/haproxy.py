"""HAProxy in front of the nova-api nodes, as production runs nova-api.

Debian's haproxy as a plain daemon on loopback (in the foreground, so that
its PID is the one process.spawn keeps): the contract's nova-api port
balanced round robin over the nodes, each checked on configs.HEALTHCHECK.
A node that refuses connections (killed) is skipped at once: the request is
sent to another node (``retries``, ``option redispatch``); a GET or HEAD
whose node dies before it answers is sent again to another node
(``retry-on``, layer-7 retries of safe methods only). HAProxy passes
the nodes' own ``Server`` header through untouched. Its stats page, on
PORTS["haproxy-stats"], tells when every node is counted up.
"""

import configs
import layout
import packages
import rest

BACKEND = "nova-api"
# The headers of the nodes' answers kept as they spell them.
CASED_HEADERS = ["Category", "Link", "Location", "X-OCCI-Attribute",
                 "X-OCCI-Location", "X-OCCI-Backend-Calls", "Server",
                 "Content-Type", "Content-Length", "Date", "Via",
                 "WWW-Authenticate", "Accept", "Allow", "Connection",
                 "OpenStack-API-Version", "X-OpenStack-Nova-API-Version",
                 "Vary", "X-OpenStack-Request-Id", "X-Compute-Request-Id",
                 "Retry-After"]


def config_path():
    return layout.etc("haproxy", "haproxy.cfg")


def write_config(nodes):
    servers = "".join(
        "    server %s %s:%d check inter 1s fastinter 250ms downinter 1s "
        "rise 1 fall 2\n" % (node, layout.HOST, layout.PORTS[node])
        for node in nodes)
    layout.write(config_path(), """# Written by tools/minicloud/haproxy.py.
global
    maxconn 2000
    # Only the nodes going up and down (notice), not every request.
    log stdout format raw local0 notice
    # HAProxy sends header names in lower case; OCCI's text/occi rendering
    # is in headers, and clients read them as the nodes spell them.
{case}
defaults
    mode http
    log global
    option dontlognull
    # Requests HAProxy itself fails (502, 503, 504) are logged at "err",
    # above the "notice" threshold: the log tells why a client saw one.
    option httplog
    option log-separate-errors
    option h1-case-adjust-bogus-client
    timeout connect 5s
    # Without it a check times out after "inter" (1 s): a node busy on a
    # loaded 2-core machine was counted down while it was only slow, and
    # with the other node killed no node was left. A dead node still
    # fails its check at once (connection refused).
    timeout check 5s
    timeout client 300s
    timeout server 300s
    timeout http-request 60s
    timeout http-keep-alive 30s
    # A request whose connection a dead node refused goes to another.
    retries 3
    option redispatch 1
    # Layer-7 retries (HAProxy 2.0 and later; Debian 12 has 2.6): a node
    # that dies while it serves a request closes the connection with no
    # answer; that request is sent again to another node, but only when
    # it is safe to repeat (GET and HEAD; METH_GET matches both). A POST,
    # PUT or DELETE may have been done before the node died: its client
    # gets HAProxy's 502 and decides. Connection failures are retried for
    # every method: the node never saw the request.
    retry-on conn-failure empty-response junk-response response-timeout

frontend {backend}
    bind {host}:{port}
    default_backend {backend}
    http-request disable-l7-retry if !METH_GET

backend {backend}
    balance roundrobin
    option httpchk
    http-check send meth GET uri {check}
    http-check expect status 200
{servers}
listen stats
    bind {host}:{stats}
    stats enable
    stats uri /
    stats refresh 5s
""".format(case="".join("    h1-case-adjust %s %s\n" % (h.lower(), h)
                        for h in CASED_HEADERS),
           backend=BACKEND, host=layout.HOST, port=layout.PORTS["nova-api"],
           check=configs.HEALTHCHECK, servers=servers,
           stats=layout.PORTS["haproxy-stats"]))


def argv():
    return [packages.HAPROXY, "-f", config_path(), "-db"]


def backends():
    """{node: status} as HAProxy's checks see them ("UP", "DOWN"...)."""
    status, _, body = rest.http("GET", layout.url("haproxy-stats", "/;csv"),
                                timeout=5, raw=True)
    if status != 200:
        return {}
    rows = body.decode().lstrip("# ").splitlines()
    header = rows[0].split(",")
    result = {}
    for row in rows[1:]:
        fields = dict(zip(header, row.split(",")))
        if fields.get("pxname") == BACKEND and \
                fields.get("svname") not in ("FRONTEND", "BACKEND"):
            result[fields["svname"]] = fields.get("status")
    return result


def all_up(nodes):
    seen = backends()
    return sorted(seen) == sorted(nodes) and all(
        s == "UP" for s in seen.values())
