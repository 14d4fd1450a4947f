"""Writing files safely: atomic replacement, kept history, change detection, safe names.

A crash in the middle of a save leaves the old file untouched (the new text goes to a
temporary file in the same folder, is flushed to disk, then renamed over the old one). Before
a file is replaced, its previous content is copied (atomically too) into a ``.history`` folder
beside it. The history keeps the newest :data:`HISTORY_KEEP_LAST` copies of each file plus the
newest copy of every earlier day, and temporary files left by a killed save are removed at
the next save of that file.

Two programs saving the same file at the same moment take turns: :func:`file_lock` holds a
lock file beside it (``<name>.lock``, holding the owner's process id and the time it was
taken) while one of them checks and writes. A lock whose owner is no longer running, or that
is older than :data:`STALE_LOCK_S` seconds, is left over from a crash and is taken over.

:func:`safe_file_stem` is the one way a name from the data (a patient id) becomes a file or
folder name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = [
    "MAX_STEM",
    "safe_file_stem",
    "atomic_write",
    "fingerprint",
    "history_dir",
    "keep_previous",
    "file_lock",
    "FileBusyError",
    "STALE_LOCK_S",
    "LOCK_WAIT_S",
    "spreadsheet_safe",
    "FORMULA_STARTS",
    "same_file",
    "refuse_to_write_over",
    "read_capped",
    "InputTooLargeError",
    "prune_history",
    "remove_stale_temporaries",
    "HISTORY_KEEP_LAST",
]

HISTORY_FOLDER = ".history"

#: A lock file older than this is left over from a crash and is taken over. [s]
STALE_LOCK_S = 60.0
#: How long a save waits for another program's save of the same file to finish. [s]
LOCK_WAIT_S = 10.0


#: A text cell beginning with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


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


def spreadsheet_safe(text: str) -> str:
    """A text cell that a spreadsheet will show as text, never run as a formula.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
    quote in front (the OWASP rule against CSV injection), unless the whole cell is a plain
    number such as ``-0.5`` or ``+3``, which a spreadsheet reads as that number.

    Parameters
    ----------
    text : str
        The cell as it would be written.

    Returns
    -------
    str
        ``text``, or ``'`` + ``text``.
    """
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class FileBusyError(OSError):
    """Another program holds the lock on a file for longer than we are willing to wait."""


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _owner_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, under another user
        return True
    except OSError:
        return False
    return True


def _is_stale(lock: Path, stale_after_s: float) -> bool:
    try:
        text = lock.read_text(encoding="ascii", errors="replace")[:100]
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return False
    if age > stale_after_s:
        return True
    fields = text.split()
    if not fields or not fields[0].isdigit():
        # a lock being written this instant has no pid yet; only age can make it stale
        return age > 1.0
    return not _owner_alive(int(fields[0]))


@contextlib.contextmanager
def file_lock(
    path: str | Path, *, wait_s: float | None = None, stale_after_s: float | None = None
) -> Iterator[Path]:
    """Hold ``<path>.lock`` (created exclusively) while the block runs; remove it after.

    Parameters
    ----------
    path : str or Path
        The file to protect; its folder must exist.
    wait_s : float, optional
        How long to wait for another holder to finish; default :data:`LOCK_WAIT_S`. [s]
    stale_after_s : float, optional
        A lock older than this (default :data:`STALE_LOCK_S`), or whose process is no longer
        running, is taken over. [s]

    Raises
    ------
    FileBusyError
        The lock is still held by a running program after ``wait_s``.
    """
    lock = _lock_path(Path(path))
    wait_s = LOCK_WAIT_S if wait_s is None else wait_s
    stale_after_s = STALE_LOCK_S if stale_after_s is None else stale_after_s
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _is_stale(lock, stale_after_s):
                lock.unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                raise FileBusyError(
                    f"{path}: another program is saving this file (lock {lock.name}); "
                    "try again in a moment"
                ) from None
            time.sleep(0.01)
            continue
        break
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{os.getpid()} {time.time():.3f}\n")
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def same_file(first: str | Path, second: str | Path) -> bool:
    """Whether two paths name the same file (also through links or other spellings)."""
    first, second = Path(first), Path(second)
    try:
        if first.exists() and second.exists():
            return os.path.samefile(first, second)
    except OSError:
        pass
    return first.resolve() == second.resolve()


def refuse_to_write_over(
    targets: Iterable[str | Path], inputs: Iterable[str | Path], *, overwrite: bool = False
) -> None:
    """Refuse to write any of ``targets`` over one of the ``inputs`` (ever), or over an
    existing file (unless ``overwrite``).

    Raises
    ------
    FileExistsError
        With a message naming the file; nothing has been written.
    """
    inputs = [Path(p) for p in inputs]
    for target in map(Path, targets):
        for source in inputs:
            if same_file(target, source):
                raise FileExistsError(
                    f"{target} is one of the files being read ({source}); nothing was written, "
                    "so that it is not lost; write the output somewhere else"
                )
        if target.exists() and not overwrite:
            raise FileExistsError(
                f"{target} already exists; nothing was written. Choose another file name, or "
                "use --overwrite to replace it"
            )


class InputTooLargeError(ValueError):
    """A file larger than a reader is willing to take."""

    def __init__(self, path: str | Path, limit: int):
        self.path = str(path)
        self.limit = limit
        super().__init__(f"{path}: not read: larger than the limit of {limit:,} bytes")


def read_capped(path: str | Path, limit: int) -> bytes:
    """The bytes of a file, refusing one larger than ``limit`` before reading it whole.

    A regular file's size is checked first; anything else (a pipe, ``/dev/zero``) is read up
    to ``limit`` bytes and refused if there is more.

    Raises
    ------
    InputTooLargeError
        The file holds more than ``limit`` bytes.
    OSError
        The file cannot be opened or read.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise InputTooLargeError(path, limit)
        # A regular file comes in one read, into one buffer of its size (a byte more is asked
        # for, to see whether it grew since). A pipe or device (size 0) or a file that grew
        # comes in chunks, up to the limit and one byte.
        first = handle.read(size + 1) if size else b""
        chunks = [first]
        if size == 0 or len(first) > size:
            left = limit + 1 - len(first)
            while left > 0:
                chunk = handle.read(min(left, 1 << 24))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
    data = first if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limit:
        raise InputTooLargeError(path, limit)
    return data


