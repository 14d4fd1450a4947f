"""A routine as HL7 FHIR R4 resources: PlanDefinition, ActivityDefinition, CarePlan, Bundle.

The routine becomes a PlanDefinition whose actions point at contained ActivityDefinitions, one
per exercise (steps as description, dose as Dosage with the schedule as its timing, the parts
of the dose FHIR has no field for as hepkit extensions). For one patient and a period, a
CarePlan instantiates it; the three resources (with a Patient that holds only the clinic's
patient id) travel together in a Bundle. ``docs/fhir.md`` describes the mapping.

The whole routine document also rides along in an extension, so that
:func:`toolkit.exports.fhir_import.import_routine` gives back exactly the routine that was exported.
Every resource is checked against the ``fhir.resources`` R4B models before it is returned.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from toolkit.errors import ExportError, InvalidDocumentError
from toolkit.routines.fhir_terms import (
    EXERCISE_CODESYSTEM,
    EXT_DOSE_COUNTS,
    EXT_DOSE_DURATION,
    EXT_DOSE_HOLD,
    EXT_DOSE_REPS,
    EXT_DOSE_REST,
    EXT_DOSE_SETS,
    EXT_DOSE_SIDE,
    EXT_ROUTINE_DOCUMENT,
    EXT_SCHEDULE_DAYS_PER_WEEK,
    EXT_SCHEDULE_SESSIONS_PER_DAY,
    PATIENT_IDENTIFIER_SYSTEM,
    PLAN_DEFINITION_BASE,
    PLAN_DEFINITION_TYPE_SYSTEM,
)
from toolkit.routines.library import Library
from toolkit.routines.models import Dose, Exercise, Routine, Schedule
from toolkit.routines.routine import check_exercises, dump_routine, effective_dose, origin
from toolkit.routines.wording import describe_dose, describe_schedule

__all__ = [
    "plan_definition",
    "care_plan_bundle",
    "canonical_url",
    "validate_resource",
    "fhir_json",
]

#: Namespace of the stable urn:uuid identifiers of exported resources.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, PLAN_DEFINITION_BASE)


def canonical_url(routine: Routine) -> str:
    """The routine's canonical URL with its version: ``<base>/PlanDefinition/<id>|<version>``."""
    return f"{PLAN_DEFINITION_BASE}/{routine.id}|{routine.version}"


def _stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _computer_name(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))


def _timing(schedule: Schedule) -> dict[str, Any]:
    """Every day: sessions a day; fewer days: all sessions of the week, per week."""
    if schedule.days_per_week == 7:
        repeat = {"frequency": schedule.sessions_per_day, "period": 1, "periodUnit": "d"}
    else:
        frequency = schedule.sessions_per_day * schedule.days_per_week
        repeat = {"frequency": frequency, "period": 1, "periodUnit": "wk"}
    return {"repeat": repeat}


def _dose_extensions(dose: Dose) -> list[dict[str, Any]]:
    integers = [
        (EXT_DOSE_SETS, dose.sets),
        (EXT_DOSE_REPS, dose.reps),
        (EXT_DOSE_HOLD, dose.hold_s),
        (EXT_DOSE_REST, dose.rest_s),
        (EXT_DOSE_DURATION, dose.duration_s),
    ]
    out: list[dict[str, Any]] = [
        {"url": url, "valueInteger": value} for url, value in integers if value is not None
    ]
    out.append({"url": EXT_DOSE_COUNTS, "valueCode": dose.counts})
    out.append({"url": EXT_DOSE_SIDE, "valueCode": dose.side})
    return out


def _exercise_code(exercise: Exercise) -> dict[str, Any]:
    coding = {"system": EXERCISE_CODESYSTEM, "code": exercise.id, "display": exercise.name}
    return {"coding": [coding], "text": exercise.name}


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{number}. {text}" for number, text in enumerate(lines, start=1))


def _activity_definition(
    index: int, exercise: Exercise, dose: Dose, schedule: Schedule
) -> dict[str, Any]:
    description = f"{exercise.start}\n\n{_numbered(exercise.steps)}"
    usage = "\n".join(
        ["Take care:", *(f"- {c}" for c in exercise.cautions)]
        + ["Stop and tell your therapist if:", *(f"- {s}" for s in exercise.stop_if)]
    )
    dosage: dict[str, Any] = {
        "extension": _dose_extensions(dose),
        "sequence": 1,
        "text": describe_dose(dose),
        "timing": _timing(schedule),
    }
    advice = [exercise.breathing] if exercise.breathing else []
    advice += exercise.cues
    if advice:
        dosage["patientInstruction"] = " ".join(advice)
    return {
        "resourceType": "ActivityDefinition",
        "id": f"item-{index + 1}",
        "name": _computer_name(exercise.id),
        "title": exercise.name,
        "status": "active",
        "description": description,
        "purpose": exercise.summary,
        "usage": usage,
        "kind": "ServiceRequest",
        "code": _exercise_code(exercise),
        "dosage": [dosage],
    }


def _contact_detail(routine: Routine) -> dict[str, Any]:
    clinic = routine.clinic
    telecom = [
        {"system": system, "value": value}
        for system, value in (
            ("phone", clinic.phone),
            ("email", clinic.email),
            ("url", clinic.website),
        )
        if value
    ]
    detail: dict[str, Any] = {"name": clinic.name}
    if telecom:
        detail["telecom"] = telecom
    return detail


def _checked(routine: Routine, library: Library) -> None:
    problems = check_exercises(routine, library)
    if problems:
        raise InvalidDocumentError(origin(routine), problems)


