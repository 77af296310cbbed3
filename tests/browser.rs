//! The built site in a real browser (headless Chromium, driven by
//! playwright-core): search, the situation picker, keyboard use, phone width
//! and zoom, the clerk's printout, the print view, and no console errors;
//! and the desk of `guide serve`: log in, issue, the number, the second
//! visit by a short number, statistics, logout, and what is refused.
//! Needs Debian's `chromium` and `npm ci --prefix tests/browser`;
//! `scripts/test` installs both.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn the_site_works_in_a_real_browser() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        here.join("node_modules/playwright-core").is_dir(),
        "playwright-core is missing: run `npm ci --prefix tests/browser` (scripts/test does)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} is missing: `apt-get install chromium` (scripts/test does)"
    );
    let (_dir, out) = build_demo("site", &[]);
    // Screenshots go to target/browser-shots for a person to look at.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-shots");
    std::fs::create_dir_all(&shots).unwrap();
    let run = Command::new("node")
        .arg(here.join("run.mjs"))
        .arg(out.join("site"))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node is needed for the browser tests");
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        report.lines().count() >= 10 && report.lines().all(|l| l.starts_with("ok ")),
        "{report}"
    );
}

#[test]
fn the_desk_works_in_a_real_browser() {
    use std::io::{BufRead, Write};
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        here.join("node_modules/playwright-core").is_dir(),
        "playwright-core is missing: run `npm ci --prefix tests/browser` (scripts/test does)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notices.db");
    let password = "correct-horse-battery";
    for (name, role) in [("李娜", "clerk"), ("王主任", "supervisor")] {
        let mut c = Command::new(bin())
            .arg("--project")
            .arg(demo())
            .args(["serve", "--register"])
            .arg(&db)
            .args([
                "--new-register",
                "user",
                "add",
                name,
                "--window",
                "B12",
                "--role",
                role,
            ])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(c.stdin.take().unwrap(), "{password}").unwrap();
        assert!(c.wait().unwrap().success());
    }
    let mut server = Command::new(bin())
        .arg("--project")
        .arg(demo())
        .args(["serve", "--bind", "127.0.0.1:0", "--register"])
        .arg(&db)
        .env("GUIDE_TEST_NOW", "1780279200")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut base = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut base)
        .unwrap();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-shots");
    std::fs::create_dir_all(&shots).unwrap();
    let run = Command::new("node")
        .arg(here.join("desk.mjs"))
        .arg(base.trim())
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .env("DESK_PASSWORD", password)
        .output()
        .expect("node is needed for the browser tests");
    let _ = server.kill();
    let _ = server.wait();
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        report.lines().count() >= 12 && report.lines().all(|l| l.starts_with("ok ")),
        "{report}"
    );
}
