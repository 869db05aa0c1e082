"""The staff home is the to-do list (issue 14 item 6): a company clerk signs in on a phone-sized and a desk-sized window,
sees the to-do list with its counts, every item's link opens the page it names, the inbox shows the clerk's own
notifications and marks one read; nothing overflows horizontally at 390 px. Screenshots go to e2e/screenshots/.

The server's clock may already have been moved by another test, so the counts are checked for shape (positive whole
numbers, the same as the page they link to has rows), not for fixed values."""

from __future__ import annotations

import json

import pytest

from conftest import call_test_hook
from test_portal import SIZES, overflow, screenshot, set_size


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_a_company_clerk_sees_the_to_do_list(browsers, size):
    width, height, mobile = SIZES[size]
    clerk = browsers()
    set_size(clerk, width, height, mobile)
    clerk.login("company")

    # The home page after login is the to-do list, with counts and links.
    assert clerk.path() == "/"
    clerk.element("#todo-heading")
    items = clerk.elements("#todo-list .todo-item")
    assert items, "the demo company should have something to do"
    links = []
    for item in items:
        count = item.find_element("css selector", ".todo-count").text.strip()
        assert count.isdigit() and int(count) > 0, f"count {count!r} in {item.text!r}"
        label = item.find_element("css selector", ".todo-label").text.strip()
        assert label, item.text
        links.append((label, item.find_element("css selector", "a").get_attribute("href")))
    assert any(label.startswith("预警待说明") or label.startswith("问题待整改") for label, _ in links), links
    scroll_width, inner_width = overflow(clerk)
    assert scroll_width <= inner_width, f"home overflows at {width}px: {scroll_width} > {inner_width}"
    screenshot(clerk, f"todo-home-{size}")

    # Every link opens its page (not an error page).
    for label, href in links:
        clerk.driver.get(href)
        clerk.wait_loaded()
        assert clerk.has("#current-user"), f"{label}: {href} lost the session"
        heading = clerk.element("h1").text
        assert "出错" not in heading and "不存在" not in heading and "无权" not in heading, f"{label}: {href} → {heading}"
        scroll_width, inner_width = overflow(clerk)
        assert scroll_width <= inner_width, f"{href} overflows at {width}px"

    _check_inbox(clerk, width, size)


def _check_inbox(clerk, width: int, size: str) -> None:
    # The inbox: the clerk's own notifications, unread first; marking one read leaves one fewer unread.
    clerk.open("/")
    clerk.follow(clerk.element("#notifications-link"))
    assert clerk.path() == "/notifications"
    clerk.element("h1")
    if clerk.has("#unread-count"):
        before = int(clerk.element("#unread-count").text)
        clerk.submit("#inbox li.unread-item form.mark-read button[type=submit]")
        assert clerk.path() == "/notifications"
        clerk.open("/notifications")
        after = int(clerk.element("#unread-count").text) if clerk.has("#unread-count") else 0
        assert after == before - 1
    else:
        assert clerk.has("#inbox") or clerk.has("#inbox-empty")
    scroll_width, inner_width = overflow(clerk)
    assert scroll_width <= inner_width, f"the inbox overflows at {width}px: {scroll_width} > {inner_width}"
    screenshot(clerk, f"todo-inbox-{size}-{clerk.element('#current-user').text.strip()[:8]}")


def test_a_district_officer_sees_the_to_do_list_on_a_phone(browsers):
    """鼓楼区住建局: complaints due, new warnings, rectifications to verify, campaign reports — each link opens its list."""
    width, height, mobile = SIZES["phone"]
    officer = browsers()
    set_size(officer, width, height, mobile)
    officer.login("gulou")
    officer.element("#todo-heading")
    items = officer.elements("#todo-list .todo-item")
    assert items, "the demo district should have something to do"
    links = [item.find_element("css selector", "a").get_attribute("href") for item in items]
    for item in items:
        assert item.find_element("css selector", ".todo-count").text.strip().isdigit()
    scroll_width, inner_width = overflow(officer)
    assert scroll_width <= inner_width, f"home overflows at {width}px: {scroll_width} > {inner_width}"
    screenshot(officer, "todo-home-officer-phone")
    for href in links:
        officer.driver.get(href)
        officer.wait_loaded()
        heading = officer.element("h1").text
        assert officer.has("#current-user") and "出错" not in heading and "无权" not in heading, f"{href} → {heading}"
    _check_inbox(officer, width, "phone")


def test_the_outbox_goes_to_the_file_in_the_data_directory(ledger_server, base_url):
    """`serve` drains the outbox on every pass of its job loop into the default FileNotifier: JSON lines in
    outbox.jsonl beside the files directory (here, the server's working directory)."""
    outcome = call_test_hook(base_url, "/api/test/jobs")
    assert outcome.get("outbox", "").startswith("ran"), outcome
    lines = (ledger_server.workdir / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines, "the demo's notifications should have been delivered"
    messages = [json.loads(line) for line in lines]
    assert all(m["recipient"] and m["link"].startswith("/") and m["kind"] for m in messages)
    assert any(m["recipient"] == "company" for m in messages)
