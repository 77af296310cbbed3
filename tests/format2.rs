//! Format 2: the elements real published guides state, each under its own
//! label in every output where a citizen or clerk would look for it.

mod common;

use common::{BASIC, TestProject};

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
    let out = std::process::Command::new("pdftotext")
        .arg(p.path().join("dist/booklet.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let booklet = String::from_utf8_lossy(&out.stdout);
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
    let out = std::process::Command::new("pdftotext")
        .arg(p.path().join("dist/booklet.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let booklet = String::from_utf8_lossy(&out.stdout);
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
