//! Never invent: what a published guide does not state is warned about by
//! `check` and left out of every output (or printed 未注明 in a table cell),
//! never replaced by a value that reads as fact.

mod common;

use common::{CATALOGUE, CONFIG, TestProject};

/// A matter as a real published guide may state it: no kind, steps, time
/// limit, fees, handling, result; a material without its form.
const SPARSE: &str = "\
id: sparse
name: 新生儿出生一件事
department: 测试市卫生健康委员会
category: 一件事
materials:
  - name: 出生医学证明
  - ref: id-card
effective: 2026-01-01
";

fn sparse() -> TestProject {
    TestProject::empty()
        .file("guide.yaml", CONFIG)
        .file("materials.yaml", CATALOGUE)
        .file("guides/one/sparse.yaml", SPARSE)
}

#[test]
fn unstated_elements_are_warnings_naming_them() {
    let p = sparse();
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warnings: Vec<&str> = out
        .stderr
        .split("\n\n")
        .filter(|d| d.starts_with("warning[missing-element]"))
        .collect();
    for key in [
        "`kind`",
        "`steps`",
        "`time_limit`",
        "`fees`",
        "`handling`",
        "`result`",
        "`form`",
    ] {
        assert!(
            warnings
                .iter()
                .any(|w| w.lines().next().is_some_and(|l| l.contains(key))),
            "{key}: {}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains("error["), "{}", out.stderr);
    assert_eq!(p.run(&["check", "--deny-warnings"]).code, 1);
}

#[test]
fn outputs_leave_out_what_the_guide_does_not_state() {
    let p = sparse();
    assert_eq!(p.run(&["build"]).code, 0);
    let show = p.run(&["show", "sparse"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/sparse.html")).unwrap();
    let data = std::fs::read_to_string(p.path().join("dist/data/guides.json")).unwrap();
    let booklet = common_pdf_text(&p.path().join("dist/booklet.pdf"));
    let notice = common_pdf_text(&p.path().join("dist/notices/sparse.pdf"));
    // Nothing that would read as a fact the guide never stated.
    for invented in [
        "全程网上办理",
        "即办",
        "不收费",
        "到现场次数",
        "承诺办结时限",
        "事项类型",
        "办理流程",
    ] {
        assert!(
            !show.stdout.contains(invented),
            "show says {invented}:\n{}",
            show.stdout
        );
        assert!(!page.contains(invented), "site says {invented}");
        assert!(!booklet.contains(invented), "booklet says {invented}");
    }
    // A material of unknown form: 未注明, not 原件1份.
    assert!(
        show.stdout.contains("出生医学证明（份数未注明，必要）"),
        "{}",
        show.stdout
    );
    assert!(page.contains("份数未注明，必要"), "{page}");
    assert!(
        notice.contains("出生医学证明（份数未注明，必要）"),
        "{notice}"
    );
    assert!(booklet.contains("未注明"), "{booklet}");
    assert!(!booklet.contains("出生医学证明\n原件"), "{booklet}");
    // The catalogue material keeps what the catalogue states.
    assert!(
        show.stdout.contains("居民身份证（原件1份，必要）"),
        "{}",
        show.stdout
    );
    // Other systems get null, not a default.
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let m = &v["matters"][0];
    for key in ["kind", "time_limit", "fees", "handling", "promised"] {
        assert!(m[key].is_null(), "{key}: {}", m[key]);
    }
    assert!(m["materials"][0]["form"].is_null(), "{}", m["materials"][0]);
}

#[test]
fn a_yes_no_where_a_sentence_belongs_is_an_error_never_printed() {
    let p = TestProject::new().basic_with(
        "  visit_reason: 现场核验身份",
        "  visit_reason: 现场核验身份\n  appointment: true",
    );
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("error[wrong-type]"), "{}", out.stderr);
    assert!(out.stderr.contains("basic.yaml:25:16"), "{}", out.stderr);
    assert_ne!(p.run(&["build"]).code, 0);
    // Quoted, it is the author's word.
    let p = TestProject::new().basic_with(
        "  visit_reason: 现场核验身份",
        "  visit_reason: 现场核验身份\n  appointment: \"yes\"",
    );
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
}

fn common_pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for these tests");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
