"""The companion page in a real browser: a patient's session, by clicks, read back by hepkit.

Playwright drives Debian's Chromium with a phone's viewport (390x844, touch) on the exported
file opened from ``file://``. The page clock is Playwright's, so holds, rests and breaths run
in test time. Every request is recorded; the only one allowed is the page's own file.

Without Chromium these tests skip, except under CI (``$CI`` set), where they fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from locations import TEST_DATA
from playwright.sync_api import BrowserContext, Page, Route, expect

from toolkit import analyse, read_logs
from toolkit.exports.companion import BREATH_IN_S, BREATH_OUT_S
from toolkit.exports.formats import export
from toolkit.logs.red_flags import RED_FLAG_PATTERNS
from toolkit.paths import routines_dir
from toolkit.routines.editing import set_note
from toolkit.routines.library import Library
from toolkit.routines.routine import load_routine

pytestmark = pytest.mark.browser

AXE = TEST_DATA / "axe" / "axe.min.js"
PATIENT = "P007"
START = "2026-12-01"
#: The page's clock: a Wednesday morning in Berlin (UTC+01:00 in December).
NOW = "2026-12-02T09:00:00+01:00"
ZONE = "Europe/Berlin"
BREATH_MS = (BREATH_IN_S + BREATH_OUT_S) * 1000


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A phone: 390x844 with touch, in a time zone with an offset."""
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
        "timezone_id": ZONE,
        "accept_downloads": True,
    }


@pytest.fixture
def companion_file(tmp_path: Path, library: Library) -> Path:
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", library)
    return export(
        routine,
        "companion",
        tmp_path / "companion.html",
        library=library,
        patient_id=PATIENT,
        start=pd.Timestamp(START).date(),
    )


class Requests:
    """Every URL the page asked for, from the page's events and from routing."""

    def __init__(self, page_file: Path):
        self.allowed = page_file.resolve().as_uri()
        self.urls: list[str] = []

    def record(self, url: str) -> None:
        self.urls.append(url)

    @property
    def outside(self) -> list[str]:
        return [
            url
            for url in self.urls
            if url != self.allowed and not url.startswith(("data:", "blob:"))
        ]


