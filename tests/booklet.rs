//! The booklet: checked by its extracted text, page count, page size, fonts
//! and structure (poppler-utils' pdftotext/pdfinfo/pdffonts, and lopdf).

mod common;
use common::*;
use guide::render::booklet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for these tests (Debian: poppler-utils): {e}")
    });
    assert!(out.status.success(), "{name} {args:?} failed");
    // poppler reads every booklet without a complaint (it once reported
    // the tagged file's `/Suspects false` as "wrong type").
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.trim().is_empty(), "{name} {args:?}: {err}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Builds the demo booklet into a fresh folder; returns the PDF's path.
fn build_demo_booklet(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, out) = build_demo("booklet", extra);
    (dir, out.join("booklet.pdf"))
}

fn text(pdf: &Path, mode: &[&str]) -> String {
    let p = pdf.to_str().unwrap();
    let mut args = mode.to_vec();
    args.extend([p, "-"]);
    tool("pdftotext", &args)
}

/// The number of pages, as pdfinfo reports it.
fn page_count(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    text(pdf, &["-raw", "-f", &n, "-l", &n])
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn demo_project() -> guide::load::Project {
    guide::load::load(&demo()).unwrap().0
}

/// The demo project in force today, its fonts, the build date and the A5
/// booklet's options: what a test writes the booklet from directly.
fn demo_in_force() -> (
    guide::load::Project,
    guide::layout::font::FontSet,
    String,
    booklet::Options,
) {
    let mut p = demo_project();
    p.in_force(guide::date::Date::today());
    let fonts = guide::render::prepared_fonts(&p).unwrap();
    let date = guide::render::build_date(&p);
    let options = booklet::Options {
        paper: guide::model::Paper::A5,
        large_print: false,
    };
    (p, fonts, date, options)
}

/// The notice of the demo's first matter, every material listed.
fn demo_notice(
    p: &guide::load::Project,
    fonts: &guide::layout::font::FontSet,
    filled: &guide::render::notice::Filled,
) -> guide::layout::Document {
    let g = &p.guides[0].guide;
    let list =
        guide::model::resolve::materials(g, &p.catalogue, guide::model::resolve::Selection::All);
    guide::render::notice::lay_out(p, g, &list, filled, fonts)
}

#[test]
fn every_matter_and_every_material_is_printed_in_order() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let all = squeeze(&text(&pdf, &["-raw"]));
    let p = demo_project();
    for (_, list) in p.categories() {
        for g in list {
            let g = &g.guide;
            let title = format!("{}{}", g.name.value, guide::present::facts(g)[0].label);
            let start = all
                .find(&title)
                .unwrap_or_else(|| panic!("{} is not printed", g.name.value));
            let mut at = start;
            let mats = guide::model::resolve::materials(
                g,
                &p.catalogue,
                guide::model::resolve::Selection::All,
            );
            for m in mats {
                let name = squeeze(&m.name);
                let found = all[at..].find(&name).unwrap_or_else(|| {
                    panic!(
                        "{}: material {} missing or out of order",
                        g.name.value, m.name
                    )
                });
                at += found + name.len();
            }
        }
    }
}

