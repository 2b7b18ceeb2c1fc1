"""A plan → the canonical snapshot (meta.provider "terraform"), with a report of what the
plan holds that is not judged and why: nothing is dropped silently."""

from collections import Counter
from datetime import datetime, timezone

from genmei.collectors.canonical.values import ShapeError
from genmei.engine import __version__
from genmei.engine.errors import InputError

from . import aws, azure, gcp
from .context import Context
from .plan import Plan, PlannedResource

PROVIDERS = (aws, azure, gcp)
# Resource types the checks judge in a live scan (as the canonical type named) that the
# gate does not read from a plan yet: account- and region-wide settings a plan shows only
# in part, and a few kinds not modelled from plans. They are reported as not judged, with
# this reason, so that "types no check covers" lists only types no check covers.
NOT_READ = {
    "aws_ebs_encryption_by_default": "cloud.region", "aws_ebs_default_kms_key": "cloud.region",
    "aws_guardduty_detector": "cloud.region", "aws_cloudtrail": "cloud.account",
    "aws_iam_user": "iam.user", "aws_iam_user_login_profile": "iam.user", "aws_iam_access_key": "iam.user",
    "aws_network_interface": "compute.instance",
    "azurerm_key_vault": "kms.vault", "azurerm_virtual_network": "network.vpc", "azurerm_subnet": "network.vpc",
    "azurerm_network_watcher_flow_log": "network.vpc", "azurerm_security_center_subscription_pricing": "cloud.region",
    "azurerm_monitor_diagnostic_setting": "cloud.account", "azurerm_linux_virtual_machine_scale_set": "compute.instance_group",
    "azurerm_windows_virtual_machine_scale_set": "compute.instance_group", "azurerm_mysql_flexible_server_firewall_rule": "db.instance",
    "azurerm_postgresql_flexible_server_firewall_rule": "db.instance", "azurerm_lb": "lb.load_balancer",
    "google_compute_instance_group_manager": "compute.instance_group", "google_compute_region_instance_group_manager": "compute.instance_group",
    "google_compute_project_metadata": "compute.instance", "google_compute_project_metadata_item": "compute.instance",
    "google_compute_forwarding_rule": "lb.load_balancer", "google_compute_global_forwarding_rule": "lb.load_balancer",
    # vulnerability scanning and configuration recording are region- and project-wide states (vuln)
    "aws_inspector2_enabler": "cloud.region", "aws_config_configuration_recorder": "cloud.region",
    "aws_config_configuration_recorder_status": "cloud.region", "google_project_service": "cloud.region",
}
NORMALISERS = {t: f for m in PROVIDERS for t, f in m.NORMALISERS.items()}
ATTACHMENTS = [spec for m in PROVIDERS for spec in m.ATTACHMENTS]
LONE = {kind: f for m in PROVIDERS for kind, f in m.LONE.items()}
HANDLED = set(NORMALISERS) | {s.type for s in ATTACHMENTS} | {t for m in PROVIDERS for t in m.SUPPORTING}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _normalised(plan: Plan, res: PlannedResource, normaliser, ctx: Context) -> list[dict]:
    """A normaliser's resources; a planned value of the wrong shape (a port of 1e99999, a
    list where a block belongs) is bad input, reported with the resource and the path."""
    try:
        return normaliser(res, ctx)
    except ShapeError as e:
        raise InputError(f"{plan.path}: {res.address}: {e.path}: {e.detail}") from None
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError) as e:
        raise InputError(f"{plan.path}: {res.address}: a planned value is not in the {res.type} shape "
                         f"({type(e).__name__}: {e})") from None


def normalise(plan: Plan, locate=None) -> tuple[dict, dict]:
    """(snapshot document, report). `locate(address)` → (file, line) or None adds the
    `.tf` location of each resource's block to its source."""
    started = _now()
    ctx = Context(plan)
    resources: list[dict] = []
    for spec, res, why in ctx.attach_all(ATTACHMENTS):
        if spec.kind in LONE:
            resources += _normalised(plan, res, LONE[spec.kind], ctx)
        else:
            ctx.not_judged(res, why)
    for res in plan.resources:
        normaliser = NORMALISERS.get(res.type)
        if normaliser:
            resources += _normalised(plan, res, normaliser, ctx)
    if locate:
        for r in resources:
            where = locate(r["source"]["ref"])
            if where:
                r["source"]["file"], r["source"]["line"] = where
    regions = sorted({r["region"] for r in resources if r.get("region")})
    doc = {
        "genmei_snapshot": "1.0",
        "meta": {
            "provider": "terraform",
            "account": plan.path.replace("\\", "/").rsplit("/", 1)[-1] or plan.path,
            "regions": regions,
            "collector": {"name": "terraform-plan", "version": __version__, "source": plan.path},
            "started_at": started,
            "finished_at": _now(),
            "gaps": [],
            "description": f"Terraform {plan.terraform_version or '(version not stated)'} plan, JSON format {plan.format_version}",
        },
        "resources": resources,
    }
    unsupported = Counter(r.type for r in plan.resources if r.type not in HANDLED and r.type not in NOT_READ)
    not_read: dict[str, list[str]] = {}
    for r in plan.resources:
        if r.type in NOT_READ and r.type not in HANDLED:
            not_read.setdefault(f"not read from plans (checks judge it as {NOT_READ[r.type]} in a live scan)", []).append(r.address)
    report = {
        "plan": plan.path,
        "format_version": plan.format_version,
        "terraform_version": plan.terraform_version,
        "planned_resources": len(plan.resources),
        "canonical_resources": len(resources),
        "not_judged": {
            **{why: sorted(addresses) for why, addresses in sorted(plan.skipped.items())},
            **({"configures a resource that cannot be judged with it": [f"{a}: {why}" for a, why in ctx.unattached]}
               if ctx.unattached else {}),
            **{why: sorted(addresses) for why, addresses in sorted(not_read.items())},
        },
        "types_without_checks": dict(sorted(unsupported.items())),
        "actions": {r.address: "+".join(r.actions) or "planned" for r in plan.resources},
    }
    return doc, report
