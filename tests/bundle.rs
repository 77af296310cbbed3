//! 一件事 bundles (国发〔2024〕3号): a matter file naming member matters,
//! whose materials the one resolver merges for every output.

mod common;

use common::{CONFIG, TestProject, pdf_text};

const CATALOGUE: &str = "\
- id: id-card
  name: 居民身份证
  form: 原件
- id: photo
  name: 近期免冠照片
  form: 原件
  originals: 2
- id: birth-cert
  name: 出生医学证明
  form: 原件
";

/// A complete matter (no warnings) with these situations and materials.
fn matter(id: &str, name: &str, situations: &str, materials: &str) -> String {
    format!(
        "id: {id}\nname: {name}\nkind: 公共服务\ndepartment: 测试市{name}窗口\ncategory: 户籍\n\
         {situations}materials:\n{materials}steps:\n  - name: 受理\n\
         time_limit:\n  promised: 即办\n  type: 即办件\nfees:\n  charged: false\n\
         handling:\n  visits: 1\n  visit_reason: 现场核验原件\n  locations:\n    - address: 测试市人民路1号\n\
         result:\n  name: {name}结果\neffective: 2026-01-01\n"
    )
}

const BIRTH_MATERIALS: &str = "  - ref: id-card
  - ref: birth-cert
  - name: 结婚证
    form: 原件
    when: [married]
";

const INSURE_MATERIALS: &str = "  - ref: id-card
    originals: 2
  - ref: birth-cert
    copies: 1
  - name: 新生儿户口簿本人页
    form: 复印件
    produced_by: birth
";

const CARD_MATERIALS: &str = "  - ref: photo
  - name: 社会保障卡申领表
    form: 原件
";

/// The 一件事 itself: its own form, two members always, one optional.
const NEWBORN: &str = "\
id: newborn
name: 新生儿出生一件事
department: 测试市公安局
category: 户籍
summary: 出生登记和医保参保一次办。
bundle:
  members: [birth, insure]
  optional: [card]
materials:
  - name: 联办申请表
    form: 原件
time_limit:
  promised: {value: 1, unit: 工作日}
  type: 承诺件
handling:
  visits: 1
  visit_reason: 现场核验出生医学证明
  locations:
    - address: 测试市人民路1号
effective: 2026-01-01
";

fn project() -> TestProject {
    TestProject::empty()
        .file("guide.yaml", CONFIG)
        .file("materials.yaml", CATALOGUE)
        .file(
            "guides/hukou/birth.yaml",
            &matter(
                "birth",
                "出生登记",
                "situations:\n  - id: married\n    label: 父母已登记结婚\n",
                BIRTH_MATERIALS,
            ),
        )
        .file(
            "guides/insurance/insure.yaml",
            &matter("insure", "医保参保", "", INSURE_MATERIALS),
        )
        .file(
            "guides/insurance/card.yaml",
            &matter("card", "社保卡申领", "", CARD_MATERIALS),
        )
        .file("guides/hukou/newborn.yaml", NEWBORN)
}

/// `project()` with the 一件事 file's text where `from` is replaced by `to`.
fn newborn_with(p: TestProject, from: &str, to: &str) -> TestProject {
    assert!(NEWBORN.contains(from), "NEWBORN has no {from:?}");
    p.file("guides/hukou/newborn.yaml", &NEWBORN.replacen(from, to, 1))
}

fn report(p: &TestProject) -> String {
    let out = p.check();
    format!("exit {}\n{}{}", out.code, out.stdout, out.stderr)
}

