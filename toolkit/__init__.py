"""hepkit: build home exercise routines and read patients' logs, openly and on this machine."""

from .errors import HepkitError
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
]
__version__ = "0.1.0"
