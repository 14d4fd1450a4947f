"""Write a routine in the forms patients and other systems use: one front door, :func:`export`.

========  ===============================================================================
format    what is written
========  ===============================================================================
yaml      the routine file itself (JSON Schema beside it with ``with_schema=True``)
json      the same, as JSON
html      the printable handout, one self-contained file (styles inline, pictures embedded)
pdf       the same handout as PDF (WeasyPrint), fonts embedded
fhir      HL7 FHIR R4 JSON: a PlanDefinition; with a patient and period, a Bundle with the
          CarePlan that instantiates it
ics       the sessions as calendar events with reminders (RFC 5545)
companion the patient's offline page: runs the session, saves a log for the clinic
========  ===============================================================================

Nothing is ever overwritten unless ``overwrite=True``, and every file is written atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import ExportError
from toolkit.exports.names import FORMATS
from toolkit.routines.clinic import handout_clinic
from toolkit.routines.library import Library, load_library
from toolkit.routines.models import Contact, Routine
from toolkit.routines.routine import dump_routine, schema_text
from toolkit.storage import atomic_write

__all__ = ["FORMATS", "export", "handout_html", "handout_pdf", "schema_path", "write_new"]


def schema_path(path: str | Path) -> Path:
    """Where the JSON Schema goes beside a routine file: ``<stem>.schema.json``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.schema.json")


def write_new(targets: dict[Path, bytes | str], *, overwrite: bool = False) -> list[Path]:
    """Write each file atomically; refuse before writing anything if one exists already.

    Parameters
    ----------
    targets : dict of Path to bytes or str
        Files and their content; text is written as UTF-8. Missing folders are made.
    overwrite : bool
        Replace files that exist.

    Raises
    ------
    ExportError
        A target exists and ``overwrite`` is false (nothing is written), or is a folder.
    """
    for path in targets:
        if path.is_dir():
            raise ExportError(f"{path} is a folder; give a file name to write to")
        if path.exists() and not overwrite:
            raise ExportError(
                f"{path} already exists; nothing was written. Choose another name, or add "
                "--overwrite to replace it"
            )
    for path, data in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    return list(targets)


def handout_html(
    routine: Routine,
    library: Library,
    *,
    paper: str = "a4",
    patient_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    clinic: Contact | None = None,
) -> str:
    """The printable handout as one self-contained HTML document (tick sheet, QR codes).

    Parameters
    ----------
    routine : Routine
        The routine to hand out.
    library : Library
        Holds the routine's exercises.
    paper : {"a4", "letter"}
        Page size.
    patient_id : str, optional
        The patient, named on every page.
    start, end : datetime.date, optional
        The prescription's first and last day: the tick sheet's dates and weeks.
    clinic : Contact, optional
        The clinic to name; default the workspace's clinic file
        (:func:`~toolkit.routines.clinic.load_clinic`), else the routine's ``clinic:``.
    """
    from toolkit.handouts.render import render_handout

    return render_handout(
        routine,
        library,
        standalone=True,
        paper=paper,
        patient_id=patient_id,
        start=start,
        end=end,
        clinic=handout_clinic(routine.clinic, clinic),
    )


def handout_pdf(
    routine: Routine,
    library: Library,
    *,
    paper: str = "a4",
    patient_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    clinic: Contact | None = None,
) -> bytes:
    """The printable handout as PDF bytes, fonts embedded and tagged for screen readers.

    The parameters are those of :func:`handout_html`. Only ``data:`` URLs are followed while
    rendering (pictures are embedded beforehand), so making a PDF never reaches a network or
    reads a file the routine does not name.
    """
    from toolkit.handouts.pdf import pdf_from_html

    html = handout_html(
        routine,
        library,
        paper=paper,
        patient_id=patient_id,
        start=start,
        end=end,
        clinic=clinic,
    )
    return pdf_from_html(html, repr(routine.title))


