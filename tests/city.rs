//! A city's halls sharing one register on PostgreSQL, from the command
//! line: `guide serve migrate`, `--register postgres://…` and
//! `register.url`, `{hall}` numbering, export from SQLite and import into
//! PostgreSQL with its check. Each test runs on both stores where both
//! apply; the PostgreSQL ones are skipped outside CI without a server
//! (see `tests/pg`).

mod common;
mod pg;
use common::*;

fn run(p: &TestProject, args: &[&str]) -> Output {
    run_guide_env(
        p.path(),
        args,
        &[
            ("SOURCE_DATE_EPOCH", TODAY_EPOCH),
            ("GUIDE_TEST_NOW", TODAY_EPOCH),
        ],
    )
}

fn notice(p: &TestProject, register: &str, more: &[&str], out: &str) -> Output {
    let mut args = vec![
        "notice",
        "basic",
        "-m",
        "1",
        "--applicant",
        "张三",
        "--register",
        register,
    ];
    args.extend(more);
    args.extend(["-o", out]);
    run(p, &args)
}

#[test]
fn a_postgres_register_is_refused_until_migrated_then_used_like_a_file() {
    let Some(db) = pg::Schema::new() else {
        return;
    };
    let p = TestProject::new();
    let refused = notice(&p, &db.url, &[], "1.pdf");
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("guide serve migrate"),
        "{}",
        refused.stderr
    );
    assert!(!p.path().join("1.pdf").exists());

    let m = run(&p, &["serve", "migrate", "--register", &db.url]);
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert!(
        m.stderr.contains("从第 0 版格式迁移到第 5 版"),
        "{}",
        m.stderr
    );
    let again = run(&p, &["serve", "migrate", "--register", &db.url]);
    assert!(again.stderr.contains("无需迁移"), "{}", again.stderr);

    for (i, out) in ["1.pdf", "2.pdf"].iter().enumerate() {
        let n = notice(&p, &db.url, &[], out);
        assert_eq!(n.code, 0, "{}", n.stderr);
        assert_eq!(n.stdout.trim(), format!("乌政服告〔2026〕{}号", i + 1));
    }
    let list = run(&p, &["notice", "list", "--register", &db.url]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);
    let show = run(&p, &["notice", "show", "2", "--register", &db.url]);
    assert!(
        show.stdout.starts_with("乌政服告〔2026〕2号"),
        "{}",
        show.stdout
    );
    let re = run(
        &p,
        &[
            "notice",
            "reprint",
            "1",
            "--register",
            &db.url,
            "-o",
            "r.pdf",
        ],
    );
    assert_eq!(re.code, 0, "{}", re.stderr);
    assert_eq!(
        std::fs::read(p.path().join("r.pdf")).unwrap(),
        std::fs::read(p.path().join("1.pdf")).unwrap()
    );
    let v = run(
        &p,
        &[
            "notice",
            "visit",
            "1",
            "-b",
            "1",
            "--result",
            "已补正",
            "--register",
            &db.url,
        ],
    );
    assert_eq!(v.code, 0, "{}", v.stderr);

    // register.url in guide.yaml: the same register without --register.
    let p = p.file(
        "guide.yaml",
        &format!("{CONFIG}register:\n  url: \"{}\"\n", db.url),
    );
    let list = run(&p, &["notice", "list"]);
    assert_eq!(
        list.stdout.lines().count(),
        2,
        "{}{}",
        list.stdout,
        list.stderr
    );
    assert!(
        !p.path().join("notices.db").exists(),
        "no file made beside it"
    );
}

#[test]
fn a_password_in_guide_yaml_is_refused_by_check_and_by_the_register() {
    let p = TestProject::new().file(
        "guide.yaml",
        &format!("{CONFIG}register:\n  url: \"postgres://guide:s3cret@db.example:5432/guide\"\n"),
    );
    let check = p.check();
    assert_eq!(check.code, 1, "{}", check.stderr);
    let all = format!("{}{}", check.stdout, check.stderr);
    assert!(all.contains("不能写密码"), "{all}");
    let list = run(&p, &["notice", "list"]);
    assert_eq!(list.code, 2, "{}", list.stderr);
    assert!(
        list.stderr.contains("GUIDE_REGISTER_PASSWORD"),
        "{}",
        list.stderr
    );
    assert!(!list.stderr.contains("s3cret"), "{}", list.stderr);
}

/// `{hall}` in the pattern: each hall numbers on its own; without a hall
/// named, nothing is issued.
fn halls_number_on_their_own(p: &TestProject, register: &str) {
    let none = notice(p, register, &[], "x.pdf");
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(none.stderr.contains("--hall"), "{}", none.stderr);
    let mut got = Vec::new();
    for (hall, out) in [("海勃湾", "1.pdf"), ("乌达", "2.pdf"), ("海勃湾", "3.pdf")] {
        let n = notice(p, register, &["--hall", hall], out);
        assert_eq!(n.code, 0, "{}", n.stderr);
        got.push(n.stdout.trim().to_owned());
    }
    assert_eq!(
        got,
        [
            "乌政服告〔2026〕海勃湾1号",
            "乌政服告〔2026〕乌达1号",
            "乌政服告〔2026〕海勃湾2号"
        ]
    );
}

