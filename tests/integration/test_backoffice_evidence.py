"""Staff download the files a victim sent (logged, zone-scoped, never inline) and choose the
assignee from the colleagues of the case's unit who may investigate it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.factories import Office, complaint, post_form
from zonal.complaints.domain.staff import Role
from zonal.services import complaints as services
from zonal.storage.complaints.tables import AuditRow, StaffRow

PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot of the fake bank SMS" * 10
PDF = b"%PDF-1.4\n% bank statement\n%%EOF"
LINK = re.compile(r'href="(/office/cases/[^"/]+/attachments/([0-9a-f]{16}))"[^>]*>([^<]+)</a>')


def filed_with_files(office: Office, *files: tuple[str, bytes]) -> str:
    """A complaint of zone 5339 with the victim's files; its reference."""
    receipt = services.submit_complaint(office.setup.uow(), complaint())
    for name, content in files:
        services.attach_file(
            office.setup.uow(),
            office.setup.files,
            receipt.reference,
            receipt.receipt_code,
            name,
            content,
        )
    return receipt.reference


def open_case(client: Any, reference: str, why: str) -> str:
    page = f"/office/cases/{reference}"
    assert post_form(client, "/office/login", f"{page}/open", why=why).status_code == 303
    return str(client.get(page).text)


def links(page: str) -> dict[str, str]:
    """File name -> download link, as listed on the case page."""
    return {name: href for href, _, name in LINK.findall(page)}


def reads_of(office: Office, reference: str) -> list[AuditRow]:
    with office.setup.sessions() as session:
        query = select(AuditRow).where(AuditRow.reference == reference, AuditRow.action == "read")
        return list(session.scalars(query))


@pytest.fixture
def staffed(office: Office) -> Office:
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    office.account("inv", Role.ZONE_INVESTIGATOR, "5339")
    office.account("midi", Role.ZONE_CHIEF, "5341")
    return office


def test_staff_download_exactly_what_the_victim_sent_and_the_reading_is_logged(
    staffed: Office,
) -> None:
    reference = filed_with_files(staffed, ("C:\\sms.png", PNG), ("relevé bancaire.pdf", PDF))
    inv = staffed.login("inv")
    page = open_case(inv, reference, "Evidence for the investigation")
    found = links(page)
    assert set(found) == {"sms.png", "relevé bancaire.pdf"}
    for path in staffed.setup.files.folder.iterdir():
        assert path.stem not in page  # the storage key (the file's name on disk) stays hidden

    screenshot = inv.get(found["sms.png"])
    assert screenshot.status_code == 200 and screenshot.content == PNG
    assert screenshot.headers["content-type"] == "image/png"
    assert screenshot.headers["content-disposition"].startswith('attachment; filename="sms.png"')
    assert screenshot.headers["x-content-type-options"] == "nosniff"
    assert screenshot.headers["cache-control"] == "no-store"
    statement = inv.get(found["relevé bancaire.pdf"])
    assert statement.content == PDF and statement.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''relev%C3%A9%20bancaire.pdf" in statement.headers["content-disposition"]

    downloads = [row for row in reads_of(staffed, reference) if "attachment" in row.detail]
    assert [row.actor for row in downloads] == ["inv", "inv"]
    assert {row.justification for row in downloads} == {"Evidence for the investigation"}


def test_another_zone_cannot_download_the_file_and_the_attempt_is_logged(staffed: Office) -> None:
    reference = filed_with_files(staffed, ("sms.png", PNG))
    link = links(open_case(staffed.login("intake"), reference, "Triage of a new complaint"))
    midi = staffed.login("midi")
    open_case(midi, reference, "looking around")
    before = staffed.refusals()
    response = midi.get(link["sms.png"])
    assert response.status_code == 404 and PNG not in response.content
    assert response.headers["cache-control"] == "no-store"
    assert staffed.refusals() == before + 1
    with staffed.setup.sessions() as session:
        refused = session.scalars(
            select(AuditRow).where(AuditRow.outcome == "refused").order_by(AuditRow.id.desc())
        ).first()
    assert refused is not None and refused.actor == "midi" and refused.reference == reference


def test_a_download_needs_the_reason_for_opening_the_case_and_a_listed_file(
    staffed: Office,
) -> None:
    reference = filed_with_files(staffed, ("sms.png", PNG))
    link = links(open_case(staffed.login("intake"), reference, "Triage of a new complaint"))
    fresh = staffed.login("inv")  # a new session: no reason given yet for this case
    asked = fresh.get(link["sms.png"])
    assert asked.status_code == 303 and asked.headers["location"] == f"/office/cases/{reference}"
    open_case(fresh, reference, "Evidence for the investigation")
    wrong = fresh.get(f"/office/cases/{reference}/attachments/0123456789abcdef")
    assert wrong.status_code == 404 and "use a link on the case page" in wrong.text
    admin = staffed.login("admin")
    open_case(admin, reference, "just curious")
    assert admin.get(link["sms.png"]).status_code == 403


def test_the_assignee_is_chosen_from_the_investigators_of_the_cases_unit(office: Office) -> None:
    office.account("intake", Role.INTAKE_OFFICER, "5339")
    reference = office.submit()
    intake = office.login("intake")
    page = open_case(intake, reference, "Triage of a new complaint")
    assert 'id="assignee"' not in page  # received: triage first
    post_form(intake, "/office/login", f"/office/cases/{reference}/triage")
    page = intake.get(f"/office/cases/{reference}").text
    assert "Nobody in 5339 can investigate cases." in page and 'id="assignee"' not in page

    office.account("inv", Role.ZONE_INVESTIGATOR, "5339")
    office.account("chief", Role.ZONE_CHIEF, "5339")
    office.account("gone", Role.ZONE_INVESTIGATOR, "5339")
    office.account("midi", Role.ZONE_INVESTIGATOR, "5341")
    with office.setup.sessions() as session:
        session.execute(update(StaffRow).where(StaffRow.username == "gone").values(active=False))
        session.commit()
    page = intake.get(f"/office/cases/{reference}").text
    select_box = re.search(r'<select id="assignee".*?</select>', page, re.S)
    assert select_box is not None
    options = re.findall(r'<option value="([^"]*)"', select_box.group(0))
    assert options == ["", "chief", "inv"]  # a prompt first, then by name

    foreign = post_form(
        intake, "/office/login", f"/office/cases/{reference}/assign", assignee="midi"
    )
    assert foreign.status_code == 422 and "is not an active account of 5339" in foreign.text
    chosen = post_form(intake, "/office/login", f"/office/cases/{reference}/assign", assignee="inv")
    assert chosen.status_code == 303
    page = intake.get(f"/office/cases/{reference}").text
    assert '<option value="inv" selected>' in page and '<option value="">' not in page


def test_a_png_html_polyglot_is_served_as_a_png_download_never_as_a_page(
    staffed: Office,
) -> None:
    polyglot = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    reference = filed_with_files(staffed, ("poly.html", polyglot))
    inv = staffed.login("inv")
    served = inv.get(
        links(open_case(inv, reference, "Evidence for the investigation"))["poly.html"]
    )
    assert served.headers["content-type"] == "image/png"
    disposition = served.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="poly.png"') and ".html" not in disposition
    assert served.headers["x-content-type-options"] == "nosniff"
