//! Format 2: the elements real published guides state, each under its own
//! label in every output where a citizen or clerk would look for it.

mod common;

use common::{BASIC, TestProject, pdf_flat, pdf_text};

fn with(extra: &str) -> TestProject {
    TestProject::new().basic_with("kind: 公共服务\n", &format!("kind: 公共服务\n{extra}"))
}

#[test]
fn codes_level_scope_and_quantity_are_printed_under_their_own_labels() {
    let p = with(
        "codes:\n  basic: \"0001\"\n  implementation: \"0001-650100\"\n  item: \"000101\"\n\
         entrusted_by: 测试市人民政府\njoint_departments: [测试市民政局, 测试市卫健委]\n\
         level: 县级\nscope: 跨省通办\nquantity_limit: 无\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "basic"]).stdout;
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    let data = std::fs::read_to_string(p.path().join("dist/data/guides.json")).unwrap();
    for fact in [
        "基本编码：0001",
        "实施编码：0001-650100",
        "业务办理项编码：000101",
        "委托部门：测试市人民政府",
        "联办机构：测试市民政局、测试市卫健委",
        "行使层级：县级",
        "通办范围：跨省通办",
        "数量限制：无",
    ] {
        assert!(show.contains(fact), "show lacks {fact}:\n{show}");
        assert!(page.contains(fact), "site lacks {fact}");
    }
    // The basic code is never labelled 实施编码 (a real page did that).
    assert!(!show.contains("实施编码：0001　"), "{show}");
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(v["matters"][0]["codes"]["basic"], "0001");
    assert_eq!(v["matters"][0]["scope"], "跨省通办");
}

#[test]
fn code_and_codes_implementation_must_agree() {
    let p = with("code: \"1\"\ncodes:\n  implementation: \"2\"\n");
    let out = p.check();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[conflicting-code]"),
        "{}",
        out.stderr
    );
    let p = with("code: \"2\"\ncodes:\n  implementation: \"2\"\n");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
}

#[test]
fn refusals_are_their_own_section_after_the_conditions() {
    let p =
        with("conditions: 本市户籍居民。\nrefusals:\n  - 提供虚假材料的。\n  - 已在外地办理的。\n");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "basic"]).stdout;
    let c = show.find("受理条件").expect("conditions");
    let r = show.find("不予受理情形").expect("refusals");
    assert!(c < r && show.contains("1. 提供虚假材料的。"), "{show}");
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(
        page.contains("不予受理情形") && page.contains("<li>已在外地办理的。</li>"),
        "{page}"
    );
    let booklet = pdf_text(&p.path().join("dist/booklet.pdf"), &[]);
    let (c, r) = (
        booklet.find("受理条件").unwrap(),
        booklet.find("不予受理情形").unwrap(),
    );
    assert!(c < r && booklet.contains("提供虚假材料的。"), "{booklet}");
}

