"""Synthetic demo organisation, users and messages.

Every person and case here is invented. Units follow the real structure of
the three ministries (reference data in borderlink/core/reference/).
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from borderlink.accounts.models import User
from borderlink.core.models import Country, Ministry, Province, Unit

DEMO_PASSWORD = "borderlink-demo-2026"  # noqa: S105 (the demo's published password, README)
# RFC 4648 base32 of the demo key; add it to any TOTP app (or run `manage.py totp_code USER`).
DEMO_TOTP_BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# code, country, ministry, parent code, kind, province (English name), names en/vi/lo/km
UNITS = [
    ("VN-MPS", "VN", "VN-MPS", None, "ministry", None,
     "Ministry of Public Security", "Bộ Công an", "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ ຫວຽດນາມ", "ក្រសួងសន្តិសុខសាធារណៈវៀតណាម"),
    ("VN-MPS.DIC", "VN", "VN-MPS", "VN-MPS", "department", None,
     "Department of International Cooperation", "Cục Hợp tác quốc tế", "ກົມຮ່ວມມືສາກົນ", "នាយកដ្ឋានសហប្រតិបត្តិការអន្តរជាតិ"),
    ("VN-QT.PP", "VN", "VN-MPS", "VN-MPS", "provincial", "Quang Tri",
     "Quang Tri Provincial Police", "Công an tỉnh Quảng Trị", "ປ້ອງກັນຄວາມສະຫງົບ ແຂວງກວາງຈີ", "ស្នងការនគរបាលខេត្តក្វាងទ្រី"),
    ("VN-TN.PP", "VN", "VN-MPS", "VN-MPS", "provincial", "Tay Ninh",
     "Tay Ninh Provincial Police", "Công an tỉnh Tây Ninh", "ປ້ອງກັນຄວາມສະຫງົບ ແຂວງໄຕນິງ", "ស្នងការនគរបាលខេត្តតៃនិញ"),
    ("LA-MPS", "LA", "LA-MPS", None, "ministry", None,
     "Ministry of Public Security", "Bộ Công an Lào", "ກະຊວງປ້ອງກັນຄວາມສະຫງົບ", "ក្រសួងសន្តិសុខសាធារណៈឡាវ"),
    ("LA-MPS.DFA", "LA", "LA-MPS", "LA-MPS", "department", None,
     "Department of Foreign Affairs", "Cục Đối ngoại", "ກົມການຕ່າງປະເທດ", "នាយកដ្ឋានកិច្ចការបរទេស"),
    ("LA-SVK.PP", "LA", "LA-MPS", "LA-MPS", "provincial", "Savannakhet",
     "Savannakhet Provincial Police", "Công an tỉnh Savannakhet", "ປ້ອງກັນຄວາມສະຫງົບ ແຂວງສະຫວັນນະເຂດ", "ស្នងការនគរបាលខេត្តសាវ៉ាន់ណាខេត"),
    ("KH-MOI", "KH", "KH-MOI", None, "ministry", None,
     "Ministry of Interior", "Bộ Nội vụ Campuchia", "ກະຊວງພາຍໃນ ກຳປູເຈຍ", "ក្រសួងមហាផ្ទៃ"),
    ("KH-MOI.GCNP", "KH", "KH-MOI", "KH-MOI", "department", None,
     "General Commissariat of National Police", "Tổng cục Cảnh sát quốc gia", "ກົມໃຫຍ່ຕຳຫຼວດແຫ່ງຊາດ", "អគ្គស្នងការដ្ឋាននគរបាលជាតិ"),
    ("KH-SVR.PP", "KH", "KH-MOI", "KH-MOI.GCNP", "provincial", "Svay Rieng",
     "Svay Rieng Provincial Police", "Công an tỉnh Svay Rieng", "ຕຳຫຼວດ ແຂວງສວາຍຣຽງ", "ស្នងការដ្ឋាននគរបាលខេត្តស្វាយរៀង"),
]

# username, first, last, unit, capabilities, language
USERS = [
    ("vn.officer", "Minh", "Lê Quang", "VN-QT.PP", ["officer"], "vi"),
    ("vn.supervisor", "Hà", "Phạm Thu", "VN-QT.PP", ["officer", "supervisor"], "vi"),
    ("vn.liaison", "Tuấn", "Đỗ Anh", "VN-MPS.DIC", ["liaison", "officer"], "vi"),
    ("la.officer", "Kham", "Sivongxay", "LA-SVK.PP", ["officer"], "lo"),
    ("la.supervisor", "Noy", "Phommachanh", "LA-SVK.PP", ["officer", "supervisor"], "lo"),
    ("kh.officer", "Dara", "Chhim", "KH-SVR.PP", ["officer"], "km"),
    ("kh.supervisor", "Sophea", "Meas", "KH-SVR.PP", ["officer", "supervisor"], "km"),
    ("vn.protection", "Thảo", "Nguyễn Thị", "VN-QT.PP", ["victim_protection"], "vi"),
    ("la.protection", "Vanh", "Keomany", "LA-SVK.PP", ["victim_protection"], "lo"),
    ("kh.protection", "Sreymom", "Keo", "KH-SVR.PP", ["victim_protection"], "km"),
    ("vn.planner", "Hoa", "Trần Thị", "VN-MPS.DIC", ["planner"], "vi"),
    ("vn.leader", "Quang", "Nguyễn Văn", "VN-MPS.DIC", ["planner", "supervisor"], "vi"),
    ("la.planner", "Souk", "Inthavong", "LA-MPS.DFA", ["planner"], "lo"),
    ("kh.planner", "Vanna", "Sok", "KH-MOI.GCNP", ["planner"], "km"),
    ("kh.leader", "Rith", "Chea", "KH-MOI.GCNP", ["planner", "supervisor"], "km"),
    ("auditor", "Lan", "Vũ", "VN-MPS.DIC", ["auditor"], "en"),
    ("admin", "Node", "Administrator", None, ["node_admin"], "en"),
]


@dataclass
class DemoLogin:
    username: str
    password: str
    unit: str
    capabilities: list[str]


def totp_key_hex() -> str:
    import base64

    return binascii.hexlify(base64.b32decode(DEMO_TOTP_BASE32)).decode("ascii")


@transaction.atomic
def load_units() -> None:
    for code, country, ministry, parent, kind, province, en, vi, lo, km in UNITS:
        province_obj = (
            Province.objects.filter(country_id=country, name_en=province).valid_on().first()
            if province
            else None
        )
        Unit.objects.update_or_create(
            code=code,
            defaults={
                "country": Country.objects.get(pk=country),
                "ministry": Ministry.objects.get(code=ministry),
                "parent": Unit.objects.get(code=parent) if parent else None,
                "kind": kind,
                "province": province_obj,
                "name_en": en,
                "name_vi": vi,
                "name_lo": lo,
                "name_km": km,
            },
        )


def users_for(country: str | None) -> list[tuple]:
    """The demo users of one country's node (the auditor and admin on every node), or all of them."""
    if country is None:
        return USERS
    return [u for u in USERS if u[3] is None or u[0] in ("auditor", "admin") or u[3].startswith(country + "-")]


