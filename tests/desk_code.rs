//! The desk code: a numbered notice of a project that names its desk
//! (`notice.desk_url`) carries a second QR code that opens the notice on
//! the hall server's desk; a blank notice carries none. The CLI and the
//! server issue through the same `notice::issue`, so both print it.

mod common;

use common::demo;
use guide::layout::{Document, Item};
use guide::register::{Creation, SqliteRegister};

fn project() -> guide::load::Project {
    let loaded = guide::load::load(&demo()).unwrap();
    let mut p = guide::check::valid(loaded).ok().unwrap();
    p.in_force(guide::date::Date::parse("2026-06-01").unwrap());
    p
}

/// The filled rectangles of page 1 (its QR codes: their white squares and
/// the rectangles of their modules), as (x, y, w).
fn modules(doc: &Document) -> Vec<(f32, f32, f32)> {
    rectangles(&doc.pages[0].items)
}

/// The filled rectangles of `items`, a grid's in points, as (x, y, w).
fn rectangles(items: &[Item]) -> Vec<(f32, f32, f32)> {
    let mut out = Vec::new();
    for i in items {
        match i {
            Item::Rect {
                x,
                y,
                w,
                fill: Some(_),
                ..
            } => out.push((*x, *y, *w)),
            Item::Grid {
                x,
                y,
                cell,
                squares,
                ..
            } => out.extend(squares.iter().map(|&[c, r, w, _]| {
                (
                    x + f32::from(c) * cell,
                    y + f32::from(r) * cell,
                    f32::from(w) * cell,
                )
            })),
            _ => {}
        }
    }
    out
}

/// `v` moved so that its top left module is at (0, 0), in tenths of a
/// point.
fn normalised(v: &[(f32, f32, f32)]) -> Vec<(i64, i64, i64)> {
    let x0 = v.iter().map(|m| m.0).fold(f32::MAX, f32::min);
    let y0 = v.iter().map(|m| m.1).fold(f32::MAX, f32::min);
    let r = |v: f32| (v * 10.0).round() as i64;
    let mut o: Vec<_> = v
        .iter()
        .map(|m| (r(m.0 - x0), r(m.1 - y0), r(m.2)))
        .collect();
    o.sort();
    o
}

#[test]
fn the_desk_link_is_the_desks_address_with_the_notices_year_and_sequence() {
    let p = project();
    assert_eq!(
        guide::present::desk_link(&p, 2026, 17, None).as_deref(),
        Some("https://dating.example.gov.cn/desk/n/2026-17")
    );
    assert_eq!(
        guide::present::desk_origin(" https://Hall.example:8443/guide/ ").as_deref(),
        Some("https://Hall.example:8443/guide")
    );
    for bad in [
        "dating.example.gov.cn",
        "https://",
        "https:///x",
        "https://a/?q=1",
        "ftp://a",
        "https://a b/",
    ] {
        assert_eq!(guide::present::desk_origin(bad), None, "{bad}");
    }
}

#[test]
fn a_numbered_notice_carries_the_desk_code_of_its_link_and_a_blank_one_none() {
    let p = project();
    let g = &p.guide("passport").unwrap().guide;
    let list = guide::model::resolve::materials(
        g,
        &p.catalogue,
        guide::model::resolve::Selection::Situations(&[]),
    );
    let fonts = guide::notice::prepared_fonts(&p).unwrap();
    let link = "https://dating.example.gov.cn/desk/n/2026-1";
    let filled = |number: Option<&str>, desk: Option<&str>| guide::render::notice::Filled {
        number: number.map(str::to_owned),
        applicant: number.map(|_| "张三".to_owned()),
        desk: desk.map(str::to_owned),
        ..Default::default()
    };
    let lay = |f| guide::render::notice::lay_out(&p, g, &list[..1], &f, &fonts);
    let with = modules(&lay(filled(Some("乌政服告〔2026〕1号"), Some(link))));
    let without = modules(&lay(filled(Some("乌政服告〔2026〕1号"), None)));
    // What the desk code adds is exactly the QR code of the link.
    let added: Vec<_> = with
        .iter()
        .filter(|m| !without.contains(m))
        .copied()
        .collect();
    let expected = rectangles(&guide::layout::qr(link, 0.0, 0.0, 46.0));
    assert!(!expected.is_empty());
    assert_eq!(normalised(&added), normalised(&expected));
    // Another link, another code.
    let other = modules(&lay(filled(
        Some("乌政服告〔2026〕1号"),
        Some("https://dating.example.gov.cn/desk/n/2026-2"),
    )));
    assert_ne!(other, with);
    // A blank notice (no number) never carries one.
    let blank = modules(&lay(filled(None, Some(link))));
    let blank_plain = modules(&lay(filled(None, None)));
    assert_eq!(blank, blank_plain);
}

