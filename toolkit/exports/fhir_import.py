"""Read a routine back from the FHIR that :mod:`toolkit.exports.fhir_plan` writes.

A PlanDefinition (alone, or inside a Bundle) that carries the routine-document extension gives
back exactly the routine that was exported. One without it (for example rebuilt by another
system) is read from its standard fields and hepkit's dose extensions: the exercises, doses,
notes and schedule survive; the progression steps, the clinic's address and the date the
routine was created (it becomes the date it was updated) do not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.errors import InvalidDocumentError, Problem
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
)
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import parse_routine

__all__ = ["import_routine", "routine_from_fhir"]

_DOSE_FIELDS = {
    EXT_DOSE_SETS: "sets",
    EXT_DOSE_REPS: "reps",
    EXT_DOSE_COUNTS: "counts",
    EXT_DOSE_HOLD: "hold_s",
    EXT_DOSE_REST: "rest_s",
    EXT_DOSE_DURATION: "duration_s",
    EXT_DOSE_SIDE: "side",
}


def import_routine(path: str | Path, library: Library | None = None) -> Routine:
    """Read a routine from a FHIR JSON file: a PlanDefinition, or a Bundle holding one.

    Parameters
    ----------
    path : str or Path
        A ``.json`` file written by ``export(routine, "fhir", ...)`` or by another system.
    library : Library, optional
        When given, every exercise id is checked against it, and (for FHIR without the
        routine-document extension) a dose equal to the exercise's default is read as "use
        the default", as the routine file had it.

    Raises
    ------
    InvalidDocumentError
        Not JSON, not valid FHIR R4, no PlanDefinition, or a routine that does not validate;
        every problem is located.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidDocumentError(path, [Problem("", "file not found", has_value=False)]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidDocumentError(
            path, [Problem("", f"not valid JSON ({exc})", has_value=False)]
        ) from None
    return routine_from_fhir(data, path, library)


def routine_from_fhir(
    data: dict[str, Any], source: str | Path | None = None, library: Library | None = None
) -> Routine:
    """The routine held by FHIR data already read into a mapping (see :func:`import_routine`)."""
    plan, where = _find_plan(data, source)
    _check_model(plan, source, where)
    for extension in plan.get("extension", []):
        if extension.get("url") == EXT_ROUTINE_DOCUMENT:
            try:
                document = json.loads(extension.get("valueString", ""))
            except json.JSONDecodeError as exc:
                problem = Problem(f"{where}.extension (routine-document)", f"not JSON ({exc})")
                raise InvalidDocumentError(source, [problem]) from None
            return parse_routine(document, source, library)
    routine = parse_routine(_routine_fields(plan, source, where), source, library)
    if library is not None:
        for item in routine.items:
            if item.dose == library.get(item.exercise).default_dose:
                item.dose = None
    return routine


def _find_plan(data: Any, source: str | Path | None) -> tuple[dict[str, Any], str]:
    kind = data.get("resourceType") if isinstance(data, dict) else None
    if kind == "PlanDefinition":
        return data, "PlanDefinition"
    if kind == "Bundle":
        for index, entry in enumerate(data.get("entry", [])):
            resource = entry.get("resource", {})
            if resource.get("resourceType") == "PlanDefinition":
                return resource, f"entry[{index}].resource"
        message = "the Bundle holds no PlanDefinition"
        raise InvalidDocumentError(source, [Problem("entry", message, has_value=False)])
    message = "expected a FHIR PlanDefinition, or a Bundle holding one"
    raise InvalidDocumentError(source, [Problem("resourceType", message, kind)])


def _check_model(plan: dict[str, Any], source: str | Path | None, where: str) -> None:
    from fhir.resources.R4B import get_fhir_model_class  # heavy: imported on first use
    from pydantic import ValidationError

    try:
        get_fhir_model_class("PlanDefinition").model_validate(plan)
    except ValidationError as exc:
        problems = [
            Problem(f"{where}.{'.'.join(str(p) for p in err['loc'])}", err["msg"], has_value=False)
            for err in exc.errors(include_url=False)
        ]
        raise InvalidDocumentError(source, problems) from None


def _extension_values(element: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for extension in element.get("extension", []):
        for key, value in extension.items():
            if key.startswith("value"):
                values[extension.get("url", "")] = value
    return values


def _routine_fields(plan: dict[str, Any], source: str | Path | None, where: str) -> dict[str, Any]:
    """Routine fields from a PlanDefinition without the routine-document extension."""
    contained = {r.get("id"): r for r in plan.get("contained", [])}
    items = []
    problems = []
    for index, action in enumerate(plan.get("action", [])):
        target = str(action.get("definitionCanonical", ""))
        activity = contained.get(target.removeprefix("#"))
        if not target.startswith("#") or activity is None:
            problems.append(
                Problem(
                    f"{where}.action[{index}].definitionCanonical",
                    "no such contained ActivityDefinition",
                    target,
                )
            )
            continue
        codes = [
            c.get("code")
            for c in activity.get("code", {}).get("coding", [])
            if c.get("system") == EXERCISE_CODESYSTEM
        ]
        dosage = (activity.get("dosage") or [{}])[0]
        found = _extension_values(dosage)
        item: dict[str, Any] = {
            "exercise": codes[0] if codes else None,
            "dose": {field: found[url] for url, field in _DOSE_FIELDS.items() if url in found},
        }
        if action.get("description"):
            item["note"] = action["description"]
        items.append(item)
    if problems:
        raise InvalidDocumentError(source, problems)
    schedule = _extension_values(plan)
    contact = (plan.get("contact") or [{}])[0]
    telecom = {t.get("system"): t.get("value") for t in contact.get("telecom", [])}
    clinic = {
        "name": contact.get("name") or plan.get("publisher"),
        "phone": telecom.get("phone"),
        "email": telecom.get("email"),
        "website": telecom.get("url"),
    }
    fields: dict[str, Any] = {
        "id": plan.get("id"),
        "title": plan.get("title"),
        "version": int(plan.get("version", "1")) if str(plan.get("version", "1")).isdigit() else 1,
        "author": ((plan.get("author") or [{}])[0]).get("name") or plan.get("publisher"),
        "clinic": {key: value for key, value in clinic.items() if value},
        "created": plan.get("date", "")[:10] or None,
        "updated": plan.get("date", "")[:10] or None,
        "condition": plan.get("purpose"),
        "language": plan.get("language", "en"),
        "introduction": plan.get("description"),
        "schedule": {
            "sessions_per_day": schedule.get(EXT_SCHEDULE_SESSIONS_PER_DAY, 1),
            "days_per_week": schedule.get(EXT_SCHEDULE_DAYS_PER_WEEK, 7),
        },
        "items": items,
    }
    if plan.get("usage"):
        fields["safety_notice"] = plan["usage"]
    return fields
