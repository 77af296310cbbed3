//! The site fixes found in review: stable category addresses, the clerks'
//! pages kept apart from citizens' pages, a 404 page that works from any
//! path, the footer, and a printed matter page (by Chromium, read back with
//! pdftotext). Behaviour that needs a browser's state (Back/Forward,
//! Ctrl+P on the clerk's page, 320 px and 400% zoom) is in tests/browser.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Builds the site of `p`; the site folder.
fn build_site(p: &TestProject) -> PathBuf {
    let out = p.run(&["build", "--only", "site"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    p.path().join("dist/site")
}

/// `BASIC` as another matter: its id, name and category.
fn other(id: &str, name: &str, category: &str) -> String {
    BASIC
        .replace("id: basic\n", &format!("id: {id}\n"))
        .replace("name: 居住证申领\n", &format!("name: {name}\n"))
        .replace("category: 户籍\n", &format!("category: {category}\n"))
}

#[test]
fn a_category_page_is_named_after_its_folder_and_keeps_its_address_when_one_is_added() {
    let p = TestProject::new();
    let site = build_site(&p);
    assert!(site.join("categories/hukou.html").is_file());
    let matter = read(&site.join("matters/basic.html"));
    assert!(
        matter.contains("href=\"../categories/hukou.html\""),
        "{matter}"
    );

    // A new category, listed first and in a folder sorted first.
    let p = p
        .file(
            "guide.yaml",
            &format!("{CONFIG}categories: [出入境证件, 户籍]\n"),
        )
        .file(
            "guides/exit-entry/passport.yaml",
            &other("passport", "普通护照签发", "出入境证件"),
        );
    let site = build_site(&p);
    assert!(site.join("categories/hukou.html").is_file());
    assert!(site.join("categories/exit-entry.html").is_file());
    assert!(!site.join("categories/1.html").exists());
    let index = read(&site.join("index.html"));
    assert!(
        index.find("categories/exit-entry.html") < index.find("categories/hukou.html"),
        "the listed order stays: {index}"
    );
}

#[test]
fn categories_sharing_a_folder_are_named_after_themselves() {
    let p = TestProject::new().file(
        "guides/hukou/other.yaml",
        &other("other", "居住证签注", "居住登记"),
    );
    let site = build_site(&p);
    // 户籍 came first in the folder and keeps nothing of it to itself:
    // both categories use it.
    assert!(site.join("categories/户籍.html").is_file());
    assert!(site.join("categories/居住登记.html").is_file());
}

#[test]
fn the_clerks_pages_are_linked_only_from_the_clerks_index_and_not_indexed() {
    let (_d, out) = build_demo("site", &[]);
    let site = out.join("site");
    let clerk = read(&site.join("clerk.html"));
    assert!(clerk.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        clerk.contains("href=\"matters/passport/notice.html\""),
        "{clerk}"
    );
    for page in html_files(&site) {
        let html = read(&page);
        let rel = page
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let for_clerks = rel == "clerk.html" || rel.ends_with("/notice.html");
        if for_clerks {
            assert!(
                html.contains("<meta name=\"robots\" content=\"noindex\">"),
                "{rel} is for clerks and must not be indexed"
            );
        } else {
            assert!(
                !html.contains("notice.html") && !html.contains("clerk.html"),
                "{rel} is a citizen's page and links to a clerk's page"
            );
            assert!(!html.contains("noindex"), "{rel}");
        }
    }
}

#[test]
fn the_404_page_carries_its_own_stylesheet_and_links_to_the_published_site() {
    let (_d, out) = build_demo("site", &[]);
    let page = read(&out.join("site/404.html"));
    assert!(page.contains("<style>"), "{page}");
    assert!(!page.contains("assets/"), "nothing to fetch: {page}");
    assert!(page.contains("href=\"https://zwfw.example.gov.cn/guide/index.html\""));

    // Without a base_url: relative links, still no stylesheet to fetch.
    let p = TestProject::new();
    let site = build_site(&p);
    let page = read(&site.join("404.html"));
    assert!(
        page.contains("<style>") && !page.contains("assets/"),
        "{page}"
    );
    assert!(page.contains("href=\"index.html\""), "{page}");
    assert!(
        page.contains("或拨打咨询电话 <a href=\"tel:0991-1234567\">0991-1234567</a>。"),
        "{page}"
    );
}

#[test]
fn the_footer_links_phones_and_prints_the_registration_lines_of_guide_yaml() {
    let p = TestProject::new().file(
        "guide.yaml",
        &format!(
            "{CONFIG}site:\n  identifier: \"6501000001\"\n  icp: 新ICP备00000000号\n  police: 新公网安备65010200000000号\n"
        ),
    );
    let site = build_site(&p);
    let index = read(&site.join("index.html"));
    assert!(
        index.contains("<a href=\"tel:0991-1234567\">0991-1234567</a>"),
        "{index}"
    );
    assert!(index.contains("<a href=\"tel:12345\">12345</a>"));
    assert!(index.contains("网站标识码：6501000001"));
    assert!(index.contains("<a href=\"https://beian.miit.gov.cn/\">新ICP备00000000号</a>"));
    assert!(index.contains(
        "<a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=65010200000000\">新公网安备65010200000000号</a>"
    ));
    // The search box's example is the project's own matter.
    assert!(
        index.contains("placeholder=\"例如：居住证申领\""),
        "{index}"
    );

    // Without `site:`, no empty registration line.
    let p = TestProject::new();
    let site = build_site(&p);
    assert!(!read(&site.join("index.html")).contains("class=\"record\""));
}

#[test]
fn registration_lines_that_do_not_look_issued_are_warned_about() {
    let p = TestProject::new().file(
        "guide.yaml",
        &format!("{CONFIG}site:\n  identifier: \"650\"\n  icp: 12345678\n  police: \"\"\n"),
    );
    let out = p.check();
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("`site.identifier` 写的是 `650`，不像备案信息"),
        "{all}"
    );
    assert!(all.contains("网站标识码是 10 位数字或字母"), "{all}");
    assert!(
        all.contains("`site.icp` 写的是 `12345678`，不像备案信息"),
        "{all}"
    );
    assert!(all.contains("`site.police` 不能为空"), "{all}");

    let p = TestProject::new().file("guide.yaml", &format!("{CONFIG}site:\n  beian: x\n"));
    let out = p.check();
    assert_ne!(out.code, 0);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("beian"), "{all}");
}

