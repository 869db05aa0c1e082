"""Officials of different districts see different estates, and cannot open each other's."""

import re

ESTATE_LINK = re.compile(r"/estates/(\d+)$")


def collect_estates(browser):
    """Walks every page of /estates; returns ({id: name}, the total the pager states)."""
    browser.open("/estates")
    browser.element("#estate-table")
    pager = browser.element("nav.pager").text
    match = re.search(r"共\s*(\d+)\s*条", pager)
    assert match, f"pager shows no total: {pager!r}"
    total = int(match.group(1))
    estates = {}
    for _ in range(200):
        for link in browser.elements("#estate-table tbody tr td:first-child a"):
            found = ESTATE_LINK.search(link.get_attribute("href"))
            assert found, f"estate row links to {link.get_attribute('href')!r}"
            estates[int(found.group(1))] = link.text.strip()
        following = browser.elements("nav.pager a[rel=next]")
        if not following:
            break
        browser.open(following[0].get_attribute("href"))
        browser.element("#estate-table")
    return estates, total


def test_two_districts_see_disjoint_estates(browsers):
    gulou = browsers()
    gulou.login("gulou")
    home_count = int(gulou.element("#estate-count").text.replace(",", ""))
    gulou_estates, gulou_total = collect_estates(gulou)

    taijiang = browsers()  # a separate browser: its own cookies, its own session
    taijiang.login("taijiang")
    taijiang_estates, taijiang_total = collect_estates(taijiang)

    assert gulou_estates and taijiang_estates, "each district should see some of the demo estates"
    assert len(gulou_estates) == gulou_total, "鼓楼区: rows listed across pages should match the pager's 共 N 条"
    assert len(taijiang_estates) == taijiang_total, "台江区: rows listed across pages should match the pager's 共 N 条"
    assert home_count == gulou_total, "the home page figure should count the same estates as the list"
    overlap = set(gulou_estates) & set(taijiang_estates)
    assert not overlap, f"estates visible to both 鼓楼区 and 台江区: {sorted(overlap)[:10]}"

    # taijiang can open its own estate ...
    foreign_id, foreign_name = next(iter(sorted(taijiang_estates.items())))
    taijiang.open(f"/estates/{foreign_id}")
    assert taijiang.element("#estate-name").text.strip() == foreign_name

    # ... gulou gets the not-found page for it, and learns nothing about it.
    gulou.open(f"/estates/{foreign_id}")
    message = gulou.element("#error-message").text
    assert "不存在或不在您的管辖范围内" in message
    assert "状态码 404" in gulou.element("main").text
    assert not gulou.has("#estate-name")
    assert gulou.path() == f"/estates/{foreign_id}"

    # and the other way round
    own_id = next(iter(sorted(gulou_estates)))
    taijiang.open(f"/estates/{own_id}")
    assert "不存在或不在您的管辖范围内" in taijiang.element("#error-message").text
