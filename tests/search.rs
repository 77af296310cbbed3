//! The site's search index and its inputs: the built-in thesaurus (each entry
//! checked), the project's `search.synonyms` (parsed, validated, in the
//! schema), the pinyin table, question words, and byte-identical output.
//! How the page ranks with them is checked in a real browser
//! (`tests/browser/run.mjs`: recall on `tests/browser/queries.tsv`).

mod common;
use common::*;
use guide::render::search::{self, Entry, SearchDoc, THESAURUS, normalise, parse_thesaurus};
use std::collections::HashMap;

fn entries() -> Vec<Entry> {
    let (entries, problems) = parse_thesaurus(THESAURUS);
    assert!(problems.is_empty(), "{problems:#?}");
    entries
}

/// The JSON of a built `search-index.js`.
fn index_json(js: &str) -> serde_json::Value {
    let body = js
        .strip_prefix("window.GUIDE_INDEX=")
        .and_then(|s| s.split_once(";\n"))
        .expect("window.GUIDE_INDEX=…;")
        .0;
    serde_json::from_str(body).expect("the index is JSON")
}

#[test]
fn the_thesaurus_has_a_few_hundred_pairs() {
    let pairs: usize = entries().iter().map(|e| e.left.len() * e.right.len()).sum();
    assert!(pairs >= 300, "{pairs} pairs");
}

#[test]
fn every_thesaurus_entry_is_well_formed() {
    for e in entries() {
        let at = format!("thesaurus.txt:{}", e.line);
        assert!(
            !e.left.is_empty() && !e.right.is_empty(),
            "{at}: a side is empty"
        );
        for w in e.left.iter().chain(&e.right) {
            assert_eq!(
                &normalise(w),
                w,
                "{at}: `{w}` is not as a query is compared"
            );
            assert!(
                w.chars().all(|c| ('\u{3400}'..='\u{9fff}').contains(&c)),
                "{at}: `{w}` is not Chinese characters only"
            );
            assert!(
                w.chars().count() >= 2,
                "{at}: `{w}` is one character: it would match inside any word"
            );
        }
        for (i, w) in e.left.iter().enumerate() {
            assert!(!e.left[..i].contains(w), "{at}: `{w}` twice on the left");
            assert!(!e.right.contains(w), "{at}: `{w}` on both sides");
        }
        for (i, w) in e.right.iter().enumerate() {
            assert!(!e.right[..i].contains(w), "{at}: `{w}` twice on the right");
        }
    }
}

#[test]
fn a_citizens_word_is_in_one_thesaurus_entry_only() {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let all = entries();
    for e in &all {
        for w in &e.left {
            if let Some(first) = seen.insert(w, e.line) {
                panic!("`{w}` is on the left of lines {first} and {}", e.line);
            }
        }
    }
}

#[test]
fn no_thesaurus_entry_is_a_question_word() {
    for e in entries() {
        for w in e.left.iter().chain(&e.right) {
            assert!(
                !search::FILLERS.split_whitespace().any(|f| f == w),
                "thesaurus.txt:{}: `{w}` is also a question word and would be dropped",
                e.line
            );
        }
    }
}

#[test]
fn a_malformed_thesaurus_line_is_reported_with_its_number() {
    let (e, p) = parse_thesaurus("丢了 | 补领\n丢失 补领\n遗失 |\n过期 | 换领 | 续签\n");
    assert_eq!(e.len(), 1);
    assert_eq!(
        p,
        [
            "第 2 行：要写成“群众说法 | 规范说法”，找到 0 个“|”",
            "第 3 行：“|”两边都要有词",
            "第 4 行：要写成“群众说法 | 规范说法”，找到 2 个“|”",
        ]
    );
}

fn doc(id: &str, name: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        name: name.into(),
        category: "出入境证件".into(),
        category_url: "categories/1.html".into(),
        aliases: vec!["办护照".into()],
        result: Some("护照".into()),
        materials: vec!["居民身份证".into(), "照片".into(), "居民身份证".into()],
        text: "具有中华人民共和国国籍的内地居民。".into(),
    }
}

#[test]
fn the_index_is_the_same_bytes_for_the_same_matters() {
    let docs = [doc("passport", "普通护照签发"), doc("visa", "签注")];
    let syn = vec![vec!["社保卡".to_owned(), "市民卡".to_owned()]];
    let one = search::index(&docs, &syn, "0991-1234567");
    let two = search::index(&docs, &syn, "0991-1234567");
    assert_eq!(one, two);
    let v = index_json(&one);
    // A material asked twice by one matter is listed once.
    assert_eq!(v["docs"][0][5], serde_json::json!([0, 1]));
    assert_eq!(v["phone"], "0991-1234567");
}

#[test]
fn the_index_carries_pinyin_for_names_and_homophones() {
    let v = index_json(&search::index(&[doc("passport", "普通护照签发")], &[], ""));
    let py = v["py"].as_str().unwrap();
    let sound = |s: &str| {
        py.split('|')
            .find_map(|p| p.strip_prefix(&format!("{s}:")))
            .unwrap_or_else(|| panic!("no {s}"))
            .to_owned()
    };
    // 护找 → 护照: both sound zhao, though 找 is in no matter.
    assert!(sound("zhao").contains('照') && sound("zhao").contains('找'));
    assert!(sound("hu").contains('护'));
    // Every common character (GB 2312) is there, not only the matters' own.
    assert!(py.chars().filter(|c| !c.is_ascii()).count() >= 6_700);
}

