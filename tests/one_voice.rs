//! One voice: for every matter, each phrase of the presentation layer (as
//! `data/guides.json` records it) stands word for word in `guide show`, the
//! booklet's text, the site's page, the blank notice and the clerk's notice
//! page. Run on the demo and on a generated corpus.

mod common;

use common::{demo, run_guide};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Text with every kind of space removed: layouts may break a line or put a
/// space between label and phrase, never change a word.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdf_text(path: &Path) -> String {
    pdf_text_in(path, &[])
}

/// The booklet's body text: the page furniture (running header with the
/// category and the title, thumb-tab letters, folio, footer) is dropped, so
/// a paragraph that runs over a page reads on.
fn booklet_text(path: &Path, data: &Value) -> String {
    // Content-stream order: each run as it was laid out.
    let raw = pdf_text_raw(path, &["-raw"]);
    let title = data["title"].as_str().unwrap_or_default().to_owned();
    let categories: Vec<&str> = data["matters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["category"].as_str())
        .collect();
    let kept: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| {
            !(l.is_empty()
                || *l == title
                || categories.contains(l)
                // A thumb tab: a category's name, one letter a line.
                || (l.chars().count() == 1 && categories.iter().any(|c| c.contains(*l)))
                || l.chars().all(|c| c.is_ascii_digit())
                || l.starts_with("以网站最新版本为准"))
        })
        .collect();
    squash(&kept.join(""))
}

fn pdf_text_in(path: &Path, crop: &[&str]) -> String {
    squash(&pdf_text_raw(path, crop))
}

