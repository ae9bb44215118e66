#!/usr/bin/env python3
"""Reference SigV4 signatures from botocore, for src/aws/sigv4_botocore_test.cc.

From a fixed seed, generates requests with awkward paths, queries, headers and bodies,
signs each with botocore at a frozen time and prints one JSON object per line:

  {"id", "kind": "header" | "presign", "service", "region", "s3", "unsigned_payload",
   "timestamp" (Unix seconds), "access_key_id", "secret_access_key", "session_token",
   "expires" (presign only),
   "request": {"method", "url", "headers": [[name, value], ...], "body_hex"},
   "canonical_request", "string_to_sign", "signature",
   "authorization" and "signed_headers" (header signing: the headers botocore left on the
   request) or "signed_url" (presign)}

"request" is exactly what botocore signed: the URL as it is sent (query parameters given
to botocore as `params` are form-encoded into it the way botocore sends them).

S3 uses S3SigV4Auth / S3SigV4QueryAuth (path signed as given, x-amz-content-sha256,
UNSIGNED-PAYLOAD when payload signing is off); sqs and sts use SigV4Auth / SigV4QueryAuth.

Deliberately not generated (botocore behaviour that is not SigV4 and that our signer does
not copy; the AWS test suites are the reference where they speak):
  * a `Date` header: botocore then replaces it and signs `Date` instead of X-Amz-Date;
  * empty query pieces ("a=1&&b=2"): botocore signs an empty pair "=", we skip the piece;
  * a query in the URL *and* `params`: botocore then ignores the URL's query;
  * an S3 URL with an empty path: botocore's S3 signer signs "" instead of "/";
  * presign: repeated query keys (botocore keeps only the first), a body (botocore moves
    it into the query) and an Authorization header (botocore would sign it);
  * non-ASCII header values (not portable across HTTP stacks).

Usage: sigv4_botocore_reference.py [--seed N] [--header-cases N] [--presign-cases N]
Needs python3 with botocore; exits with status 2 and a message when it is missing.
"""

import argparse
import datetime
import hashlib
import json
import random
import sys
from urllib.parse import quote, urlencode

try:
    from botocore import auth as botocore_auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as error:
    sys.stderr.write(
        "sigv4_botocore_reference.py needs python3 with botocore installed "
        f"(import failed: {error})\n"
    )
    sys.exit(2)


# ---------------------------------------------------------------------------------------
# botocore with a frozen clock and each stage recorded.


class _FrozenClock:
    def __init__(self):
        self.now = None

    def __call__(self, remove_tzinfo=True):
        return self.now


_CLOCK = _FrozenClock()
botocore_auth.get_current_datetime = _CLOCK


class _RecordStages:
    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign

    def signature(self, string_to_sign, request):
        self.recorded_signature = super().signature(string_to_sign, request)
        return self.recorded_signature


class HeaderSigner(_RecordStages, botocore_auth.SigV4Auth):
    pass


class S3HeaderSigner(_RecordStages, botocore_auth.S3SigV4Auth):
    pass


class QuerySigner(_RecordStages, botocore_auth.SigV4QueryAuth):
    pass


class S3QuerySigner(_RecordStages, botocore_auth.S3SigV4QueryAuth):
    pass


class _S3ClientConfig:
    """The piece of a botocore client config that S3SigV4Auth reads."""

    def __init__(self, payload_signing_enabled):
        self.s3 = {"payload_signing_enabled": payload_signing_enabled}


# ---------------------------------------------------------------------------------------
# Request generation.

REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-3", "us-gov-west-1", "cn-north-1",
           "af-south-1"]
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD"]
SEGMENTS = ["logs", "AWSLogs", "a b", "x+y", "100%", "caf\u00e9", "\u65e5\u672c", "~user",
            "a=b", "semi;colon", "comma,list", "(paren)", "it's", "star*", "at@sign",
            "colon:part", "dollar$", "excl!", "amp&and", "question?", "hash#", "%41",
            "pct%2Fslash", "emoji\U0001F600", "back\\slash", 'quote"', "<angle>",
            "tab\tchar", "Mixed-Case_1.json.gz", "", "", ".", ".", "..", ".."]
# Characters a client may leave unencoded in a path; the signer must encode them.
PATH_SUB_DELIMS = "+=;,!@:$&'()*"
QUERY_KEYS = ["Action", "prefix", "max-keys", "list-type", "a b", "x+y", "caf\u00e9", "",
              "k=v", "amp&", "Param", "param", "Z", "~t", "Version", "delimiter", "100%"]
QUERY_VALUES = ["", "1", "a b", "a+b", "100%", "caf\u00e9", "x=y&z", "/slash/", "~-._",
                "\u65e5\u672c", "Value", "  spaced  ", "2012-11-05", "\U0001F600"]
