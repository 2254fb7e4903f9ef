from django.http import HttpRequest

from borderlink.exchange import queries


def counts(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can_exchange:
        return {}
    return {
        "unread_count": queries.unread_count(user),
        "pending_count": queries.awaiting_approval(user).count() if user.is_supervisor else 0,
    }
