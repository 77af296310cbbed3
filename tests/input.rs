//! What an author's editor or an attacker may hand us: BOM, CRLF, GBK,
//! input-method traps, and hostile YAML. Each ends in a clear diagnostic.

mod common;
use common::*;
use std::process::Command;

fn codes(out: &Output) -> Vec<String> {
    out.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error["))
        .map(|l| l.split(']').next().unwrap().to_owned())
        .collect()
}

#[test]
fn a_utf8_bom_is_accepted() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(BASIC.as_bytes());
    let out = TestProject::new()
        .bytes("guides/hukou/basic.yaml", &bytes)
        .check();
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn crlf_line_ends_are_accepted_and_positions_stay_right() {
    let text = BASIC
        .replace("kind: 公共服务", "kind: 公共服务事项")
        .replace('\n', "\r\n");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    let out = TestProject::new()
        .bytes("guides/hukou/basic.yaml", &bytes)
        .check();
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn a_gbk_file_is_explained_with_how_to_resave_it() {
    // "name: 测试" saved as GBK by Windows Notepad.
    let mut bytes = b"id: basic\nname: ".to_vec();
    bytes.extend_from_slice(&[0xB2, 0xE2, 0xCA, 0xD4]);
    bytes.push(b'\n');
    let out = TestProject::new()
        .bytes("guides/hukou/basic.yaml", &bytes)
        .check();
    insta::assert_snapshot!(out.stderr);
    assert_eq!(out.code, 1);
}

#[test]
fn a_utf16_file_is_explained() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "id: basic\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let out = TestProject::new()
        .bytes("guides/hukou/basic.yaml", &bytes)
        .check();
    assert_eq!(codes(&out), ["not-utf8"]);
}

#[test]
fn fullwidth_colon_after_a_key() {
    let p = TestProject::new().basic_with("category: 户籍", "category：户籍");
    insta::assert_snapshot!(p.check().stderr);
}

#[test]
fn ideographic_spaces_as_indentation() {
    let p = TestProject::new().basic_with("  visits: 1", "\u{3000}\u{3000}visits: 1");
    insta::assert_snapshot!(p.check().stderr);
}

#[test]
fn tabs_as_indentation() {
    let p = TestProject::new().basic_with("  visits: 1", "\tvisits: 1");
    assert_eq!(codes(&p.check()), ["tab-indent"]);
}

#[test]
fn billion_laughs_ends_in_a_clear_error() {
    let mut bomb = String::from(
        "id: basic\naliases: &a0 [\"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\"]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let row = [prev.as_str(); 10].join(", ");
        bomb.push_str(&format!("conditions{i}: &a{i} [{row}]\n"));
    }
    bomb.push_str("summary: *a9\n");
    let out = TestProject::new()
        .file("guides/hukou/basic.yaml", &bomb)
        .check();
    assert_eq!(out.code, 1);
    assert!(
        codes(&out).iter().all(|c| c != "internal"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("guides/hukou/basic.yaml"),
        "{}",
        out.stderr
    );
}

#[test]
fn alias_flood_where_the_types_allow_it_is_stopped_by_the_budget() {
    // Every alias lands where a FAQ entry is allowed, so only the parser's
    // budget can stop it.
    let mut flood = BASIC.to_owned();
    flood.push_str("faq:\n  - &m {q: 问, a: 答}\n");
    flood.push_str(&"  - *m\n".repeat(60_000));
    let out = TestProject::new()
        .file("guides/hukou/basic.yaml", &flood)
        .check();
    assert_eq!(codes(&out), ["yaml-too-complex"], "{}", out.stderr);
}

#[test]
fn ten_thousand_levels_of_nesting_end_in_a_clear_error() {
    let deep = format!("{}id: basic\n", "[".repeat(10_000));
    let out = TestProject::new()
        .file("guides/hukou/basic.yaml", &deep)
        .check();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn a_fifty_megabyte_file_is_refused_unread() {
    let p = TestProject::new();
    let f = std::fs::File::create(p.path().join("guides/hukou/huge.yaml")).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let out = p.check();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn an_upper_case_yaml_extension_is_read_like_any_other() {
    let p = TestProject::empty()
        .file("guide.yaml", CONFIG)
        .file("materials.yaml", CATALOGUE)
        .file("guides/hukou/basic.YAML", BASIC);
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("检查了 1 个事项"), "{}", out.stderr);
}

#[test]
fn an_empty_when_is_a_warning_and_a_bad_source_date_epoch_is_said() {
    let p = TestProject::new().basic_with(
        "    when: [agent]",
        "    when: [agent]\n  - ref: id-card\n    when: []",
    );
    let out = p.check();
    assert!(out.stderr.contains("warning[empty-when]"), "{}", out.stderr);
    let q = TestProject::new();
    let out = Command::new(bin())
        .arg("check")
        .current_dir(q.path())
        .env("SOURCE_DATE_EPOCH", "abc")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn common_yaml_slips_are_explained_in_chinese() {
    for (text, says) in [
        ("id: basic\nname: 甲: 乙\n", "这一行多了一个冒号"),
        ("id: basic\nname\n", "这一行缺少冒号"),
        ("id: basic\nname: \"甲\n", "引号没有配对"),
    ] {
        let out = TestProject::new()
            .file("guides/hukou/basic.yaml", text)
            .check();
        assert!(out.stderr.contains(says), "{text:?}: {}", out.stderr);
        assert!(
            !out.stderr.contains("mapping values") && !out.stderr.contains("simple key"),
            "{}",
            out.stderr
        );
    }
}
