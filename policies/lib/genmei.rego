# Shared helpers for genmei checks: one place that defines the result record, how a
# check selects its resources, and what "not collected" / "known only after apply" means.
package genmei.lib

# The package-scoped METADATA of the calling check (the last link of the chain).
check_metadata(chain) := chain[count(chain) - 1].annotations

# The snapshot under evaluation, {meta, resources: {type: {id: resource}}}. The engine
# stores it once as data and names it in the input (copying a large input into the
# evaluator costs more than evaluating every check); a test passes it as the input.
snapshot := data.genmei.snapshots[input.snapshot_ref] if {
	input.snapshot_ref
} else := input

# Resources of the check's declared types, optionally narrowed to its providers:
# partitioned by type so no check scans the whole snapshot.
resources(meta) := [r |
	some t in meta.custom.resource_types
	some r in object.get(snapshot.resources, t, {})
] if {
	not meta.custom.providers
} else := [r |
	some t in meta.custom.resource_types
	some r in object.get(snapshot.resources, t, {})
	r.provider in meta.custom.providers
]

# An attribute path is an array of keys (["attrs", "encrypted"]); its text is dotted.
path_text(path) := concat(".", path)

# A value the check needs is undetermined when it was not collected (absent or null)
# or is known only after apply (Terraform: listed in the resource's `unknown`).
# Such a resource is NOT_EVALUATED, never PASS.
undetermined(r, path) if object.get(r, path, null) == null

undetermined(r, path) if concat(".", path) in r.unknown

# The helpers below build their records inline: a Rego function call costs more than
# the comparisons it wraps (measured: ~15 µs each), and they run once per result.
not_evaluated(r, path) := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s is known only after apply", [concat(".", path)]),
	"evidence": {"missing": [concat(".", path)]},
} if {
	concat(".", path) in r.unknown
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s was not collected: %s", [concat(".", path), why]),
	"evidence": {"missing": [concat(".", path)], "why": why},
} if {
	# A collector that knows why it could not read an attribute says so in
	# attrs.not_collected (keyed by the attribute's path below attrs); the reader learns
	# what to fix.
	path[0] == "attrs"
	why := r.attrs.not_collected[concat(".", array.slice(path, 1, count(path)))]
	is_string(why)
} else := {
	"resource": r.id,
	"status": "NOT_EVALUATED",
	"reason": sprintf("%s was not collected", [concat(".", path)]),
	"evidence": {"missing": [concat(".", path)]},
}

pass(r, reason, evidence) := {"resource": r.id, "status": "PASS", "reason": reason, "evidence": evidence}

fail(r, reason, evidence) := {"resource": r.id, "status": "FAIL", "reason": reason, "evidence": evidence}

params := data.genmei.params

# --- network rules -------------------------------------------------------------

world_source(s) if s in params.world_sources

# The rules that admit inbound traffic from anywhere on the internet. One pass over a
# firewall's rules, inline (no call per rule): the checks' per-port reasoning then runs
# only on these few.
world_ingress_rules(rules) := [rule |
	some rule in rules
	rule.direction == "ingress"
	rule.action == "allow"
	count([s | some s in rule.sources; s in params.world_sources]) > 0
]

# A rule without a protocol admits every protocol.
portless(rule) if lower(sprintf("%v", [object.get(rule, "protocol", "all")])) in params.portless_protocols

# A rule with no port ranges (or protocol "all") covers every port.
all_ports(rule) if {
	not portless(rule)
	count(object.get(rule, "port_ranges", [])) == 0
}

covers_port(rule, port) if all_ports(rule)

covers_port(rule, port) if {
	not portless(rule)
	some pr in rule.port_ranges
	pr.from <= port
	port <= pr.to
}

# An allow rule is shadowed for a port when a deny rule from the world, evaluated
# earlier (lower priority number: Azure NSGs), covers the same port.
shadowed(rule, port, rules) if {
	some d in rules
	d.direction == rule.direction
	d.action == "deny"
	d.priority < rule.priority
	some s in d.sources
	world_source(s)
	covers_port(d, port)
}

tls_rank(v) := params.tls_versions[v]

# --- one record for a boolean attribute --------------------------------------
# PASS when the attribute equals `want`, FAIL when it is the other boolean,
# NOT_EVALUATED when it is undetermined. A non-boolean value yields no record, which the
# engine reports as ERROR: a normaliser defect is never silently a PASS.
bool_result(r, path, want, reasons) := {"resource": r.id, "status": "PASS", "reason": reasons[0], "evidence": {concat(".", path): want}} if {
	object.get(r, path, null) == want
	not concat(".", path) in object.get(r, "unknown", [])
} else := {"resource": r.id, "status": "FAIL", "reason": reasons[1], "evidence": {concat(".", path): value}} if {
	value := object.get(r, path, null)
	is_boolean(value)
	value != want
	not concat(".", path) in object.get(r, "unknown", [])
} else := not_evaluated(r, path) if {
	undetermined(r, path)
}

# --- several conditions on one resource --------------------------------------
# `problems` are proven violations (set of strings), `unknowns` the paths still
# undetermined: any proven problem FAILs; otherwise an unknown makes it NOT_EVALUATED.
combined_result(r, problems, unknowns, pass_reason) := fail(r, concat("; ", sort(problems)), {"problems": sort(problems)}) if {
	count(problems) > 0
} else := not_evaluated(r, sort(unknowns)[0]) if {
	count(unknowns) > 0
} else := pass(r, pass_reason, {"problems": []})

undetermined_paths(r, paths) := {p | some p in paths; undetermined(r, p)}

# The texts of the `rules` ([attr path, bad value, text]) whose attribute has the bad value.
proven_problems(r, rules) := {text |
	some [path, bad, text] in rules
	object.get(r, path, null) == bad
}
