"""The one policy turning a patient id into a file or folder name."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.exports.batch import patient_folder
from toolkit.report.clinic_report import chart_name
from toolkit.storage import MAX_STEM, safe_file_stem

_ONE_COMPONENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


@pytest.mark.parametrize("patient", ["P001", "p-001", "anna.m", "x" * MAX_STEM, "_7"])
def test_safe_ids_are_kept_as_written(patient: str) -> None:
    assert safe_file_stem(patient) == patient


@pytest.mark.parametrize(
    ("patient", "start"),
    [
        ("a/b", "a_b_"),
        ("a\\b", "a_b_"),
        ("..", "___"),
        (".hidden", "_hidden_"),
        ("", "_"),
        ("CON", "CON_"),
        ("nul.txt", "nul_txt_"),
        ("a..b", "a__b_"),
        ("a.", "a__"),
        ("-rf", "-rf_"),
        ("ü-1", "_-1_"),
        ("x" * (MAX_STEM + 1), "x" * (MAX_STEM - 17) + "_"),
        # looks like a changed name, so it is changed too, and cannot meet "a/b"
        ("a_b_" + "0" * 16, "a_b_" + "0" * 16 + "_"),
    ],
)
def test_other_ids_are_replaced_and_get_a_hash(patient: str, start: str) -> None:
    stem = safe_file_stem(patient)
    assert stem.startswith(start) and re.fullmatch(r".*_[0-9a-f]{16}", stem)
    assert stem == safe_file_stem(patient)  # deterministic


def test_a_slash_and_an_underscore_never_share_a_name() -> None:
    assert safe_file_stem("a/b") != safe_file_stem("a_b") != safe_file_stem("a b")


def test_the_report_and_the_batch_name_a_patient_alike(tmp_path) -> None:
    for patient in ["P001", "a/b", "../etc", ".x"]:
        stem = safe_file_stem(patient)
        assert chart_name(patient) == f"patient-{stem}.png"
        assert patient_folder(tmp_path, patient) == tmp_path.resolve() / stem


@given(st.text(max_size=150))
def test_the_name_is_always_one_safe_path_component(patient: str) -> None:
    stem = safe_file_stem(patient)
    assert _ONE_COMPONENT.fullmatch(stem)
    assert 0 < len(stem) <= MAX_STEM
    assert ".." not in stem and not stem.endswith(".")


@given(
    st.sets(
        st.text(alphabet=st.sampled_from("aAb_-./\\ü.0") | st.characters(), max_size=12),
        min_size=2,
        max_size=40,
    )
)
def test_different_ids_never_share_a_name(patients: set[str]) -> None:
    assert len({safe_file_stem(patient) for patient in patients}) == len(patients)


@given(st.lists(st.text(alphabet="ab_/.-0123456789abcdef", max_size=24), max_size=30))
def test_ids_that_look_hashed_do_not_collide_either(patients: list[str]) -> None:
    distinct = set(patients) | {f"{safe_file_stem(p)}" for p in patients}
    assert len({safe_file_stem(patient) for patient in distinct}) == len(distinct)
