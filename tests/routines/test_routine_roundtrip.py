"""YAML, JSON and the model hold the same routine: save and load lose nothing."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.routines.models import Contact, Dose, Routine, RoutineItem, Schedule
from toolkit.routines.routine import dump_routine, load_routine, save_routine

_chars = st.characters(
    whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\u2028\u2029"
)
short_text = st.text(_chars, min_size=1, max_size=25).map(str.strip).filter(bool)
long_text = st.lists(short_text, min_size=1, max_size=3).map("\n".join)
slug = st.from_regex(r"[a-z0-9]{2,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
sides = st.sampled_from(["both", "left", "right", "each-side", "alternating"])
rest = st.none() | st.integers(0, 300)
sets = st.integers(1, 10)

doses = st.one_of(
    st.builds(Dose, sets=sets, reps=st.integers(1, 50), side=sides, rest_s=rest),
    st.builds(
        Dose,
        sets=sets,
        reps=st.integers(1, 50),
        counts=st.just("holds"),
        hold_s=st.integers(1, 120),
        side=sides,
        rest_s=rest,
    ),
    st.builds(Dose, sets=sets, reps=st.integers(1, 50), counts=st.just("breaths"), rest_s=rest),
    st.builds(Dose, sets=sets, duration_s=st.integers(5, 1800), side=sides, rest_s=rest),
)
items = st.builds(RoutineItem, exercise=slug, dose=st.none() | doses, note=st.none() | long_text)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))


@st.composite
def routines(draw: st.DrawFn) -> Routine:
    created = draw(dates)
    return Routine(
        id=draw(slug),
        title=draw(short_text),
        version=draw(st.integers(1, 999)),
        author=draw(short_text),
        clinic=Contact(name=draw(short_text), phone=draw(st.none() | short_text)),
        created=created,
        updated=created + dt.timedelta(days=draw(st.integers(0, 400))),
        condition=draw(short_text),
        language=draw(st.sampled_from(["en", "fr", "es-MX"])),
        introduction=draw(long_text),
        safety_notice=draw(long_text),
        schedule=Schedule(
            sessions_per_day=draw(st.integers(1, 6)), days_per_week=draw(st.integers(1, 7))
        ),
        items=draw(st.lists(items, min_size=1, max_size=6)),
        progression=draw(st.lists(long_text, max_size=2)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routine=routines())
def test_yaml_json_model_round_trip(routine: Routine) -> None:
    with tempfile.TemporaryDirectory() as folder:
        yaml_path = save_routine(routine, Path(folder) / "r.yaml")
        json_path = save_routine(routine, Path(folder) / "r.json")
        from_yaml = load_routine(yaml_path)
        from_json = load_routine(json_path)
    assert from_yaml == routine
    assert from_json == routine
    assert dump_routine(from_yaml, "yaml") == dump_routine(routine, "yaml")


def test_reference_routine_saves_back_unchanged_in_meaning(routine_file, library):
    routine = load_routine(routine_file, library)
    again = load_routine(save_routine(routine), library)
    assert again == routine
    json_copy = load_routine(save_routine(routine, routine_file.with_suffix(".json")), library)
    assert json_copy == routine
