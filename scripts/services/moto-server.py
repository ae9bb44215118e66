#!/usr/bin/env python3
"""Runs moto's server (S3, SNS, SQS, STS, IAM, ... on one port) on 127.0.0.1.

  python3 scripts/services/moto-server.py [--port N] [--no-auth-actions K]
      [--parent-pid P | --detach] [--log]

--port N             port to listen on; 0 (the default) picks a free one.
--no-auth-actions K  enforce SigV4 signatures and IAM policies after the first K
                     AWS requests (moto's INITIAL_NO_AUTH_ACTION_COUNT); without
                     this option moto checks nothing.
--parent-pid P       exit within 0.25 s once we are no longer the child of P (P
                     died; also when it died before we started). Default: our
                     parent at start-up, which misses a parent that dies while
                     python starts.
--detach             keep running when the parent process exits (for
                     run-with-services start).
--log                print werkzeug's request log on stderr.

Prints one line on stdout once the socket accepts connections:
  {"port":N,"pid":P}
No HTTP request is made to find out, so none of the K unauthenticated requests
is spent on a readiness probe. Exits 0 on SIGTERM or SIGINT, 1 when it cannot
start (moto missing, port in use).

The budget: every request that reaches a moto service handler's auth check
(every AWS API action of every service, S3 included, whatever its outcome)
counts once; /moto-api/* (dashboard, data.json, reset, reset-auth) never does.
POST /moto-api/reset-auth with body K restarts the budget at K.
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading


def main() -> int:
    parent = os.getppid()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-auth-actions", type=int, default=None)
    parser.add_argument("--parent-pid", type=int, default=None)
    parser.add_argument("--detach", action="store_true")
    parser.add_argument("--log", action="store_true")
    args = parser.parse_args()
    if args.parent_pid is not None:
        parent = args.parent_pid

    if args.no_auth_actions is not None:
        if args.no_auth_actions < 0:
            parser.error("--no-auth-actions must be >= 0")
        # moto.settings reads this when it is first imported.
        os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(args.no_auth_actions)

    try:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            create_backend_app,
        )
        from werkzeug.serving import make_server
    except ImportError as e:
        print(
            f"moto-server: cannot import moto's server ({e}); moto[server] 5.x must be"
            " installed for this python3 (it is part of the machine image, see"
            " shared/SERVICES.md)",
            file=sys.stderr,
        )
        return 1
    if not args.detach and os.getppid() != parent:
        print(f"moto-server: parent {parent} exited before we were ready", file=sys.stderr)
        return 1
    if not args.log:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    app = DomainDispatcherApplication(create_backend_app)
    try:
        # Binds and listens before returning: connections queue from here on.
        server = make_server("127.0.0.1", args.port, app, threaded=True)
    except OSError as e:
        print(f"moto-server: cannot listen on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 1
    server.daemon_threads = True

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    serving = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    serving.start()
    ready = {"port": server.server_port, "pid": os.getpid()}
    print(json.dumps(ready, separators=(",", ":")), flush=True)

    # Serve until stopped or, unless detached, until we are re-parented: our parent died.
    while not stop.wait(0.25):
        if not args.detach and os.getppid() != parent:
            break
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
