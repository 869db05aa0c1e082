"""The owners' way in (issue 14), on a phone-sized and a desk-sized window: an owner opens `/`, finds an estate, reads
the latest quarter, asks a question and sees the receipt beside the form, complains about that estate from its page,
and tracks the complaint with a code pasted with spaces. Every public page is checked at 360 px for horizontal
overflow, and screenshots of each at 390 px and 1366 px are saved under e2e/screenshots/ for a reviewer."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORT = "width=device-width, initial-scale=1"
SIZES = {"phone": (390, 844, True), "desk": (1366, 900, False)}
MONEY = re.compile(r"^-?[\d,]+\.\d{2}$")


def set_size(browser, width: int, height: int, mobile: bool) -> None:
    """Emulates the screen exactly (a phone honours the viewport tag; a desk window does not need to)."""
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def screenshot(browser, name: str) -> None:
    """The whole page (not only the visible part) as a PNG under e2e/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    metrics = browser.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = browser.driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 12000), "scale": 1}})
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def overflow(browser) -> tuple[int, int]:
    """(scrollWidth, innerWidth) with every <details> opened, so folded content is measured too."""
    return tuple(browser.driver.execute_script(
        "document.querySelectorAll('details').forEach(d => d.open = true);"
        "return [document.documentElement.scrollWidth, window.innerWidth];"))


def viewport_tag(browser) -> str | None:
    return browser.driver.execute_script(
        "const m = document.querySelector('meta[name=viewport]'); return m ? m.getAttribute('content') : null;")


def estate_with_disclosures(browser) -> tuple[str, str]:
    """From the portal's latest disclosures: (estate id, estate name)."""
    link = browser.element("#latest-list li a")
    return link.get_attribute("href").split("/public/estates/")[1].split("#")[0], link.text.strip()


def in_view(browser, css: str) -> bool:
    return browser.driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight;", css)


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_an_owner_finds_reads_asks_complains_and_tracks(browsers, unique, size):
    width, height, mobile = SIZES[size]
    owner = browsers()
    set_size(owner, width, height, mobile)

    # The portal, not the login form; the staff login stays one link away.
    owner.open("/")
    assert owner.path() == "/" and not owner.has("input[name=password]")
    assert owner.has("a[href='/login']") and owner.has("#link-complain") and owner.has("#link-track")
    estate_id, name = estate_with_disclosures(owner)

    # Search by name (with a stray space), then open the estate.
    owner.type_into("#q", f" {name} ")
    owner.submit("#estate-search button[type=submit]")
    assert owner.path().startswith("/public/estates?")
    owner.element("#estate-results")
    for _ in range(20):  # a common name may be shared by many estates: page on until this one is listed
        if owner.has(f"#estate-results a[href='/public/estates/{estate_id}']") or not owner.has(".pager a[rel=next]"):
            break
        owner.follow(owner.element(".pager a[rel=next]"))
    owner.follow(owner.element(f"#estate-results a[href='/public/estates/{estate_id}']"))
    assert owner.element("#public-estate-name").text.startswith(name)

    # The latest quarter is open with its summary; earlier quarters and how to verify are folded.
    summary = owner.element("#latest-summary")
    assert summary.is_displayed()
    for figure in ("summary-income", "summary-cost", "summary-owners", "summary-balance"):
        assert MONEY.match(owner.element(f"#{figure}").text.strip()), figure
    for folded in owner.elements("#earlier details.quarter"):
        assert folded.get_attribute("open") is None
    assert not owner.element("#verify details").get_attribute("open")

    # A question: the receipt appears beside the form, in view.
    owner.element("#link-ask").click()  # an in-page link: it scrolls to the form
    owner.wait().until(lambda d: d.execute_script("return location.hash") == "#ask")
    owner.type_into("#question-form #item", "停车费收入")
    owner.type_into("#question-form #content", f"车位数量与停车费收入不符，请说明。{unique}")
    owner.submit("#question-form button[type=submit]")
    assert owner.driver.execute_script("return location.hash") == "#ask"
    receipt = owner.element("#ask #ask-receipt")
    assert "存疑已提交" in receipt.text and in_view(owner, "#ask-receipt")

    # Complain about this estate: the form opens with it chosen.
    owner.follow(owner.element("#link-complain"))
    assert owner.path() == f"/public/complaints/new?estate={estate_id}"
    chosen = owner.element(f"input[name=estate][value='{estate_id}']")
    assert chosen.is_selected()
    Select(owner.element("#complaint-category")).select_by_value("revenue_undisclosed")
    owner.type_into("#complaint-content", f"停车费收入与车位数量不符，请核查。编号{unique}")
    owner.submit("#complaint-form > button[type=submit]")
    assert owner.element("#confirm-estate").text.strip() == name
    owner.submit("#confirm-submit")
    code = owner.element("#tracking-code").text.strip()
    assert len(code) == 12

    # Track from the portal with the code pasted with spaces around it, in lower case.
    owner.open("/")
    owner.type_into("#track-code", f"  {code.lower()}  ")
    owner.submit("#portal-track button[type=submit]")
    assert owner.element("#tracking-status").text.startswith("待分派")
    assert not owner.has("#lookup-error")
    assert owner.element("#track-form input[name=code]").get_attribute("value") == code


