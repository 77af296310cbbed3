//! Every script the hall serves: Uyghur and Kazakh (Arabic script),
//! Mongolian and Tibetan names and text print from the vendored script
//! fonts; a rare Han character comes from a fuller font when the project or
//! the system has one, and is refused once per value when none has it.

mod common;

use common::{CONFIG, TODAY_EPOCH, TestProject, pdf_flat, run_guide_env};

const UYGHUR: &str = "ئابدۇرېھىم ئەھمەت";
const KAZAKH: &str = "ايگۇل قاسىم";
const MONGOLIAN: &str = "ᠪᠠᠲᠦ";
const TIBETAN: &str = "བསྟན་འཛིན";

/// The rare-character font of the tests: Noto Sans CJK SC cut down to
/// 𠮷 and 吉 (see tests/fixtures/fonts/README.md).
const FALLBACK: &[u8] = include_bytes!("fixtures/fonts/NotoSansCJKsc-20BB7.subset.otf");

fn run(p: &TestProject, args: &[&str], env: &[(&str, &str)]) -> common::Output {
    let mut all = vec![
        ("SOURCE_DATE_EPOCH", TODAY_EPOCH),
        ("GUIDE_TEST_NOW", TODAY_EPOCH),
    ];
    all.extend_from_slice(env);
    run_guide_env(p.path(), args, &all)
}

fn notice(p: &TestProject, applicant: &str, more: &[&str]) -> common::Output {
    let mut args = vec![
        "notice",
        "basic",
        "--missing",
        "1",
        "--applicant",
        applicant,
        "--new-register",
        "-o",
        "n.pdf",
    ];
    args.extend_from_slice(more);
    run(p, &args, &[])
}

/// Extracted text without white space and the bidi marks a reader adds
/// around right-to-left text.
fn flat(p: &TestProject, file: &str) -> String {
    pdf_flat(&p.path().join(file))
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{200E}' | '\u{200F}'))
        .collect()
}

