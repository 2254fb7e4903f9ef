"""Labels of the border app's audit action codes, added to the audit log's table when the app is ready."""

from django.utils.translation import gettext_lazy as _

from borderlink.border.models.meetings import MeetingAction

LABELS: dict[str, object] = {
    "border.incident.recorded": _("border incident recorded"),
    "border.incident.viewed": _("border incident viewed"),
    "border.incident.access_denied": _("access to a border incident refused"),
    "border.incident.settled": _("border incident handling recorded"),
    "border.incident.refoulement_blocked": _("return refused (non-refoulement): sent to the protection unit"),
    "border.incident.child_flagged": _("child in a border incident flagged to victim protection"),
    "border.incident.sharing_approved": _("sharing of a border incident approved"),
    "border.incident.neutrality_override": _("neutrality flag overridden with justification"),
    "border.incident.received": _("border incident received from another node"),
    "border.incidents.listed": _("border incidents listed"),
    "border.incidents.exported": _("border incidents exported"),
    "border.pass.issued": _("border pass issued"),
    "border.pass.viewed": _("border pass viewed"),
    "border.pass.revoked": _("border pass revoked"),
    "border.pass.access_denied": _("access to a border pass refused"),
    "border.pass.checked": _("border pass checked at a gate"),
    "border.pass.check_limited": _("border pass check refused: too many checks in a short time"),
    "border.pass.check_answered": _("border pass check answered for another node"),
    "border.meeting.viewed": _("liaison meeting viewed"),
    "border.meeting.access_denied": _("access to a liaison meeting refused"),
    "border.meeting.received": _("liaison meeting received from another node"),
    "border.meeting.minutes_written": _("minutes written, waiting for approval"),
    "border.schedule.created": _("regular meeting schedule stored"),
    "border.schedule.stopped": _("regular meeting schedule stopped"),
    "border.schedule.proposed": _("next regular meeting proposed by the schedule"),
    "border.schedule.skipped": _("regular meeting not proposed: the province pair does not hold on its date"),
    "border.schedule.access_denied": _("access to a meeting schedule refused"),
    **{f"border.meeting.{action}": label for action, label in MeetingAction.choices},
}
