//! `one_of` material groups: any one of these. A group is decoded,
//! checked, resolved, shown, ticked and counted as one item, with its
//! alternatives inside it, in every output.

mod common;
use common::*;

/// `BASIC` with its 居民身份证 replaced by `group` (YAML of one material
/// entry, indented as an item of `materials`).
fn with_group(group: &str) -> TestProject {
    TestProject::new()
        .file(
            "materials.yaml",
            &format!("{CATALOGUE}- id: hukou\n  name: 户口簿\n  form: 原件\n"),
        )
        .basic_with("  - ref: id-card\n", group)
}

/// 身份证明: 居民身份证 (a ref), 临时居民身份证 (inline), 户口簿 (a ref with
/// a copy besides the original).
const GROUP: &str = "  - name: 身份证明
    note: 证件须在有效期内。
    one_of:
      - ref: id-card
      - name: 临时居民身份证
        form: 原件
      - ref: hukou
        copies: 1
";

fn project() -> TestProject {
    with_group(GROUP)
}

/// The report of `guide check`.
fn report(p: &TestProject) -> String {
    let out = p.check();
    format!("exit: {}\n{}", out.code, out.stderr)
}

fn build(p: &TestProject) -> std::path::PathBuf {
    let check = p.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let out = p.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    p.path().join("dist")
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The numbered lines of a PDF's text: “1. 身份证明（任选其一，必要）”.
fn numbered(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.strip_prefix(&format!("{}. ", out.len() + 1)).is_some() {
            out.push(line.trim().to_owned());
        }
    }
    out
}

/// `guide notice basic ARGS` with a new register in the project.
fn notice(p: &TestProject, args: &[&str]) -> Output {
    let mut all = vec![
        "notice",
        "basic",
        "--register",
        "notices.db",
        "--new-register",
        "--applicant",
        "张三",
        "-o",
        "n.pdf",
    ];
    all.extend(args);
    run_guide_env(
        p.path(),
        &all,
        &[
            ("SOURCE_DATE_EPOCH", TODAY_EPOCH),
            ("GUIDE_TEST_NOW", TODAY_EPOCH),
        ],
    )
}

#[test]
fn guide_show_reads_a_group_out_as_one_item_with_its_alternatives() {
    let p = project();
    build(&p);
    let show = p.run(&["show", "basic"]).stdout;
    assert!(
        show.contains(
            "申请材料（共 2 项）\n   \
             1. 身份证明（任选其一，必要）\n      \
             · 居民身份证（原件1份）\n      \
             · 临时居民身份证（原件1份）\n      \
             · 户口簿（原件1份，复印件1份）\n      \
             要求：证件须在有效期内。\n   \
             2. 近期免冠照片（原件2份，必要）\n"
        ),
        "{show}"
    );
}

#[test]
fn the_booklet_has_one_row_for_a_group_with_the_alternatives_in_its_cell() {
    let p = project();
    let dist = build(&p);
    let text = pdf_flat(&dist.join("booklet.pdf"));
    // One row: 序号 1, the name with its alternatives, 任选其一 as the
    // form, the one count all alternatives share or 见各项, 必要.
    assert!(
        text.contains(
            "1身份证明▪居民身份证（原件1份）▪临时居民身份证（原件1份）▪户口簿（原件1份，复印件1份）任选其一见各项必要证件须在有效期内。2近期免冠照片"
        ),
        "{text}"
    );
}

#[test]
fn the_blank_notice_numbers_a_group_once_with_its_alternatives_under_it() {
    let p = project();
    let dist = build(&p);
    let text = pdf_text(&dist.join("notices/basic.pdf"), &["-raw"]);
    assert_eq!(
        numbered(&text),
        [
            "1. 身份证明（任选其一，必要）",
            "2. 近期免冠照片（原件2份，必要）",
            "3. 授权委托书（原件1份，必要）",
        ],
        "{text}"
    );
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        flat.contains("（任选其一，必要）▪居民身份证（原件1份）▪临时居民身份证（原件1份）▪户口簿（原件1份，复印件1份）要求：证件须在有效期内。"),
        "{text}"
    );
}