RAW_QUERY_FLAGS = ["acl", "uploads", "versioning", "delete", "tagging"]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def random_string(rng, alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def random_credentials(rng):
    access_key = "AKIA" + random_string(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 16)
    secret = random_string(rng, B64, 40, 40)
    token = None
    if rng.random() < 0.5:
        token = random_string(rng, B64, 60, 300) + rng.choice(["", "=", "=="])
    return access_key, secret, token


def random_endpoint(rng, service, region):
    """(scheme, authority, path prefix) of an endpoint for `service`."""
    if service == "s3":
        bucket = rng.choice(["trail-logs", "cloudtrail.example", "b-1"])
        return rng.choice([
            ("https", f"{bucket}.s3.{region}.amazonaws.com", ""),
            ("https", f"s3.{region}.amazonaws.com", "/" + bucket),
            ("https", f"{bucket}.S3.{region.upper()}.AmazonAWS.com:443", ""),
            ("http", "127.0.0.1:9000", "/" + bucket),
            ("http", "localhost:4566", "/" + bucket),
            ("http", f"{bucket}.s3.{region}.amazonaws.com:80", ""),
            ("http", "[::1]:9000", "/" + bucket),
        ])
    if service == "sts":
        return rng.choice([
            ("https", "sts.amazonaws.com", ""),
            ("https", f"sts.{region}.amazonaws.com", ""),
            ("https", "STS.AmazonAWS.com:443", ""),
            ("http", "127.0.0.1:5000", ""),
        ])
    return rng.choice([
        ("https", f"sqs.{region}.amazonaws.com", ""),
        ("https", f"SQS.{region.upper()}.AmazonAWS.com", ""),
        ("https", f"sqs.{region}.amazonaws.com:8443", ""),
        ("http", "localhost:9324", ""),
        ("http", "127.0.0.1:4566", ""),
        ("http", "[FE80::1]:9324", ""),
        ("http", "sqs.localhost:80", ""),
    ])


def random_path(rng, service, prefix):
    """The path as sent: percent-encoded the way a client would send it."""
    segments = [rng.choice(SEGMENTS) for _ in range(rng.randint(0, 6))]
    raw = "/".join(segments)
    if service == "s3":
        # boto3 sends S3 keys quoted with safe "/~"; S3 signs that path as is.
        key = raw if raw else "key"
        return prefix + "/" + quote(key, safe="/~")
    if not segments and rng.random() < 0.3:
        return ""  # "https://host" signs as "/"
    raw = "/" + raw
    if rng.random() < 0.3:
        raw += "/"
    safe = "/~" + "".join(c for c in PATH_SUB_DELIMS if rng.random() < 0.5)
    return quote(raw, safe=safe)


def random_params(rng, count, unique_keys=False):
    params = []
    for _ in range(count):
        key = rng.choice(QUERY_KEYS)
        if unique_keys and (key == "" or any(key == k for k, _ in params)):
            continue
        params.append((key, rng.choice(QUERY_VALUES)))
        if not unique_keys and rng.random() < 0.2:  # a repeated key
            params.append((key, rng.choice(QUERY_VALUES)))
    return params


def encoded_query(rng):
    """A query already in SigV4's encoding (what boto3 builds for REST services)."""
    pieces = []
    for key, value in random_params(rng, rng.randint(1, 5)):
        pieces.append(quote(key, safe="-_.~") + "=" + quote(value, safe="-_.~"))
    if rng.random() < 0.5:
        pieces.insert(rng.randint(0, len(pieces)), rng.choice(RAW_QUERY_FLAGS))
    return "&".join(pieces)


def random_headers(rng, authority, service, presign, has_token, body):
    """A list of (name, value), with duplicates, odd spacing and mixed case."""
    md5 = random_string(rng, B64, 22, 22) + "=="
    pool = [
        ("Content-Type", rng.choice(["application/json", "text/plain; charset=utf-8",
                                     "application/x-amz-json-1.0",
                                     "  application/octet-stream  "])),
        ("X-Amz-Target", "AmazonSQS.ReceiveMessage"),
        ("X-Amz-Meta-Note", "  spaced   out\tvalue  "),
        ("x-CuStOm-HeAdEr", "MiXeD Case"),
        ("X-Multi", "one"),
        ("X-Multi", "  two  "),
        ("x-multi", "three,four"),
        ("X-Folded", "line1\n  line2\n\tline3"),
        ("X-Empty", ""),
        ("X-Quoted", '"a   b   c"'),
        ("User-Agent", "trailhound/0.1 (test)"),
        ("Range", "bytes=0-1023"),
        ("If-None-Match", '"0123456789abcdef"'),
        ("Content-MD5", md5),
        ("x-amz-meta-digits_1", "1  2   3"),
    ]
    if not presign:
        pool += [
            ("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793"),
            ("Expect", "100-continue"),
            ("Authorization", "AWS4-HMAC-SHA256 stale"),
            ("X-Amz-Date", "20000101T000000Z"),
        ]
        if has_token or rng.random() < 0.3:
            pool.append(("X-Amz-Security-Token", "stale-or-caller-token"))
        if service != "s3" and rng.random() < 0.3:
            pool.append(("X-Amz-Content-SHA256",
                         rng.choice(["UNSIGNED-PAYLOAD", hashlib.sha256(body).hexdigest()])))
        if service == "s3":
            pool.append(("X-Amz-Content-SHA256", "stale"))
    headers = rng.sample(pool, rng.randint(0, min(6, len(pool))))
    if headers and rng.random() < 0.3:  # the same name again, in another case
        name, _ = rng.choice(headers)
        if name.lower() not in ("authorization", "x-amz-date", "x-amz-security-token",
                                "x-amz-content-sha256", "host"):
            headers.append((rng.choice([name.lower(), name.upper()]), " again\t value "))
    if rng.random() < 0.15:
        host = authority
        if rng.random() < 0.5:
            host = host.upper()
        headers.insert(rng.randint(0, len(headers)), ("Host", " " + host + " "))
    return headers


def random_body(rng, method):
    if method in ("POST", "PUT") or rng.random() < 0.1:
        return rng.choice([
            b"",
            b"Action=ListQueues&Version=2012-11-05",
            b'{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MaxNumberOfMessages": 10}',
            "caf\u00e9 \u65e5\u672c\n".encode("utf-8"),
            rng.randbytes(rng.randint(1, 300)),
        ])
    return b""


def random_timestamp(rng):
    seconds = rng.randint(978307200, 2145830400)  # 2001-01-01 .. 2037-12-31
    return seconds, datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)


