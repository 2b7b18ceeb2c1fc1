# METADATA
# title: Kubernetesのコントロールプレーン(管理機能)が単一のゾーンにしかない
# description: >-
#   マネージドKubernetesクラスタのコントロールプレーン(APIサーバー、etcd)が複数のゾーンに複製され、
#   一つのエンドポイントの背後でゾーンの喪失時にも残りのレプリカが管理機能を提供し続けることを確認する。
#   GKEのゾーンクラスタはコントロールプレーンが一つのゾーンの単一のレプリカでFAIL、リージョンクラスタは
#   複数ゾーンに複製されPASS、EKSはサービスの設計として常に3つのアベイラビリティゾーンで稼働するためPASS。
#   AKSはクラスタの構成からコントロールプレーンの複製が分からないため未評価。
#   管理機能を提供する情報処理設備の冗長化と、代替の管理機能への速やかな切替えを求める管理基準に対応する。
# scope: package
# custom:
#   id: GM-K8S-002
#   title_en: Kubernetes control plane (a management function) in a single zone
#   description_en: >-
#     Checks that a managed Kubernetes cluster's control plane (API server, etcd) is replicated
#     across zones behind one endpoint, so that the loss of a zone leaves the remaining replicas
#     serving the management function. A GKE zonal cluster has a single control-plane replica in
#     one zone (FAIL); a regional cluster replicates it across the region's zones (PASS); EKS runs
#     every control plane across three Availability Zones by the service's design (PASS). AKS
#     does not show its control plane's replication in the cluster's configuration
#     (NOT_EVALUATED).
#   severity: medium
#   criteria: ["C.1.1.2", "C.1.1.4"]
#   risks: [H01]
#   rationale:
#     "C.1.1.2": 項目は一部の管理機能の喪失がサービスを停止させないよう管理機能を提供する情報処理設備の冗長化を求め、マネージドKubernetesのコントロールプレーンは利用者のワークロードを管理する機能(クラウドコントローラに当たる)であり、複数ゾーンへの複製(GKEのリージョンクラスタ、EKSはサービスの設計として常に3つのアベイラビリティゾーン)はその冗長化の確認、ゾーンクラスタの単一のレプリカは冗長化されていないことの確認である(踏み台・CI/CD・IdPなど他の管理機能の冗長化は事業者の証明による)。付表はH01(サービス管理系)に引用する。
#     "C.1.1.4": 項目は管理機能の喪失時に代替の管理機能を提供する情報処理設備へ速やかに切替えることを求め、複数ゾーンに複製されたコントロールプレーンは一つのエンドポイントの背後でゾーンの喪失時に残りのレプリカが要求を処理し続ける(クラウド事業者が自動で切替える)構成であり、ゾーンクラスタには切替先がない(他の管理機能の切替手順は事業者の証明による)。付表はH01(サービス管理系)に引用する。
#   layer: サービス管理系
#   resource_types: [k8s.cluster]
#   remediation:
#     ja: "クラスタをリージョンクラスタ(GKE: location にリージョンを指定)として作成し直し、コントロールプレーンを複数ゾーンに複製する。AKS はコントロールプレーンの冗長性を事業者が証明する。"
#     en: "Recreate the cluster as a regional cluster (GKE: a region as its location) so its control plane is replicated across zones. For AKS, the provider attests the control plane's redundancy."
package genmei.checks.resilience.k8s_control_plane

import data.genmei.lib

metadata := lib.check_metadata(rego.metadata.chain())

results contains verdict(r) if some r in lib.resources(metadata)

verdict(r) := lib.not_evaluated(r, ["attrs", "control_plane_multi_zone"]) if {
	lib.undetermined(r, ["attrs", "control_plane_multi_zone"])
} else := lib.pass(
	r,
	"EKS runs every cluster's control plane across three Availability Zones and replaces unhealthy control-plane instances (the service's design)",
	"EKSはすべてのクラスタのコントロールプレーンを3つのアベイラビリティゾーンで稼働させ、異常なインスタンスを自動で置き換える(サービスの設計)",
	evidence(r),
) if {
	r.attrs.control_plane_multi_zone == true
	r.provider == "aws"
} else := lib.pass(
	r,
	"the control plane is replicated across the region's zones behind one endpoint: the loss of a zone leaves it serving",
	"コントロールプレーンがリージョン内の複数のゾーンに複製され一つのエンドポイントで提供されるため、ゾーンを失っても管理機能が継続する",
	evidence(r),
) if {
	r.attrs.control_plane_multi_zone == true
} else := lib.fail(
	r,
	"a single control-plane replica in one zone (zonal cluster): the loss of that zone leaves the cluster without its management function, with no replica to switch to",
	"コントロールプレーンが一つのゾーンの単一のレプリカ(ゾーンクラスタ)で、そのゾーンを失うと管理機能が停止し、切替先がない",
	evidence(r),
) if {
	r.attrs.control_plane_multi_zone == false
}

evidence(r) := {"control_plane_multi_zone": r.attrs.control_plane_multi_zone, "region": object.get(r, "region", null)}
