# METADATA
# title: ディスクのバックアップ(スナップショット)がない、または古い
# description: >-
#   ブロックストレージのディスク(ボリューム)ごとにバックアップ(スナップショット)が取得され、
#   最新のものが基準時間(既定26時間)以内であることを確認する。仮想マシンのディスク単位で
#   バックアップが取得されていることを求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-BAK-002
#   title_en: Disk without a recent backup (snapshot)
#   description_en: >-
#     Checks that every block-storage disk (volume) has backups (snapshots) and that the
#     latest is at most the configured number of hours old (26 by default). Snapshots made by
#     AWS Backup, Data Lifecycle Manager or by hand all count.
#   severity: medium
#   criteria: ["6.5.1.5"]
#   risks: [H02, H03]
#   rationale:
#     "6.5.1.5": 項目は物理ストレージと仮想マシンのバックアップの単位や方法の違いを考慮したバックアップ・復旧手順を求め、仮想マシンのディスク(ボリューム)単位でバックアップが基準の間隔で取得されていることは、その手順が仮想マシンの単位で運用されていることの構成上の確認である(手順そのものは事業者の証明による)。H02 サービス管理系の「バックアップ・リストアの単位の違いを把握して管理する」対策、H03 抽象化層/機能層の対策として引用される。
#   layer: サービス管理系
#   resource_types: [compute.disk]
#   remediation:
#     ja: "AWS Backup または Data Lifecycle Manager(Azure Backup / スナップショットスケジュール)でディスクを毎日バックアップし、保持期間を業務要件に合わせる。"
#     en: "Back up every disk daily with AWS Backup or Data Lifecycle Manager (Azure Backup, snapshot schedules) and keep backups as long as the business requires."
package genmei.checks.resilience.disk_backup

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

limit := lib.params.max_backup_age_hours

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "backup_count"]) if {
	lib.undetermined(r, ["attrs", "backup_count"])
} else := lib.fail(
	r,
	"no backup (snapshot) of the disk",
	"ディスクのバックアップ(スナップショット)がない",
	{"backup_count": 0},
) if {
	r.attrs.backup_count == 0
} else := lib.not_evaluated(r, ["attrs", "latest_backup_age_hours"]) if {
	lib.undetermined(r, ["attrs", "latest_backup_age_hours"])
} else := age_verdict(r, r.attrs.latest_backup_age_hours)

age_verdict(r, age) := lib.pass(
	r,
	sprintf("the latest of %d backups is %d hours old", [r.attrs.backup_count, age]),
	sprintf("%d件のバックアップのうち最新のものは%d時間前に取得された", [r.attrs.backup_count, age]),
	{"backup_count": r.attrs.backup_count, "latest_backup_age_hours": age},
) if {
	age <= limit
} else := lib.fail(
	r,
	sprintf("the latest backup is %d hours old; at most %d allowed", [age, limit]),
	sprintf("最新のバックアップが%d時間前で、%d時間以内が必要", [age, limit]),
	{"backup_count": r.attrs.backup_count, "latest_backup_age_hours": age},
)