@transaction.atomic
def load_users(country: str | None = None) -> list[DemoLogin]:
    logins = []
    for username, first, last, unit_code, capabilities, language in users_for(country):
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        if username == "auditor" and country is not None and country != "VN":
            unit_code = {"LA": "LA-MPS.DFA", "KH": "KH-MOI.GCNP"}[country]
        user.unit = Unit.objects.get(code=unit_code) if unit_code else None
        user.language = language
        for flag in ("officer", "supervisor", "liaison", "victim_protection", "planner", "auditor", "node_admin"):
            setattr(user, f"is_{flag}", flag in capabilities)
        user.is_staff = "node_admin" in capabilities
        user.set_password(DEMO_PASSWORD)
        user.save()
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="demo", key=totp_key_hex(), confirmed=True)
        logins.append(DemoLogin(username, DEMO_PASSWORD, unit_code or "-", capabilities))
    return logins


def load_messages(country: str | None = None) -> int:
    """A few invented exchanges, written through the services like any user would. With a country,
    only what that node's own users write (the rest arrives from the other nodes)."""
    from borderlink.exchange import services
    from borderlink.exchange.models import Message

    if Message.objects.filter(origin_node=settings.NODE_NAME).exists():
        return 0
    unit = {u.code: u.pk for u in Unit.objects.all()}
    mine = {u[0] for u in users_for(country)}

    def user(name: str) -> User | None:
        return User.objects.get(username=name) if name in mine else None

    vn, vn_sup, la, la_sup, kh, kh_sup = (user(n) for n in
                                          ("vn.officer", "vn.supervisor", "la.officer", "la.supervisor", "kh.officer", "kh.supervisor"))
    if vn and vn_sup:
        first = services.send_message(vn, services.Draft(
            recipient_unit_ids=[unit["LA-SVK.PP"]],
            subject="Lao Bảo – Dansavan: suspected smuggling vehicle (exercise)",
            body="Demo data, invented case. A truck with plates 74C-000.00 (invented) crossed at Lao Bảo "
                 "on the evening of 20 November. Please tell us whether it re-entered at Dansavan.",
            priority="urgent", handling_code="H1",
        ))
        services.approve_message(vn_sup, first.pk)
        if la:
            services.acknowledge(la, first.pk)
        if la and la_sup:
            reply = services.send_message(la, services.Draft(
                recipient_unit_ids=[unit["VN-QT.PP"]],
                subject="Re: Lao Bảo – Dansavan: suspected smuggling vehicle (exercise)",
                body="Demo data. The vehicle was checked at Dansavan at 21:40; nothing irregular was found.",
                priority="routine", handling_code="H1", in_reply_to_id=first.pk,
            ))
            services.approve_message(la_sup, reply.pk)
        services.send_message(vn, services.Draft(
            recipient_unit_ids=[unit["VN-TN.PP"]],
            subject="Shift hand-over notes",
            body="Demo data. Domestic message: sent at once, no approval needed.",
            priority="immediate", handling_code="H0",
        ))
        services.send_message(vn, services.Draft(
            recipient_unit_ids=[unit["KH-SVR.PP"]],
            subject="Request for a meeting on online scam compounds (exercise)",
            body="Demo data. Waiting for a supervisor's approval.",
            priority="routine", handling_code="H2",
        ))
    if kh and kh_sup:
        agenda = services.send_message(kh, services.Draft(
            recipient_unit_ids=[unit["VN-TN.PP"]],
            subject="Mộc Bài – Bavet liaison meeting: agenda (exercise)",
            body="Demo data. Proposed agenda for the monthly liaison meeting: border incidents, online scam "
                 "compounds, return of victims.",
            priority="routine", handling_code="H0",
        ))
        services.approve_message(kh_sup, agenda.pk)
    if la and la_sup and not vn:
        note = services.send_message(la, services.Draft(
            recipient_unit_ids=[unit["VN-QT.PP"], unit["KH-SVR.PP"]],
            subject="Savannakhet: missing-person notice published (exercise)",
            body="Demo data. We published a missing-person notice for a young woman from Savannakhet; please check it.",
            priority="routine", handling_code="H0",
        ))
        services.approve_message(la_sup, note.pk)
    return Message.objects.filter(origin_node=settings.NODE_NAME).count()


