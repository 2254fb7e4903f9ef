"""Labels of the plans app's audit action codes, added to the audit log's table when the app is ready."""

from django.utils.translation import gettext_lazy as _

from borderlink.plans.models import PlanAction

LABELS: dict[str, object] = {
    "plans.access_denied": _("access to a cooperation plan refused"),
    "plans.plan.received": _("cooperation plan received from another node"),
    "plans.sources.viewed": _("records behind a plan indicator viewed"),
    "plans.evidence.downloaded": _("evidence of a plan item downloaded"),
    "plans.conference.recorded": _("ministerial conference recorded"),
    "plans.conference.statement_downloaded": _("joint statement downloaded"),
    "plans.visit.recorded": _("delegation or study visit recorded"),
    "plans.training.recorded": _("training exchange recorded"),
    "plans.conference.received": _("ministerial conference received from another node"),
    "plans.visit.received": _("delegation or study visit received from another node"),
    "plans.training.received": _("training exchange received from another node"),
    **{f"plans.plan.{action}": label for action, label in PlanAction.choices},
}