def fingerprint(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, or ``None`` when the file does not exist."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def history_dir(path: str | Path) -> Path:
    """The folder where previous versions of ``path`` are kept."""
    return Path(path).parent / HISTORY_FOLDER


def keep_previous(path: str | Path, keep_last: int | None = None) -> Path | None:
    """Copy the current content of ``path`` into its history folder; return the copy's path.

    The copy is named ``<stem>.<UTC time to the microsecond><suffix>``, so copies sort by age
    and never overwrite each other. It is written atomically (a crash or a full disk leaves
    no truncated copy), then the history is pruned (:func:`prune_history`). Nothing is done
    when ``path`` does not exist.
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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle, open(path, "rb") as source:
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copystat(path, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    prune_history(path, keep_last)
    return target


#: History kept for each file: the newest copies, plus the newest copy of every older day.
HISTORY_KEEP_LAST = 50


def _copies(path: Path) -> list[tuple[str, Path]]:
    """(UTC day, copy) of every history copy of ``path``, oldest first."""
    pattern = re.compile(
        re.escape(path.stem) + r"\.(\d{8})T\d{12}Z(?:-\d+)?" + re.escape(path.suffix) + "$"
    )
    folder = history_dir(path)
    if not folder.is_dir():
        return []
    found = [(m.group(1), p) for p in folder.iterdir() if (m := pattern.fullmatch(p.name))]
    return sorted(found, key=lambda item: item[1].name)


def prune_history(path: str | Path, keep_last: int | None = None) -> list[Path]:
    """Remove old history copies of ``path``; return those removed.

    Kept: the newest ``keep_last`` copies (default :data:`HISTORY_KEEP_LAST`), and the newest
    copy of every earlier UTC day, so a file saved 300 times keeps 50 copies plus one a day.
    """
    path = Path(path)
    keep_last = max(0, HISTORY_KEEP_LAST if keep_last is None else keep_last)
    copies = _copies(path)
    newest_of_day = {day: copy for day, copy in copies}  # later copies overwrite earlier ones
    keep = {copy for _, copy in copies[max(0, len(copies) - keep_last) :]}
    keep |= set(newest_of_day.values())
    removed = []
    for _, copy in copies:
        if copy not in keep:
            copy.unlink(missing_ok=True)
            removed.append(copy)
    return removed


def remove_stale_temporaries(path: str | Path, older_than_s: float | None = None) -> list[Path]:
    """Remove temporary files left beside ``path`` (and in its history) by a killed save.

    Only files named as :func:`atomic_write` and :func:`keep_previous` name their temporary
    files, and older than ``older_than_s`` (default :data:`STALE_LOCK_S`), are removed. [s]
    """
    path = Path(path)
    age = STALE_LOCK_S if older_than_s is None else older_than_s
    now = time.time()
    candidates = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
    folder = history_dir(path)
    if folder.is_dir():
        candidates += folder.glob(f".{glob.escape(path.stem)}.*.tmp")
    removed = []
    for candidate in candidates:
        try:
            if now - candidate.stat().st_mtime > age:
                candidate.unlink()
                removed.append(candidate)
        except FileNotFoundError:
            continue
    return removed


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