def load_notices(country: str | None = None) -> int:
    """Invented subjects and notices, published through the services with four eyes."""
    import datetime

    from django.utils import timezone

    from borderlink.notices import services as notices
    from borderlink.notices.models import Notice
    from borderlink.persons.services import DocumentInput, NameInput, PersonInput

    if Notice.objects.filter(created_by__isnull=False).exists():
        return 0
    today = timezone.localdate()
    countries = {country} if country else {"VN", "LA", "KH"}

    def pair(prefix: str) -> tuple[User, User]:
        return User.objects.get(username=f"{prefix}.officer"), User.objects.get(username=f"{prefix}.supervisor")

    def publish(author: User, supervisor: User, person: PersonInput, **fields: object) -> None:
        data = notices.NoticeInput(subject_id=None, review_date=today + datetime.timedelta(days=365), **fields)  # type: ignore[arg-type]
        notice = notices.create_notice_with_new_subject(author, person, data)
        notices.submit_notice(author, notice.pk)
        notices.approve_notice(supervisor, notice.pk)

    if "VN" in countries:
        publish(*pair("vn"), PersonInput(
        names=[NameInput("Lò Văn Thắng"), NameInput("LO VAN THANG", "transcription")], sex="M", birth_year=1984,
        nationalities=["VN"], documents=[DocumentInput("national_id", "045084000123", "VN")],
        distinguishing_marks="Demo data: scar on the left hand (invented).",
    ), kind="wanted_arrest", offence="drug_trafficking",
        summary="Demo data, invented case. Organised the transport of synthetic drugs through the Tây Trang gate.",
        warrant_number="DEMO-01/QĐ", issuing_authority="Investigation police, Quảng Trị (demo)",
        warrant_date=today - datetime.timedelta(days=40), max_penalty_years=20, shared_with=["LA", "KH"])
    if "LA" in countries:
        publish(*pair("la"), PersonInput(
        names=[NameInput("ບຸນມີ ສີສຸວັນ"), NameInput("Bounmy Sisouvanh", "transcription")], sex="F", birth_year=2004,
        birth_month=6, nationalities=["LA"], is_minor=False,
    ), kind="missing", summary="Demo data, invented case. Left Savannakhet for work in a casino zone; family has had no news since October.",
        shared_with=["VN", "KH"])
    if "KH" in countries:
        publish(*pair("kh"), PersonInput(
        # the third form is the ALA-LC romanisation (library catalogues), which the
        # name engine writes back in Khmer script (issue 13)
        names=[NameInput("សុខ ដារ៉ា"), NameInput("Sok Dara", "transcription"), NameInput("Sukh Ṭārʺā", "transcription")],
        sex="M", birth_year=1990, nationalities=["KH"],
        documents=[DocumentInput("passport", "N0000000", "KH")],
    ), kind="wanted_locate", offence="fraud",
        summary="Demo data, invented case. Suspected manager of an online scam call centre near Bavet.",
        warrant_number="DEMO-7", issuing_authority="Svay Rieng provincial court (demo)",
        warrant_date=today - datetime.timedelta(days=20), max_penalty_years=5, shared_with=["VN"])
    return Notice.objects.count()


