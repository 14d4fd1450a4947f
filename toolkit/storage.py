"""Writing files safely: atomic replacement, kept history, change detection, safe names.

A crash in the middle of a save leaves the old file untouched (the new text goes to a
temporary file in the same folder, is flushed to disk, then renamed over the old one). Before
a file is replaced, its previous content is copied into a ``.history`` folder beside it, so
no save ever destroys a version. :func:`safe_file_stem` is the one way a name from the data
(a patient id) becomes a file or folder name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

__all__ = [
    "MAX_STEM",
    "atomic_write",
    "fingerprint",
    "history_dir",
    "keep_previous",
    "safe_file_stem",
]

HISTORY_FOLDER = ".history"

#: Longest name :func:`safe_file_stem` returns. [characters]
MAX_STEM = 100
_HASH_LENGTH = 16
_KEPT = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_-])?")
_LOOKS_HASHED = re.compile(rf"_[0-9a-f]{{{_HASH_LENGTH}}}$")
_NOT_KEPT = re.compile(r"[^A-Za-z0-9_-]")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{kind}{n}" for kind in ("com", "lpt") for n in "0123456789"]
)


def safe_file_stem(name: str) -> str:
    """A file or folder name for ``name`` (a patient id) that is safe on any file system.

    A name of letters, digits, ``.``, ``_`` and ``-`` (not starting with ``.`` or ``-``, not
    ending with ``.``, without ``..``, not a Windows device name such as ``CON``, at most
    :data:`MAX_STEM` characters) is kept as it is: ``P001`` -> ``P001``. Any other name has
    every character other than letters, digits, ``_`` and ``-`` replaced by ``_``, is
    shortened, and gets ``_`` and 16 hex digits of its SHA-256: ``a/b`` -> ``a_b_<hash>``.
    A kept name never ends like that (such names are hashed too), so two different names
    never share a result.

    Parameters
    ----------
    name : str
        Any text.

    Returns
    -------
    str
        One path component: never empty, ``.`` or ``..``, no ``/`` or ``\\``, no ``..``
        inside, no leading dot, at most :data:`MAX_STEM` characters.
    """
    kept = (
        len(name) <= MAX_STEM
        and _KEPT.fullmatch(name) is not None
        and ".." not in name
        and name.split(".")[0].lower() not in _WINDOWS_RESERVED
        and _LOOKS_HASHED.search(name) is None
    )
    if kept:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    prefix = _NOT_KEPT.sub("_", name)[: MAX_STEM - _HASH_LENGTH - 1]
    return f"{prefix}_{digest}"


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
