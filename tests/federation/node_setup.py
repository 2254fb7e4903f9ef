"""Prepare one node for the multi-node tests (run with the node's environment):
migrate, reference data, demo organisation for its country, API tokens, key, card."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderlink.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from borderlink.accounts.models import User  # noqa: E402
from borderlink.accounts.services import create_token  # noqa: E402
from borderlink.federation.node import export_card  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_demo", country=settings.NODE_COUNTRY, skip_content=True, verbosity=0)
if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():  # the harness may share one collected tree
    call_command("collectstatic", interactive=False, verbosity=0)
call_command("node_keygen", verbosity=0)
tokens = {user.username: create_token(user, "tests")[1] for user in User.objects.exclude(username="admin")}
print(json.dumps({"tokens": tokens, "card": export_card()}))
