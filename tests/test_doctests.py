"""The examples in the analysis docstrings run, and give what they show (doctest)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "toolkit.analysis.thresholds",
    "toolkit.analysis.adherence",
    "toolkit.analysis.pain",
    "toolkit.analysis.flags",
    "toolkit.analysis.priority",
    "toolkit.analysis.summary",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0


@pytest.mark.parametrize("name", ["analyse", "adherence", "pain", "flags"])
def test_public_analysis_functions_cite_their_sources_and_show_an_example(name):
    import toolkit.analysis.summary as summary

    function = {
        "analyse": summary.analyse,
        "adherence": importlib.import_module("toolkit.analysis.adherence").adherence,
        "pain": importlib.import_module("toolkit.analysis.pain").pain,
        "flags": importlib.import_module("toolkit.analysis.flags").flags,
    }[name]
    text = function.__doc__ or ""
    assert "References\n    ----------" in text and "Examples\n    --------" in text
    expected = "Newman-Beinart" if name == "adherence" else "Farrar JT"
    assert expected in text
