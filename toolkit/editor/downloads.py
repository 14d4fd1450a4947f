"""Files to hand over from the app: the handout (PDF, HTML), the patient companion, the routine.

Voila has no download widget, so each file is made when its button is pressed and shown as a
link holding the file itself (a ``data:`` URL with ``download=<name>``): clicking it saves the
file, with no server route and nothing written on the clinic's disk. Names follow the routine
and its version: ``gentle-back-stretches-v2.pdf``.
"""

from __future__ import annotations

import base64
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w

from toolkit.exports.companion import companion_html
from toolkit.exports.formats import handout_html, handout_pdf
from toolkit.routines.library import Library
from toolkit.routines.models import Routine
from toolkit.routines.routine import dump_routine

__all__ = [
    "DOWNLOADS",
    "Download",
    "DownloadPanel",
    "download_name",
    "download_file",
    "download_link",
]


@dataclass(frozen=True)
class Download:
    """One kind of file the app hands over."""

    kind: str
    button: str
    suffix: str
    mime: str


#: What the app offers to download, in the order of its buttons.
DOWNLOADS = {
    "pdf": Download("pdf", "Handout PDF", ".pdf", "application/pdf"),
    "html": Download("html", "Handout HTML", ".html", "text/html"),
    "companion": Download("companion", "Patient companion", "-companion.html", "text/html"),
    "routine": Download("routine", "Routine file", ".yaml", "application/x-yaml"),
}


def download_name(routine: Routine, kind: str, path: str | Path | None = None) -> str:
    """The file name for ``kind``: the routine file's name without its version, then ``-v<n>``.

    Without a file, the routine's id is used: ``gentle-back-stretches-v2.pdf``.
    """
    stem = Path(path).stem if path is not None else routine.id
    stem = re.sub(r"-v\d+$", "", stem) or routine.id
    return f"{stem}-v{routine.version}{DOWNLOADS[kind].suffix}"


def download_file(routine: Routine, library: Library, kind: str) -> bytes:
    """The content of the file ``kind`` (see :data:`DOWNLOADS`) for the routine as it stands."""
    if kind == "pdf":
        return handout_pdf(routine, library)
    if kind == "html":
        return handout_html(routine, library).encode("utf-8")
    if kind == "companion":
        return companion_html(routine, library).encode("utf-8")
    if kind == "routine":
        return dump_routine(routine, "yaml").encode("utf-8")
    raise ValueError(f"no download {kind!r}; allowed: {', '.join(DOWNLOADS)}")


def download_link(data: bytes, name: str, mime: str) -> str:
    """An HTML link that saves ``data`` as the file ``name`` when clicked."""
    url = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    shown = html.escape(name)
    return (
        f'<a class="hepkit-download-link" download="{shown}" href="{url}" '
        f'style="font-weight:bold">Download {shown}</a>'
    )


class DownloadPanel:
    """A button per file of :data:`DOWNLOADS`; pressing one makes the file and shows its link.

    Parameters
    ----------
    state : callable
        Gives the routine as it stands, its library and its file (or None) when a button is
        pressed.
    guard : callable, optional
        Wraps each click handler (the editor's shows a problem in words instead of raising).
    """

    def __init__(
        self,
        state: Callable[[], tuple[Routine, Library, Path | None]],
        guard: Callable[[Callable[..., object]], Callable[..., None]] | None = None,
    ):
        self._state = state
        self._made_for: Routine | None = None
        self.buttons: dict[str, w.Button] = {}
        for kind, download in DOWNLOADS.items():
            button = w.Button(description=download.button, icon="download")
            button.layout = w.Layout(width="auto")
            button.add_class(f"hepkit-download-{kind}")
            handler = functools.partial(self._on_click, kind)
            button.on_click(guard(handler) if guard is not None else handler)
            self.buttons[kind] = button
        self.link = w.HTML("")
        self.link.add_class("hepkit-download")
        self.widget = w.HBox(
            [*self.buttons.values(), self.link], layout=w.Layout(flex_flow="row wrap")
        )

    def _on_click(self, kind: str, _button: object) -> None:
        self.make(kind)

    def make(self, kind: str) -> str:
        """Make the file ``kind`` for the routine as it stands, show its link; return its name."""
        routine, library, path = self._state()
        name = download_name(routine, kind, path)
        data = download_file(routine, library, kind)
        self.link.value = download_link(data, name, DOWNLOADS[kind].mime)
        self._made_for = routine
        return name

    def forget_if_changed(self, routine: Routine) -> None:
        """Take the link away once the routine no longer is what the file was made from."""
        if self._made_for is not None and routine != self._made_for:
            self.link.value = ""
            self._made_for = None
