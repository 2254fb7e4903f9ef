"""Joint special cases (chuyên án chung): the case, its participating units, and what goes into it.

The lead unit's node owns the case (its life cycle, `CaseEvent`) and each invitation (`Participant`,
`ParticipantEvent`). Every item (entity, link, note, task) is owned by the country that wrote it
(`owner_country`); a shared item crosses to the nodes of the other participating countries, a private one
(`shared=False`) never leaves its node. Correlations are stored per value (`IdentifierValue`), never per pair.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderlink.exchange.models import HandlingCode
from borderlink.notices.models import Offence


class CaseState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed")
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    ARRESTS = "arrests", _("arrests")
    SEIZURES = "seizures", _("seizures")
    HANDOVERS = "handovers", _("handovers")
    PROSECUTION = "prosecution", _("referred to prosecution")
    NO_RESULT = "no_result", _("no result")


class CaseAction(models.TextChoices):
    CREATED = "created", _("created")
    PROPOSED = "proposed", _("proposed for approval")
    RETURNED = "returned", _("returned to its author")
    APPROVED = "approved", _("approved; invitations sent")
    OPENED = "opened", _("opened")
    SUSPENDED = "suspended", _("suspended")
    RESUMED = "resumed", _("resumed")
    CLOSED = "closed", _("closed")


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=40, db_index=True)
    origin_node = models.CharField(max_length=60, blank=True, help_text=_("set on a copy received from another node"))
    title = models.CharField(_("title"), max_length=200)
    offence = models.CharField(_("offence"), max_length=40, choices=Offence.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0)
    summary = models.TextField(_("summary"), blank=True)
    lead_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead unit"))
    state = models.CharField(_("state"), max_length=10, choices=CaseState.choices, default=CaseState.DRAFT, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    neutrality_flags = models.JSONField(default=list, blank=True)
    neutrality_justification = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("joint case")
        verbose_name_plural = _("joint cases")
        ordering = ["-created_at"]
        # the list's order (newest first): a page of it reads 25 rows of this index, not every case sorted
        indexes = [models.Index(fields=["-created_at", "id"], name="case_newest_first")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class CaseEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=20, choices=CaseAction.choices)
    side = models.CharField(max_length=12, blank=True)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ParticipantState(models.TextChoices):
    LEAD = "lead", _("lead unit")
    INVITED = "invited", _("not yet invited")
    PENDING = "pending", _("invited, no answer yet")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class ParticipantAction(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted the invitation")
    DECLINED = "declined", _("declined the invitation")


class Participant(models.Model):
    """A unit in a case: the lead unit, or an invited unit with its answer. On the invited unit's node this row
    is the invitation (owned by the lead's node) and holds only what the invitation says (`case_key`, reference,
    offence, lead unit, message, handling code); the case itself arrives only once a unit of that country accepts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_key = models.UUIDField(db_index=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="participants")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="case_participations", verbose_name=_("unit"))
    lead_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40)
    offence = models.CharField(max_length=40, choices=Offence.choices)
    handling_code = models.CharField(max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0)
    message = models.TextField(_("invitation"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ParticipantState.choices, default=ParticipantState.INVITED)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   help_text=_("who added a unit after the case was approved (another supervisor approves)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case_key", "unit"], name="case_participant_once")]
        # a unit's cases (access.visible_cases: its index alone) and its invitations to answer (migration 0004 adds
        # statistics on unit and state together on PostgreSQL: a state that no row of the unit has is estimated so)
        indexes = [models.Index(fields=["unit", "state", "case_key"], name="case_participant_unit_state")]


class ParticipantEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=20, choices=ParticipantAction.choices)
    side = models.CharField(max_length=12, blank=True)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Item(models.Model):
    """What every item of a case has: its owner country and unit, and whether it is shared with the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    owner_country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    author_name = models.CharField(max_length=200, blank=True)
    shared = models.BooleanField(_("shared with the case"), default=False)
    origin_node = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class EntityKind(models.TextChoices):
    PERSON = "person", _("person")
    PHONE = "phone", _("phone number")
    ACCOUNT = "account", _("bank account")
    VEHICLE = "vehicle", _("vehicle")
    WALLET = "wallet", _("crypto wallet")
    ONLINE = "online", _("online account")
    ORGANISATION = "organisation", _("organisation or company")
    PLACE = "place", _("place")
    DOCUMENT = "document", _("identity document")


class PersonRole(models.TextChoices):
    """What a person entity is in the case. A recorded trafficking victim is never a suspect
    (victims.guard; DESIGN.md safeguard 3)."""

    SUSPECT = "suspect", _("suspect")
    VICTIM = "victim", _("victim")
    WITNESS = "witness", _("witness")
    OTHER = "other", _("other person concerned")


# kinds whose value is an identifier matched exactly after normalisation (cross-referencing, hit/no-hit)
IDENTIFIER_KINDS = (EntityKind.PHONE, EntityKind.ACCOUNT, EntityKind.VEHICLE, EntityKind.WALLET, EntityKind.ONLINE,
                    EntityKind.DOCUMENT)


class Entity(Item):
    """One thing in a case. `value` is the normalised identifier (E.164 phone, account, plate, wallet address,
    handle, document number), qualified where it needs to be (`qualifier`: bank, plate country, chain,
    platform, document country); `label` is what a person reads."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entities")
    kind = models.CharField(_("kind"), max_length=12, choices=EntityKind.choices)
    label = models.CharField(_("label"), max_length=200)
    qualifier = models.CharField(max_length=60, blank=True)
    value = models.CharField(max_length=120, blank=True)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="case_entities")
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices, blank=True)
    gate = models.ForeignKey("core.BorderGate", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    details = models.TextField(_("details"), blank=True)
    correlated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "label"]
        indexes = [models.Index(fields=["value", "kind", "qualifier"]), models.Index(fields=["case", "correlated_at"])]


