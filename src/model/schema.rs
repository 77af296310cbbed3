//! JSON Schema of the guide file, `materials.yaml` and `guide.yaml`, with
//! Chinese descriptions, for editors with a YAML language server.

use super::{
    Audience, BasisRole, CaseType, Channel, CorrectionUnit, DeliveryWay, Form, Kind, Level,
    Necessity, ResultKind, Scope, Source, Unit,
};
use serde_json::{Map, Value, json};

fn text(title: &str) -> Value {
    json!({"type": "string", "title": title})
}

fn words(title: &str, words: &[&str]) -> Value {
    json!({"type": "string", "title": title, "enum": words})
}

fn count(title: &str) -> Value {
    json!({"type": "integer", "minimum": 0, "title": title})
}

fn date(title: &str) -> Value {
    json!({"type": "string", "title": title, "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "年-月-日，例如 2026-03-01"})
}

fn id(title: &str) -> Value {
    json!({"type": "string", "title": title, "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "小写字母、数字和连字符"})
}

fn object(title: &str, props: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let mut m = Map::new();
    for (k, v) in props {
        m.insert(k.to_owned(), v);
    }
    json!({"type": "object", "title": title, "additionalProperties": false, "properties": m, "required": required})
}

fn list(title: &str, items: Value) -> Value {
    json!({"type": "array", "title": title, "items": items})
}

fn positive(title: &str) -> Value {
    json!({"type": "integer", "minimum": 1, "title": title})
}

/// A notice's deadline settings, the same in guide.yaml and in a matter.
fn notice_terms() -> Vec<(&'static str, Value)> {
    vec![
        ("correction_days", positive("补正期限（天数）")),
        (
            "correction_unit",
            words("补正期限的单位（默认 工作日）", CorrectionUnit::WORDS),
        ),
        (
            "not_counted",
            json!({"type": "boolean", "title": "告知单写明“补正时间不计入办理时限”"}),
        ),
    ]
}

/// One text or a list of texts (phones).
fn texts(title: &str) -> Value {
    json!({"title": title, "oneOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1}
    ]})
}

fn contact_props() -> Vec<(&'static str, Value)> {
    vec![
        ("consult", texts("咨询电话（一个或一个列表，加引号）")),
        ("complaint", texts("投诉电话（一个或一个列表，加引号）")),
        ("online", text("网上咨询投诉的网址")),
        ("email", text("电子邮箱")),
        ("letters", text("来信地址")),
    ]
}

fn duration(title: &str) -> Value {
    object(
        title,
        vec![
            ("value", count("数值")),
            ("unit", words("单位", Unit::WORDS)),
            ("note", text("时限说明")),
        ],
        &["value", "unit"],
    )
}

fn material_props(with_when: bool) -> Vec<(&'static str, Value)> {
    let mut v = vec![
        ("name", text("材料名称")),
        ("form", words("材料形式", Form::WORDS)),
        ("originals", count("原件份数")),
        ("copies", count("复印件份数")),
        ("necessity", words("必要性（默认 必要）", Necessity::WORDS)),
        ("source", words("来源渠道", Source::WORDS)),
        ("issuer", text("出具机构")),
        ("spec", text("纸质规格/要求（Markdown）")),
        ("note", text("填报须知/备注（Markdown）")),
        ("blank_form", text("空白表格（项目内路径或网址）")),
        ("sample", text("示例样表（项目内路径或网址）")),
        (
            "e_licence",
            json!({"type": "boolean", "title": "支持电子证照"}),
        ),
        ("substitutes", list("可代替它的材料", text("材料名称"))),
        ("criteria", text("受理标准（Markdown）")),
        ("required_by", text("要求提供材料的依据")),
    ];
    if with_when {
        v.insert(0, ("ref", text("引用材料目录里的材料 id")));
        v.push((
            "when",
            list("仅在这些情形下需要（情形 id）", text("情形 id")),
        ));
        // An alternative: a material without `when`, `necessity` or a
        // group of its own (those are the group's).
        let mut alt = material_props(false);
        alt.insert(0, ("ref", text("引用材料目录里的材料 id")));
        alt.retain(|(k, _)| *k != "necessity");
        let mut group = list(
            "材料组：任选其一（至少两项，ref 引用目录或内联定义）；本项的 name 是组名，只可再写 when、necessity、note",
            object("可选材料", alt, &[]),
        );
        group["minItems"] = json!(2);
        v.push(("one_of", group));
        v.push((
            "produced_by",
            id("一件事里生成这份材料的成员事项 id（该事项一并办理时无需提交）"),
        ));
    }
    v
}

/// 行政复议 and 行政诉讼: a matter's own, or the project's default.
fn remedies() -> Value {
    let body = |title: &str, key: &str, name: &str| {
        object(
            title,
            vec![
                (key, text(name)),
                ("address", text("地址")),
                ("phone", text("电话（加引号）")),
            ],
            &[key],
        )
    };
    object(
        "行政复议和行政诉讼",
        vec![
            ("review", body("行政复议", "department", "复议机关")),
            ("litigation", body("行政诉讼", "court", "人民法院")),
        ],
        &[],
    )
}

/// The schema of one matter file.
pub fn guide_schema() -> Value {
    let md_or_list = json!({"title": "受理条件（Markdown，或 Markdown 列表；一项可写成 {text, when} 只在某些情形适用）", "oneOf": [{"type": "string"}, {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": false, "required": ["text"], "properties": {"text": {"type": "string"}, "when": {"type": "array", "items": {"type": "string"}}}}]}}]});
    let promised = json!({"title": "承诺时限（或写“即办”“未统一”）", "oneOf": [{"const": "即办"}, {"const": "未统一"}, duration("承诺时限")]});
    let mut s = object(
        "办事指南（一个事项）",
        vec![
            ("id", id("事项 id（与文件名相同）")),
            ("name", text("事项名称")),
            ("aliases", list("群众常用的其他叫法", text("别名"))),
            (
                "code",
                text("实施编码（加引号；与 codes.implementation 相同）"),
            ),
            (
                "codes",
                object(
                    "编码",
                    vec![
                        ("basic", text("基本编码")),
                        ("implementation", text("实施编码")),
                        ("item", text("业务办理项编码")),
                    ],
                    &[],
                ),
            ),
            ("kind", words("事项类型", Kind::WORDS)),
            ("department", text("实施主体")),
            ("entrusted_by", text("委托部门")),
            ("joint_departments", list("联办机构", text("联办机构"))),
            ("level", words("行使层级", Level::WORDS)),
            ("scope", words("通办范围", Scope::WORDS)),
            ("quantity_limit", text("数量限制（没有限制写“无”）")),
            (
                "intermediary",
                list(
                    "中介服务（没有写 []，印“无”）",
                    object(
                        "中介服务",
                        vec![
                            ("name", text("名称")),
                            ("provider", text("提供机构")),
                            ("basis", text("依据")),
                        ],
                        &["name"],
                    ),
                ),
            ),
            ("remedies", remedies()),
            ("category", text("分类（手册章节、网站栏目）")),
            (
                "category_id",
                text("分类页面的网址名（categories/ID.html）；不写时取事项所在的文件夹名"),
            ),
            (
                "audience",
                list("服务对象", words("服务对象", Audience::WORDS)),
            ),
            ("summary", text("简介（Markdown）")),
            (
                "basis",
                list(
                    "设定依据",
                    object(
                        "依据",
                        vec![
                            ("role", words("依据类别（默认设定依据）", BasisRole::WORDS)),
                            ("law", text("法律法规名称")),
                            ("doc_no", text("文号")),
                            ("article", text("条款")),
                            ("text", text("条文内容")),
                        ],
                        &["law"],
                    ),
                ),
            ),
            ("conditions", md_or_list),
            (
                "refusals",
                json!({"title": "不予受理情形（Markdown，或 Markdown 列表）", "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
            ),
            (
                "situations",
                list(
                    "申请人情形",
                    object(
                        "情形",
                        vec![
                            ("id", id("情形 id")),
                            ("label", text("情形名称")),
                            ("question", text("询问申请人的问题")),
                        ],
                        &["id", "label"],
                    ),
                ),
            ),
            (
                "materials",
                list(
                    "申请材料",
                    object(
                        "材料（ref 引用目录，或内联定义）",
                        material_props(true),
                        &[],
                    ),
                ),
            ),
            ("materials_note", text("无需材料时的说明（Markdown）")),
            (
                "steps",
                list(
                    "办理流程",
                    object(
                        "步骤",
                        vec![
                            ("name", text("步骤名称")),
                            ("role", text("办理人员/角色")),
                            ("detail", text("说明（Markdown）")),
                            ("limit", text("时限")),
                            ("criteria", text("审查标准")),
                            ("outcome", text("环节结果（本环节出具的文书）")),
                            (
                                "channel",
                                words("办理形式（不同形式分列为不同流程）", Channel::WORDS),
                            ),
                        ],
                        &["name"],
                    ),
                ),
            ),
            (
                "time_limit",
                object(
                    "办结时限",
                    vec![
                        ("legal", duration("法定时限")),
                        ("promised", promised),
                        ("type", words("办件类型", CaseType::WORDS)),
                        ("note", text("时限说明（如“全市无统一时限”的原因）")),
                        (
                            "variants",
                            list(
                                "其他时限（加急、跨省异地、可延长至……）",
                                object(
                                    "其他时限",
                                    vec![
                                        ("label", text("名称，如“加急”")),
                                        ("promised", duration("时限")),
                                        ("when", list("只在这些情形", id("情形 id"))),
                                    ],
                                    &["label", "promised"],
                                ),
                            ),
                        ),
                        ("excluded", list("不计入办理时限的环节", text("环节"))),
                    ],
                    &["promised", "type"],
                ),
            ),
            (
                "special_procedures",
                list(
                    "特别程序（特殊环节）",
                    object(
                        "特别程序",
                        vec![
                            ("name", text("名称，如“专家评审”")),
                            ("limit", text("时限，如“30个工作日”")),
                            ("basis", text("依据")),
                            ("charged", json!({"type": "boolean", "title": "是否收费"})),
                            (
                                "counted",
                                json!({"type": "boolean", "title": "是否计入办理时限"}),
                            ),
                        ],
                        &["name", "limit", "counted"],
                    ),
                ),
            ),
            (
                "fees",
                object(
                    "收费",
                    vec![
                        ("charged", json!({"type": "boolean", "title": "是否收费"})),
                        (
                            "items",
                            list(
                                "收费项目",
                                object(
                                    "收费项目",
                                    vec![
                                        ("name", text("项目名称")),
                                        ("standard", text("收费标准")),
                                        ("basis", text("收费依据")),
                                        ("reducible", text("减免说明")),
                                    ],
                                    &["name", "standard"],
                                ),
                            ),
                        ),
                    ],
                    &["charged"],
                ),
            ),
            (
                "handling",
                object(
                    "办理方式",
                    vec![
                        (
                            "channels",
                            list("办理形式", words("办理形式", Channel::WORDS)),
                        ),
                        (
                            "visits",
                            json!({"title": "到现场次数（一个数，或按办理形式分别写）", "oneOf": [
                                {"type": "integer", "minimum": 0},
                                {"type": "object", "propertyNames": {"enum": Channel::WORDS}, "additionalProperties": {"type": "integer", "minimum": 0}}
                            ]}),
                        ),
                        ("visit_reason", text("必须到现场的原因")),
                        (
                            "online",
                            object(
                                "网上办理（写 {} 表示可网上办理但没有网址）",
                                vec![
                                    ("url", text("网址")),
                                    ("app", text("App 或小程序")),
                                    ("note", text("说明")),
                                ],
                                &[],
                            ),
                        ),
                        (
                            "mail",
                            object(
                                "材料邮寄",
                                vec![
                                    ("address", text("邮寄地址")),
                                    ("recipient", text("收件人")),
                                    ("phone", text("收件电话（加引号）")),
                                ],
                                &["address"],
                            ),
                        ),
                        ("appointment", text("预约方式")),
                        (
                            "express",
                            json!({"type": "boolean", "title": "结果可邮寄送达"}),
                        ),
                        (
                            "locations",
                            list(
                                "办理地点",
                                object(
                                    "地点",
                                    vec![
                                        ("address", text("地址")),
                                        ("window", text("窗口")),
                                        ("hours", text("办公时间")),
                                        ("transit", text("交通指引")),
                                    ],
                                    &["address"],
                                ),
                            ),
                        ),
                    ],
                    &[],
                ),
            ),
            (
                "result",
                object(
                    "办理结果",
                    vec![
                        ("name", text("结果名称")),
                        ("kind", words("审批结果类型", ResultKind::WORDS)),
                        ("sample", text("结果样本")),
                        ("validity", text("有效期")),
                        (
                            "delivery",
                            json!({"title": "送达方式（列表，或照原文写一句话）", "oneOf": [
                                {"type": "array", "items": {"type": "string", "enum": DeliveryWay::WORDS}, "minItems": 1},
                                {"type": "string"}
                            ]}),
                        ),
                    ],
                    &["name"],
                ),
            ),
            (
                "contact",
                object(
                    "咨询与投诉（没写的各项取 guide.yaml 的）",
                    contact_props(),
                    &[],
                ),
            ),
            ("green_channel", text("绿色通道（Markdown）")),
            (
                "faq",
                list(
                    "常见问题",
                    object(
                        "问答",
                        vec![("q", text("问题")), ("a", text("回答（Markdown）"))],
                        &["q", "a"],
                    ),
                ),
            ),
            ("notice", {
                let mut props = vec![(
                    "legal_clause",
                    text("告知单引用的法律依据（覆盖 guide.yaml 按事项类型的设置）"),
                )];
                props.extend(notice_terms());
                object("本事项的一次性告知单", props, &[])
            }),
            ("effective", date("施行日期")),
            ("expires", date("失效日期")),
            ("review_by", date("下次复核日期")),
            (
                "changelog",
                list(
                    "变更记录（新的在前）",
                    object(
                        "变更",
                        vec![("date", date("日期")), ("change", text("变更内容"))],
                        &["date", "change"],
                    ),
                ),
            ),
            (
                "bundle",
                object(
                    "一件事：把几个事项合并成一次申请",
                    vec![
                        ("members", list("必办的成员事项", id("事项 id"))),
                        (
                            "optional",
                            list("申请人可选的成员事项（不与 members 重复）", id("事项 id")),
                        ),
                    ],
                    &["members"],
                ),
            ),
        ],
        super::GUIDE_REQUIRED,
    );
    s["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    s
}

/// The schema of `materials.yaml`.
pub fn materials_schema() -> Value {
    let mut props = material_props(false);
    props.insert(0, ("id", id("材料 id")));
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "共享材料目录",
        "type": "array",
        "items": object("目录材料", props, &["id", "name"]),
    })
}

/// The schema of `guide.yaml`.
pub fn config_schema() -> Value {
    let mut s = object(
        "项目设置",
        vec![
            ("title", text("标题")),
            ("organization", text("发布机构")),
            ("edition", text("版次")),
            ("base_url", text("网站发布地址")),
            (
                "contact",
                object(
                    "默认联系方式",
                    {
                        let mut v = contact_props();
                        v.push(("address", text("地址")));
                        v.push(("hours", text("办公时间")));
                        v
                    },
                    &["consult", "complaint"],
                ),
            ),
            (
                "departments",
                list(
                    "部门",
                    object(
                        "部门",
                        vec![
                            ("name", text("名称")),
                            ("short", text("简称")),
                            ("address", text("地址")),
                            ("phone", text("电话（告知单上印作窗口电话）")),
                        ],
                        &["name"],
                    ),
                ),
            ),
            ("notice", {
                let mut props = vec![
                    ("issuer", text("出具单位")),
                    (
                        "number_pattern",
                        text("编号格式，{year} 年份，{seq} 序号（{seq:4} 补足 4 位）"),
                    ),
                    (
                        "desk_url",
                        text(
                            "窗口工作台（guide serve）的地址；写了它，编号的告知单另印一个二维码，窗口扫码调取本单",
                        ),
                    ),
                ];
                props.extend(notice_terms());
                props.push((
                    "legal_clause",
                    text("行政许可事项的法律依据（legal_clauses 没写行政许可时使用）"),
                ));
                props.push((
                    "legal_clauses",
                    json!({
                        "type": "object",
                        "title": "按事项类型的法律依据；没写的类型不引用法律依据",
                        "propertyNames": {"enum": Kind::WORDS},
                        "additionalProperties": text("该类型事项的法律依据"),
                    }),
                ));
                object("一次性告知单", props, &[])
            }),
            ("remedies", remedies()),
            (
                "categories",
                list(
                    "分类顺序：手册、网站和 guide list 按这个顺序排列分类",
                    text("分类"),
                ),
            ),
            (
                "search",
                object(
                    "网站搜索",
                    vec![(
                        "synonyms",
                        list(
                            "同义词：每组是群众眼里意思相同的几个词，搜其中一个也能找到用另一个词的事项",
                            json!({"type": "array", "title": "一组同义词（至少两个词）", "items": text("词"), "minItems": 2}),
                        ),
                    )],
                    &[],
                ),
            ),
            (
                "booklet",
                object(
                    "一翻清手册",
                    vec![
                        ("paper", words("纸张", &["A5", "A4"])),
                        (
                            "large_print",
                            json!({"type": "boolean", "title": "适老化大字版"}),
                        ),
                        (
                            "print",
                            json!({"type": "boolean", "title": "同时生成印刷版 booklet-print.pdf（3 毫米出血、页数为 4 的倍数、封底）"}),
                        ),
                        (
                            "crop_marks",
                            json!({"type": "boolean", "title": "印刷版加裁切线（同时生成印刷版）"}),
                        ),
                        (
                            "fonts",
                            object(
                                "字体文件",
                                vec![
                                    ("regular", text("常规字体")),
                                    ("bold", text("粗体")),
                                    (
                                        "fallback",
                                        text("生僻字备用字体（字符更全的字体，如 Noto Sans CJK）"),
                                    ),
                                ],
                                &[],
                            ),
                        ),
                    ],
                    &[],
                ),
            ),
            (
                "site",
                object(
                    "网站页脚的备案信息",
                    vec![
                        ("identifier", text("网站标识码")),
                        ("icp", text("ICP备案号，例如 新ICP备12345678号")),
                        (
                            "police",
                            text("公安机关备案号，例如 新公网安备65010202000001号"),
                        ),
                    ],
                    &[],
                ),
            ),
            (
                "register",
                object(
                    "告知单登记簿（guide serve 和 guide notice 用）",
                    vec![
                        (
                            "url",
                            text(
                                "登记簿数据库地址 postgres://用户名@服务器:端口/数据库名（不写密码：密码放在环境变量 GUIDE_REGISTER_PASSWORD 里）；不写则用 guide.yaml 旁的 notices.db",
                            ),
                        ),
                        (
                            "hall",
                            text("本大厅的名称（编号格式里的 {hall}；命令行 --hall 优先）"),
                        ),
                    ],
                    &[],
                ),
            ),
        ],
        super::CONFIG_REQUIRED,
    );
    s["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    s
}
