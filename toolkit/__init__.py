"""hepkit: build home exercise routines and read patients' logs, openly and on this machine.

Every public name is imported explicitly in ``__init__.pyi`` (the one list of them, which type
checkers and ``dir(toolkit)`` see). Each is loaded from its module the first time it is used,
so that the command line starts without importing pandas, WeasyPrint or ipywidgets.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
