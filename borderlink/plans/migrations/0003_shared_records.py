"""Conferences, visits and training exchanges get a global id (`uid`) and the node they came from, so that the
other parties' nodes hold the same record (existing rows: a new id each, recorded here)."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    for name in ("Conference", "Visit", "Training"):
        model = apps.get_model("plans", name)
        for row in model.objects.all():
            row.uid = uuid.uuid4()
            row.save(update_fields=["uid"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_trilateral_parties")]

    operations = [
        *(op for name in ("conference", "visit", "training") for op in (
            migrations.AddField(name, "uid", models.UUIDField(null=True, editable=False)),
            migrations.AddField(name, "origin_node", models.CharField(blank=True, max_length=60, default=""),
                               preserve_default=False),
        )),
        migrations.RunPython(fill, migrations.RunPython.noop),
        *(migrations.AlterField(name, "uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True))
          for name in ("conference", "visit", "training")),
    ]