#[test]
fn contents_page_numbers_are_where_the_matters_start() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let pages = page_count(&pdf);
    let texts: Vec<String> = (1..=pages).map(|i| page_text(&pdf, i)).collect();
    let toc_page = texts
        .iter()
        .position(|t| t.lines().next().is_some_and(|l| squeeze(l) == "目录"))
        .expect("a contents page");
    let p = demo_project();
    let mut checked = 0;
    for (_, list) in p.categories() {
        for g in list {
            let name = &g.guide.name.value;
            // "name N" on the contents page
            let line = texts[toc_page]
                .lines()
                .find(|l| {
                    l.starts_with(name.as_str()) && l[name.len()..].trim().parse::<usize>().is_ok()
                })
                .unwrap_or_else(|| panic!("{name} not in the contents"));
            let number: usize = line[name.len()..].trim().parse().unwrap();
            let heading = format!("{name}\n{}", guide::present::facts(&g.guide)[0].label);
            let first = texts
                .iter()
                .position(|t| t.contains(&heading))
                .unwrap_or_else(|| panic!("{name} has no page"))
                + 1;
            assert_eq!(
                number, first,
                "{name}: contents says {number}, starts on {first}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, p.guides.len());
}

#[test]
fn no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one() {
    let (_d, pdf) = build_demo_booklet(&[]);
    // Physical lines as printed. (pdftotext -raw starts a new line inside a
    // compressed pair such as 》， whose glyph boxes overlap; that is its
    // heuristic, not a printed break.)
    let t = text(&pdf, &[]);
    for line in t.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        assert!(
            !"，。、；：？！）」』》”’…—·％".contains(first),
            "line starts with {first}: {line}"
        );
        assert!(!"（「《“‘".contains(last), "line ends with {last}: {line}");
    }
    assert!(
        t.contains("《一次性告知单》，一次性"),
        "a compressed pair extracts whole"
    );
}

#[test]
fn quantities_are_never_split_and_no_space_is_invented() {
    let (_d, pdf) = build_demo_booklet(&[]);
    // Raw text keeps the printed lines: a split would show as a line break.
    let t = text(&pdf, &["-raw"]);
    for q in ["120元/本", "7个工作日", "20元/证", "9:30—13:30"] {
        assert!(t.contains(q), "{q} is split or missing");
    }
    assert!(
        t.contains("北京南路337号"),
        "no space invented around digits"
    );
    assert!(!t.contains("337 号") && !t.contains("路 337"));
}

/// Page size in whole millimetres, as pdfinfo reports it.
fn page_mm(pdf: &Path) -> (u32, u32) {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let line = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap();
    let nums: Vec<f32> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let mm = |pt: f32| (pt * 25.4 / 72.0).round() as u32;
    (mm(nums[0]), mm(nums[1]))
}

#[test]
fn page_size_is_a5_by_default_and_a4_on_request() {
    let (_d, a5) = build_demo_booklet(&[]);
    assert_eq!(page_mm(&a5), (148, 210));
    let (_d2, a4) = build_demo_booklet(&["--paper", "A4"]);
    assert_eq!(page_mm(&a4), (210, 297));
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for r in rows {
        // A subset's name: a six-letter tag and '+'.
        let tag = r.split('+').next().unwrap();
        assert!(
            r.contains('+') && tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "subset tag: {r}"
        );
        assert!(r.contains("yes yes yes"), "embedded, subset, unicode: {r}");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(
        size < 2_000_000,
        "a subset, not the whole 2 MB font: {size}"
    );
}

#[test]
fn two_builds_are_byte_identical_whatever_the_threads() {
    let (_d1, a) = build_demo_booklet(&[]);
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(bin())
        .args(["build", "--only", "booklet", "--project"])
        .arg(demo())
        .arg("--out")
        .arg(dir.path().join("dist"))
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env("RAYON_NUM_THREADS", "1")
        .status()
        .unwrap();
    assert!(status.success());
    let b = dir.path().join("dist/booklet.pdf");
    assert!(
        std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
        "builds differ"
    );
}

/// The outputs of a whole build are made side by side (PDFs on the
/// thread pool, the site on a thread of its own): with one thread or
/// several, every file is the same bytes.
#[test]
fn a_whole_build_is_the_same_bytes_on_one_thread_or_several() {
    let build = |threads: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(bin());
        cmd.args(["build", "--project"])
            .arg(demo())
            .arg("--out")
            .arg(dir.path().join("dist"))
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH);
        if let Some(n) = threads {
            cmd.env("RAYON_NUM_THREADS", n);
        }
        assert!(cmd.status().unwrap().success());
        let mut files = std::collections::BTreeMap::new();
        for e in walkdir::WalkDir::new(dir.path().join("dist")) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(dir.path()).unwrap().to_owned();
                files.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
        files
    };
    let one = build(Some("1"));
    let many = build(None);
    assert!(one.len() > 40, "{} files", one.len());
    assert!(one.keys().any(|k| k.ends_with("booklet.pdf")));
    assert!(one.keys().any(|k| k.starts_with("dist/notices")));
    assert!(one.keys().any(|k| k.starts_with("dist/site")));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    for (k, v) in &one {
        assert!(v == &many[k], "{} differs", k.display());
    }
}

