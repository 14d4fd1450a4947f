"""Showing hepkit's outputs inside a notebook: the handout, and a page of a PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from toolkit.errors import HepkitError
from toolkit.handouts.render import render_handout
from toolkit.routines.library import Library
from toolkit.routines.models import Routine

__all__ = ["show_handout", "show_pdf_page", "pdf_page_png"]

#: Resolution of a page preview. [dots per inch]
PREVIEW_DPI = 60


def show_handout(routine: Routine, library: Library) -> Any:
    """The handout preview as a notebook display object (the same HTML as the editor's)."""
    from IPython.display import HTML

    return HTML(render_handout(routine, library))


def pdf_page_png(path: str | Path, page: int = 1, dpi: int = PREVIEW_DPI) -> bytes:
    """One page of a PDF as PNG bytes, drawn by poppler's ``pdftoppm``.

    Parameters
    ----------
    path : str or Path
        The PDF.
    page : int
        Page number, from 1.
    dpi : int
        Resolution. [dots per inch]

    Raises
    ------
    HepkitError
        ``pdftoppm`` is not installed, the file is missing, or the page does not exist.
    """
    path = Path(path)
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise HepkitError(
            "pdftoppm is needed to draw a PDF page; install poppler "
            "(Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler)"
        )
    if not path.is_file():
        raise HepkitError(f"{path}: PDF not found")
    command = [tool, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    result = subprocess.run([*command, str(path)], capture_output=True, timeout=60)  # to stdout
    if result.returncode != 0 or not result.stdout.startswith(b"\x89PNG"):
        message = result.stderr.decode("utf-8", "replace").strip() or "no picture made"
        raise HepkitError(f"{path}: cannot draw page {page}: {message}")
    return result.stdout


def show_pdf_page(path: str | Path, page: int = 1, dpi: int = PREVIEW_DPI) -> Any:
    """One page of a PDF as a picture in the notebook (see :func:`pdf_page_png`)."""
    from IPython.display import Image

    return Image(data=pdf_page_png(path, page, dpi), format="png")
