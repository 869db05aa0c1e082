"""One anonymous complaint from filing to assignment, reply, closure as fixed, reopening by the complainant and final
closure: the complainant on the public pages without logging in, the district regulator on the staff pages."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def first_estate(browser) -> tuple[str, str]:
    """The first estate of the regulator's list: (id, name)."""
    link = browser.element("#estate-table tbody tr td a")
    return link.get_attribute("href").rstrip("/").split("/")[-1], link.text.strip()


def act(browser, action: str, note: str, **selects: str) -> None:
    """Fills one handling form on the complaint page and submits it."""
    form = f"#action-{action}"
    for name, value in selects.items():
        Select(browser.element(f"{form} select[name={name}]")).select_by_value(value)
    browser.type_into(f"{form} textarea[name=note]", note)
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
    officer.follow(officer.element("#complaint-table a"))
    assert officer.element("#complainant-name").text.strip() == "匿名"
    act(officer, "assign", "请街道核查")
    assert officer.element("#complaint-status").text.strip() == "办理中"
    act(officer, "reply", "已责令物业公司在小区公示栏补充公示停车费收支")
    act(officer, "close", "物业公司已补充公示，现场核查属实", outcome="fixed")
    assert officer.element("#complaint-status").text.strip() == "已办结"

    # The complainant sees the reply and the closure, is not satisfied and asks for it to be handled again.
    public.open(f"/public/complaints/track?code={code}")
    steps = public.element("#tracking-steps").text
    assert "补充公示停车费收支" in steps and "分派至" in steps
    # The handling unit and deadline are public; the officer's instruction and login are not.
    assert "请街道核查" not in steps and "gulou" not in steps
    assert public.element("#tracking-status").text.startswith("已办结（已解决）")
    public.type_into("#reopen-form textarea[name=reason]", "公示内容缺少电梯广告收入")
    public.submit("#reopen-form button[type=submit]")
    assert public.element("#tracking-status").text.startswith("办理中")

    # The regulator closes it again; the complainant sees the final closure.
    officer.open(officer.path())
    assert "申请重新办理" in officer.element("#complaint-events").text
    act(officer, "close", "已补充电梯广告收入并重新公示", outcome="fixed")
    public.open(f"/public/complaints/track?code={code}")
    assert public.element("#tracking-status").text.startswith("已办结（已解决）")
    assert "已补充电梯广告收入" in public.element("#tracking-steps").text
    # Nothing personal on the public page, and an unknown code says only that it does not exist.
    public.open("/public/complaints/track?code=TS2345678923")
    assert public.element("#lookup-error").text.strip() == "查询码不存在，请核对后重新输入"