fn show(p: &TestProject, args: &[&str]) -> String {
    let mut all = vec!["show", "newborn"];
    all.extend(args);
    let out = p.run(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// The materials part of `guide show`: from 申请材料 to the next section.
fn materials_part(text: &str) -> String {
    let start = text.find("申请材料").expect("materials section");
    let rest = &text[start..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest[..end].to_owned()
}

#[test]
fn the_demo_bundle_passes_the_strict_check() {
    let out = common::run_guide(&common::demo(), &["check", "--deny-warnings"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn a_bundle_is_clean_without_kind_steps_result_fees_or_materials_of_its_own() {
    let p = newborn_with(
        project(),
        "materials:\n  - name: 联办申请表\n    form: 原件\n",
        "",
    );
    let out = p.check();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

#[test]
fn a_bundle_is_still_warned_about_its_own_handling_and_time_limit() {
    let p = newborn_with(
        project(),
        "time_limit:\n  promised: {value: 1, unit: 工作日}\n  type: 承诺件\n",
        "",
    );
    let out = p.check();
    assert!(
        out.stderr.contains("没有写办结时限（`time_limit`）"),
        "{}",
        out.stderr
    );
}

#[test]
fn shared_materials_are_asked_once_with_the_largest_counts() {
    let text = materials_part(&show(&project(), &[]));
    insta::assert_snapshot!(text);
    assert_eq!(text.matches("居民身份证（").count(), 1, "{text}");
    // 出生登记 asks the original, 医保参保 a copy as well: both.
    assert!(
        text.contains("出生医学证明（原件1份，复印件1份，必要）"),
        "{text}"
    );
    assert!(text.contains("居民身份证（原件2份，必要）"), "{text}");
}

#[test]
fn a_material_a_chosen_member_produces_is_marked_and_not_asked() {
    let p = project();
    let text = show(&p, &[]);
    assert!(
        text.contains(
            "新生儿户口簿本人页（复印件1份，必要）（由出生登记办理过程中生成，无需提交）"
        ),
        "{text}"
    );
    let out = p.run(&[
        "notice",
        "newborn",
        "--missing",
        "新生儿户口簿本人页",
        "--applicant",
        "张三",
        "--new-register",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("“新生儿户口簿本人页”是办理过程中生成的，不能列为缺少的材料"),
        "{}",
        out.stderr
    );
}

#[test]
fn produced_by_means_nothing_when_the_member_is_handled_alone() {
    let out = project().run(&["show", "insure"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("新生儿户口簿本人页（复印件1份，必要）\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("办理过程中生成"), "{}", out.stdout);
}

#[test]
fn a_material_produced_in_a_member_is_not_asked_for_another_member() {
    // 出生登记 produces 户口簿 inside its process; 社保卡申领 asks for it.
    let p = project()
        .file(
            "guides/hukou/birth.yaml",
            &matter(
                "birth",
                "出生登记",
                "situations:\n  - id: married\n    label: 父母已登记结婚\n",
                &format!(
                    "{BIRTH_MATERIALS}  - name: 新生儿户口簿\n    form: 原件\n    source: 办理过程中生成\n"
                ),
            ),
        )
        .file(
            "guides/insurance/card.yaml",
            &matter(
                "card",
                "社保卡申领",
                "",
                &format!("{CARD_MATERIALS}  - name: 新生儿户口簿\n    form: 原件\n"),
            ),
        );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let text = show(&p, &[]);
    assert!(
        text.contains("新生儿户口簿（原件1份，必要）（由出生登记办理过程中生成，无需提交）"),
        "{text}"
    );
}

#[test]
fn optional_members_are_left_out_unless_chosen() {
    let p = project().file(
        "guides/insurance/card.yaml",
        &matter(
            "card",
            "社保卡申领",
            "situations:\n  - id: no-photo\n    label: 没有照片回执\n",
            &format!(
                "{CARD_MATERIALS}  - name: 照片回执说明\n    form: 原件\n    when: [no-photo]\n"
            ),
        ),
    );
    let all = show(&p, &[]);
    assert!(all.contains("社会保障卡申领表"), "{all}");
    assert!(
        all.contains("一件事包含：出生登记、医保参保、社保卡申领（可选）"),
        "{all}"
    );
    // Naming a member that is always handled: only the members always handled.
    let without = show(&p, &["--member", "birth"]);
    assert!(!without.contains("社会保障卡申领表"), "{without}");
    // Nor the situations of a member not handled.
    assert!(!without.contains("没有照片回执"), "{without}");
    assert!(
        all.contains("没有照片回执（--situation no-photo）"),
        "{all}"
    );
    assert!(!without.contains("近期免冠照片"), "{without}");
    assert!(
        without.contains("办理事项：出生登记、医保参保\n"),
        "{without}"
    );
    let with = show(&p, &["--member", "card"]);
    assert!(with.contains("社会保障卡申领表"), "{with}");
    assert!(
        with.contains("办理事项：出生登记、医保参保、社保卡申领\n"),
        "{with}"
    );
}

#[test]
fn produced_by_an_optional_member_not_chosen_is_asked() {
    // 社保卡申领 (optional) produces the card that 医保参保 asks for.
    let p = project().file(
        "guides/insurance/insure.yaml",
        &matter(
            "insure",
            "医保参保",
            "",
            &format!(
                "{INSURE_MATERIALS}  - name: 社会保障卡\n    form: 原件\n    produced_by: card\n"
            ),
        ),
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let chosen = show(&p, &["--member", "card"]);
    assert!(
        chosen.contains("社会保障卡（原件1份，必要）（由社保卡申领办理过程中生成，无需提交）"),
        "{chosen}"
    );
    let not = show(&p, &["--member", "birth"]);
    assert!(not.contains("社会保障卡（原件1份，必要）\n"), "{not}");
    // Every member shown: asked unless 社保卡申领 is handled, and said so.
    let all = show(&p, &[]);
    assert!(
        all.contains(
            "社会保障卡（原件1份，必要）（一并办理社保卡申领的，由其办理过程中生成，无需提交）"
        ),
        "{all}"
    );
    // So the blank notice lists it, and a clerk may tell it as missing.
    assert_eq!(p.run(&["build", "--only", "notices"]).code, 0);
    let blank = pdf_text(&p.path().join("dist/notices/newborn.pdf"), &["-raw"]);
    assert!(blank.contains("社会保障卡（原件1份"), "{blank}");
    let out = p.run(&[
        "notice",
        "newborn",
        "--missing",
        "社会保障卡",
        "--applicant",
        "张三",
        "--new-register",
        "-o",
        "n.pdf",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn member_option_names_an_optional_member_of_a_bundle() {
    let p = project();
    let out = p.run(&["show", "newborn", "--member", "cards"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr);
    let out = p.run(&["show", "birth", "--member", "card"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "事项“出生登记”不是一件事，没有可选的成员事项（`--member`）\n"
    );
}

#[test]
fn situations_of_members_carry_over() {
    let p = project();
    let plain = materials_part(&show(&p, &[]));
    assert!(!plain.contains("结婚证"), "{plain}");
    let married = materials_part(&show(&p, &["--situation", "married"]));
    assert!(married.contains("结婚证"), "{married}");
    let out = p.run(&["show", "newborn", "--situation", "single"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("  married\t父母已登记结婚"),
        "{}",
        out.stderr
    );
}

#[test]
fn situation_ids_clashing_across_members_are_an_error_naming_both_places() {
    let p = project().file(
        "guides/insurance/insure.yaml",
        &matter(
            "insure",
            "医保参保",
            "situations:\n  - id: married\n    label: 已婚\n",
            &format!(
                "{INSURE_MATERIALS}  - name: 婚姻状况声明\n    form: 原件\n    when: [married]\n"
            ),
        ),
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn members_must_exist_be_matters_and_be_listed_once() {
    let p = newborn_with(
        project(),
        "  members: [birth, insure]\n  optional: [card]\n",
        "  members: [birth, insure, brith, newborn]\n  optional: [card, birth]\n",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn a_bundle_must_list_members() {
    let p = newborn_with(
        project(),
        "  members: [birth, insure]\n  optional: [card]\n",
        "  members: []\n  optional: [birth, insure, card]\n",
    );
    let r = report(&p);
    assert!(r.contains("error[bundle-member]"), "{r}");
    assert!(r.contains("`bundle.members` 没有列出事项"), "{r}");
}

#[test]
fn produced_by_must_name_another_matter() {
    let p = project().file(
        "guides/insurance/insure.yaml",
        &matter(
            "insure",
            "医保参保",
            "",
            &INSURE_MATERIALS.replace("produced_by: birth", "produced_by: brith"),
        ),
    );
    let r = report(&p);
    assert!(r.contains("error[produced-by]"), "{r}");
    assert!(
        r.contains("没有 id 为 `brith` 的事项（`produced_by`）"),
        "{r}"
    );
    assert!(r.contains("你是不是想写 `birth`？"), "{r}");
}

#[test]
fn one_document_under_two_names_in_two_members_is_a_warning_naming_both_places() {
    // The 三表合一 lesson: one application form, one wording.
    let p = project()
        .file(
            "guides/hukou/birth.yaml",
            &matter(
                "birth",
                "出生登记",
                "situations:\n  - id: married\n    label: 父母已登记结婚\n",
                &format!("{BIRTH_MATERIALS}  - name: 《新生儿入户申报表》\n    form: 原件\n"),
            ),
        )
        .file(
            "guides/insurance/card.yaml",
            &matter(
                "card",
                "社保卡申领",
                "",
                &format!("{CARD_MATERIALS}  - name: 新生儿入户申报表（社保）\n    form: 原件\n"),
            ),
        );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn different_documents_with_similar_names_are_not_warned_about() {
    let p = project().file(
        "guides/insurance/card.yaml",
        &matter(
            "card",
            "社保卡申领",
            "",
            &format!("{CARD_MATERIALS}  - name: 代理人居民身份证\n    form: 原件\n"),
        ),
    );
    let out = p.check();
    assert!(!out.stderr.contains("bundle-wording"), "{}", out.stderr);
}

#[test]
fn every_output_merges_the_same_way() {
    let p = project();
    let out = p.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dist = p.path().join("dist");
    // The site: every member shown without script, optional ones marked,
    // and the picker's table from the one resolver.
    let page = std::fs::read_to_string(dist.join("site/matters/newborn.html")).unwrap();
    assert!(
        page.contains(
            "<input type=\"checkbox\" name=\"member\" value=\"card\" checked> 社保卡申领"
        ),
        "{page}"
    );
    assert!(page.contains("一件事包含：出生登记、医保参保、社保卡申领（可选）"));
    assert!(page.contains("用于：出生登记、医保参保"));
    // Without script: the materials only an optional member needs say so.
    assert!(
        page.contains("<p class=\"used-for\">用于：社保卡申领（可选）</p>"),
        "{page}"
    );
    assert!(page.contains("由出生登记办理过程中生成，无需提交"));
    assert_eq!(
        page.matches("<strong class=\"name\">居民身份证</strong>")
            .count(),
        1
    );
    // The clerk's notice page: the members, the produced material left out.
    let clerk = std::fs::read_to_string(dist.join("site/matters/newborn/notice.html")).unwrap();
    assert!(
        clerk.contains("<p class=\"field\">一件事包含：出生登记、医保参保、社保卡申领（可选）</p>"),
        "{clerk}"
    );
    assert!(!clerk.contains("新生儿户口簿本人页"), "{clerk}");
    // No situation ticked, 社保卡申领 not: every material of the two other
    // members (positions in the whole list); ticked: its two as well.
    assert!(page.contains("&quot;|&quot;:[0,1,2,3,4]"), "{page}");
    assert!(page.contains("&quot;|card&quot;:[0,1,2,3,4,5,6]"), "{page}");
    assert!(
        page.contains("&quot;married|card&quot;:[0,1,2,3,4,5,6]"),
        "{page}"
    );
    // The data for other systems.
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dist.join("data/guides.json")).unwrap())
            .unwrap();
    let m = data["matters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "newborn")
        .unwrap();
    let part = serde_json::json!({
        "bundle": m["bundle"],
        "situations": m["situations"],
        "materials": m["materials"],
    });
    insta::assert_snapshot!(serde_json::to_string_pretty(&part).unwrap());
    // The booklet entry.
    let booklet = pdf_text(&dist.join("booklet.pdf"), &["-raw"]);
    let flat: String = booklet.split_whitespace().collect();
    assert!(
        flat.contains("一件事包含：出生登记、医保参保、社保卡申领（可选）"),
        "{booklet}"
    );
    assert!(flat.contains("牵头部门：测试市公安局"), "{booklet}");
    assert!(
        flat.contains("（由出生登记办理过程中生成，无需提交）"),
        "{booklet}"
    );
    assert!(flat.contains("用于：出生登记、医保参保"), "{booklet}");
    // The blank notice: every member, the produced material left out.
    let blank = pdf_text(&dist.join("notices/newborn.pdf"), &["-raw"]);
    let flat: String = blank.split_whitespace().collect();
    assert!(
        flat.contains("一件事包含：出生登记、医保参保、社保卡申领（可选）"),
        "{blank}"
    );
    assert!(!flat.contains("新生儿户口簿本人页"), "{blank}");
    assert!(flat.contains("社会保障卡申领表"), "{blank}");
}

#[test]
fn a_filled_notice_names_the_chosen_members() {
    let p = project();
    let out = p.run(&[
        "notice",
        "newborn",
        "--member",
        "card",
        "--missing",
        "社会保障卡申领表",
        "--missing",
        "出生医学证明",
        "--applicant",
        "张三",
        "--new-register",
        "-o",
        "n.pdf",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = pdf_text(&p.path().join("n.pdf"), &["-raw"]);
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains("办理事项：出生登记、医保参保、社保卡申领"),
        "{text}"
    );
    assert!(
        flat.contains("出生医学证明（原件1份，复印件1份，必要）"),
        "{text}"
    );
    // Not chosen: its materials cannot be missing.
    let out = p.run(&[
        "notice",
        "newborn",
        "--member",
        "birth",
        "--missing",
        "社会保障卡申领表",
        "--applicant",
        "张三",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = p.run(&[
        "notice",
        "newborn",
        "--member",
        "cards",
        "--missing",
        "1",
        "--applicant",
        "张三",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("没有成员事项 `cards`"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_same_input_gives_byte_identical_outputs() {
    let p = project();
    let read = |dir: &str| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walk(&p.path().join(dir));
        files.sort();
        files
    };
    fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
        out
    }
    assert_eq!(p.run(&["build", "--out", "a"]).code, 0);
    assert_eq!(p.run(&["build", "--out", "b"]).code, 0);
    let (a, b) = (read("a"), read("b"));
    assert_eq!(a.len(), b.len());
    for ((fa, ba), (_, bb)) in a.iter().zip(&b) {
        assert!(ba == bb, "{fa} differs between two builds");
    }
}

#[test]
fn diff_names_members_added_removed_and_made_optional() {
    let old = project();
    let new = newborn_with(
        project(),
        "  members: [birth, insure]\n  optional: [card]\n",
        "  members: [birth, card]\n",
    );
    let out = old.run(&[
        "diff",
        old.path().to_str().unwrap(),
        new.path().to_str().unwrap(),
    ]);
    // 1: there are changes.
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn merging_keeps_the_stricter_necessity_and_the_wider_situations() {
    // 医保参保 (first) wants one photo, not needed, and only now and then;
    // 社保卡申领 (after it) always needs two.
    let p = project().file(
        "guides/insurance/insure.yaml",
        &matter(
            "insure",
            "医保参保",
            "situations:\n  - id: no-photo\n    label: 没有照片回执\n",
            &format!(
                "{INSURE_MATERIALS}  - ref: photo\n    originals: 1\n    necessity: 非必要\n    when: [no-photo]\n"
            ),
        ),
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let one = materials_part(&show(&p, &["--member", "birth", "--situation", "no-photo"]));
    assert!(
        one.contains("近期免冠照片（原件1份，非必要）〔仅限：没有照片回执〕"),
        "{one}"
    );
    let both = materials_part(&show(&p, &["--member", "card", "--situation", "no-photo"]));
    assert!(both.contains("近期免冠照片（原件2份，必要）\n"), "{both}");
    // Always needed by 社保卡申领: no “仅限” on it.
    assert!(!both.contains("仅限"), "{both}");
}

#[test]
fn a_material_one_member_asks_of_the_applicant_stays_asked() {
    // 出生登记 (first) says 医保参保 produces the certificate; 医保参保
    // itself asks the applicant for it: it is asked.
    let p = project().file(
        "guides/hukou/birth.yaml",
        &matter(
            "birth",
            "出生登记",
            "situations:\n  - id: married\n    label: 父母已登记结婚\n",
            &BIRTH_MATERIALS.replace(
                "  - ref: birth-cert\n",
                "  - ref: birth-cert\n    produced_by: insure\n",
            ),
        ),
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let text = materials_part(&show(&p, &[]));
    assert!(
        text.contains("出生医学证明（原件1份，复印件1份，必要）\n"),
        "{text}"
    );
    assert_eq!(text.matches("办理过程中生成").count(), 1, "{text}");
}

#[test]
fn produced_by_may_not_name_the_matter_itself() {
    let p = project().file(
        "guides/insurance/insure.yaml",
        &matter(
            "insure",
            "医保参保",
            "",
            &INSURE_MATERIALS.replace("produced_by: birth", "produced_by: insure"),
        ),
    );
    let r = report(&p);
    assert!(
        r.contains("error[produced-by]: `produced_by` 写的是本事项自己"),
        "{r}"
    );
}

#[test]
fn members_are_taken_as_they_are_in_force() {
    // 出生登记 changes on 2027-01-01: a 一件事 shows each member's version
    // of the day.
    let later = matter(
        "birth",
        "出生登记",
        "situations:\n  - id: married\n    label: 父母已登记结婚\n",
        &format!("{BIRTH_MATERIALS}  - name: 新生儿预防接种证\n    form: 原件\n"),
    )
    .replace("effective: 2026-01-01", "effective: 2027-01-01");
    let p = project().file("guides/hukou/birth@2027-01-01.yaml", &later);
    assert!(!show(&p, &[]).contains("新生儿预防接种证"));
    let out = common::run_guide_at(p.path(), &["show", "newborn"], "1798761600");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("新生儿预防接种证"), "{}", out.stdout);
}

#[test]
fn the_schema_knows_bundle_and_produced_by() {
    let out = project().run(&["schema"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let bundle = &v["properties"]["bundle"];
    assert_eq!(bundle["required"], serde_json::json!(["members"]));
    assert!(bundle["properties"]["optional"].is_object(), "{bundle}");
    let material = &v["properties"]["materials"]["items"]["properties"];
    assert!(material["produced_by"].is_object(), "{material}");
}

#[test]
fn a_bundle_without_optional_members_has_the_plain_situation_picker() {
    let p = newborn_with(
        project(),
        "  members: [birth, insure]\n  optional: [card]\n",
        "  members: [birth, insure, card]\n",
    );
    assert_eq!(p.run(&["build", "--only", "site"]).code, 0);
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/newborn.html")).unwrap();
    assert!(!page.contains("name=\"member\""), "{page}");
    // The keys the page's script builds from the situations alone.
    assert!(
        page.contains("data-lists=\"{&quot;married&quot;:["),
        "{page}"
    );
    assert!(!page.contains("|"), "{page}");
}

#[test]
fn guide_list_marks_a_bundle_with_what_it_covers() {
    let out = project().run(&["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |id: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{id}\t")))
            .unwrap_or_else(|| panic!("{id} listed:\n{}", out.stdout))
            .to_owned()
    };
    // The same line the 一件事's notice and page print.
    let newborn = line("newborn");
    let shown = show(&project(), &[]);
    let members = newborn.rsplit('\t').next().unwrap();
    assert!(members.starts_with("一件事包含："), "{newborn}");
    assert!(
        members.contains("出生登记") && members.contains("医保参保"),
        "{newborn}"
    );
    assert!(shown.contains(members), "show says it too:\n{shown}");
    // A matter keeps its four columns.
    assert_eq!(line("birth").split('\t').count(), 4);
}
