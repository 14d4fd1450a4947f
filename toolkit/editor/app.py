"""The standalone editor app (``make app``): which routine file it opens, and the editor on it.

The Voila app notebook ``app/editor.ipynb`` is one call, :func:`editor_app`. It edits the file
named by the ``HEPKIT_ROUTINE`` environment variable or, when that is not set, a working copy
of the reference routine in ``workspace/`` at the root of this checkout, made on first use so
that the reference file itself is never changed by the app.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as w

from toolkit.editor.widgets import RoutineEditor
from toolkit.errors import HepkitError
from toolkit.paths import routines_dir, workspace_dir
from toolkit.routines.library import Library, load_library
from toolkit.routines.routine import load_routine
from toolkit.storage import atomic_write

__all__ = [
    "ROUTINE_ENV",
    "REFERENCE_ROUTINE",
    "working_copy",
    "routine_path",
    "open_editor",
    "editor_app",
]

#: The environment variable naming the routine file the app edits.
ROUTINE_ENV = "HEPKIT_ROUTINE"

#: The reference routine the app starts from when ``HEPKIT_ROUTINE`` is not set.
REFERENCE_ROUTINE = "gentle-back-stretches.yaml"


def working_copy(
    name: str = REFERENCE_ROUTINE,
    workspace: str | Path | None = None,
    source: str | Path | None = None,
) -> Path:
    """The working copy of a reference routine, made from it when it does not exist yet.

    An existing working copy is returned as it is: the clinician's edits are kept.

    Parameters
    ----------
    name : str
        File name of the reference routine in ``toolkit/data/routines/``.
    workspace : str or Path, optional
        Folder of working copies; default :func:`workspace_dir`. Made when missing.
    source : str or Path, optional
        The file to copy from; default ``toolkit/data/routines/<name>``.

    Raises
    ------
    HepkitError
        When there is no working copy and the file to copy from does not exist.
    """
    folder = Path(workspace) if workspace is not None else workspace_dir()
    target = folder / name
    if target.exists():
        return target
    origin_file = Path(source) if source is not None else routines_dir() / name
    if not origin_file.is_file():
        raise HepkitError(f"{origin_file}: reference routine not found; cannot make {target}")
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(target, origin_file.read_bytes())
    return target


def routine_path(
    environ: Mapping[str, str] | None = None, workspace: str | Path | None = None
) -> Path:
    """The routine file the app edits: ``$HEPKIT_ROUTINE``, else the working copy.

    A relative ``HEPKIT_ROUTINE`` is taken from the folder that holds the workspace (in a
    checkout its root, where ``make app`` runs; the app's kernel itself runs in ``app/``).

    Parameters
    ----------
    environ : mapping, optional
        Where to read ``HEPKIT_ROUTINE``; default ``os.environ``.
    workspace : str or Path, optional
        Folder of working copies, passed to :func:`working_copy`.

    Raises
    ------
    HepkitError
        When ``HEPKIT_ROUTINE`` names a file that does not exist.
    """
    env = os.environ if environ is None else environ
    given = env.get(ROUTINE_ENV, "").strip()
    if not given:
        return working_copy(workspace=workspace)
    path = Path(given).expanduser()
    if not path.is_absolute():
        path = workspace_dir().parent / path
    if not path.is_file():
        raise HepkitError(
            f"{ROUTINE_ENV}={given!r}: no routine file at {path}; "
            f"give the path of a .yaml or .json routine, or unset {ROUTINE_ENV} "
            "to edit the working copy of the reference routine"
        )
    return path


def open_editor(path: str | Path | None = None, library: Library | None = None) -> RoutineEditor:
    """The routine editor on a routine file; Save writes back to that file.

    Parameters
    ----------
    path : str or Path, optional
        The routine file; default :func:`routine_path` (``$HEPKIT_ROUTINE`` or the working
        copy of the reference routine).
    library : Library, optional
        Where exercises come from; default the built-in library (:func:`load_library`).

    Raises
    ------
    InvalidDocumentError
        When the routine file has problems (each one located), or uses unknown exercises.
    """
    library = load_library() if library is None else library
    file = routine_path() if path is None else Path(path)
    routine = load_routine(file, library)
    return RoutineEditor(routine, library, path=file)


def editor_app(path: str | Path | None = None) -> RoutineEditor | w.HTML:
    """What the app shows: the editor, or why the routine could not be opened, in words.

    A clinician using the app never sees a traceback: a missing or invalid file is shown as
    its message (for example every located problem of the routine file).
    """
    try:
        return open_editor(path)
    except HepkitError as exc:
        message = w.HTML(
            "<h3>The routine could not be opened</h3>"
            f"<pre style='white-space:pre-wrap'>{html.escape(str(exc))}</pre>"
        )
        message.add_class("hepkit-open-problem")
        return message
