//! The notice as a legal document: the clause follows the matter (per
//! 事项类型 in guide.yaml, per matter in its file, none for a kind without
//! one), the correction deadline with its unit and whether it counts,
//! materials brought but defective (with the reason, in the register and at
//! the second visit), the seal, 收件日期 and the window's phone, the stub
//! the applicant signs, unpadded numbers, and the online-only wording.

mod common;
use common::*;
use std::path::Path;

const PERMIT_LAW: &str = "《中华人民共和国行政许可法》第三十二条";

/// `guide` at the test day, the notice clock too.
fn run_at_today(p: &TestProject, args: &[&str]) -> Output {
    run_guide_env(
        p.path(),
        args,
        &[
            ("SOURCE_DATE_EPOCH", TODAY_EPOCH),
            ("GUIDE_TEST_NOW", TODAY_EPOCH),
        ],
    )
}

/// The text of a PDF, white space removed (lines wrap anywhere).
fn flat(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-raw"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for these tests");
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The blank notice of `basic`, flat.
fn blank(p: &TestProject) -> String {
    let out = run_at_today(p, &["build", "--only", "notices"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    flat(&p.path().join("dist/notices/basic.pdf"))
}

/// A filled notice of `basic` with `more` arguments, saved as `n.pdf`; the
/// command's output and the notice, flat.
fn filled(p: &TestProject, more: &[&str]) -> (Output, String) {
    let mut args = vec!["notice", "basic", "--applicant", "张三", "-o", "n.pdf"];
    args.extend(more);
    let out = run_at_today(p, &args);
    let text = if out.code == 0 {
        flat(&p.path().join("n.pdf"))
    } else {
        String::new()
    };
    (out, text)
}

/// `guide.yaml` of the tests with a `notice:` block.
fn config_with_notice(block: &str) -> String {
    format!("{CONFIG}notice:\n{block}")
}

/// The sentence before the list, up to the list.
fn intro(text: &str) -> &str {
    let start = text.find("您申请办理的").expect("intro");
    let end = text[start..].find("现一次性告知").expect("intro end");
    &text[start..start + end]
}

// ---- The clause follows the matter ----

#[test]
fn a_public_service_cites_no_law() {
    // BASIC is a 公共服务, and nothing in guide.yaml gives 公共服务 a clause.
    let p = TestProject::new();
    let text = blank(&p);
    assert!(!text.contains("行政许可法"), "{text}");
    assert!(
        text.contains("申请材料不齐全或者不符合法定形式。现一次性告知您需要补正的全部材料"),
        "{text}"
    );
    let (out, text) = filled(&p, &["-m", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!text.contains("根据"), "{text}");
}

#[test]
fn a_permit_cites_the_licensing_law_by_default() {
    let p = TestProject::new().basic_with("kind: 公共服务", "kind: 行政许可");
    let text = blank(&p);
    assert_eq!(intro(&text).matches(PERMIT_LAW).count(), 1, "{text}");
}

#[test]
fn legal_clauses_give_each_kind_its_clause() {
    let p = TestProject::new().file(
        "guide.yaml",
        &config_with_notice(
            "  legal_clauses:\n    公共服务: 《测试市公共服务条例》第十条\n    行政许可: 《中华人民共和国行政许可法》第三十二条\n",
        ),
    );
    let text = blank(&p);
    assert!(
        intro(&text).contains("根据《测试市公共服务条例》第十条的规定，"),
        "{text}"
    );
    assert!(!text.contains("行政许可法"), "{text}");
}

#[test]
fn the_first_formats_legal_clause_stays_valid_as_the_clause_of_permits() {
    let config = config_with_notice("  legal_clause: 《测试市行政许可办法》第八条\n");
    // Valid, without a warning.
    let p = TestProject::new().file("guide.yaml", &config);
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("0 个警告"), "{}", out.stderr);
    // Not cited for a public service …
    assert!(!blank(&p).contains("第八条"));
    // … but for a permit.
    let p = TestProject::new()
        .file("guide.yaml", &config)
        .basic_with("kind: 公共服务", "kind: 行政许可");
    assert!(intro(&blank(&p)).contains("根据《测试市行政许可办法》第八条的规定，"));
}

#[test]
fn legal_clauses_win_over_the_old_clause_and_check_says_so() {
    let p = TestProject::new()
        .file(
            "guide.yaml",
            &config_with_notice(
                "  legal_clause: 《旧办法》第一条\n  legal_clauses:\n    行政许可: 《新办法》第二条\n",
            ),
        )
        .basic_with("kind: 公共服务", "kind: 行政许可");
    insta::assert_snapshot!(p.check().stderr);
    let text = blank(&p);
    assert!(intro(&text).contains("《新办法》第二条"), "{text}");
    assert!(!text.contains("旧办法"), "{text}");
}

#[test]
fn a_matter_without_a_kind_cites_only_its_own_clause() {
    // Every kind has a clause here, but the matter states no kind.
    let text = BASIC.replace("kind: 公共服务\n", "");
    let p = TestProject::new()
        .file(
            "guide.yaml",
            &config_with_notice("  legal_clauses:\n    公共服务: 《测试市公共服务条例》第十条\n"),
        )
        .file("guides/hukou/basic.yaml", &text);
    let blank_text = blank(&p);
    assert!(!blank_text.contains("根据"), "{blank_text}");
    let own = text.replace(
        "effective:",
        "notice:\n  legal_clause: 《测试市居住证办法》第五条\neffective:",
    );
    let p = p.file("guides/hukou/basic.yaml", &own);
    assert!(intro(&blank(&p)).contains("根据《测试市居住证办法》第五条的规定，"));
}

#[test]
fn a_matters_own_clause_wins_over_its_kinds() {
    let p = TestProject::new().file(
        "guides/hukou/basic.yaml",
        &BASIC.replace("kind: 公共服务", "kind: 行政许可").replace(
            "effective:",
            "notice:\n  legal_clause: 《中华人民共和国市场主体登记管理条例》第十九条\neffective:",
        ),
    );
    let text = blank(&p);
    assert!(intro(&text).contains("《中华人民共和国市场主体登记管理条例》第十九条"));
    assert!(!text.contains("行政许可法"), "{text}");
}

// ---- The deadline, its unit, and whether it counts ----

#[test]
fn the_deadline_has_its_unit_and_says_when_it_does_not_count() {
    let p = TestProject::new();
    let text = blank(&p);
    assert!(text.contains("之日起20个工作日内补正上述材料"), "{text}");
    assert!(!text.contains("补正时间不计入办理时限"), "{text}");

    let p = TestProject::new().file(
        "guide.yaml",
        &config_with_notice(
            "  correction_days: 15\n  correction_unit: 自然日\n  not_counted: true\n",
        ),
    );
    let text = blank(&p);
    assert!(text.contains("之日起15个自然日内补正上述材料"), "{text}");
    assert!(text.contains("补正时间不计入办理时限。"), "{text}");
}

#[test]
fn a_matter_sets_its_own_deadline() {
    let p = TestProject::new().basic_with(
        "effective:",
        "notice:\n  correction_days: 30\n  correction_unit: 自然日\n  not_counted: true\neffective:",
    );
    let text = blank(&p);
    assert!(text.contains("之日起30个自然日内补正上述材料"), "{text}");
    assert!(text.contains("补正时间不计入办理时限。"), "{text}");
    // The project's not_counted is overridden by the matter's.
    let p = TestProject::new()
        .file("guide.yaml", &config_with_notice("  not_counted: true\n"))
        .basic_with("effective:", "notice:\n  not_counted: false\neffective:");
    assert!(!blank(&p).contains("补正时间不计入办理时限"));
}

#[test]
fn the_clerks_page_says_the_matters_deadline_and_clause() {
    let p = TestProject::new().basic_with(
        "effective:",
        "notice:\n  legal_clause: 《测试市居住证办法》第五条\n  correction_days: 30\n  correction_unit: 自然日\n  not_counted: true\neffective:",
    );
    let out = run_at_today(&p, &["build", "--only", "site"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html =
        std::fs::read_to_string(p.path().join("dist/site/matters/basic/notice.html")).unwrap();
    assert!(html.contains("根据《测试市居住证办法》第五条的规定，"));
    assert!(html.contains("之日起30个自然日内补正上述材料"));
    assert!(html.contains("补正时间不计入办理时限。"));
}

// ---- Online only ----

#[test]
fn an_online_only_matter_asks_for_the_correction_online() {
    let p = TestProject::new();
    let text = blank(&p);
    assert!(text.contains("补正时请携带本告知单"), "{text}");
    let online = TestProject::new().basic_with(
        "  visits: 1\n  visit_reason: 现场核验身份\n  locations:\n    - address: 测试市人民路1号\n",
        "  channels: [网上办理]\n  visits: 0\n  online: {url: \"https://zwfw.example.gov.cn/jzz/\"}\n",
    );
    let text = blank(&online);
    assert!(text.contains("请在线补正。"), "{text}");
    assert!(!text.contains("携带本告知单"), "{text}");
    assert!(
        text.contains("网上办理：https://zwfw.example.gov.cn/jzz/"),
        "{text}"
    );
    // The clerk's page says the same.
    let out = run_at_today(&online, &["build", "--only", "site"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html =
        std::fs::read_to_string(online.path().join("dist/site/matters/basic/notice.html")).unwrap();
    assert!(html.contains("请在线补正。"), "{html}");
    assert!(
        html.contains("网上办理：https://zwfw.example.gov.cn/jzz/"),
        "{html}"
    );
    // No window: online or by post, to the mailing address it states.
    let mail = |channels: &str| {
        TestProject::new().basic_with(
            "  visits: 1\n  visit_reason: 现场核验身份\n",
            &format!(
                "  channels: [{channels}]\n  visits: 0\n  mail: {{address: 测试市人民路1号, recipient: 李四}}\n"
            ),
        )
    };
    let both = blank(&mail("网上办理, 邮寄办理"));
    assert!(
        both.contains(
            "请在线补正，或将补正材料连同本告知单复印件邮寄至测试市人民路1号（收件人：李四）。"
        ),
        "{both}"
    );
    assert!(!both.contains("携带本告知单"), "{both}");
    let post = blank(&mail("邮寄办理"));
    assert!(
        post.contains("请将补正材料连同本告知单复印件邮寄至测试市人民路1号（收件人：李四）。"),
        "{post}"
    );
    // A window among the channels: corrected there, with the notice.
    assert!(blank(&mail("邮寄办理, 窗口办理")).contains("补正时请携带本告知单"));
}

// ---- Seal, 收件日期, the window's phone, the stub ----

#[test]
fn the_copy_carries_the_seal_and_the_clerk_once_and_the_stub_is_signed_by_the_applicant() {
    let p = TestProject::new();
    let (out, text) = filled(
        &p,
        &["-m", "1", "--clerk", "李娜", "--received", "2026-05-29"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (copy, stub) = text.split_once("（存根）").expect("a stub");
    assert!(copy.contains("收件日期：2026年5月29日"), "{copy}");
    assert!(
        copy.contains("测试市政务服务中心（盖章）2026年6月1日"),
        "{copy}"
    );
    assert_eq!(copy.matches("李娜").count(), 1, "{copy}");
    assert!(!copy.contains("签字"), "{copy}");
    assert!(stub.contains("已收到本告知单。申请人（签字）："), "{stub}");
    assert!(stub.contains("签收日期："), "{stub}");
    assert!(stub.contains("告知日期：2026年6月1日"), "{stub}");
    // Without --received the line is left for the clerk's hand.
    let (_, text) = filled(&p, &["-m", "1"]);
    assert!(text.contains("收件日期：编号："), "{text}");
}

#[test]
fn a_received_date_after_the_notice_is_refused() {
    let p = TestProject::new();
    let (out, _) = filled(&p, &["-m", "1", "--received", "2026-06-02"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "收件日期“2026-06-02”应写成 年-月-日，且不晚于告知日期 2026-06-01；没有打印，也没有登记\n"
    );
    assert!(!p.path().join("notices.db").exists());
}

#[test]
fn the_windows_phone_is_its_departments_and_never_guessed() {
    // No department phone: no 窗口电话.
    let p = TestProject::new();
    assert!(!blank(&p).contains("窗口电话"));
    let config =
        format!("{CONFIG}departments:\n  - name: 测试市公安局\n    phone: \"0991-7654321\"\n");
    let p = TestProject::new().file("guide.yaml", &config);
    assert!(blank(&p).contains("窗口电话：0991-7654321"));
    // The same number as the consult phone is said once.
    let config =
        format!("{CONFIG}departments:\n  - name: 测试市公安局\n    phone: \"0991-1234567\"\n");
    let p = TestProject::new().file("guide.yaml", &config);
    let text = blank(&p);
    assert!(!text.contains("窗口电话"), "{text}");
    assert_eq!(text.matches("0991-1234567").count(), 1, "{text}");
}

// ---- Numbers (GB/T 9704) ----

#[test]
fn numbers_are_not_padded_by_default_and_a_pattern_may_pad() {
    let p = TestProject::new();
    let (out, text) = filled(&p, &["-m", "1"]);
    assert_eq!(out.stdout, "乌政服告〔2026〕1号\n", "{}", out.stderr);
    assert!(text.contains("乌政服告〔2026〕1号"));
    // A short number finds it.
    for short in ["1", "0001", "2026-1", "〔2026〕1号"] {
        let show = run_at_today(&p, &["notice", "show", short]);
        assert_eq!(show.code, 0, "{short}: {}", show.stderr);
        assert!(show.stdout.starts_with("乌政服告〔2026〕1号\n"), "{short}");
    }
    let padded = TestProject::new().file(
        "guide.yaml",
        &config_with_notice("  number_pattern: \"测政服告〔{year}〕{seq:4}号\"\n"),
    );
    let (out, _) = filled(&padded, &["-m", "1"]);
    assert_eq!(out.stdout, "测政服告〔2026〕0001号\n", "{}", out.stderr);
    let show = run_at_today(&padded, &["notice", "show", "1"]);
    assert!(show.stdout.starts_with("测政服告〔2026〕0001号\n"));
}

#[test]
fn the_demo_and_init_number_without_padding() {
    let demo = std::fs::read_to_string(demo().join("guide.yaml")).unwrap();
    assert!(demo.contains("number_pattern: \"乌政服告〔{year}〕{seq}号\""));
    let dir = tempfile::tempdir().unwrap();
    let out = run_guide(dir.path(), &["init", "p"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let init = std::fs::read_to_string(dir.path().join("p/guide.yaml")).unwrap();
    assert!(init.contains("number_pattern: \"示政服告〔{year}〕{seq}号\""));
    assert!(init.contains("legal_clauses:"));
}

// ---- Defective materials ----

#[test]
fn a_defective_material_is_told_apart_from_the_missing_with_its_reason() {
    let p = TestProject::new();
    let (out, text) = filled(&p, &["-m", "1", "--defect", "photo=照片背景不符合要求"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("（2 项材料）"), "{}", out.stderr);
    let missing = text.find("缺少的材料：").expect("缺少");
    let defective = text
        .find("需补正的材料（已提交但不符合要求）：")
        .expect("需补正");
    assert!(missing < defective);
    let part = &text[defective..];
    assert!(
        part.starts_with("需补正的材料（已提交但不符合要求）：2.近期免冠照片（原件2份，必要）补正原因：照片背景不符合要求"),
        "{part}"
    );
    assert!(text[missing..defective].contains("1.居民身份证"), "{text}");
    assert!(!text[missing..defective].contains("照片"), "{text}");
    assert!(text.contains("告知材料：缺少1项，需补正1项"), "{text}");

    // The register keeps it: show and list.
    let show = run_at_today(&p, &["notice", "show", "1"]);
    insta::assert_snapshot!(show.stdout);
    let list = run_at_today(&p, &["notice", "list"]);
    assert!(
        list.stdout.ends_with("\t张三\t缺1项，需补正1项\n"),
        "{}",
        list.stdout
    );
}

#[test]
fn a_notice_may_tell_only_defects_and_a_defect_is_named_like_a_missing_material() {
    let p = TestProject::new();
    // By number, by name, by part of a name; no --missing at all.
    let (out, text) = filled(
        &p,
        &[
            "--defect",
            "1=证件已过有效期",
            "--defect",
            "免冠照片=不是近期照片",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(text.contains("补正原因：证件已过有效期"), "{text}");
    assert!(text.contains("补正原因：不是近期照片"), "{text}");
    assert!(!text.contains("缺少的材料："), "{text}");
    assert!(text.contains("告知材料：需补正2项"), "{text}");
    let list = run_at_today(&p, &["notice", "list"]);
    assert!(
        list.stdout.ends_with("\t张三\t需补正2项\n"),
        "{}",
        list.stdout
    );
}

#[test]
fn a_defect_needs_a_known_material_and_a_reason() {
    let p = TestProject::new();
    let (out, _) = filled(&p, &["--defect", "照片"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "--defect 应写成 材料=原因，例如 --defect \"照片=背景不符合要求\"，不是“照片”\n"
    );
    let (out, _) = filled(&p, &["--defect", "photo="]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("“近期免冠照片”需补正，但没有写原因"),
        "{}",
        out.stderr
    );
    let (out, _) = filled(&p, &["-m", "photo", "--defect", "2=背景不对"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("“近期免冠照片”既写在 --missing 里又写在 --defect 里"),
        "{}",
        out.stderr
    );
    let (out, _) = filled(&p, &["--defect", "户口本=缺页"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("没有材料“户口本”"), "{}", out.stderr);
    // A notice with neither is a usage error.
    let (out, _) = filled(&p, &[]);
    assert_eq!(out.code, 2);
    assert!(!p.path().join("notices.db").exists());
}

#[test]
fn a_defect_is_outstanding_until_it_is_brought_again() {
    let p = TestProject::new();
    let (out, _) = filled(&p, &["-m", "1", "--defect", "2=照片背景不符合要求"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let visit = |args: &[&str]| {
        let mut all = vec!["notice", "visit", "1"];
        all.extend(args);
        run_at_today(&p, &all)
    };
    let first = visit(&["-b", "1", "--result", "仍缺"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.ends_with("尚未带来：近期免冠照片\n"),
        "{}",
        first.stderr
    );
    let refused = visit(&["--result", "已补正"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("“近期免冠照片”还没有带来"),
        "{}",
        refused.stderr
    );
    let done = visit(&["-b", "照片", "--result", "已补正"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
}

#[test]
fn a_register_of_the_previous_format_opens_and_takes_defects() {
    let p = TestProject::new();
    let (out, _) = filled(&p, &["-m", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Back to format 2: no defects column.
    let db = p.path().join("notices.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("ALTER TABLE notices DROP COLUMN defects; PRAGMA user_version = 2;")
            .unwrap();
    }
    // Read as it is …
    let show = run_at_today(&p, &["notice", "show", "1"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.contains("告知补正的材料（1 项）"),
        "{}",
        show.stdout
    );
    let version = |db: &Path| -> i64 {
        let c = rusqlite::Connection::open(db).unwrap();
        c.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&db), 2, "reading migrates nothing");
    // … and migrated when the next notice is issued.
    let (out, _) = filled(&p, &["--defect", "2=照片背景不符合要求"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(version(&db), guide::register::sqlite::SCHEMA_VERSION);
    let show = run_at_today(&p, &["notice", "show", "2"]);
    assert!(
        show.stdout.contains("补正原因：照片背景不符合要求"),
        "{}",
        show.stdout
    );
    let old = run_at_today(&p, &["notice", "show", "1"]);
    assert!(
        old.stdout.contains("告知补正的材料（1 项）"),
        "{}",
        old.stdout
    );
}

#[test]
fn a_notice_with_defects_is_the_same_bytes_when_made_again() {
    let make = || {
        let p = TestProject::new();
        let (out, _) = filled(
            &p,
            &[
                "-m",
                "1",
                "--defect",
                "2=照片背景不符合要求",
                "--received",
                "2026-05-30",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read(p.path().join("n.pdf")).unwrap()
    };
    assert_eq!(make(), make());
}

// ---- Checks ----

#[test]
fn wrong_notice_settings_are_reported_where_they_are() {
    let p = TestProject::new()
        .file(
            "guide.yaml",
            &config_with_notice(
                "  correction_days: 0\n  legal_clauses:\n    行政许可: \"\"\n",
            ),
        )
        .basic_with(
            "effective:",
            "notice:\n  correction_days: 0\n  correction_unit: 自然日\n  legal_clause: \" \"\neffective:",
        );
    insta::assert_snapshot!(p.check().stderr);
}

#[test]
fn an_unknown_kind_or_unit_is_named_with_the_choices() {
    let p = TestProject::new()
        .file(
            "guide.yaml",
            &config_with_notice("  legal_clauses:\n    行政许:  《某法》第一条\n"),
        )
        .basic_with(
            "effective:",
            "notice:\n  correction_unit: 小时\n  not_counted: 是\neffective:",
        );
    insta::assert_snapshot!(p.check().stderr);
}

#[test]
fn other_systems_get_each_matters_notice_terms() {
    let p = TestProject::new().basic_with(
        "effective:",
        "notice:\n  correction_days: 30\n  correction_unit: 自然日\n  not_counted: true\neffective:",
    );
    let out = run_at_today(&p, &["build", "--only", "data"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p.path().join("dist/data/guides.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        data["matters"][0]["notice"],
        serde_json::json!({
            "legal_clause": null,
            "correction_days": 30,
            "correction_unit": "自然日",
            "not_counted": true
        })
    );
}

/// The notices no longer shrink their type to fit one page (PRINT.md,
/// second review): a longer one runs on, each later page headed with
/// whose notice it is, and the stub stays at the end.
#[test]
fn every_blank_notice_of_the_demo_keeps_its_type_size_and_runs_on_headed() {
    let (_dir, out) = build_demo("notices", &[]);
    for e in std::fs::read_dir(out.join("notices")).unwrap() {
        let path = e.unwrap().path();
        let text = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap()
            .stdout;
        let text = String::from_utf8(text).unwrap();
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(
            pages.len() <= 2,
            "{}: {} pages",
            path.display(),
            pages.len()
        );
        for (i, page) in pages.iter().enumerate().skip(1) {
            assert!(
                page.contains("一次性告知单（续）"),
                "{}: {page}",
                path.display()
            );
            assert!(page.contains(&format!("第{}页/共{}页", i + 1, pages.len())));
        }
        assert!(
            pages.last().unwrap().contains("（存根）"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_clause_the_font_cannot_print_is_found_by_check() {
    let p = TestProject::new().file(
        "guide.yaml",
        &config_with_notice("  legal_clauses:\n    公共服务: 《𪚥条例》第一条\n"),
    );
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("error[missing-glyph]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("guide.yaml:9:"), "{}", out.stderr);
}

#[test]
fn a_reason_the_font_cannot_print_or_with_a_control_character_is_refused() {
    let p = TestProject::new();
    let (out, _) = filled(&p, &["--defect", "2=背景是𪚥色"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("补正原因“背景是𪚥色”里的字符“𪚥”（U+2A6A5）印刷字体里没有"),
        "{}",
        out.stderr
    );
    let (out, _) = filled(&p, &["--defect", "2=背景\u{1b}[2J不对"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("补正原因"), "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
    assert!(!p.path().join("notices.db").exists());
}
