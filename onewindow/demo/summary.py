"""What the demo looks like from outside: is it loaded, and which accounts it has.

Kept apart from the loader so that a second `demo_load` answers without importing the catalogue
services (jieba, pypinyin) at all.
"""

from __future__ import annotations

import unicodedata

from onewindow.org.constants import Role
from onewindow.org.models import Region

from .data import county


def demo_is_loaded() -> bool:
    return Region.objects.filter(code=county.COUNTY_CODE).exists()


def accounts_rows() -> list[tuple[str, str, str]]:
    """(username, role in Chinese, scope) of every demo account."""
    return [(username, str(Role(role).label), scope) for username, _n, role, *_rest, scope in county.ACCOUNTS]


def accounts_table() -> str:
    """The demo accounts as a fixed-width table (CJK characters count double)."""
    rows = [("用户名", "角色", "范围")] + accounts_rows()
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line]
    for n, row in enumerate(rows):
        out.append("| " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            out.append(line)
    out.append(line)
    out.append(f"所有演示账号的密码：{county.DEMO_PASSWORD}")
    return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
