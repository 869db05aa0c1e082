"""Forms show each error beside its field, keep what was typed, and save once corrected."""

import re
import secrets
from urllib.parse import quote

from selenium.webdriver.support.ui import Select

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_with_check(body: str) -> str:
    """Completes a 17-character 统一社会信用代码 body with its GB 32100-2015 check character."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def choose_first(browser, select_id: str) -> str:
    select = Select(browser.element(f"#{select_id}"))
    values = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
    assert values, f"#{select_id} offers no choices"
    select.select_by_value(values[0])
    return values[0]


def test_estate_form_shows_errors_beside_fields_then_saves(browser, unique):
    browser.login("gulou")
    browser.open("/estates/new")
    name = f"测试花园{unique}"
    browser.fill("name", name)
    browser.fill("address", f"五四路{unique}号")
    browser.fill("households", "abc")
    browser.fill("floorArea", "")
    browser.fill("ownersShare", "150")
    browser.submit()

    # the same form again, each message beside its own field
    assert browser.path() == "/estates", "an invalid form should be shown again, not redirect"
    assert browser.element("h1").text.strip() == "登记小区"
    assert browser.field_error("households") == "户数必须是整数"
    assert browser.field_error("floorArea") == "请填写建筑面积（平方米）"
    assert browser.field_error("ownersShare") == "业主分成比例应在0%至100%之间"
    assert browser.field_error("community") == "请填写所属社区"
    assert browser.field_error("name") is None and browser.field_error("address") is None
    assert browser.element("#households").get_attribute("aria-invalid") == "true"
    # what was typed is kept
    assert browser.element("#name").get_attribute("value") == name
    assert browser.element("#households").get_attribute("value") == "abc"
    assert browser.element("#ownersShare").get_attribute("value") == "150"
    # nothing was saved
    browser.open(f"/estates?q={quote(name)}")
    assert browser.has("#empty-state")

    # correct it and save
    browser.open("/estates/new")
    browser.fill("name", name)
    browser.fill("address", f"五四路{unique}号")
    community = choose_first(browser, "community")
    browser.fill("households", "320")
    browser.fill("floorArea", "28000")
    browser.fill("ownersShare", "70")
    browser.submit()

    assert re.fullmatch(r"/estates/\d+", browser.path()), f"expected the new estate's page, got {browser.path()}"
    assert browser.element("#estate-name").text.strip() == name
    facts = browser.element("dl.facts").text
    assert community in facts and "320" in facts and "28000" in facts.replace(",", "") and "70%" in facts

    browser.open(f"/estates?q={quote(name)}")
    rows = browser.elements("#estate-table tbody tr")
    assert len(rows) == 1 and name in rows[0].text


def test_estate_form_keeps_input_after_fixing_in_place(browser, unique):
    """Correcting the re-rendered form (not a fresh one) saves the estate."""
    browser.login("gulou")
    browser.open("/estates/new")
    name = f"原地修正{unique}"
    browser.fill("name", name)
    browser.fill("address", "湖东路1号")
    choose_first(browser, "community")
    browser.fill("households", "１２０")  # full-width digits, as Chinese input methods type them
    browser.fill("floorArea", "-5")
    browser.fill("ownersShare", "70.5")
    browser.submit()
    assert browser.field_error("floorArea") == "建筑面积（平方米）应在1至50000000之间"
    assert browser.field_error("households") is None
    assert browser.field_error("community") is None, "the chosen community should stay selected"

    browser.fill("floorArea", "9000")
    browser.submit()
    assert browser.element("#estate-name").text.strip() == name
    assert "70.5%" in browser.element("dl.facts").text


def test_company_form_rejects_bad_uscc_check_character(browser, unique):
    browser.login("gulou")
    browser.open("/companies/new")
    name = f"测试物业服务有限公司{unique}"
    browser.fill("name", name)
    browser.fill("uscc", "91350100M000100Y44")
    choose_first(browser, "region")
    browser.fill("contactName", "王经理")
    browser.fill("contactPhone", "0591-87654321")
    browser.submit()

    message = browser.field_error("uscc")
    assert message is not None, "expected an error beside 统一社会信用代码"
    assert "统一社会信用代码" in message and "校验位" in message and "第18位应为“3”" in message
    assert browser.element("#uscc").get_attribute("value") == "91350100M000100Y44"
    assert browser.element("#name").get_attribute("value") == name
    browser.open(f"/companies?q={quote(name)}")
    assert browser.has("#empty-state")

    # a valid code of the same shape is accepted
    body = "913501" + "".join(secrets.choice("0123456789") for _ in range(11))
    browser.open("/companies/new")
    browser.fill("name", name)
    browser.fill("uscc", uscc_with_check(body))
    choose_first(browser, "region")
    browser.submit()
    assert re.fullmatch(r"/companies/\d+", browser.path()), f"expected the new company's page, got {browser.path()}"
    assert browser.element("#company-name").text.strip() == name
