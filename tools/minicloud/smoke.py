"""End-to-end check of a running mini-cloud (python tools/minicloud/smoke.py).

With the demo token of .minicloud/openrc: list servers, boot one (m1.tiny,
cirros-fake, no network) to ACTIVE, stop it (SHUTOFF), start it (ACTIVE),
createImage (202 with image_id), wait for the Glance image to be active and
the server's task_state to clear, delete both; then check that nova-api
answers 401 with WWW-Authenticate without a token, and what the OCCI root
answers (status and Server header). Exits non-zero on the first failure.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import env as mcenv  # noqa: E402
import rest  # noqa: E402

MV = {"OpenStack-API-Version": "compute 2.96"}


def step(msg):
    print("[smoke %5.1fs] %s" % (time.time() - T0, msg), flush=True)


def wait(what, fn, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    raise SystemExit("smoke: timed out waiting for %s" % what)


def main():
    rc = mcenv.load_openrc()
    nova, glance, tok = rc["NOVA_ENDPOINT"], rc["GLANCE_ENDPOINT"], \
        rc["OS_TOKEN"]

    def n(method, path, body=None, ok=(200,)):
        return rest.expect(rest.http(method, nova + path, body, tok, MV), *ok)

    n("GET", "/servers")
    step("GET /v2.1/servers: 200")
    image = [i for i in rest.expect(rest.http(
        "GET", glance + "/v2/images?name=cirros-fake", token=tok), 200)[
        "images"]][0]
    server = n("POST", "/servers", {"server": {
        "name": "smoke", "flavorRef": "1", "imageRef": image["id"],
        "networks": "none"}}, ok=(202,))["server"]
    sid = server["id"]

    def status_is(want):
        s = n("GET", "/servers/%s" % sid)["server"]
        if s["status"] == "ERROR":
            raise SystemExit("smoke: server went to ERROR: %s" % s.get(
                "fault"))
        return s if (s["status"] == want and
                     s["OS-EXT-STS:task_state"] is None) else None
    wait("ACTIVE", lambda: status_is("ACTIVE"))
    step("server %s ACTIVE" % sid)
    n("POST", "/servers/%s/action" % sid, {"os-stop": None}, ok=(202,))
    wait("SHUTOFF", lambda: status_is("SHUTOFF"))
    step("os-stop -> SHUTOFF")
    n("POST", "/servers/%s/action" % sid, {"os-start": None}, ok=(202,))
    wait("ACTIVE", lambda: status_is("ACTIVE"))
    step("os-start -> ACTIVE")
    body = n("POST", "/servers/%s/action" % sid,
             {"createImage": {"name": "smoke-snap",
                              "metadata": {"minicloud": "smoke"}}},
             ok=(202,))
    iid = body["image_id"]
    step("createImage -> 202, image_id %s" % iid)

    def image_active():
        i = rest.call("GET", glance + "/v2/images/%s" % iid, token=tok)
        if i["status"] in ("killed", "deleted"):
            raise SystemExit("smoke: snapshot image %s" % i["status"])
        return i if i["status"] == "active" else None
    img = wait("image active", image_active)
    wait("task_state to clear", lambda: status_is("ACTIVE"))
    step("image %s active (%s bytes, %s/%s); task_state cleared" % (
        iid, img["size"], img["disk_format"], img["container_format"]))
    rest.call("DELETE", glance + "/v2/images/%s" % iid, token=tok,
              ok=(204,))
    n("DELETE", "/servers/%s" % sid, ok=(204,))
    wait("server deleted", lambda: rest.http(
        "GET", nova + "/servers/%s" % sid, token=tok)[0] == 404)
    step("server and image deleted")

    status, hdrs, _ = rest.http("GET", nova + "/servers")
    assert status == 401 and hdrs.get("WWW-Authenticate"), (status, hdrs)
    step("no token: 401, WWW-Authenticate: %s" % hdrs["WWW-Authenticate"])
    status, hdrs, _ = rest.http("GET", rc["OCCI_ENDPOINT"] + "/-/",
                                token=tok, headers={"Accept": "text/plain"},
                                raw=True)
    step("GET $OCCI_ENDPOINT/-/: %s, Server: %s" % (
        status, hdrs.get_all("Server")))
    print("smoke: all passed")


if __name__ == "__main__":
    T0 = time.time()
    main()
