"""`genmei collect aws` and `genmei scan aws`: the options, checked before any call.

    genmei collect aws [--profile P] [--regions all|r1,r2] [--accounts org|id,...]
                       [--role-name NAME] [--max-workers N] [--timeout S] --out snapshot.json

Credentials come from the standard boto3 chain (environment, profile, SSO, instance
role…); `AWS_ENDPOINT_URL` redirects every call, as for any boto3 program.
"""

import re

from genmei.engine.errors import InputError

from ..limits import DEFAULT_TIMEOUT

TITLE = "AWS"
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
ACCOUNT = re.compile(r"^\d{12}$")
ROLE = re.compile(r"^[\w+=,.@/-]{1,512}$")


def add_arguments(p) -> None:
    p.add_argument("--profile", metavar="P", help="AWS profile from ~/.aws/config (default: the standard boto3 chain)")
    p.add_argument("--regions", default="all", metavar="all|R1,R2",
                   help="regions to read (default: all, every region enabled for the account)")
    p.add_argument("--accounts", metavar="org|ID,...",
                   help="read other accounts too: org (every active account of the organization) or account ids")
    p.add_argument("--role-name", metavar="NAME", help="role assumed in each other account (with --accounts)")
    p.add_argument("--max-workers", type=int, default=8, metavar="N", help="parallel API readers (default: 8)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                   help=f"time limit of the whole collection in seconds (default: {DEFAULT_TIMEOUT}); what is not read "
                        "by then is a collection gap (NOT_EVALUATED), never a PASS")


def _list(value: str, option: str) -> list[str]:
    items = [x.strip() for x in value.split(",") if x.strip()]
    if not items:
        raise InputError(f"{option}: empty list")
    return list(dict.fromkeys(items))


def options(args):
    from .run import Options

    regions = None
    if args.regions.strip().lower() != "all":
        regions = _list(args.regions, "--regions")
        bad = [r for r in regions if not REGION.match(r)]
        if bad:
            raise InputError(f"--regions: {', '.join(bad)} is not a region name (e.g. ap-northeast-1), or use all")
    accounts = None
    if args.accounts is not None:
        if args.accounts.strip().lower() == "org":
            accounts = "org"
        else:
            accounts = _list(args.accounts, "--accounts")
            bad = [a for a in accounts if not ACCOUNT.match(a)]
            if bad:
                raise InputError(f"--accounts: {', '.join(bad)} is not a 12-digit account id, or use org")
    if args.role_name is not None:
        if accounts is None:
            raise InputError("--role-name is only used with --accounts")
        if not ROLE.match(args.role_name):
            raise InputError(f"--role-name {args.role_name!r}: not an IAM role name")
    if not 1 <= args.max_workers <= 64:
        raise InputError(f"--max-workers {args.max_workers}: expected 1 to 64")
    if not 1 <= args.timeout <= 24 * 3600:
        raise InputError(f"--timeout {args.timeout:g}: expected 1 to 86400 seconds")
    return Options(profile=args.profile, regions=tuple(regions) if regions else None,
                   accounts=tuple(accounts) if isinstance(accounts, list) else accounts,
                   role_name=args.role_name, max_workers=args.max_workers, timeout=args.timeout)


def validate(args) -> None:
    """The options, refused (InputError) as the collector would refuse them, before anything runs."""
    options(args)


def collect(args, progress) -> dict:
    from .run import collect as run_collect

    return run_collect(options(args), progress)
