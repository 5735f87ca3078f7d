"""Control characters in people's text (names, notes, exercise text): removed before any
renderer writes it, so a name cannot recolour a terminal, hide text in a Markdown viewer or put
a NUL in an HTML page."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def without_controls(text: str) -> str:
    """`text` with every control character removed (they are zero-width, so layouts hold)."""
    return CONTROL.sub("", text)
