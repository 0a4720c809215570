"""Deep merge rules: mappings by key, id-lists by id (with remove), the rest replaces."""

from detente.io.merge import deep_merge, merge_with_origin

BASE = {
    "id": "p",
    "alert": "day_to_day",
    "c2": {"execution_probability": 0.95, "decision_time_min": 10},
    "systems": [
        {"id": "a", "cep_m": 200, "alert": {"day_to_day": 0.9, "generated": 0.95}},
        {"id": "b", "cep_m": 100},
    ],
    "notes": ["x", "y"],
}


def test_mappings_merge_key_by_key():
    out = deep_merge(BASE, {"c2": {"decision_time_min": 4}})
    assert out["c2"] == {"execution_probability": 0.95, "decision_time_min": 4}
    assert out["alert"] == "day_to_day"


def test_id_lists_merge_by_id_append_and_remove():
    out = deep_merge(
        BASE,
        {
            "systems": [
                {"id": "b", "remove": True},
                {"id": "a", "alert": {"generated": 1.0}},
                {"id": "c", "cep_m": 50},
            ]
        },
    )
    assert out["systems"] == [
        {"id": "a", "cep_m": 200, "alert": {"day_to_day": 0.9, "generated": 1.0}},
        {"id": "c", "cep_m": 50},
    ]


def test_scalars_and_other_lists_replace():
    out = deep_merge(BASE, {"alert": "generated", "notes": ["z"]})
    assert out["alert"] == "generated"
    assert out["notes"] == ["z"]


def test_inputs_are_not_modified():
    import copy

    before = copy.deepcopy(BASE)
    over = {"systems": [{"id": "a", "cep_m": 1}, {"id": "b", "remove": True}]}
    over_before = copy.deepcopy(over)
    deep_merge(BASE, over)
    assert before == BASE
    assert over == over_before


def test_remove_false_is_dropped_and_merges():
    out = deep_merge(BASE, {"systems": [{"id": "b", "remove": False, "cep_m": 90}]})
    assert out["systems"][1] == {"id": "b", "cep_m": 90}


def test_origin_points_override_fields_at_the_override_and_the_rest_at_the_base():
    res = merge_with_origin(
        BASE,
        {"systems": [{"id": "a", "remove": True}, {"id": "b", "cep_m": 5}]},
        base_at=("posture",),
        over_at=("override",),
    )
    # after removing a, b is item 0 of the result; its cep_m came from override item 1
    assert res.data["systems"] == [{"id": "b", "cep_m": 5}]
    assert res.origin[("systems", 0, "cep_m")] == ("override", "systems", 1, "cep_m")
    assert res.origin[("systems", 0)] == ("posture", "systems", 1)
    assert res.origin[("c2", "decision_time_min")] == ("posture", "c2", "decision_time_min")
    assert res.problems == []


def test_removing_an_unknown_id_is_a_problem_at_that_item():
    res = merge_with_origin(BASE, {"systems": [{"id": "zz", "remove": True}]}, over_at=("o",))
    ((path, message, value),) = res.problems
    assert path == ("o", "systems", 0, "id")
    assert "no item with this id" in message
    assert value == "'zz'"


def test_remove_must_be_a_boolean():
    res = merge_with_origin(BASE, {"systems": [{"id": "a", "remove": "yes please"}]})
    assert res.problems[0][0] == ("systems", 0, "remove")
