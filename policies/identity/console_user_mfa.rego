# METADATA
# title: コンソールにログインできる利用者に多要素認証が設定されていない
# description: >-
#   管理コンソールにパスワードでログインできる利用者に多要素認証(MFA)が設定されていることを確認する。
#   管理用インターフェースの悪用を防ぎ、一人の利用者が認可されずに資産にアクセスできない状態を保つ。
# scope: package
# custom:
#   id: GM-IAM-001
#   title_en: Console user without multi-factor authentication
#   description_en: >-
#     Checks that every user who can sign in to the management console with a password
#     has MFA, so a stolen password alone cannot open the management interface.
#   severity: high
#   criteria: []
#   risks: [M08]
#   rationale:
#     supporting: 多要素認証は管理コンソール(管理用インターフェース)へのアクセス制御の一部だが、付表がM08に引用する項目に管理者の認証を扱うものはない(6.1.3.1〜6.1.3.4は職務の分割、7.4.4.xは遠隔診断用・環境設定用ポート、8.6.1.xは技術的ぜい弱性の管理)。6.1.3.1(職務の分割)の証跡にはならないため、判断を動かさない補助証跡としてM08に示す。
#   layer: サービス管理系
#   resource_types: [iam.user]
#   remediation:
#     ja: "コンソールパスワードを持つすべての利用者にMFAデバイスを登録させ、MFAのないサインインを拒否するポリシーを適用する。可能ならIDフェデレーション(SSO)に移行する。"
#     en: "Register an MFA device for every user with a console password and deny sign-in without MFA; prefer federation (SSO) over IAM users."
package genmei.checks.identity.console_user_mfa

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "console_access"]) if {
	lib.undetermined(r, ["attrs", "console_access"])
} else := lib.pass(r, "no console password", "コンソールにパスワードでサインインできない", {"console_access": false}) if {
	r.attrs.console_access == false
} else := lib.bool_result(r, ["attrs", "mfa_enabled"], true, ["console sign-in requires MFA", "console sign-in without MFA"], ["コンソールへのサインインに多要素認証が必要", "多要素認証なしでコンソールにサインインできる"]) if {
	r.attrs.console_access == true
}
