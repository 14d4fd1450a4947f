"""FHIR R4: valid resources, coded values, references that resolve, and the way back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from export_helpers import clinic_library, desk_routine
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import ExportError, InvalidDocumentError
from toolkit.exports.fhir_import import import_routine, routine_from_fhir
from toolkit.exports.fhir_plan import canonical_url, care_plan_bundle, plan_definition
from toolkit.exports.formats import export
from toolkit.routines.fhir_terms import (
    BASE,
    EXERCISE_CODESYSTEM,
    EXT_DOSE_COUNTS,
    EXT_DOSE_HOLD,
    EXT_DOSE_REPS,
    EXT_DOSE_REST,
    EXT_DOSE_SETS,
    EXT_DOSE_SIDE,
    EXT_ROUTINE_DOCUMENT,
    EXT_SCHEDULE_DAYS_PER_WEEK,
    EXT_SCHEDULE_SESSIONS_PER_DAY,
    PATIENT_IDENTIFIER_SYSTEM,
    PLAN_DEFINITION_TYPE_SYSTEM,
)
from toolkit.routines.library import Library
from toolkit.routines.models import Dose, Routine, RoutineItem, Schedule

# The R4 value sets of the coded elements hepkit writes (fhir.resources does not check them).
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}
REQUEST_RESOURCE_TYPES = {
    "Appointment",
    "AppointmentResponse",
    "CarePlan",
    "Claim",
    "CommunicationRequest",
    "Contract",
    "DeviceRequest",
    "EnrollmentRequest",
    "ImmunizationRecommendation",
    "MedicationRequest",
    "NutritionOrder",
    "ServiceRequest",
    "SupplyRequest",
    "Task",
    "VisionPrescription",
}
PLAN_DEFINITION_TYPES = {"order-set", "clinical-protocol", "eca-rule", "workflow-definition"}
CARE_PLAN_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}
CARE_PLAN_INTENT = {"proposal", "plan", "order", "option"}
ACTIVITY_KIND = {
    "Appointment",
    "CommunicationRequest",
    "DeviceRequest",
    "MedicationRequest",
    "NutritionOrder",
    "Task",
    "ServiceRequest",
    "VisionPrescription",
}
ACTIVITY_STATUS = {
    "not-started",
    "scheduled",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
    "stopped",
    "unknown",
    "entered-in-error",
}
BUNDLE_TYPES = {
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
}
PERIOD_UNITS = {"s", "min", "h", "d", "wk", "mo", "a"}
SIDES = {"both", "left", "right", "each-side", "alternating"}
COUNTS = {"repetitions", "holds", "breaths"}

START, END = dt.date(2026, 12, 1), dt.date(2026, 12, 28)


def validate(resource: dict[str, Any]) -> None:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def extensions(element: dict[str, Any]) -> dict[str, Any]:
    return {
        e["url"]: next(v for k, v in e.items() if k.startswith("value"))
        for e in element.get("extension", [])
    }


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return plan_definition(desk_routine(), clinic_library())


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    return care_plan_bundle(desk_routine(), clinic_library(), "p-042", START, END)


def test_every_resource_is_valid_r4(plan: dict[str, Any], bundle: dict[str, Any]) -> None:
    validate(plan)
    for contained in plan["contained"]:
        validate(contained)
    validate(bundle)
    for entry in bundle["entry"]:
        validate(entry["resource"])


def test_plan_definition_codes(plan: dict[str, Any]) -> None:
    assert plan["status"] in PUBLICATION_STATUS
    (coding,) = plan["type"]["coding"]
    assert coding["system"] == PLAN_DEFINITION_TYPE_SYSTEM
    assert coding["code"] in PLAN_DEFINITION_TYPES
    assert plan["url"] == f"{BASE}/PlanDefinition/desk-break" and plan["version"] == "2"
    assert plan["language"] == "en"
    for activity in plan["contained"]:
        assert activity["resourceType"] == "ActivityDefinition"
        assert activity["status"] in PUBLICATION_STATUS
        assert activity["kind"] in REQUEST_RESOURCE_TYPES
        (dosage,) = activity["dosage"]
        assert dosage["timing"]["repeat"]["periodUnit"] in PERIOD_UNITS
        found = extensions(dosage)
        assert found[EXT_DOSE_SIDE] in SIDES and found[EXT_DOSE_COUNTS] in COUNTS


def test_actions_refer_to_contained_activities_in_order(plan: dict[str, Any]) -> None:
    contained = {r["id"]: r for r in plan["contained"]}
    assert len(contained) == len(plan["contained"]) == len(plan["action"]) == 3
    codes = []
    for action in plan["action"]:
        target = action["definitionCanonical"]
        assert target.startswith("#") and target[1:] in contained
        (coding,) = contained[target[1:]]["code"]["coding"]
        assert coding["system"] == EXERCISE_CODESYSTEM
        codes.append(coding["code"])
    assert codes == ["clinic-shoulder-blade-squeeze", "pelvic-tilt", "walking"]


def test_activity_holds_steps_dose_and_timing(plan: dict[str, Any]) -> None:
    squeeze = plan["contained"][0]
    assert squeeze["title"] == "Shoulder blade squeeze"
    assert (
        "1. Sit tall, as if a string were lifting the top of your head." in squeeze["description"]
    )
    (dosage,) = squeeze["dosage"]
    assert dosage["text"] == (
        "Hold for 5 seconds. Do this 8 times, 2 sets. Rest 30 seconds between sets."
    )
    assert extensions(dosage) == {
        EXT_DOSE_SETS: 2,
        EXT_DOSE_REPS: 8,
        EXT_DOSE_HOLD: 5,
        EXT_DOSE_REST: 30,
        EXT_DOSE_COUNTS: "holds",
        EXT_DOSE_SIDE: "both",
    }
    # 2 sessions a day on 5 days a week: 10 sessions a week
    assert dosage["timing"] == {"repeat": {"frequency": 10, "period": 1, "periodUnit": "wk"}}
    assert extensions(plan)[EXT_SCHEDULE_SESSIONS_PER_DAY] == 2
    assert extensions(plan)[EXT_SCHEDULE_DAYS_PER_WEEK] == 5


def test_every_day_is_timed_per_day() -> None:
    routine = desk_routine()
    routine.schedule = Schedule(sessions_per_day=3, days_per_week=7)
    plan = plan_definition(routine, clinic_library())
    timing = plan["contained"][0]["dosage"][0]["timing"]
    assert timing == {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}}


def test_care_plan_codes_and_references_resolve(bundle: dict[str, Any]) -> None:
    assert bundle["type"] in BUNDLE_TYPES
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    assert all(url.startswith("urn:uuid:") for url in by_url)
    kinds = sorted(r["resourceType"] for r in by_url.values())
    assert kinds == ["CarePlan", "Patient", "PlanDefinition"]
    care_plan = next(r for r in by_url.values() if r["resourceType"] == "CarePlan")
    assert care_plan["status"] in CARE_PLAN_STATUS
    assert care_plan["intent"] in CARE_PLAN_INTENT
    assert care_plan["period"] == {"start": "2026-12-01", "end": "2026-12-28"}
    patient = by_url[care_plan["subject"]["reference"]]
    assert patient["resourceType"] == "Patient"
    assert patient["identifier"] == [{"system": PATIENT_IDENTIFIER_SYSTEM, "value": "p-042"}]
    canonicals = {
        f"{r['url']}|{r['version']}"
        for r in by_url.values()
        if r["resourceType"] == "PlanDefinition"
    }
    assert care_plan["instantiatesCanonical"] == [canonical_url(desk_routine())]
    assert set(care_plan["instantiatesCanonical"]) <= canonicals
    assert len(care_plan["activity"]) == 3
    for activity in care_plan["activity"]:
        assert activity["detail"]["kind"] in ACTIVITY_KIND
        assert activity["detail"]["status"] in ACTIVITY_STATUS
        bounds = activity["detail"]["scheduledTiming"]["repeat"]["boundsPeriod"]
        assert bounds == care_plan["period"]


def test_ids_are_stable_between_exports(bundle: dict[str, Any]) -> None:
    again = care_plan_bundle(desk_routine(), clinic_library(), "p-042", START, END)
    assert again == bundle
    other = care_plan_bundle(desk_routine(), clinic_library(), "p-043", START, END)
    assert other["entry"][0]["fullUrl"] != bundle["entry"][0]["fullUrl"]


def test_care_plan_period_must_be_in_order() -> None:
    with pytest.raises(ExportError, match=r"patient 'p-1': end date 2026-12-01 is before start"):
        care_plan_bundle(desk_routine(), clinic_library(), "p-1", END, START)


def test_care_plan_needs_patient_and_period_together(tmp_path: Path) -> None:
    with pytest.raises(
        ExportError, match=r"a FHIR CarePlan needs patient_id, start and end together; missing: end"
    ):
        export(
            desk_routine(),
            "fhir",
            tmp_path / "x.json",
            library=clinic_library(),
            patient_id="p",
            start=START,
        )


@pytest.mark.parametrize("with_patient", [False, True])
def test_round_trip_through_a_file(tmp_path: Path, with_patient: bool) -> None:
    routine = desk_routine()
    options = {"patient_id": "p-042", "start": START, "end": END} if with_patient else {}
    path = export(routine, "fhir", tmp_path / "desk.fhir.json", library=clinic_library(), **options)
    kind = json.loads(path.read_text())["resourceType"]
    assert kind == ("Bundle" if with_patient else "PlanDefinition")
    assert import_routine(path, clinic_library()) == routine


def test_without_the_document_extension_the_standard_fields_suffice(
    plan: dict[str, Any],
) -> None:
    bare = dict(plan)
    bare["extension"] = [e for e in plan["extension"] if e["url"] != EXT_ROUTINE_DOCUMENT]
    routine = routine_from_fhir(bare, "bare.json", clinic_library())
    expected = desk_routine()
    assert routine.items == expected.items
    assert routine.schedule == expected.schedule
    # what standard FHIR has no place for: progression, created date, clinic address
    lost = {"progression": True, "created": True, "clinic": {"address"}}
    assert routine.model_dump(exclude=lost) == expected.model_dump(exclude=lost)
    assert routine.created == routine.updated == expected.updated


def test_import_names_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "patient.json"
    path.write_text(json.dumps({"resourceType": "Patient", "id": "x"}))
    with pytest.raises(
        InvalidDocumentError,
        match=r"resourceType: expected a FHIR PlanDefinition, or a Bundle holding one "
        r"\(got 'Patient'\)",
    ):
        import_routine(path)
    path.write_text("{not json")
    with pytest.raises(
        InvalidDocumentError,
        match=r"patient.json: 1 problem\n  - \(document\): "
        r"not valid JSON",
    ):
        import_routine(path)
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}))
    with pytest.raises(InvalidDocumentError, match=r"entry: the Bundle holds no PlanDefinition"):
        import_routine(path)


def test_import_refuses_invalid_fhir(plan: dict[str, Any]) -> None:
    broken = dict(plan, status=None, date="not a date")
    with pytest.raises(InvalidDocumentError, match=r"PlanDefinition\.date"):
        routine_from_fhir(broken)


_doses = st.one_of(
    st.none(),
    st.builds(
        Dose,
        sets=st.integers(1, 10),
        reps=st.integers(1, 50),
        side=st.sampled_from(sorted(SIDES)),
        rest_s=st.none() | st.integers(0, 300),
    ),
    st.builds(
        Dose,
        sets=st.integers(1, 10),
        reps=st.integers(1, 50),
        counts=st.just("holds"),
        hold_s=st.integers(1, 120),
    ),
    st.builds(Dose, sets=st.integers(1, 10), duration_s=st.integers(5, 1800)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_routine_survives_the_round_trip(library: Library, data: st.DataObject) -> None:
    items = data.draw(
        st.lists(
            st.builds(
                RoutineItem,
                exercise=st.sampled_from(library.ids),
                dose=_doses,
                note=st.none() | st.text(min_size=1, max_size=40).map(str.strip).filter(bool),
            ),
            min_size=1,
            max_size=5,
        )
    )
    schedule = Schedule(
        sessions_per_day=data.draw(st.integers(1, 6)), days_per_week=data.draw(st.integers(1, 7))
    )
    routine = desk_routine().model_copy(update={"items": items, "schedule": schedule})
    routine = Routine.model_validate(routine.model_dump())
    assert routine_from_fhir(plan_definition(routine, library), None, library) == routine
