"""hepkit: build home exercise routines and read patients' logs, openly and on this machine.

Every public name is imported explicitly in ``__init__.pyi`` (the one list of them, which type
checkers and ``dir(toolkit)`` see). Each is loaded from its module the first time it is used,
so that the command line starts without importing pandas, WeasyPrint or ipywidgets.

On Linux, numpy asks the kernel for huge pages for every large array. Where the kernel then
compacts memory at the first touch of each array (transparent huge pages with
``defrag=madvise``, a common default), that made reading and analysing a million log rows a
fifth slower in a new process. So hepkit sets ``NUMPY_MADVISE_HUGEPAGE=0`` when it is imported
before numpy, unless it is already set: export ``NUMPY_MADVISE_HUGEPAGE=1`` to keep numpy's
default.
"""

import os

os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")  # read by numpy when it is imported

import lazy_loader  # noqa: E402

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
