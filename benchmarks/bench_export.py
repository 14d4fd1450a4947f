"""Export speed: handout fragment, HTML file, PDF, and a batch of 100 patients.

Goals (issue 3 and 4): the preview fragment of a 20-item routine under 50 ms; the HTML handout
of a 10-exercise routine under 100 ms; its PDF under 2 s; the batch reported per patient.
Medians over repeats, after one warm-up run (which pays for imports and compiling templates).
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from toolkit.exports.batch import export_batch
from toolkit.exports.formats import handout_html, handout_pdf
from toolkit.handouts.render import render_handout
from toolkit.paths import routines_dir
from toolkit.routines.library import Library, load_library
from toolkit.routines.models import Routine
from toolkit.routines.routine import dump_routine, load_routine

GOALS_MS = {"fragment": 50.0, "html": 100.0, "pdf": 2000.0}
PATIENTS = 100


def routine_of_size(library: Library, size: int) -> Routine:
    """The reference routine with its items repeated or extended to ``size`` exercises."""
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", library)
    data = routine.model_dump()
    ids = [item.exercise for item in routine.items]
    ids += [exercise_id for exercise_id in library.ids if exercise_id not in ids]
    data["items"] = [{"exercise": ids[i % len(ids)]} for i in range(size)]
    data["id"] = f"bench-{size}-items"
    return Routine.model_validate(data)


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    """Wall time of each of ``repeats`` calls, after one warm-up call. [ms]"""
    action()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def fragment_samples(library: Library, repeats: int = 60) -> list[float]:
    """Preview fragment of a 20-item routine (the editor's benchmark reuses this). [ms]"""
    routine = routine_of_size(library, 20)
    return timed(lambda: render_handout(routine, library), repeats)


def batch_samples(library: Library, repeats: int = 3) -> list[float]:
    """Whole batch of :data:`PATIENTS` patients (two routines), fresh folder each run. [ms]"""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        routines = folder / "routines"
        routines.mkdir()
        ten = routine_of_size(library, 10)
        (routines / f"{ten.id}.yaml").write_text(dump_routine(ten), encoding="utf-8")
        reference = routines_dir() / "gentle-back-stretches.yaml"
        (routines / reference.name).write_bytes(reference.read_bytes())
        table = folder / "prescriptions.csv"
        with table.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["patient_id", "routine", "start_date", "end_date"])
            for n in range(PATIENTS):
                routine_id = ten.id if n % 2 else reference.stem
                writer.writerow([f"p-{n:03d}", routine_id, "2026-12-01", "2027-01-25"])
        runs = iter(range(repeats + 1))

        def run() -> None:
            result = export_batch(
                table,
                folder / f"out-{next(runs)}",
                routines_dir=routines,
                library=library,
                progress=False,
            )
            assert result.ok, result.summary()

        return timed(run, repeats)


def _row(name: str, samples: list[float], goal: float | None) -> str:
    median = statistics.median(samples)
    low, high = min(samples), max(samples)
    verdict = "" if goal is None else f"< {goal:.0f} ({'met' if median < goal else 'NOT met'})"
    return f"| {name} | {median:.2f} | {low:.2f}-{high:.2f} | {verdict} |"


def main() -> None:
    library = load_library()
    ten = routine_of_size(library, 10)
    fragment = fragment_samples(library)
    html = timed(lambda: handout_html(ten, library), 30)
    pdf = timed(lambda: handout_pdf(ten, library), 5)
    batch = batch_samples(library)
    per_patient = [sample / PATIENTS for sample in batch]
    print("| measure | median [ms] | min-max [ms] | goal [ms] |")
    print("|---|---|---|---|")
    print(_row("preview fragment, 20 items", fragment, GOALS_MS["fragment"]))
    print(_row("HTML handout file, 10 exercises", html, GOALS_MS["html"]))
    print(_row("PDF handout, 10 exercises", pdf, GOALS_MS["pdf"]))
    print(_row(f"batch of {PATIENTS} patients (PDF + ics + FHIR each)", batch, None))
    print(_row("batch, per patient", per_patient, None))
    print(
        "\nThe batch makes every file per patient: the handout names its patient and dates "
        "its tick sheet from the start date."
    )


if __name__ == "__main__":
    main()