def export(
    routine: Routine,
    fmt: str,
    path: str | Path,
    *,
    library: Library | None = None,
    overwrite: bool = False,
    with_schema: bool = False,
    paper: str = "a4",
    patient_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    weeks: int = 4,
    times: Sequence[dt.time] | None = None,
    reminder_min: int | None = None,
    clinic: Contact | None = None,
    language: str | None = None,
) -> Path:
    """Write ``routine`` to ``path`` in the format ``fmt``.

    Parameters
    ----------
    routine : Routine
        What to write.
    fmt : {"yaml", "json", "html", "pdf", "fhir", "ics", "companion"}
        The format (see the module's table).
    path : str or Path
        The file to write; missing folders are made.
    library : Library, optional
        Holds the routine's exercises; default the built-in library.
    overwrite : bool
        Replace an existing file (else :class:`ExportError`, and nothing is written).
    with_schema : bool
        ``yaml`` and ``json`` only: also write the JSON Schema to :func:`schema_path`.
    paper : {"a4", "letter"}
        ``html`` and ``pdf``: page size.
    patient_id : str, optional
        ``fhir``: with ``start`` and ``end``, write a Bundle with the patient's CarePlan.
        ``ics``: keeps event UIDs distinct between patients. ``html``/``pdf``: named on every
        page. ``companion``: written in the log's rows (without it the page asks the patient
        for their code).
    start, end : datetime.date, optional
        ``fhir``: the CarePlan's period. ``ics``: first day (required) and last day.
        ``html``/``pdf``: the tick sheet's dates and weeks (2 weeks without ``end``).
        ``companion``: ``start`` is the programme's first day.
    weeks : int
        ``ics`` without ``end``: how many weeks of sessions. [weeks]
    times : sequence of datetime.time, optional
        ``ics``: start time of each session of a day.
    reminder_min : int, optional
        ``ics``: reminder before each session; default ``DEFAULT_REMINDER_MIN`` of
        :mod:`toolkit.exports.calendar`. [min]
    clinic : Contact, optional
        ``html``/``pdf``: the clinic to name (:func:`~toolkit.routines.clinic.load_clinic`
        reads a clinic file); default the workspace's ``clinic.yaml``, else the routine's.
    language : str, optional
        ``html``/``pdf``/``companion``/``ics``: the patient's language (``es``) instead of
        the routine's ``language``; the routine's own texts come from its ``translations``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ExportError
        Unknown format, a file that exists, or options that do not fit the format.
    UnsafeContentError
        ``html``/``pdf``: a link that is not ``http(s)`` or a picture outside its folder.
    """
    # Each format's writer is imported when it is asked for: writing YAML needs no WeasyPrint.
    path = Path(path)
    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r} is not known; allowed: {', '.join(FORMATS)}")
    if with_schema and fmt not in ("yaml", "json"):
        raise ExportError(f"with_schema is for the yaml and json formats, not {fmt!r}")
    if language is not None:
        routine = _in_language(routine, fmt, language)
    targets: dict[Path, bytes | str] = {}
    if fmt in ("yaml", "json"):
        targets[path] = dump_routine(routine, fmt)
        if with_schema:
            targets[schema_path(path)] = schema_text(Routine)
        return write_new(targets, overwrite=overwrite)[0]
    library = library if library is not None else load_library()
    if fmt in ("html", "pdf"):
        write = handout_html if fmt == "html" else handout_pdf
        targets[path] = write(
            routine,
            library,
            paper=paper,
            patient_id=patient_id,
            start=start,
            end=end,
            clinic=clinic,
        )
    elif fmt == "companion":
        from toolkit.exports.companion import companion_html

        targets[path] = companion_html(
            routine, library, patient_id=patient_id, start=start, clinic=clinic
        )
    elif fmt == "fhir":
        from toolkit.exports.fhir_plan import fhir_json

        targets[path] = fhir_json(_fhir_resource(routine, library, patient_id, start, end))
    else:
        from toolkit.exports.calendar import DEFAULT_REMINDER_MIN, routine_calendar

        if start is None:
            raise ExportError("the ics format needs start, the day of the first session")
        if reminder_min is None:
            reminder_min = DEFAULT_REMINDER_MIN
        targets[path] = routine_calendar(
            routine,
            library,
            start=start,
            end=end,
            weeks=weeks,
            times=times,
            reminder_min=reminder_min,
            patient_id=patient_id,
        )
    return write_new(targets, overwrite=overwrite)[0]


#: The formats a patient reads, made in the routine's language (or ``language``).
PATIENT_FORMATS = ("html", "pdf", "companion", "ics")


def _in_language(routine: Routine, fmt: str, language: str) -> Routine:
    """The routine to write in ``language``: only a patient's format takes one."""
    from toolkit.routines.catalogue import catalogue
    from toolkit.routines.routine import carry_origin

    if fmt not in PATIENT_FORMATS:
        raise ExportError(
            f"language is for the formats a patient reads ({', '.join(PATIENT_FORMATS)}), "
            f"not {fmt!r}"
        )
    catalogue(language)  # an unknown language is refused before any work
    chosen = routine.model_copy(update={"language": language})
    carry_origin(routine, chosen)
    return chosen


def _fhir_resource(
    routine: Routine,
    library: Library,
    patient_id: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> dict[str, object]:
    from toolkit.exports.fhir_plan import care_plan_bundle, plan_definition

    options = {"patient_id": patient_id, "start": start, "end": end}
    missing = [name for name, value in options.items() if value is None]
    if len(missing) == len(options):
        return plan_definition(routine, library)
    if patient_id is None or start is None or end is None:
        raise ExportError(
            "a FHIR CarePlan needs patient_id, start and end together; missing: "
            + ", ".join(missing)
        )
    return care_plan_bundle(routine, library, patient_id, start, end)
