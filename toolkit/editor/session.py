"""An editing session: one routine being changed, with undo, unsaved state and safe saving.

Plain Python, no widgets: the interactive editor (:class:`toolkit.editor.widgets.RoutineEditor`)
only wires its fields and buttons to a session, and the same session can be driven from code
or tested without a browser::

    session = EditingSession(load_routine("stretches.yaml", library), library)
    session.apply(editing.set_dose, 3, library, reps=5)
    session.undo()
    session.save_as_new_version()  # stretches-v2.yaml; the session now edits that file

Every change is one function of :mod:`toolkit.routines.editing`. A change that cannot be
made raises the project's error, with problems in everyday words, and leaves the session as
it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.errors import HepkitError, InvalidDocumentError, SaveConflictError
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.plain_words import plain_error
from toolkit.routines.routine import (
    carry_origin,
    load_routine,
    new_version,
    next_version_path,
    origin,
    save_routine,
)

__all__ = ["HISTORY_LIMIT", "EditingSession", "next_free_version"]

#: Undo steps kept; older changes can no longer be undone. [changes]
HISTORY_LIMIT = 200


def _updated_on(routine: Routine, today: dt.date | None) -> Routine:
    """The routine with ``updated`` set to ``today`` (never before ``created``)."""
    day = max(today or dt.date.today(), routine.created)
    return routine if routine.updated == day else routine.model_copy(update={"updated": day})


def next_free_version(path: str | Path, version: int) -> int:
    """The first version above ``version`` whose file (``<name>-v<n>.yaml``) does not exist yet.

    Parameters
    ----------
    path : str or Path
        The routine file being edited (``stretches.yaml`` or ``stretches-v2.yaml``).
    version : int
        The version of the routine being edited.
    """
    candidate = version + 1
    while next_version_path(path, candidate).exists():
        candidate += 1
    return candidate


class EditingSession:
    """One routine being edited: its history, whether it is saved, and its file.

    Parameters
    ----------
    routine : Routine
        The routine to start from (for example from :func:`toolkit.load_routine`).
    library : Library
        Where exercises come from.
    path : str or Path, optional
        Where :meth:`save` writes; default the file the routine was loaded from.
    history_limit : int
        Undo steps kept. [changes]
    """

    def __init__(
        self,
        routine: Routine,
        library: Library,
        path: str | Path | None = None,
        history_limit: int = HISTORY_LIMIT,
    ):
        self.library = library
        self.path = Path(path) if path is not None else origin(routine)
        self.history_limit = history_limit
        self._history: list[Routine] = [routine]
        self._future: list[Routine] = []
        self._saved = routine
        self._file_routine = routine  # the object that remembers the file's fingerprint

    # -- the state -----------------------------------------------------------------------

    @property
    def current(self) -> Routine:
        """The routine as it stands (the session's own object: do not change it)."""
        return self._history[-1]

    @property
    def routine(self) -> Routine:
        """The routine as it stands, as a copy that is safe to keep or change."""
        return self.current.model_copy(deep=True)

    @property
    def dirty(self) -> bool:
        """True when the routine differs from what was last loaded or saved."""
        return self.current != self._saved

    @property
    def can_undo(self) -> bool:
        """True when there is a change to undo."""
        return len(self._history) > 1

    @property
    def can_redo(self) -> bool:
        """True when there is an undone change to do again."""
        return bool(self._future)

    @property
    def undo_steps(self) -> int:
        """How many changes can be undone. [changes]"""
        return len(self._history) - 1

    # -- changing ------------------------------------------------------------------------

    def apply(self, change: Callable[..., Routine], *args: Any, **kwargs: Any) -> Routine:
        """Make one change: ``change(routine, *args, **kwargs)``, for example ``editing.set_dose``.

        Returns the new routine. A change that gives back an equal routine is not recorded.

        Raises
        ------
        InvalidDocumentError
            The change would make the routine invalid; each problem in everyday words, at its
            place (``items[3].dose.reps``). Nothing is changed.
        HepkitError
            The change cannot be made (no such item, unknown exercise...). Nothing is changed.
        """
        try:
            new = change(self.current, *args, **kwargs)
        except InvalidDocumentError as exc:
            raise plain_error(exc) from None
        if new != self.current:
            self._record(new)
        return self.current

    def undo(self) -> bool:
        """Go back one change; False when there is none."""
        if not self.can_undo:
            return False
        self._future.append(self._history.pop())
        return True

    def redo(self) -> bool:
        """Do again the change last undone; False when there is none."""
        if not self._future:
            return False
        self._history.append(self._future.pop())
        return True

    def _record(self, routine: Routine) -> None:
        self._history.append(routine)
        del self._history[: -(self.history_limit + 1)]
        self._future.clear()

    # -- the file ------------------------------------------------------------------------

    def _file(self) -> Path:
        if self.path is None:
            raise HepkitError(
                "this routine has no file yet, so it cannot be saved or reloaded; "
                "open the editor on a routine file"
            )
        return self.path

    def save(self, today: dt.date | None = None) -> Path:
        """Write the routine over its file (atomic; the old file is kept in ``.history/``).

        ``updated`` becomes the day of the save (``today``, default the computer's date).

        Raises
        ------
        SaveConflictError
            The file was changed by someone else since it was loaded or saved here; nothing is
            written, and the message says what to do instead.
        """
        path = self._file()
        routine = _updated_on(self.current, today)
        carry_origin(self._file_routine, routine)
        try:
            written = save_routine(routine, path)
        except SaveConflictError as exc:
            if exc.busy:
                raise SaveConflictError(
                    path,
                    busy=True,
                    message=f"Someone else is saving {path.name} right now, so your changes "
                    "were not saved. Press Save again in a moment.",
                ) from None
            raise SaveConflictError(
                path,
                message=f"{path.name} was changed by someone else since you opened it. Use Save "
                "as new version to keep your changes in a new file, or Reload to start again "
                "from the file as it is now.",
            ) from None
        self._history[-1] = routine  # the date of the save is not a change to undo
        self._file_routine = routine
        self._saved = routine
        return written

    def save_as_new_version(self) -> Path:
        """Save as the next free version number in a new file, and go on editing that file.

        ``stretches.yaml`` at version 1 becomes ``stretches-v2.yaml`` at version 2, then
        ``stretches-v3.yaml``...; a version whose file already exists is skipped, so no file
        is ever replaced. The previous file stays as it is.
        """
        path = self._file()
        version = next_free_version(path, self.current.version)
        newer = new_version(self.current).model_copy(update={"version": version})
        target = next_version_path(path, version)
        try:
            written = save_routine(newer, target)
        except SaveConflictError:  # made by someone else between the check and the write
            raise SaveConflictError(
                target,
                message=f"{target.name} was made by someone else just now. Use Save as new "
                "version again to save your changes as the next version.",
            ) from None
        self._record(newer)
        self._saved = newer
        self._file_routine = newer
        self.path = written
        return written

    def reload(self) -> Routine:
        """Start again from the file as it is on disk now (Undo brings the changes back).

        Raises
        ------
        InvalidDocumentError
            The file has problems now; the session is left as it was.
        """
        path = self._file()
        loaded = load_routine(path, self.library)
        self._record(loaded)
        self._saved = loaded
        self._file_routine = loaded
        return self.routine

    def __repr__(self) -> str:
        routine = self.current
        state = "unsaved changes" if self.dirty else "saved"
        return (
            f"<EditingSession {routine.title!r} version {routine.version}, "
            f"{len(routine.items)} exercises, {state}>"
        )
