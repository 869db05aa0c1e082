"""Signing in and out."""

import pytest


@pytest.mark.parametrize(("username", "password"), [("gulou", "wrong-password"), ("nobody-here", "Ledger@2024")],
                         ids=["wrong-password", "unknown-user"])
def test_failed_login_shows_chinese_message(browser, username, password):
    browser.open("/login")
    browser.type_into("input[name=username]", username)
    browser.type_into("input[name=password]", password)
    browser.submit("main form[action='/login'] button[type=submit]")

    assert browser.element("#login-error").text.strip() == "用户名或密码错误"
    assert not browser.has("#current-user")
    assert browser.element("input[name=username]").get_attribute("value") == username
    assert browser.element("input[name=password]").get_attribute("value") == ""

    # still signed out: protected pages send the visitor back to the login form
    browser.open("/estates")
    assert browser.path() == "/login"
    assert not browser.has("#current-user")


def test_login_shows_home_then_logout_ends_the_session(browser):
    browser.login("gulou")
    assert browser.element("#current-user").text.strip()
    assert "物业主管部门" in browser.element("header .who").text
    assert browser.element("#estate-count").text.replace(",", "").isdigit()
    browser.open("/estates")
    assert browser.has("#estate-table")

    browser.logout()
    assert browser.path() == "/login"
    assert not browser.has("#current-user")
    assert not any(c["name"] == "ledger_session" and c["value"] for c in browser.driver.get_cookies()), \
        "the session cookie should be cleared"

    for path in ("/estates", "/estates/new", "/import"):
        browser.open(path)
        assert browser.path() == "/login", f"{path} after logout should need a new login, got {browser.driver.current_url}"
        assert not browser.has("#current-user")
    # `/` without a session is the public portal, with the staff login one link away.
    browser.open("/")
    assert browser.path() == "/" and browser.has("#estate-search") and not browser.has("#current-user")
    assert browser.has("a[href='/login']")


def test_logout_invalidates_the_old_session_token(browsers):
    """A copy of the session cookie taken before logout is useless afterwards (the server forgot it)."""
    first = browsers()
    first.login("taijiang")
    cookies = [c for c in first.driver.get_cookies() if c["name"] != "ledger_csrf"]
    assert cookies, "login should set a session cookie"
    first.logout()

    second = browsers()
    second.open("/login")
    for cookie in cookies:
        second.driver.add_cookie({"name": cookie["name"], "value": cookie["value"], "path": "/"})
    second.open("/estates")
    assert second.path() == "/login"
    assert not second.has("#current-user")
