"""Items of 工程建设项目审批 (立项用地规划、工程建设、施工许可、竣工验收), 不动产登记 and 生态环境."""

# ruff: noqa: C408  (dict(name=...) reads better than literals for data written by hand)

from .helpers import agency, cond, faq, fee, flow, form, gov, id_card, licence, m, property_cert, proxy, waive

REGISTRATION_FEE_BASIS = ("《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）；"
                          "《财政部 国家发展改革委关于减免部分行政事业性收费有关政策的通知》（财税〔2019〕45号）")
REGISTRATION_BASIS = "《中华人民共和国民法典》第二百零九条、第二百一十条；《不动产登记暂行条例》第三条、第二十条；《不动产登记暂行条例实施细则》"


def registration_fees(*, non_residential: bool = True) -> list[dict]:
    fees = [fee("住宅类不动产登记费", "80 元/件（含第一本证书工本费）", REGISTRATION_FEE_BASIS, reducible=True,
                note="小微企业（含个体工商户）申请不动产登记免收；申请保障性住房登记减半")]
    if non_residential:
        fees.append(fee("非住宅类不动产登记费", "550 元/件（含第一本证书工本费）", REGISTRATION_FEE_BASIS, reducible=True,
                        note="小微企业（含个体工商户）申请不动产登记免收"))
    fees.append(fee("不动产权属证书工本费", "每增加一本证书加收 10 元", REGISTRATION_FEE_BASIS))
    return fees


REGISTRATION_PLACE = "云溪县政务服务中心一楼 不动产登记专区（16-19 号窗口，税费、登记“一窗受理”）"

