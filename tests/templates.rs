//! A project's own templates are bounded (a loop cannot hang the build nor
//! fill the disk or memory) and `guide check` renders them with the
//! project's data, naming the template and line of each problem.

mod common;

use common::*;
use std::time::{Duration, Instant};

/// Runs `guide` in `p` and fails (killing it) if it takes longer than a
/// minute: without bounds these templates run for days.
fn run_bounded(p: &TestProject, args: &[&str]) -> Output {
    let mut child = std::process::Command::new(bin())
        .args(args)
        .current_dir(p.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run guide");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("guide {args:?} still running after a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A page template extending the built-in `base.html` with `body`.
fn page(body: &str) -> String {
    format!("{{% extends \"base.html\" %}}{{% block content %}}\n{body}{{% endblock content %}}")
}

/// Nested loops that run 10¹⁰ times and write nothing.
const ENDLESS: &str =
    "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";

/// Nested loops that write 100 000 × 100 000 × 1 KB.
fn huge() -> String {
    format!(
        "{{% for i in range(end=100000) %}}{{% for j in range(end=100000) %}}{}{{% endfor %}}{{% endfor %}}",
        "x".repeat(1024)
    )
}

#[test]
fn a_template_that_loops_without_end_fails_the_build_and_keeps_the_previous_site() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    let index = std::fs::read(p.path().join("dist/site/index.html")).unwrap();
    let p = p.file("templates/matter.html", &page(ENDLESS));
    let out = run_bounded(&p, &["build"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("模板 templates/matter.html")
            && out.stderr.contains("超过 5 秒仍未完成")
            && out.stderr.contains("原有输出未改动"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read(p.path().join("dist/site/index.html")).unwrap(),
        index
    );
    let beside: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".dist."))
        .collect();
    assert!(beside.is_empty(), "nothing left beside dist");
}

#[test]
fn a_template_that_writes_too_much_fails_the_build_naming_it() {
    let p = TestProject::new().file("templates/404.html", &page(&huge()));
    let out = run_bounded(&p, &["build", "--only", "site"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("模板 templates/404.html")
            && out.stderr.contains("这一页超过 8 MB")
            && out.stderr.contains("site/404.html"),
        "{}",
        out.stderr
    );
    assert!(!p.path().join("dist").exists());
    // Through the shared base template: the base is named.
    let base = std::fs::read_to_string(repo_root().join("templates/base.html")).unwrap();
    let p = TestProject::new().file(
        "templates/base.html",
        &base.replacen("<body", &format!("{}<body", huge()), 1),
    );
    let out = run_bounded(&p, &["build", "--only", "site"]);
    assert!(
        out.stderr.contains("模板 templates/base.html"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_template_that_doubles_a_variable_is_refused_before_rendering() {
    let p = TestProject::new().file(
        "templates/index.html",
        &page("{% set s = \"ab\" %}\n{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}"),
    );
    let out = run_bounded(&p, &["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[template]")
            && out.stderr.contains("templates/index.html:3:")
            && out.stderr.contains("耗尽内存"),
        "{}",
        out.stderr
    );
    assert_ne!(run_bounded(&p, &["build"]).code, 0);
}

/// `guide check` with one page template of the project replaced.
fn check_with(name: &str, text: &str) -> Output {
    let p = TestProject::new().file(&format!("templates/{name}"), text);
    run_bounded(&p, &["check"])
}

#[test]
fn check_renders_every_kind_of_page_with_the_projects_templates() {
    for name in [
        "index.html",
        "category.html",
        "matter.html",
        "notice.html",
        "changelog.html",
        "404.html",
        "clerk.html",
    ] {
        let out = check_with(name, &page("<p>\n  {{ no_such_thing }}</p>"));
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains("error[template]")
                && out.stderr.contains(&format!("templates/{name}:3:6"))
                && out.stderr.contains("变量 `no_such_thing` 没有定义"),
            "{name}: {}",
            out.stderr
        );
    }
    // The shared base template, and a bad filter.
    let base = std::fs::read_to_string(repo_root().join("templates/base.html")).unwrap();
    let out = check_with(
        "base.html",
        &base.replacen("<body", "{{ site.title | no_such_filter }}<body", 1),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("templates/base.html") && out.stderr.contains("no_such_filter"),
        "{}",
        out.stderr
    );
    // A template that renders is clean.
    assert_eq!(
        check_with("404.html", &page("<p>{{ site.title }}</p>")).code,
        0
    );
}

#[test]
fn check_renders_every_matter_not_just_the_first() {
    let second = BASIC
        .replace("id: basic", "id: second")
        .replace("name: 居住证申领", "name: 第二个事项");
    let p = TestProject::new()
        .file("guides/hukou/second.yaml", &second)
        .file(
            "templates/matter.html",
            &page("{% if m.id == \"second\" %}{{ m.no_such_field }}{% endif %}"),
        );
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("字段 `no_such_field` 没有定义")
            && out.stderr.contains("site/matters/second.html"),
        "{}",
        out.stderr
    );
    // Told once however many pages show it.
    assert_eq!(out.stderr.matches("error[template]").count(), 1);
}

#[test]
fn check_reports_a_template_over_its_limits() {
    let out = check_with("changelog.html", &page(&huge()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("error[template]")
            && out.stderr.contains("templates/changelog.html")
            && out.stderr.contains("这一页超过 8 MB"),
        "{}",
        out.stderr
    );
    let out = check_with("notice.html", &page(ENDLESS));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("templates/notice.html") && out.stderr.contains("超过 5 秒仍未完成"),
        "{}",
        out.stderr
    );
}

fn repo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
