# METADATA
# title: 全リージョンの操作を記録し完全性を検証する監査証跡がない
# description: >-
#   すべてのリージョンの管理操作(書込み操作のすべて)を記録し、現在記録中で、ログファイルの
#   完全性検証が有効な監査証跡(CloudTrail 等)があることを確認する。職務の分割が困難な場合の
#   代替の管理策(活動の監視、監査証跡)として、特権の悪用を事後に検出できるようにする。
# scope: package
# custom:
#   id: GM-LOG-002
#   title_en: No audit trail covering every region with integrity validation
#   description_en: >-
#     Checks that an audit trail (CloudTrail or equivalent) records management activity
#     (every write management event) in every region, is logging now, and validates
#     log-file integrity, so misuse of privileges can be detected afterwards.
#   severity: high
#   criteria: ["6.1.3.4"]
#   risks: [H05, M07, M08, M11, L13]
#   rationale:
#     "6.1.3.4": 項目は職務の分割が困難な場合の他の管理策として活動の監視と監査証跡を例示し、全リージョンの操作を記録し完全性を検証する監査証跡はその確認である(経営陣による監督は事業者の証明による)。付表はH05・M07・M08・M11・L13のいずれにも「操作者とは別の者がチェックを行う」対策としてこの項目を引用する。
#   layer: サービス管理系
#   resource_types: [cloud.account]
#   remediation:
#     ja: "マルチリージョンの証跡を作成してログ記録を有効にし、ログファイルの検証を有効にする。ログは別アカウントの改ざん防止ストレージ(Object Lock 等)に保存する。"
#     en: "Create a multi-region trail, keep it logging, turn on log-file validation, and store the logs in a separate account with tamper-resistant storage (e.g. Object Lock)."
package genmei.checks.logging.audit_trail

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.combined_result(r, problems, unknowns, ["a logging multi-region trail validates its log files", "全リージョンを記録する証跡がログファイルの完全性を検証している"]) if {
	some r in lib.resources(metadata)
	problems := lib.proven_problems(r, rules)
	unknowns := lib.undetermined_paths(r, {path | some [path, _, _, _] in rules})
}

rules := [
	[["attrs", "audit_log", "all_regions"], false, "no logging trail records every region's write operations", "全リージョンの書込み操作を記録中の証跡がない"],
	[["attrs", "audit_log", "integrity_validation"], false, "log-file integrity validation is off", "ログファイルの完全性検証が無効"],
]
