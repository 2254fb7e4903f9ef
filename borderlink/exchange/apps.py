from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "borderlink.exchange"
    label = "exchange"
    verbose_name = _("Message exchange")

    def ready(self) -> None:
        from borderlink.exchange import federation  # noqa: F401 (registers the app's envelope kinds)
        from borderlink.exchange.context_processors import forget_counts
        from borderlink.exchange.models import Message, MessageRecipient

        post_save.connect(forget_counts, sender=Message, dispatch_uid="exchange.counts.message")
        post_save.connect(forget_counts, sender=MessageRecipient, dispatch_uid="exchange.counts.recipient")
