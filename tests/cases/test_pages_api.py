"""Case pages and API: the same services and access helpers; outsiders get 404; bad input is a 4xx field error."""

from __future__ import annotations

import base64

import pytest

from borderlink.cases.models import Case, Entity, Note
from tests.cases.helpers import open_case, phone

pytestmark = pytest.mark.django_db


def test_pages_from_draft_to_graph(officer, supervisor, foreign_officer, outsider, login, org):
    vn = login(officer)
    assert vn.get("/cases/new/").status_code == 200
    response = vn.post("/cases/new/", {"title": "Bavet call centre", "offence": "fraud", "legal_basis": "Plan 2026",
                                       "handling_code": "H1", "units": [org.la_unit.pk], "message": "Join us"})
    case = Case.objects.get()
    assert response.status_code == 302
    assert vn.post(f"/cases/{case.pk}/step/proposed/").status_code == 302
    assert login(supervisor).post(f"/cases/{case.pk}/step/approved/", {"text": ""}).status_code == 302
    la = login(foreign_officer)
    assert la.get(f"/cases/{case.pk}/").status_code == 404  # invited, not yet accepted
    invitation = case.participants.get(unit=org.la_unit)
    page = la.get(f"/cases/invitations/{invitation.pk}/").content.decode()
    assert "Join us" in page and "Bavet call centre" not in page  # the invitation says nothing of the case
    assert la.post(f"/cases/invitations/{invitation.pk}/", {"answer": "accept", "text": ""}).status_code == 302
    assert la.get(f"/cases/{case.pk}/").status_code == 200
    bad = vn.post(f"/cases/{case.pk}/entities/", {"kind": "phone", "value": "not a number", "shared": "on"})
    assert bad.status_code == 400 and "This is not a phone number" in bad.content.decode()
    assert vn.post(f"/cases/{case.pk}/entities/", {"kind": "phone", "value": "+855 12 345 678", "shared": "on"}).status_code == 302
    assert vn.post(f"/cases/{case.pk}/entities/", {"kind": "wallet", "chain": "ethereum",
                                                   "value": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}).status_code == 302
    a, b = Entity.objects.order_by("kind")
    assert vn.post(f"/cases/{case.pk}/links/", {"kind": "transferred_to", "source": a.pk, "target": b.pk, "amount": "950.00",
                                                "currency": "usd", "information_source": "Bank reply"}).status_code == 302
    graph = vn.get(f"/cases/{case.pk}/graph/").content.decode()
    assert "<svg" in graph and "+85512345678" in graph
    assert "0x5aaeb" not in la.get(f"/cases/{case.pk}/graph/").content.decode()  # private wallet: not in Laos's graph
    assert vn.get(f"/cases/{case.pk}/graph.graphml").status_code == 200
    for path in (f"/cases/{case.pk}/", f"/cases/{case.pk}/graph/", f"/cases/{case.pk}/graph.json", f"/cases/{case.pk}/entities/{a.pk}/"):
        assert login(outsider).get(path).status_code == 404