#[test]
fn markdown_prints_as_formatting_not_as_marks() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let t = text(&pdf, &["-raw"]);
    assert!(!t.contains("**"), "raw ** printed");
    assert!(!t.contains("<b>") && !t.contains("</"), "raw tags printed");
}

/// The font sizes used for glyphs, with how many glyphs each set.
fn sizes(pdf: &Path) -> std::collections::BTreeMap<u32, usize> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for (_, id) in doc.get_pages() {
        let content = doc.get_and_decode_page_content(id).unwrap();
        let mut size = 0.0f32;
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => size = op.operands[1].as_float().unwrap(),
                "TJ" | "Tj" => {
                    let n = match &op.operands[0] {
                        lopdf::Object::Array(a) => a
                            .iter()
                            .filter_map(|o| o.as_str().ok())
                            .map(|s| s.len() / 2)
                            .sum(),
                        lopdf::Object::String(s, _) => s.len() / 2,
                        _ => 0,
                    };
                    *out.entry((size * 10.0).round() as u32).or_insert(0) += n;
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn large_print_sets_body_text_at_14_points_or_more() {
    let (_d, normal) = build_demo_booklet(&[]);
    let (_d2, large) = build_demo_booklet(&["--large-print"]);
    let body = |pdf: &Path| sizes(pdf).into_iter().max_by_key(|(_, n)| *n).unwrap().0 as f32 / 10.0;
    assert!(body(&normal) < 11.0);
    assert!(body(&large) >= 14.0, "large print body {}", body(&large));
}

#[test]
fn the_outline_has_contents_categories_and_every_matter() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    let outlines = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut titles = Vec::new();
    fn walk(
        doc: &lopdf::Document,
        first: Option<lopdf::ObjectId>,
        depth: usize,
        out: &mut Vec<(usize, String)>,
    ) {
        let mut cur = first;
        while let Some(id) = cur {
            let d = doc.get_dictionary(id).unwrap();
            let raw = d.get(b"Title").unwrap().as_str().unwrap();
            let units: Vec<u16> = raw[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            out.push((depth, String::from_utf16(&units).unwrap()));
            walk(
                doc,
                d.get(b"First").ok().and_then(|o| o.as_reference().ok()),
                depth + 1,
                out,
            );
            cur = d.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    let root = doc.get_dictionary(outlines).unwrap();
    walk(
        &doc,
        root.get(b"First").ok().and_then(|o| o.as_reference().ok()),
        0,
        &mut titles,
    );
    let p = demo_project();
    assert_eq!(titles[0], (0, "目录".to_owned()));
    let cats = p.categories();
    assert_eq!(
        titles.iter().filter(|(d, _)| *d == 0).count(),
        1 + cats.len()
    );
    assert_eq!(
        titles.iter().filter(|(d, _)| *d == 1).count(),
        p.guides.len()
    );
    assert!(titles.contains(&(1, "普通护照签发".to_owned())));
}

#[test]
fn a_character_the_font_lacks_is_reported_not_boxed() {
    // U+2A6A5 (𪚥) is in no subset of common characters.
    let p = TestProject::new().basic_with("name: 居住证申领", "name: 居住证申领𪚥");
    let out = p.check();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr);
    let build = p.run(&["build"]);
    assert_eq!(build.code, 1);
    assert!(!p.path().join("dist").exists(), "nothing written");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let p = TestProject::new();
    assert_eq!(p.run(&["build"]).code, 0);
    let before = std::fs::read(p.path().join("dist/booklet.pdf")).unwrap();
    let broken = TestProject::new().basic_with("ref: id-card", "ref: nothing");
    std::fs::copy(
        broken.path().join("guides/hukou/basic.yaml"),
        p.path().join("guides/hukou/basic.yaml"),
    )
    .unwrap();
    assert_eq!(p.run(&["build"]).code, 1);
    assert_eq!(
        std::fs::read(p.path().join("dist/booklet.pdf")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders left");
}

#[test]
fn a_long_title_or_category_never_overprints_the_running_header() {
    let long_title =
        "新疆维吾尔自治区乌鲁木齐市政务服务和大数据管理局政务服务中心 政务服务事项办事指南";
    let long_cat = "社会保险与就业服务和人力资源市场综合服务类事项专区";
    let p = TestProject::new()
        .file(
            "guide.yaml",
            &CONFIG.replace("测试市政务服务中心办事指南", long_title),
        )
        .basic_with("category: 户籍", &format!("category: {long_cat}"));
    let out = p.run(&["build", "--only", "booklet", "--large-print"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdf = p.path().join("dist/booklet.pdf");
    let pages = page_count(&pdf);
    let last = page_text(&pdf, pages);
    // The header line carries the whole category and, as it cannot fit
    // beside it, not the book title.
    let header = last.lines().find(|l| l.contains("社会保险")).unwrap();
    assert_eq!(squeeze(header), long_cat, "{last}");
    assert!(!last.contains("政务服务事项办事指南"), "{last}");
}

#[test]
fn the_contents_link_to_the_matters_and_the_metadata_is_set() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    let pages = doc.get_pages();
    // Page 3 is the contents: one GoTo link per category and matter line.
    let page = doc.get_dictionary(pages[&3]).unwrap();
    let annots = page.get(b"Annots").unwrap().as_array().unwrap();
    let gotos = annots
        .iter()
        .filter_map(|a| match a {
            lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok(),
            o => o.as_dict().ok(),
        })
        .filter(|a| {
            a.get(b"A")
                .ok()
                .and_then(|o| o.as_dict().ok())
                .and_then(|d| d.get(b"S").ok())
                .and_then(|s| s.as_name().ok())
                == Some(b"GoTo".as_slice())
        })
        .count();
    let p = demo_project();
    assert_eq!(gotos, p.guides.len() + p.categories().len());
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains("Title:           乌鲁木齐市政务服务中心 办事指南"),
        "{info}"
    );
    assert!(
        info.contains("Author:          乌鲁木齐市政务服务中心"),
        "{info}"
    );
    // SOURCE_DATE_EPOCH 1780272000 = 2026-06-01.
    assert!(
        info.contains("CreationDate:    Mon Jun  1 00:00:00 2026 UTC"),
        "{info}"
    );
}

#[test]
fn a_project_may_name_its_own_fonts_and_ask_for_large_print() {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let regular = std::fs::read(fonts.join("NotoSansSC-Regular.subset.otf")).unwrap();
    let bold = std::fs::read(fonts.join("NotoSansSC-Bold.subset.otf")).unwrap();
    let config = format!(
        "{CONFIG}booklet:\n  large_print: true\n  fonts: {{regular: 字体/常规.otf, bold: 字体/粗体.otf}}\n"
    );
    let p = TestProject::new().file("guide.yaml", &config);
    let missing = p.check();
    assert!(
        missing.stderr.contains("error[missing-font]"),
        "{}",
        missing.stderr
    );
    let p = p
        .bytes("字体/常规.otf", &regular)
        .bytes("字体/粗体.otf", &bold);
    let out = p.run(&["build", "--only", "booklet"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdf = p.path().join("dist/booklet.pdf");
    let body = sizes(&pdf).into_iter().max_by_key(|(_, n)| *n).unwrap().0 as f32 / 10.0;
    assert!(body >= 14.0, "large print from guide.yaml: {body}");
}

#[test]
fn the_cover_is_dated_the_day_of_the_build_in_beijing_time() {
    // The matter took effect 2026-01-01; the build is at 20:00 UTC on
    // 14 July 2026, 15 July in Beijing.
    let p = TestProject::new();
    let run = run_guide_at(p.path(), &["build", "--only", "booklet"], "1784059200");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cover = squeeze(&page_text(&p.path().join("dist/booklet.pdf"), 1));
    assert!(cover.contains("编印日期：2026-07-15"), "{cover}");
}

#[test]
fn the_categories_of_guide_yaml_order_the_booklet_the_site_and_list() {
    let other = BASIC
        .replace("id: basic", "id: other")
        .replace("name: 居住证申领", "name: 社会保险登记")
        .replace("category: 户籍", "category: 社保");
    let p = TestProject::new()
        .file("guide.yaml", &format!("{CONFIG}categories: [社保, 户籍]\n"))
        .file("guides/shebao/other.yaml", &other);
    let run = p.run(&["build", "--only", "booklet,site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = squeeze(&text(&p.path().join("dist/booklet.pdf"), &["-raw"]));
    let index = std::fs::read_to_string(p.path().join("dist/site/index.html")).unwrap();
    let list = p.run(&["list"]).stdout;
    for (what, text, first, second) in [
        ("booklet", &book, "社会保险登记", "居住证申领"),
        ("site", &index, "社保</a>", "户籍</a>"),
        ("list", &list, "社会保险登记", "居住证申领"),
    ] {
        let (a, b) = (text.find(first), text.find(second));
        assert!(a.is_some() && a < b, "{what}: 社保 before 户籍\n{text}");
    }
}

#[test]
fn the_booklet_is_tagged_and_claims_no_standard_it_does_not_meet() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let cat = doc.catalog().unwrap();
    assert_eq!(cat.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
    // No output intent, so no PDF/X or PDF/A label either.
    assert!(cat.get(b"OutputIntents").is_err());
    let raw = String::from_utf8_lossy(&bytes);
    assert!(!raw.contains("GTS_PDFX") && !raw.contains("pdfxid") && !raw.contains("pdfaid"));
    // The structure names tables with header cells, lists, headings of
    // three levels and the cover's QR code as a figure with its address.
    let mut roles = std::collections::BTreeMap::<Vec<u8>, usize>::new();
    let mut alts = Vec::new();
    for (_, o) in doc.objects.iter() {
        if let Ok(d) = o.as_dict()
            && d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"StructElem".as_slice())
        {
            let s = d.get(b"S").unwrap().as_name().unwrap().to_vec();
            if s == b"Figure" {
                alts.push(d.get(b"Alt").unwrap().as_str().unwrap().to_vec());
            }
            *roles.entry(s).or_default() += 1;
        }
    }
    for r in [
        "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Link",
        "Figure",
    ] {
        assert!(roles.contains_key(r.as_bytes()), "no {r}: {roles:?}");
    }
    assert!(!alts.is_empty());
}

#[test]
fn a_table_row_extracts_cell_by_cell_in_reading_order() {
    let (_d, pdf) = build_demo_booklet(&[]);
    let t = text(&pdf, &[]);
    // The first material row of the passport matter: name, form, number,
    // necessity, note, each whole and in that order.
    let at = |s: &str, from: usize| from + t[from..].find(s).unwrap_or_else(|| panic!("{s}"));
    let name = at("居民身份证\n", t.find("往来港澳通行证签发").unwrap());
    let form = at("原件 1份", name);
    let need = at("必要", form);
    let note = at("可用电子证照", need);
    assert!(name < form && form < need && need < note);
}

/// What a reader meets in a PDF, page by page.
struct Reading {
    /// The text of each page (pdftotext).
    texts: Vec<String>,
    /// The outline: level, title, page.
    outline: Vec<(usize, String, usize)>,
    /// Each page's link targets: a page number, or an address.
    links: Vec<Vec<String>>,
    /// The structure tree in reading order: depth, type, and the page of
    /// each marked content.
    tree: Vec<String>,
}

fn reading(pdf: &[u8]) -> Reading {
    use lopdf::Object;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, pdf).unwrap();
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages = doc.get_pages();
    let number: std::collections::HashMap<lopdf::ObjectId, u32> =
        pages.iter().map(|(n, id)| (*id, *n)).collect();
    let texts = (1..=pages.len()).map(|n| page_text(&path, n)).collect();
    let outline = doc
        .get_toc()
        .unwrap()
        .toc
        .into_iter()
        .map(|t| (t.level, t.title, t.page))
        .collect();
    let deref = |o: &Object| match o {
        Object::Reference(r) => doc.get_object(*r).unwrap().clone(),
        o => o.clone(),
    };
    let links = pages
        .values()
        .map(|id| {
            doc.get_page_annotations(*id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| {
                    let action = deref(a.get(b"A").unwrap());
                    let action = action.as_dict().unwrap();
                    match action.get(b"D") {
                        Ok(d) => match &deref(d).as_array().unwrap()[0] {
                            Object::Reference(r) => format!("page {}", number[r]),
                            o => format!("{o:?}"),
                        },
                        Err(_) => format!("{:?}", action.get(b"URI").unwrap()),
                    }
                })
                .collect()
        })
        .collect();
    let mut tree = Vec::new();
    fn walk(
        doc: &lopdf::Document,
        number: &std::collections::HashMap<lopdf::ObjectId, u32>,
        o: &Object,
        page: Option<u32>,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        match o {
            Object::Reference(r) => {
                walk(doc, number, doc.get_object(*r).unwrap(), page, depth, out)
            }
            Object::Array(a) => {
                for k in a {
                    walk(doc, number, k, page, depth, out);
                }
            }
            Object::Integer(mcid) => out.push(format!("{depth} mcid {mcid} p{page:?}")),
            Object::Dictionary(d) => {
                let page = match d.get(b"Pg") {
                    Ok(Object::Reference(r)) => Some(number[r]),
                    _ => page,
                };
                match d.get(b"S").and_then(|s| s.as_name()) {
                    Ok(s) => out.push(format!("{depth} {} p{page:?}", String::from_utf8_lossy(s))),
                    Err(_) => out.push(format!("{depth} object p{page:?}")),
                }
                if let Ok(k) = d.get(b"K") {
                    walk(doc, number, k, page, depth + 1, out);
                }
            }
            _ => {}
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    walk(&doc, &number, &deref(root), None, 0, &mut tree);
    // MCIDs are numbered per page in the order written: the same.
    Reading {
        texts,
        outline,
        links,
        tree,
    }
}

/// The booklet is written as it is laid out: the matters as soon as they
/// are ready, the contents (which need every matter's page number) last,
/// then moved before the matters. A reader must find the booklet written
/// whole from the laid-out document: every page's text in its place, the
/// outline, the links and the structure tree in reading order, in both
/// editions.
#[test]
fn the_booklet_written_as_laid_out_reads_as_the_booklet_written_whole() {
    let (p, fonts, date, options) = demo_in_force();
    for print in [None, Some(booklet::Print { crop_marks: true })] {
        let streamed = booklet::write(&p, &fonts, options, &date, print).unwrap();
        let doc = match print {
            None => booklet::lay_out(&p, &fonts, options, &date),
            Some(pr) => booklet::lay_out_print(&p, &fonts, options, &date, pr),
        };
        let whole = guide::render::pdf::write(&doc, &fonts).unwrap();
        let (a, b) = (reading(&streamed), reading(&whole));
        assert_eq!(a.texts.len(), doc.pages.len());
        assert!(
            squeeze(&a.texts[2]).starts_with("目录出入境证件"),
            "the contents are the third page: {:?}",
            &a.texts[..4]
        );
        assert_eq!(a.texts, b.texts, "page texts");
        assert!(a.outline.len() > 10);
        assert_eq!(a.outline, b.outline, "outline");
        assert!(a.links.iter().flatten().any(|l| l.starts_with("page ")));
        assert_eq!(a.links, b.links, "links");
        assert!(a.tree.len() > 100);
        assert_eq!(a.tree, b.tree, "structure");
    }
}

/// What is wrong with the way back from content to structure in `pdf`
/// (what a screen reader or a checker follows from a point on a page),
/// and how many stretches and links were followed. The parent tree must
/// give, for every marked stretch of every page (its MCIDs numbered 0, 1,
/// … in the page's content) and for every link, the element whose kids
/// name it, and nothing else.
fn parent_tree_faults(pdf: &[u8]) -> (usize, Vec<String>) {
    use lopdf::{Object, ObjectId};
    use std::collections::HashMap;
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    let root = doc.get_dictionary(root.as_reference().unwrap()).unwrap();
    // Who names each stretch (page, MCID) and each annotation.
    let mut marks: HashMap<(ObjectId, i64), ObjectId> = HashMap::new();
    let mut annots: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut faults = Vec::new();
    let mut stack: Vec<ObjectId> = match root.get(b"K").unwrap() {
        Object::Reference(r) => vec![*r],
        Object::Array(a) => a.iter().map(|k| k.as_reference().unwrap()).collect(),
        o => panic!("{o:?}"),
    };
    while let Some(id) = stack.pop() {
        let e = doc.get_dictionary(id).unwrap();
        let pg = e.get(b"Pg").and_then(|p| p.as_reference()).ok();
        let kids = match e.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(k) => vec![k.clone()],
            Err(_) => vec![],
        };
        for k in kids {
            match k {
                Object::Reference(r) => stack.push(r),
                Object::Integer(m) => match pg {
                    Some(p) => {
                        marks.insert((p, m), id);
                    }
                    None => faults.push(format!("{id:?}: MCID {m} without /Pg")),
                },
                Object::Dictionary(d) => {
                    let page = d.get(b"Pg").and_then(|p| p.as_reference()).ok().or(pg);
                    match d.get(b"Type").and_then(|t| t.as_name()).unwrap() {
                        b"MCR" => {
                            let m = d.get(b"MCID").unwrap().as_i64().unwrap();
                            marks.insert((page.unwrap(), m), id);
                        }
                        b"OBJR" => {
                            annots.insert(d.get(b"Obj").unwrap().as_reference().unwrap(), id);
                        }
                        t => faults.push(format!("{id:?}: kid of type {t:?}")),
                    }
                }
                o => faults.push(format!("{id:?}: kid {o:?}")),
            }
        }
    }
    let parent_tree = root.get(b"ParentTree").unwrap().as_dict().unwrap();
    let nums = parent_tree.get(b"Nums").unwrap().as_array().unwrap();
    let entry: HashMap<i64, &Object> = nums
        .chunks(2)
        .map(|c| (c[0].as_i64().unwrap(), &c[1]))
        .collect();
    let mut followed = 0;
    for (n, page) in doc.get_pages() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
        let mcids: Vec<i64> = content
            .operations
            .iter()
            .filter(|o| o.operator == "BDC")
            .filter_map(|o| {
                o.operands
                    .get(1)?
                    .as_dict()
                    .ok()?
                    .get(b"MCID")
                    .ok()?
                    .as_i64()
                    .ok()
            })
            .collect();
        if mcids.iter().enumerate().any(|(i, &m)| m != i as i64) {
            faults.push(format!("page {n}: MCIDs {mcids:?}"));
        }
        let p = doc.get_dictionary(page).unwrap();
        match p.get(b"StructParents").and_then(|k| k.as_i64()) {
            Ok(key) => {
                let list = doc.get_object(entry[&key].as_reference().unwrap()).unwrap();
                let list = list.as_array().unwrap();
                if list.len() != mcids.len() {
                    faults.push(format!(
                        "page {n}: {} MCIDs, {} in the parent tree",
                        mcids.len(),
                        list.len()
                    ));
                }
                for (m, e) in list.iter().enumerate() {
                    if marks.get(&(page, m as i64)) != Some(&e.as_reference().unwrap()) {
                        faults.push(format!("page {n}: MCID {m} leads to {e:?}"));
                    }
                    followed += 1;
                }
            }
            Err(_) if !mcids.is_empty() => faults.push(format!("page {n}: no /StructParents")),
            Err(_) => {}
        }
        let links = match p.get(b"Annots") {
            Ok(Object::Array(a)) => a.iter().map(|r| r.as_reference().unwrap()).collect(),
            _ => vec![],
        };
        for a in links {
            let key = doc.get_dictionary(a).unwrap().get(b"StructParent");
            let via = key
                .ok()
                .and_then(|k| entry.get(&k.as_i64().ok()?)?.as_reference().ok());
            if via.is_none() || via != annots.get(&a).copied() {
                faults.push(format!("page {n}: link {a:?} leads to {via:?}"));
            }
            followed += 1;
        }
    }
    if followed != marks.len() + annots.len() {
        faults.push(format!(
            "{followed} followed, {} named",
            marks.len() + annots.len()
        ));
    }
    (followed, faults)
}

#[test]
fn the_parent_tree_leads_from_every_marked_stretch_and_link_to_its_element() {
    let (p, fonts, date, options) = demo_in_force();
    let notice = demo_notice(&p, &fonts, &Default::default());
    // The booklet written as laid out (the contents last, moved before
    // the matters), both editions, and a notice (PDF/A).
    let pdfs = [
        booklet::write(&p, &fonts, options, &date, None).unwrap(),
        booklet::write(
            &p,
            &fonts,
            options,
            &date,
            Some(booklet::Print { crop_marks: true }),
        )
        .unwrap(),
        guide::render::pdf::write(&notice, &fonts).unwrap(),
    ];
    for pdf in &pdfs {
        let (followed, faults) = parent_tree_faults(pdf);
        assert!(faults.is_empty(), "{faults:#?}");
        assert!(followed > 20, "{followed}");
    }
}

/// Every page of `pdf` as poppler draws it (PNG bytes, 50 dpi).
fn pictures(pdf: &[u8]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pdf");
    std::fs::write(&file, pdf).unwrap();
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "50",
            file.to_str().unwrap(),
            dir.path().join("p").to_str().unwrap(),
        ],
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// The font programs embedded in `pdf` (inflated).
fn font_programs(pdf: &[u8]) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .is_ok_and(|v| v.as_name().is_ok_and(|n| n == b"CIDFontType0C"))
        })
        .map(|s| s.decompressed_content().unwrap())
        .collect()
}

/// The `/FontBBox` of every font descriptor in `pdf`, sorted, to 0.01.
fn font_boxes(pdf: &[u8]) -> Vec<Vec<i64>> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut boxes: Vec<Vec<i64>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Type")
                .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"FontDescriptor"))
        })
        .map(|d| {
            d.get(b"FontBBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (v.as_float().unwrap() * 100.0).round() as i64)
                .collect()
        })
        .collect();
    boxes.sort();
    boxes
}

