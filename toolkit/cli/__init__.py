"""The ``hepkit`` command line, one module per command."""
