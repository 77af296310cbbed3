//! `guide build` loses nothing: it replaces only what an earlier build
//! wrote (listed in the output's marker), and a build killed at any moment
//! leaves the previous output for the next run to put back.

mod common;

use common::*;
use std::path::Path;

const MARKER: &str = ".guide-output";

fn marker(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(MARKER)).expect("marker")
}

/// Entries beside `dist` that a build leaves while it runs.
fn leftovers(project: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(project)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dist."))
        .collect();
    v.sort();
    v
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_marker_lists_what_the_build_wrote_and_is_the_same_build_to_build() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    let dist = p.path().join("dist");
    let first = marker(&dist);
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines[..2], ["guide build", "files:"]);
    for entry in [
        "booklet.pdf",
        "data/",
        "data/guides.json",
        "notices/basic.pdf",
        "site/index.html",
        "site/matters/basic/",
        "site/matters/basic/notice.html",
    ] {
        assert!(lines.contains(&entry), "{entry} in {first}");
    }
    let mut sorted = lines[2..].to_vec();
    sorted.sort();
    assert_eq!(sorted, lines[2..], "sorted");
    assert_eq!(p.run(&["build"]).code, 0);
    assert_eq!(marker(&dist), first, "byte-identical");
}

#[test]
fn build_refuses_a_folder_holding_anything_it_did_not_write_even_inside() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    let dist = p.path().join("dist");
    let index = std::fs::read(dist.join("site/index.html")).unwrap();
    for inside in [
        "报告.docx",
        "data/自己的统计.xlsx",
        "site/extra.html",
        "site/matters/basic/photo.jpg",
        "notices/basic-signed.pdf",
    ] {
        write(&dist.join(inside), "keep me");
        let out = p.run(&["build"]);
        assert_eq!(out.code, 2, "{inside}: {}", out.stderr);
        assert!(
            out.stderr.contains("不是 guide 生成的输出") && out.stderr.contains(inside),
            "{inside}: {}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(dist.join(inside)).unwrap(),
            "keep me"
        );
        // `--only` replaces a whole folder: refused just the same.
        assert_eq!(p.run(&["build", "--only", "data"]).code, 2, "{inside}");
        std::fs::remove_file(dist.join(inside)).unwrap();
    }
    // An empty folder of one's own counts too.
    std::fs::create_dir_all(dist.join("site/mine")).unwrap();
    let out = p.run(&["build", "--only", "site"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("site/mine/"), "{}", out.stderr);
    std::fs::remove_dir(dist.join("site/mine")).unwrap();
    // Many: the first few are named, and how many there are.
    for i in 0..8 {
        write(&dist.join(format!("site/草稿{i}.txt")), "x");
    }
    let out = p.run(&["build"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("site/草稿0.txt") && out.stderr.contains("等 8 项"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("site/草稿7.txt"), "{}", out.stderr);
    assert_eq!(std::fs::read(dist.join("site/index.html")).unwrap(), index);
}

#[test]
fn only_builds_keep_the_entries_of_the_outputs_they_did_not_rebuild() {
    let second = BASIC.replace("id: basic", "id: second");
    let p = TestProject::new().file("guides/hukou/second.yaml", &second);
    assert_eq!(p.run(&["build"]).code, 0);
    let dist = p.path().join("dist");
    assert!(marker(&dist).contains("site/matters/second.html\n"));
    std::fs::remove_file(p.path().join("guides/hukou/second.yaml")).unwrap();
    // Only the data: the site (still listing `second`) stays listed.
    assert_eq!(p.run(&["build", "--only", "data"]).code, 0);
    let m = marker(&dist);
    assert!(
        m.contains("site/matters/second.html\n") && m.contains("booklet.pdf\n"),
        "{m}"
    );
    assert!(dist.join("site/matters/second.html").is_file());
    assert_eq!(
        p.run(&["build", "--only", "site"]).code,
        0,
        "still all ours"
    );
    let m = marker(&dist);
    assert!(!m.contains("site/matters/second"), "{m}");
    assert!(m.contains("notices/second.pdf\n"), "not rebuilt: {m}");
    assert!(!dist.join("site/matters/second.html").exists());
    assert!(leftovers(p.path()).is_empty(), "{:?}", leftovers(p.path()));
    // A full build lists exactly what it wrote.
    assert_eq!(p.run(&["build"]).code, 0);
    assert_eq!(marker(&dist), m.replace("notices/second.pdf\n", ""));
    assert!(!dist.join("notices/second.pdf").exists());
}

#[test]
fn an_output_from_before_the_list_is_replaced_only_if_everything_in_it_is_guides() {
    let p = TestProject::new();
    // A marker without a list, and only what guide writes: fine.
    let old = p.path().join("旧");
    write(&old.join(MARKER), "guide build\n");
    write(&old.join("booklet.pdf"), "%PDF");
    write(&old.join("notices/basic.pdf"), "%PDF");
    write(&old.join("site/matters/basic/notice.html"), "<p>");
    write(&old.join("site/categories/1.html"), "<p>");
    write(&old.join("site/files/表格/申请表.docx"), "form");
    let out = p.run(&["build", "--out", "旧"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(marker(&old).contains("files:\n"));
    // Without a marker, the same.
    let bare = p.path().join("无标记");
    write(&bare.join("data/guides.json"), "{}");
    assert_eq!(p.run(&["build", "--out", "无标记"]).code, 0);
    // Anything else in such a folder is not replaced.
    for (dir, marked) in [("旧2", true), ("无标记2", false)] {
        let d = p.path().join(dir);
        if marked {
            write(&d.join(MARKER), "guide build\n");
        }
        write(&d.join("booklet.pdf"), "%PDF");
        write(&d.join("site/说明.txt"), "keep me");
        let out = p.run(&["build", "--out", dir]);
        assert_eq!(out.code, 2, "{dir}: {}", out.stderr);
        assert!(out.stderr.contains("site/说明.txt"), "{}", out.stderr);
        assert_eq!(
            std::fs::read_to_string(d.join("booklet.pdf")).unwrap(),
            "%PDF"
        );
    }
}

/// A complete output of `TestProject::new()`, as a killed build leaves it
/// moved aside, with a mark of its own to tell it from a new one.
fn previous_output(p: &TestProject, name: &str) {
    assert_eq!(p.run(&["build"]).code, 0);
    write(&p.path().join("dist/booklet.pdf"), "the previous booklet");
    let m = marker(&p.path().join("dist"));
    std::fs::rename(p.path().join("dist"), p.path().join(name)).unwrap();
    assert!(m.contains("booklet.pdf"));
}

#[test]
fn the_next_run_puts_back_the_output_a_killed_build_had_moved_aside() {
    // Killed between moving the old output aside and moving the new one in.
    let p = TestProject::new();
    previous_output(&p, ".dist.old-1234");
    write(
        &p.path().join(".dist.building-1234/.guide-output"),
        "guide build\nfiles:\n",
    );
    write(
        &p.path().join(".dist.building-1234/site/index.html"),
        "half",
    );
    // Even a run that stops at once (the data has an error) puts it back.
    std::fs::write(p.path().join("guides/hukou/broken.yaml"), "id: [").unwrap();
    let out = p.run(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("上次生成被中断：已恢复原有输出")
            && out.stderr.contains("已清理上次中断留下的临时文件夹"),
        "{}",
        out.stderr
    );
    let dist = p.path().join("dist");
    assert_eq!(
        std::fs::read_to_string(dist.join("booklet.pdf")).unwrap(),
        "the previous booklet"
    );
    assert!(dist.join("site/index.html").is_file());
    assert!(leftovers(p.path()).is_empty(), "{:?}", leftovers(p.path()));
    std::fs::remove_file(p.path().join("guides/hukou/broken.yaml")).unwrap();
    assert_eq!(p.run(&["build", "--only", "data"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(dist.join("booklet.pdf")).unwrap(),
        "the previous booklet",
        "kept by --only data"
    );
}

#[test]
fn the_next_run_clears_what_a_killed_build_left_beside_a_complete_output() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    // Killed while writing (a stale new output), and after the swap (the
    // previous output not yet removed).
    let dist = p.path().join("dist");
    for stale in [".dist.building-999", ".dist.old-998"] {
        write(&p.path().join(stale).join(MARKER), "guide build\nfiles:\n");
        write(&p.path().join(stale).join("site/index.html"), "stale");
    }
    // Not guide's (no marker), and guide's of a build still running: kept.
    write(&p.path().join(".dist.old-55/mine.txt"), "keep me");
    let running = p.path().join(".dist.building-888");
    write(&running.join(MARKER), "guide build\nfiles:\n");
    let lock = std::fs::File::create(running.join(".guide-lock")).unwrap();
    lock.try_lock().unwrap();
    let out = p.run(&["build", "--only", "data"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("已清理上次中断留下的临时文件夹：.dist.building-999、.dist.old-998"),
        "{}",
        out.stderr
    );
    assert_eq!(leftovers(p.path()), [".dist.building-888", ".dist.old-55"]);
    assert!(!read(&dist.join("site/index.html")).contains("stale"));
    drop(lock);
}

#[test]
fn the_next_run_puts_back_what_a_killed_only_build_had_moved_aside() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    let dist = p.path().join("dist");
    let index = read(&dist.join("site/index.html"));
    // `--only site` killed after moving `site` aside.
    let aside = p.path().join(".dist.old-4321");
    write(&aside.join(MARKER), "guide build\naside:\n");
    std::fs::rename(dist.join("site"), aside.join("site")).unwrap();
    let out = p.run(&["build", "--only", "data"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("上次生成被中断：已把原有的 site 放回"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&dist.join("site/index.html")), index);
    assert!(leftovers(p.path()).is_empty(), "{:?}", leftovers(p.path()));
}

/// Whether `dir` is a whole output: everything its marker lists is there.
fn complete(dir: &Path) -> bool {
    let Ok(m) = std::fs::read_to_string(dir.join(MARKER)) else {
        return false;
    };
    let listed: Vec<&str> = m.lines().skip(2).collect();
    listed.contains(&"booklet.pdf")
        && listed.contains(&"site/index.html")
        && listed.iter().all(|e| dir.join(e).exists())
}

#[test]
fn a_build_killed_at_any_moment_never_loses_the_output() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("dist");
    let args = |only: &str| -> Vec<std::ffi::OsString> {
        let mut a: Vec<std::ffi::OsString> = vec!["build".into(), "--project".into()];
        a.push(demo().into());
        a.push("--out".into());
        a.push(out.clone().into());
        if !only.is_empty() {
            a.extend(["--only".into(), only.into()]);
        }
        a
    };
    assert_eq!(run_guide(work.path(), &args("")).code, 0);
    for delay_ms in [30, 120, 250, 400, 600, 900, 1300] {
        let mut child = std::process::Command::new(bin())
            .args(args(""))
            .current_dir(work.path())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let aside = std::fs::read_dir(work.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| {
                e.file_name().to_string_lossy().starts_with(".dist.old-") && complete(&e.path())
            });
        assert!(
            complete(&out) || (!out.exists() && aside),
            "after {delay_ms} ms: no output and none aside"
        );
        let next = run_guide(work.path(), &args("data"));
        assert_eq!(next.code, 0, "{}", next.stderr);
        assert!(complete(&out), "after {delay_ms} ms and a new run");
        let left: Vec<_> = std::fs::read_dir(work.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .filter(|n| n != "dist")
            .collect();
        assert!(left.is_empty(), "after {delay_ms} ms: {left:?}");
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_previous_output_stays_aside_until_an_output_is_back_in_place() {
    let p = TestProject::new();
    previous_output(&p, ".dist.old-1234");
    // Killed mid-swap, then someone made an empty `dist` by hand.
    std::fs::create_dir(p.path().join("dist")).unwrap();
    std::fs::write(p.path().join("guides/hukou/broken.yaml"), "id: [").unwrap();
    let out = p.run(&["build"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(".dist.old-1234 里是原有输出") && out.stderr.contains("保留了它"),
        "{}",
        out.stderr
    );
    assert_eq!(
        read(&p.path().join(".dist.old-1234/booklet.pdf")),
        "the previous booklet"
    );
    // Once a build has put a whole output in place, it goes.
    std::fs::remove_file(p.path().join("guides/hukou/broken.yaml")).unwrap();
    assert_eq!(p.run(&["build"]).code, 0);
    let out = p.run(&["build", "--only", "data"]);
    assert!(
        out.stderr
            .contains("已清理上次中断留下的临时文件夹：.dist.old-1234"),
        "{}",
        out.stderr
    );
    assert!(leftovers(p.path()).is_empty());
}

/// Inode and modification time of a file.
#[cfg(unix)]
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap();
    (m.ino(), m.modified().unwrap())
}

#[cfg(unix)]
#[test]
fn an_unchanged_file_is_kept_and_a_changed_one_written_anew_never_through_the_old() {
    let second = BASIC.replace("id: basic", "id: second");
    let p = TestProject::new().file("guides/hukou/second.yaml", &second);
    assert_eq!(p.run(&["build"]).code, 0);
    let dist = p.path().join("dist");
    let (basic, old_second) = (
        dist.join("notices/basic.pdf"),
        dist.join("notices/second.pdf"),
    );
    let kept = identity(&basic);
    // Another name for the old notice of `second`: its bytes must survive.
    let elsewhere = p.path().join("second-before.pdf");
    std::fs::hard_link(&old_second, &elsewhere).unwrap();
    let before = std::fs::read(&elsewhere).unwrap();
    let second_id = identity(&old_second).0;
    write(
        &p.path().join("guides/hukou/second.yaml"),
        &second.replace("name: 居住证申领", "name: 居住证补领"),
    );
    let out = p.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        identity(&basic),
        kept,
        "unchanged: the same file, the same time"
    );
    assert_ne!(identity(&old_second).0, second_id, "changed: a new file");
    assert_ne!(std::fs::read(&old_second).unwrap(), before);
    assert_eq!(
        std::fs::read(&elsewhere).unwrap(),
        before,
        "never written through"
    );
    // What an unchanged output is made of is the same as a fresh build's.
    let fresh = p.path().join("fresh");
    assert_eq!(p.run(&["build", "--out", "fresh"]).code, 0);
    assert_eq!(
        std::fs::read(&basic).unwrap(),
        std::fs::read(fresh.join("notices/basic.pdf")).unwrap()
    );
    assert_eq!(p.run(&["build", "--check"]).code, 0);
}
