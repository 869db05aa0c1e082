"""企业信用 from record to public result: the district regulator records 约谈 and 信用扣分 for a company on its credit
page, the company objects to the 约谈, the regulator rules (withdraws it, after a confirmation step), and the public
credit page shows the result without login — the withdrawn 约谈 no longer counted, the 信用扣分 still there."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def set_value(browser, css: str, value: str) -> None:
    """Sets a field's value the way a date picker would (typing into date inputs depends on the browser's locale)."""
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.element(css), value)


def event_row(browser, document: str):
    rows = [row for row in browser.elements("#event-table tbody tr") if document in row.text]
    assert rows, f"no event with document {document} on {browser.path()}"
    return rows[0]


def record(browser, rule: str, document: str, note: str) -> None:
    browser.element("#record-event summary").click()
    browser.wait().until(lambda d: browser.element("#rule").is_displayed())
    Select(browser.element("#rule")).select_by_value(rule)
    # Yesterday in Shanghai: a day the server's today (Asia/Shanghai) has certainly reached, inside the rule's validity.
    yesterday = (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date().isoformat()
    set_value(browser, "#occurredOn", yesterday)
    browser.type_into("#documentNumber", document)
    browser.type_into("#note", note)
    browser.submit("#record-form button[type=submit]")
    assert browser.path().split("#")[0].startswith("/credit/companies/"), browser.element("main").text[:500]
    event_row(browser, document)


def test_record_object_withdraw_and_public_result(browsers, unique):
    # The company's own credit page, as the company user finds it.
    company = browsers()
    company.login("company")
    company.open("/credit")
    company.follow(company.element("#credit-table tbody tr a"))
    company_path = company.path().split("#")[0]
    company_id = company_path.rstrip("/").split("/")[-1]

    # The district regulator records 约谈 and 信用扣分 with their documents.
    regulator = browsers()
    regulator.login("gulou")
    regulator.open(company_path)
    assert regulator.element("#grade").text
    interview, deduction = f"鼓建约〔{unique}〕1号", f"鼓建扣〔{unique}〕2号"
    record(regulator, "C01", interview, "拒不公示公共收益，约谈企业负责人")
    total_with_both = int(regulator.element("#total").text)
    record(regulator, "C03", deduction, "拒不公示公共收益，记信用扣分")
    assert int(regulator.element("#total").text) == total_with_both - 5
    total_after_both = int(regulator.element("#total").text)

    # The company objects to the 约谈.
    company.open(company_path)
    row = event_row(company, interview)
    row.find_element(By.CSS_SELECTOR, "details summary").click()
    textarea = row.find_element(By.CSS_SELECTOR, "textarea[name=reasons]")
    company.wait().until(lambda d: textarea.is_displayed())
    textarea.send_keys(f"约谈通知书送达对象并非本企业（{unique}）")
    company.follow(row.find_element(By.CSS_SELECTOR, "form.objection-form button[type=submit]"))
    requests = [r for r in company.elements("#request-table tbody tr") if unique in r.text]
    assert requests and "待处理" in requests[0].text

    # The regulator rules: withdraw, confirmed on the confirmation page.
    regulator.open(company_path)
    request = [r for r in regulator.elements("#request-table tbody tr") if unique in r.text][0]
    request_id = request.get_attribute("id")
    Select(request.find_element(By.CSS_SELECTOR, "select[name=decision]")).select_by_value("withdraw")
    request.find_element(By.CSS_SELECTOR, "textarea[name=note]").send_keys("经核查异议成立，撤销该记录")
    regulator.follow(request.find_element(By.CSS_SELECTOR, "form.decide-form button[type=submit]"))
    assert "撤销该信用记录" in regulator.element("main").text
    regulator.submit("#confirm-button")
    assert regulator.path().startswith(company_path)
    assert "已撤销原记录" in regulator.element(f"#{request_id}").text
    assert "已撤销" in event_row(regulator, interview).text
    assert int(regulator.element("#total").text) == total_after_both + 5

    # The regulator publishes a 通报曝光 case about the company (Panjin's 典型案件 fields).
    regulator.element("#cases details summary").click()
    regulator.wait().until(lambda d: regulator.element("#case-title").is_displayed())
    regulator.type_into("#case-title", f"拒不公示公共收益典型案件（{unique}）")
    regulator.type_into("#situation", "该企业在管小区连续两个季度未公示公共收益。")
    regulator.type_into("#facts", "经核查，停车费、电梯广告收入未按规定公示。")
    regulator.type_into("#case-basis", "莆田方案二（一）；德化方案附件1第23项")
    regulator.type_into("#outcome", "约谈企业负责人，记信用扣分，责令限期公示。")
    set_value(regulator, "#publishedOn", (datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date().isoformat())
    regulator.submit("#case-form button[type=submit]")
    assert unique in regulator.element("#cases").text, regulator.element("main").text[:500]

    # The public, without login, sees the result — on a phone-sized window, without sideways scrolling.
    public = browsers()
    public.driver.set_window_size(360, 800)
    public.open(f"/public/companies/{company_id}")
    assert public.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), \
        "the public company page must fit a 360 px screen"
    assert "已撤销，不计分" in public.element("#settled-events").text
    assert deduction in public.element("#credit-events").text
    assert interview not in public.element("#credit-events").text
    assert public.element("#credit-grade").text
    assert f"拒不公示公共收益典型案件（{unique}）" in public.element("main").text
    assert not public.has("#current-user")
    public.open("/public/credit")
    assert "红名单" in public.element("#red-list").text and "黑名单" in public.element("#black-list").text
    assert unique in public.element("main").text, "the published case is listed on the public credit page"
    assert public.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
