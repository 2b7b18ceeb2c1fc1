"""Instance groups that are a Kubernetes cluster's nodes (EKS node groups, AKS node pools,
GKE node pools): Kubernetes spreads their load (services, ingress, load balancers whose
targets are pods or nodes registered one by one), which genmei does not read, so whether a
load balancer serves them is not collected rather than judged from the group (GM-RES-003)."""

NOT_JUDGED = ("a Kubernetes cluster's node group: Kubernetes spreads its load (services, ingress), "
              "which genmei does not read")


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
