//! `guide check`: every check of the spec, the whole diagnostic as the author
//! sees it (snapshot), its line and column, and exit codes.

mod common;
use common::*;

/// The report of `guide check` on a project made from `BASIC` with one edit.
fn report(p: &TestProject) -> String {
    let out = p.check();
    format!("exit: {}\n{}", out.code, out.stderr)
}

#[test]
fn a_valid_project_is_clean() {
    let out = TestProject::new().check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "检查了 1 个事项、2 种目录材料：0 个错误，0 个警告\n"
    );
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let p = TestProject::new().basic_with("department:", "departmnt:");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn unknown_key_in_a_material_is_found_too() {
    let p = TestProject::new().basic_with("  - ref: photo", "  - ref: photo\n    copys: 1");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn wrong_type_boolean() {
    let p = TestProject::new().basic_with("charged: false", "charged: 否");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn wrong_type_count_written_in_words() {
    let p = TestProject::new().basic_with("  - ref: photo", "  - ref: photo\n    originals: 两份");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn wrong_type_map_where_a_list_is_needed() {
    let p = TestProject::new().basic_with("steps:\n  - name: 受理", "steps:\n  name: 受理");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn missing_required_key() {
    let p = TestProject::new().basic_with("category: 户籍\n", "");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn unknown_code_list_word_caret_under_chinese() {
    let p = TestProject::new().basic_with("kind: 公共服务", "kind: 公共服务事项");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn duplicate_key() {
    let p = TestProject::new().basic_with("category: 户籍", "category: 户籍\ncategory: 户口");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn duplicate_id() {
    let p = TestProject::new().file("guides/other/basic.yaml", BASIC);
    insta::assert_snapshot!(report(&p));
}

#[test]
fn id_differs_from_file_stem() {
    let p = TestProject::new().basic_with("id: basic", "id: basic-two");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn id_that_could_escape_the_output_folder_is_refused() {
    let p = TestProject::new().basic_with("id: basic", "id: ../../etc/passwd");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn unknown_ref_points_at_the_ref() {
    let p = TestProject::new().basic_with("ref: id-card", "ref: id-crad");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn ref_may_not_redefine_the_form() {
    let p = TestProject::new().basic_with("  - ref: id-card", "  - ref: id-card\n    form: 复印件");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn unknown_situation_in_when() {
    let p = TestProject::new().basic_with("when: [agent]", "when: [agnet]");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn situation_used_by_no_material_is_a_warning() {
    let p = TestProject::new().basic_with(
        "    label: 委托他人代办",
        "    label: 委托他人代办\n  - id: minor\n    label: 未成年人",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn catalogue_entry_used_by_no_guide_is_a_warning() {
    let p = TestProject::new().file(
        "materials.yaml",
        &format!("{CATALOGUE}- id: hukou-book\n  name: 户口簿\n  form: 原件\n"),
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn same_material_defined_differently_in_two_guides_is_a_warning() {
    let other = BASIC
        .replace("id: basic", "id: other")
        .replace("name: 居住证申领", "name: 居住证签注")
        .replace(
            "    form: 原件\n    when: [agent]",
            "    form: 复印件\n    when: [agent]",
        );
    let p = TestProject::new().file("guides/hukou/other.yaml", &other);
    insta::assert_snapshot!(report(&p));
}

#[test]
fn counts_must_agree_with_the_form() {
    let p = TestProject::new().basic_with(
        "    form: 原件\n    when",
        "    form: 原件\n    copies: 2\n    when",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn a_matter_without_materials_must_say_why() {
    let p = TestProject::new()
        .basic_with(
            "materials:\n  - ref: id-card\n  - ref: photo\n  - name: 授权委托书\n    form: 原件\n    when: [agent]\n",
            "",
        )
        .file("materials.yaml", "[]\n");
    let out = p.check();
    assert!(out.stderr.contains("error[no-materials]"), "{}", out.stderr);
}

#[test]
fn a_matter_without_steps_is_warned_and_nothing_is_invented() {
    let p = TestProject::new().basic_with("steps:\n  - name: 受理\n", "");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn immediate_case_with_a_promised_duration() {
    let p = TestProject::new().basic_with("type: 承诺件", "type: 即办件");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn promised_case_written_as_immediate() {
    let p = TestProject::new().basic_with("promised: {value: 10, unit: 工作日}", "promised: 即办");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn promised_longer_than_legal() {
    let p = TestProject::new().basic_with(
        "  promised: {value: 10, unit: 工作日}",
        "  legal: {value: 5, unit: 工作日}\n  promised: {value: 10, unit: 工作日}",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn charged_fee_needs_a_basis() {
    let p = TestProject::new().basic_with(
        "charged: false",
        "charged: true\n  items:\n    - name: 工本费\n      standard: 20元/证",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn free_matter_with_fee_items() {
    let p = TestProject::new().basic_with(
        "charged: false",
        "charged: false\n  items:\n    - name: 工本费\n      standard: 20元/证\n      basis: 某文件",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn visits_need_a_reason() {
    let p = TestProject::new().basic_with("  visit_reason: 现场核验身份\n", "");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn consult_and_complaint_phones_differ() {
    let p = TestProject::new().basic_with(
        "effective:",
        "contact:\n  consult: \"0991-1234567\"\n  complaint: \"0991-1234567\"\neffective:",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn invalid_date() {
    let p = TestProject::new().basic_with("effective: 2026-01-01", "effective: 2026-02-30");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn expires_not_after_effective() {
    let p = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "effective: 2026-01-01\nexpires: 2025-12-31",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn review_date_in_the_past_is_a_warning() {
    let p = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "effective: 2026-01-01\nreview_by: 2026-05-31",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn changelog_newest_first() {
    let p = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "effective: 2026-01-01\nchangelog:\n  - date: 2026-01-01\n    change: 首次发布\n  - date: 2026-03-01\n    change: 减少材料",
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn raw_html_in_markdown_is_a_warning() {
    let p =
        TestProject::new().basic_with("category: 户籍", "category: 户籍\nsummary: 请带<b>原件</b>");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn every_problem_of_every_file_is_reported_in_one_run_sorted_by_file_and_line() {
    let p = TestProject::new()
        .file(
            "guides/hukou/basic.yaml",
            &BASIC
                .replace("kind: 公共服务", "kind: 公共服务事项\nnaem: x")
                .replace("ref: id-card", "ref: id-crad")
                .replace("charged: false", "charged: no")
                .replace("effective: 2026-01-01", "effective: 2026-13-01"),
        )
        .file(
            "guides/a/zzz.yaml",
            &BASIC
                .replace("id: basic", "id: zzz")
                .replace("department:", "dept:"),
        );
    let out = p.check();
    let places: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    assert_eq!(
        places,
        [
            "guides/a/zzz.yaml:4:1",
            "guides/hukou/basic.yaml:3:7",
            "guides/hukou/basic.yaml:4:1",
            "guides/hukou/basic.yaml:11:10",
            "guides/hukou/basic.yaml:22:12",
            "guides/hukou/basic.yaml:30:12",
        ]
    );
    assert!(
        out.stderr
            .ends_with("检查了 2 个事项、2 种目录材料：6 个错误，0 个警告\n"),
        "{}",
        out.stderr
    );
    assert_eq!(out.code, 1);
}

#[test]
fn a_notice_number_pattern_needs_the_year_and_a_sequence() {
    let p = TestProject::new().file(
        "guide.yaml",
        &format!("{CONFIG}notice:\n  number_pattern: \"告{{seq:4}}号\"\n"),
    );
    insta::assert_snapshot!(report(&p));
}

#[test]
fn a_ref_may_ask_for_a_copy_as_well_as_the_original() {
    // SPEC's own example: {ref: id-card, copies: 1, when: [minor]}.
    let p = TestProject::new().basic_with("  - ref: id-card", "  - ref: id-card\n    copies: 1");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    let out = p.run(&["show", "basic"]);
    assert!(
        out.stdout
            .contains("居民身份证（原件1份，复印件1份，必要）"),
        "{}",
        out.stdout
    );
    let none =
        TestProject::new().basic_with("  - ref: id-card", "  - ref: id-card\n    originals: 0");
    assert!(
        none.check().stderr.contains("原件和复印件份数都是 0"),
        "{}",
        none.check().stderr
    );
}

#[test]
fn the_same_material_twice_in_a_matter_is_a_warning() {
    let p = TestProject::new().basic_with("  - ref: photo\n", "  - ref: photo\n  - ref: id-card\n");
    insta::assert_snapshot!(report(&p));
}

#[test]
fn two_matters_with_one_name_is_a_warning() {
    let p = TestProject::new().file(
        "guides/hukou/twin.yaml",
        &BASIC.replace("id: basic", "id: twin"),
    );
    let out = p.check();
    assert!(
        out.stderr.contains("warning[duplicate-name]"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_missing_required_key_is_reported_at_once() {
    let p = TestProject::new().file("guides/hukou/new.yaml", "name: 新事项\n");
    let out = p.check();
    let missing: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error[missing-field]: 缺少必填的键 `"))
        .map(|l| l.trim_end_matches('`'))
        .collect();
    // Only these are required; what a published guide may not state
    // (kind, time limit, fees, handling…) is a warning, never invented.
    assert_eq!(missing, ["category", "department", "effective", "id"]);
}

#[test]
fn materials_of_the_wrong_shape_do_not_also_make_situations_unused() {
    let p = TestProject::new().basic_with(
        "materials:\n  - ref: id-card\n  - ref: photo\n  - name: 授权委托书\n    form: 原件\n    when: [agent]\n",
        "materials:\n  ref: id-card\n",
    );
    let out = p.check();
    assert!(out.stderr.contains("error[wrong-type]"), "{}", out.stderr);
    assert!(!out.stderr.contains("unused-situation"), "{}", out.stderr);
}

#[test]
fn a_register_or_notices_tracked_by_git_are_a_warning() {
    let p = TestProject::new()
        .bytes("notices.db", b"SQLite format 3\0")
        .bytes("notices.db-wal", b"")
        .bytes("告知单/乌政服告〔2026〕0001号.pdf", b"%PDF-1.7")
        .bytes("forms/申请表.pdf", b"%PDF-1.7");
    // Not in git: nothing to say.
    assert_eq!(p.check().stderr.matches("personal-data-in-git").count(), 0);
    git_init(p.path());
    let out = p.check();
    assert_eq!(out.code, 0, "warnings only: {}", out.stderr);
    let warned: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning[personal-data-in-git]"))
        .collect();
    assert_eq!(
        warned,
        [
            "warning[personal-data-in-git]: 告知单登记簿 `notices.db` 已提交到 git：里面有申请人的姓名和电话，不应进入仓库",
            "warning[personal-data-in-git]: 告知单登记簿 `notices.db-wal` 已提交到 git：里面有申请人的姓名和电话，不应进入仓库",
            "warning[personal-data-in-git]: 打印的告知单 `告知单/乌政服告〔2026〕0001号.pdf` 已提交到 git：里面有申请人的姓名和电话，不应进入仓库",
        ],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("git rm --cached \"notices.db\""),
        "{}",
        out.stderr
    );
}

#[test]
fn check_since_names_a_changed_matter_without_a_changelog_entry() {
    let logged = BASIC.replace(
        "effective: 2026-01-01\n",
        "effective: 2026-01-01\nchangelog:\n  - {date: 2026-01-01, change: 首次发布}\n",
    );
    let p = TestProject::new().file("guides/hukou/basic.yaml", &logged);
    git_init(p.path());
    // Only a comment: no change of content.
    std::fs::write(
        p.path().join("guides/hukou/basic.yaml"),
        format!("# 说明\n{logged}"),
    )
    .unwrap();
    let out = p.run(&["check", "--since", "HEAD"]);
    assert!(
        !out.stderr.contains("changelog-not-updated"),
        "{}",
        out.stderr
    );
    // Five days instead of ten, changelog untouched.
    let edited = logged.replace("value: 10", "value: 5");
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), &edited).unwrap();
    let out = p.run(&["check", "--since", "HEAD"]);
    assert_eq!(out.code, 0, "a warning: {}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning[changelog-not-updated]: `basic` 与 `HEAD` 相比内容有改动，但 `changelog` 没有新的一条"
        ) && out.stderr.contains("--> guides/hukou/basic.yaml:31:"),
        "{}",
        out.stderr
    );
    // A new entry: clean.
    let told = edited.replace(
        "changelog:\n",
        "changelog:\n  - {date: 2026-05-01, change: 办结时限缩短为5个工作日}\n",
    );
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), &told).unwrap();
    let out = p.run(&["check", "--since", "HEAD"]);
    assert!(
        !out.stderr.contains("changelog-not-updated"),
        "{}",
        out.stderr
    );
    // A change in a catalogue entry the matter uses counts too.
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), &logged).unwrap();
    std::fs::write(
        p.path().join("materials.yaml"),
        CATALOGUE.replace("originals: 2", "originals: 3"),
    )
    .unwrap();
    let out = p.run(&["check", "--since", "HEAD", "--format", "json"]);
    assert!(
        out.stdout.contains("\"code\":\"changelog-not-updated\""),
        "{}",
        out.stdout
    );
    // A revision that does not exist is a usage error.
    assert_eq!(p.run(&["check", "--since", "no-such-rev"]).code, 2);
}

#[test]
fn a_law_without_book_title_marks_is_a_warning_with_the_fix() {
    let p = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "basis:\n  - law: 中华人民共和国居民身份证法\n  - law: 《居住证暂行条例》\n  - law: 省财政厅核定的收费标准\neffective: 2026-01-01",
    );
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("warning[law-title]").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("法律法规的名称 `中华人民共和国居民身份证法` 没有写在书名号《》里")
            && out
                .stderr
                .contains("写成 `law: 《中华人民共和国居民身份证法》`"),
        "{}",
        out.stderr
    );
}

#[test]
fn categories_of_guide_yaml_must_name_the_matters_categories() {
    let config = format!("{CONFIG}categories: [社保, 户藉, 社保]\n");
    let p = TestProject::new().file("guide.yaml", &config);
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    for want in [
        "warning[unused-category]: 没有事项属于分类 `社保`",
        "warning[unused-category]: 没有事项属于分类 `户藉`",
        "warning[duplicate-category]: 分类 `社保` 在 `categories` 里写了两次",
        "warning[unlisted-category]: 分类 `户籍` 不在 guide.yaml 的 `categories` 里，排在所列分类之后",
    ] {
        assert!(out.stderr.contains(want), "{want}\n{}", out.stderr);
    }
}