# ---------------------------------------------------------------------------------------
# Cases.


def make_case(rng, case_id, presign):
    service = rng.choice(["sqs", "sts", "s3"])
    region = rng.choice(REGIONS)
    s3 = service == "s3"
    unsigned_payload = s3 and (presign or rng.random() < 0.5)
    access_key, secret, token = random_credentials(rng)
    seconds, now = random_timestamp(rng)
    method = rng.choice(METHODS)
    scheme, authority, prefix = random_endpoint(rng, service, region)
    path = random_path(rng, service, prefix)
    body = b"" if presign else random_body(rng, method)
    headers = random_headers(rng, authority, service, presign, token is not None, body)

    url = f"{scheme}://{authority}{path}"
    params = None
    if presign:
        query_params = random_params(rng, rng.randint(0, 4), unique_keys=True)
        if query_params:
            url += "?" + urlencode(query_params)  # form encoding: ' ' -> '+'
    else:
        mode = rng.random()
        if mode < 0.4:
            params = random_params(rng, rng.randint(1, 5))
        elif mode < 0.8:
            url += "?" + encoded_query(rng)

    request = AWSRequest(method=method, url=url, data=body, params=params)
    for name, value in headers:
        request.headers[name] = value  # keeps repeated names
    request.context["client_config"] = _S3ClientConfig(not unsigned_payload)
    sent_url = request.prepare().url
    sent_headers = [[name, value] for name, value in request.headers.items()]

    credentials = Credentials(access_key, secret, token)
    expires = None
    if presign:
        expires = rng.choice([1, 60, 900, 3600, 86400, 604800])
        signer_class = S3QuerySigner if s3 else QuerySigner
        signer = signer_class(credentials, service, region, expires=expires)
    else:
        signer = (S3HeaderSigner if s3 else HeaderSigner)(credentials, service, region)
    _CLOCK.now = now
    signer.add_auth(request)

    case = {
        "id": case_id,
        "kind": "presign" if presign else "header",
        "service": service,
        "region": region,
        "s3": s3,
        "unsigned_payload": unsigned_payload,
        "timestamp": seconds,
        "access_key_id": access_key,
        "secret_access_key": secret,
        "session_token": token or "",
        "request": {
            "method": method,
            "url": sent_url,
            "headers": sent_headers,
            "body_hex": body.hex(),
        },
        "canonical_request": signer.recorded_canonical_request,
        "string_to_sign": signer.recorded_string_to_sign,
        "signature": signer.recorded_signature,
    }
    if presign:
        case["expires"] = expires
        case["signed_url"] = request.url
    else:
        case["authorization"] = request.headers["Authorization"]
        case["signed_headers"] = [[name, value] for name, value in request.headers.items()]
    return case


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=20150830)
    parser.add_argument("--header-cases", type=int, default=260)
    parser.add_argument("--presign-cases", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    for case_id in range(args.header_cases + args.presign_cases):
        case = make_case(rng, case_id, presign=case_id >= args.header_cases)
        out.write(json.dumps(case, sort_keys=True) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
