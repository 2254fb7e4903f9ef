from django.db import migrations, models


class Migration(migrations.Migration):
    """A victim case's escalation is an alert too (borderlink/victims/workflow.py `notify`)."""

    dependencies = [
        ('assistance', '0002_event_claimed_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='alert',
            name='kind',
            field=models.CharField(choices=[('request_received', 'a request arrived'), ('reminder', 'deadline near'), ('escalated', 'request overdue'), ('answered', 'the requested side replied'), ('custody', 'a national of your country is in custody'), ('victim_escalated', 'victim case overdue')], max_length=20),
        ),
    ]