def test_api(officer, supervisor, foreign_officer, outsider, api, org):
    body = {"title": "Ring", "offence": "fraud", "legal_basis": "MoU", "units": [org.la_unit.pk]}
    created = api(officer).post("/api/cases", body, content_type="application/json")
    assert created.status_code == 201
    cid = created.json()["id"]
    assert api(officer).post(f"/api/cases/{cid}/steps/proposed", {}, content_type="application/json").status_code == 200
    assert api(officer).post(f"/api/cases/{cid}/steps/approved", {}, content_type="application/json").status_code == 404
    assert api(supervisor).post(f"/api/cases/{cid}/steps/approved", {}, content_type="application/json").status_code == 200
    invitation = api(foreign_officer).get("/api/cases").json()["invitations"][0]["id"]
    declined = api(foreign_officer).post(f"/api/cases/invitations/{invitation}", {"accept": False}, content_type="application/json")
    assert declined.status_code == 400 and "text" in declined.json()["errors"]
    assert api(foreign_officer).post(f"/api/cases/invitations/{invitation}", {"accept": True},
                                     content_type="application/json").json()["state"] == "accepted"
    bad = api(officer).post(f"/api/cases/{cid}/entities", {"kind": "wallet", "qualifier": "bitcoin",
                                                          "value": "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"}, content_type="application/json")
    assert bad.status_code == 400 and "value" in bad.json()["errors"]
    ok = api(officer).post(f"/api/cases/{cid}/entities", {"kind": "phone", "value": "+84 912 345 678", "shared": True},
                           content_type="application/json")
    assert ok.status_code == 201 and ok.json()["value"] == "+84912345678"
    note = api(foreign_officer).post(f"/api/cases/{cid}/notes", {"text": "Seen in Savannakhet", "files": [
        {"filename": "a.txt", "content_base64": base64.b64encode(b"hello").decode()}]}, content_type="application/json")
    assert note.status_code == 201 and Note.objects.get().files.count() == 1
    evil = api(foreign_officer).post(f"/api/cases/{cid}/notes", {"text": "x", "files": [
        {"filename": "a.pdf", "content_base64": base64.b64encode(b"MZ\x90\x00binary").decode()}]}, content_type="application/json")
    assert evil.status_code == 400
    read = api(officer).get(f"/api/cases/{cid}").json()
    assert [e["value"] for e in read["entities"]] == ["+84912345678"]
    assert api(officer).get(f"/api/cases/{cid}").json()["notes"] == []  # Laos's note is private to Laos
    assert api(outsider).get(f"/api/cases/{cid}").status_code == 404
    assert api(outsider).post(f"/api/cases/{cid}/entities", {"kind": "phone", "value": "+84912345678"},
                              content_type="application/json").status_code == 404


def test_graph_is_capped_and_expands(officer, supervisor, foreign_officer, login, org):
    from borderlink.cases import graph, items
    from borderlink.cases.items import LinkInput

    case = open_case(officer, supervisor, [org.la_unit], accept_by=[foreign_officer])
    hub = phone(officer, case, "+84912000000")
    for i in range(1, 140):
        other = phone(officer, case, f"+849120{i:05d}")
        items.add_link(officer, case.pk, LinkInput(kind="called", source=hub.pk, target=other.pk, information_source="CDR", shared=True))
    built = graph.build(officer, case)
    assert built.total == 140 and len(built.shown) == graph.MAX_NODES and str(hub.pk) in built.shown
    leaf = next(n for n in built.nodes if n not in built.shown)
    focused = graph.build(officer, case, focus=leaf)
    assert leaf in focused.shown and str(hub.pk) in focused.shown
    page = login(officer).get(f"/cases/{case.pk}/graph/?focus={leaf}")
    assert page.status_code == 200 and "focus=" in page.content.decode()


def test_case_list_a_page_at_a_time_with_constant_queries(officer, supervisor, login, org, monkeypatch):
    """The list is paginated and its queries do not grow with the cases (issue 19)."""
    from borderlink.cases import views
    from tests.core.test_page_queries import queries

    client = login(officer)
    first = open_case(officer, supervisor, [org.la_unit], title="Case 0")
    few = queries(client, "/cases/")
    for n in range(1, 4):
        open_case(officer, supervisor, [org.la_unit], title=f"Case {n}")
    assert queries(client, "/cases/") == few
    monkeypatch.setattr(views, "LIST_PAGE", 3)
    page = client.get("/cases/?page=2").content.decode()
    assert "Page 2 of 2" in page and first.reference in page and "Case 3" not in page
    # counted up to a bound (a unit may take part in 100,000 cases): beyond it, "more" and the pages run on
    from borderlink.core.page_query import BoundedPaginator

    monkeypatch.setattr(views, "LIST_PAGE", 1)
    monkeypatch.setattr(BoundedPaginator, "COUNT_LIMIT", 2)
    monkeypatch.setattr(BoundedPaginator, "PAGES_AHEAD", 0)
    assert "Page 1 of 3+" in client.get("/cases/").content.decode()
    page = client.get("/cases/?page=4").content.decode()
    assert "Page 4 of 4" in page and first.reference in page and "Next" not in page


def test_the_link_forms_dates_are_iso_in_every_language():
    """A date input's value must be ISO: in Lao or Vietnamese the form drew 30/11/2026, which a browser drops."""
    import datetime

    from django.utils import translation

    from borderlink.cases.forms import LinkForm

    for language in ("lo", "vi", "km", "en"):
        with translation.override(language):
            field = LinkForm.base_fields["first_date"]
            html = field.widget.render("first_date", datetime.date(2026, 11, 30))
        assert 'value="2026-11-30"' in html and 'type="date"' in html, (language, html)