#[test]
fn a_change_of_scope_or_refusals_shows_in_diff() {
    let old = TestProject::new();
    let new = TestProject::new().file(
        "guides/hukou/basic.yaml",
        &BASIC.replace(
            "kind: 公共服务\n",
            "kind: 公共服务\nscope: 全省通办\nrefusals: 提供虚假材料的。\n",
        ),
    );
    let out = new.run(&[
        "diff",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("通办范围：（未注明） → 全省通办"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("不予受理情形：（未注明） → 提供虚假材料的。"),
        "{}",
        out.stdout
    );
}

#[test]
fn time_limits_carry_notes_variants_and_what_is_not_counted() {
    let p = TestProject::new().basic_with(
        "  promised: {value: 10, unit: 工作日}\n",
        "  legal: {value: 20, unit: 工作日, note: 自受理之日起计算}\n  promised: {value: 10, unit: 工作日}\n  variants:\n    - label: 加急\n      promised: {value: 5, unit: 工作日}\n    - label: 可延长至\n      promised: {value: 30, unit: 工作日}\n  excluded: [网上预审, 制证及邮寄]\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "basic"]).stdout;
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    for line in [
        "法定办结时限：20个工作日，自受理之日起计算",
        "承诺办结时限：10个工作日（承诺件）",
        "加急：5个工作日",
        "可延长至：30个工作日",
        "不计入办理时限：网上预审、制证及邮寄",
    ] {
        assert!(show.contains(line), "show lacks {line}:\n{show}");
        let (label, text) = line.split_once('：').unwrap();
        assert!(
            page.contains(&format!("<dt>{label}</dt><dd>{text}</dd>")),
            "site lacks {line}"
        );
    }
}

#[test]
fn no_unified_time_limit_is_stated_with_its_reason() {
    let p = TestProject::new().basic_with(
        "  promised: {value: 10, unit: 工作日}\n",
        "  promised: 未统一\n  note: 全市无统一时限，以各区窗口告知为准\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let show = p.run(&["show", "basic"]).stdout;
    assert!(show.contains("承诺办结时限：未统一（承诺件）"), "{show}");
    assert!(
        show.contains("时限说明：全市无统一时限，以各区窗口告知为准"),
        "{show}"
    );
    let bare = TestProject::new().basic_with(
        "  promised: {value: 10, unit: 工作日}\n",
        "  promised: 未统一\n",
    );
    let out = bare.check();
    assert!(
        out.stderr.contains("warning[missing-element]") && out.stderr.contains("time_limit.note"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_mail_in_matter_is_not_called_online_and_each_channel_has_its_visits() {
    let handling = |h: &str| {
        TestProject::new().basic_with(
            "handling:\n  visits: 1\n  visit_reason: 现场核验身份\n  locations:\n    - address: 测试市人民路1号\n",
            &format!("handling:\n{h}"),
        )
    };
    let mail = handling(
        "  channels: [邮寄办理]\n  visits: 0\n  mail: {address: 测试市人民路1号, recipient: 李四, phone: \"0991-1234568\"}\n",
    );
    assert_eq!(mail.check().code, 0, "{}", mail.check().stderr);
    let show = mail.run(&["show", "basic"]).stdout;
    assert!(show.contains("到现场次数：0次（邮寄办理）"), "{show}");
    assert!(!show.contains("全程网上办理"), "{show}");
    assert!(show.contains("办理形式：邮寄办理"), "{show}");
    assert!(
        show.contains("材料邮寄：测试市人民路1号（收件人：李四，电话：0991-1234568）"),
        "{show}"
    );
    let both = handling(
        "  channels: [网上办理, 窗口办理]\n  visits: {网上办理: 0, 窗口办理: 1}\n  visit_reason: 现场核验身份\n  online: {}\n  locations:\n    - address: 测试市人民路1号\n      transit: 乘BRT1号线到人民路站\n",
    );
    assert_eq!(both.check().code, 0, "{}", both.check().stderr);
    assert_eq!(both.run(&["build"]).code, 0);
    let show = both.run(&["show", "basic"]).stdout;
    assert!(
        show.contains("到现场次数：网上办理0次；窗口办理1次（现场核验身份）"),
        "{show}"
    );
    assert!(show.contains("网上办理：可网上办理"), "{show}");
    assert!(show.contains("交通指引：乘BRT1号线到人民路站"), "{show}");
    let page = std::fs::read_to_string(both.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(
        page.contains("网上办理0次；窗口办理1次（现场核验身份）"),
        "{page}"
    );
    assert!(page.contains("交通指引：乘BRT1号线到人民路站"), "{page}");
    // A per-channel visit count needing the window still needs a reason.
    let bare = handling("  visits: {窗口办理: 1}\n  locations:\n    - address: 测试市人民路1号\n");
    assert!(
        bare.check().stderr.contains("error[visit-reason]"),
        "{}",
        bare.check().stderr
    );
}

#[test]
fn setting_and_implementing_basis_print_in_two_groups() {
    let p = with(
        "basis:\n  - law: 《居住证暂行条例》\n  - role: 实施依据\n    law: 《测试市居住证实施办法》\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    let (s, i) = (
        page.find("<h3>设定依据</h3>").unwrap(),
        page.find("<h3>实施依据</h3>").unwrap(),
    );
    let law = page.find("《测试市居住证实施办法》").unwrap();
    assert!(page.contains("办理依据") && s < i && i < law, "{page}");
    let booklet = pdf_text(&p.path().join("dist/booklet.pdf"), &[]);
    assert!(
        booklet.contains("办理依据") && booklet.contains("实施依据"),
        "{booklet}"
    );
    // One role only: the section is named after it, no group headings.
    let one = with("basis:\n  - law: 《居住证暂行条例》\n");
    assert_eq!(one.run(&["build", "--only", "site"]).code, 0);
    let page = std::fs::read_to_string(one.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(
        page.contains("设定依据") && !page.contains("<h3>"),
        "{page}"
    );
}

/// The basic matter with a catalogue whose 居民身份证 carries the material
/// keys of format 2, and two inline materials: one produced inside the
/// process, one that a signed 承诺书 may replace.
fn with_material_keys() -> TestProject {
    TestProject::new()
        .file(
            "materials.yaml",
            "- id: id-card\n  name: 居民身份证\n  form: 原件\n  e_licence: true\n  \
             substitutes: [临时居民身份证, 户口簿]\n  criteria: 在有效期内。\n  \
             required_by: 《居住证暂行条例》第九条\n\
             - id: photo\n  name: 近期免冠照片\n  form: 原件\n  originals: 2\n  \
             source: 网上下载或窗口索取\n",
        )
        .basic_with(
            "steps:\n",
            "  - name: 受理回执\n    form: 原件\n    source: 办理过程中生成\n\
             \x20 - name: 无犯罪记录证明\n    form: 原件\n    necessity: 告知承诺\n\
             steps:\n",
        )
}

/// Every output of the project with the material keys: show, site page,
/// guides.json, booklet text and blank notice text (white space removed).
struct Outputs {
    show: String,
    page: String,
    data: serde_json::Value,
    booklet: String,
    notice: String,
}

fn outputs(p: &TestProject) -> Outputs {
    let check = p.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let build = p.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let dist = p.path().join("dist");
    Outputs {
        show: p.run(&["show", "basic"]).stdout,
        page: std::fs::read_to_string(dist.join("site/matters/basic.html")).unwrap(),
        data: serde_json::from_str(
            &std::fs::read_to_string(dist.join("data/guides.json")).unwrap(),
        )
        .unwrap(),
        booklet: pdf_flat(&dist.join("booklet.pdf")),
        notice: pdf_flat(&dist.join("notices/basic.pdf")),
    }
}

#[test]
fn an_electronic_licence_is_part_of_the_requirement_everywhere() {
    let o = outputs(&with_material_keys());
    let req = "原件1份，必要，可用电子证照";
    assert!(
        o.show.contains(&format!("居民身份证（{req}）")),
        "{}",
        o.show
    );
    assert!(o.page.contains(req), "site");
    assert!(o.notice.contains(req), "notice: {}", o.notice);
    assert!(o.booklet.contains("可用电子证照"), "booklet: {}", o.booklet);
    let m = &o.data["matters"][0];
    assert_eq!(m["materials"][0]["e_licence"], true);
    assert_eq!(m["words"]["materials"][0]["requirement"], req);
    // Absent: never said.
    assert_eq!(m["words"]["materials"][1]["requirement"], "原件2份，必要");
}

#[test]
fn substitutes_criteria_and_required_by_are_shown_with_the_material() {
    let o = outputs(&with_material_keys());
    let sub = "可用临时居民身份证或户口簿代替";
    let detail = format!("{sub}；受理标准：在有效期内。");
    assert!(
        o.show.contains(&format!("要求：{detail}")),
        "show: {}",
        o.show
    );
    assert!(
        o.show.contains("依据：《居住证暂行条例》第九条"),
        "{}",
        o.show
    );
    for (name, text) in [("site", &o.page), ("booklet", &o.booklet)] {
        for phrase in [
            sub,
            "受理标准：",
            "在有效期内。",
            "依据：《居住证暂行条例》第九条",
        ] {
            assert!(text.contains(phrase), "{name} lacks {phrase}: {text}");
        }
    }
    // The notice's 要求 line carries the criteria, not the 依据.
    assert!(
        o.notice.contains(&format!("要求：{detail}")),
        "{}",
        o.notice
    );
    let w = &o.data["matters"][0]["words"]["materials"][0];
    assert_eq!(w["detail"], detail.as_str());
    assert_eq!(w["required_by"], "依据：《居住证暂行条例》第九条");
    let m = &o.data["matters"][0]["materials"][0];
    assert_eq!(m["criteria"], "在有效期内。");
    assert_eq!(m["substitutes"][1], "户口簿");
}

#[test]
fn a_material_produced_in_the_process_is_shown_but_never_asked_for() {
    let p = with_material_keys();
    let o = outputs(&p);
    let said = "受理回执（原件1份，必要）（办理过程中生成，无需提交）";
    assert!(o.show.contains(said), "{}", o.show);
    assert!(o.page.contains("办理过程中生成，无需提交"), "site");
    assert!(
        o.booklet.contains("受理回执（办理过程中生成，无需提交）"),
        "{}",
        o.booklet
    );
    // The large-print edition lists materials as blocks: the same words.
    let large = p.run(&["build", "--only", "booklet", "--large-print"]);
    assert_eq!(large.code, 0, "{}", large.stderr);
    let large = pdf_flat(&p.path().join("dist/booklet.pdf"));
    for said in [
        "受理回执（办理过程中生成，无需提交）",
        "可用电子证照",
        "可签署告知承诺书代替",
    ] {
        assert!(large.contains(said), "large print lacks {said}: {large}");
    }
    assert!(!o.notice.contains("受理回执"), "blank notice: {}", o.notice);
    let site_notice =
        std::fs::read_to_string(p.path().join("dist/site/matters/basic/notice.html")).unwrap();
    assert!(!site_notice.contains("受理回执"), "{site_notice}");
    assert_eq!(
        o.data["matters"][0]["materials"][3]["source"],
        "办理过程中生成"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_guide_env(
        p.path(),
        &[
            "notice",
            "--register",
            dir.path().join("n.db").to_str().unwrap(),
            "--new-register",
            "basic",
            "-m",
            "受理回执",
            "--applicant",
            "张三",
            "-o",
            dir.path().join("n.pdf").to_str().unwrap(),
        ],
        &[
            ("SOURCE_DATE_EPOCH", common::TODAY_EPOCH),
            ("GUIDE_TEST_NOW", common::TODAY_EPOCH),
        ],
    );
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("“受理回执”是办理过程中生成的，不能列为缺少的材料"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("n.pdf").exists());
}

#[test]
fn a_pledge_material_says_a_signed_pledge_may_replace_it() {
    let o = outputs(&with_material_keys());
    assert!(
        o.show.contains("无犯罪记录证明（原件1份，告知承诺）"),
        "{}",
        o.show
    );
    assert!(o.show.contains("可签署告知承诺书代替"), "{}", o.show);
    assert!(o.notice.contains("可签署告知承诺书代替"), "{}", o.notice);
    assert!(o.booklet.contains("告知承诺"), "{}", o.booklet);
    assert!(o.page.contains("可签署告知承诺书代替"), "site");
    assert_eq!(
        o.data["matters"][0]["words"]["materials"][4]["pledge"],
        "可签署告知承诺书代替"
    );
}

#[test]
fn a_ref_takes_the_material_keys_from_the_catalogue() {
    let p =
        TestProject::new().basic_with("  - ref: photo\n", "  - ref: photo\n    e_licence: true\n");
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("e_licence"), "{}", out.stderr);
}

#[test]
fn a_change_of_material_keys_shows_in_diff() {
    let old = TestProject::new();
    let new = TestProject::new()
        .file(
            "materials.yaml",
            &common::CATALOGUE.replace(
                "  name: 居民身份证\n  form: 原件\n",
                "  name: 居民身份证\n  form: 原件\n  e_licence: true\n  substitutes: [临时居民身份证]\n  \
                 required_by: 《居住证暂行条例》第九条\n",
            ),
        );
    let out = new.run(&[
        "diff",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for said in [
        "原件1份，必要 → 原件1份，必要，可用电子证照",
        "可用临时居民身份证代替",
        "依据：《居住证暂行条例》第九条",
    ] {
        assert!(out.stdout.contains(said), "{said}: {}", out.stdout);
    }
}

#[test]
fn intermediary_and_remedies_are_stated_where_citizens_look() {
    let p = TestProject::new()
        .file(
            "guide.yaml",
            &format!(
                "{}remedies:\n  review: {{department: 测试市人民政府, phone: \"0991-7654321\"}}\n  litigation: {{court: 测试市人民法院}}\n",
                common::CONFIG
            ),
        )
        .basic_with("kind: 公共服务\n", "kind: 公共服务\nintermediary: []\n");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "basic"]).stdout;
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    for line in [
        "中介服务：无",
        "行政复议：测试市人民政府（电话：0991-7654321）",
        "行政诉讼：测试市人民法院",
    ] {
        assert!(show.contains(line), "show lacks {line}:\n{show}");
        let (label, text) = line.split_once('：').unwrap();
        assert!(
            page.contains(&format!("<dt>{label}</dt><dd>{text}</dd>")) || page.contains(line),
            "site lacks {line}"
        );
    }
    // A matter's own remedy wins over the project's.
    let own = TestProject::new()
        .file(
            "guide.yaml",
            &format!(
                "{}remedies:\n  review: {{department: 测试市人民政府}}\n",
                common::CONFIG
            ),
        )
        .basic_with(
            "kind: 公共服务\n",
            "kind: 公共服务\nremedies:\n  review: {department: 测试省公安厅}\n",
        );
    let show = own.run(&["show", "basic"]).stdout;
    assert!(
        show.contains("行政复议：测试省公安厅") && !show.contains("测试市人民政府"),
        "{show}"
    );
}

#[test]
fn steps_show_criteria_and_outcomes_and_channels_are_separate_flows() {
    let p = TestProject::new().basic_with(
        "steps:\n  - name: 受理\n",
        "steps:\n  - {name: 网上申请, channel: 网上办理}\n  - {name: 网上预审, channel: 网上办理, criteria: 材料齐全、清晰}\n  - {name: 受理, channel: 窗口办理, outcome: 受理通知书}\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "basic"]).stdout;
    let online = show.find("  网上办理\n").expect("an online flow");
    let window = show.find("  窗口办理\n").expect("a window flow");
    assert!(online < window, "{show}");
    assert!(
        show.contains("2. 网上预审") && show.contains("1. 受理"),
        "{show}"
    );
    assert!(show.contains("审查标准：材料齐全、清晰"), "{show}");
    assert!(show.contains("环节结果：受理通知书"), "{show}");
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(
        page.contains("<h3>网上办理</h3>") && page.contains("<h3>窗口办理</h3>"),
        "{page}"
    );
    assert!(page.contains("<div>环节结果：受理通知书</div>"), "{page}");
}

#[test]
fn a_key_written_in_chinese_names_the_english_key_meant() {
    let p = TestProject::new().basic_with("  - ref: photo\n", "  - ref: photo\n    份数：一份\n");
    let out = p.check();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[chinese-key]: `份数` 是中文键名"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`originals` 或 `copies`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("缺少冒号"), "{}", out.stderr);
    let p = TestProject::new().basic_with(
        "name: 居住证申领\n",
        "name: 居住证申领\n事项类型: 公共服务\n",
    );
    let out = p.check();
    assert!(
        out.stderr.contains("`事项类型` 是中文键名") && out.stderr.contains("应写成 `kind`"),
        "{}",
        out.stderr
    );
    // Prose with a colon in a list stays prose.
    let p = TestProject::new().basic_with(
        "kind: 公共服务\n",
        "kind: 公共服务\nconditions:\n  - 注意：须本人到场\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
}

#[test]
fn a_condition_for_some_situations_only_says_so_everywhere() {
    let p =
        with("conditions:\n  - 本市户籍居民。\n  - {text: 代办人须年满18周岁。, when: [agent]}\n");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "basic"]).stdout;
    assert!(
        show.contains("2. 代办人须年满18周岁。〔仅限：委托他人代办〕"),
        "{show}"
    );
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(
        page.contains("代办人须年满18周岁。 <span class=\"only\">仅限：委托他人代办</span>"),
        "{page}"
    );
    let booklet: String = pdf_text(&p.path().join("dist/booklet.pdf"), &[])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        booklet.contains("代办人须年满18周岁。（仅限：委托他人代办）"),
        "{booklet}"
    );
    let bad = with("conditions:\n  - {text: 代办人须年满18周岁。, when: [agnet]}\n");
    assert!(
        bad.check().stderr.contains("error[unknown-situation]"),
        "{}",
        bad.check().stderr
    );
}

#[test]
fn special_procedures_are_printed_with_the_time_limits_everywhere() {
    let p = with(
        "special_procedures:\n  - name: 专家评审\n    limit: 30个工作日\n    basis: 《中华人民共和国行政许可法》第四十五条\n    charged: false\n    counted: false\n  - name: 现场核查\n    limit: 5个工作日\n    counted: true\n",
    );
    let o = outputs(&p);
    let lines = [
        (
            "特别程序（专家评审）",
            "30个工作日，不计入办理时限，不收费；依据：《中华人民共和国行政许可法》第四十五条",
        ),
        ("特别程序（现场核查）", "5个工作日，计入办理时限"),
    ];
    for (label, text) in lines {
        assert!(
            o.show.contains(&format!("{label}：{text}")),
            "show lacks {label}:\n{}",
            o.show
        );
        assert!(
            o.page.contains(&format!("<dt>{label}</dt><dd>{text}</dd>")),
            "site lacks {label}"
        );
        let flat: String = format!("{label}：{text}")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(o.booklet.contains(&flat), "booklet lacks {label}");
    }
    // Listed in the 办理时限 section, after the promised limit.
    let time = o.show.find("办理时限\n").unwrap();
    assert!(o.show.find("特别程序（专家评审）").unwrap() > time);
    assert_eq!(
        o.data["matters"][0]["special_procedures"][0]["counted"],
        false
    );
    // Whether it counts is never guessed.
    let p = with("special_procedures:\n  - name: 专家评审\n    limit: 30个工作日\n");
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("counted"), "{}", out.stderr);
    // A matter with special procedures but no time limit still has the section.
    let p = TestProject::new().basic_with(
        "time_limit:\n  promised: {value: 10, unit: 工作日}\n  type: 承诺件\n",
        "special_procedures:\n  - name: 听证\n    limit: 20日\n    counted: false\n",
    );
    let show = p.run(&["show", "basic"]).stdout;
    assert!(
        show.contains("办理时限\n  特别程序（听证）：20日，不计入办理时限"),
        "{show}"
    );
}

#[test]
fn result_kind_and_delivery_list_are_printed_and_checked() {
    let p = TestProject::new().basic_with(
        "result:\n  name: 居住证\n",
        "result:\n  name: 居住证\n  kind: 出证\n  delivery: [窗口领取, 邮寄送达]\n",
    );
    let o = outputs(&p);
    for (label, text) in [
        ("办理结果", "居住证"),
        ("审批结果类型", "出证"),
        ("送达方式", "窗口领取、邮寄送达"),
    ] {
        assert!(
            o.show.contains(&format!("{label}：{text}\n")),
            "show lacks {label}:\n{}",
            o.show
        );
        assert!(
            o.page.contains(&format!("<dt>{label}</dt><dd>{text}</dd>")),
            "site lacks {label}"
        );
        assert!(
            o.booklet.contains(&format!("{label}：{text}")),
            "booklet lacks {label}"
        );
    }
    assert_eq!(o.data["matters"][0]["result"]["delivery"][1], "邮寄送达");
    assert_eq!(o.data["matters"][0]["result"]["kind"], "出证");
    // A sentence as the guide words it stays valid.
    let p = TestProject::new().basic_with(
        "result:\n  name: 居住证\n",
        "result:\n  name: 居住证\n  delivery: 当场领取\n",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert!(
        p.run(&["show", "basic"])
            .stdout
            .contains("送达方式：当场领取\n")
    );
    // 无 stands alone; a word not in the list is an error; express agrees.
    for (result, handling, code) in [
        ("  delivery: [无, 窗口领取]\n", "", "error[delivery]"),
        ("  delivery: [快递到家]\n", "", "快递到家"),
        ("  delivery: []\n", "", "error[empty-value]"),
        (
            "  delivery: [窗口领取]\n",
            "  express: true\n",
            "error[delivery]",
        ),
        ("  kind: 发证\n", "", "发证"),
    ] {
        let p = TestProject::new().basic_with(
            "result:\n  name: 居住证\n",
            &format!("result:\n  name: 居住证\n{result}"),
        );
        let p = if handling.is_empty() {
            p
        } else {
            let text = std::fs::read_to_string(p.path().join("guides/hukou/basic.yaml")).unwrap();
            p.file(
                "guides/hukou/basic.yaml",
                &text.replace("  visits: 1\n", &format!("  visits: 1\n{handling}")),
            )
        };
        let out = p.check();
        assert_eq!(out.code, 1, "{result}{handling}: {}", out.stderr);
        assert!(out.stderr.contains(code), "{code}: {}", out.stderr);
        assert!(out.stderr.contains("basic.yaml:"), "{}", out.stderr);
    }
    // With a delivery list the list says it: no second “可邮寄送达” line.
    let p = TestProject::new().basic_with(
        "result:\n  name: 居住证\n",
        "result:\n  name: 居住证\n  delivery: [邮寄送达]\n",
    );
    let text = std::fs::read_to_string(p.path().join("guides/hukou/basic.yaml")).unwrap();
    let p = p.file(
        "guides/hukou/basic.yaml",
        &text.replace("  visits: 1\n", "  visits: 1\n  express: true\n"),
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let show = p.run(&["show", "basic"]).stdout;
    assert!(!show.contains("可邮寄送达"), "{show}");
    assert!(show.contains("送达方式：邮寄送达"), "{show}");
}

#[test]
fn several_phones_a_web_address_an_email_and_letters_are_contacts() {
    let p = with(
        "contact:\n  consult: [\"0991-1111111\", \"0991-2222222\"]\n  email: ask@example.gov.cn\n  letters: 测试市人民路1号 邮编830000\n",
    )
    .file(
        "guide.yaml",
        &common::CONFIG.replace(
            "  complaint: \"12345\"\n",
            "  complaint: \"12345\"\n  online: https://zwfw.example.gov.cn/hudong/\n",
        ),
    );
    let o = outputs(&p);
    for line in [
        "咨询电话：0991-1111111、0991-2222222",
        // Not stated by the matter: guide.yaml's, key by key.
        "投诉电话：12345",
        "网上咨询投诉：https://zwfw.example.gov.cn/hudong/",
        "电子邮箱：ask@example.gov.cn",
        "来信地址：测试市人民路1号 邮编830000",
    ] {
        assert!(o.show.contains(line), "show lacks {line}:\n{}", o.show);
        let flat: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(o.booklet.contains(&flat), "booklet lacks {line}");
    }
    // Each phone its own link; the e-mail and web address are links.
    for link in [
        "<a href=\"tel:0991-1111111\">0991-1111111</a>、<a href=\"tel:0991-2222222\">0991-2222222</a>",
        "<a href=\"mailto:ask@example.gov.cn\">ask@example.gov.cn</a>",
        "<a href=\"https://zwfw.example.gov.cn/hudong/\">",
    ] {
        assert!(o.page.contains(link), "site lacks {link}");
    }
    // The notice has room for the phones.
    assert!(
        o.notice.contains("咨询电话：0991-1111111、0991-2222222"),
        "{}",
        o.notice
    );
    let contacts = o.data["matters"][0]["words"]["contacts"]
        .as_array()
        .unwrap();
    assert_eq!(contacts[0]["key"], "contact.consult");
}

#[test]
fn contact_values_are_checked() {
    for (contact, code) in [
        (
            "contact:\n  consult: [\"0991-1111111\", \"12345\"]\n  complaint: \"12345\"\n",
            "error[same-phone]",
        ),
        ("contact:\n  email: 咨询邮箱\n", "error[bad-email]"),
        ("contact:\n  online: www.example.gov.cn\n", "error[bad-url]"),
        ("contact: {}\n", "error[empty-value]"),
        ("contact:\n  consult: []\n", "error[empty-value]"),
    ] {
        let out = with(contact).check();
        assert_eq!(out.code, 1, "{contact}: {}", out.stderr);
        assert!(out.stderr.contains(code), "{contact}: {}", out.stderr);
        assert!(
            out.stderr.contains("guides/hukou/basic.yaml:"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn result_contact_and_special_procedures_changes_show_in_diff() {
    let old = TestProject::new();
    let new = TestProject::new().file(
        "guides/hukou/basic.yaml",
        &BASIC
            .replace(
                "result:\n  name: 居住证\n",
                "result:\n  name: 居住证\n  delivery: [邮寄送达]\ncontact:\n  consult: [\"0991-1111111\", \"0991-2222222\"]\n",
            )
            .replace(
                "fees:\n",
                "special_procedures:\n  - name: 听证\n    limit: 20日\n    counted: false\nfees:\n",
            ),
    );
    let out = new.run(&[
        "diff",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for change in [
        "送达方式：（未注明） → 邮寄送达",
        "咨询电话：0991-1234567 → 0991-1111111、0991-2222222",
        "特别程序（听证）：（未注明） → 20日，不计入办理时限",
    ] {
        assert!(out.stdout.contains(change), "{change}:\n{}", out.stdout);
    }
}

#[test]
fn indentation_under_a_word_key_is_named_and_the_file_s_other_errors_still_shown() {
    let p = TestProject::new().basic_with(
        "  - name: 授权委托书\n    form: 原件\n    when: [agent]\n",
        "  - name: 授权委托书\n    form: 原件\n      when: [agent]\n  - name: 居住证明\n    form:\n    复印件\n",
    );
    let p = {
        let text = std::fs::read_to_string(p.path().join("guides/hukou/basic.yaml")).unwrap();
        p.file(
            "guides/hukou/basic.yaml",
            &text.replace("category: 户籍\n", "category: 户籍\nlevle: 市级\n"),
        )
    };
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let err = &out.stderr;
    for (what, place) in [
        ("error[unknown-field]", "basic.yaml:6:1"),
        ("error[indentation]", "basic.yaml:15:7"),
        ("error[indentation]", "basic.yaml:18:5"),
    ] {
        assert!(
            err.contains(what) && err.contains(place),
            "{what} {place}:\n{err}"
        );
    }
    assert!(err.contains("`when: [agent]`"), "{err}");
    assert!(err.contains("`form: 复印件`"), "{err}");
    // Never the misleading “not a valid value” on the line above.
    assert!(!err.contains("unknown-value"), "{err}");
}

/// A key's parent as the format means it: an alternative of a `one_of`
/// group is a material entry like any other.
fn parent_of(k: &str) -> &str {
    if k == "one_of" { "materials" } else { k }
}

/// Every key under `v` (a decoded YAML or JSON value), as `parent.key`.
fn keys_of(v: &serde_json::Value, parent: &str, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.insert(format!("{parent}.{k}"));
                keys_of(x, parent_of(k), out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| keys_of(x, parent, out)),
        _ => {}
    }
}

/// Every property of a JSON Schema, as `parent.key`.
fn schema_keys(v: &serde_json::Value, parent: &str, out: &mut std::collections::BTreeSet<String>) {
    if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
        for (k, x) in props {
            out.insert(format!("{parent}.{k}"));
            schema_keys(x, parent_of(k), out);
        }
    }
    for sub in ["items", "additionalProperties"] {
        if let Some(x) = v.get(sub).filter(|x| x.is_object()) {
            schema_keys(x, parent, out);
        }
    }
    for sub in ["oneOf", "anyOf"] {
        for x in v.get(sub).and_then(|x| x.as_array()).into_iter().flatten() {
            schema_keys(x, parent, out);
        }
    }
}

#[test]
fn the_demo_shows_every_key_of_the_format() {
    let demo = common::demo();
    let mut used = std::collections::BTreeSet::new();
    let files = walkdir::WalkDir::new(demo.join("guides"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| e.into_path())
        .chain([demo.join("materials.yaml")]);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        // A matter's keys are top-level; the catalogue's are material keys.
        let parent = if f.ends_with("materials.yaml") {
            "materials"
        } else {
            ""
        };
        match &v {
            serde_json::Value::Array(items) => {
                for i in items {
                    keys_of(i, parent, &mut used);
                }
            }
            _ => keys_of(&v, parent, &mut used),
        }
    }
    let schema = |which: &str| -> serde_json::Value {
        serde_json::from_str(&common::run_guide(&demo, &["schema", which]).stdout).unwrap()
    };
    let mut all = std::collections::BTreeSet::new();
    schema_keys(&schema("guide"), "", &mut all);
    // Not shown, on purpose: `code` is the older spelling of
    // `codes.implementation`; `materials_note` says why a matter needs no
    // materials, and every demo matter needs some.
    let missing: Vec<_> = all
        .iter()
        .filter(|k| !used.contains(*k) && !matches!(k.as_str(), ".code" | ".materials_note"))
        .collect();
    assert!(
        missing.is_empty(),
        "the demo's matters never use {missing:?}"
    );
    // guide.yaml: every setting.
    let config: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(demo.join("guide.yaml")).unwrap()).unwrap();
    let mut used = std::collections::BTreeSet::new();
    keys_of(&config, "", &mut used);
    let mut all = std::collections::BTreeSet::new();
    schema_keys(&schema("config"), "", &mut all);
    // The demo prints with the compiled-in fonts; `notice.legal_clause` is
    // the first format's clause of 行政许可, now `legal_clauses`; `register`
    // says where a hall's server keeps its register and which hall it is (a
    // deployment's setting, shown in docs/city.md): the demo keeps its
    // register in a file beside it.
    let missing: Vec<_> = all
        .difference(&used)
        .filter(|k| {
            !k.contains("fonts") && !k.contains("register") && k.as_str() != "notice.legal_clause"
        })
        .collect();
    assert!(
        missing.is_empty(),
        "the demo's guide.yaml never sets {missing:?}"
    );
}

#[test]
fn two_matters_under_one_code_are_an_error_but_versions_and_items_are_not() {
    let other = |codes: &str| {
        BASIC
            .replace("id: basic\n", "id: other\n")
            .replace("name: 居住证申领\n", "name: 居住证签注\n")
            .replace("kind: 公共服务\n", &format!("kind: 公共服务\n{codes}"))
    };
    let with_code = |mine: &str, theirs: &str| {
        TestProject::new()
            .basic_with("kind: 公共服务\n", &format!("kind: 公共服务\n{mine}"))
            .file("guides/hukou/other.yaml", &other(theirs))
    };
    let out = with_code(
        "code: \"0001-650100\"\n",
        "codes:\n  implementation: \"0001-650100\"\n",
    )
    .check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("error[duplicate-code]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("guides/hukou/other.yaml:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("见 guides/hukou/basic.yaml:4"),
        "names the first: {}",
        out.stderr
    );
    // Different 业务办理项 under one 实施编码 are fine.
    let out = with_code(
        "codes:\n  implementation: \"0001-650100\"\n  item: \"01\"\n",
        "codes:\n  implementation: \"0001-650100\"\n  item: \"02\"\n",
    )
    .check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    // A dated new version keeps its matter's code.
    let p = TestProject::new()
        .basic_with(
            "kind: 公共服务\n",
            "kind: 公共服务\ncode: \"0001-650100\"\n",
        )
        .file(
            "guides/hukou/basic@2026-09-01.yaml",
            &BASIC
                .replace(
                    "kind: 公共服务\n",
                    "kind: 公共服务\ncode: \"0001-650100\"\n",
                )
                .replace("effective: 2026-01-01", "effective: 2026-09-01"),
        );
    let out = p.check();
    assert!(!out.stderr.contains("duplicate-code"), "{}", out.stderr);
}
