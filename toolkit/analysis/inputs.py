"""A clinic's files read for an analysis: the logs, and meanwhile the prescriptions and routines.

Most of the time spent reading a large log CSV is pyarrow parsing it in its own threads, which
do not hold Python's global interpreter lock. :func:`read_inputs` uses that time: while the
logs are parsed, a second thread reads the prescriptions table, loads the library and each
prescribed routine, and imports the analysis itself (pandas' group-bys, scipy's t quantile),
which a command would otherwise wait for afterwards. What is read, and every error, is the
same as reading the files one after the other; when the logs and the prescriptions both have
problems, the logs' error is the one raised, as it is read first.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from toolkit.logs.reading import LogReading, read_logs

if TYPE_CHECKING:
    from toolkit.routines.library import Library
    from toolkit.routines.models import Routine

__all__ = ["Inputs", "read_inputs"]


@dataclass(frozen=True)
class Inputs:
    """The files an analysis needs, read.

    Attributes
    ----------
    reading : LogReading
        The logs, their rejects and the reading report (:func:`read_logs`).
    prescriptions : DataFrame
        The prescriptions table (:func:`read_prescriptions`).
    library : Library
        The exercise library the routines were checked against.
    routines : dict of str to Routine
        Each prescribed routine by id (:func:`load_routines`).
    """

    reading: LogReading
    prescriptions: pd.DataFrame
    library: Library
    routines: dict[str, Routine]


def _plan(
    prescriptions_path: str | Path,
    routines_dir: str | Path | None,
    dayfirst: bool | None,
    library: Library | None,
) -> tuple[pd.DataFrame, Library, dict[str, Routine]]:
    # Imported here, while the logs parse: the routine models, the library and the analysis.
    from toolkit.logs.prescriptions import load_routines, read_prescriptions
    from toolkit.routines.library import load_library

    importlib.import_module("toolkit.analysis.summary")
    prescriptions = read_prescriptions(prescriptions_path, routines_dir, dayfirst=dayfirst)
    library = library if library is not None else load_library()
    return prescriptions, library, load_routines(prescriptions, library)


def read_inputs(
    logs_paths: str | Path | Iterable[str | Path],
    prescriptions_path: str | Path,
    routines_dir: str | Path | None = None,
    *,
    dayfirst: bool | None = None,
    clinic_tz: str | None = None,
    today: dt.date | str | None = None,
    exercise_map: Mapping[str, str] | None = None,
    library: Library | None = None,
    check_logs: Callable[[LogReading], None] | None = None,
) -> Inputs:
    """Read the logs, the prescriptions and their routines, the latter while the logs parse.

    Parameters
    ----------
    logs_paths : path or iterable of paths
        Log files, as :func:`toolkit.logs.reading.read_logs` takes them.
    prescriptions_path : path
        The prescriptions table.
    routines_dir : path, optional
        Where routine files named in the table are looked for.
    dayfirst, clinic_tz, today, exercise_map
        As :func:`read_logs` takes them (``dayfirst`` also for the prescriptions' dates).
    library : Library, optional
        The exercise library; the built-in one when not given.
    check_logs : callable, optional
        Called with the logs as read, before the prescriptions are waited for: an error it
        raises is raised before any of the prescriptions'.

    Raises
    ------
    NotALogError, LogFormatError
        A file that is not a log, or a bad reading option.
    PrescriptionTableError
        A prescriptions table with problems (all listed).
    InvalidDocumentError
        A routine file with problems.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="hepkit-inputs") as pool:
        plan = pool.submit(_plan, prescriptions_path, routines_dir, dayfirst, library)
        reading = read_logs(
            logs_paths,
            dayfirst=dayfirst,
            clinic_tz=clinic_tz,
            today=today,
            exercise_map=exercise_map,
        )
        if check_logs is not None:
            check_logs(reading)
        prescriptions, chosen, routines = plan.result()
    return Inputs(reading, prescriptions, chosen, routines)
