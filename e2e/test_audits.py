"""第三方审计: owners sign a petition on the public page until 20% of the households have signed (the committee hands
out one-time codes; a household signing twice counts once), the county accepts it and assigns an auditor organisation,
the auditor — who sees only its assignment — files a finding that becomes the company's problem, files its report, and
the estate's public page shows the result."""

import re
from urllib.parse import quote

from selenium.webdriver.support.ui import Select


def test_a_petition_qualifies_the_county_assigns_an_auditor_and_the_result_is_public(browsers, tmp_path):
    committee = browsers()
    committee.login("committee")
    committee.open("/audits")
    rows = committee.elements("#audit-table tbody tr")
    assert len(rows) == 1, "the committee sees its own estate's petition only"
    committee.follow(committee.element("#audit-table tbody tr a"))
    audit_path = committee.path()
    audit_id = audit_path.rsplit("/", 1)[-1]
    estate_id = re.search(r"/estates/(\d+)", committee.element("#audit-facts a[href^='/estates/']").get_attribute("href")).group(1)
    assert "还差 2 户" in committee.element("#petition-count").text

    # The committee hands out three one-time codes.
    committee.type_into("#code-count", "3")
    committee.submit("#issue-codes")
    codes = [element.text for element in committee.elements("#code-list code")]
    assert len(codes) == 3 and all(re.fullmatch(r"[A-Z2-9]{8}", code) for code in codes)

    # An owner finds the petition from the estate's public page.
    owner = browsers()
    owner.open(f"/public/estates/{estate_id}")
    owner.follow(owner.element(f"#open-audits a[href='/public/audit-petitions/{audit_id}']"))
    assert owner.element("#needed-count").text == "2"

    # Every missing field is named beside it at once; nothing is counted.
    owner.type_into("#name", "赵六")
    owner.driver.execute_script("document.getElementById('sign-form').noValidate = true")  # the server's own checks
    owner.submit("#sign-petition")
    assert owner.field_error("building") and owner.field_error("room") and owner.field_error("phone")
    assert owner.element("#needed-count").text == "2"

    def sign(name, building, room, phone, code):
        owner.type_into("#name", name)
        owner.type_into("#building", building)
        owner.type_into("#room", room)
        owner.type_into("#phone", phone)
        owner.type_into("#code", code)
        owner.submit("#sign-petition")

    sign("赵六", "18号楼", "1801", "13812345678", codes[0].lower())
    assert "已计入户数" in owner.element("#sign-receipt").text
    assert owner.element("#needed-count").text == "1"
    # The same household again, typed another way: recorded, counted once.
    sign("赵六妻", "18栋", "1801室", "13812345679", codes[1])
    assert "同一户只计一次" in owner.element("#sign-receipt").text
    assert owner.element("#needed-count").text == "1"
    sign("钱七", "19号楼", "1902", "13912345678", codes[2])
    assert owner.element("#petition-status").text == "待县级决定"
    assert owner.has("#petition-closed") and not owner.has("#sign-form")

    # The district decides: every error beside its field, then the audit is assigned.
    county = browsers()
    county.login("gulou")
    county.open(audit_path)
    county.driver.execute_script("document.getElementById('decide-form').noValidate = true")
    county.submit("#decide")
    assert county.field_error("org") and county.field_error("deadline")
    Select(county.element("#org")).select_by_visible_text("福建闽信会计师事务所")
    county.driver.execute_script("document.getElementById('deadline').value = '2099-12-31'")
    county.type_into("#reason", "业主联名已达20%户数，同意委托第三方审计。")
    county.submit("#decide")
    assert county.element("#audit-status").text == "审计中"
    assert "福建闽信会计师事务所" in county.element("#audit-org").text

    # The auditor sees its assignment at /audits and files a finding from the read-only materials.
    auditor = browsers()
    auditor.login("auditor")
    auditor.open("/audits")
    assert auditor.elements(f"#audit-table a[href='/audits/{audit_id}']")
    auditor.open(audit_path)
    assert auditor.has("#materials table.sheet"), "the quarter's disclosure is shown to the auditor"
    auditor.type_into("#finding-line", "经营收入·停车费")
    auditor.type_into("#finding-issue", "停车场实收金额高于公示收入，差额未入账。")
    auditor.type_into("#finding-amount", "2,400.50")
    auditor.submit("#add-finding")
    assert "停车场实收金额高于公示收入" in auditor.element("#finding-table").text
    # Nothing outside the assignment: the estate itself is not the auditor's to see.
    auditor.open(f"/estates/{estate_id}")
    assert "无权查看小区" in auditor.element("main").text

    # The finding is the company's problem.
    company = browsers()
    company.login("company")
    company.open("/problems?q=" + quote("停车场实收金额"))
    assert "审计" in company.element("main").text and company.elements("main table tbody tr")

    # The report (a PDF) and its summary; the public page shows the result.
    report = tmp_path / "审计报告.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    auditor.open(audit_path)
    auditor.type_into("#report-summary-input", "经审计，本季度少计停车费收入2,400.50元，已交物业企业整改。")
    auditor.element("#report-file").send_keys(str(report))
    auditor.submit("#file-report")
    assert "少计停车费收入" in auditor.element("#report-summary").text
    owner.open(f"/public/estates/{estate_id}")
    result = owner.element(f"#audit-result-{audit_id}")
    assert "少计停车费收入2,400.50元" in result.text and "整改中" in result.text
