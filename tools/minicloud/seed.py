"""What a new cloud is seeded with: keystone, nova and glance."""

import block_storage
import layout
import process
import rest


class Keystone:
    def __init__(self):
        self.token = rest.admin_token()

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        return rest.call(method, layout.url("keystone", "/v3" + path), body,
                         self.token, ok=ok)

    def find(self, collection, name, key=None, **query):
        q = "&".join("%s=%s" % kv for kv in dict(query, name=name).items())
        items = self.call("GET", "/%s?%s" % (collection, q))[
            key or collection.split("/")[-1]]
        return items[0]["id"] if items else None

    def ensure(self, collection, name, attrs, key=None, **query):
        singular = (key or collection)[:-1]
        body = {singular: dict(attrs, name=name)}
        if collection != "services":     # services may share a name
            created = rest.http("POST",
                                layout.url("keystone", "/v3/" + collection),
                                body, self.token)
            if created[0] == 201:
                return created[2][singular]["id"]
            if created[0] != 409:
                rest.expect(created, 201)
        found = self.find(collection, name, key, **query)
        if found:
            return found
        return self.call("POST", "/" + collection, body)[singular]["id"]

    def grant(self, project, user, role):
        self.call("PUT", "/projects/%s/users/%s/roles/%s" % (
            project, user, role))


