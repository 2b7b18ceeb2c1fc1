"""One scope's API calls (an account's region, or its global services), paginated, with
every failure turned into a recorded gap instead of an exception.

A call returns the API's JSON, or None when it could not be read; the gap then names the
API, the error and the canonical types it hides, so that every check over those types
reports NOT_EVALUATED in that scope instead of passing on missing data. A few error codes
are answers rather than failures ("this bucket has no policy"): the caller names them and
gets {"Error": {"Code", "Message"}} back, for the normaliser to interpret.
"""

import threading

from botocore import xform_name
from botocore.exceptions import (BotoCoreError, ClientError, ConnectionClosedError, ConnectTimeoutError,
                                 EndpointConnectionError, ReadTimeoutError)

from genmei.collectors.canonical import redact


ANY = ("*",)  # `answers` for a call whose failure is not a gap in itself


class Gaps:
    """The gaps of a run, one per (scope, API): a thousand buckets denied the same call make
    one gap that counts them, not a thousand."""

    def __init__(self):
        self._lock = threading.Lock()
        self._gaps: dict[tuple[str, str], dict] = {}

    def add(self, scope: str, api: str, hides, code: str, message: str, subject: str | None = None) -> None:
        with self._lock:
            g = self._gaps.setdefault((scope, api), {"types": set(), "codes": set(), "message": message, "subjects": []})
            g["types"].update(hides)
            g["codes"].add(code)
            if subject:
                g["subjects"].append(subject)

    def as_list(self) -> list[dict]:
        out = []
        for (scope, api), g in sorted(self._gaps.items()):
            message = g["message"]
            if g["subjects"]:
                names = sorted(g["subjects"])
                more = f", … ({len(names)} in all)" if len(names) > 5 else ""
                message = f"{message} [for {', '.join(names[:5])}{more}]"
            out.append({"scope": scope, "service": api.split(":", 1)[0], "api": api,
                        "resource_types": sorted(g["types"]), "error_code": ",".join(sorted(g["codes"])),
                        "message": redact.text(" ".join(message.split()))[:500]})
        return out


def error_of(exc: Exception) -> tuple[str, str]:
    """(code, message) of a failed call."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        message = str(err.get("Message") or exc)
        if message.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
            # An HTML page where AWS sends a JSON or XML error (a proxy, or an emulator that
            # does not implement the operation): said in one line, not quoted.
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            message = f"the endpoint answered HTTP {status} with an HTML page instead of an AWS error"
        return str(err.get("Code") or "ClientError"), message
    return type(exc).__name__, str(exc)


# Failures of the connection itself, as opposed to an answer from AWS.
CONNECTION_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError)


def connection_failure(exc: Exception) -> bool:
    return isinstance(exc, CONNECTION_ERRORS)


class Reader:
    """The calls of one scope: `api` is "service:Operation", as in the gaps and counts."""

    def __init__(self, clients, region: str, scope: str, gaps: Gaps):
        self.clients, self.region, self.scope, self.gaps = clients, region, scope, gaps

    def _client_and_method(self, api: str):
        service, operation = api.split(":", 1)
        return self.clients.client(service, self.region), xform_name(operation)

    def _late(self, api: str, hides, subject: str | None) -> bool:
        """Past the run's deadline no call is started: what it would read is a gap."""
        if not self.clients.expired():
            return False
        self.gaps.add(self.scope, api, hides, "Timeout", "the collection's time limit (--timeout) ran out before this call", subject)
        return True

    def list(self, api: str, key: str, hides, subject: str | None = None, **params) -> list | None:
        """Every item under `key` across all pages; None (and a gap) if any page failed,
        because a partial list would make missing items look absent."""
        if self._late(api, hides, subject):
            return None
        client, method = self._client_and_method(api)
        try:
            if client.can_paginate(method):
                items = []
                for page in client.get_paginator(method).paginate(**params):
                    items.extend(page.get(key, []))
                    if self.clients.expired():
                        self._late(api, hides, subject)
                        return None
                return items
            return list(getattr(client, method)(**params).get(key, []))
        except (ClientError, BotoCoreError) as e:
            code, message = error_of(e)
            self.gaps.add(self.scope, api, hides, code, message, subject)
            return None

    def get(self, api: str, hides, answers: tuple[str, ...] = (), subject: str | None = None, **params) -> dict | None:
        """One call's response; an error code in `answers` (ANY: every code) comes back as
        {"Error": …} instead of making a gap."""
        if self._late(api, hides, subject):
            return None
        client, method = self._client_and_method(api)
        try:
            response = getattr(client, method)(**params)
            response.pop("ResponseMetadata", None)
            return response
        except (ClientError, BotoCoreError) as e:
            code, message = error_of(e)
            if code in answers or answers is ANY:
                return {"Error": {"Code": code, "Message": message}}
            self.gaps.add(self.scope, api, hides, code, message, subject)
            return None
