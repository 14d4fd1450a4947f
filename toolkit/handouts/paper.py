"""The paper sizes of the printable handout, in a module of their own that imports nothing.

The command line lists them in ``hepkit export --help`` without loading the renderer.
"""

__all__ = ["PAPER_SIZES"]

#: Paper sizes the printable handout is laid out for, as CSS ``@page`` sizes.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
