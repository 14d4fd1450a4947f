"""The printed report laid out in parts: the same PDF as laid out whole, numbered right."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from toolkit.errors import ExportError
from toolkit.report import printing
from toolkit.report.page import report_html
from toolkit.report.printing import PART_MARK, chart_url, print_report

SOURCES = {"logs": ["logs.csv"], "prescriptions": "prescriptions.csv", "routines": []}


def test_printing_defaults_are_pinned():
    assert printing.CHART_SCHEME == "hepkit-chart"
    assert printing.PART_MARK == "<!-- hepkit:part -->"
    assert printing.PAGES_PER_PART == 10
    assert chart_url(7) == "hepkit-chart:7"


def jpeg(width: int, height: int, colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def printed(sample_report):
    """The sample's printed HTML with its 31 dashboards named by URL, and their JPEGs."""
    result = sample_report
    patients = [p for p in result.pages if p in result.charts]
    charts = [jpeg(800, 300, "#cccccc")] + [jpeg(1170, 470, "#ddeeff") for _ in patients]
    html = report_html(
        result.analysis,
        result.reading,
        sources=SOURCES,
        actions=result.actions,
        pages=result.pages,
        images={"cohort": chart_url(0), **{p: chart_url(i + 1) for i, p in enumerate(patients)}},
        printed=True,
    )
    return html, charts


def test_the_printed_html_marks_each_patient_page_and_the_end(printed, sample_report):
    html, _ = printed
    assert html.count(PART_MARK) == len(sample_report.pages) + 1 == 32
    assert html.split(PART_MARK)[1].lstrip().startswith('<section class="patient"')
    assert html.split(PART_MARK)[-1].lstrip().startswith('<section class="data">')
    assert "data:image" not in html and html.count('src="hepkit-chart:') == 32
    parts = printing._parts(html)
    assert parts.head.endswith("<main>\n") and "</main>" not in parts.end
    assert [part.count("<section") for part in parts.patients] == [1] * 31
    # a mark typed by a person is text, not a mark
    parts = printing._parts(html.replace("<p>", "<p>&lt;!-- hepkit:part --&gt;", 1))
    assert len(parts.patients) == 31


def pdf_facts(tmp_path: Path, pdf: bytes, name: str) -> dict[str, str]:
    """Each page's text, the tags, the links, the named destinations and the bookmarks."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)

    def run(*command: str) -> str:
        return subprocess.run(
            [*command, str(path), "-"] if command[0] == "pdftotext" else [*command, str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        "text": run("pdftotext", "-layout"),
        "tags": run("pdfinfo", "-struct"),
        "destinations": run("pdfinfo", "-dests"),
        "links": "\n".join(re.findall(r'<a href="[^"#]*(#[^"]*)"', xml)),
        "bookmarks": "\n".join(re.findall(r'<item page="\d+">[^<]*', xml)),
    }


@pytest.mark.needs("pdftotext", "pdfinfo", "pdftohtml")
def test_parts_make_the_same_pdf_as_one_document(printed, tmp_path, monkeypatch):
    html, charts = printed
    monkeypatch.setattr(printing, "PAGES_PER_PART", 4)  # 31 patient pages: 8 parts
    asked: list[int] = []

    def chart(number: int) -> bytes:
        asked.append(number)
        return charts[number]

    whole = pdf_facts(tmp_path, print_report(html, chart, in_parts=False), "whole")
    assert sorted(asked) == list(range(32))
    asked.clear()
    parts = pdf_facts(tmp_path, print_report(html, chart, in_parts=True), "parts")
    assert asked == list(range(32))  # each chart asked for once, in page order
    pages = parts["text"].split("\f")[:-1]
    assert [re.search(r"page (\d+) of (\d+)", page).groups() for page in pages] == [
        (str(n), str(len(pages))) for n in range(1, len(pages) + 1)
    ]
    assert len(pages) == 38
    for what in ("text", "tags", "destinations", "links", "bookmarks"):
        assert parts[what] == whole[what], what
    assert parts["links"].count("#") == 111 and len(parts["bookmarks"].splitlines()) == 104


@pytest.mark.needs("pdftotext")
def test_a_patient_page_that_runs_over_is_laid_out_whole(printed, tmp_path, monkeypatch):
    html, charts = printed
    long = "".join(f"<p>line {n}</p>" for n in range(120))
    marks = html.split(PART_MARK)
    marks[3] = marks[3].replace("</section>", long + "</section>", 1)  # the third patient
    calls = []
    real = printing._in_parts

    def spying(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(printing, "_in_parts", spying)
    pdf = print_report(PART_MARK.join(marks), charts.__getitem__, in_parts=True)
    assert calls == [None]  # counted one page a patient: not so, so laid out as one document
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 38
    assert f"page {len(pages)} of {len(pages)}" in pages[-1] and "line 119" in text


def test_only_chart_and_data_urls_are_followed(printed):
    fetcher = printing._fetcher(lambda number: b"\xff\xd8\xff" + bytes([number]))
    assert fetcher.fetch("hepkit-chart:3").read() == b"\xff\xd8\xff\x03"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in ("file:///etc/hostname", "http://example.org/x.png", "https://example.org/"):
        with pytest.raises(ValueError, match="URI uses disallowed protocol"):
            fetcher.fetch(url)


def test_an_empty_pdf_is_an_error(monkeypatch):
    class Empty:
        def copy(self, pages):
            return self

        def write_pdf(self, **options):
            return b""

        pages = ()

    monkeypatch.setattr(printing, "_render", lambda html, fetcher: Empty())
    with pytest.raises(ExportError, match="^WeasyPrint made an empty PDF of the clinic report$"):
        print_report("<html></html>", bytes, in_parts=False)
