"""Instance groups that are a Kubernetes cluster's nodes (EKS node groups, AKS node pools,
GKE node pools): Kubernetes spreads their load (services, ingress, load balancers whose
targets are pods or nodes registered one by one), which genmei does not read, so whether a
load balancer serves them is not collected rather than judged from the group (GM-RES-003).
Their size follows the cluster autoscaler or the node pool's autoscaling, not a scaling
policy on the group: a node group without one is not judged "not scaling" (GM-CAP-001)."""

NOT_JUDGED = ("a Kubernetes cluster's node group: Kubernetes spreads its load (services, ingress), "
              "which genmei does not read")
SCALED_BY_CLUSTER = ("a Kubernetes cluster's node group: the cluster autoscaler or the node pool's autoscaling "
                     "sizes it, not a scaling policy on the group, and genmei does not read them")


def defer_scaling(attrs: dict, sizes_invented: bool = False) -> dict:
    """attrs of a node group found with no scaling policy of its own: whether it scales is
    not collected (GM-CAP-001), with the reason. `sizes_invented`: min_size and max_size
    were taken from its current capacity (Azure, GCP) and are dropped, as the cluster
    moves that capacity; AWS's MinSize and MaxSize are the group's own limits and stay.
    A group with an active scaling policy is judged on it as any group."""
    if attrs.get("autoscaling") is not False:
        return attrs
    out = {k: v for k, v in attrs.items() if k != "autoscaling" and not (sizes_invented and k in ("min_size", "max_size"))}
    out["not_collected"] = {**(attrs.get("not_collected") or {}), "autoscaling": SCALED_BY_CLUSTER}
    return out


def aws_kubernetes_nodes(tag_keys) -> bool:
    """EKS managed node groups and self-managed nodes tagged for their cluster."""
    return any(k in ("eks:cluster-name", "eks:nodegroup-name") or k.startswith("kubernetes.io/cluster/")
               for k in tag_keys)


def azure_kubernetes_nodes(tag_keys) -> bool:
    """AKS node pools (the scale sets AKS tags aks-managed-*)."""
    return any(k.startswith("aks-managed-") for k in tag_keys)


def gcp_kubernetes_nodes(base_instance_name) -> bool:
    """GKE node pools' managed groups (instances named gke-CLUSTER-POOL-…)."""
    return isinstance(base_instance_name, str) and base_instance_name.startswith("gke-")