const HALLS: &str = "notice:\n  number_pattern: \"乌政服告〔{year}〕{hall}{seq}号\"\n";

#[test]
fn each_hall_numbers_on_its_own_with_hall_in_the_pattern_on_sqlite() {
    let p = TestProject::new().file("guide.yaml", &format!("{CONFIG}{HALLS}"));
    assert_eq!(p.check().code, 0, "{}", p.check().stdout);
    let m = run(
        &p,
        &["serve", "migrate", "--register", "n.db", "--new-register"],
    );
    assert_eq!(m.code, 0, "{}", m.stderr);
    halls_number_on_their_own(&p, "n.db");
}

#[test]
fn each_hall_numbers_on_its_own_with_hall_in_the_pattern_on_postgres() {
    let Some(db) = pg::Schema::new() else {
        return;
    };
    let p = TestProject::new().file("guide.yaml", &format!("{CONFIG}{HALLS}"));
    assert_eq!(
        run(&p, &["serve", "migrate", "--register", &db.url]).code,
        0
    );
    halls_number_on_their_own(&p, &db.url);
}

#[test]
fn a_hall_register_moves_from_sqlite_to_postgres_with_its_count_and_checksum() {
    let Some(db) = pg::Schema::new() else {
        return;
    };
    let p = TestProject::new();
    let m = run(
        &p,
        &[
            "serve",
            "migrate",
            "--register",
            "hall.db",
            "--new-register",
        ],
    );
    assert!(
        m.stderr.contains("从第 0 版格式迁移到第 5 版"),
        "{}",
        m.stderr
    );
    for out in ["1.pdf", "2.pdf", "3.pdf"] {
        let n = notice(&p, "hall.db", &["--window", "B2"], out);
        assert_eq!(n.code, 0, "{}", n.stderr);
    }
    run(
        &p,
        &[
            "notice",
            "visit",
            "2",
            "-b",
            "1",
            "--result",
            "已受理",
            "--register",
            "hall.db",
        ],
    );
    let out = run(
        &p,
        &["notice", "export", "hall.jsonl", "--register", "hall.db"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let exported = out.stdout.trim().to_owned();
    assert!(exported.starts_with("3\t1\t"), "{exported}");

    // A file cut short is refused and imports nothing.
    let text = std::fs::read_to_string(p.path().join("hall.jsonl")).unwrap();
    let cut: Vec<&str> = text.lines().collect();
    let p = p.file("cut.jsonl", &cut[..cut.len() - 2].join("\n"));
    assert_eq!(
        run(&p, &["serve", "migrate", "--register", &db.url]).code,
        0
    );
    let bad = run(
        &p,
        &["notice", "import", "cut.jsonl", "--register", &db.url],
    );
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("没有结束行"), "{}", bad.stderr);

    let imported = run(
        &p,
        &["notice", "import", "hall.jsonl", "--register", &db.url],
    );
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert_eq!(imported.stdout.trim(), exported, "same count and checksum");
    assert!(imported.stderr.contains("核对无误"), "{}", imported.stderr);
    // The same PDFs, the visit, and numbering goes on after them.
    let re = run(
        &p,
        &[
            "notice",
            "reprint",
            "3",
            "--register",
            &db.url,
            "-o",
            "r.pdf",
        ],
    );
    assert_eq!(re.code, 0, "{}", re.stderr);
    assert_eq!(
        std::fs::read(p.path().join("r.pdf")).unwrap(),
        std::fs::read(p.path().join("3.pdf")).unwrap()
    );
    let show = run(&p, &["notice", "show", "2", "--register", &db.url]);
    assert!(show.stdout.contains("已受理"), "{}", show.stdout);
    let next = notice(&p, &db.url, &[], "4.pdf");
    assert_eq!(next.stdout.trim(), "乌政服告〔2026〕4号", "{}", next.stderr);
    // A register that has notices takes no import.
    let twice = run(
        &p,
        &["notice", "import", "hall.jsonl", "--register", &db.url],
    );
    assert_ne!(twice.code, 0);
    assert!(twice.stderr.contains("已有告知单"), "{}", twice.stderr);
    // And back into a new SQLite file, the same.
    let back = run(
        &p,
        &[
            "notice",
            "import",
            "hall.jsonl",
            "--register",
            "back.db",
            "--new-register",
        ],
    );
    assert_eq!(back.stdout.trim(), exported, "{}", back.stderr);
}

#[test]
fn the_docs_tell_a_citys_it_office_every_step() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let city = std::fs::read_to_string(root.join("docs/city.md")).unwrap();
    for want in [
        "apt-get install -y postgresql",
        "createuser --pwprompt guide",
        "createdb --owner guide",
        "GUIDE_REGISTER_PASSWORD",
        "guide serve migrate --register postgres://",
        "--hall 海勃湾区",
        "{hall}",
        "pg_dump",
        "pg_restore",
        "guide notice export",
        "guide notice import",
    ] {
        assert!(city.contains(want), "docs/city.md lacks {want}");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("docs/city.md"));
}
