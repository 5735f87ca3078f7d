"""The JSON Schema: generated from the models, committed, never stale.

Run with BACKPLAN_UPDATE_GOLDEN=1 to rewrite exercises/exercise.schema.json after a model change.
"""

from __future__ import annotations

import json
from pathlib import Path

from golden import assert_golden

from backplan.library.model import REQUIRED_FOR_KIND, Exercise
from backplan.library.schema import SCHEMA_DIALECT, SCHEMA_FILE, exercise_schema, schema_text

COMMITTED = Path(__file__).resolve().parents[1] / "exercises" / SCHEMA_FILE


def test_committed_schema_is_up_to_date():
    assert_golden(COMMITTED, schema_text())


def test_schema_is_draft_2020_12_with_title_and_description():
    schema = exercise_schema()
    assert schema["$schema"] == SCHEMA_DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "backplan exercise file"
    assert "docs/exercise-format.md" in schema["description"]
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False


def test_schema_covers_every_field_and_the_always_required_ones():
    schema = exercise_schema()
    assert set(schema["properties"]) == set(Exercise.model_fields)
    assert set(schema["required"]) == {"id", "name", "kind", "pattern", "source"}
    assert schema["properties"]["kind"]["enum"] == ["original", "modified", "standalone", "warmup"]


def test_schema_says_what_each_kind_needs():
    rules = {
        rule["if"]["properties"]["kind"]["const"]: rule["then"]["required"]
        for rule in exercise_schema()["allOf"]
    }
    assert rules == {kind: list(fields) for kind, fields in REQUIRED_FOR_KIND.items()}


def test_schema_text_is_json_ending_in_a_newline():
    text = schema_text()
    assert text.endswith("}\n")
    assert json.loads(text) == exercise_schema()