@pytest.fixture
def opened(
    page: Page, context: BrowserContext, companion_file: Path
) -> Iterator[tuple[Page, Requests]]:
    """The companion opened from disk at :data:`NOW`, every request recorded (and refused)."""
    requests = Requests(companion_file)

    def refuse(route: Route) -> None:
        requests.record(route.request.url)
        if route.request.url == requests.allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", refuse)
    page.on("request", lambda request: requests.record(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.install(time=NOW)
    page.goto(companion_file.resolve().as_uri())
    expect(page.locator("h1")).to_have_text("Gentle back stretches for home")
    yield page, requests
    assert not errors, errors
    assert requests.urls, "no request was recorded"
    assert not requests.outside, f"the page made requests: {requests.outside}"


def click(page: Page, action: str) -> None:
    page.locator(f"[data-action={action}]").click()


def holds(page: Page, count: int, hold_s: int) -> None:
    for _ in range(count):
        click(page, "hold")
        page.clock.run_for(hold_s * 1000 + 300)


def whole_session(page: Page, pain_before: int, pain_after: int, note: str = "") -> None:
    """The reference routine from start to save, as a patient taps through it."""
    click(page, "start")
    page.locator(f"[data-pain='{pain_before}']").click()
    click(page, "next")
    # 1. diaphragmatic breathing: 10 paced breaths
    expect(page.locator("h1")).to_have_text("Belly breathing")
    click(page, "breathe")
    expect(page.locator(".pacer")).to_have_text("Breathe in")
    page.clock.run_for(BREATH_IN_S * 1000 + 100)
    expect(page.locator(".pacer")).to_have_text("Breathe out")
    page.clock.run_for(10 * BREATH_MS)
    expect(page.locator(".tracker")).to_contain_text("All done for this exercise")
    click(page, "next")
    # 2. pelvic tilts: 5 repetitions
    for _ in range(5):
        click(page, "rep")
    expect(page.locator(".tracker")).to_contain_text("All done")
    click(page, "next")
    # 3. drawing in: 5 holds of 5 s, rest 30 s, 5 more
    holds(page, 4, 5)
    expect(page.locator(".tracker")).to_contain_text("Set 1 of 2")
    holds(page, 1, 5)
    expect(page.locator(".tracker")).to_contain_text("Rest")
    page.clock.run_for(30_500)
    expect(page.locator(".tracker")).to_contain_text("Set 2 of 2")
    holds(page, 5, 5)
    click(page, "next")
    # 4. single knee to chest: 3 holds of 20 s on each side, left then right
    expect(page.locator(".tracker")).to_contain_text("left side")
    holds(page, 3, 20)
    expect(page.locator(".tracker")).to_contain_text("right side")
    holds(page, 3, 20)
    click(page, "next")
    # 5. double knee to chest: 3 holds of 20 s
    holds(page, 3, 20)
    click(page, "next")
    # 6. pelvic tilt: 2 sets of 10, rest 30 s
    for _ in range(10):
        click(page, "rep")
    page.clock.run_for(30_500)
    for _ in range(10):
        click(page, "rep")
    expect(page.locator(".tracker")).to_contain_text("All done")
    click(page, "next")
    page.locator(f"[data-pain='{pain_after}']").click()
    if note:
        page.get_by_label("Anything to tell your clinic?").fill(note)
    click(page, "save")
    expect(page.locator("h1")).to_have_text("Saved")


def send(page: Page, folder: Path, name: str) -> Path:
    """Send from the result or home screen; the file the browser downloads."""
    click(page, "open-send")
    with page.expect_download() as download:
        click(page, "send")
    suggested = download.value.suggested_filename
    assert re.fullmatch(r"hepkit-log_gentle-back-stretches_P007_2026-12-0\d\.csv", suggested)
    target = folder / name
    download.value.save_as(target)
    expect(page.locator("#send-status")).to_contain_text("is ready")
    return target


def analysed(log: Path, library: Library, as_of: str) -> Any:
    logs, rejects, _ = read_logs(log, today=as_of)
    assert rejects.empty, rejects.to_string()
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", library)
    prescriptions = pd.DataFrame(
        {
            "patient_id": [PATIENT],
            "routine": [routine.id],
            "start_date": [pd.Timestamp(START)],
            "end_date": [pd.NaT],
            "source": ["prescriptions.csv"],
            "row": [2],
        }
    )
    return logs, analyse(logs, prescriptions, {routine.id: routine}, library, as_of=as_of)


def test_a_whole_session_by_clicks_reads_back_as_that_days_session(
    opened: tuple[Page, Requests], tmp_path: Path, library: Library
) -> None:
    page, _ = opened
    whole_session(page, pain_before=3, pain_after=2)
    expect(page.locator(".warning")).to_have_count(0)
    log = send(page, tmp_path, "sent.csv")
    logs, result = analysed(log, library, "2026-12-02")
    assert len(logs) == 7  # six exercises, the one done on each side twice
    assert set(logs["exercise_id"]) == {
        item.exercise
        for item in load_routine(routines_dir() / "gentle-back-stretches.yaml", library).items
    }
    assert logs["completed"].all()
    assert logs["entry_id"].is_unique
    assert sorted(logs["side"].dropna()) == ["both"] * 5 + ["left", "right"]
    drawing_in = logs[logs["exercise_id"] == "drawing-in"].iloc[0]
    assert (drawing_in["sets_done"], drawing_in["reps_done"]) == (2, 5)
    assert set(logs["pain_before"]) == {3} and set(logs["pain_after"]) == {2}
    text = log.read_text(encoding="utf-8")
    assert "+01:00" in text.splitlines()[1], "timestamps carry the device's offset"
    day = result.adherence.daily.set_index("date").loc[pd.Timestamp("2026-12-02")]
    assert day["sessions_done"] == 1
    pain = result.pain.daily.set_index("date").loc[pd.Timestamp("2026-12-02")]
    assert pain["daily_pain"] == 3


def test_sending_again_sends_the_history_whose_old_rows_read_as_duplicates(
    opened: tuple[Page, Requests], tmp_path: Path
) -> None:
    page, _ = opened
    whole_session(page, pain_before=4, pain_after=4)
    first = send(page, tmp_path, "first.csv")
    page.clock.fast_forward("24:00:00")
    click(page, "home")
    whole_session(page, pain_before=3, pain_after=3)
    second = send(page, tmp_path, "second.csv")
    first_rows = first.read_text(encoding="utf-8").splitlines()[1:]
    second_rows = second.read_text(encoding="utf-8").splitlines()[1:]
    assert second_rows[: len(first_rows)] == first_rows, "the whole history, unchanged"
    both = tmp_path / "both.csv"
    both.write_text(first.read_text(encoding="utf-8") + "\n".join(second_rows) + "\n")
    logs, rejects, report = read_logs(both, today="2026-12-03")
    assert report.duplicates == len(first_rows) == 7
    assert len(logs) == 14
    assert rejects["reason"].str.startswith("duplicate").all()


def test_two_sent_files_read_together_keep_each_session_once(
    opened: tuple[Page, Requests], tmp_path: Path
) -> None:
    page, _ = opened
    whole_session(page, pain_before=4, pain_after=4)
    first = send(page, tmp_path, "first.csv")
    click(page, "home")
    whole_session(page, pain_before=3, pain_after=3)
    second = send(page, tmp_path, "second.csv")
    logs, _, report = read_logs([first, second], today="2026-12-03")
    assert report.duplicates == 7 and len(logs) == 14


def test_a_session_stopped_halfway_logs_what_was_done_and_shows_the_safety_notice(
    opened: tuple[Page, Requests], tmp_path: Path, library: Library
) -> None:
    page, _ = opened
    click(page, "start")
    page.locator("[data-pain='2']").click()
    click(page, "next")
    click(page, "did-all")
    click(page, "next")
    for _ in range(3):
        click(page, "rep")
    click(page, "stopped-early")
    page.get_by_label("It hurt").check()
    click(page, "stop-confirm")
    page.locator("[data-pain='5']").click()
    page.get_by_label("Anything to tell your clinic?").fill("I had a fever last night")
    click(page, "save")
    warning = page.locator(".warning")
    expect(warning).to_contain_text("Your pain was 2 before and is 5 now")
    expect(warning).to_contain_text("Your note talks about something")
    expect(warning).to_contain_text("Stop any exercise that makes your pain worse")
    expect(warning.locator("a[href='tel:5550100']")).to_have_text("Call 555-0100")
    log = send(page, tmp_path, "stopped.csv")
    logs, result = analysed(log, library, "2026-12-02")
    assert logs["exercise_id"].tolist() == ["diaphragmatic-breathing", "neutral-spine-pelvic-tilts"]
    assert logs["completed"].tolist() == [True, False]
    assert logs["reps_done"].tolist() == [10, 3]
    assert logs["notes"].iloc[0] == "Stopped early: It hurt. I had a fever last night"
    assert "red_flag_note" in set(result.flags["flag"])


def test_the_pages_warning_words_are_the_analysis_patterns(
    opened: tuple[Page, Requests],
) -> None:
    page, _ = opened
    notes = [
        "my leg gave way on the stairs",
        "Weakness in my left leg",
        "pain woke me up",
        "I wet myself",
        "numbness in the groin",
        "legs feel heavy",
        "I lost my keys",
        "no fever",
    ]
    in_page = page.evaluate(
        """notes => {
            const flags = JSON.parse(document.getElementById('companion-data').textContent).red_flags;
            return notes.map(n => flags.patterns.some(p => new RegExp(p, flags.flags).test(n)));
        }""",
        notes,
    )
    in_python = [
        any(re.search(p, n, re.IGNORECASE) for p in RED_FLAG_PATTERNS.values()) for n in notes
    ]
    assert in_page == in_python
    assert in_python.count(False) == 2


def test_hostile_routine_text_stays_text(page: Page, tmp_path: Path, library: Library) -> None:
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", library)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    routine = set_note(routine, 0, hostile)
    routine = routine.model_copy(update={"title": "</script><script>alert(3)</script>"})
    written = export(routine, "companion", tmp_path / "hostile.html", library=library)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(written.resolve().as_uri())
    expect(page.locator("h1")).to_have_text("</script><script>alert(3)</script>")
    click(page, "start")
    click(page, "next")
    expect(page.locator(".note")).to_have_text(f"Note from your therapist: {hostile}")
    assert page.locator("img[src=x]").count() == 0
    assert not dialogs
    assert requests == [written.resolve().as_uri()]


@pytest.mark.parametrize("screen", ["home", "pain", "exercise", "hold", "result", "send"])
def test_axe_finds_no_wcag_2_aa_violation(opened: tuple[Page, Requests], screen: str) -> None:
    page, _ = opened
    if screen != "home":
        click(page, "start")
    if screen in ("exercise", "hold", "result", "send"):
        page.locator("[data-pain='6']").click()
        click(page, "next")
    if screen in ("hold", "result", "send"):
        for _ in range(2):
            click(page, "next")
        click(page, "hold")
        page.clock.run_for(2000)
    if screen in ("result", "send"):
        click(page, "stopped-early")
        click(page, "stop-confirm")
        page.locator("[data-pain='9']").click()
        click(page, "save")
    if screen == "send":
        click(page, "open-send")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    problems = [
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']]})"
        for v in result["violations"]
    ]
    assert not problems, problems
    assert result["passes"], "axe ran no check"


def test_before_the_first_week_there_is_no_weekly_count(
    page: Page, tmp_path: Path, library: Library
) -> None:
    routine = load_routine(routines_dir() / "gentle-back-stretches.yaml", library)
    starts_later = pd.Timestamp("2026-12-21").date()  # three weeks after NOW
    written = export(
        routine, "companion", tmp_path / "later.html", library=library, start=starts_later
    )
    page.clock.install(time=NOW)
    page.goto(written.resolve().as_uri())
    expect(page.locator("h1")).to_have_text("Gentle back stretches for home")
    expect(page.locator("#calendar-heading")).to_be_visible()
    assert "This week you did" not in page.locator("body").inner_text()


def test_in_the_first_week_the_count_is_of_the_days_since_the_start(
    opened: tuple[Page, Requests],
) -> None:
    page, _ = opened  # starts Tuesday 2026-12-01: Tuesday to Sunday, a session a day
    expect(page.locator("section[aria-labelledby=calendar-heading] > p")).to_have_text(
        "This week you did 0 of 6 sessions."
    )
