"""One collection run: who the caller is, which regions and accounts to read, the reads in
parallel (per account × region × service), then normalisation into one snapshot.

Nothing here raises on an API failure: failures become gaps, and the run finishes. It
raises CollectionError only when nothing at all could be read.
"""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from genmei.engine import __version__
from genmei.engine.errors import CollectionError, InputError

from ..limits import DEFAULT_TIMEOUT
from . import session
from .calls import ANY, Gaps, Reader, connection_failure, error_of
from .model import ALL_TYPES, REGIONAL_TYPES, AccountRaw
from .normalise import normalise
from .progress import Bar
from .read import (autoscaling, cloudtrail, cloudwatch, config, directconnect, ec2, eks, elbv2, guardduty, iam, inspector2, kms,
                   rds, s3, ssm, wafv2)

REGIONAL_READS = {"ec2": ec2.read, "kms": kms.read, "rds": rds.read, "elbv2": elbv2.read, "eks": eks.read,
                  "guardduty": guardduty.read, "autoscaling": autoscaling.read, "cloudwatch": cloudwatch.read,
                  "inspector2": inspector2.read, "config": config.read, "ssm": ssm.read,
                  "wafv2": wafv2.read, "directconnect": directconnect.read}
GLOBAL_READS = {"iam": iam.read, "cloudtrail": cloudtrail.read}


