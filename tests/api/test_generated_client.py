"""Issue #11, proof in CI: the OpenAPI schema is a contract a client generator can use.

`openapi-python-client` generates a typed client from the schema a live test node serves; the test
then drives a message round trip through that client only: write, find in the inbox, read,
acknowledge, and see the acknowledgement from the sending side. Functions are named after the
operation ids (`messages_inbox`), answers are typed models, states are enums.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from borderlink.accounts.services import create_token

pytestmark = [pytest.mark.django_db(transaction=True)]

CONFIG = "post_hooks: []\nproject_name_override: borderlink_client\npackage_name_override: borderlink_client\n"


def _generate(schema: dict, where: Path):
    (where / "schema.json").write_text(json.dumps(schema))
    (where / "config.yml").write_text(CONFIG)
    tool = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run([str(tool), "generate", "--path", "schema.json", "--output-path", str(where / "borderlink_client"),
                    "--meta", "none", "--config", "config.yml"], cwd=where, check=True, capture_output=True, text=True)
    sys.path.insert(0, str(where))
    try:
        for name in [m for m in sys.modules if m == "borderlink_client" or m.startswith("borderlink_client.")]:
            del sys.modules[name]
        return importlib.import_module("borderlink_client")
    finally:
        sys.path.remove(str(where))


def test_a_generated_client_drives_a_message_round_trip(live_server, officer, outsider, tmp_path):
    import httpx

    # Generous timeouts: the first request builds the schema, and a loaded two-core machine can take more than
    # httpx's default 5 s for it (seen once in a full run at load 5).
    schema = httpx.get(f"{live_server.url}/api/openapi.json", timeout=60).json()
    operation_ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert "messages_inbox" in operation_ids and len(set(operation_ids)) == len(operation_ids)
    assert all(len(op_id) <= 40 and "borderlink" not in op_id for op_id in operation_ids)

    client_package = _generate(schema, tmp_path)
    from borderlink_client.api.messages import (
        messages_acknowledge,
        messages_create,
        messages_inbox,
        messages_list_units,
        messages_outbox,
        messages_read,
    )
    from borderlink_client.models import InboxState, MessageDetailOut, MessageIn, MessageState, PageOut, RecipientStatus

    writer = client_package.AuthenticatedClient(base_url=live_server.url, token=create_token(officer, "client")[1], timeout=httpx.Timeout(60))
    reader = client_package.AuthenticatedClient(base_url=live_server.url, token=create_token(outsider, "client")[1], timeout=httpx.Timeout(60))

    units = messages_list_units.sync(client=writer)
    to = next(u for u in units if u.code == outsider.unit.code)
    sent = messages_create.sync(client=writer, body=MessageIn(recipients=[to.id], subject="Xe tải tại Lao Bảo",
                                                             body="Đề nghị kiểm tra xe tải biển số 74C-123.45."))
    assert isinstance(sent, MessageDetailOut) and sent.state == MessageState.SENT

    inbox = messages_inbox.sync(client=reader, state=InboxState.UNREAD)
    assert isinstance(inbox, PageOut) and [m.id for m in inbox.results] == [sent.id]
    opened = messages_read.sync(str(sent.id), client=reader)
    assert opened.body.startswith("Đề nghị") and opened.my_status in (RecipientStatus.DELIVERED, RecipientStatus.SENT,
                                                                      RecipientStatus.READ)
    acknowledged = messages_acknowledge.sync(str(sent.id), client=reader)
    assert acknowledged.my_status == RecipientStatus.ACKNOWLEDGED

    outbox = messages_outbox.sync(client=writer)
    assert [m.id for m in outbox.results] == [sent.id]
    seen = messages_read.sync(str(sent.id), client=writer)
    assert [r.status for r in seen.recipients] == [RecipientStatus.ACKNOWLEDGED]

    refused = messages_inbox.sync(client=reader, page_size=1000)
    assert refused.__class__.__name__ == "ErrorOut" and "page_size" in refused.errors.additional_properties