def load_requests(country: str | None = None) -> int:
    """Invented requests between the three countries, sent with four eyes, and custody notifications."""
    import datetime

    from django.utils import timezone

    from borderlink.assistance import services as assistance
    from borderlink.assistance.models import Request
    from borderlink.custody import services as custody
    from borderlink.persons.services import DocumentInput, NameInput, PersonInput

    if Request.objects.filter(created_by__isnull=False).exists():
        return 0
    countries = {country} if country else {"VN", "LA", "KH"}

    def send(prefix: str, to: str, **fields: object) -> None:
        author = User.objects.get(username=f"{prefix}.officer")
        supervisor = User.objects.get(username=f"{prefix}.supervisor")
        data = assistance.RequestInput(requested_unit_id=Unit.objects.get(code=to).pk, **fields)  # type: ignore[arg-type]
        req = assistance.create_request(author, data)
        assistance.submit_request(author, req.pk)
        assistance.approve_request(supervisor, req.pk)

    if "VN" in countries:
        send("vn", "KH-SVR.PP", kind="trace_phone", offence="fraud", urgency="urgent", data_held_directly=True,
             subject="Demo: trace a phone number used by a scam call centre", identifier="+855 10 000 000 (demo)",
             details="Demo data, invented case. Victims in Tây Ninh were called from this number; who holds it?")
        send("vn", "LA-SVK.PP", kind="verify_identity", offence="drug_trafficking", person_name="Khamla Vongdara (demo)",
             subject="Demo: verify the identity of a courier held in Quảng Trị",
             details="Demo data, invented case. Lao identity card 0000000 (demo); please confirm name and address.")
    if "LA" in countries:
        send("la", "VN-QT.PP", kind="locate", offence="trafficking_in_persons", urgency="urgent",
             subject="Demo: locate a recruiter seen near Lao Bảo", person_name="Đặng Văn Hiếu (demo)",
             details="Demo data, invented case. Recruited young women in Savannakhet for work across the border.")
        officer = User.objects.get(username="la.officer")
        custody.record_custody(
            officer,
            PersonInput(names=[NameInput("Trịnh Văn Kiên"), NameInput("TRINH VAN KIEN", "transcription")], sex="M",
                        birth_year=1993, documents=[DocumentInput("passport", "C0000000", "VN")]),
            custody.CustodyInput(nationality="VN", kind="arrest", detained_at=timezone.now() - datetime.timedelta(hours=20),
                                 place_held="Savannakhet provincial police (demo)", offence="smuggling_of_goods",
                                 facts="Demo data, invented case. Carried undeclared goods through Dansavanh.",
                                 consular_access_requested=True))
    if "KH" in countries:
        send("kh", "VN-TN.PP", kind="verify_record", offence="robbery", person_name="Nguyễn Văn Tư (demo)",
             subject="Demo: criminal record of a Vietnamese national held in Svay Rieng",
             details="Demo data, invented case. Any conviction for robbery in Tây Ninh since 2015?")
    return Request.objects.count()


