"""Logs as a FHIR R4 Bundle of Observations: written, validated, read back."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from locations import LOG_FILES

from toolkit.errors import ExportError, NotALogError
from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.logs.fhir import logs_to_bundle, write_fhir_logs
from toolkit.logs.reading import read_logs
from toolkit.routines.fhir_terms import CODESYSTEM, LOINC_PAIN_SEVERITY, SESSION_CODE

LOGS = LOG_FILES


@pytest.fixture
def logs() -> pd.DataFrame:
    return read_logs(LOGS / "comma.csv", today="2026-11-25").logs


def test_round_trip_keeps_every_value(logs, tmp_path):
    path = write_fhir_logs(logs, tmp_path / "b.json", clinic_tz="Europe/Berlin")
    back = read_logs(path, today="2026-11-25").logs
    columns = [*CANONICAL_COLUMNS, "date", "has_time"]
    pd.testing.assert_frame_equal(back[columns], logs[columns])
    assert back["utc_offset_min"].tolist()[:4] == [120, 120, 120, 120]


def test_shape_of_the_bundle(logs):
    bundle = logs_to_bundle(logs, clinic_tz="Europe/Berlin")
    assert bundle["type"] == "collection"
    resources = [e["resource"] for e in bundle["entry"]]
    sessions = [r for r in resources if r["code"]["coding"][0]["code"] == SESSION_CODE]
    pains = [r for r in resources if r["code"]["coding"][0]["code"] == LOINC_PAIN_SEVERITY]
    assert len(sessions) == 5 and len(pains) == 5
    first = sessions[0]
    assert first["effectiveDateTime"] == "2026-08-03T07:30:00+02:00"
    assert first["identifier"][0]["value"] == "a1"
    assert {c["code"]["coding"][0]["code"] for c in first["component"]} == {
        "exercise-id",
        "sets-done",
        "reps-done",
        "completed",
    }
    assert first["hasMember"][0]["reference"] == bundle["entry"][1]["fullUrl"]
    assert pains[0]["component"][0]["valueCodeableConcept"]["coding"][0] == {
        "system": CODESYSTEM,
        "code": "pain-before",
    }
    assert sessions[4]["effectiveDateTime"] == "2026-08-04"
    assert sessions[3]["note"] == [{"text": "felt good, walked to the park"}]


def test_the_bundle_is_deterministic(logs):
    assert logs_to_bundle(logs, clinic_tz="UTC") == logs_to_bundle(logs, clinic_tz="UTC")


def test_a_time_without_offset_needs_a_clinic_zone(logs):
    with pytest.raises(
        ExportError,
        match=(
            r"comma\.csv row 2: the time 2026-08-03 07:30 has no UTC offset and FHIR needs one; "
            r"pass clinic_tz"
        ),
    ):
        logs_to_bundle(logs)


def test_a_json_file_that_is_not_a_bundle(tmp_path):
    path = tmp_path / "patient.json"
    path.write_text(json.dumps({"resourceType": "Patient", "id": "x"}))
    with pytest.raises(
        NotALogError,
        match=r"patient\.json: a FHIR Patient, not a FHIR Bundle of Observations, so not a log",
    ):
        read_logs(path)
    path.write_text("{not json")
    with pytest.raises(NotALogError, match=r"not valid JSON"):
        read_logs(path)
