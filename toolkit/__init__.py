"""hepkit: build home exercise routines and read patients' logs, openly and on this machine.

What notebooks call is here; everything else lives in one module per concept.
"""

from typing import Any

from .editing import (
    add_item,
    duplicate_item,
    find_item,
    move_item,
    remove_item,
    reset_dose,
    set_dose,
    set_fields,
    set_note,
    set_schedule,
    swap_exercise,
)
from .errors import HepkitError

# Imported here, not lazily: the function shares its name with its module, and a lazy lookup
# would find the module once anything had imported it.
from .export import export
from .library import Library, load_library
from .models import Dose, Exercise, Routine, RoutineItem, Schedule
from .routine import load_routine, new_version, routine_table, save_routine
from .wording import describe_dose, describe_schedule

__all__ = [
    "HepkitError",
    "Library",
    "load_library",
    "Dose",
    "Exercise",
    "Routine",
    "RoutineItem",
    "Schedule",
    "load_routine",
    "new_version",
    "routine_table",
    "save_routine",
    "describe_dose",
    "describe_schedule",
    "add_item",
    "duplicate_item",
    "find_item",
    "move_item",
    "remove_item",
    "reset_dose",
    "set_dose",
    "set_fields",
    "set_note",
    "set_schedule",
    "swap_exercise",
    "RoutineEditor",
    "show_handout",
    "show_pdf_page",
    "render_handout",
    "export",
    "import_routine",
    "export_batch",
    "read_logs",
    "read_prescriptions",
    "pseudonymise",
    "LogReading",
    "analyse",
    "load_routines",
    "make_report",
    "patient_dashboard",
    "cohort_overview",
    "weekly_adherence_chart",
    "session_calendar",
    "pain_chart",
]
__version__ = "0.1.0"

# These pull in ipywidgets, Jinja2, WeasyPrint or FHIR models: load them only when asked for.
_LAZY = {
    "RoutineEditor": "editor",
    "show_handout": "display",
    "show_pdf_page": "display",
    "render_handout": "render",
    "import_routine": "fhir_import",
    "export_batch": "batch",
    "read_logs": "logs",
    "LogReading": "logs",
    "read_prescriptions": "prescriptions",
    "pseudonymise": "privacy",
    "analyse": "summary",
    "load_routines": "report",
    "make_report": "report",
    "patient_dashboard": "charts",
    "cohort_overview": "charts",
    "weekly_adherence_chart": "charts",
    "session_calendar": "charts",
    "pain_chart": "charts",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
