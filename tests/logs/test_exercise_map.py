"""The clinic's exercise map: its files, its errors, and ids mapped while reading, never guessed."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from toolkit.errors import LogFormatError
from toolkit.logs.exercise_map import (
    UNKNOWN_SHARE,
    map_exercise_ids,
    normal_spelling,
    read_exercise_map,
    suggest_id,
    unknown_exercises,
)
from toolkit.logs.reading import read_logs

LIBRARY = ["bird-dog", "glute-bridge", "pelvic-tilt"]


def test_a_csv_map(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("as_written,exercise_id\npelvic_tilt, pelvic-tilt\nBridge,glute-bridge\n")
    assert read_exercise_map(path, LIBRARY) == {
        "pelvic_tilt": "pelvic-tilt",
        "Bridge": "glute-bridge",
    }


def test_a_clinic_file_with_exercise_aliases_and_other_keys(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text("name: Test clinic\nexercise_aliases:\n  pelvic_tilt: pelvic-tilt\n")
    assert read_exercise_map(path) == {"pelvic_tilt": "pelvic-tilt"}


def test_a_yaml_file_that_is_the_mapping_alone(tmp_path):
    path = tmp_path / "aliases.yml"
    path.write_text("pelvic_tilt: pelvic-tilt\n")
    assert read_exercise_map(path) == {"pelvic_tilt": "pelvic-tilt"}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "m.csv",
            "from,to\na,b\n",
            r"m.csv: an exercise map CSV starts with the header line 'as_written,exercise_id'; found 'from,to'",
        ),
        ("m.csv", "as_written,exercise_id\na,b,c\n", r"m.csv: row 2 has 3 cells; give 2"),
        (
            "m.txt",
            "a: b\n",
            r"m.txt: an exercise map is a .yaml, .yml, .json or .csv file, not '.txt'",
        ),
        (
            "m.yaml",
            "exercise_aliases: [a, b]\n",
            r"m.yaml: exercise_aliases must map each id as written to a library id, e.g. 'pelvic_tilt: pelvic-tilt'; found list",
        ),
        (
            "m.yaml",
            "pelvic_tilt: 3\n",
            r"m.yaml: 'pelvic_tilt' maps to 3; write the library's exercise id, e.g. pelvic-tilt",
        ),
        (
            "m.yaml",
            "pelvic_tilt: pelvic-tlt\n",
            r"m.yaml: 'pelvic_tilt' maps to 'pelvic-tlt', which is not in the exercise library; did you mean pelvic-tilt\?",
        ),
        (
            "m.csv",
            "as_written,exercise_id\na,bird-dog\na,pelvic-tilt\n",
            r"m.csv: 'a' is mapped twice, to 'bird-dog' and to 'pelvic-tilt'",
        ),
        ("m.yaml", "a: [\n", r"exercise map .*m.yaml: 1 problem"),
    ],
)
def test_a_bad_map_is_refused_naming_the_file_and_entry(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(LogFormatError, match=message):
        read_exercise_map(path, LIBRARY)


def test_a_missing_csv_map_is_named(tmp_path):
    with pytest.raises(LogFormatError, match=r"nothing.csv: exercise map not read \(No such file"):
        read_exercise_map(tmp_path / "nothing.csv")


def test_mapping_replaces_exact_ids_and_keeps_the_rest_and_blanks():
    ids = pa.array(["pelvic_tilt", None, "Pelvic_Tilt", "bird-dog"])
    mapped = map_exercise_ids(ids, {"pelvic_tilt": "pelvic-tilt"})
    assert mapped.to_pylist() == ["pelvic-tilt", None, "Pelvic_Tilt", "bird-dog"]
    assert map_exercise_ids(ids, None) is ids


def write_log(folder, ids):
    path = folder / "log.csv"
    lines = ["patient_id,timestamp,exercise_id,pain_before"]
    lines += [
        f"P1,2026-10-0{i + 1}T08:00,{ex},{11 if ex == 'bad' else 3}" for i, ex in enumerate(ids)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_read_logs_maps_ids_and_rejects_keep_cells_as_written(tmp_path):
    path = write_log(tmp_path, ["pelvic_tilt", "Pelvic Tilt", "bad"])
    logs, rejects, _ = read_logs(
        path, today="2026-10-31", exercise_map={"pelvic_tilt": "pelvic-tilt", "bad": "bird-dog"}
    )
    # the obvious spelling "Pelvic Tilt" is not applied silently
    assert logs["exercise_id"].tolist() == ["pelvic-tilt", "Pelvic Tilt"]
    assert rejects[["row", "column", "value"]].values.tolist() == [[4, "pain_before", "11"]]


def test_normal_spelling_and_suggestions():
    assert normal_spelling(" Pelvic_Tilt ") == "pelvic-tilt"
    assert normal_spelling("glute  bridge") == "glute-bridge"
    assert suggest_id("PELVIC TILT", LIBRARY) == "pelvic-tilt"
    assert suggest_id("glute-brige", LIBRARY) == "glute-bridge"
    assert suggest_id("walking", LIBRARY) == ""


def test_unknown_exercises_speaks_above_a_tenth_of_exercise_rows():
    assert UNKNOWN_SHARE == 0.1
    at_share = pd.Series(["pelvic-tilt"] * 9 + ["pelvic_tilt", None])
    assert unknown_exercises(at_share, LIBRARY) == ""  # 1 of 10: exactly a tenth, silent
    above = pd.Series(["pelvic-tilt"] * 8 + ["pelvic_tilt", "pelvic_tilt", "walk"])
    assert unknown_exercises(above, LIBRARY) == (
        "3 of 11 exercise rows name no exercise of the library; they will count for no session:\n"
        "  pelvic_tilt: 2 rows (did you mean pelvic-tilt?)\n"
        "  walk: 1 row\n"
        "If these are the library's exercises under another name, map them with "
        "--exercise-map FILE (a CSV file with the columns as_written,exercise_id, or "
        "exercise_aliases: in a clinic YAML file)."
    )


def test_unknown_exercises_lists_ten_ids_and_counts_the_rest():
    ids = pd.Series([f"x{i:02d}" for i in range(12)])
    text = unknown_exercises(ids, LIBRARY)
    assert "  x09: 1 row" in text and "x10" not in text
    assert "  ... and 2 more ids" in text
