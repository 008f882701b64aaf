from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers
from stdnum.cn import ric, uscc

from onewindow.core.identifiers import (
    CreditCodeSerializerField,
    ResidentIdSerializerField,
    mask_id,
    normalize_ric,
    normalize_uscc,
)

VALID_RIC = "11010519491231002X"
VALID_USCC = "91110000600037341L"


def test_valid_ric_is_normalised_to_upper_case():
    assert normalize_ric("11010519491231002x") == VALID_RIC
    assert normalize_ric(" 110105 19491231 002X ") == VALID_RIC


@pytest.mark.parametrize("bad", ["", "110105194912310021", "11010519491331002X", "1234", "ABCDEFGHIJKLMNOPQR"])
def test_invalid_ric_gets_a_chinese_message(bad):
    with pytest.raises(ValidationError) as exc:
        normalize_ric(bad)
    assert "居民身份证号码无效" in exc.value.messages[0]


def test_uscc_checksum_is_enforced():
    assert normalize_uscc(VALID_USCC.lower()) == VALID_USCC
    with pytest.raises(ValidationError, match="统一社会信用代码无效"):
        normalize_uscc(VALID_USCC[:-1] + "M")


@given(st.integers(min_value=0, max_value=10**8))
def test_every_generated_uscc_with_the_right_check_digit_is_accepted(n):
    body = f"91430422{n:09d}"
    code = body + uscc.calc_check_digit(body)
    assert normalize_uscc(code) == code


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31)), st.integers(min_value=0, max_value=999))
def test_ric_with_right_check_digit_is_accepted_and_wrong_one_refused(birth, seq):
    body = f"110105{birth:%Y%m%d}{seq:03d}"  # 北京市朝阳区: a region code valid for all these years
    code = body + ric.calc_check_digit(body + "0")  # stdnum takes the full 18 characters
    assert normalize_ric(code) == code
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValidationError):
        normalize_ric(body + wrong)


def test_mask_shows_only_last_four():
    assert mask_id(VALID_RIC) == "**************002X"
    assert mask_id("") == ""


def test_serializer_fields_return_field_errors_in_chinese():
    class S(serializers.Serializer):
        id_number = ResidentIdSerializerField()
        credit_code = CreditCodeSerializerField()

    s = S(data={"id_number": "123", "credit_code": "bad"})
    assert not s.is_valid()
    assert "居民身份证号码无效" in str(s.errors["id_number"][0])
    assert "统一社会信用代码无效" in str(s.errors["credit_code"][0])
    ok = S(data={"id_number": VALID_RIC.lower(), "credit_code": VALID_USCC})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data["id_number"] == VALID_RIC