/// The embedded font programs of a PDF (descendant CID fonts), by name.
fn fonts(pdf: &std::path::Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).expect("a PDF");
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n.starts_with(b"CIDFontType"))
        })
        .filter_map(|d| d.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn no_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn names_in_uyghur_mongolian_and_tibetan_are_printed_on_the_notice() {
    let p = TestProject::new();
    let out = notice(&p, UYGHUR, &["--clerk", MONGOLIAN, "--window", TIBETAN]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdf = p.path().join("n.pdf");
    let text = flat(&p, "n.pdf");
    // Logical order: copying the name gives the name as typed.
    for name in [UYGHUR, MONGOLIAN, TIBETAN] {
        assert!(text.contains(&no_spaces(name)), "{name} not in {text}");
    }
    let names = fonts(&pdf);
    for font in ["NotoSansArabic", "NotoSansMongolian", "NotoSerifTibetan"] {
        assert!(names.iter().any(|n| n.contains(font)), "{font}: {names:?}");
    }
    // Recorded as typed.
    let list = run(&p, &["notice", "list"], &[]);
    assert!(list.stdout.contains(UYGHUR), "{}", list.stdout);
}

#[test]
fn brackets_in_a_uyghur_name_stand_where_right_to_left_puts_them_and_copy_as_typed() {
    let name = "مۇھەممەت [تەكشۈرۈش]";
    let p = TestProject::new();
    let out = notice(&p, name, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Copied in logical order with the brackets typed (the glyphs drawn
    // are their mirrors: see the PDF writer's tests).
    assert!(
        flat(&p, "n.pdf").contains(&no_spaces(name)),
        "{}",
        flat(&p, "n.pdf")
    );
    // Right to left: the opening bracket right of the word it opens,
    // the closing one left of it, both left of the first word.
    let xml = common::pdf_text(&p.path().join("n.pdf"), &["-bbox"]);
    let word = |t: &str| -> (f32, f32) {
        let w = xml
            .split("<word ")
            .find(|w| {
                w.split_once('>')
                    .is_some_and(|(_, r)| r.starts_with(&format!("{t}<")))
            })
            .unwrap_or_else(|| panic!("{t} in {xml}"));
        let attr = |k: &str| -> f32 {
            let at = w.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            w[at..].split('"').next().unwrap().parse().unwrap()
        };
        (attr("xMin"), attr("xMax"))
    };
    let (open, close) = (word("["), word("]"));
    let first = word(&"مۇھەممەت".chars().rev().collect::<String>());
    assert!(close.1 <= open.0, "{close:?} {open:?}");
    assert!(open.1 <= first.0 + 0.5, "{open:?} {first:?}");
}

#[test]
fn a_kazakh_name_is_accepted_and_a_plain_chinese_notice_embeds_no_script_font() {
    let p = TestProject::new();
    let out = notice(&p, KAZAKH, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(flat(&p, "n.pdf").contains(&no_spaces(KAZAKH)));
    let q = TestProject::new();
    assert_eq!(notice(&q, "张三", &[]).code, 0);
    let names = fonts(&q.path().join("n.pdf"));
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn matter_text_in_other_scripts_passes_check_and_prints_in_the_booklet() {
    let p = TestProject::new().basic_with(
        "  - name: 受理\n",
        &format!(
            "  - name: 受理\n    detail: 维吾尔文：{UYGHUR}；蒙古文：{MONGOLIAN}；藏文：{TIBETAN}\n"
        ),
    );
    let check = p.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let build = run(&p, &["build", "--only", "booklet"], &[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let text = flat(&p, "dist/booklet.pdf");
    for name in [UYGHUR, MONGOLIAN, TIBETAN] {
        assert!(text.contains(&no_spaces(name)), "{name}");
    }
}

fn with_fallback() -> TestProject {
    TestProject::new()
        .file(
            "guide.yaml",
            &format!("{CONFIG}booklet:\n  fonts:\n    fallback: fonts/han.otf\n"),
        )
        .bytes("fonts/han.otf", FALLBACK)
}

#[test]
fn a_rare_han_character_comes_from_the_projects_fallback_font() {
    let p = with_fallback().basic_with("name: 居住证申领", "name: 居住证申领𠮷");
    let check = p.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    let out = notice(&p, "𠮷田花子", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(flat(&p, "n.pdf").contains("𠮷田花子"));
    assert!(flat(&p, "n.pdf").contains("居住证申领𠮷"));
    let names = fonts(&p.path().join("n.pdf"));
    assert_eq!(names.len(), 3, "the fallback is embedded: {names:?}");
}

#[test]
fn without_a_fallback_a_rare_character_is_one_error_per_name() {
    let p = TestProject::new();
    let out = notice(&p, "𠮷𠮷𪚥", &["--clerk", "李𪚥"]);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "申请人“𠮷𠮷𪚥”里的字符“𠮷”（U+20BB7）、“𪚥”（U+2A6A5）印刷字体里没有，印出来会是空框；没有打印，也没有登记。"
    );
    assert_eq!(
        lines[1],
        "经办人“李𪚥”里的字符“𪚥”（U+2A6A5）印刷字体里没有，印出来会是空框；没有打印，也没有登记。"
    );
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    assert!(!p.path().join("notices.db").exists());

    let q = TestProject::new().basic_with("name: 居住证申领", "name: 居住证𠮷申领𠮷𪚥");
    let check = q.check();
    assert_eq!(check.code, 1);
    assert_eq!(
        check.stderr.matches("error[missing-glyph]").count(),
        1,
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("印刷字体里没有字符“𠮷”（U+20BB7）、“𪚥”（U+2A6A5），印出来会是空框"),
        "{}",
        check.stderr
    );
}

#[test]
fn a_system_font_is_the_fallback_when_the_project_names_none() {
    let fonts_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(fonts_dir.path().join("opentype/noto")).unwrap();
    std::fs::write(
        fonts_dir
            .path()
            .join("opentype/noto/NotoSansCJKsc-Regular.otf"),
        FALLBACK,
    )
    .unwrap();
    let dirs = fonts_dir.path().to_str().unwrap();
    let p = TestProject::new();
    let args = [
        "notice",
        "basic",
        "--missing",
        "1",
        "--applicant",
        "𠮷田",
        "--new-register",
        "-o",
        "n.pdf",
    ];
    let out = run(&p, &args, &[("GUIDE_FONT_DIRS", dirs)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(flat(&p, "n.pdf").contains("𠮷田"));
    // Still refused when the system has no such font.
    let q = TestProject::new();
    assert_eq!(run(&q, &args, &[]).code, 2);
}

#[test]
fn a_fallback_that_is_no_font_or_missing_is_reported_at_its_line() {
    let p = with_fallback().bytes("fonts/han.otf", b"not a font");
    let check = p.check();
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("error[bad-font]"), "{}", check.stderr);
    assert!(check.stderr.contains("guide.yaml:9:15"), "{}", check.stderr);
    assert!(
        check.stderr.contains("`fonts/han.otf` 不是可用的"),
        "{}",
        check.stderr
    );
    let q = TestProject::new().file(
        "guide.yaml",
        &format!("{CONFIG}booklet:\n  fonts:\n    fallback: fonts/none.otf\n"),
    );
    let check = q.check();
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("error[missing-font]"),
        "{}",
        check.stderr
    );
}
