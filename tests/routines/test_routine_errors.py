"""Every kind of bad routine file gets one error that lists every problem, located."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from toolkit.errors import InvalidDocumentError, UnknownExerciseError
from toolkit.paths import exercises_dir, routines_dir
from toolkit.routines import documents
from toolkit.routines.documents import read_document
from toolkit.routines.routine import load_routine

REFERENCE_ROUTINE = routines_dir() / "gentle-back-stretches.yaml"


def _write(tmp_path: Path, data: object, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def reference() -> dict:
    return yaml.safe_load(REFERENCE_ROUTINE.read_text(encoding="utf-8"))


def test_every_problem_is_listed_with_place_value_and_rule(tmp_path, reference, library):
    reference["items"][2]["dose"] = {"sets": 2, "reps": "ten"}
    reference["items"][3]["dose"] = {"sets": 0, "reps": 5}
    reference["schedule"]["days_per_week"] = 9
    path = _write(tmp_path, reference)
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(path, library)
    error = caught.value
    assert error.source == str(path)
    assert [p.where for p in error.problems] == [
        "schedule.days_per_week",
        "items[2].dose.reps",
        "items[3].dose.sets",
    ]
    text = str(error)
    assert text.startswith(f"{path}: 3 problems\n")
    assert (
        "  - items[2].dose.reps: Input should be a valid integer, unable to parse string as an "
        "integer (got 'ten')" in text
    )
    assert "  - items[3].dose.sets: Input should be greater than or equal to 1 (got 0)" in text
    assert "  - schedule.days_per_week: Input should be less than or equal to 7 (got 9)" in text


def test_unknown_key_suggests_the_nearest(tmp_path, reference):
    reference["items"][0]["dose"] = {"sets": 1, "reps": 10, "counts": "breaths", "rpes": 3}
    reference["titel"] = "x"
    path = _write(tmp_path, reference)
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(path)
    messages = [str(p) for p in caught.value.problems]
    assert "titel: unknown field 'titel'; did you mean 'title'?" in messages
    assert "items[0].dose.rpes: unknown field 'rpes'; did you mean 'reps'?" in messages


def test_unknown_key_with_no_near_match_lists_allowed(tmp_path, reference):
    reference["schedule"]["zzz"] = 1
    with pytest.raises(
        InvalidDocumentError,
        match=r"schedule.zzz: unknown field 'zzz'; allowed: days_per_week, sessions_per_day",
    ):
        load_routine(_write(tmp_path, reference))


def test_newer_schema_version_is_refused_by_name(tmp_path, reference):
    reference["schema_version"] = 2
    reference["future_field"] = True
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(_write(tmp_path, reference))
    assert [str(p) for p in caught.value.problems] == [
        "schema_version: routine format version 2 is newer than this hepkit reads (up to 1); "
        "update hepkit to open this file (got 2)"
    ]


def test_unknown_exercise_names_the_closest_ids(tmp_path, reference, library):
    reference["items"][3]["exercise"] = "single-knee-to-chst"
    reference["items"][4]["exercise"] = "zumba"
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(_write(tmp_path, reference), library)
    assert [str(p) for p in caught.value.problems] == [
        "items[3].exercise: unknown exercise id; closest ids: single-knee-to-chest, "
        "double-knee-to-chest (got 'single-knee-to-chst')",
        "items[4].exercise: unknown exercise id; no similar id in the library (got 'zumba')",
    ]


def test_an_unknown_field_and_an_unknown_exercise_are_reported_together(
    tmp_path, reference, library
):
    reference["titel"] = "Back care"
    reference["items"][1]["exercise"] = "neutral-spin"
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(_write(tmp_path, reference), library)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("titel: unknown field")
    assert messages[1] == (
        "items[1].exercise: unknown exercise id; closest ids: neutral-spine-pelvic-tilts "
        "(got 'neutral-spin')"
    )


def test_library_lookup_error_names_closest(library):
    with pytest.raises(UnknownExerciseError) as caught:
        library.get("pelvic-tlt")
    assert str(caught.value) == "unknown exercise id 'pelvic-tlt'; closest ids: pelvic-tilt"


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    marker = tmp_path / "pwned"
    path.write_text(f"!!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(
        InvalidDocumentError, match="not valid YAML: could not determine a constructor"
    ):
        load_routine(path)
    assert not marker.exists()


def test_duplicate_key_is_refused(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("id: a\ntitle: one\ntitle: two\n", encoding="utf-8")
    with pytest.raises(
        InvalidDocumentError,
        match=r"line 3, column 1: not valid YAML: key 'title' appears twice \(first on line 2\)",
    ):
        load_routine(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "list.yaml",
            "- a\n- b\n",
            r"\(document\): the top level must be a mapping .* \(got 'list'\)",
        ),
        (
            "empty.yaml",
            "",
            r"top level must be a mapping of field names \(got 'an empty document'\)",
        ),
        ("bad.json", '{"id": }', r"not valid JSON at line 1, column 8: Expecting value"),
        ("r.txt", "id: a", r"expected a .yaml, .yml or .json file \(got '.txt'\)"),
        ("tab.yaml", "id: a\n\tb: 1\n", r"line 2, column 1: not valid YAML"),
    ],
)
def test_unreadable_documents(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidDocumentError, match=message):
        load_routine(path)


def test_missing_file(tmp_path):
    with pytest.raises(
        InvalidDocumentError, match=r"nope.yaml: 1 problem\n  - \(document\): file not found$"
    ):
        load_routine(tmp_path / "nope.yaml")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidDocumentError, match="cannot be read as UTF-8 text"):
        load_routine(path)


def test_missing_required_fields_are_named(tmp_path):
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(_write(tmp_path, {"id": "xy"}))
    missing = [p.where for p in caught.value.problems]
    assert missing == [
        "title",
        "author",
        "clinic",
        "created",
        "updated",
        "condition",
        "introduction",
        "items",
    ]
    assert all(p.message == "required field is missing" for p in caught.value.problems)


def test_rule_over_several_fields_is_reported_without_dumping_the_mapping(tmp_path, reference):
    reference["items"][1]["dose"] = {"reps": 5, "duration_s": 30}
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(_write(tmp_path, reference))
    assert str(caught.value.problems[0]) == (
        "items[1].dose: give either reps (a counted exercise) or duration_s (an exercise dosed "
        "by time), not both and not neither"
    )


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append("title: *a9")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_quickly_within_bounded_memory(tmp_path):
    from bounded import run_bounded

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_billion_laughs(), encoding="utf-8")
    assert bomb.stat().st_size < 2100
    result = run_bounded(
        f"""
        import time
        from toolkit.errors import InvalidDocumentError
        from toolkit.routines.routine import load_routine
        start = time.perf_counter()
        try:
            load_routine({str(bomb)!r})
        except InvalidDocumentError as exc:
            print(exc)
        print(f"{{time.perf_counter() - start:.3f}}")
        """,
        timeout_s=30,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    message, seconds = result.stdout.rstrip("\n").rsplit("\n", 1)
    assert float(seconds) < 2
    assert message == (
        f"{bomb}: 1 problem\n"
        "  - line 1, column 5: not valid YAML: anchors (&name) are not allowed in hepkit files; "
        "write the value out in full"
    )


def test_aliases_are_refused_where_they_appear(tmp_path, reference):
    text = REFERENCE_ROUTINE.read_text(encoding="utf-8")
    path = tmp_path / "alias.yaml"
    path.write_text(text + "notes: *nowhere\n", encoding="utf-8")
    with pytest.raises(
        InvalidDocumentError,
        match=r"not valid YAML: aliases \(\*name\) are not allowed in hepkit files; write the "
        r"value out in full",
    ):
        load_routine(path)


def test_a_huge_value_is_shown_short(tmp_path, reference):
    from toolkit.errors import short_repr

    reference["title"] = ["x" * 100_000] + [str(n) for n in range(10_000)]
    reference["version"] = "seven" * 10_000
    with pytest.raises(InvalidDocumentError) as caught:
        load_routine(_write(tmp_path, reference))
    lines = str(caught.value).splitlines()
    assert len(lines) == 3 and max(len(line) for line in lines) < 200
    assert short_repr(10**5000) == "<a whole number of about 5,001 digits>"
    assert len(short_repr([[list(range(100))] * 100] * 100)) <= 80


def test_a_routine_file_past_the_size_limit_is_not_read(tmp_path, monkeypatch):
    from toolkit.routines import documents

    assert documents.MAX_DOCUMENT_BYTES == 16 * 1024**2
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text(REFERENCE_ROUTINE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(
        InvalidDocumentError,
        match=r"big.yaml: not read: larger than the limit of 100 bytes \(a routine is a few "
        r"kilobytes\)$",
    ):
        load_routine(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "id: a\ntitle: Back care: week 1\n",
            r"line 2, column 17: not valid YAML: text with ': ' inside needs quotes, as in "
            r"title: \"Back care: week 1\" \(the reader says: mapping values are not allowed here\)",
        ),
        (
            "id: a\nitems:\n\t- x\n",
            r"line 3, column 1: not valid YAML: use spaces, not tabs, to indent \(the reader says",
        ),
        (
            "id: a\nclinic:\n  name: x\n   phone: 1\n",
            r"line 4, column 9: not valid YAML: this line is indented differently from the one "
            r"above \(the reader says: mapping values are not allowed here\)",
        ),
        (
            "id: a\nclinic:\n    name: x\n  phone: 1\n",
            r"line 4, column 3: not valid YAML: this line is indented differently from the one "
            r"above \(the reader says: expected <block end>",
        ),
    ],
    ids=["colon-in-text", "tab", "indented-more", "indented-less"],
)
def test_yaml_slips_get_a_hint_beside_line_and_column(tmp_path, content, message):
    path = tmp_path / "slip.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidDocumentError, match=message):
        load_routine(path)


def test_missing_file_names_the_nearest_files_of_its_folder(tmp_path):
    for name in ("back-care.yaml", "back-care-v2.yaml", "knee.yaml", "notes.txt"):
        (tmp_path / name).write_text("id: a\n", encoding="utf-8")
    with pytest.raises(
        InvalidDocumentError,
        match=rf"back-cair.yaml: 1 problem\n  - \(document\): file not found; files with a name "
        rf"like it in {re.escape(str(tmp_path))}: back-care.yaml, back-care-v2.yaml$",
    ):
        load_routine(tmp_path / "back-cair.yaml")


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(
        InvalidDocumentError, match=r"file not found \(there is no folder .*no-such-folder\)$"
    ):
        load_routine(tmp_path / "no-such-folder" / "r.yaml")


def test_near_name_threshold():
    from toolkit.routines.documents import NEAR_NAME_CUTOFF

    assert NEAR_NAME_CUTOFF == 0.6


def test_libyaml_and_the_python_loader_read_every_shipped_file_alike():
    # Well-formed files are read by libyaml for speed; what they hold must not change.

    assert documents._CLoader is yaml.CSafeLoader  # the fast path is there to be tested
    files = [*exercises_dir().rglob("*.yaml"), *routines_dir().glob("*.yaml")]
    assert len(files) >= 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        slow = yaml.load(text, Loader=documents._UniqueKeyLoader)  # noqa: S506
        assert documents._load_yaml(text) == slow, path


def test_a_key_written_twice_is_still_refused_with_its_line(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("id: a\ntitle: One\ntitle: Two\n", encoding="utf-8")
    with pytest.raises(
        InvalidDocumentError, match=r"key 'title' appears twice \(first on line 2\)"
    ):
        read_document(path)
