from django.conf import settings
from django.http import HttpRequest


def node(request: HttpRequest) -> dict:
    return {"NODE_COUNTRY": settings.NODE_COUNTRY, "NODE_NAME": settings.NODE_NAME}
