"""The printed report: long groups and the cohort table cut and counted, one page a patient."""

from __future__ import annotations

import re
import subprocess

import pytest

from toolkit.report import page as page_module
from toolkit.report.page import report_html

SOURCES = {"logs": ["logs.csv"], "prescriptions": "prescriptions.csv", "routines": []}


@pytest.fixture
def sample(sample_report):
    """The sample cohort's report (40 patients: 2 Call, 7 Review, 22 Monitor, 9 On track)."""
    return sample_report


def html_of(sample, printed: bool) -> str:
    return report_html(
        sample.analysis,
        sample.reading,
        sources=SOURCES,
        actions=sample.actions,
        pages=sample.pages,
        images={},
        printed=printed,
    )


def group_lines(html: str, key: str) -> list[str]:
    block = html.split(f'<div class="group group-{key}">')[1].split("</div>")[0]
    return re.findall(r"<li>(.*?)</li>", block)


def cohort_ids(html: str) -> list[str]:
    body = html.split('<table class="cohort">')[1].split("</tbody>")[0]
    return re.findall(r"<tr>\n<td>(?:<a href=\"#[^\"]+\">)?(P\d+)", body)


def test_printed_limits_are_pinned():
    assert page_module.PRINTED_GROUP_LINES == 60
    assert page_module.PRINTED_TABLE_ROWS == 150
    assert page_module.ALWAYS_PRINTED == ("urgent", "review")


def test_the_sample_is_printed_whole(sample):
    screen, printed = html_of(sample, False), html_of(sample, True)
    for key in ("urgent", "review", "monitor", "on_track"):
        assert group_lines(printed, key) == group_lines(screen, key)
    assert len(cohort_ids(printed)) == len(cohort_ids(screen)) == 40
    assert "not printed" not in printed and "more are in report.html" not in printed


def test_long_groups_are_cut_in_print_and_counted(sample, monkeypatch):
    monkeypatch.setattr(page_module, "PRINTED_GROUP_LINES", 5)
    monkeypatch.setattr(page_module, "PRINTED_TABLE_ROWS", 8)
    screen, printed = html_of(sample, False), html_of(sample, True)
    # Call and Review are printed whole however long; Monitor (22) and On track (9) are cut.
    assert len(group_lines(printed, "review")) == 7
    assert group_lines(printed, "monitor") == group_lines(screen, "monitor")[:5]
    assert len(group_lines(screen, "monitor")) == 22
    assert '<h3>Monitor <span class="count">(22)</span></h3>' in printed
    assert (
        '<p class="muted more">… and 17 more, not printed: every patient is in report.html '
        "and summary.csv.</p>"
    ) in printed
    assert "… and 4 more, not printed" in printed  # On track: 9 - 5
    assert "not printed" not in screen
    # The table's printed rows are the most urgent: the action list's order.
    order = [str(p) for p in sample.actions["patient_id"]]
    assert cohort_ids(printed) == order[:8]
    assert cohort_ids(screen) == sorted(order)
    assert (
        "The 8 most urgent patients are printed; 32 more are in report.html and summary.csv."
    ) in printed


@pytest.mark.needs("pdftotext")
def test_each_patient_page_is_one_printed_page(sample):
    text = subprocess.run(
        ["pdftotext", "-layout", str(sample.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    printed = text.split("\f")
    starts = [i for i, page in enumerate(printed) if re.search(r"^\s*Patient P\d+\s*$", page, re.M)]
    assert len(starts) == len(sample.pages) == 31
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [1] * 30
    for i in starts:  # the page ends with its key figures, pain trend included
        assert "Key figures" in printed[i] and "Last log on" in printed[i]
    assert "Data" in printed[starts[-1] + 1]


def test_the_pdf_embeds_the_charts_as_jpeg_and_the_files_stay_png(sample):
    from PIL import Image

    from toolkit.report import drawing

    assert drawing.PNG_COMPRESSION == 1
    assert drawing.PRINT_JPEG_QUALITY == 90
    pdf = sample.pdf.read_bytes()
    # the cohort chart, the 31 dashboards and P005's pain around sessions, each once (no
    # alpha mask image beside any)
    assert pdf.count(b"/DCTDecode") == 1 + 31 + 1
    assert b"/SMask" not in pdf
    for path in sample.charts.values():
        with Image.open(path) as image:
            assert (image.format, image.mode) == ("PNG", "RGB")
    html = sample.html.read_text(encoding="utf-8")
    assert "data:image/jpeg" not in html and html.count("data:image/png") == 1 + 31 + 1
