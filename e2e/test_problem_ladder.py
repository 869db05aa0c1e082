"""One overdue problem up the ladder of docs/policy.md §9: 提醒函 at the deadline, 督办函 after 7 days, 约谈 after 14.

The clock is moved with the server's test hook (`serve --test-hooks`), never by waiting. The moved clock stays moved
for the rest of the session, so this file runs last (pytest takes files in name order) and moves it by 15 days only.
"""

from datetime import datetime, timedelta, timezone

from selenium.webdriver.support.ui import Select

from conftest import call_test_hook


def shanghai_today() -> str:
    return (datetime.now(timezone.utc) + timedelta(hours=8)).strftime("%Y-%m-%d")


def test_overdue_problem_climbs_the_ladder(browser, base_url, unique):
    browser.login("gulou")
    browser.open("/estates")
    estate_id = browser.element("#estate-table tbody tr td a").get_attribute("href").rstrip("/").split("/")[-1]
    browser.open("/problems/new")
    browser.type_into("input[name=estate]", estate_id)
    Select(browser.element("select[name=category]")).select_by_value("revenue_not_transferred")
    browser.type_into("textarea[name=description]", f"业主分成未按期转存专户（{unique}）")
    browser.driver.execute_script("document.querySelector('input[name=deadline]').value = arguments[0]", shanghai_today())
    browser.submit("main form.form button[type=submit]")
    problem = browser.path()
    assert problem.startswith("/problems/") and browser.element("#escalation-level").text.strip() == "未督办"

    expected = [(1, "整改提醒函", "已发提醒函"), (7, "督办函", "已发督办函"), (7, "约谈通知书", "已约谈")]
    for days, letter, level in expected:
        call_test_hook(base_url, f"/api/test/clock?days={days}")
        outcome = call_test_hook(base_url, "/api/test/jobs")
        assert "ran" in outcome.get("escalation", ""), outcome
        browser.login("gulou")  # the session has expired with the moved clock
        browser.open(problem)
        assert browser.element("#escalation-level").text.strip() == level
        assert letter in browser.element("#letters").text
    # Each letter is a printable page with the facts filled in.
    browser.open(problem + "/letters/interview")
    text = browser.element("article.letter").text
    assert "约谈通知书" in text and f"业主分成未按期转存专户（{unique}）" in text and "已逾期 15 天" in text
