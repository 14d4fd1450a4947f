"""The committed JSON Schemas are the ones the models generate."""

from __future__ import annotations

import json

import pytest

from toolkit.paths import schema_dir
from toolkit.routines.models import Exercise, Routine
from toolkit.routines.routine import schema_text


@pytest.mark.parametrize(("name", "model"), [("routine", Routine), ("exercise", Exercise)])
def test_committed_schema_is_current(name, model):
    committed = (schema_dir() / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(model), "run `make schema` and commit toolkit/data/schema/"


def test_schema_describes_the_rules():
    schema = json.loads(schema_text(Routine))
    assert schema["$id"] == "https://w3id.org/hepkit/schema/routine-v1.json"
    assert schema["additionalProperties"] is False
    dose = schema["$defs"]["Dose"]["properties"]
    assert dose["sets"]["minimum"] == 1 and dose["sets"]["maximum"] == 10
    assert schema["properties"]["schema_version"]["maximum"] == 1
