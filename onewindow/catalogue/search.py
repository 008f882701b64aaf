"""Chinese search over published versions: jieba segmentation, keywords and pinyin initials.

Terms are computed once, when a version is published, and stored in SearchTerm with the weight
of the best place they occur (name > keyword > theme > department > material).
"""

from __future__ import annotations

import re
import threading

import jieba
from pypinyin import Style, lazy_pinyin

WEIGHT_NAME = 10
WEIGHT_INITIALS = 8
WEIGHT_KEYWORD = 6
WEIGHT_THEME = 3
WEIGHT_DEPARTMENT = 2
WEIGHT_MATERIAL = 1
MAX_TERM_LENGTH = 64

_STOP = {"的", "和", "与", "及", "或", "等", "类", "之", "其", "在", "对", "为", "了", "、", "，", "。", "（", "）", "(", ")", "《", "》", "/", "-", "；", "："} | {" "}
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
# Words of the trade that jieba's general dictionary splits badly.
DOMAIN_WORDS = [
    "食品经营", "食品经营许可", "个体工商户", "营业执照", "不动产", "不动产登记", "公积金", "住房公积金",
    "公章刻制", "医保", "城乡居民", "失业保险金", "道路运输", "从业资格", "出版物", "施工许可",
    "竣工验收", "规划许可", "户籍迁移", "生育登记", "婚姻登记", "药品零售", "发票申领", "一件事",
    "容缺受理", "告知承诺", "卫生许可", "排污许可", "养老保险", "社保卡", "残疾人证", "低保",
]
_ready = False
_lock = threading.Lock()


def _ensure_jieba() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if not _ready:
            jieba.setLogLevel(60)
            for word in DOMAIN_WORDS:
                jieba.add_word(word, freq=20000)
            _ready = True


def segment(text: str) -> list[str]:
    """Search-mode tokens of a text, lower-cased, without punctuation and stop words."""
    _ensure_jieba()
    tokens: list[str] = []
    for tok in jieba.cut_for_search(text or ""):
        tok = tok.strip().lower()
        if not tok or tok in _STOP or _PUNCT.match(tok):
            continue
        tokens.append(tok[:MAX_TERM_LENGTH])
    return tokens


def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters: 食品经营许可 → spjyxk."""
    letters = lazy_pinyin(re.sub(r"[^\u4e00-\u9fff]", "", text or ""), style=Style.FIRST_LETTER)
    return "".join(letters).lower()[:MAX_TERM_LENGTH]


def terms_for(*, name: str, keywords: str, themes: list[str], department: str, materials: list[str]) -> dict[str, int]:
    weights: dict[str, int] = {}

    def put(tokens, weight):
        for tok in tokens:
            if weights.get(tok, 0) < weight:
                weights[tok] = weight

    put(segment(name), WEIGHT_NAME)
    put([name.strip().lower()[:MAX_TERM_LENGTH]] if name.strip() else [], WEIGHT_NAME)
    ini = initials(name)
    if len(ini) >= 2:
        put([ini], WEIGHT_INITIALS)
    for kw in re.split(r"[\s,，、;；]+", keywords or ""):
        if kw:
            put([kw.lower()[:MAX_TERM_LENGTH]] + segment(kw), WEIGHT_KEYWORD)
    for theme in themes:
        put(segment(theme), WEIGHT_THEME)
    put(segment(department), WEIGHT_DEPARTMENT)
    for material in materials:
        put(segment(material), WEIGHT_MATERIAL)
    return weights


def query_words(query: str) -> list[str]:
    """Words of the query in jieba's accurate mode (no overlapping sub-words): 不动产登记 → [不动产登记]."""
    _ensure_jieba()
    out = []
    for tok in jieba.cut((query or "").strip().lower()[:100]):
        tok = tok.strip()
        if tok and tok not in _STOP and not _PUNCT.match(tok):
            out.append(tok[:MAX_TERM_LENGTH])
    return list(dict.fromkeys(out))


def query_terms(query: str) -> tuple[list[str], str | None]:
    """Tokens to look up exactly, and an ASCII prefix for pinyin initials (if the query is Latin letters)."""
    query = (query or "").strip().lower()[:100]
    tokens = list(dict.fromkeys([query[:MAX_TERM_LENGTH]] + segment(query))) if query else []
    prefix = query if re.fullmatch(r"[a-z]{2,}", query) else None
    return tokens, prefix