def plan_definition(routine: Routine, library: Library) -> dict[str, Any]:
    """The routine as a FHIR R4 PlanDefinition with contained ActivityDefinitions.

    Parameters
    ----------
    routine : Routine
        The routine to export.
    library : Library
        Holds every exercise the routine names.

    Returns
    -------
    dict
        The resource as JSON-ready data, checked by :func:`validate_resource`.
    """
    resource = _plan_definition(routine, library)
    validate_resource(resource)
    return resource


def _plan_definition(routine: Routine, library: Library) -> dict[str, Any]:
    _checked(routine, library)
    contained = []
    actions = []
    for index, item in enumerate(routine.items):
        exercise = library.get(item.exercise)
        activity = _activity_definition(
            index, exercise, effective_dose(item, exercise), routine.schedule
        )
        contained.append(activity)
        action: dict[str, Any] = {
            "prefix": str(index + 1),
            "title": exercise.name,
            "code": [_exercise_code(exercise)],
            "definitionCanonical": f"#{activity['id']}",
        }
        if item.note:
            action["description"] = item.note
        actions.append(action)
    resource = {
        "resourceType": "PlanDefinition",
        "id": routine.id,
        "language": routine.language,
        "contained": contained,
        "extension": [
            {"url": EXT_ROUTINE_DOCUMENT, "valueString": dump_routine(routine, "json")},
            {
                "url": EXT_SCHEDULE_SESSIONS_PER_DAY,
                "valueInteger": routine.schedule.sessions_per_day,
            },
            {"url": EXT_SCHEDULE_DAYS_PER_WEEK, "valueInteger": routine.schedule.days_per_week},
        ],
        "url": f"{PLAN_DEFINITION_BASE}/{routine.id}",
        "version": str(routine.version),
        "name": _computer_name(routine.id),
        "title": routine.title,
        "type": {"coding": [{"system": PLAN_DEFINITION_TYPE_SYSTEM, "code": "order-set"}]},
        "status": "active",
        "date": routine.updated.isoformat(),
        "publisher": routine.clinic.name,
        "contact": [_contact_detail(routine)],
        "description": routine.introduction,
        "purpose": routine.condition,
        "usage": routine.safety_notice,
        "author": [{"name": routine.author}],
        "action": actions,
    }
    return resource


def care_plan_bundle(
    routine: Routine,
    library: Library,
    patient_id: str,
    start: dt.date,
    end: dt.date | None,
) -> dict[str, Any]:
    """A Bundle with the routine's PlanDefinition, a Patient and the CarePlan for one period.

    Parameters
    ----------
    routine, library
        As for :func:`plan_definition`.
    patient_id : str
        The clinic's id for the patient; the Patient resource holds nothing else.
    start : datetime.date
        First day of the plan.
    end : datetime.date or None
        Last day of the plan (included); ``None`` for an open-ended plan.

    Raises
    ------
    ExportError
        ``end`` before ``start``.
    """
    if end is not None and end < start:
        raise ExportError(f"patient {patient_id!r}: end date {end} is before start date {start}")
    plan = _plan_definition(routine, library)
    patient_uuid = _stable_uuid("patient", patient_id)
    care_plan_uuid = _stable_uuid("careplan", patient_id, canonical_url(routine), start.isoformat())
    patient = {
        "resourceType": "Patient",
        "id": patient_uuid,
        "identifier": [{"system": PATIENT_IDENTIFIER_SYSTEM, "value": patient_id}],
    }
    period = {"start": start.isoformat()}
    if end is not None:
        period["end"] = end.isoformat()
    activities = []
    for item in routine.items:
        exercise = library.get(item.exercise)
        words = describe_dose(effective_dose(item, exercise))
        timing = _timing(routine.schedule)
        timing["repeat"]["boundsPeriod"] = dict(period)
        detail = {
            "kind": "ServiceRequest",
            "code": _exercise_code(exercise),
            "status": "scheduled",
            "scheduledTiming": timing,
            "description": f"{exercise.name}: {words}",
        }
        activities.append({"detail": detail})
    care_plan = {
        "resourceType": "CarePlan",
        "id": care_plan_uuid,
        "language": routine.language,
        "instantiatesCanonical": [canonical_url(routine)],
        "status": "active",
        "intent": "plan",
        "title": routine.title,
        "description": describe_schedule(routine.schedule),
        "subject": {"reference": f"urn:uuid:{patient_uuid}"},
        "period": period,
        "author": {"display": routine.author},
        "activity": activities,
    }
    plan_uuid = _stable_uuid("plandefinition", canonical_url(routine))
    bundle = {
        "resourceType": "Bundle",
        "id": _stable_uuid("bundle", care_plan_uuid),
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{care_plan_uuid}", "resource": care_plan},
            {"fullUrl": f"urn:uuid:{plan_uuid}", "resource": plan},
            {"fullUrl": f"urn:uuid:{patient_uuid}", "resource": patient},
        ],
    }
    validate_resource(bundle)  # checks every resource in it too
    return bundle


def validate_resource(resource: dict[str, Any]) -> None:
    """Check a resource against the ``fhir.resources`` R4B model of its type.

    Raises
    ------
    ExportError
        The resource does not fit its FHIR model (a bug in hepkit, never the user's input).
    """
    from fhir.resources.R4B import get_fhir_model_class  # heavy: imported on first use
    from pydantic import ValidationError

    kind = resource.get("resourceType", "?")
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except (ValidationError, KeyError, ValueError) as exc:
        raise ExportError(f"FHIR {kind} {resource.get('id')!r} is not valid R4: {exc}") from exc


def fhir_json(resource: dict[str, Any]) -> str:
    """A resource as indented JSON text with a final newline."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
