"""Account administration and two-factor sign-in (TOTP, RFC 6238), as an official meets them."""

import base64
import hashlib
import hmac
import struct
import time

from selenium.webdriver.support.ui import Select


def totp(manual_key: str, steps_ahead: int = 0) -> str:
    """The six-digit code an authenticator app shows for the key typed by hand (Base32 in groups of four)."""
    key = manual_key.replace(" ", "").upper()
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    counter = int(time.time() // 30) + steps_ahead
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def sign_in(browser, username: str, password: str, code: str = "") -> None:
    browser.open("/login")
    browser.type_into("input[name=username]", username)
    browser.type_into("input[name=password]", password)
    browser.type_into("input[name=totp]", code)
    browser.submit("main form[action='/login'] button[type=submit]")


def test_regulator_creates_an_official_who_enrols_in_totp_and_signs_in_with_a_code(browsers, unique):
    regulator, official = browsers(), browsers()
    username = f"totp.{unique}"
    password = f"Street-{unique}-Pass"

    # The district regulator creates a street officer's account; field errors come back all at once.
    regulator.login("gulou")
    regulator.open("/accounts/new")
    regulator.fill("username", username)
    regulator.fill("password", "12345678")
    regulator.submit("#account-form button[type=submit]")
    errors = " ".join(e.text for e in regulator.elements(".field-error"))
    assert "请填写姓名" in errors and "密码至少10位" in errors and "请选择角色" in errors
    regulator.fill("username", username)
    regulator.fill("displayName", "两步验证测试干事")
    regulator.fill("password", password)
    Select(regulator.element("#role")).select_by_value("street")
    region = Select(regulator.element("#region"))
    region.select_by_value(next(o.get_attribute("value") for o in region.options if "鼓东街道" in o.text))
    regulator.submit("#account-form button[type=submit]")
    assert "账号已创建" in regulator.element("p.notice").text
    assert regulator.element("#account-status").text.strip() == "正常"

    # The officer signs in, opens 我的账号 and binds an authenticator app by its key.
    sign_in(official, username, password)
    assert official.path() == "/"
    official.follow(official.element("#current-user"))
    official.submit("#totp-begin")
    assert official.has("#totp-qr svg")
    key = official.element("#totp-key").text.strip()
    official.type_into("#totp-enrol input[name=code]", "000000" if totp(key) != "000000" else "111111")
    official.submit("#totp-enrol button[type=submit]")
    assert "动态码不正确" in official.element("#totp-error").text
    official.type_into("#totp-enrol input[name=code]", totp(key))
    official.submit("#totp-enrol button[type=submit]")
    codes = [li.text.strip() for li in official.elements("#recovery-codes li")]
    assert len(codes) == 10 and all(len(code) == 11 and code[5] == "-" for code in codes)
    official.submit("#recovery-codes button[type=submit]")
    assert official.has("#totp-enabled") and not official.has("#recovery-codes")
    official.logout()

    # The password alone no longer opens the account; the password and the app's next code do.
    sign_in(official, username, password)
    assert "动态码" in official.element("#login-error").text
    assert official.path() == "/login"
    sign_in(official, username, password, totp(key, steps_ahead=1))
    assert official.path() == "/", official.element("#login-error").text if official.has("#login-error") else ""
    assert official.element("#current-user").text.strip() == "两步验证测试干事"

    # The regulator sees it enabled and the open session, and can end that session.
    regulator.open("/accounts?q=" + username)
    regulator.follow(regulator.element("#account-table a"))
    assert "已启用" in regulator.element("dl.facts").text
    assert len(regulator.elements("#session-table tbody tr")) == 1
    regulator.submit("#session-table button[type=submit]")
    assert "会话已结束" in regulator.element("p.notice").text
    official.open("/estates")
    assert official.path() == "/login"
