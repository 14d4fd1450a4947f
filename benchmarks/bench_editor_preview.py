"""Editor preview refresh for a 20-item routine (goal: under 50 ms).

Measures one dose change made through the editor's widget (validate the change, push it on
the undo history, resync every widget, re-render the preview), against the reference of
rendering the same handout fragment alone, in the same run.
"""

from __future__ import annotations

import statistics
import time

from toolkit import load_library, load_routine
from toolkit.editor.widgets import RoutineEditor
from toolkit.handouts.render import render_handout
from toolkit.paths import routines_dir
from toolkit.routines import editing

REPEATS = 60
GOAL_MS = 50.0


def twenty_item_routine(library):
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", library)
    extra = [ex.id for ex in library if ex.id not in {i.exercise for i in routine.items}]
    for exercise_id in extra[: 20 - len(routine.items)]:
        routine = editing.add_item(routine, exercise_id, library)
    assert len(routine.items) == 20
    return routine


def timed(action, repeats: int = REPEATS) -> list[float]:
    samples = []
    for n in range(repeats):
        start = time.perf_counter()
        action(n)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    library = load_library()
    routine = twenty_item_routine(library)
    editor = RoutineEditor(routine, library)
    editor.items.value = 3
    reps = editor.dose["reps"]

    def change(n: int) -> None:
        reps.value = 2 + n % 2  # alternate 2 and 3: every step is a real change

    refresh = timed(change)
    render = timed(lambda _n: render_handout(editor.routine, library))
    med_refresh, med_render = statistics.median(refresh), statistics.median(render)
    print("| measure (20-item routine) | median [ms] | p10-p90 [ms] |")
    print("|---|---|---|")
    for name, samples in (
        ("editor refresh after a dose change", refresh),
        ("reference: render_handout alone", render),
    ):
        deciles = statistics.quantiles(samples, n=10)
        print(f"| {name} | {statistics.median(samples):.2f} | {deciles[0]:.2f}-{deciles[-1]:.2f} |")
    print(
        f"\nratio refresh / render: {med_refresh / med_render:.1f}x; goal < {GOAL_MS:.0f} ms: "
        f"{'met' if med_refresh < GOAL_MS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
