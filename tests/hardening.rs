//! Attacks and careless mistakes: nothing outside the project (or private
//! inside it) is read, quoted or published; no text makes a command hang.

mod common;

use common::{BASIC, TestProject, run_guide};

/// `BASIC` with the 授权委托书's blank form at `path`.
fn with_form(path: &str) -> String {
    BASIC.replace(
        "    form: 原件\n    when: [agent]",
        &format!("    form: 原件\n    blank_form: \"{path}\"\n    when: [agent]"),
    )
}

fn published(p: &TestProject) -> Vec<String> {
    walk(&p.path().join("dist/site/files"))
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            v.extend(walk(&e.path()));
        } else {
            v.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_blank_form_linking_out_of_the_project_is_an_error_and_never_copied() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOKEN=abc123").unwrap();
    let p = TestProject::new().file("guides/hukou/basic.yaml", &with_form("forms/a.pdf"));
    std::fs::create_dir_all(p.path().join("forms")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        p.path().join("forms/a.pdf"),
    )
    .unwrap();
    let out = p.check();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[unsafe-file]"), "{}", out.stderr);
    assert!(out.stderr.contains("basic.yaml:14:17"), "{}", out.stderr);
    assert!(!out.stderr.contains("TOKEN"), "{}", out.stderr);
    assert_ne!(p.run(&["build", "--only", "site"]).code, 0);
    assert!(published(&p).is_empty());
}

