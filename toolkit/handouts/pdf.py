"""HTML to PDF with WeasyPrint, for the handout and the clinic report alike.

Only ``data:`` URLs are followed while rendering (pictures and charts are embedded
beforehand), so making a PDF never reaches a network or reads a file it was not given.
"""

from __future__ import annotations

from toolkit.errors import ExportError

__all__ = ["pdf_from_html"]


def pdf_from_html(html: str, title: str) -> bytes:
    """PDF bytes of a hepkit HTML document, fonts embedded and tagged for screen readers.

    Parameters
    ----------
    html : str
        A whole HTML document with its styles inline.
    title : str
        What the document is, for the error message.

    Raises
    ------
    ExportError
        WeasyPrint made an empty document.
    """
    from weasyprint import HTML  # heavy: imported on first use
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(pdf_tags=True)
    if not pdf:
        raise ExportError(f"WeasyPrint made an empty PDF of {title}")
    return bytes(pdf)