def _demo_photo() -> bytes:
    """An invented holder's photo: a plain 48x64 PNG drawn here (a grey head and shoulders on blue)."""
    import struct
    import zlib

    width, height = 48, 64
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            head = (x - 24) ** 2 + (y - 24) ** 2 < 12 ** 2
            body = y > 42 and abs(x - 24) < 18
            row += b"\x9a\x9a\x9a" if head or body else b"\x3c\x6e\xa8"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


DEMO_PASS = "SVK-2026-0001"  # noqa: S105  # a border pass's number, not a password


def load_border(country: str | None = None) -> int:
    """Invented border incidents of several kinds (one return refused under the asylum rule, one with a child),
    shared with four eyes; passes of Savannakhet (one revoked); on one node hosting every country, a check of
    the valid pass at Lao Bảo. Returns the number of incidents here."""
    import datetime

    from borderlink.border import passes, services
    from borderlink.border.models import BorderIncident, ProvincePair
    from borderlink.core import clock
    from borderlink.core.models import BorderGate
    from borderlink.exchange.attachments import check_file
    from borderlink.persons.services import NameInput, PersonInput

    if BorderIncident.objects.filter(created_by__isnull=False).exists():
        return 0
    countries = {country} if country else {"VN", "LA", "KH"}
    now = clock.now()

    def pair(a: str, b: str) -> str:
        return ProvincePair.objects.valid_on(now.date()).get(side_a__name_en=a, side_b__name_en=b).code

    def gate(name: str) -> int:
        return BorderGate.objects.get(side_a_name=name).pk

    def record(prefix: str, share: bool = False, **fields: object) -> None:
        officer = User.objects.get(username=f"{prefix}.officer")
        item = services.record_incident(officer, services.IncidentInput(share=share, **fields))  # type: ignore[arg-type]
        if share:
            services.approve_sharing(User.objects.get(username=f"{prefix}.supervisor"), item.pk)

    if "VN" in countries:
        qt_sv = pair("Quang Tri", "Savannakhet")
        record("vn", pair=qt_sv, kind="smuggling_seizure", occurred_at=now - datetime.timedelta(days=75), gate_id=gate("Lao Bảo"),
               persons_count=1, outcome="released", handling="Demo data. Goods confiscated, driver fined and released.",
               description="Demo data, invented case. 200 cartons of cigarettes hidden under a load of cassava.",
               goods=[services.GoodsInput("cigarettes", 200, "carton", "undeclared, no tax stamps")])
        record("vn", share=True, pair=qt_sv, kind="unauthorised_migration", occurred_at=now - datetime.timedelta(days=40),
               gate_id=gate("Lao Bảo"), persons_count=4, children_count=1, outcome="returned",
               description="Demo data, invented case. A family of four crossed on a forest path to look for seasonal work.",
               handling="Demo data. Returned at Lao Bảo with the Dansavan post informed; the child was seen by the "
                        "victim-protection officer first.")
        record("vn", share=True, pair=qt_sv, kind="illegal_crossing", occurred_at=now - datetime.timedelta(days=9),
               gate_id=gate("Lao Bảo"), persons_count=1, asylum_sought=True, outcome="returned",
               description="Demo data, invented case. An adult without papers crossed at night and asked for protection.")
        record("vn", pair=pair("Quang Tri", "Khammouane"), kind="unregistered_marriage",
               occurred_at=now - datetime.timedelta(days=20), place="Demo village near Cha Lo (invented)", persons_count=2,
               description="Demo data, invented case. A couple living together across the border without registering.")
    if "LA" in countries:
        officer, supervisor = User.objects.get(username="la.officer"), User.objects.get(username="la.supervisor")
        record("la", share=True, pair=pair("Quang Tri", "Savannakhet"), kind="boundary",
               occurred_at=now - datetime.timedelta(days=3), place="Demo: marker near Dansavan (invented)",
               description="Demo data, invented case. A boundary marker was found knocked over after road works.")
        today = now.date()
        for number, name, days in ((DEMO_PASS, "ບົວພັນ ສີວົງ", 300), ("SVK-2026-0002", "ສົມສະໄໝ ພົມມະຈັນ", 200)):
            issued = passes.issue_pass(officer, passes.PassInput(
                number=number, valid_from=today - datetime.timedelta(days=30), valid_to=today + datetime.timedelta(days=days),
                area="Demo: Xepon and Sepon districts", gate_ids=[gate("Lao Bảo")],
                holder=PersonInput(names=[NameInput(name)], sex="M", birth_year=1988,
                                   photos=[check_file("holder.png", _demo_photo())])))
            if number != DEMO_PASS:
                passes.revoke_pass(supervisor, issued.pk, "Demo data: reported lost.")
    if "KH" in countries:
        record("kh", share=True, pair=pair("Tay Ninh", "Svay Rieng"), kind="cross_border_crime",
               occurred_at=now - datetime.timedelta(days=12), gate_id=gate("Mộc Bài"), persons_count=2, outcome="handed_over",
               description="Demo data, invented case. Two suspects of a motorbike theft ring stopped at Bavet.")
    if country is None:
        passes.check_pass(User.objects.get(username="vn.officer"), DEMO_PASS, "LA", gate("Lao Bảo"))
    return BorderIncident.objects.count()


