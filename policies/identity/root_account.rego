# METADATA
# title: ルートアカウントにMFAがない、またはアクセスキーがある
# description: >-
#   すべての権限を持つルートユーザーに多要素認証が設定され、アクセスキーが存在しないことを確認する。
#   管理用インターフェースの最も強い権限が一要素の認証や長期の鍵で使える状態を防ぐ。
# scope: package
# custom:
#   id: GM-IAM-002
#   title_en: Root user without MFA or with access keys
#   description_en: >-
#     Checks that the all-powerful root user has MFA and no access keys, so the strongest
#     credential of the management interface is neither single-factor nor long-lived.
#   severity: critical
#   criteria: []
#   risks: [M08]
#   rationale:
#     supporting: ルートユーザーの多要素認証と長期のアクセスキーの不在は管理用インターフェースの最も強い権限の保護だが、付表がM08に引用する項目に管理者の認証を扱うものはない(6.1.3.1〜6.1.3.4は職務の分割、7.4.4.xは遠隔診断用・環境設定用ポート、8.6.1.xは技術的ぜい弱性の管理)。6.1.3.1(職務の分割)の証跡にはならないため、判断を動かさない補助証跡としてM08に示す。
#   layer: サービス管理系
#   resource_types: [cloud.account]
#   providers: [aws]
#   remediation:
#     ja: "ルートユーザーにハードウェアMFAを設定し、ルートのアクセスキーを削除する。日常の操作には権限を絞ったロールを用いる。"
#     en: "Put a hardware MFA device on the root user, delete its access keys, and use scoped roles for daily work."
package genmei.checks.identity.root_account

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains lib.combined_result(r, problems, unknowns, ["root has MFA and no access keys", "ルートユーザーに多要素認証があり、アクセスキーはない"]) if {
	some r in lib.resources(metadata)
	problems := lib.proven_problems(r, rules)
	unknowns := lib.undetermined_paths(r, {path | some [path, _, _, _] in rules})
}

rules := [
	[["attrs", "root_mfa_enabled"], false, "root user has no MFA", "ルートユーザーに多要素認証がない"],
	[["attrs", "root_access_keys_present"], true, "root user has access keys", "ルートユーザーにアクセスキーがある"],
]
