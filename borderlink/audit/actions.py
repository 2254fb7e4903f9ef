"""Audit action codes and their labels, translated at display time."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "accounts.login": _("signed in"),
    "accounts.login_failed": _("sign-in failed"),
    "accounts.locked": _("account locked after repeated failures"),
    "accounts.logout": _("signed out"),
    "accounts.totp_enrolled": _("second factor enrolled"),
    "accounts.language_changed": _("interface language changed"),
    "accounts.token_created": _("API token created"),
    "accounts.token_revoked": _("API token revoked"),
    "exchange.message.created": _("message written"),
    "exchange.message.submitted": _("message submitted for approval"),
    "exchange.message.approved": _("message approved"),
    "exchange.message.rejected": _("message rejected"),
    "exchange.message.released": _("message sent"),
    "exchange.message.viewed": _("message viewed"),
    "exchange.message.read": _("message marked read"),
    "exchange.message.acknowledged": _("message acknowledged"),
    "exchange.message.forwarded": _("message forwarded"),
    "exchange.message.access_denied": _("access to a message refused"),
    "exchange.attachment.downloaded": _("attachment downloaded"),
    "exchange.attachment.access_denied": _("access to an attachment refused"),
    "exchange.search": _("messages searched"),
    "audit.viewed": _("audit log viewed"),
}


def label_for(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