/// The CJK faces are embedded from programs prepared once per build
/// (`layout::cff`), not subset again by the PDF writer for each file. The
/// booklet and a filled notice written that way look exactly as when the
/// writer subsets the faces itself: poppler draws every page to the same
/// picture, the text reads the same, and no stand-in (empty glyphs that
/// only name the face's) is left in the file.
#[test]
fn faces_embedded_from_their_prepared_programs_draw_as_when_subset_for_each_file() {
    let (p, fonts, date, options) = demo_in_force();
    let filled = guide::render::notice::Filled {
        number: Some("示政服告〔2026〕12号".to_owned()),
        applicant: Some("张三丰".to_owned()),
        ..Default::default()
    };
    let docs = [
        booklet::lay_out(&p, &fonts, options, &date),
        demo_notice(&p, &fonts, &filled),
    ];
    for doc in &docs {
        let write = |opts| guide::render::pdf::write_with(doc, &fonts, opts).unwrap();
        let prepared = write(guide::render::notice_options());
        let subset = write(guide::render::pdf::Options::default());
        assert_ne!(prepared, subset, "the programs differ");
        let programs = font_programs(&prepared);
        assert_eq!(programs.len(), 2, "regular and bold");
        for cff in &programs {
            // A CFF program (major version 1), not a stand-in's subset
            // (a TrueType file).
            assert_eq!(cff.first(), Some(&1), "a stand-in was left");
            assert!(guide::layout::cff::stand_in_glyphs(cff).is_none());
        }
        // The descriptors give the box of the glyphs embedded, as krilla
        // measures them.
        assert_eq!(font_boxes(&prepared), font_boxes(&subset));
        assert_eq!(font_boxes(&prepared).len(), 2);
        let (a, b) = (pictures(&prepared), pictures(&subset));
        assert_eq!(a.len(), doc.pages.len());
        assert!(a == b, "pages drawn differently");
        let text = |pdf: &[u8]| {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("a.pdf");
            std::fs::write(&f, pdf).unwrap();
            text(&f, &["-raw"])
        };
        assert_eq!(text(&prepared), text(&subset));
        assert!(squeeze(&text(&prepared)).len() > 500);
    }
}
