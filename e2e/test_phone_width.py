"""Officials open the system on their phones too: at 390 px no page in a role's menu scrolls sideways. A list wider
than the screen scrolls inside itself, and the dashboard's charts stack one per row."""

import pytest

PHONE_WIDTH = 390


def menu_paths(browser) -> list[str]:
    """Every page the main menu links to (its groups included), in menu order."""
    paths = []
    for link in browser.elements("nav[aria-label='主导航'] a[href^='/']"):
        path = link.get_attribute("href")[len(browser.base_url):]
        if path not in paths:
            paths.append(path)
    return paths


@pytest.mark.parametrize("username, must_include", [
    ("gulou", ["/dashboard", "/complaints", "/estates", "/problems", "/companies", "/settings"]),
    ("company", ["/estates", "/problems", "/companies", "/credit"]),
])
def test_no_menu_page_scrolls_sideways_on_a_phone(browser, username, must_include):
    browser.login(username)
    paths = menu_paths(browser)
    missing = [path for path in must_include if path not in paths]
    assert not missing, f"{username}'s menu lacks {missing}: {paths}"
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE_WIDTH, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    wide = {}
    for path in paths:
        browser.open(path)
        width = browser.driver.execute_script("return document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            wide[path] = width
    assert not wide, f"pages wider than {PHONE_WIDTH} px for {username}: {wide}"
    # The dashboard's charts fit the screen one under the other.
    if "/dashboard" in paths:
        browser.open("/dashboard")
        rights = browser.driver.execute_script(
            "return [...document.querySelectorAll('.charts figure')].map(f => f.getBoundingClientRect().right)")
        assert rights and max(rights) <= PHONE_WIDTH, rights
