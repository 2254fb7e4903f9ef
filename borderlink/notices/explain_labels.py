"""The name engine's explanations (English phrases from a library without
Django) shown in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS = {
    "same spelling": _("same spelling"),
    "same sound": _("same sound"),
    "similar sound": _("similar sound"),
    "same letters, different diacritics": _("same letters, different diacritics"),
    "a name is empty or only titles: it matches nothing": _("a name is empty or only titles: it matches nothing"),
    "a Vietnamese family name has no partner": _("a Vietnamese family name has no partner"),
    "words in a different order": _("words in a different order"),
    "Văn (male) against Thị (female): different people": _("Văn (male) against Thị (female): different people"),
}


def label(phrase: str) -> str:
    return str(LABELS.get(phrase, phrase))


def localise(explanation: dict[str, Any]) -> dict[str, Any]:
    """Add reason_label to each pair and note_labels to the explanation."""
    if not explanation:
        return explanation
    for pair in explanation.get("pairs", []):
        pair["reason_label"] = label(pair.get("reason", ""))
    explanation["note_labels"] = [label(note) for note in explanation.get("notes", [])]
    return explanation