class LinkKind(models.TextChoices):
    USES = "uses", _("uses")
    OWNS = "owns", _("owns")
    TRANSFERRED_TO = "transferred_to", _("transferred to")
    CALLED = "called", _("called")
    TRAVELLED_WITH = "travelled_with", _("travelled with")
    MEMBER_OF = "member_of", _("member of")
    CROSSED_AT = "crossed_at", _("crossed at")
    OTHER = "other", _("other link")


class Link(Item):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    source = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links_in")
    first_date = models.DateField(_("from"), null=True, blank=True)
    last_date = models.DateField(_("until"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    information_source = models.CharField(_("source of the information"), max_length=200)


class Note(Item):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("text"))


class NoteFile(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=200)


class TaskState(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class TaskAction(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")
    REMINDER = "reminder", _("reminder sent")
    ESCALATED = "escalated", _("escalated: overdue")


class Task(models.Model):
    """A task a unit of the case gives a participating unit, with a due date; the assigning node reminds and
    escalates through the workflow module's deadline clock. A task concerns the two countries only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    assigning_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    assigned_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned unit"))
    title = models.CharField(_("task"), max_length=200)
    text = models.TextField(_("details"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    sent_at = models.DateTimeField()
    deadline = models.DateTimeField(_("due"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["deadline"]


class TaskEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_unit = models.CharField(max_length=60, blank=True)
    action = models.CharField(max_length=20, choices=TaskAction.choices)
    side = models.CharField(max_length=12, blank=True)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    origin_node = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]


class IdentifierValue(models.Model):
    """One row per identifier value on this node: how many objects hold it (counted up to the cap) and
    whether it is common (held by more than CASES_COMMON_AFTER objects: shown as common, no objects listed)
    or excluded by an administrator (a hotline number). Pairs are never stored: the objects that share a value
    are found through the index on the objects themselves when a page shows them."""

    kind = models.CharField(max_length=12, choices=EntityKind.choices)
    qualifier = models.CharField(max_length=60, blank=True)
    value = models.CharField(max_length=120)
    holders = models.PositiveIntegerField(default=0)
    common = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["value", "kind", "qualifier"], name="identifier_value_once")]


class ExcludedValue(models.Model):
    """An identifier an administrator keeps out of cross-referencing (a bank's hotline, a public gateway)."""

    kind = models.CharField(_("kind"), max_length=12, choices=EntityKind.choices)
    value = models.CharField(_("value (normalised)"), max_length=120)
    reason = models.CharField(_("reason"), max_length=200)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("value excluded from cross-referencing")
        verbose_name_plural = _("values excluded from cross-referencing")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="excluded_value_once")]


class SamePersonState(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    CONFIRMED = "confirmed", _("confirmed: same person")
    REJECTED = "rejected", _("not the same person")


class SamePerson(models.Model):
    """A person entity that the name engine matched with another person this node holds (a notice subject,
    a person in custody, a person in another case): a candidate until an investigator decides; confirming
    links the two as the same person, and can be undone. At most CANDIDATES_PER_PERSON per entity."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="same_persons")
    person = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=SamePersonState.choices, default=SamePersonState.CANDIDATE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "person"], name="same_person_once")]


class CaseRequest(models.Model):
    """A request for assistance an officer linked to a case on this node (this node's own record: it does not
    cross). Shown on both, to users who may see both."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="request_links")
    request = models.ForeignKey("assistance.Request", on_delete=models.CASCADE, related_name="case_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "request"], name="case_request_once")]


class RequestValue(models.Model):
    """The identifier of a request for assistance (free text: a phone, account, plate or wallet) read as each
    kind it parses as and normalised, so that cases and requests meet on the index of values (as entities do).
    Written by the worker after a request is saved (`correlation.index_request`)."""

    request = models.ForeignKey("assistance.Request", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=EntityKind.choices)
    value = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "kind", "value"], name="request_value_once")]
        indexes = [models.Index(fields=["value", "kind"])]


class RequestName(models.Model):
    """The name of the person concerned by a request for assistance, as the worker last read it: what the
    request-name index is built from and kept current with (a changed name is a new row, with a higher id, that
    each process replays; an emptied name is a row with no name). Written by `persons_match.index_request_name`."""

    id = models.BigAutoField(primary_key=True)
    request = models.OneToOneField("assistance.Request", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200, blank=True)


class RequestPerson(models.Model):
    """A person entity of a case that the name engine matched with the person named in a request for
    assistance: a candidate until an investigator decides (confirmed, rejected, or back to candidate: audited,
    reversible). Shown only to users who may see both the entity and the request."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="request_persons")
    request = models.ForeignKey("assistance.Request", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    state = models.CharField(max_length=10, choices=SamePersonState.choices, default=SamePersonState.CANDIDATE)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "request"], name="request_person_once")]