#[test]
fn the_index_carries_question_words_and_both_kinds_of_synonyms() {
    let syn = vec![vec![
        "社保卡".to_owned(),
        " 市民卡 ".to_owned(),
        "".to_owned(),
    ]];
    let v = index_json(&search::index(&[doc("a", "普通护照签发")], &syn, ""));
    let fill = v["fill"].as_str().unwrap();
    for w in ["怎么办", "需要什么材料", "如何", "在哪里办", "多久"] {
        assert!(fill.split(' ').any(|f| f == w), "{w}");
    }
    let groups = v["syn"].as_array().unwrap();
    assert!(groups.iter().any(
        |g| g[0].as_str().unwrap().contains("丢了") && g[1].as_str().unwrap().contains("补领")
    ));
    // The project's group last, one side, words as compared (no spaces, no empty word).
    assert_eq!(
        groups.last().unwrap(),
        &serde_json::json!(["社保卡 市民卡"])
    );
}

#[test]
fn the_index_survives_odd_input() {
    let mut d = doc("x", "");
    d.aliases = vec!["".into(), "|".into(), "\u{0}".into()];
    d.text = "\u{FFFF}𠀀".repeat(500);
    d.result = None;
    let js = search::index(&[d], &[vec![]], "");
    let v = index_json(&js);
    assert_eq!(v["docs"][0][4], "");
    let empty = index_json(&search::index(&[], &[], ""));
    assert_eq!(empty["docs"], serde_json::json!([]));
    assert_eq!(normalise("\u{3000}！？ＡＢ c"), "abc");
}

#[test]
fn the_demo_index_uses_the_projects_synonyms_and_phone() {
    let (_d, out) = build_demo("site", &[]);
    let js = std::fs::read_to_string(out.join("site/assets/search-index.js")).unwrap();
    let v = index_json(&js);
    assert_eq!(v["phone"], "0991-2345678");
    assert!(
        v["syn"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == &serde_json::json!(["社保卡 社会保障卡 第三代社保卡 市民卡"])),
        "{}",
        v["syn"]
    );
    assert!(js.ends_with("if(window.guideSearchReady){window.guideSearchReady();}\n"));
    // Every category the search links to is a page of the site, the one
    // the index page links to.
    let home = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    let cats = v["cats"].as_array().unwrap();
    assert!(cats.len() > 3, "{cats:?}");
    for c in cats {
        let url = c[1].as_str().unwrap();
        assert!(out.join("site").join(url).is_file(), "{url}");
        assert!(home.contains(&format!("href=\"{url}\"")), "{url}");
    }
    // The index page does not wait for the index: it loads it async after search.js.
    let page = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    let search_js = page
        .find("assets/search.js\"></script>")
        .expect("search.js");
    let index_js = page
        .find("assets/search-index.js\" async></script>")
        .expect("async index");
    assert!(search_js < index_js);
}

fn with_search(yaml: &str) -> TestProject {
    TestProject::new().file("guide.yaml", &format!("{CONFIG}search:\n{yaml}"))
}

#[test]
fn project_synonyms_are_checked() {
    let out = with_search("  synonyms:\n    - [社保卡]\n    - [市民卡, \"  \", 市民 卡]\n    - [公积金, 公积金]\n    - [社保卡, 社会保障卡]\n").check();
    assert_eq!(out.code, 1, "{}", out.stdout);
    for message in [
        "这组同义词只有 1 个不同的词，至少要两个",
        "同义词不能为空",
        "同义词 `市民 卡` 中间有空格",
        "同义词 `公积金` 在这一组里写了两次",
        "同义词 `社保卡` 也在第 1 组里",
    ] {
        assert!(out.stderr.contains(message), "{message}\n{}", out.stderr);
    }
}

#[test]
fn good_project_synonyms_pass_and_reach_the_site() {
    let p = with_search("  synonyms:\n    - [社保卡, 市民卡]\n");
    let out = p.check();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let build = p.run(&["build", "--only", "site"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let js = std::fs::read_to_string(p.path().join("dist/site/assets/search-index.js")).unwrap();
    assert!(js.contains("\"社保卡 市民卡\""));
}

#[test]
fn an_unknown_key_under_search_is_an_error() {
    let out = with_search("  synonym: [[社保卡, 市民卡]]\n").check();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("`synonym`"), "{}", out.stderr);
}

#[test]
fn the_settings_schema_describes_search_synonyms() {
    let out = TestProject::new().run(&["schema", "config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let syn = &v["properties"]["search"]["properties"]["synonyms"];
    assert_eq!(syn["type"], "array");
    assert_eq!(syn["items"]["minItems"], 2);
    assert_eq!(v["properties"]["search"]["additionalProperties"], false);
}
