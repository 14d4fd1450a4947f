"""A contact sheet of every exercise drawing, with names, as a PNG (for looking at them).

Run::

    python -m toolkit.handouts.figures.contact_sheet docs/exercises.png
    python -m toolkit.handouts.figures.contact_sheet big.png --only bird-dog --dpi 200

The sheet is HTML laid out by WeasyPrint into a PDF, then turned into a PNG by ``pdftoppm``.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path

from toolkit.handouts.figures import exercise_figure
from toolkit.routines.library import load_library

__all__ = ["sheet_html", "write_sheet", "main"]


def sheet_html(entries: Sequence[tuple[str, str]], columns: int = 4) -> str:
    """An A-size page of drawings in a grid; ``entries`` are (caption, svg) pairs."""
    cells = "".join(
        f'<figure><div class="pic">{svg}</div><figcaption>{escape(caption)}</figcaption></figure>'
        for caption, svg in entries
    )
    width = 100 / columns
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "@page { size: 420mm 594mm; margin: 8mm; }"
        "body { font-family: sans-serif; color: #1a1a1a; margin: 0; }"
        f"figure {{ display: inline-block; width: {width - 1:.2f}%; margin: 0 0 6mm 0;"
        " vertical-align: top; text-align: center; break-inside: avoid; }"
        ".pic { height: 62mm; display: flex; align-items: flex-end; justify-content: center; }"
        ".pic svg { width: 96%; height: 60mm; }"
        "figcaption { font-size: 13pt; margin-top: 2mm; }"
        "</style></head><body>" + cells + "</body></html>"
    )


def write_sheet(target: Path, ids: Sequence[str] = (), dpi: int = 70, columns: int = 4) -> Path:
    """Draw the library's exercises (all, or ``ids``) onto one PNG at ``target``. [dpi]"""
    from weasyprint import HTML

    library = load_library()
    chosen = list(ids) or library.ids
    entries = []
    for exercise_id in chosen:
        exercise = library.get(exercise_id)
        figure = exercise_figure(exercise, library.source(exercise_id))
        entries.append((f"{exercise.name} ({exercise_id})", figure.svg))
    html = sheet_html(entries, columns=min(columns, len(entries)))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "sheet.pdf"
        HTML(string=html).write_pdf(pdf)
        stem = Path(folder) / "sheet"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(stem)], check=True
        )
        target.write_bytes(stem.with_suffix(".png").read_bytes())
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the contact sheet."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--only", nargs="*", default=[], metavar="ID")
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--columns", type=int, default=4)
    args = parser.parse_args(argv)
    write_sheet(args.target, args.only, args.dpi, args.columns)
    print(args.target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
