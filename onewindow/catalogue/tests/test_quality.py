from types import SimpleNamespace

import pytest

from onewindow.catalogue.constants import HandlingType, MaterialSource, Necessity, StepKind, TimeUnit
from onewindow.catalogue.quality import check_version, errors_only
from onewindow.catalogue.tests.factories import item_type, valid_version_data

pytestmark = pytest.mark.django_db


def _version(**overrides):
    """An unsaved version-like object with children, so rules run without the database writes."""
    data = valid_version_data(**overrides)
    materials = [SimpleNamespace(name=m["name"], necessity=m.get("necessity", Necessity.REQUIRED),
                                 condition=m.get("condition", ""), source=m.get("source", MaterialSource.APPLICANT),
                                 certificate_type=m.get("certificate_type", ""))
                 for m in data.pop("materials")]
    steps = [SimpleNamespace(kind=s["kind"], days=s["days"]) for s in data.pop("steps")]
    fees = [SimpleNamespace(name=f["name"], basis=f.get("basis", "")) for f in data.pop("fees", [])]
    from onewindow.catalogue.models import ItemVersion

    version = ItemVersion(**data)
    return version, {"materials": materials, "steps": steps, "fees": fees}


def _codes(**overrides):
    version, children = _version(**overrides)
    return {v.code for v in check_version(version, **children)}


def test_a_complete_version_has_no_violations():
    version, children = _version()
    assert check_version(version, **children) == []


def test_promised_time_may_not_exceed_legal_time():
    assert "promised_exceeds_legal" in _codes(promised_days=30, legal_days=20,
                                              steps=[{"kind": StepKind.ACCEPT, "days": 10},
                                                     {"kind": StepKind.DECIDE, "days": 20}])


def test_mixed_units_compare_natural_days_as_working_days():
    # 30 natural days ≈ 21.4 working days, so 20 working days promised is within the law.
    assert "promised_exceeds_legal" not in _codes(legal_days=30, legal_days_unit=TimeUnit.NATURAL_DAY,
                                                  promised_days=20,
                                                  steps=[{"kind": StepKind.ACCEPT, "days": 10},
                                                         {"kind": StepKind.DECIDE, "days": 10}])
    assert "promised_exceeds_legal" in _codes(legal_days=20, legal_days_unit=TimeUnit.NATURAL_DAY,
                                              promised_days=15,
                                              steps=[{"kind": StepKind.ACCEPT, "days": 5},
                                                     {"kind": StepKind.DECIDE, "days": 10}])


def test_instant_item_has_zero_promised_days():
    assert "instant_has_days" in _codes(handling_type=HandlingType.INSTANT)
    assert "instant_has_days" not in _codes(handling_type=HandlingType.INSTANT, promised_days=0,
                                            steps=[{"kind": StepKind.ACCEPT, "days": 0},
                                                   {"kind": StepKind.DECIDE, "days": 0}])


def test_step_shares_must_sum_to_promised_time():
    codes = _codes(steps=[{"kind": StepKind.ACCEPT, "days": 1}, {"kind": StepKind.DECIDE, "days": 1}])
    assert "step_days_mismatch" in codes


def test_half_days_in_steps_are_summed_exactly():
    assert "step_days_mismatch" not in _codes(promised_days=2, steps=[
        {"kind": StepKind.ACCEPT, "days": "0.5"}, {"kind": StepKind.REVIEW, "days": "0.5"},
        {"kind": StepKind.DECIDE, "days": "1.0"}])


def test_full_online_needs_zero_visits_and_zero_visits_needs_mail_or_online():
    assert "full_online_needs_zero_visits" in _codes(online_depth=4, visits_required=1)
    assert "zero_visits_needs_mail" in _codes(online_depth=3, visits_required=0)
    assert "zero_visits_needs_mail" not in _codes(online_depth=3, visits_required=0, supports_mail_delivery=True)
    assert "zero_visits_needs_mail" not in _codes(online_depth=4, visits_required=0)


def test_a_fee_needs_its_basis():
    codes = _codes(has_fee=True, fees=[{"name": "登记费", "basis": ""}])
    assert "fee_basis_required" in codes
    assert "fee_items_required" in _codes(has_fee=True)


def test_government_issued_material_should_name_its_certificate_type_as_a_warning():
    version, children = _version(materials=[{"name": "户口簿", "source": MaterialSource.GOVERNMENT}])
    violations = check_version(version, **children)
    assert [v.severity for v in violations if v.code == "material_certificate_type"] == ["warning"]
    assert errors_only(violations) == []


def test_every_violation_is_reported_at_once():
    codes = _codes(legal_basis="", acceptance_conditions="", consult_phone="", promised_days=30, legal_days=20,
                   online_depth=4, visits_required=1, has_fee=True)
    assert {"legal_basis_required", "conditions_required", "consult_phone_required", "promised_exceeds_legal",
            "full_online_needs_zero_visits", "fee_items_required", "step_days_mismatch"} <= codes


def test_public_service_items_do_not_need_a_legal_basis():
    assert "legal_basis_required" not in _codes(item_type=item_type("20"), legal_basis="")