def load_meetings(country: str | None = None) -> int:
    """Invented liaison meetings between Quảng Trị and Savannakhet. On one node hosting every country: a quarterly
    meeting held about three months ago (accepted, delegations, minutes approved with four eyes on both sides,
    decisions and action items of both sides, one of them overdue and reminded), an ad-hoc meeting being
    proposed, and a quarterly schedule whose next two meetings are proposed and accepted (border/demo.py). On the
    Vietnamese node of a three-node demo: the ad-hoc proposal; the schedule's meetings unfold once every node is
    up (scripts/demo.sh runs `manage.py demo_meetings`)."""
    import datetime

    from borderlink.border import meetings
    from borderlink.border.models import Meeting, MeetingAction, ProvincePair
    from borderlink.core import clock

    if Meeting.objects.filter(created_by__isnull=False).exists() or country not in (None, "VN"):
        return 0
    now = clock.now()
    pair = ProvincePair.objects.valid_on(now.date()).get(side_a__name_en="Quang Tri", side_b__name_en="Savannakhet").code
    vn, vn_sup = User.objects.get(username="vn.officer"), User.objects.get(username="vn.supervisor")
    if country is None:
        la, la_sup = User.objects.get(username="la.officer"), User.objects.get(username="la.supervisor")
        then = now - datetime.timedelta(days=100)  # the steps are taken as of then, on the deadline clock
        held_at = then + datetime.timedelta(days=14)
        meeting = meetings.propose_meeting(vn, meetings.MeetingInput(pair, "regular", held_at, "Lao Bảo border post (demo)"),
                                           now=then)
        meetings.answer(la, meeting.pk, MeetingAction.ACCEPTED, "Demo data: we confirm.", now=then)
        meetings.add_agenda_item(vn, meeting.pk, "Night crossings on forest paths north of Lao Bảo (demo)", now=then)
        meetings.add_agenda_item(la, meeting.pk, "Seasonal workers without papers (demo)", now=then)
        meetings.name_delegation(vn, meeting.pk, [{"name": "Lê Quang Minh", "rank": "Major", "role": "head of delegation"},
                                                  {"name": "Vũ Thu Lan", "role": "interpreter", "interpreter": True}], now=then)
        meetings.name_delegation(la, meeting.pk, [{"name": "Kham Sivongxay", "rank": "Lt. Colonel", "role": "head"}], now=then)
        meetings.record_held(vn, meeting.pk, now=held_at)
        meetings.write_minutes(vn, meeting.pk, "vi", "Dữ liệu minh họa. Hai bên thống nhất tuần tra chung hằng tháng và "
                               "trao đổi danh sách các lối mòn qua biên giới.")
        meetings.approve_minutes(vn_sup, meeting.pk, now=held_at)
        meetings.write_minutes(la, meeting.pk, "lo", "ຂໍ້ມູນສາທິດ. ສອງຝ່າຍຕົກລົງລາດຕະເວນຮ່ວມທຸກເດືອນ.")
        meetings.approve_minutes(la_sup, meeting.pk, now=held_at)
        meetings.record_decision(vn, meeting.pk, "Demo data: joint patrols on the first Monday of each month.",
                                 (now + datetime.timedelta(days=20)).date(), now=held_at)
        meetings.record_action_item(vn, meeting.pk, "Demo data: share the list of night crossing points.", "invited",
                                    "LA-SVK.PP", (held_at + datetime.timedelta(days=30)).date(), now=held_at)
        done = meetings.record_action_item(vn, meeting.pk, "Demo data: name a contact officer at Lao Bảo.", "proposing",
                                           "VN-QT.PP", (held_at + datetime.timedelta(days=14)).date(), now=held_at)
        meetings.progress(vn, done.pk, "done", "Demo data: Captain Hồ Văn Nam (invented) named.",
                          now=held_at + datetime.timedelta(days=5))
        # the Lao side records its own decision and action item (each side may)
        meetings.record_decision(la, meeting.pk, "ຂໍ້ມູນສາທິດ: ແລກປ່ຽນລາຍຊື່ຄົນເຂົ້າເມືອງຜິດກົດໝາຍທຸກໄຕມາດ.",
                                 (now + datetime.timedelta(days=40)).date(), now=held_at)
        meetings.record_action_item(la, meeting.pk, "Demo data: send the seasonal workers' list to Quảng Trị.", "invited",
                                    "LA-SVK.PP", (now + datetime.timedelta(days=10)).date(), now=held_at)
        meetings.check_action_items(now)  # the Lao item is overdue: reminded (and escalated)
    meetings.propose_meeting(vn, meetings.MeetingInput(pair, "ad_hoc", now + datetime.timedelta(days=6), "Dansavan (demo)",
                                                       "Demo data: a rise in illegal crossings at night."), now=now)
    if country is None:  # the regular schedule; on three nodes scripts/demo.sh runs `demo_meetings` once all are up
        from borderlink.border import demo

        demo.advance(now)
    return Meeting.objects.count()


