"""The thresholds object: every default is the spec's, it is frozen, and comparisons keep the
spec's tolerance rules (analysis spec, sections 2 and 6-7, revision 2)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds, with_overrides


def test_every_default_is_the_specs():
    assert dataclasses.asdict(Thresholds()) == {
        "adherent_at": 0.8,
        "baseline_days": 7,
        "current_days": 7,
        "min_pain_days": 3,
        "current_min_window_days": 14,
        "improved_points": 2.0,
        "improved_percent": 30.0,
        "worsened_points": 2.0,
        "rolling_days": 7,
        "slope_min_days": 7,
        "confidence": 0.95,
        "rise_points": 2.0,
        "rise_window_days": 14,
        "min_rises": 2,
        "min_window_days": 7,
        "stopped_logging_days": 7,
        "trend_rise_points": 2.0,
        "review_adherence_below": 0.5,
        "recent_days": 14,
        "ready_min_days": 28,
        "ready_adherence_at": 0.8,
        "ready_pain_at_most": 3.0,
        "tolerance": 1e-9,
    }
    assert Thresholds() == DEFAULT_THRESHOLDS


def test_every_field_is_documented_with_its_unit():
    doc = Thresholds.__doc__ or ""
    for field in dataclasses.fields(Thresholds):
        start = doc.index(f"    {field.name} : ")
        entry = doc[start : doc.find("\n    ", doc.index("\n", start) + 1) + 200]
        assert "[" in entry, field.name
    assert "Farrar 2001" in doc and "Ostelo 2008" in doc and "Haynes" in doc


def test_thresholds_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().adherent_at = 0.5  # type: ignore[misc]


def test_overrides_by_name_and_an_unknown_name_is_refused_with_the_allowed_ones():
    assert with_overrides(None, {"adherent_at": 0.7}) == Thresholds(adherent_at=0.7)
    base = Thresholds(recent_days=7)
    assert with_overrides(base, {"min_rises": 3}) == Thresholds(recent_days=7, min_rises=3)
    with pytest.raises(TypeError, match=r"unknown threshold 'target'; allowed: adherent_at, "):
        with_overrides(None, {"target": 0.7})


@pytest.mark.parametrize(
    ("method", "value", "expected"),
    [
        # x >= t means x >= t - 1e-9: a float sum just short of 0.8 still meets it
        ("at_least", 0.7999999999999999, True),
        ("at_least", 0.8 - 2e-9, False),
        # x > t means x > t + 1e-9: the exact boundary never passes
        ("above", 0.8, False),
        ("above", 0.8 + 5e-10, False),
        ("above", 0.8 + 2e-9, True),
        # x < t means x < t - 1e-9
        ("below", 0.8, False),
        ("below", 0.8 - 5e-10, False),
        ("below", 0.8 - 2e-9, True),
        # x <= t means x <= t + 1e-9
        ("at_most", 0.8 + 5e-10, True),
        ("at_most", 0.8 + 2e-9, False),
    ],
)
def test_comparisons_follow_the_tolerance_rules(method, value, expected):
    assert bool(getattr(Thresholds(), method)(value, 0.8)) is expected


def test_a_missing_value_never_meets_a_threshold():
    t = Thresholds()
    for method in ("at_least", "above", "below", "at_most"):
        assert not getattr(t, method)(np.nan, 0.8)


def test_the_plain_words_doc_lists_every_threshold_with_its_default():
    from locations import REPO

    text = (REPO / "docs" / "analysis.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(Thresholds):
        shown = f"{field.default:g}".replace("e-09", "e-9")
        assert f"| `{field.name}` | {shown} |" in text, field.name
