#!/usr/bin/env python3
"""IAM set-up against a moto server started by moto-server.py (boto3).

  moto-iam.py --endpoint URL bootstrap-admin
  moto-iam.py --endpoint URL create-user NAME --policy-file F [--policy-name P]
  moto-iam.py --endpoint URL create-role NAME --trust-policy-file F --policy-file F
  moto-iam.py --endpoint URL put-user-policy NAME --policy-file F [--policy-name P]
  moto-iam.py --endpoint URL delete-user-policy NAME [--policy-name P]

bootstrap-admin spends exactly three unauthenticated requests (CreateUser
"admin", PutUserPolicy "admin-all" allowing "*" on "*", CreateAccessKey) and
prints {"access_key_id": ..., "secret_access_key": ...}. Every other command
signs as the admin whose keys are in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY:
create-user prints the new user's keys the same way, create-role prints the
role ARN. A policy file of "-" is read from stdin. The default inline policy
name is "<NAME>-policy". Errors go to stderr with exit status 1. Requests are
never retried, so a failure is reported as it happened.
"""

import argparse
import json
import os
import sys

ADMIN_USER = "admin"
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def iam_client(args, access_key_id, secret_access_key):
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "iam",
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=Config(retries={"total_max_attempts": 1}),
    )


def admin_client(args):
    key_id = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key_id or not secret:
        raise SystemExit(
            "moto-iam: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must hold the admin keys"
            " printed by bootstrap-admin"
        )
    return iam_client(args, key_id, secret)


def read_policy(path):
    text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    json.loads(text)  # fail here, naming the file, rather than in moto
    return text


def print_keys(key):
    print(
        json.dumps(
            {"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}
        )
    )


def bootstrap_admin(args):
    # Any key works while the unauthenticated budget lasts; moto does not look at it.
    iam = iam_client(args, "bootstrap", "bootstrap")
    iam.create_user(UserName=ADMIN_USER)
    iam.put_user_policy(
        UserName=ADMIN_USER, PolicyName="admin-all", PolicyDocument=json.dumps(ADMIN_POLICY)
    )
    print_keys(iam.create_access_key(UserName=ADMIN_USER)["AccessKey"])


def create_user(args):
    iam = admin_client(args)
    iam.create_user(UserName=args.name)
    iam.put_user_policy(
        UserName=args.name,
        PolicyName=args.policy_name or f"{args.name}-policy",
        PolicyDocument=read_policy(args.policy_file),
    )
    print_keys(iam.create_access_key(UserName=args.name)["AccessKey"])


def create_role(args):
    iam = admin_client(args)
    role = iam.create_role(
        RoleName=args.name, AssumeRolePolicyDocument=read_policy(args.trust_policy_file)
    )["Role"]
    iam.put_role_policy(
        RoleName=args.name,
        PolicyName=args.policy_name or f"{args.name}-policy",
        PolicyDocument=read_policy(args.policy_file),
    )
    print(role["Arn"])


def put_user_policy(args):
    admin_client(args).put_user_policy(
        UserName=args.name,
        PolicyName=args.policy_name or f"{args.name}-policy",
        PolicyDocument=read_policy(args.policy_file),
    )


def delete_user_policy(args):
    admin_client(args).delete_user_policy(
        UserName=args.name, PolicyName=args.policy_name or f"{args.name}-policy"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--region", default="us-east-1")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("bootstrap-admin").set_defaults(run=bootstrap_admin)

    p = commands.add_parser("create-user")
    p.add_argument("name")
    p.add_argument("--policy-file", required=True)
    p.add_argument("--policy-name")
    p.set_defaults(run=create_user)

    p = commands.add_parser("create-role")
    p.add_argument("name")
    p.add_argument("--trust-policy-file", required=True)
    p.add_argument("--policy-file", required=True)
    p.add_argument("--policy-name")
    p.set_defaults(run=create_role)

    p = commands.add_parser("put-user-policy")
    p.add_argument("name")
    p.add_argument("--policy-file", required=True)
    p.add_argument("--policy-name")
    p.set_defaults(run=put_user_policy)

    p = commands.add_parser("delete-user-policy")
    p.add_argument("name")
    p.add_argument("--policy-name")
    p.set_defaults(run=delete_user_policy)

    args = parser.parse_args()
    try:
        import boto3  # noqa: F401
    except ImportError as e:
        print(f"moto-iam: cannot import boto3 ({e}); it is part of the machine image", file=sys.stderr)
        return 1
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        args.run(args)
    except (ClientError, BotoCoreError, OSError, ValueError) as e:
        print(f"moto-iam: {args.command} failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
