"""The printed clinic report (PDF), laid out in parts while its dashboards are still drawn.

WeasyPrint lays out a document on one core. A large report draws its dashboards in other
processes first (:class:`toolkit.report.drawing.Dashboards`), so laying out the whole
document only after the last one is drawn would leave those cores idle for half the time.
Instead :func:`print_report` lays out the printed HTML as several documents, in page order:

1. the end (data and definitions), only to count its pages;
2. the front (banner, action list, cohort chart and table), straight away;
3. the patient pages, :data:`PAGES_PER_PART` at a time, each part as soon as its dashboards
   are drawn;
4. the end again, numbered,

then puts their pages into one PDF, with its links, bookmarks and tags for screen readers.

Every page still says "page X of Y". A part's first page number is set with
``counter-reset: page`` on its first page and Y is written out, counted as one page per patient
(the printed layout keeps a patient to one page). The front, laid out before the patient pages
exist, gets its Y from WeasyPrint's own page count: it is laid out followed by as many empty
pages as the patient pages and the end will take, which are then left out. If any part turns
out another length than counted, the report is laid out again as one document, so the numbers
are right in every case; that document is also what a small report, whose dashboards are drawn
in this process, is printed as.

Charts are not embedded in the printed HTML: each is named by a :func:`chart_url`, which only
the fetcher of this module answers, from the callable given (which waits for a dashboard still
being drawn). No other URL is followed but ``data:``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from toolkit.errors import ExportError

__all__ = ["CHART_SCHEME", "PART_MARK", "PAGES_PER_PART", "chart_url", "print_report"]

#: URL scheme of the charts in the printed HTML.
CHART_SCHEME = "hepkit-chart"
#: The comment the printed HTML has before each patient's page and before its end part.
PART_MARK = "<!-- hepkit:part -->"
#: Patient pages laid out as one document. [pages]
PAGES_PER_PART = 10

_BODY_START = "<main>\n"
_BODY_END = "</main>\n</body>\n</html>"


def chart_url(number: int) -> str:
    """The URL of chart ``number`` in the printed HTML (see :func:`print_report`)."""
    return f"{CHART_SCHEME}:{number}"


@dataclass(frozen=True)
class _Parts:
    """The printed HTML cut at its part marks: ``head`` ends with the opening ``<main>``."""

    head: str
    front: str
    patients: list[str]
    end: str


def _parts(html: str) -> _Parts:
    start = html.index(_BODY_START) + len(_BODY_START)
    front, *patients, end = html[start:].split(PART_MARK)
    return _Parts(html[:start], front, patients, end.rstrip().removesuffix(_BODY_END))


def _numbering(first: int, total: int) -> str:
    """Styles that number a part's pages from ``first``, of ``total`` pages in all."""
    return (
        "<style>\n"
        f'@page {{ @bottom-right {{ content: "page " counter(page) " of {total}"; }} }}\n'
        f"@page :first {{ counter-reset: page {first}; }}\n"
        "</style>\n"
    )


def _fetcher(charts: Callable[[int], bytes]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # heavy: imported on first use

    class ChartFetcher(URLFetcher):
        """Answers :func:`chart_url` URLs from ``charts`` and ``data:`` URLs; nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme, _, number = url.partition(":")
            if scheme != CHART_SCHEME:
                return super().fetch(url, headers)
            image = charts(int(number))
            kind = "jpeg" if image[:3] == b"\xff\xd8\xff" else "png"
            return URLFetcherResponse(url, image, {"Content-Type": f"image/{kind}"})

    return ChartFetcher(allowed_protocols={"data", CHART_SCHEME})


def print_report(html: str, charts: Callable[[int], bytes], *, in_parts: bool) -> bytes:
    """PDF bytes of the printed clinic report, fonts embedded and tagged for screen readers.

    Parameters
    ----------
    html : str
        The printed HTML (:func:`toolkit.report.page.report_html` with ``printed=True``),
        its charts named by :func:`chart_url`.
    charts : callable
        Chart number -> its JPEG or PNG bytes; may wait while the chart is drawn.
    in_parts : bool
        Lay out the front as soon as called and the patient pages part by part, as above
        (when the dashboards are drawn by other processes meanwhile); otherwise as one
        document.

    Raises
    ------
    ExportError
        WeasyPrint made an empty document.
    """
    fetcher = _fetcher(charts)
    laid_out = _in_parts(html, fetcher) if in_parts else None
    if laid_out is None:
        whole = _render(html, fetcher)
        laid_out = whole, whole.pages
    document, pages = laid_out
    pdf = document.copy(pages).write_pdf(pdf_tags=True)
    if not pdf:
        raise ExportError("WeasyPrint made an empty PDF of the clinic report")
    return bytes(pdf)


def _render(html: str, fetcher: Any) -> Any:
    from weasyprint import HTML

    return HTML(string=html, base_url=None, url_fetcher=fetcher).render(pdf_tags=True)


def _in_parts(html: str, fetcher: Any) -> tuple[Any, list[Any]] | None:
    """The front's document and every part's pages in order, or None if a part is not of
    its counted length."""
    parts = _parts(html)

    def laid_out(body: str, first: int, total: int) -> Any:
        head = parts.head.replace("</head>", _numbering(first, total) + "</head>", 1)
        return _render(head + body + _BODY_END, fetcher)

    end_pages = len(laid_out(parts.end, 1, 0).pages)
    after_front = len(parts.patients) + end_pages
    blank = '<div style="break-before: page"></div>\n' * after_front
    front = _render(parts.head + parts.front + blank + _BODY_END, fetcher)
    pages = front.pages[: len(front.pages) - after_front]
    total = len(pages) + after_front
    for start in range(0, len(parts.patients), PAGES_PER_PART):
        chosen = parts.patients[start : start + PAGES_PER_PART]
        part = laid_out("".join(chosen), len(pages) + 1, total).pages
        if len(part) != len(chosen):
            return None
        pages.extend(part)
    end = laid_out(parts.end, len(pages) + 1, total).pages
    if len(end) != end_pages or len(pages) + len(end) != total:
        return None
    return front, [*pages, *end]
