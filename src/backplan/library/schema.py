"""The JSON Schema of an exercise file, generated from the pydantic models.

Committed as exercises/exercise.schema.json so editors (VS Code's YAML extension and others)
can check exercise files as people type; a test fails when the committed copy is stale.
"""

from __future__ import annotations

import json
from typing import Any

from backplan.library.model import REQUIRED_FOR_KIND, Exercise

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "exercise.schema.json"


def exercise_schema() -> dict[str, Any]:
    """The schema as a dict: the model's fields plus the fields each kind requires."""
    schema = Exercise.model_json_schema(mode="validation")
    kind_rules = [
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {"required": list(fields)},
        }
        for kind, fields in REQUIRED_FOR_KIND.items()
    ]
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "backplan exercise file",
        "description": (
            "One exercise per YAML file: an original (what people usually do), a back-safe "
            "modified version of one, or a warm-up. See docs/exercise-format.md."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "allOf": kind_rules,
    }


def schema_text() -> str:
    """The schema as the committed file holds it: indented JSON ending with a newline."""
    return json.dumps(exercise_schema(), indent=2, ensure_ascii=False) + "\n"
