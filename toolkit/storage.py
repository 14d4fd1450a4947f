"""Writing files safely: atomic replacement, kept history, and change detection.

A crash in the middle of a save leaves the old file untouched (the new text goes to a
temporary file in the same folder, is flushed to disk, then renamed over the old one). Before
a file is replaced, its previous content is copied into a ``.history`` folder beside it, so
no save ever destroys a version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "fingerprint", "history_dir", "keep_previous"]

HISTORY_FOLDER = ".history"


def fingerprint(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, or ``None`` when the file does not exist."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def history_dir(path: str | Path) -> Path:
    """The folder where previous versions of ``path`` are kept."""
    return Path(path).parent / HISTORY_FOLDER


def keep_previous(path: str | Path) -> Path | None:
    """Copy the current content of ``path`` into its history folder; return the copy's path.

    The copy is named ``<stem>.<UTC time to the microsecond><suffix>``, so copies sort by age
    and never overwrite each other. Nothing is done when ``path`` does not exist.
    """
    path = Path(path)
    if not path.exists():
        return None
    folder = history_dir(path)
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        target = folder / f"{path.stem}.{stamp}-{counter}{path.suffix}"
        counter += 1
    shutil.copy2(path, target)
    return target


def atomic_write(path: str | Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` so that readers see either the old or the new file.

    Parameters
    ----------
    path : str or Path
        Destination; its folder must exist.
    data : bytes or str
        New content; text is written as UTF-8.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp_name)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems do not allow opening a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
