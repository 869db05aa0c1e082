"""A company files a quarter's disclosure with a mistake, fixes it, publishes; the public sees it and the notice's QR opens it."""

import subprocess
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By

ZBARIMG = "/usr/bin/zbarimg"


def set_value(browser, name: str, value: str) -> None:
    browser.type_into(f"#filing-form [name='{name}']", value)


def click(browser, css: str) -> None:
    """Clicks a button that submits its form and waits for the page that answers."""
    browser.follow(browser.element(css))


def test_file_fix_publish_and_read_publicly(browsers):
    company = browsers()
    company.login("company")
    # 2024 Q3 lies before the demo's eight quarters: nothing is filed there yet.
    company.open("/filings?quarter=2024Q3&state=missing")
    links = [a.get_attribute("href") for a in company.elements("#filing-table a.button")]
    assert links, "the company should have a quarter left to file"
    company.driver.get(links[0])
    company.wait_loaded()
    estate_path = links[0].split("/disclosures/")[0].replace(company.url(""), "/")
    estate_id = estate_path.rstrip("/").split("/")[-1]

    set_value(company, "income.0.description", "地面临时停车费")
    set_value(company, "income.0.amount", "18600.00")
    set_value(company, "costs.0.description", "停车管理员工资")
    set_value(company, "costs.0.amount", "6000")
    set_value(company, "ownersShare", "9000.00")  # the mistake: 18600 − 6000 = 12600, not 9000 + 3780
    set_value(company, "companyShare", "3780.00")
    set_value(company, "openingBalance", "50210.35")
    set_value(company, "contactName", "王经理")
    set_value(company, "contactPhone", "0591-87654321")
    click(company, "#publish")

    error = company.element("[name='ownersShare'] + .field-error").text
    assert "结余分配不平衡" in error and "12600.00" in error
    assert company.element("[name='income.0.amount']").get_attribute("value") == "18600.00", "typed values are kept"
    assert company.element("#surplus").text == "12,600.00"

    set_value(company, "ownersShare", "8820.00")
    click(company, "#publish")
    # Nothing is public yet: the confirmation page shows what will be.
    assert "/confirm" in company.path(), "publishing goes through the confirmation page"
    assert "18,600.00" in company.element("#confirm-preview").text and not company.has("#correction-summary")
    click(company, "#confirm-publish")
    assert "第1版已发布公示" in company.element("#filing-notice").text

    # An anonymous visitor reads it, with its leaf hash, and prints the notice.
    public = browsers()
    public.open(f"/public/estates/{estate_id}")
    # An earlier quarter is folded (<details>), and its leaf hash sits folded under 如何核验: read the text, not what shows.
    section = public.element("#q-2024-3")
    text = section.get_attribute("textContent")
    assert "18,600.00" in text and "8,820.00" in text
    assert len(section.find_element(By.CSS_SELECTOR, "code.leaf-hash").get_attribute("textContent").strip()) == 64
    public.open(f"/public/estates/{estate_id}/notice/2024/3")
    assert "2024年第3季度" in public.element(".period").text
    with tempfile.TemporaryDirectory() as folder:
        image = Path(folder) / "qr.png"
        public.element("#notice-qr svg").screenshot(str(image))
        decoded = subprocess.run([ZBARIMG, "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True).stdout.strip()
    assert decoded == public.url(f"/public/estates/{estate_id}")


def test_a_correction_is_confirmed_line_by_line_and_the_notice_says_so(browsers):
    company = browsers()
    company.login("company")
    company.open("/filings?quarter=2024Q3&state=missing")
    links = [a.get_attribute("href") for a in company.elements("#filing-table a.button")]
    assert len(links) >= 2, "the company should have a second quarter left to file"
    company.driver.get(links[1])
    company.wait_loaded()
    estate_id = links[1].split("/disclosures/")[0].rstrip("/").split("/")[-1]
    for name, value in [("income.0.description", "地面临时停车费"), ("income.0.amount", "1000.00"), ("ownersShare", "700.00"),
                        ("companyShare", "300.00"), ("openingBalance", "100.00"), ("contactName", "王经理"), ("contactPhone", "0591-87654321")]:
        set_value(company, name, value)
    click(company, "#publish")
    click(company, "#confirm-publish")
    assert "第1版已发布公示" in company.element("#filing-notice").text

    # The correction: a reason is required and every error comes at once; then the difference is shown before publishing.
    company.open(f"/estates/{estate_id}/disclosures/2024/3")
    set_value(company, "income.0.amount", "1200.00")
    set_value(company, "ownersShare", "840.00")
    set_value(company, "companyShare", "360.00")
    click(company, "#publish")
    assert company.element("[name='reason'] + .field-error").text
    set_value(company, "reason", "停车费漏记一笔200元")
    click(company, "#publish")
    assert company.element("#confirm-title").text.startswith("确认发布更正（第2版）")
    changes = company.element("#confirm-changes").text
    assert "1,000.00" in changes and "1,200.00" in changes
    assert company.element("#confirm-reason").text == "停车费漏记一笔200元"
    click(company, "#confirm-publish")
    assert "第2版已发布公示（更正）" in company.element("#filing-notice").text

    public = browsers()
    public.open(f"/public/estates/{estate_id}/notice/2024/3")
    assert "更正" in public.element("#notice-correction").text
    assert "停车费漏记一笔200元" in public.element("#notice-correction-note").text
    public.open(f"/public/estates/{estate_id}")
    assert "更正（第2版）" in public.element("#q-2024-3").text
