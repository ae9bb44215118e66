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

moto 5.2.1 verifies a SigV4 signature over the URL as werkzeug re-quotes it, not
as the client sent it, so every correctly signed S3 request whose path or query
holds a percent-encoded byte ('/' in a listing prefix, '+', '=', non-ASCII in a
key) fails with SignatureDoesNotMatch (boto3's and the AWS CLI's too). This
script makes moto check the request target as received (werkzeug's RAW_URI),
which is what AWS signs; see use_raw_request_target_for_signatures. Its IAM
policy conditions know StringEquals only and ignore every other operator, so a
ListBucket allowed only under a prefix (StringLike on s3:prefix) would allow any
listing; this script adds StringLike and the s3:prefix key of a listing, see
evaluate_s3_prefix_conditions.

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


def use_raw_request_target_for_signatures() -> None:
    """Makes moto's signature check use the request target exactly as received.

    moto builds the canonical request from BaseResponse.uri, a URL werkzeug has
    decoded and re-quoted; AWS (and every SDK signing for it) uses the path and
    query as sent. We remember werkzeug's RAW_URI in setup_class and hand it to
    the check in place of the re-quoted URL. Only the signature check sees it:
    moto's routing and parameter parsing are unchanged.
    """
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.responses import BaseResponse

    setup_class = BaseResponse.setup_class
    authenticate = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def setup_class_keeping_raw_uri(self, request, full_url, headers, *args, **kwargs):
        environ = getattr(request, "environ", None)
        self._trailhound_raw_uri = environ.get("RAW_URI") if environ else None
        return setup_class(self, request, full_url, headers, *args, **kwargs)

    def authenticate_raw_uri(self, iam_request_cls, resource="*"):
        raw_uri = getattr(self, "_trailhound_raw_uri", None)
        if not raw_uri:
            return authenticate(self, iam_request_cls, resource)
        uri = self.uri
        self.uri = raw_uri  # urlparse() of "/path?query" gives the path and query as sent
        try:
            return authenticate(self, iam_request_cls, resource)
        finally:
            self.uri = uri

    BaseResponse.setup_class = setup_class_keeping_raw_uri
    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate_raw_uri


def evaluate_s3_prefix_conditions() -> None:
    """Makes moto evaluate `"StringLike": {"s3:prefix": [...]}` the way AWS does.

    moto collects only the sts:ExternalId context key and treats a condition
    operator it does not know as true, so the collector policy's ListBucket
    statement (limited to the trail's prefix) would allow listing anything. We
    add the s3:prefix key (a listing's prefix parameter) and the StringLike
    operator: '*' matches any run of characters, '?' any one, case-sensitive;
    like AWS, a StringLike condition on a key the request lacks is false.
    """
    import re

    import moto.iam.access_control as access_control
    import moto.iam.policy_conditions as conditions

    def like(pattern: str, value: str) -> bool:
        regex = "".join(
            ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern
        )
        return re.fullmatch(regex, value, flags=re.DOTALL) is not None

    def string_like(expected, actual: str) -> bool:
        patterns = [expected] if isinstance(expected, str) else list(expected)
        return any(like(p, actual) for p in patterns)

    conditions.CONDITION_OPERATIONS["StringLike"] = string_like
    verify = conditions.TrustCondition.verify_condition

    def verify_condition(self, actual_values):
        if self._condition == "StringLike" and not actual_values:
            return False
        return verify(self, actual_values)

    conditions.TrustCondition.verify_condition = verify_condition

    # moto hands condition values to trust policies only; identity policies get None.
    # The request being authorized leaves its values here for _check_conditions.
    request_values = threading.local()
    check_action_permitted = access_control.IAMRequestBase.check_action_permitted

    def check_action_permitted_with_values(self, resource):
        values = access_control.format_incoming_conditional_values(self._data)
        prefix = self._data.get("prefix") if hasattr(self._data, "get") else None
        if isinstance(prefix, list):
            prefix = prefix[0] if prefix else None
        if self._action.startswith("s3:") and isinstance(prefix, str):
            values["s3:prefix"] = prefix
        request_values.values = values
        try:
            return check_action_permitted(self, resource)
        finally:
            request_values.values = None

    check_conditions = access_control.IAMPolicyStatement._check_conditions

    def check_conditions_with_values(self, incoming_condition_values):
        if incoming_condition_values is None:
            incoming_condition_values = getattr(request_values, "values", None)
        return check_conditions(self, incoming_condition_values)

    access_control.IAMRequestBase.check_action_permitted = check_action_permitted_with_values
    access_control.IAMPolicyStatement._check_conditions = check_conditions_with_values


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
    use_raw_request_target_for_signatures()
    evaluate_s3_prefix_conditions()
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
