"""Work in progress for the catalogue workbench, all of 市场监督管理局 (the demo editor's department).

- DRAFTS: created by the editor, not yet submitted;
- IN_REVIEW: created and submitted by the editor, waiting for the department head (four-eyes);
- BROKEN: a draft that deliberately breaks several quality rules, so the quality report shows something;
- REVISION: a published item for which the editor has started a new draft version.
"""

# ruff: noqa: C408  (dict(name=...) reads better than literals for data written by hand)

from .helpers import cond, flow, form, id_card, licence, m, step, waive

DRAFTS = [
    dict(
        name="食品小作坊登记", dept="scjg", type="07", audience="both", lane="business",
        themes=["operation", "food-drug"], keywords="小作坊 手工作坊 豆腐坊 米粉 腊肉 酿酒 食品作坊",
        legal_basis="《中华人民共和国食品安全法》第三十六条；《湖南省食品生产加工小作坊小餐饮和食品摊贩管理条例》",
        acceptance_conditions="有固定的生产加工场所，生产加工的食品品种在本省小作坊食品品种目录内，从业人员持有有效健康证明。",
        legal_days=15, promised_days=5, online_depth=3, supports_mail_delivery=True, result_name="食品小作坊登记证",
        special_procedures=["site_check"], steps=flow(5, site_check=1),
        materials=[form("食品小作坊登记申请表"), licence(), m("生产加工场所平面图和工艺流程图"), waive("从业人员健康证明")],
    ),
    dict(
        name="食品摊贩备案", dept="scjg", type="10", audience="person", lane="business",
        themes=["operation", "food-drug"], keywords="摆摊 流动摊贩 夜市 早餐摊 小吃摊",
        legal_basis="《中华人民共和国食品安全法》第三十六条；《湖南省食品生产加工小作坊小餐饮和食品摊贩管理条例》",
        acceptance_conditions="在县人民政府划定的区域和时段内经营，从业人员持有有效健康证明。",
        legal_days=0, promised_days=0, online_depth=4, supports_mail_delivery=False, result_type="record",
        result_name="食品摊贩备案卡", materials=[id_card("经营者"), m("健康证明"), m("经营区域、时段申报表")],
    ),
]

IN_REVIEW = [
    dict(
        name="第二类医疗器械经营备案", dept="scjg", type="10", audience="company", lane="business",
        themes=["operation", "food-drug"], keywords="医疗器械 血压计 体温计 助听器 隐形眼镜 医疗器械店",
        legal_basis="《医疗器械监督管理条例》第四十一条；《医疗器械经营监督管理办法》",
        acceptance_conditions="有与经营范围和经营规模相适应的质量管理机构或者质量管理人员，以及相适应的经营场所、贮存条件和质量管理制度。",
        legal_days=0, promised_days=0, online_depth=4, supports_mail_delivery=False, result_type="record",
        result_name="第二类医疗器械经营备案凭证",
        materials=[form("第二类医疗器械经营备案表"), licence(), m("法定代表人、企业负责人、质量负责人的身份证明、学历或者职称证明"),
                   m("经营场所、库房地址的地理位置图、平面图和产权证明（或租赁协议）"), m("经营质量管理制度、工作程序等文件目录")],
    ),
    dict(
        name="广告发布登记", dept="scjg", type="01", audience="company", lane="business", themes=["operation"],
        keywords="广告登记 电视广告 报纸广告 广播广告",
        legal_basis="《中华人民共和国广告法》第二十九条；《广告发布登记管理规定》",
        acceptance_conditions="广播电台、电视台、报刊出版单位从事广告发布业务，有专门从事广告业务的机构和人员。",
        legal_days=20, promised_days=5, online_depth=4, supports_mail_delivery=True, result_name="广告发布登记证明",
        materials=[form("广告发布登记申请表"), licence(), m("广告业务机构和广告从业人员的说明材料"),
                   m("场所使用证明")],
    ),
]

# A draft that breaks rules on purpose: no legal basis for a licence, promised time longer than the legal
# time (mixed units, so the database accepts it and the quality report catches it), no consultation
# phone, no result name, a fee without basis, a duplicated material, steps without 决定 whose days do
# not add up, and full online handling that still requires a visit.
BROKEN = dict(
    name="电子商务经营者登记（待完善）", dept="scjg", type="01", audience="both", lane="business",
    themes=["start-business"], keywords="网店 电商 直播带货 微商",
    legal_basis="", acceptance_conditions="从事电子商务经营活动的自然人、法人和非法人组织。",
    legal_days=10, legal_days_unit="natural", promised_days=9, online_depth=4, visits_required=1,
    supports_mail_delivery=True, consult_phone="", result_name="",
    steps=[step("accept", 1, "受理"), step("review", 3, "审查")],
    materials=[form("电子商务经营者登记申请表"), id_card("经营者"), id_card("经营者"),
               cond("网店截图", "已开设网店的")],
    fees=[{"name": "登记工本费", "standard": "10 元/件", "basis": ""}], has_fee=True,
)

# Published item name → the changes of the editor's new draft version.
REVISION = ("企业设立登记", {
    "change_summary": "根据企业开办“一件事”改革，增加住房公积金缴存登记、医保登记同步办理说明。",
    "keywords": "开公司 注册公司 成立公司 营业执照 企业开办 有限公司 办执照 一件事",
})