#[test]
fn hidden_files_the_register_and_outputs_are_never_published() {
    for (path, why) in [
        (".git/config", "隐藏"),
        ("notices.db", "登记簿"),
        ("dist/site/index.html", "登记簿"),
        ("./forms/../.env", "之外"),
    ] {
        let p = TestProject::new()
            .file("guides/hukou/basic.yaml", &with_form(path))
            .file(".git/config", "[remote] url = https://token@example.com")
            .file(".env", "SECRET=1")
            .bytes("notices.db", b"SQLite format 3\0rest")
            .file("dist/.guide-output", "guide build\n")
            .file("dist/site/index.html", "<html>");
        let out = p.check();
        assert_eq!(out.code, 1, "{path}: {}", out.stderr);
        assert!(
            out.stderr.contains("error[unsafe-file]") || out.stderr.contains("error[bad-link]"),
            "{path}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(why), "{path}: {}", out.stderr);
        assert!(!out.stderr.contains("token@"), "{}", out.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_among_the_matters_is_refused_without_reading_it() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("x.yaml"),
        "id: secret\nname: 秘密内容\n",
    )
    .unwrap();
    let p = TestProject::new().file("guides/.hidden/evil.yaml", "id: [broken");
    let fifo = p.path().join("guides/hukou/pipe.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink(
        outside.path().join("x.yaml"),
        p.path().join("guides/link.yaml"),
    )
    .unwrap();
    // Reading the FIFO would block forever: the run must end by itself.
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("guides/hukou/pipe.yaml") && out.stderr.contains("不是普通文件"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("guides/link.yaml") && out.stderr.contains("之外"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("秘密内容"), "{}", out.stderr);
    // A hidden folder is not read at all (its broken file is no error).
    assert!(!out.stderr.contains("evil.yaml"), "{}", out.stderr);
    // A clerk's notice for another matter is not held up either.
    let show = p.run(&["show", "basic"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
}

#[test]
fn an_oversized_file_of_another_matter_is_not_read_by_show() {
    let big = format!(
        "id: big\nname: 大\nsummary: \"{}\"\n",
        "字".repeat(1_000_000)
    );
    let p = TestProject::new().file("guides/hukou/big.yaml", &big);
    let show = p.run(&["show", "basic"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(p.check().stderr.contains("error[file-too-large]"));
}

#[test]
fn control_characters_in_a_text_are_errors_at_their_place() {
    let p = TestProject::new().basic_with("name: 居住证申领", "name: 居住证\u{1b}[2J申领\u{202e}");
    let out = p.check();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[control-char]"), "{}", out.stderr);
    assert!(out.stderr.contains("basic.yaml:2:10"), "{}", out.stderr);
    assert!(out.stderr.contains("U+001B"), "{}", out.stderr);
    assert!(out.stderr.contains("basic.yaml:2:16"), "{}", out.stderr);
    assert!(out.stderr.contains("U+202E"), "{}", out.stderr);
    // The quoted line shows a visible stand-in, never the raw byte.
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
    assert!(!out.stderr.contains('\u{202e}'));
    assert!(!out.stderr.contains("missing-glyph"), "{}", out.stderr);
}

#[test]
fn a_flood_of_one_mistake_shows_fifty_and_a_count() {
    let aliases: String = (0..500)
        .map(|i| format!("  - \"别名\u{7}{i}\"\n"))
        .collect();
    let p = TestProject::new().basic_with("kind:", &format!("aliases:\n{aliases}kind:"));
    let out = p.check();
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr.matches("error[control-char]").count(),
        51,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("还有 450 处同样的问题（`control-char`）"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("500 个错误"), "{}", out.stderr);
    let json = p.run(&["check", "--format", "json"]);
    assert_eq!(json.stdout.lines().count(), 51);
}

#[test]
fn pathological_texts_are_refused_by_check() {
    let long = "这是很长的说明。".repeat(700);
    let p = TestProject::new().basic_with("kind:", &format!("summary: \"{long}\"\nkind:"));
    let out = p.check();
    assert!(
        out.stderr.contains("error[text-too-long]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("5600 个字"), "{}", out.stderr);
    let word = "w".repeat(4_000);
    let p = TestProject::new().basic_with("kind:", &format!("summary: 说明{word}\nkind:"));
    let out = p.check();
    assert!(out.stderr.contains("4000 个连续不断"), "{}", out.stderr);
    assert!(out.stderr.contains("basic.yaml:3:10"), "{}", out.stderr);
    let word = "w".repeat(100_000);
    let p = TestProject::new().basic_with("kind:", &format!("summary: {word}\nkind:"));
    assert!(p.check().stderr.contains("100000 个字"));
    let brackets = "[".repeat(1_700_000);
    let p = TestProject::new().basic_with("kind:", &format!("summary: \"{brackets}\"\nkind:"));
    assert!(p.check().stderr.contains("error[text-too-long]"));
    let p =
        TestProject::new().basic_with("name: 居住证申领", &format!("name: {}", "长".repeat(101)));
    let out = p.check();
    assert!(out.stderr.contains("名称最多 100 个字"), "{}", out.stderr);
}

#[test]
fn only_web_mail_and_phone_links_become_links_in_pdfs() {
    let p = TestProject::new().basic_with(
        "kind:",
        "summary: 见[官网](https://a.example.cn/x)和[脚本](javascript:alert(1))及[文件](file:///etc/passwd)\nkind:",
    );
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("warning[unsafe-link]").count(),
        2,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("basic.yaml:3:45"), "{}", out.stderr);
    assert_eq!(p.run(&["build", "--only", "booklet"]).code, 0);
    // Every link action's address (the objects may be compressed).
    let pdf = lopdf::Document::load(p.path().join("dist/booklet.pdf")).unwrap();
    let uris: Vec<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| match d.get(b"A") {
            Ok(lopdf::Object::Dictionary(a)) => a.get(b"URI").ok(),
            _ => d.get(b"URI").ok(),
        })
        .filter_map(|u| u.as_str().ok())
        .map(|u| String::from_utf8_lossy(u).into_owned())
        .collect();
    assert!(
        uris.contains(&"https://a.example.cn/x".to_owned()),
        "{uris:?}"
    );
    assert!(
        !uris
            .iter()
            .any(|u| u.contains("javascript") || u.contains("file:"))
    );
}

#[test]
fn windows_device_names_are_refused_as_ids() {
    let p = TestProject::new()
        .file(
            "guides/hukou/basic.yaml",
            &BASIC.replace("id: basic", "id: con"),
        )
        .file(
            "guides/hukou/con.yaml",
            &BASIC.replace("id: basic", "id: con"),
        );
    let out = p.check();
    assert!(
        out.stderr.contains("Windows 保留的设备名"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_form_whose_name_has_hash_question_mark_or_space_gets_a_working_link() {
    let p = TestProject::new()
        .file(
            "guides/hukou/basic.yaml",
            &with_form("forms/申请 表#1?.pdf"),
        )
        .file("forms/申请 表#1?.pdf", "%PDF-1.4");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build", "--only", "site"]).code, 0);
    let page = std::fs::read_to_string(p.path().join("dist/site/matters/basic.html")).unwrap();
    assert!(
        page.contains("href=\"../files/forms/申请%20表%231%3F.pdf\""),
        "{page}"
    );
    assert!(
        p.path()
            .join("dist/site/files/forms/申请 表#1?.pdf")
            .is_file()
    );
}

#[test]
fn a_corrupt_font_is_an_error_of_check_not_a_crash_of_build() {
    let font = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts/NotoSansSC-Regular.subset.otf"),
    )
    .unwrap();
    for (name, bytes) in [
        ("trunc.otf", font[..5000].to_vec()),
        ("zero.otf", vec![0u8; 4096]),
        ("text.otf", b"not a font at all".to_vec()),
    ] {
        let p = TestProject::new()
            .file(
                "guide.yaml",
                &format!(
                    "{}booklet:\n  fonts:\n    regular: fonts/{name}\n",
                    common::CONFIG
                ),
            )
            .bytes(&format!("fonts/{name}"), &bytes);
        let out = p.check();
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains("error[bad-font]"),
            "{name}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("guide.yaml:9:14"),
            "{name}: {}",
            out.stderr
        );
        let build = p.run(&["build"]);
        assert_eq!(build.code, 1, "{name}: {}", build.stderr);
        assert!(!build.stderr.contains("panicked"), "{}", build.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_font_linked_from_outside_the_project_is_not_read() {
    let p = TestProject::new().file(
        "guide.yaml",
        &format!(
            "{}booklet:\n  fonts:\n    regular: /etc/passwd\n",
            common::CONFIG
        ),
    );
    let out = p.check();
    assert!(out.stderr.contains("error[unsafe-file]"), "{}", out.stderr);
    assert!(!out.stderr.contains("root:"), "{}", out.stderr);
    let out = run_guide(p.path(), &["build"]);
    assert_eq!(out.code, 1);
}

#[cfg(unix)]
#[test]
fn a_template_or_stylesheet_linked_out_of_the_project_is_not_used() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.css"), "SECRET-TOKEN-123").unwrap();
    let p = TestProject::new();
    std::fs::create_dir_all(p.path().join("templates/assets")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.css"),
        p.path().join("templates/assets/style.css"),
    )
    .unwrap();
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("templates/assets/style.css"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("之外"), "{}", out.stderr);
    let build = p.run(&["build", "--only", "site"]);
    assert_ne!(build.code, 0);
    assert!(!build.stderr.contains("SECRET"), "{}", build.stderr);
    assert!(!p.path().join("dist/site/assets/style.css").exists());
}

#[cfg(unix)]
#[test]
fn a_catalogue_or_settings_file_linked_out_of_the_project_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("x.yaml"),
        "- id: secret\n  name: SECRET-TOKEN-123\n  form: 原件\n",
    )
    .unwrap();
    let p = TestProject::new();
    std::fs::remove_file(p.path().join("materials.yaml")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.yaml"),
        p.path().join("materials.yaml"),
    )
    .unwrap();
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("error[unsafe-file]") && out.stderr.contains("materials.yaml"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("SECRET"), "{}", out.stderr);
    let p = TestProject::new();
    std::fs::rename(
        p.path().join("guide.yaml"),
        outside.path().join("guide.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("guide.yaml"),
        p.path().join("guide.yaml"),
    )
    .unwrap();
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("error[unsafe-file]"), "{}", out.stderr);
}
