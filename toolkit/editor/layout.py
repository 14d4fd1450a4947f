"""How the editor's widgets are arranged: columns that stack on a narrow screen, a header that
stays in view, and text in the page's own font.

The columns wrap (flexbox) below about 900 px, so at 800 px the library, the routine and the
preview come one under the other; nothing has a fixed width wider than its column, and labels
and buttons take the width their words need, so none is cut short. The header (which file is
open, Undo, Save, the unsaved marker) sticks to the top of the page while scrolling; side by
side, the preview sticks below it, so it stays beside the fields being changed.

Text areas grow with their text (CSS ``field-sizing``) up to about 16 lines, then scroll. The
preview's marks of a change (:mod:`toolkit.editor.preview_marks`) are styled here, in the
editor's styles: the handout's own styles never have them.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

import ipywidgets as w

from toolkit.editor.preview_marks import CHANGED_LABEL, CHANGED_SHOWN_S

if TYPE_CHECKING:
    from toolkit.editor.widgets import RoutineEditor

__all__ = ["EDITOR_CSS", "arrange"]

#: Where the preview sticks, below the sticky header, beside the fields. [CSS px]
PREVIEW_TOP_PX = 96

#: Styles of the editor, shipped with it (so they apply in Voila and in JupyterLab alike).
EDITOR_CSS = string.Template("""
.hepkit-editor { max-width: 100%; box-sizing: border-box; }
/* widget boxes scroll their own overflow, which would keep the header from sticking */
.hepkit-editor, .hepkit-editor > .widget-box, .hepkit-editor .hepkit-columns,
.jp-OutputArea-output:has(.hepkit-editor), .jp-OutputArea:has(.hepkit-editor),
.jp-Cell:has(.hepkit-editor), .jp-OutputArea-child:has(.hepkit-editor) { overflow: visible; }
.hepkit-editor .hepkit-header {
  position: sticky; top: 0; z-index: 1000; background: #fff; opacity: 1;
  border-bottom: 1px solid #ccc; padding: 4px 0;
}
.hepkit-editor textarea, .hepkit-editor input { font-family: inherit; font-size: inherit; }
.hepkit-editor .widget-label, .hepkit-editor .widget-button {
  overflow: visible; text-overflow: clip; white-space: nowrap;
}
.hepkit-editor .widget-dropdown select, .hepkit-editor .widget-text input { min-width: 0; }
.hepkit-editor .hepkit-unsaved { color: #b00020; font-weight: bold; }
.hepkit-editor .hepkit-panel { min-width: 0; }
.hepkit-editor .hepkit-preview-panel { max-height: 900px; }
/* side by side, the preview stays in view beside the fields while the page scrolls */
@media (min-width: 900px) {
  .hepkit-editor .hepkit-preview-panel {
    position: sticky; top: ${preview_top_px}px; max-height: calc(100vh - ${preview_top_px}px);
  }
}
/* text areas grow with their text, up to a limit, then scroll */
.hepkit-editor .widget-textarea textarea {
  field-sizing: content; min-height: calc(2lh + 10px); max-height: calc(16lh + 10px);
  resize: vertical; line-height: 1.4;
}
/* the preview's marks (never in a handout): an outline and a label, fading after a while */
.hepkit-editor .hepkit-preview .hepkit-changed {
  outline: 3px solid #1a5fb4; outline-offset: 2px;
  animation: hepkit-unmark 0.5s ease-in ${changed_shown_s}s forwards;
}
.hepkit-editor .hepkit-preview .hepkit-changed-label {
  display: inline-block; margin: 0 0 4px; padding: 1px 8px; border-radius: 3px;
  background: #1a5fb4; color: #fff; font-weight: bold; font-size: 0.9em;
  animation: hepkit-unlabel 0.5s ease-in ${changed_shown_s}s forwards;
}
.hepkit-editor .hepkit-preview .hepkit-changed-part {
  background: #fff4c2; box-shadow: inset 4px 0 0 #1a5fb4; padding-left: 8px;
  animation: hepkit-unpart 0.5s ease-in ${changed_shown_s}s forwards;
}
.hepkit-editor .hepkit-preview .hepkit-changed-part::before {
  content: "$changed_label"; float: right; margin-left: 6px; padding: 0 6px; border-radius: 3px;
  background: #1a5fb4; color: #fff; font-size: 0.8em; font-weight: bold;
  animation: hepkit-unlabel 0.5s ease-in ${changed_shown_s}s forwards;
}
@keyframes hepkit-unmark { to { outline-color: transparent; } }
@keyframes hepkit-unlabel { to { opacity: 0; visibility: hidden; } }
@keyframes hepkit-unpart { to { background: transparent; box-shadow: none; } }
""").substitute(
    changed_label=CHANGED_LABEL, changed_shown_s=CHANGED_SHOWN_S, preview_top_px=PREVIEW_TOP_PX
)

#: Widest column before the columns stack, and narrowest it gets. [CSS px]
COLUMN_BASIS_PX = 280


def _panel(children: list[w.Widget], grow: int, css: str) -> w.VBox:
    panel = w.VBox(
        children,
        layout=w.Layout(flex=f"{grow} 1 {COLUMN_BASIS_PX}px", min_width="0", padding="0 6px"),
    )
    panel.add_class("hepkit-panel")
    panel.add_class(css)
    return panel


def _row(children: list[w.Widget]) -> w.HBox:
    return w.HBox(children, layout=w.Layout(flex_flow="row wrap", align_items="center"))


def arrange(editor: RoutineEditor) -> w.VBox:
    """The whole editor: sticky header, open and download rows, then three columns."""
    for widget in (
        *editor.text_fields.values(),
        *editor.clinic_fields.values(),
        editor.note,
        editor.matches,
        editor.items,
        editor.progression,
        editor.next_routine,
        editor.search,
        editor.position_filter,
        editor.region_filter,
        editor.goal_filter,
    ):
        widget.layout = w.Layout(width="100%")
        if hasattr(widget, "style") and hasattr(widget.style, "description_width"):
            widget.style.description_width = "initial"
    for button in (
        editor.add_button,
        editor.up_button,
        editor.down_button,
        editor.remove_button,
        editor.duplicate_button,
        editor.default_button,
        editor.undo_button,
        editor.redo_button,
        editor.save_button,
        editor.save_version_button,
        editor.reload_button,
    ):
        button.layout = w.Layout(width="auto")
    for field in (*editor.dose.values(), editor.duration_min):
        field.style.description_width = "initial"
        field.layout = w.Layout(width="auto")
    library_panel = _panel(
        [
            w.HTML("<h3>Library</h3>"),
            editor.search,
            editor.position_filter,
            editor.region_filter,
            editor.goal_filter,
            editor.matches,
            editor.no_matches,
            editor.add_button,
        ],
        1,
        "hepkit-library-panel",
    )
    routine_fields = [
        widget
        for field in editor.text_fields
        for widget in (editor.text_fields[field], editor.field_problems[field])
    ]
    exercises = [
        w.HTML("<h3>Exercises</h3>"),
        editor.items,
        _row([editor.up_button, editor.down_button, editor.duplicate_button, editor.remove_button]),
        editor.selected_heading,
        _row(list(editor.dose_rows.values())),
        editor.default_button,
        editor.note,
        editor.item_problem,
    ]
    details = [
        w.HTML("<h3>Routine</h3>"),
        *routine_fields,
        _row([editor.sessions, editor.days]),
        editor.schedule_problem,
        editor.progression,
        editor.next_routine,
        editor.details_problem,
        w.HTML("<h3>Clinic</h3>"),
        *editor.clinic_fields.values(),
    ]
    # the selected exercise and its dose come first, so they are in view without scrolling
    routine_panel = _panel([*exercises, *details], 2, "hepkit-routine-panel")
    preview_panel = _panel(
        [w.HTML("<h3>Handout preview</h3>"), editor.preview], 2, "hepkit-preview-panel"
    )
    preview_panel.layout.overflow = "auto"
    toolbar = _row(
        [
            editor.undo_button,
            editor.redo_button,
            editor.save_button,
            editor.save_version_button,
            editor.reload_button,
            editor.marker,
        ]
    )
    header = w.VBox([editor.open_file, toolbar, editor.status])
    header.add_class("hepkit-header")
    columns = w.HBox(
        [library_panel, routine_panel, preview_panel],
        layout=w.Layout(flex_flow="row wrap", align_items="flex-start", width="100%"),
    )
    columns.add_class("hepkit-columns")
    style = w.HTML(f"<style>{EDITOR_CSS}</style>")
    editor_box = w.VBox(
        [style, header, editor.opener.widget, editor.downloads.widget, columns],
        layout=w.Layout(width="100%"),
    )
    editor_box.add_class("hepkit-editor")
    return editor_box
