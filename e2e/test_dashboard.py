"""The dashboard drills down region → sub-region → estate on the same page, with its charts; the 情况汇总表 and the
campaign task list open from the navigation."""

from selenium.webdriver.common.by import By


def first_populated_unit(browser):
    """The first row of the units table (in rank order) whose region has estates; its link."""
    for row in browser.elements("#units tbody tr"):
        cells = row.find_elements(By.CSS_SELECTOR, "td")
        offset = 1 if "rank" in (cells[0].get_attribute("class") or "") else 0
        if int(cells[offset + 1].text) > 0:
            return row.find_element(By.CSS_SELECTOR, "td a")
    raise AssertionError("no sub-region with estates")


def test_dashboard_drills_down_to_estates(browser):
    browser.login("fuzhou")
    browser.open("/dashboard")
    assert browser.element("h1").text.startswith("数据看板 · 福州市")
    assert len(browser.elements("svg.chart")) == 3
    assert browser.element("#kpis").text.count("目标") >= 6
    # City → district → street → community → estates: each step is the same page one level down.
    levels = []
    while not browser.has("#units thead th:first-child") or browser.element("#units thead th:first-child").text != "小区":
        link = first_populated_unit(browser)
        levels.append(link.text)
        browser.follow(link)
        assert browser.element("h1").text.startswith(f"数据看板 · {levels[-1]}")
        assert len(levels) <= 3, levels
    assert len(levels) == 3, levels  # district, street, community
    estate = browser.element("#units tbody tr td a")
    assert estate.get_attribute("href").split("/")[-2] == "estates"
    # The breadcrumb leads back up.
    crumbs = browser.element("#crumbs").text
    assert "福州市" in crumbs and levels[0] in crumbs
    # The ranking is in rank order and says how it is made.
    browser.open("/dashboard")
    ranks = [cell.text for cell in browser.elements("#units tbody td.rank")]
    ranked = [int(r[1:-1]) for r in ranks if r.startswith("第")]
    assert ranked == sorted(ranked) and ranks[:len(ranked)] == [f"第{n}名" for n in ranked], ranks
    assert "排名方法" in browser.element("#ranking-method").text


def test_summary_report_and_campaign_tasks(browser):
    browser.login("gulou")
    browser.open("/reports/summary")
    assert "情况汇总表" in browser.element("h1").text
    assert browser.element("table.summary thead th").text == "辖区"
    browser.open("/campaigns")
    browser.follow(browser.element("#campaign-table a"))
    assert "点题整治" in browser.element("h1").text
    assert len(browser.elements("#task-table tbody tr")) == 30