def public_pages(browser) -> list[tuple[str, str]]:
    """(name, path) of every public page, found from the portal as an owner would."""
    browser.open("/")
    estate_id, name = estate_with_disclosures(browser)
    pages = [("portal", "/"), ("estate-search", f"/public/estates?q={name}"), ("disclosures", "/public/disclosures"),
             ("complaint-form", "/public/complaints/new"), ("complaint-form-estate", f"/public/complaints/new?estate={estate_id}"),
             ("tracking", "/public/complaints/track?code=TS2345678923"), ("credit", "/public/credit"), ("login", "/login")]
    plans = browser.elements("#plan-list a")
    if plans:
        pages.append(("inspection-plan", plans[0].get_attribute("href").replace(browser.base_url, "")))
    browser.open(f"/public/estates/{estate_id}")
    pages.append(("estate", f"/public/estates/{estate_id}"))
    notice = browser.element("#latest a[href*='/notice/']").get_attribute("href").replace(browser.base_url, "")
    pages.append(("notice", notice))
    pages.append(("history", notice.replace("/notice/", "/history/")))
    browser.open("/public/credit")
    companies = browser.elements("a[href^='/public/companies/']")
    if companies:
        pages.append(("company", companies[0].get_attribute("href").replace(browser.base_url, "")))
    return pages


def test_no_public_page_overflows_at_360_px_and_each_is_photographed(browser):
    pages = public_pages(browser)
    assert len(pages) >= 11, pages
    failures = []
    for width, height, mobile, label in ((390, 844, True, "390"), (1366, 900, False, "1366"), (360, 780, True, "360")):
        set_size(browser, width, height, mobile)
        for name, path in pages:
            browser.open(path)
            assert viewport_tag(browser) == VIEWPORT, f"{path} has no viewport tag"
            if label == "360":
                scroll_width, inner_width = overflow(browser)
                assert inner_width == 360, f"{path}: the page is laid out {inner_width} px wide on a 360 px screen"
                if scroll_width > inner_width:
                    failures.append(f"{path}: {scroll_width} px wide")
                if name == "estate":
                    # The amounts are read without scrolling sideways inside the ledger either.
                    clipped = browser.driver.execute_script(
                        "return [...document.querySelectorAll('main table.sheet')].filter(t => t.getClientRects().length)"
                        ".flatMap(t => [t, t.closest('.scroll')]).filter(e => e && e.scrollWidth > e.clientWidth + 1).length")
                    if clipped:
                        failures.append(f"{path}: {clipped} ledger table(s) scroll sideways")
            else:
                screenshot(browser, f"{name}-{label}")
    assert not failures, "pages wider than a 360 px screen:\n" + "\n".join(failures)


def test_the_complaint_form_is_one_column_with_labels_above_the_fields(browser):
    for width, height, mobile in ((390, 844, True), (1366, 900, False)):
        set_size(browser, width, height, mobile)
        browser.open("/public/complaints/new")
        content = browser.element("#complaint-content")
        assert content.tag_name == "textarea" and content.size["height"] >= 120
        label = browser.element("label[for=complaint-content]")
        assert label.location["y"] + label.size["height"] <= content.location["y"], "the label sits above its field"
        assert abs(label.location["x"] - content.location["x"]) < 2, "label and field start at the same column"
        submit = browser.element("#complaint-form > button[type=submit]")
        assert submit.location["y"] > content.location["y"] and submit.location["x"] + submit.size["width"] <= width
        category = browser.element("#complaint-category")
        assert category.location["y"] < content.location["y"] and abs(category.location["x"] - content.location["x"]) < 2
