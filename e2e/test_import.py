"""CSV import writes every row or none, and names each bad row."""

import re
from urllib.parse import quote

import pytest
from selenium.webdriver.support.ui import Select

HEADER = "小区名称,地址,社区代码,户数,建筑面积,业主分成比例,物业企业信用代码,合同开始日期"
GULOU_COMMUNITY = "350102001001"  # 鼓楼区 鼓东街道 first community
TAIJIANG_COMMUNITY = "350103001001"  # 台江区: outside gulou's jurisdiction


def estate_rows(unique, bad=None):
    """Three estate rows; with `bad=(column, value)` the second row (line 3 of the file) gets that value."""
    rows = []
    for index, suffix in enumerate(("甲", "乙", "丙")):
        row = {"name": f"导入测试{unique}{suffix}", "address": f"东街{index + 1}号", "community": GULOU_COMMUNITY,
               "households": str(100 + index), "floorArea": str(9000 + index), "ownersShare": "70"}
        if bad and index == 1:
            row[bad[0]] = bad[1]
        rows.append(row)
    return rows


def write_csv(path, rows):
    lines = [HEADER] + [f"{r['name']},{r['address']},{r['community']},{r['households']},{r['floorArea']},{r['ownersShare']},,"
                        for r in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def upload(browser, kind, path):
    browser.open("/import")
    Select(browser.element("#kind")).select_by_value(kind)
    browser.type_into("input#file[type=file]", str(path.resolve()), clear=False)
    browser.submit("main form[action='/import/registry'] button[type=submit]")


def assert_not_listed(browser, name):
    browser.open(f"/estates?q={quote(name)}")
    assert browser.has("#empty-state"), f"{name} should not have been created"
    assert not browser.has("#estate-table")


@pytest.mark.parametrize(
    ("bad", "field", "reason"),
    [
        (("households", "x"), "households", "户数必须是整数"),
        (("community", TAIJIANG_COMMUNITY), "community", "不在您的管辖范围内"),
    ],
    ids=["households-not-a-number", "community-outside-jurisdiction"],
)
def test_import_with_bad_row_writes_nothing_then_corrected_file_imports(browser, tmp_path, unique, bad, field, reason):
    browser.login("gulou")
    rows = estate_rows(unique, bad)
    upload(browser, "estates", write_csv(tmp_path / "bad.csv", rows))

    report = browser.element("#import-errors")
    assert not browser.has("#import-result")
    lines = [tr.find_elements("tag name", "td") for tr in report.find_elements("css selector", "tbody tr")]
    cells = [[td.text.strip() for td in tds] for tds in lines]
    assert cells, "the error report lists no rows"
    assert all(c[0] == "第 3 行" for c in cells), f"only line 3 (the second data row) is bad, report: {cells}"
    assert any(c[1] == field and reason in c[2] for c in cells), f"expected {field}: {reason} in {cells}"
    assert "未写入任何数据" in report.text

    for row in rows:  # all or nothing: the good rows were not written either
        assert_not_listed(browser, row["name"])

    good = estate_rows(unique)
    upload(browser, "estates", write_csv(tmp_path / "good.csv", good))
    result = browser.element("#import-result").text
    assert not browser.has("#import-errors")
    assert re.search(r"新增小区\s*3\s*条", result), result

    for row in good:
        browser.open(f"/estates?q={quote(row['name'])}")
        table_rows = browser.elements("#estate-table tbody tr")
        assert len(table_rows) == 1 and row["name"] in table_rows[0].text


def test_import_refuses_a_file_without_required_columns(browser, tmp_path, unique):
    browser.login("gulou")
    path = tmp_path / "headerless.csv"
    path.write_text(f"小区名称,地址\r\n缺列{unique},东街1号\r\n", encoding="utf-8")
    upload(browser, "estates", path)
    report = browser.element("#import-errors").text
    assert "第 1 行" in report and "表头缺少必需的列" in report
    assert_not_listed(browser, f"缺列{unique}")
