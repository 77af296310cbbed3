//! The notice register under attack: lost files, damaged rows, a wrong
//! clock, read-only files, a busy lock, hostile output paths and typed
//! control characters. Nothing is lost, nothing leaks, nothing hangs.

mod common;
use common::*;
use rusqlite::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

/// 2026-06-02 00:00 Beijing time.
const NEXT_DAY: &str = "1780329600";

/// Runs `guide` in `cwd` with "today" of the data and the notice clock
/// (`GUIDE_TEST_NOW`, honoured by debug builds) at Unix time `epoch`, and
/// `env` besides.
fn run_env(cwd: &Path, args: &[&str], epoch: &str, env: &[(&str, &str)]) -> Output {
    let mut all = vec![("SOURCE_DATE_EPOCH", epoch), ("GUIDE_TEST_NOW", epoch)];
    all.extend(env.iter().copied());
    common::run_guide_env(cwd, args, &all)
}

fn run_at(p: &TestProject, args: &[&str], epoch: &str) -> Output {
    run_env(p.path(), args, epoch, &[])
}

/// A notice of `basic` for 张三 on the test day, saved as `out`.
fn notice(p: &TestProject, out: &str) -> Output {
    notice_with(p, out, &[], &[])
}

/// Like [`notice`], with more arguments and environment.
fn notice_with(p: &TestProject, out: &str, more: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec!["notice", "basic", "-m", "1", "--applicant", "张三"];
    args.extend(more);
    args.extend(["-o", out]);
    run_env(p.path(), &args, TODAY_EPOCH, env)
}

fn number(seq: u32) -> String {
    format!("乌政服告〔2026〕{seq}号")
}

/// The numbers `guide notice list` shows.
fn listed(p: &TestProject) -> Vec<String> {
    let out = run_at(p, &["notice", "list"], TODAY_EPOCH);
    out.stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect()
}

fn db(p: &TestProject) -> std::path::PathBuf {
    p.path().join("notices.db")
}

