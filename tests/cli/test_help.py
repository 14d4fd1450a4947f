"""``hepkit`` help reads as plain text: every command described, no markup for the API docs."""

from __future__ import annotations

import re

import pytest

from toolkit.cli.main import COMMANDS, build_parser
from toolkit.cli.options import plain_description

NAMES = [command.__name__.rsplit(".", 1)[1] for command in COMMANDS]


def _help(name: str) -> str:
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
    return sub.format_help()


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_a_plain_description(name: str) -> None:
    text = _help(name)
    usage, description = text.split("\n\n")[:2]
    assert usage.startswith(f"usage: hepkit {name}")
    assert len(description.split()) >= 6, f"{name} has no real description"
    assert "``" not in text
    assert not re.search(r":(mod|func|class|data|meth):`", text)


def test_markup_is_taken_out_of_docstrings() -> None:
    doc = "Title.\n\nSee :func:`~toolkit.logs.reading.read_logs` and ``--rejects PATH``.\n"
    assert plain_description(doc) == "See read_logs and --rejects PATH."
    assert plain_description("Title only.") is None
