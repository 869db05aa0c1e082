"""One anonymous complaint from filing to assignment, reply, closure as fixed with a reply, the complainant's 不满意
reopening it and final closure: the complainant on the public pages without logging in, the district regulator on the
staff pages. And on a phone-sized (390×844) and a desk-sized (1366×900) window: a 12345 complaint closed with a reply,
which the owner rates on the tracking page (docs/design.md §28)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

SIZES = {"phone": (390, 844, True), "desk": (1366, 900, False)}


def first_estate(browser) -> tuple[str, str]:
    """The first estate of the regulator's list: (id, name)."""
    link = browser.element("#estate-table tbody tr td a")
    return link.get_attribute("href").rstrip("/").split("/")[-1], link.text.strip()


def act(browser, action: str, note: str, reply: str | None = None, **selects: str) -> None:
    """Fills one handling form on the complaint page and submits it (closing also needs the reply to the complainant)."""
    form = f"#action-{action}"
    for name, value in selects.items():
        Select(browser.element(f"{form} select[name={name}]")).select_by_value(value)
    browser.type_into(f"{form} textarea[name=note]", note)
    if reply is not None:
        browser.type_into(f"{form} textarea[name=reply]", reply)
    browser.submit(f"{form} button[type=submit]")
    assert not browser.has("main .field-error"), browser.element("main .field-error").text


def test_anonymous_complaint_filed_handled_reopened_and_closed(browsers, unique):
    officer, public = browsers(), browsers()
    officer.login("gulou")
    officer.open("/estates")
    estate_id, estate_name = first_estate(officer)

    # The complainant finds the estate, describes the problem, sees possible duplicates, confirms and gets a code.
    public.open("/public/complaints/new")
    public.type_into("input[name=q]", estate_name)
    public.submit("button[name=search]")
    public.element(f"input[name=estate][value='{estate_id}']").click()
    Select(public.element("select[name=category]")).select_by_value("revenue_undisclosed")
    content = f"停车费收入一直没有公示，请核查。编号{unique}"
    public.type_into("textarea[name=content]", content)
    public.submit("#complaint-form > button[type=submit]")
    assert public.element("#confirm-estate").text.strip() == estate_name
    assert public.has("#similar") or public.has("#no-similar")
    public.submit("#confirm-submit")
    code = public.element("#tracking-code").text.strip()
    assert len(code) == 12 and public.element("#tracking-status").text.startswith("待分派")

    # The regulator finds it, assigns it to the street, replies and closes it as fixed.
    officer.open(f"/complaints?q={code}")
    officer.follow(officer.element("#complaint-table tbody a"))
    assert officer.element("#complainant-name").text.strip() == "匿名"
    act(officer, "assign", "请街道核查")
    assert officer.element("#complaint-status").text.strip() == "办理中"
    act(officer, "reply", "已责令物业公司在小区公示栏补充公示停车费收支")
    act(officer, "close", "物业公司已补充公示，现场核查属实", reply="物业公司已在小区公示栏补充公示停车费收支，请您监督", outcome="fixed")
    assert officer.element("#complaint-status").text.strip() == "已办结"

    # The complainant sees the replies and the closure, rates it 不满意, and so it is handled again.
    public.open(f"/public/complaints/track?code={code}")
    steps = public.element("#tracking-steps").text
    assert "补充公示停车费收支" in steps and "分派至" in steps
    # The handling unit and deadline are public; the officer's instruction and login are not.
    assert "请街道核查" not in steps and "gulou" not in steps
    assert public.element("#tracking-status").text.startswith("已办结（已解决）")
    assert public.element("#tracking-reply").text.strip() == "物业公司已在小区公示栏补充公示停车费收支，请您监督"
    public.element("#rating-dissatisfied").click()
    public.type_into("#rate-form textarea[name=comment]", "公示内容缺少电梯广告收入")
    public.submit("#rate-submit")
    assert "重新办理" in public.element(".notice").text
    assert public.element("#tracking-status").text.startswith("办理中")
    assert not public.has("#rate-form")

    # The regulator closes it again; the complainant sees the final closure.
    officer.open(officer.path())
    assert "投诉人不满意，重新办理" in officer.element("#complaint-events").text
    act(officer, "close", "已补充电梯广告收入并重新公示", reply="已责令补充电梯广告收入并重新公示", outcome="fixed")
    public.open(f"/public/complaints/track?code={code}")
    assert public.element("#tracking-status").text.startswith("已办结（已解决）")
    assert "已补充电梯广告收入" in public.element("#tracking-steps").text
    assert public.element("#tracking-reply").text.strip() == "已责令补充电梯广告收入并重新公示"
    assert public.has("#rate-form"), "the new closure may be rated afresh"
    # Nothing personal on the public page, and an unknown code says only that it does not exist.
    public.open("/public/complaints/track?code=TS2345678923")
    assert public.element("#lookup-error").text.strip() == "查询码不存在，请核对后重新输入"


