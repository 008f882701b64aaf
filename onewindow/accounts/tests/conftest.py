import pytest
from django.core.cache import cache
from stdnum.cn import ric, uscc

from onewindow.accounts.constants import AccountKind
from onewindow.accounts.models import CitizenProfile, User


def valid_ric(seq: int = 1, birth: str = "19900101") -> str:
    body = f"110105{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def valid_uscc(seq: int = 1) -> str:
    body = f"91110105MA0{seq:05d}X"
    return body + uscc.calc_check_digit(body)


PASSWORD = "Yunxi-2026-hall"


class Outbox(list):
    """One-time codes "sent" in a test: (mobile, code, purpose)."""

    def last_code(self, mobile: str | None = None) -> str:
        for phone, code, _purpose in reversed(self):
            if mobile is None or phone == mobile:
                return code
        raise AssertionError("no code was sent")


@pytest.fixture(autouse=True)
def outbox(monkeypatch):
    box = Outbox()
    monkeypatch.setattr("onewindow.accounts.sms.send_one_time_code",
                        lambda phone, code, *, purpose: box.append((phone, code, purpose)))
    return box


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def citizen(mobile: str = "13800138000", *, seq: int = 1, name: str = "李明", kind: str = AccountKind.PERSON,
            company: str = "", credit_code: str = "", password: str = PASSWORD) -> User:
    user = User.objects.create_user(username=f"c{mobile}", password=password, name=name, mobile=mobile)
    CitizenProfile.objects.create(user=user, kind=kind, mobile=mobile, name=name, id_number=valid_ric(seq),
                                  company_name=company, credit_code=credit_code)
    return user


def company(mobile: str = "13900139000", *, seq: int = 9, name: str = "王秀英") -> User:
    return citizen(mobile, seq=seq, name=name, kind=AccountKind.COMPANY, company="云溪县青禾农业发展有限公司",
                   credit_code=valid_uscc(seq))