/// Chromium prints `page` to PDF as a person's Ctrl+P would (no browser
/// header or footer); its text, page by page.
fn print_to_pdf(page: &Path) -> Vec<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("page.pdf");
    let url = format!("file://{}", page.display());
    let run = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ])
        .output()
        .expect("chromium is needed: `apt-get install chromium`");
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&run.stderr));
    pdf_text(&pdf, &[])
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_printed_matter_page_carries_the_organisation_and_page_numbers() {
    let (_d, out) = build_demo("site", &[]);
    let pages = print_to_pdf(&out.join("site/matters/passport.html"));
    assert!(pages.len() >= 2, "{pages:?}");
    let n = pages.len();
    for (i, text) in pages.iter().enumerate() {
        assert!(
            text.contains("乌鲁木齐市政务服务中心"),
            "page {}: {text}",
            i + 1
        );
        assert!(
            text.contains(&format!("第 {} 页，共 {n} 页", i + 1)),
            "page {}: {text}",
            i + 1
        );
    }
    // A link that reads as its address is printed once.
    let all = pages.concat();
    let online = "https://zwfw.example.gov.cn/hudong/";
    assert!(all.contains(online), "{all}");
    assert!(!all.contains(&format!("({online})")), "{all}");
}

#[test]
fn a_clerks_page_printed_with_nothing_ticked_says_so() {
    let (_d, out) = build_demo("site", &[]);
    let pages = print_to_pdf(&out.join("site/matters/passport/notice.html"));
    let all = pages.concat();
    assert!(all.contains("未勾选材料"), "{all}");
    assert!(!all.contains("缺少的材料："), "{all}");
    assert_eq!(pages.len(), 1, "{pages:?}");
}

#[test]
fn a_category_id_names_the_category_page_and_must_be_one_per_category() {
    let p = TestProject::new()
        .basic_with("category: 户籍\n", "category: 户籍\ncategory_id: huji\n")
        .file(
            "guides/hukou/other.yaml",
            &other("other", "居住证签注", "户籍"),
        );
    let site = build_site(&p);
    assert!(site.join("categories/huji.html").is_file());
    assert!(!site.join("categories/hukou.html").exists());
    assert!(read(&site.join("matters/other.html")).contains("href=\"../categories/huji.html\""));
    // guides.json names the page too, for every matter of the category.
    assert_eq!(p.run(&["build", "--only", "data"]).code, 0);
    let data: serde_json::Value =
        serde_json::from_str(&read(&p.path().join("dist/data/guides.json"))).unwrap();
    let ids: Vec<&str> = data["matters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["category_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["huji", "huji"]);

    // Another id for the same category, and the same id for another one.
    let p = p
        .file(
            "guides/hukou/other.yaml",
            &other("other", "居住证签注", "户籍")
                .replace("category: 户籍\n", "category: 户籍\ncategory_id: hukou\n"),
        )
        .file(
            "guides/social/third.yaml",
            &other("third", "社保卡补办", "社会保险").replace(
                "category: 社会保险\n",
                "category: 社会保险\ncategory_id: huji\n",
            ),
        );
    let out = p.check();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("分类 `户籍` 的 `category_id` 已写作 `huji`，这里写的是 `hukou`"),
        "{all}"
    );
    assert!(
        all.contains("`category_id` `huji` 已是分类 `户籍` 的网址名"),
        "{all}"
    );
    assert!(all.contains("error[category-id]"), "{all}");
}

#[test]
fn a_projects_own_older_base_template_still_builds_every_page() {
    // A base.html copied out before the clerks' index and the 404 page's
    // own stylesheet: only the blocks it always had.
    let base = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><title>{% block title %}{% endblock title %}</title>\
<link rel=\"stylesheet\" href=\"{{ root }}assets/style.css\"></head>\
<body class=\"{% block body_class %}{% endblock body_class %}\">{% block content %}{% endblock content %}\
{% block scripts %}{% endblock scripts %}</body></html>\n";
    let p = TestProject::new().file("templates/base.html", base);
    let site = build_site(&p);
    for page in [
        "clerk.html",
        "matters/basic/notice.html",
        "404.html",
        "index.html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
}
