"""The URLs and codes hepkit uses in FHIR resources, in one place.

Everything hepkit-specific lives under :data:`BASE`; ``docs/fhir.md`` documents each one.
"""

from __future__ import annotations

__all__ = [
    "BASE",
    "CODESYSTEM",
    "EXT_DOSE_SETS",
    "EXT_DOSE_REPS",
    "EXT_DOSE_COUNTS",
    "EXT_DOSE_HOLD",
    "EXT_DOSE_REST",
    "EXT_DOSE_DURATION",
    "EXT_DOSE_SIDE",
    "EXT_ROUTINE_DOCUMENT",
    "SESSION_CODE",
    "LOINC",
    "LOINC_PAIN_SEVERITY",
    "PAIN_TIMING_CODES",
]

BASE = "https://w3id.org/hepkit/fhir"
CODESYSTEM = f"{BASE}/CodeSystem/hepkit"

EXT_DOSE_SETS = f"{BASE}/StructureDefinition/dose-sets"
EXT_DOSE_REPS = f"{BASE}/StructureDefinition/dose-reps"
EXT_DOSE_COUNTS = f"{BASE}/StructureDefinition/dose-counts"
EXT_DOSE_HOLD = f"{BASE}/StructureDefinition/dose-hold-seconds"
EXT_DOSE_REST = f"{BASE}/StructureDefinition/dose-rest-seconds"
EXT_DOSE_DURATION = f"{BASE}/StructureDefinition/dose-duration-seconds"
EXT_DOSE_SIDE = f"{BASE}/StructureDefinition/dose-side"
EXT_ROUTINE_DOCUMENT = f"{BASE}/StructureDefinition/routine-document"

#: Observation.code (system CODESYSTEM) of one logged exercise session or exercise entry.
SESSION_CODE = "exercise-session"

LOINC = "http://loinc.org"
#: LOINC "Pain severity - 0-10 verbal numeric rating [Score] - Reported".
LOINC_PAIN_SEVERITY = "72514-3"
#: Codes (system CODESYSTEM) saying whether a pain score was taken before or after a session.
PAIN_TIMING_CODES = ("pain-before", "pain-after")

# --- Export of routines (PlanDefinition, ActivityDefinition, CarePlan); see docs/fhir.md ---
__all__ += [
    "EXT_SCHEDULE_SESSIONS_PER_DAY",
    "EXT_SCHEDULE_DAYS_PER_WEEK",
    "EXERCISE_CODESYSTEM",
    "PLAN_DEFINITION_BASE",
    "PATIENT_IDENTIFIER_SYSTEM",
    "PLAN_DEFINITION_TYPE_SYSTEM",
]

#: Routine schedule on the PlanDefinition: sessions a day (valueInteger). [count]
EXT_SCHEDULE_SESSIONS_PER_DAY = f"{BASE}/StructureDefinition/schedule-sessions-per-day"
#: Routine schedule on the PlanDefinition: days a week (valueInteger). [count]
EXT_SCHEDULE_DAYS_PER_WEEK = f"{BASE}/StructureDefinition/schedule-days-per-week"
#: Code system whose codes are the exercise ids of the hepkit library.
EXERCISE_CODESYSTEM = f"{BASE}/CodeSystem/exercise"
#: Canonical URL of an exported routine is ``PLAN_DEFINITION_BASE/<routine id>``.
PLAN_DEFINITION_BASE = f"{BASE}/PlanDefinition"
#: Identifier system of the clinic's own patient ids, as written in the prescriptions table.
PATIENT_IDENTIFIER_SYSTEM = f"{BASE}/NamingSystem/patient-id"
#: HL7's code system of PlanDefinition.type.
PLAN_DEFINITION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
