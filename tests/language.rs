//! The users' language: `guide`'s help, usage and usage errors — clap's own
//! words included — and the user documentation are in Chinese.

mod common;
use common::*;

/// clap's English words that must not reach a user.
const ENGLISH: &[&str] = &[
    "Usage:",
    "error:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "[OPTIONS]",
    "<COMMAND>",
    "possible values",
    "[default:",
    "For more information",
    "tip:",
];

fn assert_chinese(what: &str, text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "{what}: `{word}` in\n{text}");
    }
}

fn help(args: &[&str]) -> String {
    let here = TestProject::empty();
    let out = here.run(args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

#[test]
fn guide_help_is_in_chinese() {
    let out = help(&["--help"]);
    assert!(out.starts_with("办事指南工具："), "{out}");
    assert!(out.contains("\n用法：guide [选项] <命令>\n"), "{out}");
    assert!(
        out.contains("\n命令：\n") && out.contains("\n选项：\n"),
        "{out}"
    );
    assert!(
        out.contains("-h, --help") && out.contains("显示帮助"),
        "{out}"
    );
    assert!(
        out.contains("-V, --version") && out.contains("显示版本号"),
        "{out}"
    );
    assert_chinese("guide --help", &out);
    assert_eq!(help(&["-h"]), out);
}

#[test]
fn every_subcommands_help_is_in_chinese() {
    let build = help(&["build", "--help"]);
    assert!(build.contains("\n用法：guide build [选项]\n"), "{build}");
    assert!(build.contains("--large-print"), "{build}");
    for cmd in [
        &["build"][..],
        &["check"],
        &["diff"],
        &["list"],
        &["show"],
        &["notice"],
        &["notice", "list"],
        &["notice", "show"],
        &["notice", "reprint"],
        &["init"],
        &["schema"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = help(&args);
        assert!(out.contains("用法：guide "), "{cmd:?}: {out}");
        assert_chinese(&format!("{cmd:?} --help"), &out);
    }
    let check = help(&["check", "--help"]);
    assert!(
        check.contains("输出格式（可选：human、json；默认：human）"),
        "{check}"
    );
}

#[test]
fn usage_errors_are_in_chinese_with_the_usage() {
    let here = TestProject::empty();
    let typo = here.run(&["biuld"]);
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "错误：没有 `biuld` 这个命令\n你是不是想写 `build`？\n\n用法：guide [选项] <命令>\n\n详见 `--help`\n"
    );
    for (args, want) in [
        (
            &["build", "--papr", "A4"][..],
            "错误：没有 `--papr` 这个选项或参数",
        ),
        (
            &["check", "--format", "xml"],
            "错误：`xml` 不是 `--format <FORMAT>` 可以取的值\n可选的值：human、json",
        ),
        (&["show"], "错误：缺少必需的参数：<ID>"),
        (&["build", "--out"], "错误：`--out <DIR>` 后面缺少值"),
    ] {
        let out = here.run(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.starts_with(want), "{args:?}: {}", out.stderr);
        assert_chinese(&format!("{args:?}"), &out.stderr);
    }
    let nothing = here.run(&[]);
    assert_eq!(nothing.code, 2);
    assert!(
        nothing.stderr.contains("用法：guide [选项] <命令>"),
        "{}",
        nothing.stderr
    );
    assert_chinese("guide", &nothing.stderr);
}

#[test]
fn version_is_printed() {
    let out = help(&["--version"]);
    assert_eq!(out, format!("guide {}\n", env!("CARGO_PKG_VERSION")));
}

/// Lines of English prose (four English words in a row) in `text`, outside
/// code blocks, `code` spans, link targets and paragraphs marked
/// `*English:*`.
fn english_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut code, mut english) = (false, false);
    for line in text.lines() {
        if line.starts_with("```") {
            code = !code;
            continue;
        }
        if line.starts_with("*English:*") {
            english = true;
        }
        if line.trim().is_empty() {
            english = false;
        }
        if code || english {
            continue;
        }
        // Drop `code` spans and link targets.
        let mut plain = String::new();
        let mut in_code = false;
        for part in line.split('`') {
            if !in_code {
                plain.push_str(part);
            }
            in_code = !in_code;
        }
        let plain = plain
            .split("](")
            .map(|p| p.split_once(')').map_or(p, |(_, rest)| rest))
            .collect::<Vec<_>>()
            .join(" ");
        let mut run = 0;
        for token in plain.split_whitespace() {
            let word = token.trim_matches(|c: char| c.is_ascii_punctuation());
            if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic()) {
                run += 1;
                if run >= 4 {
                    out.push(line.to_owned());
                    break;
                }
            } else {
                run = 0;
            }
        }
    }
    out
}

fn read_doc(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

#[test]
fn the_format_description_is_in_chinese_with_an_english_summary() {
    assert_eq!(
        english_lines("A guide project is a folder.\n`guide build --only site` 只生成网站"),
        ["A guide project is a folder."]
    );
    let text = read_doc("docs/format.md");
    let (chinese, summary) = text.split_once("## English summary").unwrap();
    assert_eq!(english_lines(chinese), Vec::<String>::new());
    assert!(summary.contains("Keys are English"), "{summary}");
}

#[test]
fn the_readmes_user_sections_are_in_chinese() {
    let text = read_doc("README.md");
    let (users, _development) = text.split_once("## Development").unwrap();
    assert_eq!(english_lines(users), Vec::<String>::new());
    for section in [
        "## 安装",
        "## 给政策工作人员",
        "## 生成手册和告知单",
        "## 给窗口",
    ] {
        assert!(users.contains(section), "{section}");
    }
}
