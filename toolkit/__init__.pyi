# The public names of hepkit, one explicit import each. Type checkers and editors read this file;
# at run time ``__init__.py`` loads each name from here on first use (lazy_loader), so that
# ``hepkit --help`` does not wait for pandas, WeasyPrint and ipywidgets.

from ._version import __version__ as __version__
from .analysis.summary import Analysis as Analysis
from .analysis.summary import analyse as analyse
from .editor.widgets import RoutineEditor as RoutineEditor
from .errors import AnalysisError as AnalysisError
from .errors import DocumentNotReadError as DocumentNotReadError
from .errors import ExportError as ExportError
from .errors import HepkitError as HepkitError
from .errors import InvalidDocumentError as InvalidDocumentError
from .errors import LogFormatError as LogFormatError
from .errors import NotALogError as NotALogError
from .errors import PrescriptionError as PrescriptionError
from .errors import PrescriptionTableError as PrescriptionTableError
from .errors import Problem as Problem
from .errors import PseudonymisationError as PseudonymisationError
from .errors import SaveConflictError as SaveConflictError
from .errors import UnknownExerciseError as UnknownExerciseError
from .errors import UnsafeContentError as UnsafeContentError
from .exports.batch import BatchResult as BatchResult
from .exports.batch import export_batch as export_batch
from .exports.fhir_import import import_routine as import_routine
from .exports.formats import export as export
from .handouts.display import show_handout as show_handout
from .handouts.display import show_pdf_page as show_pdf_page
from .handouts.render import render_handout as render_handout
from .logs.prescriptions import read_prescriptions as read_prescriptions
from .logs.privacy import pseudonymise as pseudonymise
from .logs.reading import LogReading as LogReading
from .logs.reading import read_logs as read_logs
from .report.charts import cohort_overview as cohort_overview
from .report.charts import pain_chart as pain_chart
from .report.charts import patient_dashboard as patient_dashboard
from .report.charts import session_calendar as session_calendar
from .report.charts import weekly_adherence_chart as weekly_adherence_chart
from .report.clinic_report import ReportResult as ReportResult
from .report.clinic_report import load_routines as load_routines
from .report.clinic_report import make_report as make_report
from .routines.editing import add_item as add_item
from .routines.editing import duplicate_item as duplicate_item
from .routines.editing import find_item as find_item
from .routines.editing import move_item as move_item
from .routines.editing import remove_item as remove_item
from .routines.editing import reset_dose as reset_dose
from .routines.editing import set_dose as set_dose
from .routines.editing import set_fields as set_fields
from .routines.editing import set_note as set_note
from .routines.editing import set_schedule as set_schedule
from .routines.editing import swap_exercise as swap_exercise
from .routines.library import Library as Library
from .routines.library import load_library as load_library
from .routines.models import Dose as Dose
from .routines.models import Exercise as Exercise
from .routines.models import Routine as Routine
from .routines.models import RoutineItem as RoutineItem
from .routines.models import Schedule as Schedule
from .routines.routine import load_routine as load_routine
from .routines.routine import new_version as new_version
from .routines.routine import routine_table as routine_table
from .routines.routine import save_routine as save_routine
from .routines.wording import describe_dose as describe_dose
from .routines.wording import describe_schedule as describe_schedule

__all__: list[str]
