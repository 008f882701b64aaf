"""云溪县: regions, departments, halls, windows, delegations and the demo staff accounts.

Codes follow the national rules so that validators and reports treat them like real ones:
- 行政区划代码 (GB/T 2260, GB/T 10114): county 6 digits; township 9 digits (001-099 街道, 100-199 镇,
  400-599 开发区等); village 12 digits (001-199 社区, 200-399 村).
- 统一社会信用代码 (GB 32100): 1 登记管理部门 (1 = 机构编制) + 1 机构类别 (1 机关, 2 事业单位,
  3 群团) + 6 区划 + 9 组织机构代码 (8 位本体 + GB 11714 校验码) + 1 校验码.
"""

from datetime import date

from stdnum.cn import uscc

COUNTY_CODE = "431130"  # 永州市 (4311) 下一个未使用的县级代码：虚构的云溪县
CITY_NAME = "永州市"
PHONE_AREA = "0746"
DEMO_PASSWORD = "onewindow2026"  # noqa: S105  (printed for demo users on purpose)

# (code, name, level, kind, parent code)
REGIONS = [
    (COUNTY_CODE, "云溪县", "county", "admin", None),
    ("431130101", "桃源镇", "township", "admin", COUNTY_CODE),
    ("431130101201", "青石村", "village", "admin", "431130101"),
    ("431130400", "云溪经济开发区", "township", "park", COUNTY_CODE),
]
TOWNSHIP_CODE = "431130101"
VILLAGE_CODE = "431130101201"
PARK_CODE = "431130400"

COUNTY_HALL_ADDRESS = "云溪县潇湘大道 88 号"
COMPLAINT_PHONE = f"{PHONE_AREA}-5212345（县政务服务中心监督投诉）；12345 政务服务便民热线"


def _org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(category: str, seq: int, region: str = COUNTY_CODE) -> str:
    """A valid 统一社会信用代码 for a county body: category '11' 机关, '12' 事业单位, '13' 群团."""
    org_body = f"MB{1530000 + seq * 37:06d}"[:8]
    body = f"{category}{region}{org_body}{_org_code_check(org_body)}"
    return body + uscc.calc_check_digit(body)


# key, name, short name, category, phone (last 7 digits), office address, counter in the county hall.
# `counter` is where the department's items are handled: it becomes the department window and the
# default 办理地点 of its items.
DEPARTMENTS = [
    ("spj", "云溪县行政审批服务局", "审批局", "11", "5210001", "云溪县潇湘大道 88 号政务服务中心五楼", "三楼 投资项目审批专区 30 号窗口"),
    ("scjg", "云溪县市场监督管理局", "市场监管局", "11", "5210315", "云溪县舜德路 16 号", "一楼 企业开办专区 10 号窗口"),
    ("gaj", "云溪县公安局", "公安局", "11", "5210110", "云溪县濂溪路 2 号", "一楼 公安户政专区 11 号窗口"),
    ("mzj", "云溪县民政局", "民政局", "11", "5210502", "云溪县向阳路 25 号", "二楼 社会事务专区 20 号窗口"),
    ("rsj", "云溪县人力资源和社会保障局", "人社局", "11", "5210623", "云溪县潇湘大道 102 号", "二楼 社保服务专区 21 号窗口"),
    ("ybj", "云溪县医疗保障局", "医保局", "11", "5210718", "云溪县潇湘大道 102 号", "二楼 医保服务专区 22 号窗口"),
    ("zjj", "云溪县住房和城乡建设局", "住建局", "11", "5210807", "云溪县建设路 9 号", "三楼 工程建设专区 31 号窗口"),
    ("zrzyj", "云溪县自然资源局", "自然资源局", "11", "5210912", "云溪县建设路 11 号", "三楼 工程建设专区 32 号窗口"),
    ("jtj", "云溪县交通运输局", "交通运输局", "11", "5211016", "云溪县交通路 6 号", "一楼 交通运输 14 号窗口"),
    ("wjj", "云溪县卫生健康局", "卫健局", "11", "5211120", "云溪县人民路 45 号", "二楼 卫生健康 23 号窗口"),
    ("wlj", "云溪县文化旅游广电体育局", "文旅广体局", "11", "5211206", "云溪县文昌路 3 号", "一楼 企业开办专区 12 号窗口"),
    ("swj", "国家税务总局云溪县税务局", "税务局", "11", "5211366", "云溪县财富路 8 号", "一楼 税务专区 15 号窗口"),
    ("gjj", "永州市住房公积金管理中心云溪县管理部", "公积金中心", "12", "5211401", "云溪县潇湘大道 102 号", "二楼 公积金 24 号窗口"),
    ("bdc", "云溪县不动产登记中心", "不动产登记中心", "12", "5211588", "云溪县建设路 11 号", "一楼 不动产登记专区 16 号窗口"),
    ("sthj", "永州市生态环境局云溪分局", "生态环境分局", "11", "5211609", "云溪县环城南路 20 号", "三楼 工程建设专区 33 号窗口"),
    ("slj", "云溪县水利局", "水利局", "11", "5211703", "云溪县滨江路 12 号", "三楼 工程建设专区 34 号窗口"),
    ("nyj", "云溪县农业农村局", "农业农村局", "11", "5211812", "云溪县农科路 5 号", "二楼 农业农村 25 号窗口"),
    ("jyj", "云溪县教育局", "教育局", "11", "5211905", "云溪县学府路 1 号", "二楼 教育 26 号窗口"),
    ("ycj", "云溪县烟草专卖局", "烟草专卖局", "11", "5212008", "云溪县财富路 20 号", "一楼 企业开办专区 13 号窗口"),
    ("cl", "云溪县残疾人联合会", "残联", "13", "5212103", "云溪县向阳路 27 号", "二楼 社会事务专区 27 号窗口"),
]