#[test]
fn a_register_is_created_on_the_first_notice_and_never_again_silently() {
    let p = TestProject::new();
    let first = notice(&p, "1.pdf");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("新建告知单登记簿"),
        "{}",
        first.stderr
    );
    let second = notice(&p, "2.pdf");
    assert_eq!(second.stdout.trim(), number(2));
    assert!(!second.stderr.contains("新建"), "{}", second.stderr);

    // Gone: an error, not a silent restart at 0001.
    std::fs::remove_file(db(&p)).unwrap();
    let gone = notice(&p, "3.pdf");
    assert_eq!(gone.code, 2, "{}", gone.stderr);
    assert!(
        gone.stderr
            .contains("不见了，但它以前存在（上次登记到 2026 年第 2 号）"),
        "{}",
        gone.stderr
    );
    assert!(!db(&p).exists(), "no register made");
    assert!(!p.path().join("3.pdf").exists());

    // Emptied: the same.
    std::fs::write(db(&p), b"").unwrap();
    let empty = notice(&p, "3.pdf");
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    assert!(empty.stderr.contains("变成了空文件"), "{}", empty.stderr);

    // Asked for: a new register that continues the numbers.
    let again = notice_with(&p, "3.pdf", &["--new-register"], &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout.trim(), number(3));
    assert!(
        again
            .stderr
            .contains("编号接着上次记录的 2026 年第 2 号继续"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_register_named_on_the_command_line_must_exist_or_be_asked_for() {
    let p = TestProject::new();
    let args = |reg: &str| -> Vec<String> {
        ["notice", "basic", "-m", "1", "--applicant", "张三"]
            .iter()
            .map(|s| s.to_string())
            .chain(["--register".into(), reg.into(), "-o".into(), "n.pdf".into()])
            .collect()
    };
    let run = |reg: &str| {
        let a = args(reg);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        run_at(&p, &a, TODAY_EPOCH)
    };
    let typo = run("notice.db");
    assert_eq!(typo.code, 2, "{}", typo.stderr);
    assert!(
        typo.stderr.contains("请加 --new-register"),
        "{}",
        typo.stderr
    );
    assert!(!p.path().join("notice.db").exists());
    for uri in [":memory:", "file:n.db?mode=memory", "FILE:n.db"] {
        let out = run(uri);
        assert_eq!(out.code, 2, "{uri}: {}", out.stderr);
        assert!(out.stderr.contains("SQLite 的特殊写法"), "{}", out.stderr);
    }
    // A file that is not a register is not written to.
    let out = run("guide.yaml");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("不是告知单登记簿"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(p.path().join("guide.yaml")).unwrap(),
        CONFIG
    );
    assert!(!p.path().join("n.pdf").exists());
}

#[test]
fn the_pdf_is_saved_before_its_number_is_committed() {
    let p = TestProject::new();
    // Cannot be written (no file can be made in /proc): nothing recorded.
    if cfg!(target_os = "linux") {
        let out = notice(&p, "/proc/n.pdf");
        assert_ne!(out.code, 0);
        assert!(
            out.stderr.contains("无法在 /proc 写入告知单，没有登记"),
            "{}",
            out.stderr
        );
        assert_eq!(listed(&p), Vec::<String>::new());
    }
    // Saving fails after the commit: the clerk is told how to reprint.
    let out = notice_with(&p, "n.pdf", &[], &[("GUIDE_TEST_FAIL", "after-commit")]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let again = format!("guide notice reprint \"{}\" -o \"n.pdf\"", number(1));
    assert!(out.stderr.contains(&again), "{}", out.stderr);
    assert!(!p.path().join("n.pdf").exists());
    let left: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
    let re = run_at(
        &p,
        &["notice", "reprint", &number(1), "-o", "n.pdf"],
        TODAY_EPOCH,
    );
    assert_eq!(re.code, 0, "{}", re.stderr);
    assert!(
        std::fs::read(p.path().join("n.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

#[test]
fn output_never_overwrites_the_register_or_the_guide_data() {
    let p = TestProject::new().file("readme.txt", "说明\n");
    let first = notice(&p, "first.pdf");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let built = run_at(&p, &["build", "--only", "booklet"], TODAY_EPOCH);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let mut targets = vec![
        "guide.yaml",
        "materials.yaml",
        "guides/hukou/basic.yaml",
        "guides/new.pdf",
        "templates/x.pdf",
        "notices.db",
        "notices.db-wal",
        "notices.db-marker",
        "readme.txt",
        "guides",
        "dist/booklet.pdf",
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("guide.yaml", p.path().join("link.pdf")).unwrap();
        targets.push("link.pdf");
    }
    for target in targets {
        let out = notice(&p, target);
        assert_eq!(out.code, 2, "{target}: {}", out.stderr);
        assert!(out.stderr.contains("没有登记"), "{target}: {}", out.stderr);
        let re = run_at(
            &p,
            &["notice", "reprint", &number(1), "-o", target],
            TODAY_EPOCH,
        );
        assert_eq!(re.code, 2, "reprint -o {target}: {}", re.stderr);
        assert!(re.stderr.contains("没有重印"), "{}", re.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(p.path().join("guide.yaml")).unwrap(),
        CONFIG
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("guides/hukou/basic.yaml")).unwrap(),
        BASIC
    );
    assert_eq!(listed(&p), [number(1)], "nothing else recorded");
    // An earlier notice may be replaced.
    let over = notice(&p, "first.pdf");
    assert_eq!(over.code, 0, "{}", over.stderr);
    // A huge file is not read to find out that it is not a notice.
    let big = std::fs::File::create(p.path().join("big.pdf")).unwrap();
    big.set_len(200 << 20).unwrap();
    let started = Instant::now();
    let out = notice(&p, "big.pdf");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("不是 guide 生成的告知单 PDF"),
        "{}",
        out.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_notice_is_dated_by_the_clock_not_by_source_date_epoch() {
    let p = TestProject::new();
    // A reproducible-build date in 2020 must not date a notice.
    let out = notice_with(&p, "n.pdf", &[], &[("SOURCE_DATE_EPOCH", "1590969600")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), number(1));
    let show = run_at(&p, &["notice", "show", &number(1)], TODAY_EPOCH);
    assert!(
        show.stdout.contains("告知时间：2026-06-01 08:00:00"),
        "{}",
        show.stdout
    );
    // The next day is fine; a clock set back before the last notice is not.
    let next = run_at(
        &p,
        &[
            "notice",
            "basic",
            "-m",
            "1",
            "--applicant",
            "李四",
            "-o",
            "m.pdf",
        ],
        NEXT_DAY,
    );
    assert_eq!(next.code, 0, "{}", next.stderr);
    let back = notice(&p, "x.pdf");
    assert_eq!(back.code, 2, "{}", back.stderr);
    assert!(
        back.stderr
            .contains("这台电脑的时钟可能不对：现在是 2026-06-01 08:00:00"),
        "{}",
        back.stderr
    );
    assert!(!p.path().join("x.pdf").exists());
    assert_eq!(listed(&p), [number(1), number(2)]);
}

#[test]
fn a_lost_wal_file_is_noticed_and_no_number_is_given_twice() {
    let p = TestProject::new();
    assert_eq!(notice(&p, "1.pdf").code, 0);
    // Another program keeps the register open, so the newest notices stay
    // in the -wal file ...
    let keep = Connection::open(db(&p)).unwrap();
    keep.query_row("SELECT count(*) FROM notices", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let before = std::fs::read(db(&p)).unwrap();
    assert_eq!(notice(&p, "2.pdf").code, 0);
    assert_eq!(notice(&p, "3.pdf").code, 0);
    drop(keep);
    // ... and the -wal file is lost before they reach the register.
    std::fs::write(db(&p), before).unwrap();
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(p.path().join(format!("notices.db{s}")));
    }
    let out = notice(&p, "4.pdf");
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("少了最近登记的告知单：上次登记到 2026 年第 3 号，登记簿里只到第 1 号"),
        "{}",
        out.stderr
    );
    assert!(!p.path().join("4.pdf").exists());
    assert_eq!(listed(&p), [number(1)]);
}

/// The register of `p` after `n` notices, opened to tamper with it.
fn tampered(p: &TestProject, n: u32, sql: &str) -> Connection {
    for i in 1..=n {
        let out = notice(p, &format!("{i}.pdf"));
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let c = Connection::open(db(p)).unwrap();
    c.execute_batch(sql).unwrap();
    c
}

#[test]
fn damaged_rows_are_named_and_never_panic_or_reprint_wrongly() {
    let p = TestProject::new();
    let c = tampered(
        &p,
        4,
        "UPDATE notices SET situations = '{bad' WHERE seq = 1;
         UPDATE notices SET issued_at = '２０２６年六月一日上午' WHERE seq = 2;
         UPDATE notices SET pdf = X'00FF00FF00FF00' WHERE seq = 3;
         UPDATE notices SET pdf = (SELECT pdf FROM notices WHERE seq = 1) WHERE seq = 4;",
    );
    drop(c);
    let show = run_at(&p, &["notice", "show", &number(1)], TODAY_EPOCH);
    assert_eq!(show.code, 3, "{}", show.stderr);
    assert!(
        show.stderr.contains(&format!(
            "编号 {} 的记录已损坏：“情形”不是有效的 JSON",
            number(1)
        )),
        "{}",
        show.stderr
    );
    let list = run_at(&p, &["notice", "list"], TODAY_EPOCH);
    assert_eq!(list.code, 3, "{}", list.stderr);
    assert!(!list.stderr.contains("panicked"), "{}", list.stderr);
    assert!(
        list.stderr
            .contains("“告知时间”“２０２６年六月一日上午”不是")
    );
    assert_eq!(
        list.stdout.lines().count(),
        2,
        "the good rows: {}",
        list.stdout
    );
    for (seq, why) in [(3, "存档的告知单不是 PDF 文件"), (4, "校验值不一致")] {
        let re = run_at(
            &p,
            &["notice", "reprint", &number(seq), "-o", "r.pdf"],
            TODAY_EPOCH,
        );
        assert_eq!(re.code, 3, "{}", re.stderr);
        assert!(re.stderr.contains(why), "{}", re.stderr);
        assert!(!p.path().join("r.pdf").exists());
    }
    // The next number is still the next one.
    let out = notice(&p, "5.pdf");
    assert_eq!(out.stdout.trim(), number(5), "{}", out.stderr);
}

#[test]
fn a_tampered_time_or_a_damaged_file_stops_issuing_clearly() {
    let p = TestProject::new();
    drop(tampered(
        &p,
        1,
        "UPDATE notices SET issued_at = '2099-01-01 00:00:00'",
    ));
    let out = notice(&p, "2.pdf");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("或那条记录的时间被改动过"),
        "{}",
        out.stderr
    );
    drop(tampered(&p, 0, "UPDATE notices SET issued_at = 'garbage'"));
    let out = notice(&p, "2.pdf");
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("“告知时间”不是"), "{}", out.stderr);

    // Bytes of the file overwritten behind guide's back.
    let q = TestProject::new();
    assert_eq!(notice(&q, "1.pdf").code, 0);
    let mut bytes = std::fs::read(db(&q)).unwrap();
    let page = 4096;
    for b in &mut bytes[page..page + 200] {
        *b = 0x5a;
    }
    std::fs::write(db(&q), bytes).unwrap();
    let out = notice(&q, "2.pdf");
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("已损坏"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(!q.path().join("2.pdf").exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_register_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let p = TestProject::new();
    assert_eq!(notice(&p, "1.pdf").code, 0);
    let ro = std::fs::Permissions::from_mode(0o444);
    std::fs::set_permissions(db(&p), ro).unwrap();
    let out = notice(&p, "2.pdf");
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("是只读的，无法登记新的告知单"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("已被占用"), "{}", out.stderr);
    std::fs::set_permissions(db(&p), std::fs::Permissions::from_mode(0o644)).unwrap();

    // A read-only folder.
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("r");
    std::fs::create_dir(&reg).unwrap();
    let path = reg.join("notices.db");
    let path = path.to_str().unwrap();
    let base = [
        "notice",
        "basic",
        "-m",
        "1",
        "--applicant",
        "张三",
        "--register",
        path,
    ];
    let make = [&base[..], &["--new-register", "-o", "a.pdf"]].concat();
    assert_eq!(run_at(&p, &make, TODAY_EPOCH).code, 0);
    std::fs::set_permissions(&reg, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = run_at(&p, &[&base[..], &["-o", "b.pdf"]].concat(), TODAY_EPOCH);
    std::fs::set_permissions(&reg, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("所在的文件夹") && out.stderr.contains("是只读的"),
        "{}",
        out.stderr
    );
}

/// Holds the write lock of `db` for `secs` from another program, once it
/// has it; `holder` is what a guide window would have written beside it.
fn hold_lock(db: &Path, secs: u64, holder: Option<&str>) -> std::thread::JoinHandle<()> {
    let c = Connection::open(db).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    if let Some(h) = holder {
        std::fs::write(db.with_file_name("notices.db-holder"), h).unwrap();
    }
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(secs));
        c.execute_batch("ROLLBACK").unwrap();
    })
}

#[test]
fn a_window_kept_waiting_says_so_and_goes_on() {
    let p = TestProject::new();
    assert_eq!(notice(&p, "1.pdf").code, 0);
    let held = hold_lock(&db(&p), 5, None);
    let started = Instant::now();
    let out = notice(&p, "2.pdf");
    held.join().unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("正被另一个程序（可能是 sqlite3、备份或杀毒软件）使用，正在等待"),
        "{}",
        out.stderr
    );
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert_eq!(out.stdout.trim(), number(2));
}

#[test]
fn a_lock_held_too_long_ends_in_a_clear_message_naming_the_holder() {
    let p = TestProject::new();
    assert_eq!(notice(&p, "1.pdf").code, 0);
    let held = hold_lock(
        &db(&p),
        7,
        Some("窗口 B12，电脑 HALL-3，进程 4242，2026-06-01 08:00:00 起"),
    );
    let out = notice_with(&p, "2.pdf", &[], &[("GUIDE_TEST_LOCK_WAIT", "4")]);
    held.join().unwrap();
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("正被另一个窗口（窗口 B12，电脑 HALL-3"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("已等了 4 秒，没有登记"),
        "{}",
        out.stderr
    );
    assert!(!p.path().join("2.pdf").exists());
}

#[test]
fn control_characters_are_refused_when_typed_and_escaped_when_shown() {
    let p = TestProject::new();
    for (flag, value, field) in [
        (
            "--applicant",
            "张\u{1b}[2J三",
            "申请人“张\\u{1b}[2J三”的第 2 个字符是控制字符（U+001B）",
        ),
        (
            "--window",
            "B\u{202e}21",
            "窗口“B\\u{202e}21”的第 2 个字符是文字方向控制符（U+202E）",
        ),
        (
            "--clerk",
            "李娜\n",
            "经办人“李娜\\u{a}”的第 3 个字符是换行符",
        ),
        ("--phone", "138\t0000", "联系电话"),
    ] {
        let mut args = vec!["notice", "basic", "-m", "1", "-o", "n.pdf", flag, value];
        if flag != "--applicant" {
            args.extend(["--applicant", "张三"]);
        }
        let out = run_at(&p, &args, TODAY_EPOCH);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains(field), "{}", out.stderr);
        assert!(
            !out.stderr.contains('\u{1b}'),
            "no raw escape on the terminal"
        );
        assert!(!p.path().join("n.pdf").exists());
        assert!(!db(&p).exists(), "nothing recorded");
    }
    // A row written by something else is shown with its controls visible.
    drop(tampered(
        &p,
        1,
        "UPDATE notices SET applicant = '张三' || char(27) || '[2J', clerk = 'x' || char(8238) || 'y',
             missing = '[{\"name\":\"居民身份证\\u001b]0;pwned\\u0007\",\"requirement\":\"原件\"}]'",
    ));
    let list = run_at(&p, &["notice", "list"], TODAY_EPOCH);
    let show = run_at(&p, &["notice", "show", &number(1)], TODAY_EPOCH);
    for out in [&list, &show] {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("张三\\u{1b}[2J"), "{}", out.stdout);
        assert!(
            !out.stdout
                .chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{202e}'),
            "{:?}",
            out.stdout
        );
    }
    assert!(
        show.stdout.contains("经办人：x\\u{202e}y"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("居民身份证\\u{1b}]0;pwned\\u{7}"),
        "{}",
        show.stdout
    );
}