#[test]
fn the_site_shows_a_group_as_one_item_and_the_picker_counts_it_once() {
    let p = project();
    let dist = build(&p);
    let page = read(&dist.join("site/matters/basic.html"));
    let list = &page[page.find("<ol class=\"materials\"").unwrap()..];
    let list = &list[..list.find("</ol>").unwrap()];
    assert_eq!(list.matches("<li data-when=").count(), 3, "{list}");
    assert!(
        list.contains(
            "<strong class=\"name\">身份证明</strong> <span class=\"req\">任选其一，必要</span>"
        ),
        "{list}"
    );
    assert!(
        list.contains(
            "<ul class=\"alternatives\"><li>居民身份证（原件1份）</li><li>临时居民身份证（原件1份）</li><li>户口簿（原件1份，复印件1份）</li></ul>"
        ),
        "{list}"
    );
    // The picker's table counts items of the list, the group once.
    assert!(
        list.contains("data-lists=\"{&quot;agent&quot;:[0,1,2]}\""),
        "{list}"
    );
    // The clerk's notice page: one box for the group.
    let clerk = read(&dist.join("site/matters/basic/notice.html"));
    assert_eq!(clerk.matches("class=\"missing\"").count(), 3, "{clerk}");
    assert!(
        clerk.contains("<ul class=\"alternatives\"><li>居民身份证（原件1份）</li>"),
        "{clerk}"
    );
}