def set_size(browser, width: int, height: int, mobile: bool) -> None:
    """Emulates the screen exactly (as test_portal.py does)."""
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def overflow(browser) -> tuple[int, int]:
    return tuple(browser.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];"))


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_an_owner_rates_the_outcome_after_closure(browsers, unique, size):
    officer, owner = browsers(), browsers()
    officer.login("gulou")
    officer.open("/estates")
    estate_id, _ = first_estate(officer)

    # The owner rang 12345; the district registers the hotline's work order and is told the tracking code.
    officer.open("/complaints/new")
    Select(officer.element("select[name=source]")).select_by_value("hotline")
    officer.type_into("input[name=sourceRef]", f"12345-{unique}")
    officer.type_into("input[name=estate]", estate_id)
    Select(officer.element("select[name=category]")).select_by_value("revenue_undisclosed")
    officer.type_into("textarea[name=content]", f"电梯广告收入从未公示，请核查。编号{unique}")
    officer.submit("main form[action='/complaints/new'] button[type=submit]")
    code = officer.element("h1").text.split()[1]
    assert len(code) == 12
    act(officer, "assign", "请街道核查")

    # Closing without a reply to the complainant is refused, every error beside its field, and nothing changes.
    officer.driver.execute_script("document.getElementById('action-close').noValidate = true")
    officer.submit("#action-close button[type=submit]")
    assert "办结前须填写给投诉人的答复" in officer.element("#close-reply-error").text
    assert officer.has("#close-outcome-error")
    assert officer.element("#complaint-status").text.strip() == "办理中"
    act(officer, "close", "已责令补充公示电梯广告收入", reply=f"经核查，物业公司已补充公示电梯广告收入（{unique}），请您监督。",
        outcome="fixed")
    assert officer.element("#complaint-status").text.strip() == "已办结"

    # The owner, on a phone or at a desk, reads the reply and rates the outcome.
    width, height, mobile = SIZES[size]
    set_size(owner, width, height, mobile)
    owner.open(f"/public/complaints/track?code={code}")
    assert unique in owner.element("#tracking-reply").text
    assert owner.has("#rate-form") and "提交评价" in owner.element("#rate-submit").text
    scroll, inner = overflow(owner)
    assert scroll <= inner, f"tracking page overflows at {width} px: {scroll} > {inner}"
    # No choice made (the browser's own check switched off): the server's error beside the choices, the comment kept.
    owner.type_into("#rating-comment", "处理及时")
    owner.driver.execute_script("document.getElementById('rate-form').noValidate = true")
    owner.submit("#rate-submit")
    assert "请选择评价" in owner.element("#rating-field-error").text
    assert owner.element("#rating-comment").get_attribute("value") == "处理及时"
    owner.element("#rating-satisfied").click()
    owner.submit("#rate-submit")
    assert "感谢您的评价" in owner.element(".notice").text
    assert owner.element("#tracking-rating").text.startswith("满意")
    assert "处理及时" in owner.element("#tracking-rating").text
    assert not owner.has("#rate-form"), "one rating per closure"
    assert owner.element("#tracking-status").text.startswith("已办结（已解决）")
    set_size(owner, 360, 780, True)
    owner.open(f"/public/complaints/track?code={code}")
    scroll, inner = overflow(owner)
    assert scroll <= inner, f"tracking page overflows at 360 px: {scroll} > {inner}"
