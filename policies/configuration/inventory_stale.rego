# METADATA
# title: 仮想マシンのソフトウェアインベントリが収集されていない
# description: >-
#   導入したソフトウェアを構成管理システムで管理するため、ホスト管理サービス(Systems Manager Inventory、
#   VM Manager)が仮想マシンごとに導入済みソフトウェアのインベントリを定めた日数(既定7日)以内に
#   収集していることを確認する。
# scope: package
# custom:
#   id: GM-CFG-002
#   title_en: No current software inventory of a VM
#   description_en: >-
#     Checks, for every VM, that the host-management service (Systems Manager Inventory, VM
#     Manager) holds an inventory of its installed software collected recently (default: within
#     7 days), so installed software is kept in a configuration management system.
#   severity: medium
#   criteria: ["8.4.1.8"]
#   risks: [H02]
#   rationale:
#     "8.4.1.8": 項目は導入したソフトウェアの管理を維持するために構成管理システムを利用することを求め、ホスト管理サービスが仮想マシンごとの導入済みソフトウェアのインベントリを定めた日数以内に収集していることは、導入したソフトウェアを構成管理システムで管理していることの確認である(仮想化ソフトウェアはクラウド事業者の管理でその証明により、文書化は事業者の証明による)。付表はH02のサービス管理系にこの項目を引用する。
#   layer: サービス管理系
#   resource_types: [compute.host_management]
#   remediation:
#     ja: "Systems Manager のインベントリ収集(Azure: 変更履歴とインベントリ、GCP: VM Manager)を有効にし、すべての仮想マシンで少なくとも毎日収集させる。"
#     en: "Turn on Systems Manager Inventory (Azure: Change Tracking and Inventory; GCP: VM Manager) and collect every VM's inventory at least daily."
package genmei.checks.configuration.inventory_stale

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

max_age := lib.params.inventory_max_age_days

day_ns := 86400000000000

results contains verdict(r) if some r in lib.resources(metadata)

# A stopped VM is not judged: its agent cannot collect while it does not run.
verdict(r) := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": "the VM is stopped; its software inventory is not judged",
	"reason_ja": "停止中の仮想マシン",
	"evidence": {"attrs.running": false},
} if {
	r.attrs.running == false
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": "the VM is not managed by the host-management service (its agent does not report), so its software inventory is unknown",
	"reason_ja": "ホスト管理サービスに管理されていない(エージェントが報告していない)仮想マシンで、ソフトウェアインベントリの有無が分からない",
	"evidence": {"attrs.managed": false},
} if {
	r.attrs.managed == false
} else := lib.not_evaluated(r, ["attrs", "managed"]) if {
	lib.undetermined(r, ["attrs", "managed"])
} else := lib.not_evaluated(r, ["attrs", "software_inventory"]) if {
	lib.undetermined(r, ["attrs", "software_inventory"])
} else := lib.fail(r, "no software inventory is collected from the VM", "仮想マシンのソフトウェアインベントリが収集されていない", {"attrs.software_inventory": false}) if {
	r.attrs.software_inventory == false
} else := lib.not_evaluated(r, path) if {
	# the first of the two times that is undetermined, if any
	path := sort(lib.undetermined_paths(r, {["attrs", "inventory_collected_at"], ["attrs", "observed_at"]}))[0]
} else := age_verdict(r, floor((time.parse_rfc3339_ns(r.attrs.observed_at) - time.parse_rfc3339_ns(r.attrs.inventory_collected_at)) / day_ns))

age_verdict(r, days) := lib.pass(
	r,
	sprintf("the software inventory was collected %d days ago (at most %d)", [days, max_age]),
	sprintf("ソフトウェアインベントリが%d日前に収集されている(%d日以内)", [days, max_age]),
	{"inventory_collected_at": r.attrs.inventory_collected_at, "age_days": days},
) if {
	days <= max_age
} else := lib.fail(
	r,
	sprintf("the software inventory was last collected %d days ago (more than %d)", [days, max_age]),
	sprintf("ソフトウェアインベントリの最後の収集が%d日前で、%d日を超えている", [days, max_age]),
	{"inventory_collected_at": r.attrs.inventory_collected_at, "age_days": days},
)
