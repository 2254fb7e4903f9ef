"""The handover of a fugitive, from an accepted arrest-and-handover request: located, arrested, handover
planned and handed over (the requested side, which holds the person), closed (the requesting side).

Each step goes through the request's workflow (its table says which side takes it after which handover
state); its facts are checked by `borderlink.assistance.facts.handover_errors`, on this node and on the
node that receives the step.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from borderlink import workflow
from borderlink.assistance import access
from borderlink.assistance.facts import HandoverInput
from borderlink.assistance.models import Handover, RequestKind
from borderlink.assistance.services.requests import _require
from borderlink.assistance.workflow import HANDOVER_STEPS, REQUEST, STEPS


def handover_step(user: Any, request_id: Any, action: str, data: HandoverInput, http_request: HttpRequest | None = None,
                  now: datetime.datetime | None = None) -> Handover:
    """Record one step of the handover, by the side that took it.

    Raises ValidationError for an unknown step, a request that is not an arrest and handover, a step the
    handover's state does not allow, or invalid facts (field errors); Http404 for the wrong side."""
    _require(user)
    if action not in HANDOVER_STEPS:
        raise ValidationError(_("Unknown step."))
    req = access.get_request_for_user(user, request_id, http_request)
    if access.side_of(user, req) != STEPS[action].side:
        raise Http404("No access.")
    if req.kind != RequestKind.ARREST_HANDOVER:
        raise ValidationError(_("Only an arrest and handover request leads to a handover."))
    workflow.take(REQUEST, user, req, action, workflow.Facts(input=data), http_request=http_request, now=now)
    return Handover.objects.get(request=req)