CASE_TITLE = "Demo: online-fraud ring calling Vietnamese victims from Bavet"


def load_cases(country: str | None = None) -> int:
    """A synthetic VN–KH joint case against an online-fraud ring (invented numbers, accounts, persons): Viet Nam's
    part, proposed and approved with four eyes; the invitation goes to the Svay Rieng police. On a single node
    (no --country) Cambodia's part follows at once; with nodes, `answer_case_invitations` runs on Cambodia's."""
    import datetime
    import decimal

    from django.utils import timezone

    from borderlink.cases import items, services
    from borderlink.cases.items import EntityInput, LinkInput, NoteInput
    from borderlink.cases.models import Case
    from borderlink.core.models import BorderGate
    from borderlink.persons.services import DocumentInput, NameInput, PersonInput

    if country not in (None, "VN") or Case.objects.filter(title=CASE_TITLE).exists():
        return 0
    officer, supervisor = User.objects.get(username="vn.officer"), User.objects.get(username="vn.supervisor")
    case = services.create_case(officer, services.CaseInput(
        title=CASE_TITLE, offence="fraud", legal_basis="VN–KH cooperation plan 2026, item 3 (demo)", handling_code="H1",
        units=[Unit.objects.get(code="KH-SVR.PP").pk],
        summary="Demo data, invented case. Since August, people in Tây Ninh and Quảng Trị receive calls from 'bank staff' "
                "and transfer their savings to mule accounts; the money leaves through a crypto wallet. The calls come from "
                "a compound near Bavet.",
        message="Demo: we ask the Svay Rieng police to join a joint case against a call centre near Bavet."))

    def add(**fields: object) -> object:
        return items.add_entity(officer, case.pk, EntityInput(**fields))  # type: ignore[arg-type]

    caller = add(kind="phone", value="+855 97 000 0101", shared=True, details="Number the victims were called from (demo).")
    add(kind="phone", value="0912 000 202", details="Our informant's number: stays in Viet Nam (demo).")
    mule = add(kind="account", qualifier="Vietcombank", value="0071 0000 12345", shared=True, details="Mule account (demo).")
    wallet = add(kind="wallet", qualifier="ethereum", value="0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", shared=True,
                 details="The mule account's money leaves through this wallet (demo).")
    boss = add(kind="person", role="suspect", shared=True, person=PersonInput(
        names=[NameInput("Trần Văn Bình"), NameInput("TRAN VAN BINH", "transcription")], sex="M", birth_year=1988,
        nationalities=["VN"], documents=[DocumentInput("passport", "C0000001", "VN")]))
    passport = add(kind="document", qualifier="KH", value="N0000000", shared=True,
                   details="Passport seen on a rental contract of the compound (demo).")
    gate = BorderGate.objects.filter(side_a_name="Mộc Bài").first()
    place = add(kind="place", gate=gate.pk, shared=True) if gate else None
    today = timezone.localdate()

    def link(kind: str, source: object, target: object, **fields: object) -> None:
        items.add_link(officer, case.pk, LinkInput(kind=kind, source=source.pk, target=target.pk, shared=True,  # type: ignore[attr-defined]
                                                   information_source=str(fields.pop("source_info", "Victims' statements (demo)")),
                                                   **fields))  # type: ignore[arg-type]

    link("uses", boss, caller)
    link("owns", boss, mule, source_info="Bank reply (demo)")
    link("transferred_to", mule, wallet, amount=decimal.Decimal("12500.00"), currency="USD",
         first_date=today - datetime.timedelta(days=30), source_info="Bank reply (demo)")
    if place is not None:
        link("crossed_at", boss, place, first_date=today - datetime.timedelta(days=60), source_info="Border records (demo)")
    del passport
    items.add_note(officer, case.pk, NoteInput("Demo: 37 victims so far, 2.1 billion đồng lost.", shared=True))
    items.add_note(officer, case.pk, NoteInput("Demo: our informant inside the compound; never shared."))
    services.propose_case(officer, case.pk)
    services.approve_case(supervisor, case.pk)
    # a request for assistance next to the case: linked to it, and tracing one of its numbers (cross-referenced)
    from borderlink.assistance.services import RequestInput, create_request
    from borderlink.cases import related

    traced = create_request(officer, RequestInput(
        kind="trace_phone", requested_unit_id=Unit.objects.get(code="KH-SVR.PP").pk, offence="fraud",
        subject="Demo: who holds the number the victims were called from",
        details="Demo data: the subscriber and the cell sites of this number since August.", identifier="+855 97 000 0101"))
    related.index_request(traced.pk)  # the worker does this after the commit; the demo reads it at once
    related.link_request(officer, case.pk, traced.reference)
    # after the approval the lead invites one more unit; another supervisor sends the invitation (four eyes)
    la_unit = Unit.objects.filter(code="LA-SVK.PP").first()
    if la_unit is not None:
        services.invite_units(officer, case.pk, [la_unit.pk], "Demo: some of the mule accounts were opened in Savannakhet.")
        services.send_invitations(supervisor, case.pk)
    if country is None:
        answer_case_invitations("KH", wait_seconds=0)
    return 1


