"""Serve one of the mini-cloud's WSGI applications with waitress.

    python serve.py SERVICE PORT CONFIG_DIR

waitress is used for every WSGI service because it lets an application's own
``Server`` header through (it adds ``Server: waitress`` only when the
application sets none); gunicorn always sends its own first, which hides the
OCCI filter's ``Server`` header from OCCI clients.
"""
import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(service, confdir):
    if service == "keystone":
        os.environ["OS_KEYSTONE_CONFIG_DIR"] = confdir
        from keystone.wsgi.api import application
    elif service == "placement":
        os.environ["OS_PLACEMENT_CONFIG_DIR"] = confdir
        from placement.wsgi.api import application
    elif service == "glance":
        os.environ["OS_GLANCE_CONFIG_DIR"] = confdir
        from glance.wsgi.api import application
    elif service == "nova-api":
        os.environ["MINICLOUD_NOVA_CONF"] = os.path.join(confdir, "nova.conf")
        sys.path.insert(0, HERE)
        from nova_api_wsgi import application
    elif service == "neutron":
        sys.path.insert(0, HERE)
        from neutron_stub import application
    else:
        raise SystemExit("unknown service %r" % service)
    return application


def main():
    service, port, confdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # The applications parse sys.argv themselves: give them nothing to parse.
    sys.argv = [service]
    app = load(service, confdir)
    if service == "neutron":
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("waitress").setLevel(logging.INFO)
    import waitress
    threads = int(os.environ.get("MINICLOUD_WSGI_THREADS", "8"))
    print("minicloud: serving %s on 127.0.0.1:%d with waitress (%d threads)"
          % (service, port, threads), flush=True)
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads,
                   connection_limit=200, channel_timeout=300,
                   max_request_body_size=1 << 30, expose_tracebacks=False)


if __name__ == "__main__":
    main()