ITEMS = [
    # ------------------------------------------------------------------ 自然资源局
    dict(
        name="建设用地规划许可证核发", dept="zrzyj", type="01", audience="company", lane="construction",
        themes=["construction", "investment"], keywords="用地规划 规划许可 建设用地 拿地 工改 立项用地",
        legal_basis="《中华人民共和国城乡规划法》第三十七条、第三十八条；《中华人民共和国土地管理法》",
        acceptance_conditions="以划拨方式取得国有土地使用权的建设项目已经批准、核准、备案；以出让方式取得的已签订国有建设用地使用权出让合同。",
        legal_days=20, promised_days=5, online_depth=4, supports_mail_delivery=True, result_name="建设用地规划许可证",
        materials=[form("建设用地规划许可申请表"), m("国有建设用地使用权出让合同或划拨决定书"),
                   gov("项目批准、核准、备案文件", "投资主管部门", "企业投资项目备案证明"), agency("宗地图及界址点坐标", "测绘单位")],
    ),
    dict(
        name="建设工程规划许可证核发", dept="zrzyj", type="01", audience="company", lane="construction",
        themes=["construction"], keywords="工程规划 规划许可证 方案审查 建房 盖楼 设计方案 工改",
        legal_basis="《中华人民共和国城乡规划法》第四十条",
        acceptance_conditions="已取得建设用地规划许可证（或国有建设用地使用权）；建设工程设计方案符合控制性详细规划和规划条件。",
        legal_days=20, promised_days=10, online_depth=4, supports_mail_delivery=True, result_name="建设工程规划许可证",
        special_procedures=["expert_review"], special_procedure_note="设计方案需专家评审或公示的，评审、公示时间不计入办理时限。",
        steps=flow(10, review="设计方案审查"),
        materials=[form("建设工程规划许可申请表"), gov("不动产权证书（土地）或用地批准文件", "不动产登记机构", "不动产权证书"),
                   agency("建设工程设计方案（总平面图、建筑单体方案）", "设计单位"),
                   waive("建设工程规划放线测量成果")],
        faqs=[faq("园区企业能就近办理吗？", "可以。县自然资源局已委托云溪经济开发区管委会办理，开发区企业服务中心受理并以县局名义发证。")],
    ),
    dict(
        name="乡村建设规划许可证核发", dept="zrzyj", type="01", audience="both", lane="construction",
        themes=["construction", "housing"], keywords="农村建房 自建房 宅基地建房 乡村规划 修房子",
        legal_basis="《中华人民共和国城乡规划法》第四十一条",
        acceptance_conditions="在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设以及农村村民住宅建设，符合村庄规划。",
        legal_days=20, promised_days=10, online_depth=3, supports_mail_delivery=True, result_name="乡村建设规划许可证",
        special_procedures=["site_check"], steps=flow(10, site_check=2),
        materials=[form("乡村建设规划许可申请表"), id_card(), m("乡镇人民政府审核意见"), m("建设工程设计图或通用图集选用说明"),
                   cond("农村宅基地批准书", "农村村民住宅建设的")],
    ),
    dict(
        name="临时用地审批", dept="zrzyj", type="01", audience="both", lane="construction", themes=["construction"],
        keywords="临时用地 工棚 堆场 施工便道 取土",
        legal_basis="《中华人民共和国土地管理法》第五十七条；《中华人民共和国土地管理法实施条例》第二十条",
        acceptance_conditions="建设项目施工、地质勘查需要临时使用国有土地或者农民集体所有的土地，已与土地权利人签订临时使用土地合同。",
        legal_days=20, promised_days=10, online_depth=3, supports_mail_delivery=True, result_type="approval",
        result_name="临时用地批复", materials=[form("临时用地申请书"), m("临时使用土地合同"), agency("土地复垦方案", "编制单位"),
                                              agency("勘测定界图", "测绘单位")],
    ),
    # ------------------------------------------------------------------ 住房和城乡建设局
    dict(
        name="建筑工程施工许可证核发", dept="zjj", type="01", audience="company", lane="construction",
        themes=["construction"], keywords="施工许可证 开工 施工许可 工程开工 工改",
        legal_basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
        acceptance_conditions="1. 已办理用地批准手续；\n2. 依法应当办理建设工程规划许可证的，已取得；\n3. 已确定建筑施工企业；\n"
                              "4. 有满足施工需要的技术资料，施工图设计文件已按规定审查合格；\n5. 有保证工程质量和安全的具体措施；\n"
                              "6. 建设资金已经落实。",
        legal_days=7, legal_days_unit="natural", promised_days=3, online_depth=4, supports_mail_delivery=True,
        result_name="建筑工程施工许可证",
        time_limit_note="工程投资额在 100 万元以下或者建筑面积在 500 平方米以下的建筑工程，可以不申请办理施工许可证。",
        materials=[form("建筑工程施工许可证申请表"), gov("建设工程规划许可证", "自然资源主管部门", "建设工程规划许可证"),
                   m("中标通知书或直接发包批准手续及施工合同"), agency("施工图审查合格书", "施工图审查机构"),
                   waive("建设资金已经落实的承诺书"), m("工程质量安全监督手续")],
        faqs=[faq("工程建设项目审批全流程要多久？", "一般社会投资项目从立项到竣工验收备案全流程审批时间控制在 70 个工作日以内，小型低风险项目 15 个工作日以内。")],
    ),
    dict(
        name="房屋建筑和市政基础设施工程竣工验收备案", dept="zjj", type="10", audience="company",
        lane="construction", themes=["construction"], keywords="竣工备案 竣工验收 联合验收 交房 工改",
        legal_basis="《建设工程质量管理条例》第四十九条；《房屋建筑和市政基础设施工程竣工验收备案管理办法》",
        acceptance_conditions="建设单位自工程竣工验收合格之日起 15 日内，向工程所在地的县级以上住房城乡建设主管部门备案。",
        legal_days=15, legal_days_unit="natural", promised_days=3, online_depth=4, supports_mail_delivery=True,
        result_type="record", result_name="工程竣工验收备案表",
        materials=[form("工程竣工验收备案表"), m("工程竣工验收报告"), m("施工单位签署的工程质量保修书"),
                   cond("住宅质量保证书和住宅使用说明书", "商品住宅工程的"), m("法规、规章规定必须提供的其他文件")],
    ),
    dict(
        name="商品房预售许可", dept="zjj", type="01", audience="company", lane="construction", themes=["property"],
        keywords="预售证 卖楼 楼盘 期房 开盘 房地产开发",
        legal_basis="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
        acceptance_conditions="已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证和施工许可证；"
                              "投入开发建设的资金达到工程建设总投资的 25% 以上，并已经确定施工进度和竣工交付日期。",
        legal_days=10, legal_days_unit="natural", promised_days=5, online_depth=3, supports_mail_delivery=True,
        result_name="商品房预售许可证", special_procedures=["site_check"], steps=flow(5, site_check=1),
        materials=[form("商品房预售许可申请表"), licence(), m("房地产开发企业资质证书"),
                   gov("不动产权证书（土地）", "不动产登记机构", "不动产权证书"),
                   gov("建设工程规划许可证和施工许可证", "自然资源、住房城乡建设主管部门", "建筑工程施工许可证"),
                   m("工程施工合同及关于施工进度的说明"), m("商品房预售方案")],
    ),
    dict(
        name="燃气经营许可", dept="zjj", type="01", audience="company", lane="business", themes=["operation"],
        keywords="液化气 煤气 燃气 天然气 瓶装气 加气站",
        legal_basis="《城镇燃气管理条例》第十五条；《燃气经营许可管理办法》",
        acceptance_conditions="符合燃气发展规划要求；有符合国家标准的燃气气源和燃气设施；有固定的经营场所、完善的安全管理制度和健全的经营方案；"
                              "企业的主要负责人、安全生产管理人员以及运行、维护和抢修人员经专业培训并考核合格。",
        legal_days=20, promised_days=10, online_depth=3, supports_mail_delivery=True, result_name="燃气经营许可证",
        special_procedures=["site_check", "expert_review"], steps=flow(10, site_check=3),
        materials=[form("燃气经营许可申请书"), licence(), m("燃气气源证明"), agency("燃气设施安全评价报告", "安全评价机构"),
                   m("主要负责人、安全管理人员及运行维护人员培训考核合格证明"), m("安全管理制度和经营方案")],
    ),
    dict(
        name="城镇污水排入排水管网许可", dept="zjj", type="01", audience="company", lane="construction",
        themes=["construction", "operation"], keywords="排水许可 排水证 污水接管 洗车店 餐饮排水",
        legal_basis="《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》",
        acceptance_conditions="排放口的设置符合城镇排水与污水处理规划；按规定建设相应的预处理设施和水质、水量检测设施；排放的污水符合国家或地方规定的排放标准。",
        legal_days=15, promised_days=5, online_depth=4, supports_mail_delivery=True, result_name="城镇污水排入排水管网许可证",
        materials=[form("城镇污水排入排水管网许可申请表"), licence(), m("排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明"),
                   waive("排水水质检测报告")],
    ),
    dict(
        name="商品房买卖合同网签备案", dept="zjj", type="10", audience="both", lane="construction",
        themes=["property", "housing"], keywords="网签 购房合同备案 买房备案 合同备案",
        legal_basis="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》第十条",
        acceptance_conditions="已取得商品房预售许可证或现售备案的商品房，买卖双方签订商品房买卖合同。",
        legal_days=30, legal_days_unit="natural", promised_days=0, online_depth=4, supports_mail_delivery=False,
        result_type="record", result_name="商品房买卖合同备案证明",
        materials=[id_card("买受人"), m("商品房买卖合同")],
    ),
    dict(
        name="住房租赁合同登记备案", dept="zjj", type="10", audience="both", lane="social", themes=["housing"],
        keywords="租房备案 租赁备案 租房合同 落户 居住证",
        legal_basis="《中华人民共和国城市房地产管理法》第五十四条；《商品房屋租赁管理办法》第十四条",
        acceptance_conditions="房屋租赁合同订立后 30 日内，由出租人或承租人申请。",
        legal_days=3, promised_days=0, online_depth=4, supports_mail_delivery=False, result_type="record",
        result_name="房屋租赁登记备案证明", materials=[m("房屋租赁合同"), id_card("出租人和承租人"), property_cert()],
    ),
    # ------------------------------------------------------------------ 不动产登记中心
    dict(
        name="国有建设用地使用权及房屋所有权首次登记", dept="bdc", type="07", audience="both", lane="construction",
        themes=["property"], keywords="不动产登记 首次登记 大证 房产证 初始登记 新房办证",
        legal_basis=REGISTRATION_BASIS,
        acceptance_conditions="房屋已竣工验收合格，已取得国有建设用地使用权，房屋所有权首次登记由建设单位申请。",
        legal_days=30, promised_days=5, online_depth=3, supports_mail_delivery=True, supports_online_payment=True,
        result_name="不动产权证书", place=REGISTRATION_PLACE, steps=flow(5, review="审核", decide="登簿"),
        materials=[form("不动产登记申请书"), licence(), gov("不动产权证书（土地）", "不动产登记机构", "不动产权证书"),
                   gov("建设工程规划核实证明", "自然资源主管部门", "建设工程规划核实合格证"),
                   gov("房屋竣工验收备案表", "住房城乡建设主管部门", "工程竣工验收备案表"),
                   agency("不动产权籍调查成果（房屋测绘报告）", "测绘单位")],
        fees=registration_fees(), has_fee=True,
    ),
    dict(
        name="国有建设用地使用权及房屋所有权转移登记", dept="bdc", type="07", audience="both", lane="construction",
        themes=["property", "housing"], keywords="不动产登记 二手房过户 房屋过户 买房 卖房 房产证过户 继承 赠与",
        legal_basis=REGISTRATION_BASIS + "；《不动产登记暂行条例》第十四条",
        acceptance_conditions="因买卖、互换、赠与、继承、受遗赠、分割合并等导致不动产权利发生转移，已缴纳相关税费。",
        legal_days=30, promised_days=3, online_depth=3, supports_mail_delivery=True, supports_online_payment=True,
        supports_appointment=True, result_name="不动产权证书", place=REGISTRATION_PLACE,
        steps=flow(3, review="审核", decide="登簿"),
        materials=[form("不动产登记申请书"), id_card("买卖双方"), property_cert(),
                   m("不动产买卖合同（或赠与合同、继承公证书、生效法律文书等转移材料）"),
                   gov("完税凭证", "税务机关", "契税完税证明"), cond("婚姻状况证明或共有人同意出售的证明", "出售共有房屋的"),
                   proxy()],
        fees=registration_fees(), has_fee=True,
        faqs=[faq("二手房过户要跑几个地方？", "税务、登记在不动产登记专区“一窗受理”，买卖双方一次到场，缴税后当场受理，3 个工作日内办结，可免费邮寄证书。"),
              faq("可以办理“带押过户”吗？", "可以。有抵押的二手房无需提前还清贷款，经抵押权人同意即可办理转移登记与抵押登记联办。")],
    ),
    dict(
        name="不动产抵押权登记", dept="bdc", type="07", audience="both", lane="construction", themes=["property"],
        keywords="抵押登记 房贷抵押 按揭 贷款抵押 不动产登记",
        legal_basis="《中华人民共和国民法典》第三百九十五条、第四百零二条；《不动产登记暂行条例》第三条；《不动产登记暂行条例实施细则》",
        acceptance_conditions="以不动产设定抵押，抵押人与抵押权人签订抵押合同，共同申请（银行业金融机构可通过“不动产登记+金融服务”线上申请）。",
        legal_days=30, promised_days=1, online_depth=4, supports_mail_delivery=True, supports_online_payment=True,
        result_name="不动产登记证明（抵押权）", place=REGISTRATION_PLACE,
        materials=[form("不动产登记申请书"), id_card("抵押人"), property_cert(), m("主债权合同及抵押合同"),
                   m("抵押权人营业执照及委托书")],
        fees=registration_fees(), has_fee=True,
    ),
    dict(
        name="不动产抵押权注销登记", dept="bdc", type="07", audience="both", lane="construction", themes=["property"],
        keywords="解押 抵押注销 还清房贷 注销抵押 不动产登记",
        legal_basis=REGISTRATION_BASIS,
        acceptance_conditions="主债权消灭、抵押权已经实现、抵押权人放弃抵押权等导致抵押权消灭。",
        legal_days=30, promised_days=0, online_depth=4, supports_mail_delivery=False, result_type="record",
        result_name="不动产抵押权注销登记结果", place=REGISTRATION_PLACE,
        time_limit_note="注销登记不收取不动产登记费。",
        materials=[form("不动产登记申请书"), gov("不动产登记证明（抵押权）", "不动产登记机构", "不动产登记证明"),
                   m("抵押权消灭的材料（抵押权人出具的解押通知书）")],
    ),
    dict(
        name="不动产变更登记", dept="bdc", type="07", audience="both", lane="construction", themes=["property"],
        keywords="不动产变更 改名 门牌号变更 面积变更 不动产登记",
        legal_basis=REGISTRATION_BASIS,
        acceptance_conditions="权利人姓名或名称、身份证明类型或号码变更；不动产坐落、界址、用途、面积等状况变更。",
        legal_days=30, promised_days=3, online_depth=3, supports_mail_delivery=True, result_name="不动产权证书（变更）",
        place=REGISTRATION_PLACE, steps=flow(3, review="审核", decide="登簿"),
        materials=[form("不动产登记申请书"), id_card("权利人"), property_cert(), m("不动产权利发生变更的证明材料")],
        fees=[fee("不动产权属证书工本费", "10 元/本（仅换发证书的收取）", REGISTRATION_FEE_BASIS)], has_fee=True,
    ),
    dict(
        name="预购商品房预告登记", dept="bdc", type="07", audience="person", lane="construction",
        themes=["property", "housing"], keywords="预告登记 期房 新房按揭 预抵押",
        legal_basis="《中华人民共和国民法典》第二百二十一条；《不动产登记暂行条例实施细则》第八十五条",
        acceptance_conditions="已签订并备案商品房买卖合同的预购商品房。",
        legal_days=30, promised_days=1, online_depth=4, supports_mail_delivery=True, result_name="不动产登记证明（预告登记）",
        place=REGISTRATION_PLACE,
        materials=[form("不动产登记申请书"), id_card("预购人"), m("已备案的商品房预售合同")],
        fees=[fee("不动产登记费（预告登记）", "80 元/件（住宅）", REGISTRATION_FEE_BASIS)], has_fee=True,
    ),
    dict(
        name="不动产登记资料查询", dept="bdc", type="20", audience="both", lane="construction", themes=["property"],
        keywords="查房 房产查询 有无房产证明 不动产查询 查档",
        legal_basis="《不动产登记资料查询暂行办法》",
        acceptance_conditions="权利人、利害关系人依法查询、复制不动产登记资料。",
        legal_days=None, promised_days=0, online_depth=4, supports_mail_delivery=False, supports_self_service=True,
        result_type="other", result_name="不动产登记信息查询结果（电子）", materials=[id_card("查询人")],
    ),
    # ------------------------------------------------------------------ 生态环境分局
    dict(
        name="排污许可证核发", dept="sthj", type="01", audience="company", lane="construction",
        themes=["operation", "construction"], keywords="排污证 排污许可 环保 污染物排放 工厂",
        legal_basis="《排污许可管理条例》；《排污许可管理办法》",
        acceptance_conditions="依法取得建设项目环境影响报告书（表）批准文件或者办理环境影响登记表备案；"
                              "污染物排放符合国家或地方排放标准和重点污染物排放总量控制要求。",
        legal_days=20, promised_days=10, online_depth=4, supports_mail_delivery=True, result_name="排污许可证",
        exercise_level="city", special_procedures=["expert_review", "site_check"],
        special_procedure_note="实行重点管理的排污单位，法定时限 30 日；需现场核查的核查时间计入承诺时限。",
        steps=flow(10, review="技术审查", site_check=2),
        materials=[form("排污许可证申请表"), m("自行监测方案"), gov("环境影响评价文件审批意见或登记表备案回执", "生态环境主管部门", "环评批复"),
                   m("守法承诺书")],
    ),
    dict(
        name="建设项目环境影响报告表审批", dept="sthj", type="01", audience="company", lane="construction",
        themes=["construction", "investment"], keywords="环评 环评审批 环境影响评价 报告表",
        legal_basis="《中华人民共和国环境影响评价法》第十六条、第二十二条；《建设项目环境保护管理条例》",
        acceptance_conditions="按《建设项目环境影响评价分类管理名录》应编制环境影响报告表的建设项目，符合生态环境分区管控要求。",
        legal_days=30, legal_days_unit="natural", promised_days=10, online_depth=4, supports_mail_delivery=True,
        result_type="approval", result_name="建设项目环境影响报告表批复", exercise_level="city",
        special_procedures=["expert_review"], special_procedure_note="技术评估时间不计入审批时限。",
        materials=[form("建设项目环境影响评价文件审批申请"), agency("建设项目环境影响报告表", "环评文件编制单位")],
    ),
    dict(
        name="建设项目环境影响登记表备案", dept="sthj", type="10", audience="company", lane="construction",
        themes=["construction"], keywords="环评登记表 环评备案", legal_basis="《中华人民共和国环境影响评价法》第二十二条",
        acceptance_conditions="按分类管理名录填报环境影响登记表的建设项目，在网上备案系统填报。",
        legal_days=0, promised_days=0, online_depth=4, supports_mail_delivery=False, result_type="record",
        result_name="环境影响登记表备案回执", materials=[form("建设项目环境影响登记表")],
    ),
    # ------------------------------------------------------------------ 水利局
    dict(
        name="取水许可", dept="slj", type="01", audience="both", lane="construction", themes=["operation", "construction"],
        keywords="取水证 打井 抽水 用水 水资源",
        legal_basis="《中华人民共和国水法》第七条、第四十八条；《取水许可和水资源费征收管理条例》",
        acceptance_conditions="取水符合水资源规划和用水总量控制指标，已进行建设项目水资源论证。",
        legal_days=45, legal_days_unit="natural", promised_days=15, online_depth=3, supports_mail_delivery=True,
        result_type="approval", result_name="取水许可证", special_procedures=["expert_review"],
        materials=[form("取水许可申请书"), agency("建设项目水资源论证报告书（表）", "论证单位"), m("与第三者利害关系的相关说明")],
    ),
    dict(
        name="生产建设项目水土保持方案审批", dept="slj", type="01", audience="company", lane="construction",
        themes=["construction"], keywords="水保方案 水土保持 水保审批",
        legal_basis="《中华人民共和国水土保持法》第二十五条、第二十六条",
        acceptance_conditions="在山区、丘陵区、风沙区以及水土保持规划确定的容易发生水土流失的其他区域开办可能造成水土流失的生产建设项目。",
        legal_days=20, promised_days=5, online_depth=4, supports_mail_delivery=True, result_type="approval",
        result_name="水土保持方案批复", special_procedures=["expert_review"],
        materials=[form("水土保持方案审批申请"), agency("生产建设项目水土保持方案报告书（表）", "编制单位")],
    ),
    dict(
        name="水土保持补偿费征收", dept="slj", type="04", audience="company", lane="construction",
        themes=["construction"], keywords="水保费 水土保持补偿费 征收",
        legal_basis="《中华人民共和国水土保持法》第三十二条；《水土保持补偿费征收使用管理办法》（财综〔2014〕8号）",
        acceptance_conditions="在水土流失易发区开办生产建设项目，损坏水土保持设施、地貌植被，不能恢复原有水土保持功能的单位和个人。",
        legal_days=0, promised_days=0, online_depth=3, supports_mail_delivery=False, supports_online_payment=True,
        result_type="other", result_name="水土保持补偿费缴款通知书及票据",
        materials=[gov("水土保持方案批复", "水行政主管部门", "水土保持方案批复"), licence()],
        fees=[fee("水土保持补偿费", "按征占用土地面积一次性计征，具体标准按省价格、财政主管部门核定的标准执行",
                  "《水土保持补偿费征收使用管理办法》（财综〔2014〕8号）", reducible=True,
                  note="建设学校、幼儿园、医院等公益性工程项目及农民依法建设自用住房免征")],
        has_fee=True,
    ),
]
