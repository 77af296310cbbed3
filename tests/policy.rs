//! Policy changes over time: dated versions of a matter, `--as-of`,
//! `build --check`, and the CI recipe run against a real git history.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// `basic` from 2027-01-01: five working days instead of ten.
fn next_year() -> String {
    BASIC
        .replace(
            "promised: {value: 10, unit: 工作日}",
            "promised: {value: 5, unit: 工作日}",
        )
        .replace("effective: 2026-01-01", "effective: 2027-01-01")
}

fn promised(p: &TestProject, as_of: &str) -> Option<String> {
    let out = p.run(&["build", "--only", "data", "--as-of", as_of]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("按 {as_of} 施行的规定生成")),
        "{}",
        out.stderr
    );
    let json = std::fs::read_to_string(p.path().join("dist/data/guides.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["matters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "basic")
        .map(|m| m["promised"].as_str().unwrap().to_owned())
}

#[test]
fn a_dated_version_takes_over_on_its_date() {
    let p = TestProject::new().file("guides/hukou/basic@2027-01-01.yaml", &next_year());
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(promised(&p, "2026-06-01").as_deref(), Some("10个工作日"));
    assert_eq!(promised(&p, "2026-12-31").as_deref(), Some("10个工作日"));
    assert_eq!(promised(&p, "2027-01-01").as_deref(), Some("5个工作日"));
    // Not in force yet, or no longer: not built.
    assert_eq!(promised(&p, "2025-12-31"), None);
    let expired = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "effective: 2026-01-01\nexpires: 2026-03-01",
    );
    assert_eq!(promised(&expired, "2026-03-01"), None);
}

#[test]
fn pages_and_booklet_announce_a_coming_change() {
    let p = TestProject::new().file("guides/hukou/basic@2027-01-01.yaml", &next_year());
    let out = p.run(&["build", "--only", "site,booklet", "--as-of", "2026-06-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(page.contains("自 2027-01-01 起施行新规定"), "site");
    assert!(
        page.contains("承诺办结时限：10个工作日（承诺件） → 5个工作日（承诺件）"),
        "site lists what changes"
    );
    let text = Command::new("pdftotext")
        .arg(p.path().join("dist/booklet.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text: String = String::from_utf8(text.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("自2027-01-01起施行新规定"), "booklet");
}

#[test]
fn two_versions_may_not_be_in_force_at_once() {
    let p = TestProject::new()
        .basic_with(
            "effective: 2026-01-01",
            "effective: 2026-01-01\nexpires: 2027-06-01",
        )
        .file("guides/hukou/basic@2027-01-01.yaml", &next_year());
    insta::assert_snapshot!(p.check().stderr);
    let misnamed = TestProject::new().file("guides/hukou/basic@2027-02-01.yaml", &next_year());
    let out = misnamed.check();
    assert!(out.stderr.contains("error[version-date]"), "{}", out.stderr);
    let twice = TestProject::new().file("guides/other/basic.yaml", BASIC);
    assert!(twice.check().stderr.contains("error[duplicate-id]"));
}

#[test]
fn build_check_tells_stale_from_fresh_without_writing() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build", "--only", "site,data"]).code, 0);
    let fresh = p.run(&["build", "--only", "site,data", "--check"]);
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    let before = std::fs::read(p.path().join("dist/data/guides.json")).unwrap();
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), basic_promising(7)).unwrap();
    let stale = p.run(&["build", "--only", "site,data", "--check"]);
    assert_eq!(stale.code, 1);
    assert!(
        stale.stderr.contains("已过时 data/guides.json"),
        "{}",
        stale.stderr
    );
    assert_eq!(
        std::fs::read(p.path().join("dist/data/guides.json")).unwrap(),
        before,
        "nothing written"
    );
}

#[test]
fn the_ci_recipe_checks_builds_and_summarises_a_policy_change() {
    let p = TestProject::new();
    git_init(p.path());
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), basic_promising(5)).unwrap();
    git(
        p.path(),
        &["commit", "-q", "-am", "承诺时限缩短为5个工作日"],
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci/guide-ci.sh");
    let path = format!(
        "{}:{}",
        bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let run = Command::new("bash")
        .arg(&script)
        .arg("HEAD~1")
        .current_dir(p.path())
        .env("PATH", &path)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The policy changed, its changelog did not: one warning, no failure.
    let check = std::fs::read_to_string(p.path().join("check.jsonl")).unwrap();
    assert_eq!(check.lines().count(), 1, "{check}");
    assert!(
        check.contains("\"code\":\"changelog-not-updated\""),
        "{check}"
    );
    assert!(p.path().join("dist/booklet.pdf").is_file());
    assert!(p.path().join("dist/site/index.html").is_file());
    let changes = std::fs::read_to_string(p.path().join("changes.md")).unwrap();
    assert_eq!(
        changes,
        "## 政策变更\n\n### 居住证申领（`basic`）\n\n- 承诺办结时限：10个工作日（承诺件） → 5个工作日（承诺件）\n"
    );
    // A broken guide fails the step, with the problem as a JSON line.
    std::fs::write(
        p.path().join("guides/hukou/basic.yaml"),
        BASIC.replace("ref: id-card", "ref: nothing"),
    )
    .unwrap();
    let broken = Command::new("bash")
        .arg(&script)
        .current_dir(p.path())
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        std::fs::read_to_string(p.path().join("check.jsonl"))
            .unwrap()
            .contains("\"code\":\"unknown-ref\"")
    );
}

