"""Dictionaries every installation starts with: national item types and browsing themes.

Used by migration 0003 (with historical models) and by anything that must restore them after a flush.
"""

from .constants import ITEM_TYPE_SEED

PERSON_THEMES = [
    ("birth", "生育收养"), ("household", "户籍办理"), ("education", "教育科研"), ("employment", "就业创业"),
    ("marriage", "婚姻登记"), ("housing", "住房保障"), ("social-security", "社会保障"), ("medical", "医疗卫生"),
    ("retirement", "退休养老"), ("transport", "交通出行"), ("disability", "残疾人服务"), ("funeral", "死亡殡葬"),
]
COMPANY_THEMES = [
    ("start-business", "设立开办"), ("operation", "经营许可"), ("change", "变更登记"), ("closure", "注销退出"),
    ("construction", "工程建设"), ("tax", "税费办理"), ("talent", "人才人力"), ("investment", "投资审批"),
    ("property", "不动产"), ("food-drug", "食品药品"),
]


def seed_dictionaries(item_type_model, theme_model) -> None:
    """Idempotent: creates missing rows, leaves administrators' edits of existing ones alone."""
    for sort, (code, name, is_power) in enumerate(ITEM_TYPE_SEED):
        item_type_model.objects.get_or_create(code=code, defaults={"name": name, "is_power": is_power, "sort": sort})
    for audience, themes in (("person", PERSON_THEMES), ("company", COMPANY_THEMES)):
        for sort, (code, name) in enumerate(themes):
            theme_model.objects.get_or_create(code=code, defaults={"name": name, "audience": audience, "sort": sort})