@dataclass(frozen=True)
class Options:
    profile: str | None = None
    regions: tuple[str, ...] | None = None  # None: every region enabled for the account
    accounts: str | tuple[str, ...] | None = None  # None: the caller's; "org": every active member
    role_name: str | None = None
    max_workers: int = 8
    timeout: float = DEFAULT_TIMEOUT   # seconds for the whole collection


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _endpoint(url: str | None) -> str:
    """The endpoint for the record, without any user:password@ part."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    if not host or host.endswith((".amazonaws.com", ".amazonaws.com.cn")):
        return "AWS public endpoints"
    return parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")).geturl()


def _identity(clients: session.Clients, home: str) -> dict:
    """Who the caller is: the first call, with few and short attempts, so that a refused
    connection or an endpoint that never answers is said as such within a minute (and not
    taken for bad credentials)."""
    sts = clients.client("sts", home, probe=True)
    try:
        return sts.get_caller_identity()
    except (ClientError, BotoCoreError) as e:
        code, message = error_of(e)
        if connection_failure(e):
            raise CollectionError(f"cannot reach the AWS endpoint {_endpoint(sts.meta.endpoint_url)}, nothing could be read "
                                  f"({code}: {message})") from None
        raise CollectionError(f"AWS credentials do not work, nothing could be read ({code}: {message})") from None


def _regions(opts: Options, clients, home: str, gaps: Gaps) -> list[str]:
    scope = f"{clients.account}/global"
    if opts.regions is None:
        resp = Reader(clients, home, scope, gaps).get("ec2:DescribeRegions", REGIONAL_TYPES, AllRegions=True)
        if resp is None:
            return [home]  # the list is unknown (see the gap): read the home region at least
        return sorted(r["RegionName"] for r in resp.get("Regions", []) if r.get("OptInStatus") != "not-opted-in")
    resp = Reader(clients, home, scope, gaps).get("ec2:DescribeRegions", REGIONAL_TYPES, answers=ANY, AllRegions=True)
    if "Error" in resp:
        return list(opts.regions)  # cannot check them: try them, failures become gaps
    status = {r["RegionName"]: r.get("OptInStatus") for r in resp.get("Regions", [])}
    unknown = [r for r in opts.regions if r not in status]
    if unknown:
        raise InputError(f"--regions: unknown region(s) {', '.join(unknown)}")
    for r in opts.regions:
        if status[r] == "not-opted-in":
            gaps.add(f"{clients.account}/{r}", "ec2:DescribeRegions", REGIONAL_TYPES, "OptInRequired",
                     f"region {r} is not enabled for this account")
    return [r for r in opts.regions if status[r] != "not-opted-in"]


def _accounts(opts: Options, caller: session.Clients, home: str, partition: str, gaps: Gaps) -> list:
    """[(account id, Clients)] for the accounts to read; an account whose role cannot be
    assumed is a gap covering every type in it."""
    if opts.accounts is None:
        return [(caller.account, caller)]
    if opts.accounts == "org":
        found = Reader(caller, home, f"{caller.account}/global", gaps).list("organizations:ListAccounts", "Accounts", ALL_TYPES)
        ids = sorted(a["Id"] for a in found if a.get("Status") == "ACTIVE") if found is not None else [caller.account]
    else:
        ids = list(opts.accounts)
    if not opts.role_name and any(i != caller.account for i in ids):
        raise InputError("--accounts: reading other accounts needs --role-name (the role to assume in each)")
    out = []
    for account in ids:
        if account == caller.account:
            out.append((account, caller))
            continue
        try:
            assumed = session.assume(caller, home, f"arn:{partition}:iam::{account}:role/{opts.role_name}")
        except (ClientError, BotoCoreError) as e:
            code, message = error_of(e)
            gaps.add(f"{account}/global", "sts:AssumeRole", ALL_TYPES, code, message)
            continue
        out.append((account, session.Clients(assumed, account, caller.calls, opts.max_workers, caller.deadline)))
    return out


def _run(units: list, workers: int, bar: Bar) -> list:
    """Run (label, fn) units in parallel; results in the order of the units."""
    results = [None] * len(units)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(fn): i for i, (_, fn) in enumerate(units)}
        for f in as_completed(futures):
            i = futures[f]
            results[i] = f.result()
            bar.advance(units[i][0])
    return results


def _read(accounts, regions, home, raws, reader, workers, bar) -> None:
    """Every read of every account into `raws`: S3's bucket list first, so that each bucket
    is then read in its own region, in parallel with everything else."""
    lists = _run([(f"{a} s3", lambda c=c: s3.read_account(reader(c, home, "global"), c.account)) for a, c in accounts],
                 workers, bar)
    for (a, _), raw in zip(accounts, lists):
        raws[a].global_.update(raw)
    units, targets = [], []
    for a, c in accounts:
        for name, read in GLOBAL_READS.items():
            units.append((f"{a} {name}", lambda c=c, read=read: read(reader(c, home, "global"))))
            targets.append(raws[a].global_)
        for region in regions:
            for name, read in REGIONAL_READS.items():
                units.append((f"{a}/{region} {name}", lambda c=c, r=region, read=read: read(reader(c, r, r))))
                targets.append(raws[a].regions[region])
            names = s3.buckets_in(raws[a].global_, region)
            units.append((f"{a}/{region} s3", lambda c=c, r=region, n=names: s3.read_buckets(reader(c, r, r), n)))
            targets.append(raws[a].regions[region])
    for target, raw in zip(targets, _run(units, workers, bar)):
        target.update(raw)


def collect(opts: Options, progress) -> dict:
    started = now()
    calls, gaps = Counter(), Gaps()
    base = session.base_session(opts.profile)
    home = (opts.regions or (None,))[0] or base.region_name or "us-east-1"
    caller = session.Clients(base, "", calls, opts.max_workers, deadline=time.monotonic() + opts.timeout)
    identity = _identity(caller, home)
    caller.account, partition = identity["Account"], identity["Arn"].split(":")[1]
    endpoint = _endpoint(caller.client("sts", home).meta.endpoint_url)
    progress(f"AWS: reading as {identity['Arn']} ({endpoint})")
    regions = _regions(opts, caller, home, gaps)
    accounts = _accounts(opts, caller, home, partition, gaps)
    raws = {a: AccountRaw(account=a, partition=partition, regions={r: {} for r in regions}, observed_at=started)
            for a, _ in accounts}
    progress(f"AWS: {len(accounts)} account(s) × {len(regions)} region(s)")

    def reader(clients, region, scope):
        return Reader(clients, region, f"{clients.account}/{scope}", gaps)

    bar = Bar(len(accounts) * (1 + len(GLOBAL_READS) + len(regions) * (len(REGIONAL_READS) + 1)))
    try:
        _read(accounts, regions, home, raws, reader, opts.max_workers, bar)
    finally:
        bar.close()

    resources = sorted((r for raw in raws.values() for r in normalise(raw)), key=lambda r: (r["type"], r["id"]))
    gap_list = gaps.as_list()
    if not resources:
        first = gap_list[0] if gap_list else None
        why = f": {first['api']} in {first['scope']} failed ({first['error_code']}: {first['message']})" if first else ""
        raise CollectionError(f"nothing could be read from AWS ({len(gap_list)} gap(s)){why}")
    progress(f"AWS: {len(resources)} resources, {sum(calls.values())} API calls, {len(gap_list)} gap(s)")
    return {
        "genmei_snapshot": "1.0",
        "meta": {
            "provider": "aws", "account": caller.account, "accounts": sorted(raws),
            "regions": regions,
            "collector": {"name": "genmei-aws", "version": __version__,
                          "source": f"AWS API via boto3 {boto3.__version__} ({endpoint})"},
            "started_at": started, "finished_at": now(),
            "api_calls": dict(sorted(calls.items())),
            "gaps": gap_list,
        },
        "resources": resources,
    }

