"""The names of the export formats, in a module of their own that imports nothing.

The command line lists them in ``hepkit --help`` without loading the exporters.
"""

__all__ = ["FORMATS"]

#: Every format :func:`toolkit.exports.formats.export` writes.
FORMATS = ("yaml", "json", "html", "pdf", "fhir", "ics", "companion")