# Halls: key, name, region code, address, office hours, phone.
HALLS = [
    ("county", "云溪县政务服务中心", COUNTY_CODE, COUNTY_HALL_ADDRESS,
     "周一至周五 8:30-12:00，14:30-17:30（7 月至 9 月下午 15:00-18:00）；周六上午预约延时服务",
     f"{PHONE_AREA}-5210000"),
    ("township", "桃源镇便民服务中心", TOWNSHIP_CODE, "云溪县桃源镇桃源街 18 号",
     "周一至周五 8:30-12:00，14:30-17:30", f"{PHONE_AREA}-5381001"),
    ("village", "青石村便民服务站", VILLAGE_CODE, "云溪县桃源镇青石村村民服务中心一楼",
     "周一至周五 9:00-11:30，15:00-17:00；农忙时节预约上门服务", f"{PHONE_AREA}-5381205"),
]

# Comprehensive windows (无差别受理) accept every item of their lanes; department windows are built
# from DEPARTMENTS (one per department, numbered as in `counter`).
# hall, number, name, lanes
COMPREHENSIVE_WINDOWS = [
    ("county", "1", "综合受理窗口（企业开办）", ["business"]),
    ("county", "2", "综合受理窗口（社会事务）", ["social"]),
    ("county", "3", "综合受理窗口（工程建设）", ["construction"]),
    ("county", "4", "综合受理窗口（无差别受理）", ["business", "social", "construction"]),
    ("township", "1", "综合受理窗口", ["delegated:township"]),
    ("township", "2", "社保医保窗口", ["delegated:township"]),
    ("village", "1", "帮代办窗口", ["delegated:village"]),
]

# Delegations (赋权): item name → (region code, mode, note). The document is the county's decision.
DELEGATION_DOCUMENT = "云政发〔2024〕12号《云溪县人民政府关于向乡镇和园区赋予部分县级经济社会管理权限的决定》"
DELEGATION_FROM = date(2025, 1, 1)
DELEGATIONS = [
    ("最低生活保障对象审核确认", TOWNSHIP_CODE, "direct", "乡镇人民政府直接审核确认，县民政局备案监督"),
    ("生育登记", TOWNSHIP_CODE, "direct", "乡镇卫生健康办直接办理"),
    ("个体工商户设立登记", TOWNSHIP_CODE, "entrusted", "委托桃源市场监督管理所以县局名义办理"),
    ("城乡居民基本养老保险参保登记", TOWNSHIP_CODE, "direct", "乡镇社会保障服务站直接办理"),
    ("残疾人证核发", TOWNSHIP_CODE, "front_desk_only", "镇便民服务中心受理，县残联评定发证"),
    ("失业保险金申领", TOWNSHIP_CODE, "report_up", "镇便民服务中心受理审核后直报县人社局审批"),
    ("城乡居民基本医疗保险参保登记", VILLAGE_CODE, "front_desk_only", "村便民服务站代收代办"),
    ("社会保障卡申领", VILLAGE_CODE, "front_desk_only", "村便民服务站代收，县人社局制卡后送卡到村"),
    ("建设工程规划许可证核发", PARK_CODE, "entrusted", "委托开发区管委会规划建设局以县局名义办理"),
    ("建筑工程施工许可证核发", PARK_CODE, "entrusted", "委托开发区管委会规划建设局以县局名义办理"),
    ("企业投资项目备案", PARK_CODE, "direct", "开发区管委会直接备案"),
    ("排污许可证核发", PARK_CODE, "report_up", "开发区企业服务中心受理，直报生态环境分局审批"),
]

# Demo staff: username, name, role, department key (None = not limited to a department),
# region ("county" = the whole county), window (hall key, number), is_superuser, scope label.
ACCOUNTS = [
    ("admin", "系统管理员", "admin", None, None, None, True, "全局（超级用户）"),
    ("editor", "李晓梅", "catalogue_editor", "scjg", None, None, False, "云溪县市场监督管理局"),
    ("head", "王建国", "department_head", "scjg", None, None, False, "云溪县市场监督管理局"),
    ("clerk", "张丽", "clerk", None, "county", ("county", "4"), False, "县政务服务中心 4 号综合受理窗口"),
    ("reviewer", "陈志强", "reviewer", "scjg", None, None, False, "云溪县市场监督管理局"),
    ("manager", "刘芳", "hall_manager", None, "county", None, False, "云溪县政务服务中心（全县）"),
    ("inspector", "赵敏", "inspector", None, None, None, False, "全局（电子监察）"),
    ("helper", "周强", "agent_helper", None, "county", None, False, "云溪县（帮办代办）"),
]

# Initial 热度 (popularity) of the busiest items, so that lists and search ties look like a real hall.
POPULARITY = {
    "企业设立登记": 980, "个体工商户设立登记": 860, "食品经营许可": 720,
    "国有建设用地使用权及房屋所有权转移登记": 690, "居民身份证申领": 650, "城乡居民基本医疗保险参保登记": 640,
    "购买自住住房提取住房公积金": 600, "社会保障卡申领": 560, "不动产抵押权登记": 480, "内地居民结婚登记": 420,
    "失业保险金申领": 380, "出生登记": 350, "发票申领": 300, "户籍迁移（省内迁入）": 280, "异地就医备案": 260,
    "生育登记": 240, "租赁住房提取住房公积金": 220, "无犯罪记录证明开具": 200, "建筑工程施工许可证核发": 120,
}
