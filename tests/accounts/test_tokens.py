from __future__ import annotations

import hashlib
import re

import pytest

from borderlink.accounts.models import APIToken

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_stored_hashed(officer, login):
    client = login(officer)
    page = client.post("/account/", {"action": "create_token", "name": "case tool"}, follow=True).content.decode()  # shown after the redirect
    secret = re.search(r"(blk_[A-Za-z0-9_\-]+)", page).group(1)
    token = APIToken.objects.get(user=officer)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.hint, token.name}
    assert secret not in client.get("/account/").content.decode()
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/messages/inbox").status_code == 200


def test_revoked_token_no_longer_works(officer, login, api):
    api_client = api(officer)
    token = APIToken.objects.get(user=officer)
    login(officer).post("/account/", {"action": "revoke_token", "token_id": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client.get("/api/messages/inbox").status_code == 401


def test_cannot_revoke_someone_elses_token(officer, outsider, login, api):
    api(officer)
    token = APIToken.objects.get(user=officer)
    response = login(outsider).post("/account/", {"action": "revoke_token", "token_id": token.pk})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_needs_a_name(officer, login):
    response = login(officer).post("/account/", {"action": "create_token", "name": "  "})
    assert response.status_code == 200
    assert APIToken.objects.count() == 0


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense", "Bearer blk_unknown", "Basic abc"])
def test_bad_tokens_get_401_json(header, client, db):
    response = client.get("/api/messages/inbox", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_token_of_deactivated_user_is_refused(officer, api):
    client = api(officer)
    officer.is_active = False
    officer.save()
    assert client.get("/api/messages/inbox").status_code == 401
