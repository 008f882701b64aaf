from onewindow.portal.presenters import Phone, percent, phones, visits_label


def test_phones_become_tel_links():
    assert phones("0734-1234567、12345") == [Phone("0734-1234567", "tel:07341234567"), Phone("12345", "tel:12345")]
    assert phones("0734-1234567（工作日）") == [Phone("0734-1234567（工作日）", "tel:07341234567")]
    assert phones("见窗口公示") == [Phone("见窗口公示", "")]
    assert phones("") == []


def test_visits_and_percent_labels():
    assert visits_label(0) == "零跑动"
    assert visits_label(1) == "最多跑一次"
    assert visits_label(2) == "到现场 2 次"
    assert percent(0.75) == "75%"
    assert percent(0.6667) == "66.7%"
    assert percent(None) == "—"
