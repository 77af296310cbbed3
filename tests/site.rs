//! The website: pages, links, search index, escaping, data export, and
//! template overrides. (Behaviour in a real browser: tests/browser.)

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn build_demo_site() -> (tempfile::TempDir, PathBuf) {
    build_demo("site,data", &[])
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(html_files(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every `href="…"` and `src="…"` of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn the_passport_page_is_as_expected() {
    let (_d, out) = build_demo_site();
    insta::assert_snapshot!(read(&out.join("site/matters/passport.html")));
}

#[test]
fn every_internal_link_resolves_to_a_file_and_nothing_is_fetched_from_outside() {
    let (_d, out) = build_demo_site();
    let site = out.join("site");
    let pages = html_files(&site);
    assert!(
        pages.len() >= common::demo_matters() * 2 + 4,
        "{} pages",
        pages.len()
    );
    for page in pages.iter().filter(|p| !p.ends_with("404.html")) {
        let html = read(page);
        for link in links(&html) {
            if link.starts_with("http")
                || link.starts_with("tel:")
                || link.starts_with("mailto:")
                || link.starts_with('#')
            {
                continue;
            }
            assert!(
                !link.starts_with('/'),
                "{}: absolute path {link}",
                page.display()
            );
            let target = page
                .parent()
                .unwrap()
                .join(link.split(['#', '?']).next().unwrap());
            assert!(target.exists(), "{}: broken link {link}", page.display());
        }
        for tag in [
            "<script src=\"http",
            "<link rel=\"stylesheet\" href=\"http",
            "@import",
            "fonts.googleapis",
        ] {
            assert!(!html.contains(tag), "{}: external asset", page.display());
        }
    }
}

#[test]
fn the_search_index_has_the_expected_terms_and_stays_small() {
    let (_d, out) = build_demo_site();
    let js = read(&out.join("site/assets/search-index.js"));
    let json = js
        .trim()
        .strip_prefix("window.GUIDE_INDEX=")
        .unwrap()
        .strip_suffix(';')
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let docs = v["docs"].as_array().unwrap();
    let passport = docs
        .iter()
        .position(|d| d["name"] == "普通护照签发")
        .unwrap();
    for gram in ["护照", "签发", "户口", "身份"] {
        let post = v["grams"][gram]
            .as_array()
            .unwrap_or_else(|| panic!("no {gram}"));
        let docs_with: Vec<u64> = post.chunks(2).map(|c| c[0].as_u64().unwrap()).collect();
        assert!(
            docs_with.contains(&(passport as u64)),
            "{gram} does not find the passport"
        );
    }
    // 护照 is in the passport's name: the name bit (1) is set.
    let post = v["grams"]["护照"].as_array().unwrap();
    let fields = post.chunks(2).find(|c| c[0] == passport as u64).unwrap()[1]
        .as_u64()
        .unwrap();
    assert_eq!(fields & 1, 1);
}

#[test]
fn a_script_in_any_field_stays_inert() {
    let evil = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let p = TestProject::new().file(
        "guides/hukou/basic.yaml",
        &BASIC
            .replace("name: 居住证申领", &format!("name: \"居住证申领{evil}\""))
            .replace(
                "category: 户籍",
                &format!("category: 户籍\nsummary: \"{evil}\\n\\n请[点我](javascript:alert(1))\""),
            ),
    );
    let out = p.run(&["build", "--only", "site,data"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for page in html_files(&p.path().join("dist/site")) {
        let html = read(&page);
        assert!(!html.contains("<script>alert"), "{}", page.display());
        assert!(!html.contains("<img src=x"), "{}", page.display());
        assert!(
            !html.to_lowercase().contains("href=\"javascript:"),
            "{}",
            page.display()
        );
    }
    let matter = read(&p.path().join("dist/site/matters/basic.html"));
    assert!(matter.contains("&lt;script&gt;"), "shown as text");
}

#[test]
fn guides_json_has_every_matter_with_resolved_materials_and_a_schema_version() {
    let (_d, out) = build_demo_site();
    let text = read(&out.join("data/guides.json"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 2);
    let matters = v["matters"].as_array().unwrap();
    assert_eq!(matters.len(), common::demo_matters());
    let passport = matters.iter().find(|m| m["id"] == "passport").unwrap();
    let first = &passport["materials"][0];
    assert_eq!(first["name"], "居民身份证");
    assert_eq!(first["ref"], "id-card");
    assert_eq!(first["form"], "原件");
    // All the data, not a summary.
    assert_eq!(passport["steps"][0]["name"], "预约（可选）");
    assert_eq!(passport["fees"]["items"][0]["standard"], "120元/本");
    assert_eq!(passport["time_limit"]["promised"]["value"], 7);
    assert_eq!(
        passport["situations"][0]["question"],
        "申请人是否未满16周岁？"
    );
    assert!(passport["faq"].as_array().unwrap().len() >= 2);
    assert!(
        passport["handling"]["locations"][0]["address"]
            .as_str()
            .unwrap()
            .contains("北京南路337号")
    );
    // Stable key order: the fields come in the order of the model.
    assert!(
        text.contains(
            "\"id\": \"passport\",\n      \"name\": \"普通护照签发\",\n      \"aliases\":"
        ),
        "key order"
    );
}

#[test]
fn a_projects_own_template_wins_and_template_errors_name_the_file() {
    let p = TestProject::new().file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>自定义的404</p>{% endblock content %}",
    );
    assert_eq!(p.run(&["build", "--only", "site"]).code, 0);
    assert!(read(&p.path().join("dist/site/404.html")).contains("自定义的404"));
    let p = TestProject::new().file(
        "templates/category.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_thing }}{% endblock content %}",
    );
    let out = p.run(&["build", "--only", "site"]);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("category.html"), "{}", out.stderr);
    assert!(out.stderr.contains("no_such_thing"), "{}", out.stderr);
    assert!(
        out.stderr.contains("--> category.html:1:"),
        "the line: {}",
        out.stderr
    );
}

#[test]
fn init_templates_copies_the_defaults_out() {
    let p = TestProject::new();
    let out = p.run(&["init", "--templates"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for name in [
        "base.html",
        "matter.html",
        "notice.html",
        "assets/style.css",
        "assets/site.js",
    ] {
        assert!(p.path().join("templates").join(name).is_file(), "{name}");
    }
    assert_eq!(p.run(&["build", "--only", "site"]).code, 0);
}

#[test]
fn the_site_is_byte_identical_build_to_build() {
    let (_a, one) = build_demo_site();
    let (_b, two) = build_demo_site();
    for page in html_files(&one.join("site")) {
        let rel = page.strip_prefix(&one).unwrap();
        assert!(
            std::fs::read(&page).unwrap() == std::fs::read(two.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
    assert_eq!(
        read(&one.join("data/guides.json")),
        read(&two.join("data/guides.json"))
    );
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
    let c = |x: u32| {
        let s = f64::from(x & 0xff) / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * c(v >> 16) + 0.7152 * c(v >> 8) + 0.0722 * c(v)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn text_colours_have_a_contrast_of_at_least_4_5_to_1() {
    let css = guide::render::site::DEFAULTS
        .iter()
        .find(|(n, _)| *n == "assets/style.css")
        .unwrap()
        .1;
    let var = |name: &str| {
        let at = css.find(&format!("--{name}: ")).unwrap() + name.len() + 4;
        css[at..at + 7].to_owned()
    };
    for fg in ["ink", "muted", "accent"] {
        let c = contrast(&var(fg), "#ffffff");
        assert!(c >= 4.5, "--{fg} on white: {c:.2}");
    }
    // White on the header bar, and the 仅限 label.
    assert!(contrast("#ffffff", &var("accent")) >= 4.5);
    assert!(contrast("#7a3e00", "#fff4e5") >= 4.5);
}

#[test]
fn blank_forms_are_checked_and_offered_for_download() {
    let with_form = BASIC.replace(
        "    form: 原件\n    when: [agent]",
        "    form: 原件\n    blank_form: forms/委托书.pdf\n    when: [agent]",
    );
    let p = TestProject::new().file("guides/hukou/basic.yaml", &with_form);
    let missing = p.check();
    assert!(
        missing.stderr.contains("error[missing-file]"),
        "{}",
        missing.stderr
    );
    let p = p.file("forms/委托书.pdf", "%PDF-1.4 test");
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
    assert_eq!(p.run(&["build", "--only", "site"]).code, 0);
    let page = read(&p.path().join("dist/site/matters/basic.html"));
    assert!(
        page.contains("<a href=\"../files/forms/委托书.pdf\">空白表格</a>"),
        "{page}"
    );
    assert!(p.path().join("dist/site/files/forms/委托书.pdf").is_file());
    let evil = TestProject::new().file(
        "guides/hukou/basic.yaml",
        &BASIC.replace(
            "    form: 原件\n    when: [agent]",
            "    form: 原件\n    sample: \"javascript:alert(1)\"\n    when: [agent]",
        ),
    );
    assert!(
        evil.check().stderr.contains("error[bad-link]"),
        "{}",
        evil.check().stderr
    );
}

#[test]
fn check_reports_a_broken_template_of_the_project() {
    let p = TestProject::new().file(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock content %}",
    );
    let out = p.check();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[template]") && out.stderr.contains("templates/index.html"),
        "{}",
        out.stderr
    );
}
