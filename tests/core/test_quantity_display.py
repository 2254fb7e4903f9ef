"""Counts read as whole numbers (try-out defect 13: a plan's targets were shown as "2,00", "90,00")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from borderlink.core.display import quantity


@pytest.mark.parametrize("language", ["en", "vi", "lo", "km"])
def test_whole_values_have_no_decimals_and_others_keep_theirs(language, settings):
    settings.USE_THOUSAND_SEPARATOR = False
    with translation.override(language):
        assert quantity(Decimal("2.00")) == "2"
        assert quantity(Decimal("100.00")) == "100"  # not "1E+2", as Decimal.normalize() writes it
        assert quantity(Decimal("90")) == "90"
        half = quantity(Decimal("12.50"))
        assert half in ("12.5", "12,5")
        assert quantity(None) == ""