def answer_case_invitations(country: str | None = "KH", wait_seconds: float = 60) -> int:
    """Cambodia's part of the demo case, once the invitation has arrived: the Svay Rieng police accept, add their
    items (a shared call-centre phone and vehicle, a private account) and ask Viet Nam's node about the wallet
    (a cross-border identifier hit)."""
    import time

    from borderlink.cases import hits, items, services
    from borderlink.cases.items import EntityInput, LinkInput
    from borderlink.cases.models import Case, Participant, ParticipantState
    from borderlink.core.models import BorderGate

    if country not in (None, "KH"):
        return 0
    officer = User.objects.get(username="kh.officer")
    deadline = time.monotonic() + wait_seconds
    invitation = None
    while invitation is None:
        invitation = Participant.objects.filter(reference__contains="/JC/", unit__code="KH-SVR.PP", state=ParticipantState.PENDING).first()
        if invitation is None:
            if time.monotonic() > deadline:
                return 0
            time.sleep(1)
    services.answer_invitation(officer, invitation.pk, True, "Demo: Svay Rieng joins.")
    case = None
    while case is None:
        case = Case.objects.filter(pk=invitation.case_key).first()
        if case is None:
            if time.monotonic() > deadline:
                return 0
            time.sleep(1)
    caller = items.add_entity(officer, case.pk, EntityInput(kind="phone", value="+855 96 000 0303", shared=True,
                                                           details="Call-centre line in the compound (demo)."))
    items.add_entity(officer, case.pk, EntityInput(kind="account", qualifier="ABA Bank", value="000 111 222",
                                                   details="Local account of the compound's landlord: stays in Cambodia (demo)."))
    car = items.add_entity(officer, case.pk, EntityInput(kind="vehicle", qualifier="KH", value="2A-1234", shared=True))
    gate = BorderGate.objects.filter(side_b_name="Bavet").first()
    if gate is not None:
        place = case.entities.filter(gate=gate).first() or items.add_entity(officer, case.pk, EntityInput(kind="place", gate=gate.pk, shared=True))
        items.add_link(officer, case.pk, LinkInput(kind="crossed_at", source=car.pk, target=place.pk, shared=True,
                                                   information_source="Bavet gate records (demo)"))
    first = case.entities.filter(value="+85597000101").first()
    if first is not None:
        items.add_link(officer, case.pk, LinkInput(kind="called", source=caller.pk, target=first.pk, shared=True,
                                                   information_source="Call records (demo)"))
    try:
        hits.search(officer, "wallet", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "ethereum")
    except Exception:  # noqa: S110 (the demo goes on when a peer is not up yet)
        pass
    return 1
