"""Shortcuts for writing demo items as short, readable dicts.

An item is a dict with the element names of `catalogue.services.VERSION_FIELDS` plus:
- `dept`: department key (see county.DEPARTMENTS); `type`: 事项类型 code ("01", "07", ...);
- `audience`: "person", "company" or "both"; `lane`: which comprehensive windows accept it
  ("business", "social", "construction" or None for the department window only);
- `materials`, `steps`, `fees`, `faqs`: lists of dicts (use the helpers below); `themes`: theme codes.

The loader fills what is left out: handling type from promised days, steps from `flow()`, place,
office hours and phones from the department and hall, visits 0 for 全程网办.
"""

from __future__ import annotations

from decimal import Decimal


def m(name: str, *, nec: str = "required", form: str = "original", count: int = 1, cond: str = "",
      std: str = "") -> dict:
    """A material the applicant brings."""
    return {"name": name, "necessity": nec, "form": form, "count": count, "condition": cond,
            "acceptance_standard": std}


def waive(name: str, *, form: str = "original", std: str = "") -> dict:
    """容缺: may be supplied after acceptance against a written promise."""
    return m(name, nec="waivable", form=form, std=std or "容缺受理后 5 个工作日内补齐")


def cond(name: str, when: str, *, form: str = "original", count: int = 1) -> dict:
    """情形必要: required only in the situation `when`."""
    return m(name, nec="conditional", cond=when, form=form, count=count)


def gov(name: str, issuer: str, cert: str = "", *, nec: str = "required", when: str = "",
        form: str = "original") -> dict:
    """Issued by a government body; `cert` is the e-certificate type that replaces the paper (免提交)."""
    row = m(name, nec=nec, cond=when, form=form)
    row.update(source="government", issuing_body=issuer, certificate_type=cert)
    return row


def agency(name: str, issuer: str, *, nec: str = "required", when: str = "") -> dict:
    """Issued by an intermediary (测绘、设计、评估 ...)."""
    row = m(name, nec=nec, cond=when)
    row.update(source="intermediary", issuing_body=issuer)
    return row


# Materials that many items share.
def id_card(who: str = "申请人") -> dict:
    row = gov(f"{who}居民身份证", "公安机关", "居民身份证", form="original")
    row["acceptance_standard"] = "在有效期内；可出示电子身份证"
    return row


def hukou(who: str = "申请人") -> dict:
    return gov(f"{who}居民户口簿", "公安机关", "居民户口簿")


def licence() -> dict:
    return gov("营业执照", "市场监督管理部门", "营业执照", form="copy")


def proxy() -> dict:
    return cond("授权委托书及受托人居民身份证", "委托他人代为办理的")


def property_cert() -> dict:
    return gov("不动产权证书（或房屋所有权证、国有土地使用证）", "不动产登记机构", "不动产权证书")


def marriage_cert() -> dict:
    return gov("结婚证", "婚姻登记机关", "结婚证")


def legal_rep_id() -> dict:
    return gov("法定代表人居民身份证", "公安机关", "居民身份证", form="copy")


def form(name: str) -> dict:
    """The application form itself (can be filled online)."""
    return m(name, form="original", std="如实填写并签字（盖章），可网上填报后打印")


def fee(name: str, standard: str, basis: str, *, reducible: bool = False, note: str = "") -> dict:
    return {"name": name, "standard": standard, "basis": basis, "reducible": reducible, "note": note}


def faq(question: str, answer: str) -> dict:
    return {"question": question, "answer": answer}


def step(kind: str, days: float | int, name: str = "", handler: str = "", standard: str = "") -> dict:
    return {"kind": kind, "days": Decimal(str(days)), "name": name, "handler": handler, "standard": standard}


def flow(promised: int, *, review: str = "审查", decide: str = "审批决定", site_check: int = 0,
         deliver: str = "窗口领取或免费邮寄送达") -> list[dict]:
    """Standard steps whose days add up to `promised` (quality rule step_days_mismatch).

    `site_check` days are taken out of the review time as a separate 现场核查 step.
    """
    if promised == 0:
        return [
            step("accept", 0, "窗口受理", "综合受理窗口人员", "材料齐全、符合法定形式"),
            step("decide", 0, "当场审核决定", "审批人员", "符合条件的当场作出决定"),
            step("complete", 0, "当场办结", "窗口人员"),
            step("deliver", 0, "当场送达", "窗口人员"),
        ]
    if promised == 1:
        steps = [step("accept", Decimal("0.5"), "受理", "综合受理窗口人员", "材料齐全、符合法定形式"),
                 step("decide", Decimal("0.5"), decide, "部门负责人")]
    elif promised == 2:
        steps = [step("accept", Decimal("0.5"), "受理", "综合受理窗口人员", "材料齐全、符合法定形式"),
                 step("review", 1, review, "审批人员"),
                 step("decide", Decimal("0.5"), decide, "部门负责人")]
    else:
        complete = 1 if promised >= 5 else 0
        review_days = promised - 2 - complete - site_check
        if review_days < 0:
            raise ValueError(f"promised {promised} too short for site check {site_check}")
        steps = [step("accept", 1, "受理", "综合受理窗口人员", "材料齐全、符合法定形式")]
        if review_days:
            steps.append(step("review", review_days, review, "审批人员"))
        if site_check:
            steps.append(step("review", site_check, "现场核查", "审批人员（两人以上）", "按核查标准逐项核查并记录"))
        steps.append(step("decide", 1, decide, "部门负责人"))
        if complete:
            steps.append(step("complete", 1, "制证办结", "审批人员"))
    steps.append(step("deliver", 0, "送达", "综合出件窗口", deliver))
    return steps
