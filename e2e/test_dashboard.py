"""The dashboard drills down region → sub-region → estate on the same page, with its charts; the 情况汇总表 and the
campaign task list open from the navigation."""


def test_dashboard_drills_down_to_estates(browser):
    browser.login("fuzhou")
    browser.open("/dashboard")
    assert browser.element("h1").text.startswith("数据看板 · 福州市")
    assert len(browser.elements("svg.chart")) == 3
    assert browser.element("#kpis").text.count("目标") >= 6
    # City → district → street → community → estates: each step is the same page one level down.
    levels = []
    while not browser.has("#units thead th:first-child") or browser.element("#units thead th:first-child").text != "小区":
        link = browser.element("#units tbody tr td a")
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


def test_summary_report_and_campaign_tasks(browser):
    browser.login("gulou")
    browser.open("/reports/summary")
    assert "情况汇总表" in browser.element("h1").text
    assert browser.element("table.summary thead th").text == "辖区"
    browser.open("/campaigns")
    browser.follow(browser.element("#campaign-table a"))
    assert "点题整治" in browser.element("h1").text
    assert len(browser.elements("#task-table tbody tr")) == 30
