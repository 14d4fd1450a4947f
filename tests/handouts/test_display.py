"""Notebook display helpers: the handout object and a drawn PDF page."""

from __future__ import annotations

import pytest

from toolkit.errors import HepkitError
from toolkit.exports.formats import export
from toolkit.handouts.display import PREVIEW_DPI, pdf_page_png, show_handout, show_pdf_page
from toolkit.routines.routine import load_routine


def test_show_handout_is_the_rendered_html(routine_file, library):
    shown = show_handout(load_routine(routine_file), library)
    assert "Single knee to chest" in shown.data


@pytest.mark.needs("pdftoppm")
def test_pdf_page_is_drawn(routine_file, library, tmp_path):
    pdf = export(load_routine(routine_file), "pdf", tmp_path / "h.pdf", library=library)
    png = pdf_page_png(pdf)
    assert png.startswith(b"\x89PNG")
    assert PREVIEW_DPI == 60
    width = int.from_bytes(png[16:20], "big")
    assert abs(width - 210 / 25.4 * 60) <= 1  # an A4 page at 60 dpi is about 496 pixels wide
    assert show_pdf_page(pdf).data == png


@pytest.mark.needs("pdftoppm")
def test_pdf_errors(tmp_path, routine_file, library):
    with pytest.raises(HepkitError, match=r"missing.pdf: PDF not found"):
        pdf_page_png(tmp_path / "missing.pdf")
    pdf = export(load_routine(routine_file), "pdf", tmp_path / "h.pdf", library=library)
    with pytest.raises(HepkitError, match=r"h.pdf: cannot draw page 99"):
        pdf_page_png(pdf, page=99)


def test_missing_pdftoppm_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr("toolkit.handouts.display.shutil.which", lambda name: None)
    with pytest.raises(HepkitError, match="pdftoppm is needed to draw a PDF page; install poppler"):
        pdf_page_png(tmp_path / "x.pdf")
