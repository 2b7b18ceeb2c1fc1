# METADATA
# title: KubernetesのAPIサーバーがインターネット全体に公開されている
# description: >-
#   マネージドKubernetesクラスタのAPIエンドポイント(管理用インターフェース)が、
#   インターネット全体から到達できる状態になっていないことを確認する。
# scope: package
# custom:
#   id: GM-K8S-001
#   title_en: Kubernetes API server open to the internet
#   description_en: >-
#     Checks that the API endpoint of managed Kubernetes clusters (a management
#     interface) is private, or public but limited to authorised address ranges.
#   severity: high
#   criteria: ["7.4.4.2", "7.4.4.6"]
#   risks: [H05, H06, M08, M09, L15, L17]
#   rationale:
#     "7.4.4.2": KubernetesのAPIサーバーは環境設定用の管理インターフェースであり、インターネット全体から接続できないことは項目が求める管理用ネットワークの論理的な分離の確認である。付表はH06・M08・M09・L15・L17のいずれにも管理用ネットワークへのアクセスの制御としてこの項目を引用する。
#     "7.4.4.6": 項目は保守要員との間で合意できた場合にだけ環境設定用のポートへのアクセスを可能にすることを求め、APIエンドポイントを公開し接続元をまったく制限していない(許可するアドレス範囲がないか、インターネット全体を含む)ことは、環境設定用の管理インターフェースに合意の有無にかかわらずいつでもどこからでも接続できる状態であり、項目を満たさないことを示す。プライベートであることや接続元を限定していることは常時公開していないことの確認にとどまり、保守要員との合意と、合意した場合にだけアクセスを可能にする手順は確認しない(事業者の証明による)。付表はH05・M08・M09・L15・L17のいずれにも遠隔診断用・環境設定用のポートへのアクセスの制御としてこの項目を引用する(H06は引用しない)。
#   layer: サービス管理系
#   resource_types: [k8s.cluster]
#   remediation:
#     ja: "APIエンドポイントをプライベートにするか、パブリックアクセスを許可するCIDRを管理用ネットワークに限定する(EKS: publicAccessCidrs、AKS: authorizedIPRanges、GKE: master authorized networks)。"
#     en: "Make the API endpoint private, or restrict public access to management networks (EKS publicAccessCidrs, AKS authorizedIPRanges, GKE master authorized networks)."
package genmei.checks.admin_exposure.kubernetes_api_public

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "endpoint_public"]) if {
	lib.undetermined(r, ["attrs", "endpoint_public"])
} else := lib.pass(r, "the API endpoint is private", "APIエンドポイントはプライベートである", {"endpoint_public": false}) if {
	r.attrs.endpoint_public == false
} else := lib.not_evaluated(r, ["attrs", "authorized_cidrs"]) if {
	lib.undetermined(r, ["attrs", "authorized_cidrs"])
} else := cidr_verdict(r, r.attrs.authorized_cidrs) if {
	r.attrs.endpoint_public == true
}

cidr_verdict(r, cidrs) := lib.fail(r, "the public API endpoint accepts any address", "公開されたAPIエンドポイントがすべてのアドレスからの接続を受け付ける", {"authorized_cidrs": cidrs}) if {
	world_open(cidrs)
} else := lib.pass(r, "the public API endpoint is limited to authorised ranges", "公開されたAPIエンドポイントは許可したアドレス範囲からの接続に限られる", {"authorized_cidrs": cidrs})

world_open(cidrs) if count(cidrs) == 0

world_open(cidrs) if {
	some c in cidrs
	lib.world_source(c)
}
