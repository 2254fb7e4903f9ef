from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/federation/outboxenvelope/", "/admin/federation/quarantinedenvelope/",
                                  "/admin/federation/peer/"])
def test_node_admin_sees_deliveries_and_quarantine(path, node_admin, officer, login):
    assert login(node_admin).get(path).status_code == 200
    assert login(officer).get(path).status_code == 404
