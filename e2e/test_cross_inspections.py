"""Cross inspections on a phone-sized window: a district official opens a round its district takes part in, sees the
pairing with the hash anyone can recompute, a group's filed report and the printable document in the 公文 layout."""
import re

from selenium.webdriver.common.by import By


def test_cross_inspection_round_report_and_printable_document(browser):
    size = browser.driver.get_window_size()
    browser.driver.set_window_size(360, 800)
    try:
        browser.login("gulou")
        browser.open("/inspections/cross")
        rounds = browser.elements("#round-table tbody tr td a")
        assert len(rounds) >= 1
        # The earliest round of the year has ended: every group has filed its report.
        browser.follow(rounds[-1])
        assert "交叉检查" in browser.element("h1").text
        assert re.fullmatch(r"[0-9a-f]{64}", browser.element("#participants-hash").text)
        assert browser.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling at 360 px"
        groups = browser.elements("#group-table tbody tr")
        assert len(groups) == 13, "each of the 13 districts inspects one other"
        filed = [row for row in groups if "打印报告" in row.text]
        assert filed
        browser.follow(filed[0].find_element(By.CSS_SELECTOR, "td a"))
        assert browser.has("#report-facts") and len(browser.elements("#checked-estates li")) >= 1
        browser.follow(browser.element("#print-report"))
        assert browser.element("h1").text.endswith("交叉检查情况的报告")
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", browser.element("#issued-on").text)
    finally:
        browser.driver.set_window_size(size["width"], size["height"])
