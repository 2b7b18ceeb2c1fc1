# Assertions for the checks' Rego tests (in the manner of trivy-checks' assert_count and
# assert_equal): a test names every fixture resource with the exact status it must get,
# so a check that passes what it should fail, fails what it should pass, loses a
# resource or gives one two records fails its tests. `genmei policy test` runs them;
# tests/test_policy_mutants.py proves they catch mutated checks. A _test.rego file, so
# it is loaded with the tests only, never into a scan's policy bundle; its own tests
# are below.
package genmei.test

# {resource id: status} of a check's results.
statuses(results) := {r.resource: r.status | some r in results}

# Exactly one record for each resource of `want` ({id: status}), with that status, and no
# other record.
assert_statuses(results, want) if {
	count(results) == count(want)
	statuses(results) == want
}

# The one record of a resource; undefined when there is none or more than one.
record(results, id) := rs[0] if {
	rs := [r | some r in results; r.resource == id]
	count(rs) == 1
}

# A snapshot input of one canonical type from {id: resource}; each resource gets its id.
fixture(type, resources) := {"resources": {type: {id: object.union(r, {"id": id}) | some id, r in resources}}}

test_assert_statuses_holds_for_the_exact_statuses if {
	assert_statuses([{"resource": "a", "status": "PASS"}, {"resource": "b", "status": "FAIL"}], {"a": "PASS", "b": "FAIL"})
}

test_assert_statuses_refuses_a_wrong_status if {
	not assert_statuses([{"resource": "a", "status": "PASS"}], {"a": "FAIL"})
}

test_assert_statuses_refuses_a_missing_or_extra_record if {
	not assert_statuses([{"resource": "a", "status": "PASS"}], {"a": "PASS", "b": "PASS"})
	not assert_statuses([{"resource": "a", "status": "PASS"}, {"resource": "b", "status": "PASS"}], {"a": "PASS"})
}

test_assert_statuses_refuses_two_records_of_one_resource if {
	not assert_statuses({{"resource": "a", "status": "PASS", "reason": "x"}, {"resource": "a", "status": "PASS", "reason": "y"}}, {"a": "PASS"})
}

test_record_is_the_one_record if {
	record([{"resource": "a", "status": "PASS"}, {"resource": "b", "status": "FAIL"}], "b") == {"resource": "b", "status": "FAIL"}
	not record([{"resource": "a", "status": "PASS"}, {"resource": "a", "status": "FAIL"}], "a")
}

test_fixture_names_each_resource if {
	fixture("kms.key", {"k": {"attrs": {}}}) == {"resources": {"kms.key": {"k": {"id": "k", "attrs": {}}}}}
}

# A collector's English explanation reaches the Japanese reason as its error code only.
test_japanese_reasons_name_only_the_error_code if {
	r := {"id": "x", "attrs": {"not_collected": {
		"a": "ssm:ListInventoryEntries failed (InvalidInstanceId: not a valid node)",
		"b": "AccessDenied",
		"c": "the endpoint answered HTTP 500 with an HTML page instead of an AWS error",
	}}, "unknown": []}
	data.genmei.lib.not_evaluated(r, ["attrs", "a"]).reason_ja == "判定に必要な設定値を収集できなかった(InvalidInstanceId)"
	data.genmei.lib.not_evaluated(r, ["attrs", "b"]).reason_ja == "判定に必要な設定値を収集できなかった(AccessDenied)"
	data.genmei.lib.not_evaluated(r, ["attrs", "c"]).reason_ja == "判定に必要な設定値を収集できなかった"
	data.genmei.lib.not_evaluated(r, ["attrs", "c"]).reason == "attrs.c was not collected: the endpoint answered HTTP 500 with an HTML page instead of an AWS error"
}
