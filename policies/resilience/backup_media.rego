# METADATA
# title: ディスクのバックアップが独立した記憶域に一つもない
# description: >-
#   ブロックストレージのディスク(論理ボリューム)ごとに、ボリュームとは別の記憶域に保存される
#   バックアップ(スナップショット)が少なくとも一つあることを確認する。バックアップの単位ごとに
#   独立した媒体にバックアップを取得する仕組み、媒体の機能喪失時に記録されていたデータを
#   復旧することを求める管理基準に対応する。取得の間隔は GM-BAK-002 が判定する。
# scope: package
# custom:
#   id: GM-BAK-003
#   title_en: Disk with no backup kept on storage apart from it
#   description_en: >-
#     Checks that every block-storage disk (logical volume) has at least one backup (snapshot)
#     stored apart from the volume (EBS snapshots are kept in Amazon S3, not on the volume's
#     storage). How recent the latest is, is GM-BAK-002's concern; a volume whose data is
#     backed up at another unit (data, user) is waived with that reason.
#   severity: medium
#   criteria: ["6.5.1.7", "C.1.1.5"]
#   risks: [H01, H03]
#   rationale:
#     "6.5.1.7": 項目はバックアップの単位(データ単位、論理ボリューム単位など)ごとに独立した媒体にバックアップを取得する仕組みを求め、ディスク(論理ボリューム)ごとにボリュームとは別の記憶域(EBSスナップショットはAmazon S3)に保存されるバックアップが一つ以上あることは、論理ボリューム単位のバックアップが独立した媒体に取得されていることの確認である(取得間隔はGM-BAK-002が判定する。データ単位・利用者単位でバックアップするボリュームは例外として承認し、別アカウント・別保管庫への隔離は事業者の証明による)。付表はH03(抽象化層/機能層、サービス管理系)に引用する。
#     "C.1.1.5": 項目は物理媒体の機能喪失時に代替の媒体へ切り替えて記録されていたデータを復旧することを求め、ディスクのバックアップ(スナップショット)がボリュームとは別の記憶域に一つもなければ、媒体を失ったときにそのデータを復旧できない。一つ以上あることは復旧できる構成の確認である(バックアップの新しさはGM-BAK-002、媒体の交換そのものはクラウド基盤事業者の証明による)。H01 サービス管理系の「障害発生時には速やかに冗長系に切替える」対策として引用される。
#   layer: 抽象化層/機能層
#   resource_types: [compute.disk]
#   remediation:
#     ja: "AWS Backup または Data Lifecycle Manager でディスクのスナップショットを取得する(Azure Backup / スナップショット、GCP スナップショットスケジュール)。データ単位でバックアップしているボリュームは、その旨を例外として記録する。"
#     en: "Snapshot every disk with AWS Backup or Data Lifecycle Manager (Azure Backup or snapshots, GCP snapshot schedules); record a volume whose data is backed up at another unit as an exception, saying so."
package genmei.checks.resilience.backup_media

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "backup_count"]) if {
	lib.undetermined(r, ["attrs", "backup_count"])
} else := lib.fail(
	r,
	"the disk has no EBS snapshot at all (backups at other units are not read)",
	"EBSスナップショットが一つもない(他の単位のバックアップは読んでいない)",
	{"backup_count": 0},
) if {
	r.attrs.backup_count == 0
} else := lib.pass(
	r,
	sprintf("%d backups (snapshots) of the disk are kept apart from it", [r.attrs.backup_count]),
	sprintf("ディスクのバックアップ(スナップショット)が別の記憶域に%d件ある", [r.attrs.backup_count]),
	{"backup_count": r.attrs.backup_count},
)
