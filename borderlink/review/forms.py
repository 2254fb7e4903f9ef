"""The review's page form: a year and the other country (or a plan)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from borderlink.review import figures


class ReviewForm(forms.Form):
    year = forms.CharField(label=_("Year"), max_length=6, widget=forms.NumberInput(attrs={"min": figures.YEAR_MIN}))
    country = forms.ChoiceField(label=_("Other country"), required=False)
    plan = forms.CharField(label=_("Plan"), required=False, max_length=20)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from django.conf import settings

        from borderlink.core.models import Country

        choices = [("", _("every country"))] + [(c.code, c.name) for c in Country.objects.exclude(code=settings.NODE_COUNTRY)]
        self.fields["country"].choices = choices  # type: ignore[attr-defined]
