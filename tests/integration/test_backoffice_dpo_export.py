"""The case page and the case's full export follow one permission table (issue 17, item 9):
the DPO, who may read and export cases, was refused the page (it also asked for linked cases,
which the DPO may not see) while the export, holding everything, was served."""

from __future__ import annotations

from tests.factories import Office, post_form
from zonal.complaints.domain.staff import Role

WHY = "Data-subject access request 2026/17"


def test_the_dpo_reads_the_case_page_it_may_also_export(office: Office) -> None:
    office.account("dpo", Role.DPO, "5339")
    reference = office.submit()
    dpo = office.login("dpo")
    assert post_form(dpo, "/office/login", f"/office/cases/{reference}/open", why=WHY).is_redirect
    page = dpo.get(f"/office/cases/{reference}")
    assert page.status_code == 200 and reference in page.text
    export = post_form(dpo, "/office/login", f"/office/cases/{reference}/export", why=WHY)
    assert export.status_code == 200 and reference in export.text
