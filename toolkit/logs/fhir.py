"""Patients' logs as a FHIR R4 Bundle of Observations, written and read back.

One log row becomes one *session* Observation (code ``exercise-session`` of hepkit's code
system) with components for the exercise id, sets, reps, duration, side and completed, and the
patient's note in ``Observation.note``. Each pain score becomes its own Observation with the
LOINC code 72514-3 (pain severity, 0-10 numeric rating), a ``pain-timing`` component saying
``pain-before`` or ``pain-after``, and the session points at it through ``hasMember``.
``docs/fhir-logs.md`` shows the shape.

Reading accepts what the writer writes, plus pain Observations from other systems: a 72514-3
Observation that no session points at becomes a row of its own with ``completed`` false (it
reports pain, not a session) and the score as ``pain_before`` unless its timing says after.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.errors import ExportError, NotALogError
from toolkit.logs.columns import CANONICAL_COLUMNS
from toolkit.routines.fhir_terms import (
    BASE,
    CODESYSTEM,
    LOINC,
    LOINC_PAIN_SEVERITY,
    PAIN_TIMING_CODES,
    SESSION_CODE,
)

__all__ = [
    "PATIENT_ID_SYSTEM",
    "ENTRY_ID_SYSTEM",
    "PAIN_TIMING",
    "COMPONENT_CODES",
    "logs_to_bundle",
    "write_fhir_logs",
    "bundle_to_columns",
]

PATIENT_ID_SYSTEM = f"{BASE}/patient-id"
ENTRY_ID_SYSTEM = f"{BASE}/log-entry-id"
#: Component code (system CODESYSTEM) of a pain Observation saying before or after.
PAIN_TIMING = "pain-timing"
#: Canonical column -> component code (system CODESYSTEM) of a session Observation.
COMPONENT_CODES = {
    "exercise_id": "exercise-id",
    "sets_done": "sets-done",
    "reps_done": "reps-done",
    "duration_s": "duration",
    "side": "side",
    "completed": "completed",
}
_UCUM = "http://unitsofmeasure.org"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _effective(row: Any, zone: zoneinfo.ZoneInfo | None) -> str:
    stamp = pd.Timestamp(row.timestamp).to_pydatetime()
    if not row.has_time:
        return stamp.date().isoformat()
    if not pd.isna(row.utc_offset_min):
        offset = dt.timezone(dt.timedelta(minutes=int(row.utc_offset_min)))
        return stamp.replace(tzinfo=offset).isoformat()
    if zone is None:
        raise ExportError(
            f"{row.source} row {row.row}: the time {stamp:%Y-%m-%d %H:%M} has no UTC offset and "
            "FHIR needs one; pass clinic_tz (e.g. Europe/Berlin)"
        )
    return stamp.replace(tzinfo=zone, fold=0).isoformat()


def logs_to_bundle(
    logs: pd.DataFrame, *, clinic_tz: str | None = None, validate: bool = True
) -> dict[str, Any]:
    """A FHIR R4 Bundle (type ``collection``) of the rows of a ``logs`` frame.

    Parameters
    ----------
    logs : DataFrame
        The ``logs`` frame of :func:`toolkit.read_logs`.
    clinic_tz : str, optional
        Zone used for times that have no UTC offset (FHIR requires one with a time).
    validate : bool
        Check every resource with ``fhir.resources`` (R4B models).

    Raises
    ------
    ExportError
        A time without offset and no ``clinic_tz``, or a resource that FHIR refuses.
    """
    zone = zoneinfo.ZoneInfo(clinic_tz) if clinic_tz else None
    entries: list[dict[str, Any]] = []
    for number, row in enumerate(logs.itertuples(index=False)):
        subject = {"identifier": {"system": PATIENT_ID_SYSTEM, "value": str(row.patient_id)}}
        when = _effective(row, zone)
        session_url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{number}:session')}"
        members = []
        for column, timing in zip(("pain_before", "pain_after"), PAIN_TIMING_CODES, strict=True):
            score = getattr(row, column)
            if pd.isna(score):
                continue
            url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{number}:{timing}')}"
            members.append({"reference": url})
            pain = {
                "resourceType": "Observation",
                "status": "final",
                "code": _coding(
                    LOINC,
                    LOINC_PAIN_SEVERITY,
                    "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                ),
                "subject": subject,
                "effectiveDateTime": when,
                "valueInteger": int(score),
                "component": [
                    {
                        "code": _coding(CODESYSTEM, PAIN_TIMING),
                        "valueCodeableConcept": _coding(CODESYSTEM, timing),
                    }
                ],
            }
            entries.append({"fullUrl": url, "resource": pain})
        session: dict[str, Any] = {"resourceType": "Observation"}
        if not pd.isna(row.entry_id):
            session["identifier"] = [{"system": ENTRY_ID_SYSTEM, "value": str(row.entry_id)}]
        session.update(
            status="final",
            code=_coding(CODESYSTEM, SESSION_CODE, "Home exercise session"),
            subject=subject,
            effectiveDateTime=when,
            component=_components(row),
        )
        if members:
            session["hasMember"] = members
        if not pd.isna(row.notes):
            session["note"] = [{"text": str(row.notes)}]
        entries.insert(len(entries) - len(members), {"fullUrl": session_url, "resource": session})
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    if validate:
        _validate(bundle)
    return bundle


def _components(row: Any) -> list[dict[str, Any]]:
    result = []
    for column, code in COMPONENT_CODES.items():
        value = getattr(row, column)
        if pd.isna(value):
            continue
        part: dict[str, Any] = {"code": _coding(CODESYSTEM, code)}
        if column in ("exercise_id", "side"):
            part["valueString"] = str(value)
        elif column == "completed":
            part["valueBoolean"] = bool(value)
        elif column == "duration_s":
            part["valueQuantity"] = {
                "value": float(value),
                "unit": "s",
                "system": _UCUM,
                "code": "s",
            }
        else:
            part["valueInteger"] = int(value)
        result.append(part)
    return result


def _validate(bundle: dict[str, Any]) -> None:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class("Bundle").model_validate(bundle)
    except ValidationError as exc:
        raise ExportError(f"the FHIR Bundle is not valid R4: {exc}") from None


def write_fhir_logs(logs: pd.DataFrame, path: str | Path, *, clinic_tz: str | None = None) -> Path:
    """Write :func:`logs_to_bundle` to ``path`` as JSON (UTF-8); returns the path."""
    path = Path(path)
    bundle = logs_to_bundle(logs, clinic_tz=clinic_tz)
    path.write_text(json.dumps(bundle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --- reading ------------------------------------------------------------------------------


def _codes(concept: Any) -> set[tuple[str, str]]:
    if not isinstance(concept, dict):
        return set()
    codings = concept.get("coding") or []
    return {
        (str(c.get("system", "")), str(c.get("code", ""))) for c in codings if isinstance(c, dict)
    }


def _patient(subject: Any) -> str:
    if not isinstance(subject, dict):
        return ""
    identifier = subject.get("identifier")
    if isinstance(identifier, dict) and identifier.get("value") is not None:
        return str(identifier["value"])
    reference = str(subject.get("reference") or "")
    return reference.rsplit("/", 1)[-1]


def _when(resource: dict[str, Any]) -> str:
    for key in ("effectiveDateTime", "effectiveInstant"):
        if resource.get(key) is not None:
            return str(resource[key])
    period = resource.get("effectivePeriod")
    return str(period.get("start", "")) if isinstance(period, dict) else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _session_values(resource: dict[str, Any]) -> dict[str, str]:
    values = {name: "" for name in CANONICAL_COLUMNS}
    values["patient_id"] = _patient(resource.get("subject"))
    values["timestamp"] = _when(resource)
    names = {code: column for column, code in COMPONENT_CODES.items()}
    for part in resource.get("component") or []:
        if not isinstance(part, dict):
            continue
        for system, code in _codes(part.get("code")):
            if system == CODESYSTEM and code in names:
                quantity = part.get("valueQuantity")
                raw = quantity.get("value") if isinstance(quantity, dict) else None
                for key in ("valueString", "valueInteger", "valueBoolean"):
                    if key in part:
                        raw = part[key]
                values[names[code]] = _text(raw)
    notes = [n.get("text", "") for n in resource.get("note") or [] if isinstance(n, dict)]
    values["notes"] = "\n".join(t for t in notes if t)
    identifiers = resource.get("identifier") or []
    if identifiers and isinstance(identifiers[0], dict):
        values["entry_id"] = _text(identifiers[0].get("value"))
    return values


def _pain_timing(resource: dict[str, Any]) -> str:
    after = (CODESYSTEM, PAIN_TIMING_CODES[1])
    for part in resource.get("component") or []:
        if (
            isinstance(part, dict)
            and (CODESYSTEM, PAIN_TIMING) in _codes(part.get("code"))
            and after in _codes(part.get("valueCodeableConcept"))
        ):
            return "pain_after"
    return "pain_before"


def _pain_value(resource: dict[str, Any]) -> str:
    if "valueInteger" in resource:
        return _text(resource["valueInteger"])
    quantity = resource.get("valueQuantity")
    return _text(quantity.get("value")) if isinstance(quantity, dict) else ""


def bundle_to_columns(
    document: Any, path: str | Path
) -> tuple[list[str], list[list[str]], list[int]]:
    """The rows of a FHIR Bundle as text columns: (headers, columns, entry numbers).

    Raises
    ------
    NotALogError
        The document is not a FHIR Bundle, or none of its entries is an Observation hepkit
        reads (a Bundle with no entries at all reads as no rows).
    """
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        kind = document.get("resourceType") if isinstance(document, dict) else None
        what = f"a FHIR {kind}" if kind else "a JSON document"
        raise NotALogError(f"{path}: {what}, not a FHIR Bundle of Observations, so not a log")
    entries = document.get("entry") or []
    resources: list[Any] = [e.get("resource") if isinstance(e, dict) else None for e in entries]
    urls = {e.get("fullUrl"): i for i, e in enumerate(entries) if isinstance(e, dict)}
    claimed: dict[int, tuple[int, str]] = {}
    sessions: list[tuple[int, dict[str, str]]] = []
    for index, resource in enumerate(resources):
        if not _is_observation(resource, (CODESYSTEM, SESSION_CODE)):
            continue
        values = _session_values(resource)
        for member in resource.get("hasMember") or []:
            target = urls.get(member.get("reference")) if isinstance(member, dict) else None
            if target is not None and _is_observation(
                resources[target], (LOINC, LOINC_PAIN_SEVERITY)
            ):
                column = _pain_timing(resources[target])
                values[column] = _pain_value(resources[target])
                claimed[target] = (index, column)
        sessions.append((index, values))
    for index, resource in enumerate(resources):
        if index in claimed or not _is_observation(resource, (LOINC, LOINC_PAIN_SEVERITY)):
            continue
        values = {name: "" for name in CANONICAL_COLUMNS}
        values.update(patient_id=_patient(resource.get("subject")), timestamp=_when(resource))
        values[_pain_timing(resource)] = _pain_value(resource)
        values["completed"] = "false"
        sessions.append((index, values))
    if entries and not sessions:
        kinds = sorted(
            {str(r.get("resourceType", "?"))[:40] for r in resources if isinstance(r, dict)}
        )
        found = ", ".join(kinds[:10]) or "no resources"
        raise NotALogError(
            f"{path}: nothing in this FHIR Bundle is a log: it holds no session or pain "
            f"Observation that hepkit reads (found: {found})"
        )
    sessions.sort(key=lambda item: item[0])
    columns = [[values[name] for _, values in sessions] for name in CANONICAL_COLUMNS]
    return list(CANONICAL_COLUMNS), columns, [index + 1 for index, _ in sessions]


def _is_observation(resource: Any, code: tuple[str, str]) -> bool:
    return (
        isinstance(resource, dict)
        and resource.get("resourceType") == "Observation"
        and code in _codes(resource.get("code"))
    )
