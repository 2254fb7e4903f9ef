"""The inbox's sort keys on the recipient rows (issue 19): the message's sending time and priority rank, copied,
and the pin (unread urgent or immediate first) kept by the database; one partial index in the inbox's order.

Steps: add the two columns, fill them from the messages (sent_at only for messages sent), then add the generated
pin and build the index over the filled rows."""

from django.db import migrations, models

FILL = """
UPDATE exchange_messagerecipient SET
    priority_rank = (SELECT m.priority_rank FROM exchange_message m WHERE m.id = exchange_messagerecipient.message_id),
    sent_at = (SELECT m.sent_at FROM exchange_message m WHERE m.id = exchange_messagerecipient.message_id AND m.state = 'sent')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0003_messagerecipient_acknowledged_by_name_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="messagerecipient",
            name="priority_rank",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.AddField(
            model_name="messagerecipient",
            name="sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddField(
            model_name="messagerecipient",
            name="pin",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(models.Q(("priority_rank__lt", 2), ("read_at__isnull", True)), then=models.Value(0)),
                    default=models.Value(1),
                ),
                output_field=models.SmallIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="messagerecipient",
            index=models.Index(
                condition=models.Q(("sent_at__isnull", False)),
                fields=["unit", "pin", "priority_rank", "-sent_at"],
                name="inbox_order",
            ),
        ),
    ]