#[test]
fn the_data_carries_the_alternatives_of_a_group() {
    let p = project();
    let dist = build(&p);
    let v: serde_json::Value = serde_json::from_str(&read(&dist.join("data/guides.json"))).unwrap();
    let m = &v["matters"][0];
    let group = &m["materials"][0];
    assert_eq!(group["name"], "身份证明");
    assert_eq!(m["materials"].as_array().unwrap().len(), 3);
    let alts: Vec<(&str, &str)> = group["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap(),
                a["necessity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        alts,
        [
            ("居民身份证", "必要"),
            ("临时居民身份证", "必要"),
            ("户口簿", "必要")
        ]
    );
    assert_eq!(group["alternatives"][0]["ref"], "id-card");
    assert_eq!(group["alternatives"][2]["copies"], 1);
    let words = &m["words"]["materials"][0];
    assert_eq!(words["requirement"], "任选其一，必要");
    assert_eq!(words["alternatives"][2], "户口簿（原件1份，复印件1份）");
    // A single material has no `alternatives` key.
    assert!(m["materials"][1].get("alternatives").is_none());
}

#[test]
fn a_group_of_optional_material_gives_its_necessity_to_every_alternative() {
    let p = with_group(&GROUP.replace("    note:", "    necessity: 非必要\n    note:"));
    build(&p);
    let show = p.run(&["show", "basic"]).stdout;
    assert!(show.contains("1. 身份证明（任选其一，非必要）"), "{show}");
    let v: serde_json::Value =
        serde_json::from_str(&read(&p.path().join("dist/data/guides.json"))).unwrap();
    assert_eq!(
        v["matters"][0]["materials"][0]["alternatives"][1]["necessity"],
        "非必要"
    );
}

#[test]
fn a_group_only_for_some_situations_says_so_and_is_left_out_otherwise() {
    let p = with_group(&GROUP.replace("    note:", "    when: [agent]\n    note:"));
    build(&p);
    let show = p.run(&["show", "basic"]).stdout;
    assert!(show.contains("申请材料（共 1 项）"), "{show}");
    assert!(!show.contains("身份证明"), "{show}");
    let show = p.run(&["show", "basic", "--situation", "agent"]).stdout;
    assert!(
        show.contains("1. 身份证明（任选其一，必要）〔仅限：委托他人代办〕"),
        "{show}"
    );
}

#[test]
fn a_clerk_names_a_group_by_number_name_or_any_alternative() {
    for word in [
        "1",
        "身份证明",
        "户口簿",
        "临时居民身份证",
        "id-card",
        "hukou",
        "身份证",
    ] {
        let p = project();
        let out = notice(&p, &["-m", word]);
        assert_eq!(out.code, 0, "{word}: {}", out.stderr);
        let text = pdf_text(&p.path().join("n.pdf"), &["-raw"]);
        assert_eq!(
            numbered(&text),
            ["1. 身份证明（任选其一，必要）"],
            "{word}: {text}"
        );
    }
}

#[test]
fn two_alternatives_of_one_group_are_one_missing_item() {
    let p = project();
    let out = notice(&p, &["-m", "户口簿", "-m", "id-card", "-m", "照片"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = pdf_text(&p.path().join("n.pdf"), &["-raw"]);
    assert_eq!(
        numbered(&text),
        [
            "1. 身份证明（任选其一，必要）",
            "2. 近期免冠照片（原件2份，必要）"
        ],
        "{text}"
    );
    // The register keeps the group with its alternatives, as told.
    let number = out.stdout.trim().to_owned();
    let shown = run_guide(
        p.path(),
        &["notice", "show", &number, "--register", "notices.db"],
    );
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("身份证明（任选其一，必要）"),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains(
            "任选其一：居民身份证（原件1份）；临时居民身份证（原件1份）；户口簿（原件1份，复印件1份）；证件须在有效期内。"
        ),
        "{}",
        shown.stdout
    );
    assert!(!shown.stdout.contains("3."), "{}", shown.stdout);
}

#[test]
fn a_part_of_names_in_two_items_is_still_ambiguous() {
    // “照片” is part of an alternative of the group and of the photo.
    let p = with_group(&GROUP.replace("临时居民身份证", "临时照片证明"));
    let out = notice(&p, &["-m", "照片"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("“照片”可以指“身份证明”、“近期免冠照片”，请写得更具体，或用序号"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_group_needs_a_name() {
    let p = with_group(&GROUP.replace("  - name: 身份证明\n    note:", "  - note:"));
    let r = report(&p);
    assert!(
        r.contains("error[missing-field]: 材料组（`one_of`）缺少 `name`"),
        "{r}"
    );
    assert!(r.contains("--> guides/hukou/basic.yaml:10:5"), "{r}");
    // Said once, not also as a material without a name.
    assert_eq!(r.matches("error[").count(), 1, "{r}");
}

#[test]
fn a_group_of_one_is_an_error_at_its_list() {
    let p = with_group("  - name: 身份证明\n    one_of:\n      - ref: id-card\n");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn a_group_inside_a_group_is_an_error() {
    let p = with_group(&GROUP.replace(
        "      - name: 临时居民身份证\n        form: 原件\n",
        "      - name: 临时证件\n        one_of:\n          - name: 临时居民身份证\n            form: 原件\n          - name: 临时身份证明\n            form: 原件\n",
    ));
    let r = report(&p);
    assert!(
        r.contains("error[one-of-nested]: 材料组“身份证明”里又套了一个材料组\n  --> guides/hukou/basic.yaml:14:9"),
        "{r}"
    );
}

#[test]
fn a_material_produced_in_the_process_cannot_be_an_alternative() {
    let p = with_group(&GROUP.replace(
        "      - name: 临时居民身份证\n        form: 原件\n",
        "      - name: 临时居民身份证\n        form: 原件\n        source: 办理过程中生成\n",
    ));
    let r = report(&p);
    assert!(
        r.contains("error[one-of-produced]: 材料组“身份证明”里有一项是办理过程中生成的材料\n  --> guides/hukou/basic.yaml:14:9"),
        "{r}"
    );
    assert!(!report(&project()).contains("one-of-produced"));
}

#[test]
fn keys_that_belong_to_the_alternatives_are_errors_on_the_group() {
    let p = with_group(&GROUP.replace("    note:", "    form: 原件\n    copies: 1\n    note:"));
    insta::assert_snapshot!(report(&p));
}

#[test]
fn a_ref_on_a_group_is_an_error_said_once() {
    let p = with_group(&GROUP.replace("    note:", "    ref: id-card\n    note:"));
    let r = report(&p);
    assert!(
        r.contains("error[one-of-key]: 材料组“身份证明”不能写 `ref`"),
        "{r}"
    );
    assert_eq!(r.matches("error[").count(), 1, "{r}");
}

#[test]
fn when_and_necessity_belong_to_the_group_not_to_an_alternative() {
    let p = with_group(&GROUP.replace(
        "      - ref: id-card\n",
        "      - ref: id-card\n        when: [agent]\n        necessity: 非必要\n",
    ));
    let r = report(&p);
    assert!(
        r.contains("error[one-of-key]: 材料组“身份证明”里的可选材料不能写 `when`\n  --> guides/hukou/basic.yaml:14:16"),
        "{r}"
    );
    assert!(
        r.contains("error[one-of-key]: 材料组“身份证明”里的可选材料不能写 `necessity`\n  --> guides/hukou/basic.yaml:15:20"),
        "{r}"
    );
}

#[test]
fn every_ref_in_a_group_must_resolve() {
    let p = with_group(&GROUP.replace("ref: hukou", "ref: hukuo"));
    let r = report(&p);
    assert!(
        r.contains(
            "error[unknown-ref]: 材料目录里没有 `hukuo`\n  --> guides/hukou/basic.yaml:16:14"
        ),
        "{r}"
    );
    assert!(r.contains("你是不是想写 `hukou`？"), "{r}");
}

#[test]
fn an_alternative_follows_the_rules_of_a_material() {
    // A ref may not redefine the catalogue's form; an inline alternative
    // without a form is warned about; counts must agree with the form.
    let p = with_group(
        &GROUP
            .replace(
                "      - ref: id-card\n",
                "      - ref: id-card\n        form: 复印件\n",
            )
            .replace(
                "        form: 原件\n",
                "        form: 原件\n        copies: 1\n",
            ),
    );
    let r = report(&p);
    assert!(
        r.contains("error[ref-redefines]: 引用目录材料 `id-card` 时不能再写 `form`"),
        "{r}"
    );
    assert!(
        r.contains("error[counts-mismatch-form]: 复印件份数 1 与材料形式“原件”不符"),
        "{r}"
    );
    let p = with_group(&GROUP.replace("        form: 原件\n", ""));
    let r = report(&p);
    assert!(
        r.contains("warning[missing-element]: 材料“临时居民身份证”没有写材料形式（`form`）"),
        "{r}"
    );
}

#[test]
fn a_catalogue_material_used_only_in_a_group_is_used() {
    let r = report(&project());
    assert_eq!(
        r,
        "exit: 0\n检查了 1 个事项、3 种目录材料：0 个错误，0 个警告\n"
    );
}

#[test]
fn an_alternative_also_listed_on_its_own_is_a_warning() {
    let p = with_group(&format!("{GROUP}  - ref: hukou\n"));
    insta::assert_snapshot!(report(&p));
}

#[test]
fn diff_tells_alternatives_added_removed_and_changed_in_words() {
    let old = project();
    let new = with_group(
        &GROUP
            .replace(
                "      - name: 临时居民身份证\n        form: 原件\n",
                "      - name: 居住证\n        form: 原件\n",
            )
            .replace("        copies: 1\n", ""),
    );
    let out = run_guide(old.path(), &["diff", ".", new.path().to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for line in [
        "材料“身份证明”新增可选材料：居住证（原件1份）",
        "材料“身份证明”取消可选材料：临时居民身份证（原件1份）",
        "材料“身份证明”的可选材料“户口簿”：户口簿（原件1份，复印件1份） → 户口簿（原件1份）",
    ] {
        assert!(out.stdout.contains(line), "{line}\n{}", out.stdout);
    }
}

#[test]
fn diff_tells_a_new_group_with_its_alternatives() {
    let old = TestProject::new();
    let new = with_group(&format!(
        "  - ref: id-card\n{}",
        GROUP.replace(
            "      - ref: id-card\n",
            "      - name: 护照\n        form: 原件\n"
        )
    ));
    let out = run_guide(old.path(), &["diff", ".", new.path().to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "新增材料：身份证明（任选其一，必要）：护照（原件1份）；临时居民身份证（原件1份）；户口簿（原件1份，复印件1份）"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn the_schema_knows_one_of() {
    let out = TestProject::new().run(&["schema"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let item = &v["properties"]["materials"]["items"]["properties"];
    assert_eq!(item["one_of"]["type"], "array");
    assert!(
        item["one_of"]["title"]
            .as_str()
            .unwrap()
            .contains("任选其一")
    );
    // An alternative is a material, but not a group again.
    assert!(
        item["one_of"]["items"]["properties"]
            .get("one_of")
            .is_none()
    );
    assert!(item["one_of"]["items"]["properties"].get("ref").is_some());
}

#[test]
fn the_format_docs_describe_one_of() {
    let docs = read(&demo().join("../docs/format.md"));
    assert!(docs.contains("`one_of`") && docs.contains("任选其一"));
}

#[test]
fn the_demo_has_a_group() {
    let out = run_guide(&demo(), &["show", "pension-eligibility-certification"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("1. 身份证明（任选其一，必要）\n      · 居民身份证"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_project_with_a_group_builds_byte_identical_twice() {
    let p = project();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let out = p.run(&["build", "--out", d.path().to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    for f in [
        "booklet.pdf",
        "notices/basic.pdf",
        "site/matters/basic.html",
        "data/guides.json",
    ] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_large_print_booklet_lists_the_alternatives_in_the_group_block() {
    let p = project();
    build(&p);
    let out = p.run(&["build", "--only", "booklet", "--large-print"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = pdf_flat(&p.path().join("dist/booklet.pdf"));
    assert!(
        text.contains("身份证明任选其一见各项必要▪居民身份证（原件1份）▪临时居民身份证（原件1份）▪户口簿（原件1份，复印件1份）"),
        "{text}"
    );
}

#[test]
fn an_original_with_a_copy_besides_says_both_counts_in_the_table() {
    // `copies: 1` on a ref to an original: the 份数 cell says both, as the
    // notice does, never “1份”.
    let p =
        TestProject::new().basic_with("  - ref: id-card\n", "  - ref: id-card\n    copies: 1\n");
    let dist = build(&p);
    let text = pdf_flat(&dist.join("booklet.pdf"));
    assert!(text.contains("1居民身份证原件原1份复1份必要"), "{text}");
}

#[test]
fn an_alternatives_texts_and_files_are_checked_like_a_materials() {
    let long = "很".repeat(101);
    let p = with_group(&GROUP.replace(
        "      - name: 临时居民身份证\n        form: 原件\n",
        &format!(
            "      - name: {long}\n        form: 原件\n        blank_form: forms/没有这个文件.pdf\n"
        ),
    ));
    let r = report(&p);
    assert!(r.contains("error[text-too-long]"), "{r}");
    assert!(
        r.contains("error[missing-file]: 找不到 `blank_form` 文件 `forms/没有这个文件.pdf`\n  --> guides/hukou/basic.yaml:16:21"),
        "{r}"
    );
}

#[test]
fn an_alternatives_blank_form_is_published_and_its_name_is_searchable() {
    let p = with_group(&GROUP.replace(
        "      - name: 临时居民身份证\n        form: 原件\n",
        "      - name: 临时居民身份证\n        form: 原件\n        blank_form: forms/临时证明.pdf\n",
    ))
    .file("forms/临时证明.pdf", "%PDF-1.4\n");
    let dist = build(&p);
    assert!(dist.join("site/files/forms/临时证明.pdf").exists());
    let page = read(&dist.join("site/matters/basic.html"));
    assert!(
        page.contains("<li>临时居民身份证（原件1份） <a href=\"../files/forms/临时证明.pdf\">空白表格</a></li>"),
        "{page}"
    );
    let index = read(&dist.join("site/assets/search-index.js"));
    // An alternative's name is searchable as a material name.
    assert!(index.contains("\"临时居民身份证\""), "{index}");
}

#[test]
fn a_group_for_another_situation_is_named_with_that_situation() {
    let p = with_group(&GROUP.replace("    note:", "    when: [agent]\n    note:"));
    let out = notice(&p, &["-m", "户口簿"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("“身份证明”只在这些情形下需要：委托他人代办（--situation agent）"),
        "{}",
        out.stderr
    );
}
