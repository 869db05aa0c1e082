"""督办通报: the city sees how its districts stand and the letters the demo sent, prints a 督办函 in the 公文 layout,
writes a 提醒函 to 鼓楼区 (every error beside its field first), the district answers it, and the monthly bulletin ranks
the districts."""

import os

from selenium.webdriver.support.ui import Select


def test_city_writes_to_a_district_which_answers_and_the_bulletin_ranks(browsers, tmp_path):
    city = browsers()
    city.login("fuzhou")
    city.open("/supervision")
    assert city.elements("#standings tbody tr"), "the city's districts are listed with their standing"
    demo_letters = city.elements("#letters tbody tr")
    assert len(demo_letters) == 2, "the demo wrote to the two most lagging districts"

    # A letter printed in the 公文 layout: authority, number, red rule, addressee, seal's place.
    city.follow(city.element("#letters tbody tr a"))
    number = city.element("#letter-number").text
    city.follow(city.element("#print-link"))
    assert city.element(".authority").text == "福州市住房和城乡建设局"
    assert city.element("#doc-number").text == number
    assert city.has("hr.red-rule") and city.element("#addressee").text.endswith("：")
    assert "年" in city.element("#letter-date").text and city.has(".seal")
    city.driver.save_screenshot(str(tmp_path / "letter.png"))
    if os.environ.get("LEDGER_E2E_SHOTS"):
        city.driver.save_screenshot(os.path.join(os.environ["LEDGER_E2E_SHOTS"], "supervision-letter.png"))

    # A 提醒函 to 鼓楼区: a reply day in the past is refused beside its field, nothing is sent.
    city.open("/supervision/letters/new")
    Select(city.element("#to")).select_by_value("350102")
    city.driver.execute_script("document.getElementById('replyDue').value = '2000-01-01'")
    city.submit("#issue")
    assert "答复期限应晚于今天" in city.element("main").text
    city.open("/supervision/letters/new?to=350102&letterKind=reminder")
    city.type_into("#requirements", "请于本月底前完成逾期未公示小区的补公示。")
    city.submit("#issue")
    assert city.element("#letter-status").text == "待答复"
    letter_path = city.path()

    # 鼓楼区 answers it; the city sees the answer.
    district = browsers()
    district.login("gulou")
    district.open(letter_path)
    district.type_into("#reply-text", "已约谈相关物业服务企业，逾期未公示小区本月底前全部补公示。")
    district.submit("#send-reply")
    assert district.element("#letter-status").text == "已答复"
    city.open(letter_path)
    assert "逾期未公示小区本月底前全部补公示" in city.element("#reply").text

    # The monthly bulletin ranks the districts and explains how.
    city.open("/supervision")
    city.follow(city.element("#bulletin-link"))
    assert city.elements("#bulletin-ranking tbody tr")
    assert "排名依据" in city.element("#bulletin").text
