"""EKS in one region: clusters and their API endpoint access (public, CIDRs, subnets)."""

HIDES = ("k8s.cluster",)


def read(r) -> dict:
    names = r.list("eks:ListClusters", "clusters", HIDES)
    if names is None:
        return {}
    clusters = {}
    for name in names:
        d = r.get("eks:DescribeCluster", HIDES, subject=name, name=name)
        if d is not None:
            clusters[name] = d
    return {"eks:ListClusters": names, "eks:DescribeCluster": clusters}
