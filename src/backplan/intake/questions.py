"""The wording of data/questions.yaml (questions, hints, retry lines, accepted words), per language."""

# Apart from the interview because the answer readers (reading.py) and the prompt loop
# (prompt.py) need these words too, and the interview imports both of them.
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from backplan.i18n import SUPPORTED
from backplan.resources import package_data_dir


@cache
def raw_wording() -> dict[str, Any]:
    """data/questions.yaml as read: the words of every language."""
    with open(package_data_dir() / "questions.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def question_words(lang: str = "en") -> QuestionWords:
    """The interview's words in `lang` (English where a Spanish line is missing)."""
    return QuestionWords(raw_wording(), lang if lang in SUPPORTED else "en")


@dataclass(frozen=True)
class QuestionWords:
    """The questions, hints and retry lines of data/questions.yaml in one language."""

    data: dict[str, Any]
    lang: str

    def pick(self, entry: dict[str, Any]) -> str:
        return str(entry.get(self.lang) or entry["en"])

    def get(self, *path: str) -> str:
        node: Any = self.data
        for part in path:
            node = node[part]
        return self.pick(node)

    def accepted(self, word: str) -> set[str]:
        entry = self.data["words"][word]
        return {w.lower() for w in entry["en"]} | {w.lower() for w in entry.get(self.lang, [])}
