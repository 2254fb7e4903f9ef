"""Persons, their names in any script, identity documents, photos and protected status."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")
    UNKNOWN = "U", _("unknown")


class NameKind(models.TextChoices):
    PRIMARY = "primary", _("primary name")
    ALIAS = "alias", _("alias")
    TRANSCRIPTION = "transcription", _("transcription")


class Script(models.TextChoices):
    LAO = "lao", _("Lao script")
    KHMER = "khmer", _("Khmer script")
    LATIN = "latin", _("Latin script")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("passport")
    NATIONAL_ID = "national_id", _("national identity card")
    BORDER_PASS = "border_pass", _("border pass")
    DRIVING_LICENCE = "driving_licence", _("driving licence")
    OTHER = "other", _("other document")


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recorded_by_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="recorded_persons", verbose_name=_("recorded by")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True, db_index=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationalities = models.ManyToManyField("core.Country", blank=True, related_name="+", verbose_name=_("nationalities"))
    distinguishing_marks = models.TextField(_("distinguishing marks"), blank=True)
    is_refugee = models.BooleanField(_("refugee or asylum seeker"), default=False)
    refugee_from = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country fled")
    )
    is_trafficking_victim = models.BooleanField(_("identified trafficking victim"), default=False)
    is_minor = models.BooleanField(_("minor"), default=False)
    victim_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named officers (victim data)")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        name = self.primary_name
        return name or str(self.id)

    @property
    def primary_name(self) -> str:
        return pick_primary_name((name.kind, name.name) for name in self.names.all())

    @property
    def birth_display(self) -> str:
        if not self.birth_year:
            return ""
        if self.birth_month and self.birth_day:
            return f"{self.birth_year:04d}-{self.birth_month:02d}-{self.birth_day:02d}"
        if self.birth_month:
            return f"{self.birth_year:04d}-{self.birth_month:02d}"
        return f"{self.birth_year:04d}"


def pick_primary_name(names: Iterable[tuple[str, str]]) -> str:
    """The first primary name among (kind, name) pairs in their stored order, else the first name, else ""."""
    first = None
    for kind, name in names:
        if kind == NameKind.PRIMARY:
            return name
        if first is None:
            first = name
    return first or ""


def primary_names(person_ids: Iterable[Any]) -> dict[Any, str]:
    """Each person's primary_name, read in one query without building model instances."""
    grouped: dict[Any, list[tuple[str, str]]] = {}
    rows = PersonName.objects.filter(person_id__in=list(person_ids)).order_by("person_id", "kind", "id")
    for person_id, kind, name in rows.values_list("person_id", "kind", "name"):
        grouped.setdefault(person_id, []).append((kind, name))
    return {person_id: pick_primary_name(names) for person_id, names in grouped.items()}


def detect_script(name: str) -> str:
    for ch in name:
        code = ord(ch)
        if 0x0E80 <= code <= 0x0EFF:
            return Script.LAO
        if 0x1780 <= code <= 0x17FF or 0x19E0 <= code <= 0x19FF:
            return Script.KHMER
    return Script.LATIN


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=NameKind.choices, default=NameKind.PRIMARY)
    script = models.CharField(_("script"), max_length=10, choices=Script.choices, editable=False)

    class Meta:
        verbose_name = _("name")
        verbose_name_plural = _("names")
        ordering = ["person", "kind", "id"]

    def __str__(self) -> str:
        return self.name


_DOC_JUNK = re.compile(r"[\s\-./]+")


def normalise_document_number(number: str) -> str:
    """Upper case, no spaces, dashes, dots or slashes: 'b 123-456' and 'B123456' are one document."""
    import unicodedata

    return _DOC_JUNK.sub("", unicodedata.normalize("NFKC", number or "")).upper()


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=60)
    number_normalised = models.CharField(max_length=60, db_index=True, editable=False)
    issuing_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing country"))

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number} ({self.issuing_country_id})"


class PersonPhoto(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="photos")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class IndexChange(models.Model):
    """A person whose names changed: every process replays these to keep its name index current."""

    person_id = models.UUIDField()
    at = models.DateTimeField(auto_now_add=True)