#[test]
fn issuing_prints_the_link_of_the_number_it_gets() {
    let p = project();
    let dir = tempfile::tempdir().unwrap();
    let (register, _) =
        SqliteRegister::open_for_issue(&dir.path().join("n.db"), Creation::Asked, |_| {}).unwrap();
    let req = |name: &str| guide::notice::Request {
        matter: "passport".into(),
        situations: vec![],
        members: vec![],
        missing: vec!["1".into()],
        defects: vec![],
        applicant: name.into(),
        phone: None,
        window: None,
        clerk: None,
        received: None,
        target: guide::notice::Target::Bytes,
        protect: vec![],
        hall: None,
    };
    let now = 1_780_279_200; // 2026-06-01 10:00 Beijing time
    let first = guide::notice::issue(&p, &req("张三"), now, &register).unwrap();
    let second = guide::notice::issue(&p, &req("李四"), now, &register).unwrap();
    assert_eq!(
        first.desk.as_deref(),
        Some("https://dating.example.gov.cn/desk/n/2026-1")
    );
    assert_eq!(
        second.desk.as_deref(),
        Some("https://dating.example.gov.cn/desk/n/2026-2")
    );
    // The server issues with fonts prepared once: the same bytes.
    let fonts = std::sync::Arc::new(guide::notice::prepared_fonts(&p).unwrap());
    let dir2 = tempfile::tempdir().unwrap();
    let (register2, _) =
        SqliteRegister::open_for_issue(&dir2.path().join("n.db"), Creation::Asked, |_| {}).unwrap();
    let again = guide::notice::issue_with(&p, &req("张三"), now, &register2, fonts).unwrap();
    assert_eq!(again.pdf, first.pdf);
}

#[test]
fn a_desk_address_that_is_no_address_is_an_error_of_guide_check() {
    let p = common::TestProject::new();
    let config = std::fs::read_to_string(p.path().join("guide.yaml")).unwrap();
    let p = p.file(
        "guide.yaml",
        &format!("{config}\nnotice:\n  desk_url: dating.example.gov.cn/desk\n"),
    );
    let out = p.check();
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("窗口工作台的地址 `dating.example.gov.cn/desk` 不对"),
        "{}",
        out.stderr
    );
    let good = out_with(&p, "https://dating.example.gov.cn/");
    assert_eq!(good.code, 0, "{}", good.stderr);
}

fn out_with(p: &common::TestProject, url: &str) -> common::Output {
    let config = std::fs::read_to_string(p.path().join("guide.yaml")).unwrap();
    let config = config.replace("dating.example.gov.cn/desk", url);
    std::fs::write(p.path().join("guide.yaml"), config).unwrap();
    p.check()
}

#[test]
fn a_hall_numbering_on_its_own_puts_the_whole_number_in_the_desk_code() {
    // The demo with `{hall}` in its number pattern.
    let here = tempfile::tempdir().unwrap();
    let copy = here.path().join("guides");
    let ok = std::process::Command::new("cp")
        .arg("-r")
        .arg(demo())
        .arg(&copy)
        .status()
        .unwrap();
    assert!(ok.success());
    let yaml = copy.join("guide.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap();
    assert!(config.contains("〔{year}〕{seq}号"));
    std::fs::write(
        &yaml,
        config.replace("〔{year}〕{seq}号", "〔{year}〕{hall}{seq}号"),
    )
    .unwrap();
    let loaded = guide::load::load(&copy).unwrap();
    let mut p = guide::check::valid(loaded).ok().unwrap();
    p.in_force(guide::date::Date::parse("2026-06-01").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let (register, _) =
        SqliteRegister::open_for_issue(&dir.path().join("n.db"), Creation::Asked, |_| {}).unwrap();
    let req = guide::notice::Request {
        matter: "passport".into(),
        situations: vec![],
        members: vec![],
        missing: vec!["1".into()],
        defects: vec![],
        applicant: "张三".into(),
        phone: None,
        window: None,
        clerk: None,
        received: None,
        target: guide::notice::Target::Bytes,
        protect: vec![],
        hall: Some("东区".into()),
    };
    let now = 1_780_279_200; // 2026-06-01 10:00 Beijing time
    let issued = guide::notice::issue(&p, &req, now, &register).unwrap();
    let desk = issued.desk.expect("a desk code");
    let path = guide::present::desk_notice_path(2026, 1, Some(&issued.notice.number));
    assert!(
        issued.notice.number.contains("东区"),
        "{}",
        issued.notice.number
    );
    assert_eq!(desk, format!("https://dating.example.gov.cn{path}"));
    assert!(desk.is_ascii() && !desk.ends_with("/2026-1"), "{desk}");
}
