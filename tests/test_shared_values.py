"""engine/shared_values.py: equal values held once, up to a bound."""

from genmei.engine.shared_values import SharedValues


def test_equal_values_are_one_object_and_the_table_is_bounded():
    shared = SharedValues(limit=2)
    a, b = "".join(["ap-", "northeast-1"]), "".join(["ap-", "northeast-1"])
    assert a == b and a is not b
    assert shared.get(a, a) is a and shared.get(b, b) is a
    first, second = {"kind": "api"}, {"kind": "api"}
    assert shared.get(("source", tuple(first.items())), first) is first
    assert shared.get(("source", tuple(second.items())), second) is first
    # full: a new value is given back as it is, and not held
    new = "".join(["eu-", "west-1"])
    assert shared.get(new, new) is new and len(shared.table) == 2
    again = "".join(["eu-", "west-1"])
    assert shared.get(again, again) is again