def _pmap(fn, items):
    """fn over items in threads; the first exception is raised."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda a: fn(*a), items))


def seed_keystone():
    ks = Keystone()
    domain = "default"
    names = ("service", "demo", "alt")
    projects = dict(zip(names, _pmap(
        lambda n: ks.ensure("projects", n, {"domain_id": domain,
                                            "description": "minicloud"},
                            domain_id=domain), [(n,) for n in names])))
    projects["admin"] = ks.find("projects", "admin")
    names = ("admin", "member", "reader", "service")
    roles = dict(zip(names, _pmap(lambda n: ks.ensure("roles", n, {}),
                                  [(n,) for n in names])))
    spec = (("demo", "demo", ["member", "reader"]),
            ("alt", "alt", ["member", "reader"]),
            ("nova", "service", ["admin", "service"]),
            ("placement", "service", ["admin", "service"]),
            ("glance", "service", ["admin", "service"]),
            ("neutron", "service", ["admin", "service"]),
            ("cinder", "service", ["admin", "service"]))

    def user(name, project, role_names):
        uid = ks.ensure("users", name, {
            "domain_id": domain,
            "password": layout.PASSWORDS.get(name,
                                             layout.PASSWORDS["service"]),
            "enabled": True, "default_project_id": projects[project]},
            domain_id=domain)
        for r in role_names:
            ks.grant(projects[project], uid, roles[r])
        return uid
    users = dict(zip([u[0] for u in spec], _pmap(user, spec)))
    users["admin"] = ks.find("users", "admin")

    def service(name, stype, endpoint):
        sid = ks.ensure("services", name, {"type": stype, "enabled": True})
        existing = ks.call("GET", "/endpoints?service_id=%s" % sid)[
            "endpoints"]
        have = {e["interface"] for e in existing}
        for iface in ("public", "internal", "admin"):
            if iface not in have:
                ks.call("POST", "/endpoints", {"endpoint": {
                    "service_id": sid, "interface": iface, "url": endpoint,
                    "region_id": layout.REGION, "enabled": True}})
    _pmap(service, [("nova", "compute", layout.url("nova-api", "/v2.1")),
                    ("glance", "image", layout.url("glance")),
                    ("placement", "placement", layout.url("placement")),
                    ("neutron", "network", layout.url("neutron"))] +
          [(name, stype, block_storage.endpoint())
           for name, stype in block_storage.CATALOG])
    return {"projects": projects, "users": users}


# The external network: flat, router:external, NOT shared (a shared network
# would be a second candidate when Nova picks a project's network).
PUBLIC = {"name": "public", "cidr": "172.24.4.0/24"}
# In each project: a private network, its subnet and a router to public.
PRIVATE = {"demo": "10.10.1.0/24", "alt": "10.10.2.0/24"}
NEUTRON_QUOTA = {"network": 1000, "subnet": 1000, "port": 5000,
                 "router": 1000, "floatingip": 1000,
                 "security_group": 1000, "security_group_rule": 10000}


def seed_neutron(admin_token, projects):
    """Seed public and the projects' networks; return their ids.

    :returns: {"public": {"network", "subnet"},
               project: {"network", "subnet", "router"}}
    """
    neutron = layout.url("neutron", "/v2.0")

    # NOTE: Neutron with no agents is slow to make routers and ports on a
    # busy machine (seconds each): long timeouts.
    def post(path, kind, body, token=admin_token):
        return rest.call("POST", neutron + path, {kind: body}, token,
                         ok=(201,), timeout=300)[kind]
    net = post("/networks", "network", {
        "name": PUBLIC["name"], "router:external": True, "shared": False,
        "provider:network_type": "flat",
        "provider:physical_network": "public"})
    subnet = post("/subnets", "subnet", {
        "name": PUBLIC["name"] + "-subnet", "network_id": net["id"],
        "ip_version": 4, "cidr": PUBLIC["cidr"], "enable_dhcp": False})
    ids = {"public": {"network": net["id"], "subnet": subnet["id"]}}

    def project_network(project, cidr):
        pid = projects[project]
        rest.call("PUT", neutron + "/quotas/%s" % pid,
                  {"quota": NEUTRON_QUOTA}, admin_token, timeout=300)
        token, _ = rest.keystone_token(project, layout.PASSWORDS[project],
                                       project)
        private = post("/networks", "network", {"name": "private"}, token)
        sub = post("/subnets", "subnet", {
            "name": "private-subnet", "network_id": private["id"],
            "ip_version": 4, "cidr": cidr, "enable_dhcp": True}, token)
        router = post("/routers", "router", {
            "name": "router",
            "external_gateway_info": {"network_id": net["id"]}}, token)
        rest.call("PUT", neutron + "/routers/%s/add_router_interface"
                  % router["id"], {"subnet_id": sub["id"]}, token,
                  timeout=300)
        ids[project] = {"network": private["id"], "subnet": sub["id"],
                        "router": router["id"]}
    _pmap(project_network, list(PRIVATE.items()))
    rest.call("PUT", neutron + "/quotas/%s" % projects["admin"],
              {"quota": NEUTRON_QUOTA}, admin_token, timeout=300)
    return ids


FLAVORS = [
    # id, name, vcpus, ram MiB, disk GiB, ephemeral GiB, swap MiB
    ("1", "m1.tiny", 1, 512, 1, 0, 0),
    ("2", "m1.small", 1, 2048, 2, 0, 0),
    ("3", "m1.medium", 2, 4096, 4, 0, 0),
    ("10", "m1.tiny.eph", 1, 512, 1, 1, 256),
]


def seed_nova(admin_token, projects):
    nova = layout.url("nova-api", "/v2.1")
    flavors = rest.expect(rest.http("GET", nova + "/flavors?is_public=None",
                          token=admin_token), 200)["flavors"]
    have = {f["name"] for f in flavors}
    for fid, name, vcpus, ram, disk, eph, swap in FLAVORS:
        if name in have:
            continue
        body = {"flavor": {"id": fid, "name": name, "vcpus": vcpus,
                           "ram": ram, "disk": disk,
                           "OS-FLV-EXT-DATA:ephemeral": eph,
                           "os-flavor-access:is_public": True}}
        if swap:
            body["flavor"]["swap"] = swap
        rest.call("POST", nova + "/flavors", body, admin_token)
    for p in ("demo", "alt", "admin"):
        quota = {"quota_set": {"instances": 1000, "cores": 100000,
                               "ram": 100000000, "server_groups": 1000,
                               "server_group_members": 1000,
                               "key_pairs": 1000, "metadata_items": 1000}}
        rest.call("PUT", nova + "/os-quota-sets/%s" % projects[p], quota,
                  admin_token)


IMAGE_PAYLOAD = b"minicloud fake cirros disk\n" * 160   # ~4 KiB


def seed_glance(admin_token):
    glance = layout.url("glance", "/v2")
    images = rest.call("GET", glance + "/images?name=%s" % layout.IMAGE_NAME,
                       token=admin_token)["images"]
    image = next((i for i in images if i["status"] == "active"), None)
    for i in images:
        if i is not image:
            rest.http("DELETE", glance + "/images/%s" % i["id"],
                      token=admin_token)
    if image is None:
        image = rest.call("POST", glance + "/images", {
            "name": layout.IMAGE_NAME, "disk_format": "raw",
            "container_format": "bare", "visibility": "public",
            "min_disk": 0, "min_ram": 0, "os_distro": "cirros"},
            admin_token, ok=(201,))
        rest.call("PUT", glance + "/images/%s/file" % image["id"],
                  IMAGE_PAYLOAD, admin_token, ok=(204,))
        process.wait_for(
            "image %s active" % layout.IMAGE_NAME, lambda: rest.call(
                "GET", glance + "/images/%s" % image["id"],
                token=admin_token)["status"] == "active", 30)
    return image["id"]
