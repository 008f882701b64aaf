"""What the demo looks like from outside: is it loaded, and which accounts it has.

Kept apart from the loader so that a second `demo_load` answers without importing the catalogue
services (jieba, pypinyin) at all.
"""

from __future__ import annotations

import unicodedata

from onewindow.org.constants import Role
from onewindow.org.models import Region

from .data import county

# Every demo staff account has a TOTP device with this secret (docs/accounts.md): add it to an authenticator
# app, or print the current code with `manage.py totp_code USERNAME`. A demo secret, never a production one.
DEMO_TOTP_KEY_HEX = b"onewindow-demo-2026!".hex()
DEMO_TOTP_SECRET = "N5XGK53JNZSG65ZNMRSW23ZNGIYDENRB"  # noqa: S105  (the demo key in base32, printed on purpose)

# Online-hall demo accounts: (mobile, kind, name, 居民身份证, company name, 统一社会信用代码).
DEMO_CITIZENS = [
    ("13800138000", "person", "李明", "430102198506120021", "", ""),
    ("13900139000", "company", "王秀英", "430103198511070045", "云溪县青禾农业发展有限公司", "91431121MA4L3QH8XG"),
    ("13700137000", "person", "陈晓", "430102199208180047", "", ""),
]
DEMO_MEMBER = ("13900139000", "13700137000")  # the company account authorises 陈晓 to apply on its behalf


def demo_is_loaded() -> bool:
    return Region.objects.filter(code=county.COUNTY_CODE).exists()


HISTORY_ACTION = "demo.history"  # the audit row written with the demo history (onewindow/demo/history.py)


def history_is_loaded() -> bool:
    from onewindow.core.models import AuditEvent

    return AuditEvent.objects.filter(action=HISTORY_ACTION).exists()


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
    out.extend(sign_in_help())
    return "\n".join(out)


def sign_in_help() -> list[str]:
    """How to sign in to the demo, printed after the accounts table."""
    return [
        "",
        "工作台登录（/workbench/login/）：输入上表用户名和密码后，还需输入 6 位动态验证码：",
        "  验证码：运行 .venv/bin/python manage.py totp_code clerk（把 clerk 换成要登录的用户名）",
        f"  或在身份验证器 App 中手动添加密钥 {DEMO_TOTP_SECRET}（所有演示工作人员相同）",
        "网上办事大厅登录（/accounts/login/）：手机号码 + 密码，再输入短信验证码（演示环境打印在本终端的日志中）：",
        *(f"  {mobile}  {company or name}（{'法人' if kind == 'company' else '个人'}）"
          for mobile, kind, name, _id, company, _code in DEMO_CITIZENS),
        f"  密码同上：{county.DEMO_PASSWORD}；{DEMO_CITIZENS[2][2]} 已获 {DEMO_CITIZENS[1][4]} 授权代办。",
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