#[test]
fn build_since_a_revision_prints_the_changes_for_clerks() {
    let p = TestProject::new();
    git_init(p.path());
    // Committed at 20:00 UTC on 2 November: 3 November in Beijing.
    let amend = Command::new("git")
        .args(["commit", "--amend", "-q", "--no-edit"])
        .current_dir(p.path())
        .env("GIT_COMMITTER_NAME", "政策科")
        .env("GIT_COMMITTER_EMAIL", "policy@example.gov.cn")
        .env("GIT_COMMITTER_DATE", "2026-11-02T20:00:00+00:00")
        .status()
        .unwrap();
    assert!(amend.success());
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), basic_promising(5)).unwrap();
    let out = p.run(&["build", "--only", "data", "--since", "HEAD"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = Command::new("pdftotext")
        .arg(p.path().join("dist/changes.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("政策变更通知"), "{text}");
    assert!(
        text.contains("自 2026-11-03（"),
        "the revision by its date in Beijing time: {text}"
    );
    assert!(text.contains("居住证申领"), "{text}");
    assert!(
        text.contains("承诺办结时限：10个工作日（承诺件） → 5个工作日（承诺件）"),
        "{text}"
    );
}

#[test]
fn build_never_overwrites_the_project_a_file_or_a_folder_of_other_files() {
    let p = TestProject::new();
    for out in [".", "guides", ".."] {
        let run = p.run(&["build", "--only", "data", "--out", out]);
        assert_eq!(run.code, 2, "--out {out}: {}", run.stderr);
    }
    assert!(
        p.path().join("guide.yaml").is_file() && p.path().join("guides/hukou/basic.yaml").is_file()
    );
    std::fs::create_dir_all(p.path().join("文件")).unwrap();
    std::fs::write(p.path().join("文件/报告.docx"), "keep me").unwrap();
    let run = p.run(&["build", "--out", "文件"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("不是 guide 生成的输出"),
        "{}",
        run.stderr
    );
    assert!(p.path().join("文件/报告.docx").is_file());
    std::fs::write(p.path().join("a-file"), "x").unwrap();
    assert_eq!(p.run(&["build", "--out", "a-file"]).code, 2);
    // An empty folder, a previous output, and one from before outputs were
    // marked, are fine.
    std::fs::create_dir_all(p.path().join("旧/site")).unwrap();
    assert_eq!(p.run(&["build", "--only", "data", "--out", "旧"]).code, 0);
    std::fs::create_dir_all(p.path().join("空")).unwrap();
    assert_eq!(p.run(&["build", "--only", "data", "--out", "空"]).code, 0);
    assert_eq!(p.run(&["build", "--only", "data", "--out", "空"]).code, 0);
}

#[test]
fn building_some_outputs_keeps_the_others() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    let booklet = std::fs::read(p.path().join("dist/booklet.pdf")).unwrap();
    std::fs::write(p.path().join("guides/hukou/basic.yaml"), basic_promising(5)).unwrap();
    assert_eq!(p.run(&["build", "--only", "data"]).code, 0);
    assert_eq!(
        std::fs::read(p.path().join("dist/booklet.pdf")).unwrap(),
        booklet,
        "booklet kept"
    );
    assert!(p.path().join("dist/site/index.html").is_file());
    let json = std::fs::read_to_string(p.path().join("dist/data/guides.json")).unwrap();
    assert!(json.contains("5个工作日"), "data rebuilt");
    assert_eq!(
        p.run(&["build", "--only", "data", "--check"]).code,
        0,
        "only data compared"
    );
}

#[test]
fn a_matter_not_yet_in_force_says_when_it_will_be() {
    let future = BASIC
        .replace("id: basic", "id: future")
        .replace("effective: 2026-01-01", "effective: 2099-01-01");
    let p = TestProject::new().file("guides/hukou/future.yaml", &future);
    let out = p.run(&["show", "future"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("自 2099-01-01 起施行，目前还不能办理"),
        "{}",
        out.stderr
    );
    let typo = p.run(&["show", "basik"]);
    assert!(
        typo.stderr.contains("你是不是想找：居住证申领（basic）"),
        "{}",
        typo.stderr
    );
}

#[test]
fn a_loaded_project_answers_for_any_day_and_again_for_another() {
    // A server keeps one project loaded past midnight: choosing the day
    // again must not lose the versions of the day before.
    let p = TestProject::new()
        .file("guides/hukou/basic@2027-01-01.yaml", &next_year())
        .file(
            "guides/hukou/old.yaml",
            &common::BASIC
                .replace("id: basic", "id: old")
                .replace("name: 居住证申领", "name: 旧事项")
                .replace(
                    "effective: 2026-01-01",
                    "effective: 2026-01-01\nexpires: 2026-07-01",
                ),
        );
    let (mut project, _) = guide::load::load(p.path()).unwrap();
    let day = |s: &str| guide::date::Date::parse(s).unwrap();
    let promised = |pr: &guide::load::Project| {
        guide::present::promised_limit(&pr.guide("basic").unwrap().guide).unwrap()
    };
    project.in_force(day("2026-06-01"));
    assert_eq!(promised(&project), "10个工作日（承诺件）");
    assert!(project.guide("old").is_some());
    project.in_force(day("2027-03-01"));
    assert_eq!(promised(&project), "5个工作日（承诺件）");
    assert!(project.guide("old").is_none());
    project.in_force(day("2026-06-01"));
    assert_eq!(promised(&project), "10个工作日（承诺件）");
    assert!(project.guide("old").is_some());
    assert!(
        project
            .next_version(project.guide("basic").unwrap())
            .is_some()
    );
}