fn pdf_text_raw(path: &Path, crop: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .args(crop)
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for these tests");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The visible text of an HTML page (tags dropped, entities decoded).
fn html_text(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap();
    let body = html.split("<body").nth(1).unwrap_or(&html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    squash(
        &out.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strs).collect(),
        _ => Vec::new(),
    }
}

/// Asserts that every phrase stands in every output of `project`.
fn one_voice(project: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let args = [
        "build".as_ref(),
        "--project".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    let build = run_guide(dir.path(), &args);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/guides.json")).unwrap())
            .unwrap();
    let booklet = booklet_text(&out.join("booklet.pdf"), &data);
    let matters = data["matters"].as_array().unwrap();
    assert!(!matters.is_empty());
    let mut checked = 0;
    for m in matters {
        let id = m["id"].as_str().unwrap();
        let w = &m["words"];
        // What the phone line reads out, for an applicant in every situation.
        let mut show_args = vec!["show".to_owned(), id.to_owned()];
        for s in m["situations"].as_array().unwrap() {
            show_args.push("--situation".into());
            show_args.push(s["id"].as_str().unwrap().into());
        }
        show_args.push("--project".into());
        show_args.push(project.display().to_string());
        let show = run_guide(dir.path(), &show_args);
        assert_eq!(show.code, 0, "{}", show.stderr);
        let show = squash(&show.stdout);
        let page = html_text(&out.join(format!("site/matters/{id}.html")));
        let clerk = html_text(&out.join(format!("site/matters/{id}/notice.html")));
        let notice = pdf_text(&out.join(format!("notices/{id}.pdf")));
        // A filled notice for an applicant missing everything, and what the
        // register says of it on the second visit.
        let count = m["materials"].as_array().unwrap().len();
        let (filled, recorded) = if count > 0 {
            let mut args: Vec<String> = vec!["notice".into(), id.into()];
            args.extend(show_args[2..show_args.len() - 2].iter().cloned());
            // Everything but what the process itself produces.
            for (i, mat) in w["materials"].as_array().unwrap().iter().enumerate() {
                if mat["produced"].is_null() {
                    args.push("--missing".into());
                    args.push((i + 1).to_string());
                }
            }
            let file = dir.path().join(format!("{id}-filled.pdf"));
            let register = dir.path().join("notices.db");
            args.extend(
                [
                    "--applicant",
                    "张三",
                    "--new-register",
                    "--register",
                    register.to_str().unwrap(),
                    "-o",
                    file.to_str().unwrap(),
                    "--project",
                    project.to_str().unwrap(),
                ]
                .map(String::from),
            );
            let issued = run_guide(dir.path(), &args);
            assert_eq!(issued.code, 0, "{id}: {}", issued.stderr);
            let number = issued.stdout.trim().to_owned();
            let shown = run_guide(
                dir.path(),
                &[
                    "notice",
                    "show",
                    &number,
                    "--register",
                    register.to_str().unwrap(),
                    "--project",
                    project.to_str().unwrap(),
                ],
            );
            assert_eq!(shown.code, 0, "{id}: {}", shown.stderr);
            (pdf_text(&file), squash(&shown.stdout))
        } else {
            (String::new(), String::new())
        };

        let outputs: [(&str, &String); 3] =
            [("show", &show), ("booklet", &booklet), ("site", &page)];
        let mut everywhere: Vec<String> = Vec::new();
        for key in [
            "legal_limit",
            "promised_limit",
            "visits",
            "fees",
            "result",
            "places",
            "consult",
            "complaint",
        ] {
            everywhere.extend(strs(&w[key]));
        }
        for phrase in &everywhere {
            for (name, text) in &outputs {
                assert!(
                    text.contains(&squash(phrase)),
                    "{id}: {name} does not say “{phrase}”"
                );
            }
        }
        // The header's facts, each under its own label.
        let facts = w["facts"].as_array().unwrap().iter();
        let remedies = w["remedies"].as_array().unwrap().iter();
        for f in facts.chain(remedies) {
            let phrase = format!(
                "{}：{}",
                f["label"].as_str().unwrap(),
                f["text"].as_str().unwrap()
            );
            // A list on the site sets the label apart (<dt>): no colon.
            let bare = format!(
                "{}{}",
                f["label"].as_str().unwrap(),
                f["text"].as_str().unwrap()
            );
            for (name, text) in &outputs {
                assert!(
                    text.contains(&squash(&phrase))
                        || (*name == "site" && text.contains(&squash(&bare))),
                    "{id}: {name} does not say “{phrase}”"
                );
            }
        }
        for phrase in strs(&w["basis"]) {
            for (name, text) in [("booklet", &booklet), ("site", &page)] {
                assert!(
                    text.contains(&squash(&phrase)),
                    "{id}: {name} does not say “{phrase}”"
                );
            }
        }
        for phrase in strs(&w["steps"]) {
            for (name, text) in [("show", &show), ("site", &page)] {
                assert!(
                    text.contains(&squash(&phrase)),
                    "{id}: {name} does not say step “{phrase}”"
                );
            }
        }
        for mat in w["materials"].as_array().unwrap() {
            let name = mat["name"].as_str().unwrap();
            let req = mat["requirement"].as_str().unwrap();
            // A material and what is asked of it, as one phrase.
            let line = squash(&format!("{name}（{req}）"));
            // Produced inside the process: said, never asked for.
            if let Some(p) = mat["produced"].as_str() {
                let said = squash(&format!("（{p}）"));
                assert!(show.contains(&format!("{line}{said}")), "{id}: show");
                for (out_name, text) in [("booklet", &booklet), ("site", &page)] {
                    assert!(text.contains(&said), "{id}: {out_name} lacks “{p}”");
                }
                for (out_name, text) in [
                    ("notice", &notice),
                    ("clerk page", &clerk),
                    ("filled notice", &filled),
                    ("register", &recorded),
                ] {
                    assert!(!text.contains(&line), "{id}: {out_name} asks for “{name}”");
                }
                continue;
            }
            for phrase in strs(&mat["substitutes"])
                .iter()
                .chain(&strs(&mat["required_by"]))
            {
                for (out_name, text) in [("show", &show), ("booklet", &booklet), ("site", &page)] {
                    assert!(
                        text.contains(&squash(phrase)),
                        "{id}: {out_name} does not say “{phrase}”"
                    );
                }
            }
            for phrase in strs(&mat["pledge"]) {
                for (out_name, text) in [
                    ("show", &show),
                    ("booklet", &booklet),
                    ("site", &page),
                    ("notice", &notice),
                    ("clerk page", &clerk),
                    ("filled notice", &filled),
                ] {
                    assert!(
                        text.contains(&squash(&phrase)),
                        "{id}: {out_name} does not say “{phrase}”"
                    );
                }
            }
            for (out_name, text) in [
                ("show", &show),
                ("notice", &notice),
                ("clerk page", &clerk),
                ("filled notice", &filled),
                ("register", &recorded),
            ] {
                assert!(
                    text.contains(&line),
                    "{id}: {out_name} does not say “{name}（{req}）”"
                );
            }
            assert!(page.contains(&squash(req)), "{id}: site lacks “{req}”");
            for phrase in strs(&mat["scope"]).iter().chain(&strs(&mat["detail"])) {
                for (out_name, text) in [
                    ("show", &show),
                    ("notice", &notice),
                    ("clerk page", &clerk),
                    ("filled notice", &filled),
                ] {
                    assert!(
                        text.contains(&squash(phrase)),
                        "{id}: {out_name} does not say “{phrase}”"
                    );
                }
            }
            for phrase in strs(&mat["scope"]) {
                for (out_name, text) in [("booklet", &booklet), ("site", &page)] {
                    assert!(
                        text.contains(&squash(&phrase)),
                        "{id}: {out_name} does not say “{phrase}”"
                    );
                }
            }
        }
        // The notice's sentences: the same on paper and on the clerk's page.
        let intro = squash(&format!(
            "您申请办理的{}事项，经审查，申请材料不齐全或者不符合法定形式。",
            guide::present::quoted(m["name"].as_str().unwrap())
        ));
        assert!(notice.contains(&intro) && clerk.contains(&intro), "{id}");
        let deadline_start = squash("请您自收到本告知单之日起");
        let deadline = |t: &str| {
            t.split(&deadline_start)
                .nth(1)
                .map(|r| r.chars().take(60).collect::<String>())
        };
        assert_eq!(deadline(&notice), deadline(&clerk), "{id}");
        assert!(deadline(&notice).is_some(), "{id}");
        checked += 1;
    }
    assert_eq!(checked, matters.len());
}

#[test]
fn every_output_says_the_same_words_on_the_demo() {
    one_voice(&demo());
}

#[test]
fn every_output_says_the_same_words_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let ok = Command::new("python3")
        .arg(script)
        .arg("24")
        .arg(&corpus)
        .status()
        .expect("python3 runs the corpus generator");
    assert!(ok.success());
    one_voice(&corpus);
}
