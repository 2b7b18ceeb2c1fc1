"""Load-balancer frontends as lb.listener: target HTTPS and SSL proxies terminate TLS;
target HTTP proxies do not.

The minimum TLS version comes from the proxy's SSL policy (minTlsVersion TLS_1_2 →
"1.2"). A proxy with no SSL policy uses Google Cloud's default policy, documented as
the COMPATIBLE profile with minimum TLS 1.0, so it is reported as "1.0". A policy that
is referenced but was not read leaves min_version unknown (null).

An HTTP proxy is plaintext (`tls.enforced` false) unless its URL map only redirects to
HTTPS (defaultUrlRedirect.httpsRedirect with no host rules or path matchers); when the
URL map was not read it is unknown. The port lives on the forwarding rule, not the
proxy, and is not set here.
"""

from genmei.collectors.canonical import tls as canonical_tls

from .common import dig, last, link_key, listed

PROTOCOL = {"TargetHttpsProxy": "HTTPS", "TargetSslProxy": "TLS", "TargetHttpProxy": "HTTP"}
DEFAULT_POLICY = "GCP default SSL policy (COMPATIBLE, TLS 1.0)"


def proxy(a, ctx) -> dict:
    data = a.data
    if data is None:
        return {"attrs": {}}
    protocol = PROTOCOL[a.short_type]
    attrs = {"protocol": protocol}
    if protocol == "HTTP":
        attrs["tls"] = {"enforced": _redirects_only(data.get("urlMap"), ctx)}
        attrs["url_map"] = link_key(data.get("urlMap"))
        return {"attrs": attrs, "region": "global" if "/global/" in a.name else None}
    ref = data.get("sslPolicy")
    if not ref:
        tls = {"enforced": True, "min_version": "1.0", "policy": DEFAULT_POLICY}
    else:
        policy = ctx.lookup("compute.googleapis.com/SslPolicy", ref)
        version = None
        if policy is not None and policy.data is not None:
            version = canonical_tls.version(policy.data.get("minTlsVersion") or "TLS_1_0")
        tls = {"enforced": True, "min_version": version, "policy": last(ref)}
    attrs["tls"] = tls
    attrs["certificates"] = [last(c) for c in listed(data, "sslCertificates", "sslCertificate")]
    return {"attrs": attrs, "region": "global" if "/global/" in a.name else None}


def _redirects_only(url_map_ref, ctx) -> bool | None:
    url_map = ctx.lookup("compute.googleapis.com/UrlMap", url_map_ref)
    if url_map is None or url_map.data is None:
        return None
    data = url_map.data
    routes = listed(data, "hostRules", "hostRule") or listed(data, "pathMatchers", "pathMatcher")
    return dig(data, "defaultUrlRedirect", "httpsRedirect") is True and not routes
