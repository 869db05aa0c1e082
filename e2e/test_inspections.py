"""双随机一公开 from plan to public result: the district official makes a spot-check plan, confirms the proposed forced
inclusions, publishes it with the announced seed source, types the seed and draws; then, on a phone-sized window, records
a visit to a drawn estate with a photo; the 不符合 item becomes a problem, and the public estate page shows the result."""

import base64
import hashlib
import urllib.request

from selenium.webdriver.support.ui import Select

# A 1×1 PNG, enough for the upload to be a real image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def no_horizontal_scroll(browser) -> bool:
    return browser.driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")


def test_spot_check_plan_draw_visit_problem_and_public_result(browsers, base_url, tmp_path, unique):
    official = browsers()
    official.login("gulou")
    official.open("/inspections")
    official.follow(official.element("#new-plan"))

    # The proposed forced inclusions are ticked; the official confirms them and publishes.
    Select(official.element("#quarter")).select_by_value("4")
    official.submit("#refresh")
    proposals = official.elements("#forced input[name=forced]")
    assert proposals, "the demo district has estates the plans say must be checked"
    assert all(box.is_selected() for box in proposals)
    forced_id = proposals[0].get_attribute("value")
    official.type_into("#seedSource", f"中国福利彩票双色球开奖号码（{unique}）")
    official.submit("#publish")
    assert official.has("#confirm + span.field-error") or "请确认必查名单无误" in official.element("main").text
    official.element("#confirm").click()
    official.type_into("#seedSource", f"中国福利彩票双色球开奖号码（{unique}）")
    official.submit("#publish")
    assert official.element("#plan-status").text.strip() == "已公布待抽取"
    plan_path = official.path().split("?")[0]
    plan_id = plan_path.rstrip("/").split("/")[-1]
    eligible_hash = official.element("#eligible-hash").text.strip()
    assert len(eligible_hash) == 64
    assert f"编号 {forced_id}" in official.element("#forced-list").text

    # The seed exists now: typed in, confirmed, drawn. The forced estate is in the sample.
    official.type_into("#seed", "03 07 12 19 26 31 09")
    official.element("#confirm").click()
    official.submit("#draw")
    assert official.element("#plan-status").text.strip() == "已抽取"
    assert official.element("#plan-seed").text.strip() == "03 07 12 19 26 31 09"
    rows = official.elements("#drawn-table tbody tr")
    assert rows and any(f"编号 {forced_id} " in row.text and "必查" in row.text for row in rows)

    # Anyone can check the published list against its hash.
    with urllib.request.urlopen(f"{base_url}/public/inspection-plans/{plan_id}/eligible.txt", timeout=10) as response:
        assert hashlib.sha256(response.read()).hexdigest() == eligible_hash

    # On a phone: the visit to the first drawn estate, one item not conforming, with a photo.
    link = official.element("#drawn-table tbody tr a.button")
    estate_id = link.get_attribute("href").split("estate=")[-1]
    official.driver.set_window_size(390, 844)
    official.follow(link)
    assert official.path().startswith("/inspections/visits/new")
    assert no_horizontal_scroll(official), "the visit form must fit a 390 px screen"
    for fieldset in official.elements("fieldset.check-item"):
        code = fieldset.get_attribute("id").removeprefix("item-")
        value = "fails" if code == "account_used" else "conforms"
        radio = official.element(f"input[name='result.{code}'][value='{value}']")
        official.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
        radio.click()
    note = f"公共收益存入物业企业基本户（{unique}）"
    official.type_into("textarea[name='note.account_used']", note)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    official.element("input[name='photo.account_used']").send_keys(str(photo))
    official.submit("#save-visit")
    assert official.path().startswith("/inspections/visits/"), official.element("main").text[:500]
    assert not official.has("main .field-error")
    assert no_horizontal_scroll(official)
    assert official.has("#visit-items img.photo")
    problem_link = official.element("#visit-problems a")
    official.follow(problem_link)
    assert official.path().startswith("/problems/")
    assert note in official.element("main").text and "现场照片.png" in official.element("main").text

    # The public estate page shows the result (双随机一公开), without inspectors, and fits the phone.
    public = browsers()
    public.driver.set_window_size(390, 844)
    public.open(f"/public/estates/{estate_id}")
    results = public.element("#inspection-results").text
    assert "不符合 1 项" in results and "设立并使用公共收益专户：整改中" in results
    assert no_horizontal_scroll(public)
    public.open(f"/public/inspection-plans/{plan_id}")
    assert public.element("#plan-seed").text.strip() == "03 07 12 19 26 31 09"
    assert "1项不符合" in public.element("#public-drawn").text
    assert no_horizontal_scroll(public)
