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
import time

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
        application = paced_uploads(application)
    elif service.startswith("nova-api"):     # nova-api-1, nova-api-2...
        os.environ["MINICLOUD_NOVA_CONF"] = os.path.join(confdir, "nova.conf")
        sys.path.insert(0, HERE)
        from nova_api_wsgi import application
    elif service == "cinder-api":
        # cinder-api reads its options from sys.argv.
        sys.argv = [service, "--config-file",
                    os.path.join(confdir, "cinder.conf")]
        from cinder.wsgi.wsgi import initialize_application
        application = initialize_application()
    elif service == "neutron":
        os.environ["OS_NEUTRON_CONFIG_DIR"] = confdir
        os.environ["OS_NEUTRON_CONFIG_FILES"] = "neutron.conf;ml2_conf.ini"
        sys.path.insert(0, HERE)
        import ml2_minicloud
        ml2_minicloud.register(os.path.join(confdir, "site"))
        from neutron.wsgi.api import application
    else:
        raise SystemExit("unknown service %r" % service)
    return application


class PacedInput(object):
    """A request body read at a pace that takes ``seconds`` in all.

    Every read waits its share of ``seconds`` (by the bytes it returns)
    and returns as much as asked: webob takes a short read for a client
    that went away.
    """

    def __init__(self, stream, length, seconds):
        self.stream = stream
        self.length = max(1, length)
        self.seconds = seconds

    def read(self, size=-1):
        data = self.stream.read(size)
        time.sleep(self.seconds * len(data) / self.length)
        return data


def paced_uploads(app):
    """Glance reads an image upload slowly when asked to.

    The mini-cloud's fake virt driver sends ``X-Minicloud-Upload-Seconds``
    with the snapshot of a server that asks for a slow upload. waitress has
    the whole body before Glance starts, so the pacing is on Glance's side:
    the image stays ``saving`` for about that many seconds.
    """
    def paced(environ, start_response):
        seconds = environ.get("HTTP_X_MINICLOUD_UPLOAD_SECONDS")
        if seconds and environ["REQUEST_METHOD"] == "PUT":
            environ["wsgi.input"] = PacedInput(
                environ["wsgi.input"],
                int(environ.get("CONTENT_LENGTH") or 0), float(seconds))
        return app(environ, start_response)
    return paced


def main():
    service, port, confdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    # The applications parse sys.argv themselves: give them nothing to parse.
    sys.argv = [service]
    app = load(service, confdir)
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
