"""What a handout embeds besides text: checked links, pictures as data URIs, QR codes.

Everything here refuses rather than repairs: a link that is not ``http(s)`` or a picture that
lies outside the allowed folders raises :class:`~toolkit.errors.UnsafeContentError`, naming the
exercise and the bad value, so that nothing unexpected ever reaches a patient's handout.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import segno

from toolkit.errors import ExportError, UnsafeContentError

__all__ = ["IMAGE_TYPES", "check_link", "resolve_image", "image_data_uri", "qr_svg"]

#: Picture file suffixes a handout accepts, with their media types.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}

_SAFE_SCHEMES = ("http", "https")


def check_link(url: str, where: str) -> str:
    """Return ``url`` unchanged if it is a plain ``http(s)`` link, else refuse it.

    Parameters
    ----------
    url : str
        The link as written in the exercise or routine.
    where : str
        Where the link comes from, for the message (``exercise 'bridge' video_url``).

    Raises
    ------
    UnsafeContentError
        Any other scheme (``javascript:``, ``data:``, ``file:``...), no host, or white space
        or control characters inside the link.
    """
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in _SAFE_SCHEMES
        or not parts.netloc
        or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url)
    ):
        raise UnsafeContentError(
            f"{where}: link {url!r} is refused; a handout only takes web links that start "
            "with http:// or https://"
        )
    return url


def resolve_image(image: str, roots: Sequence[Path], where: str) -> Path:
    """The picture file ``image`` found inside one of ``roots`` (first match wins).

    Parameters
    ----------
    image : str
        Path of the picture, relative to a root folder.
    roots : sequence of Path
        Allowed folders, in the order they are searched: the exercise's library folder, then
        the routine's folder.
    where : str
        Where the path comes from, for messages.

    Raises
    ------
    UnsafeContentError
        The path (after following ``..`` and symbolic links) leaves every allowed folder.
    ExportError
        No allowed folder is known, the file is missing, or its type is not a picture.
    """
    if not roots:
        raise ExportError(
            f"{where}: image {image!r} has no folder to be found in; load the exercise from "
            "a library folder or the routine from a file"
        )
    inside_some_root = False
    for root in roots:
        base = root.resolve()
        candidate = (base / image).resolve()
        if not candidate.is_relative_to(base):
            continue
        inside_some_root = True
        if candidate.is_file():
            if candidate.suffix.lower() not in IMAGE_TYPES:
                allowed = ", ".join(IMAGE_TYPES)
                raise ExportError(
                    f"{where}: image {image!r} is not a picture type hepkit embeds; "
                    f"allowed: {allowed}"
                )
            return candidate
    if not inside_some_root:
        folders = ", ".join(str(r) for r in roots)
        raise UnsafeContentError(
            f"{where}: image path {image!r} leads outside the allowed folders ({folders}); "
            "keep pictures beside the exercise or the routine file"
        )
    folders = ", ".join(str(r) for r in roots)
    raise ExportError(f"{where}: image {image!r} not found in {folders}")


def image_data_uri(path: Path) -> str:
    """The picture file as a ``data:`` URI, read once per version of the file."""
    stat = path.stat()
    return _data_uri(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _data_uri(path: str, mtime_ns: int, size: int) -> str:
    media_type = IMAGE_TYPES[Path(path).suffix.lower()]
    payload = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:{media_type};base64,{payload}"


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """An inline SVG QR code of a checked link, sized for print (about 25 mm wide).

    The SVG is made by :mod:`segno` from the link alone; it carries no text of the user's.
    """
    code = segno.make(url, error="m")
    return str(
        code.svg_inline(scale=3, border=2, svgclass="qr-code", lineclass=None, omitsize=False)
    )
