"""The warning-sign words looked for in patients' notes (analysis spec, section 7): one table.

Defined here, below both flows that use it: :mod:`toolkit.analysis.flags` raises the
clinician's ``red_flag_note`` with it, and the patient's companion page
(:mod:`toolkit.exports.companion`) uses the same patterns, turned into JavaScript when the page
is written, to show the routine's safety notice. Matching words diagnoses nothing.
"""

from __future__ import annotations

__all__ = ["RED_FLAG_PATTERNS_VERSION", "RED_FLAG_PATTERNS"]

#: Version of the red-flag pattern table below.
RED_FLAG_PATTERNS_VERSION = 1

#: Symptom -> case-insensitive regular expression, version 1, verbatim from the spec.
RED_FLAG_PATTERNS: dict[str, str] = {
    "bladder or bowel control": r"bladder|bowel|incontinen|wet (myself|the bed)",
    "saddle numbness": (
        r"saddle|numb\w* (in|around) (the |my )?(groin|genital\w*|perine\w*|inner thigh\w*)"
    ),
    "leg weakness or foot drop": (
        r"foot ?drop|drop ?foot|legs? (is |are |feels? |felt |went |keeps? )?"
        r"(weak|giving way|gave way|buckl\w*)|weak(ness)? in (my |the |both |left |right )*"
        r"legs?|weak legs?"
    ),
    "fever": r"fever|feverish|high temperature",
    "weight loss": r"weight loss|losing weight|lost weight",
    "severe night pain": (
        r"night pain|pain at night|pain (wakes|woke|waking) me|(wakes|woke|waking) me up"
    ),
}
