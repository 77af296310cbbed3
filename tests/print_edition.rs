//! The booklet's print edition (`guide build --print`, `booklet.print`):
//! checked on the laid-out document (sheet, trim and bleed, what runs to
//! the bleed edge, crop marks, page count, blank pages, back cover) and on
//! the files `guide build` writes (boxes, byte-identical builds, the
//! screen edition untouched).

mod common;
use common::*;
use guide::layout::sheet;
use guide::layout::{Area, Document, Ink, Item, Page, Rgb};
use guide::model::Paper;
use guide::render::booklet::{self, Options, Print};
use std::path::{Path, PathBuf};

const A5: Options = Options {
    paper: Paper::A5,
    large_print: false,
};

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// A corpus of `n` matters from `bench/gen_corpus.py`, made once per test
/// binary.
fn corpus(n: usize) -> PathBuf {
    common::gen_corpus(&format!("print-edition-corpus-{n}"), n, "20261201")
}

/// The project at `root`, and its screen and print editions.
struct Editions {
    project: guide::load::Project,
    screen: Document,
    print: Document,
}

fn editions(root: &Path, options: Options, print: Print) -> Editions {
    let (mut p, _) = guide::load::load(root).unwrap();
    p.in_force(guide::date::Date::today());
    let mut fonts = p.fonts().unwrap();
    fonts.prepare(&guide::validate::glyphs::charset(&p));
    let date = guide::render::build_date(&p);
    let screen = booklet::lay_out(&p, &fonts, options, &date);
    let print = booklet::lay_out_print(&p, &fonts, options, &date, print);
    Editions {
        project: p,
        screen,
        print,
    }
}

fn text(page: &Page) -> String {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) => Some(r.text.as_str()),
            _ => None,
        })
        .collect()
}

fn is_mark(i: &Item) -> bool {
    matches!(i, Item::Line { stroke, .. } if *stroke == sheet::MARK)
}

#[test]
fn the_page_count_is_a_multiple_of_four_and_sections_start_where_they_did() {
    let mut padded = std::collections::BTreeSet::new();
    let roots: Vec<PathBuf> = [1, 2, 3, 4, 5, 6, 9]
        .into_iter()
        .map(corpus)
        .chain([demo()])
        .collect();
    for root in &roots {
        let e = editions(root, A5, Print::default());
        let (s, p) = (&e.screen.pages, &e.print.pages);
        assert!(
            p.len().is_multiple_of(4),
            "{}: {} pages",
            root.display(),
            p.len()
        );
        // The screen edition's pages, then blank pages, then the back cover.
        assert!(p.len() > s.len() && p.len() - s.len() <= 4);
        assert_eq!(e.print.bookmarks, e.screen.bookmarks, "{}", root.display());
        for (a, b) in s.iter().zip(p) {
            assert_eq!(a.anchors, b.anchors);
        }
        padded.insert(p.len() - s.len() - 1);
        for page in &p[s.len()..p.len() - 1] {
            assert_eq!(text(page), guide::present::NO_TEXT);
        }
        assert_eq!(e.print.ink, Ink::Print);
        assert_eq!(e.screen.ink, Ink::Screen);
    }
    // The corpora needed different numbers of blank pages (0 to 3).
    assert!(padded.len() >= 3, "blank pages added: {padded:?}");
}

#[test]
fn a_blank_page_says_no_text_small_and_centred_and_nothing_else() {
    let mut blanks = 0;
    for n in [1, 2, 3, 5] {
        let e = editions(&corpus(n), A5, Print::default());
        let last = e.print.pages.len() - 1;
        for (i, page) in e.print.pages.iter().enumerate() {
            // The screen edition's empty pages and the pages added.
            let empty = e.screen.pages.get(i).is_none_or(|s| s.items.is_empty());
            if !empty || i == last {
                assert_ne!(text(page), guide::present::NO_TEXT);
                continue;
            }
            blanks += 1;
            assert_eq!(page.items.len(), 1, "page {}: {:?}", i + 1, page.items);
            let Item::Text(r) = &page.items[0] else {
                panic!("page {}: {:?}", i + 1, page.items[0]);
            };
            assert_eq!(r.text, guide::present::NO_TEXT);
            assert!(r.size < 10.0, "small: {} pt", r.size);
            let t = page.trim.unwrap();
            let centre = r.x + r.width / 2.0;
            assert!(
                (centre - (t.x + t.w / 2.0)).abs() < 1.0,
                "centred: {centre}"
            );
            assert!((r.y - (t.y + t.h / 2.0)).abs() < 20.0, "middle: {}", r.y);
        }
    }
    assert!(blanks >= 3, "{blanks} blank pages seen");
}

#[test]
fn the_back_cover_has_the_contacts_the_site_qr_code_the_edition_and_the_checksum() {
    let e = editions(&demo(), A5, Print::default());
    let back = e.print.pages.last().unwrap();
    let flat = text(back);
    let config = e.project.config.as_ref().unwrap();
    assert!(flat.contains(config.organization.value.as_str()));
    let contacts = guide::present::project_contacts(&e.project);
    for key in ["contact.consult", "contact.complaint", "contact.address"] {
        let f = contacts.iter().find(|f| f.key == key).expect(key);
        assert!(
            flat.contains(&format!("{}：{}", f.label, f.text)),
            "{key} missing: {flat}"
        );
    }
    let hash = format!("{:08x}", e.project.content_hash >> 32);
    assert!(flat.contains(&format!("数据校验码：{hash}")), "{flat}");
    assert!(flat.contains(config.edition.as_ref().unwrap().value.as_str()));
    assert!(flat.contains(&format!("编印日期：{}", e.print.date)));
    // The QR code is the site's: the same squares as a code of base_url.
    let url = config.base_url.as_ref().unwrap().value.as_str();
    let at = back
        .items
        .iter()
        .position(|i| {
            matches!(
                i,
                Item::Rect {
                    fill: Some(Rgb::WHITE),
                    ..
                }
            )
        })
        .expect("a QR code");
    let Item::Rect { x, y, w, .. } = back.items[at] else {
        unreachable!()
    };
    // The white square and the modules (the code is also tagged as a
    // figure).
    let code: Vec<Item> = guide::layout::qr(url, x, y, w)
        .into_iter()
        .filter(|i| matches!(i, Item::Rect { .. } | Item::Grid { .. }))
        .collect();
    let modules: usize = code
        .iter()
        .map(|i| match i {
            Item::Grid { squares, .. } => squares
                .iter()
                .map(|s| usize::from(s[2]) * usize::from(s[3]))
                .sum(),
            _ => 0,
        })
        .sum();
    assert!(modules > 50, "{modules}");
    let same = |a: &Item, b: &Item| match (a, b) {
        (
            Item::Grid {
                x,
                y,
                cell,
                fill,
                squares,
            },
            Item::Grid {
                x: x2,
                y: y2,
                cell: cell2,
                fill: fill2,
                squares: squares2,
            },
        ) => {
            fill == fill2
                && squares == squares2
                && [(x, x2), (y, y2), (cell, cell2)]
                    .iter()
                    .all(|(a, b)| (*a - *b).abs() < 0.01)
        }
        _ => match (filled(a), filled(b)) {
            (Some(a), Some(b)) => {
                a.4 == b.4
                    && [(a.0, b.0), (a.1, b.1), (a.2, b.2), (a.3, b.3)]
                        .iter()
                        .all(|(x, y)| (x - y).abs() < 0.01)
            }
            _ => false,
        },
    };
    let drawn = &back.items[at..(at + code.len()).min(back.items.len())];
    assert!(
        drawn.len() == code.len() && drawn.iter().zip(&code).all(|(a, b)| same(a, b)),
        "the back cover's QR code is not one of {url}"
    );
    // The front cover's words under the code, and the address.
    assert!(flat.contains(&format!("{}{url}", guide::present::SCAN_SITE)));
    // Everything on it lies inside the trim (bar the band, which bleeds).
    let t = back.trim.unwrap();
    for i in &back.items {
        if let Item::Text(r) = i {
            assert!(r.x >= t.x && r.x + r.width <= t.x + t.w, "{:?}", r.text);
            assert!(r.y > t.y && r.y < t.y + t.h, "{:?}", r.text);
        }
    }
    // The screen edition has no back cover: its last page is a matter's.
    assert!(!text(e.screen.pages.last().unwrap()).contains("数据校验码："));
}

#[test]
fn the_sheet_is_the_trim_plus_bleed_plus_room_for_crop_marks_when_asked() {
    for (options, (w, h)) in [
        (A5, (148.0, 210.0)),
        (
            Options {
                paper: Paper::A4,
                large_print: true,
            },
            (210.0, 297.0),
        ),
    ] {
        for marks in [false, true] {
            let e = editions(&demo(), options, Print { crop_marks: marks });
            let m = if marks {
                sheet::marks_margin()
            } else {
                mm(3.0)
            };
            if marks {
                assert!(sheet::marks_margin() > mm(3.0) + mm(5.0));
            }
            for page in &e.print.pages {
                let near = |a: f32, b: f32| (a - b).abs() < 0.01;
                assert!(near(page.width, mm(w) + 2.0 * m), "{}", page.width);
                assert!(near(page.height, mm(h) + 2.0 * m), "{}", page.height);
                let t = page.trim.unwrap();
                assert!(near(t.x, m) && near(t.y, m) && near(t.w, mm(w)) && near(t.h, mm(h)));
                let b = page.bleed.unwrap();
                let want = Area {
                    x: m - mm(3.0),
                    y: m - mm(3.0),
                    w: mm(w) + mm(6.0),
                    h: mm(h) + mm(6.0),
                };
                assert!(
                    near(b.x, want.x)
                        && near(b.y, want.y)
                        && near(b.w, want.w)
                        && near(b.h, want.h),
                    "{b:?}"
                );
            }
            for page in &e.screen.pages {
                assert_eq!((page.trim, page.bleed), (None, None));
            }
        }
    }
}

/// A filled rectangle's edges: left, top, right, bottom.
fn filled(i: &Item) -> Option<(f32, f32, f32, f32, Rgb)> {
    match *i {
        Item::Rect {
            x,
            y,
            w,
            h,
            fill: Some(c),
            ..
        } => Some((x, y, x + w, y + h, c)),
        _ => None,
    }
}

#[test]
fn the_cover_band_and_the_thumb_tabs_run_to_the_bleed_edge() {
    let e = editions(&demo(), A5, Print::default());
    let (mut band, mut tabs_left, mut tabs_right) = (0, 0, 0);
    for (s, p) in e.screen.pages.iter().zip(&e.print.pages) {
        let (trim, bleed) = (p.trim.unwrap(), p.bleed.unwrap());
        for (a, b) in s.items.iter().zip(&p.items) {
            let (Some((l, t, r, btm, c)), Some((pl, pt, pr, pb, pc))) = (filled(a), filled(b))
            else {
                assert_eq!(filled(a).is_some(), filled(b).is_some());
                continue;
            };
            assert_eq!(c, pc);
            let near = |a: f32, b: f32| (a - b).abs() < 0.01;
            // Each edge on the trim runs to the bleed's; the others move
            // with the page.
            let edges = [
                (l <= 0.01, pl, bleed.x, l + trim.x),
                (t <= 0.01, pt, bleed.y, t + trim.y),
                (r >= s.width - 0.01, pr, bleed.x + bleed.w, r + trim.x),
                (btm >= s.height - 0.01, pb, bleed.y + bleed.h, btm + trim.y),
            ];
            for (touches, got, edge, moved) in edges {
                assert!(
                    near(got, if touches { edge } else { moved }),
                    "{a:?} → {b:?}"
                );
            }
            if l <= 0.01 && t <= 0.01 && r >= s.width - 0.01 {
                band += 1;
            } else if l <= 0.01 {
                tabs_left += 1;
            } else if r >= s.width - 0.01 {
                tabs_right += 1;
            }
        }
    }
    assert!(
        band >= 1 && tabs_left > 5 && tabs_right > 5,
        "{band} {tabs_left} {tabs_right}"
    );
}

#[test]
fn crop_marks_only_when_asked_and_outside_the_bleed() {
    let plain = editions(&demo(), A5, Print { crop_marks: false });
    for page in &plain.print.pages {
        assert!(!page.items.iter().any(is_mark));
        // Nothing is drawn outside the bleed.
        let b = page.bleed.unwrap();
        for i in &page.items {
            if let Item::Line { x1, y1, x2, y2, .. } = *i {
                for (x, y) in [(x1, y1), (x2, y2)] {
                    assert!(x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h);
                }
            }
        }
    }
    let marked = editions(&demo(), A5, Print { crop_marks: true });
    for page in &marked.print.pages {
        let marks: Vec<&Item> = page.items.iter().filter(|i| is_mark(i)).collect();
        assert_eq!(marks.len(), 8);
        let b = page.bleed.unwrap();
        for m in marks {
            let Item::Line { x1, y1, x2, y2, .. } = *m else {
                unreachable!()
            };
            // Wholly on one side of the bleed box, a millimetre clear of it.
            let gap = mm(1.0) - 0.01;
            let clear = (x1.max(x2) <= b.x - gap)
                || (x1.min(x2) >= b.x + b.w + gap)
                || (y1.max(y2) <= b.y - gap)
                || (y1.min(y2) >= b.y + b.h + gap);
            assert!(clear, "{m:?} touches {b:?}");
            assert!(x1.min(x2) >= 0.0 && x1.max(x2) <= page.width);
            assert!(y1.min(y2) >= 0.0 && y1.max(y2) <= page.height);
        }
    }
}

/// Builds the demo's booklet with `extra` into a fresh folder.
fn build(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    build_demo("booklet", extra)
}

#[test]
fn the_screen_edition_is_untouched_and_the_print_edition_is_reproducible() {
    let (_a, plain) = build(&[]);
    assert!(!plain.join("booklet-print.pdf").exists());
    let (_b, print) = build(&["--print"]);
    let screen = std::fs::read(plain.join("booklet.pdf")).unwrap();
    assert_eq!(screen, std::fs::read(print.join("booklet.pdf")).unwrap());
    let first = std::fs::read(print.join("booklet-print.pdf")).unwrap();
    // The marker lists the new file (a later build replaces it).
    let marker = std::fs::read_to_string(print.join(guide::load::OUTPUT_MARKER)).unwrap();
    assert!(marker.lines().any(|l| l == "booklet-print.pdf"), "{marker}");
    // Same input, other thread counts: the same bytes.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let run = run_guide_env(
        dir.path(),
        &[
            "build",
            "--only",
            "booklet",
            "--print",
            "--project",
            demo().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[
            ("SOURCE_DATE_EPOCH", TODAY_EPOCH),
            ("RAYON_NUM_THREADS", "1"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(first == std::fs::read(out.join("booklet-print.pdf")).unwrap());
    assert!(screen != first);
}

/// The boxes of a PDF's pages (`pdfinfo -box`, first page).
fn boxes(pdf: &Path) -> String {
    let out = std::process::Command::new("pdfinfo")
        .args(["-box", pdf.to_str().unwrap()])
        .output()
        .expect("pdfinfo (poppler-utils) is needed for these tests");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn a_box(info: &str, name: &str) -> Vec<f32> {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name}: {info}"))
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect()
}

#[test]
fn the_pdf_sets_trim_and_bleed_boxes_and_guide_yaml_can_ask_for_crop_marks() {
    let p = TestProject::new().file(
        "guide.yaml",
        &format!("{CONFIG}booklet:\n  print: true\n  crop_marks: true\n"),
    );
    let run = p.run(&["build", "--only", "booklet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let info = boxes(&p.path().join("dist/booklet-print.pdf"));
    let media = a_box(&info, "MediaBox");
    let (trim, bleed) = (a_box(&info, "TrimBox"), a_box(&info, "BleedBox"));
    let m = sheet::marks_margin();
    let near = |a: f32, b: f32| (a - b).abs() < 0.02;
    assert!(near(media[2], mm(148.0) + 2.0 * m), "{info}");
    assert!(
        near(trim[0], m) && near(trim[2] - trim[0], mm(148.0)),
        "{info}"
    );
    assert!(near(trim[3] - trim[1], mm(210.0)), "{info}");
    assert!(
        near(bleed[0], m - mm(3.0)) && near(bleed[2] - bleed[0], mm(154.0)),
        "{info}"
    );
    // The screen edition has no boxes of its own.
    let screen = boxes(&p.path().join("dist/booklet.pdf"));
    assert_eq!(a_box(&screen, "TrimBox"), a_box(&screen, "MediaBox"));
    // Without the setting, no print edition.
    let p = TestProject::new();
    assert_eq!(p.run(&["build", "--only", "booklet"]).code, 0);
    assert!(!p.path().join("dist/booklet-print.pdf").exists());
}

/// The boxes of what a page draws: text runs (from a size above the
/// baseline to a fifth below) and filled rectangles but the band.
fn boxes_of(page: &Page) -> Vec<(f32, f32, f32, f32, String)> {
    let mut out = Vec::new();
    for i in &page.items {
        match i {
            Item::Text(r) => out.push((
                r.x,
                r.y - r.size * 0.9,
                r.x + r.width,
                r.y + r.size * 0.2,
                r.text.clone(),
            )),
            Item::Rect {
                x,
                y,
                w,
                h,
                fill: Some(Rgb::WHITE),
                ..
            } => out.push((*x, *y, x + w, y + h, "QR".into())),
            _ => {}
        }
    }
    out
}

#[test]
fn nothing_on_the_back_cover_overlaps_whatever_the_paper_size_or_contacts() {
    let long = TestProject::new().file(
        "guide.yaml",
        &format!("{CONFIG}base_url: https://zwfw.example.gov.cn/guide/\n").replace(
                "  complaint: \"12345\"\n",
                "  complaint: [\"12345\", \"0991-7654321\", \"0991-7654322\"]\n  \
                 letters: 测试市新市区北京南路337号测试市政务服务中心综合服务楼一楼群众来信接待室 邮编830011\n  \
                 address: 测试市新市区北京南路337号测试市政务服务中心综合服务楼一楼\n  \
                 hours: 周一至周五 9:30—13:30，15:30—19:30（法定节假日除外，周六上午延时服务）\n  \
                 online: https://zwfw.example.gov.cn/hudong/zixun/tousu/index.html\n  \
                 email: zwfw-zixun-tousu@example.gov.cn\n",
        ),
    );
    let large = Options {
        paper: Paper::A5,
        large_print: true,
    };
    let a4 = Options {
        paper: Paper::A4,
        large_print: false,
    };
    for root in [demo(), long.path().to_path_buf()] {
        for options in [A5, large, a4] {
            let e = editions(&root, options, Print::default());
            let back = e.print.pages.last().unwrap();
            let flat = text(back);
            assert!(flat.contains("0991-7654322") || root == demo(), "{flat}");
            let b = boxes_of(back);
            assert!(b.iter().any(|x| x.4 == "QR"), "{flat}");
            for (i, x) in b.iter().enumerate() {
                for y in &b[i + 1..] {
                    let apart = x.2 <= y.0 || y.2 <= x.0 || x.3 <= y.1 || y.3 <= x.1;
                    assert!(apart, "{options:?}: {:?} overlaps {:?}", x.4, y.4);
                }
            }
        }
    }
}

#[test]
fn a_booklet_built_without_the_print_edition_leaves_no_older_one_beside_it() {
    let p = TestProject::new();
    for only in [&["--only", "booklet"][..], &[]] {
        let mut args = vec!["build", "--print"];
        args.extend(only);
        assert_eq!(p.run(&args).code, 0);
        let print = p.path().join("dist/booklet-print.pdf");
        assert!(print.exists());
        // `--check` without `--print`: the print edition is one too many.
        let check = p.run(&["build", "--check", "--only", "booklet"]);
        assert_eq!(check.code, 1, "{}", check.stderr);
        assert!(
            check.stderr.contains("多余 booklet-print.pdf"),
            "{}",
            check.stderr
        );
        let mut args = vec!["build"];
        args.extend(only);
        let run = p.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!print.exists(), "{only:?}");
        assert!(p.path().join("dist/booklet.pdf").exists());
        let marker =
            std::fs::read_to_string(p.path().join("dist").join(guide::load::OUTPUT_MARKER))
                .unwrap();
        assert!(!marker.contains("booklet-print.pdf"), "{marker}");
        let check = p.run(&["build", "--check", "--only", "booklet"]);
        assert_eq!(check.code, 0, "{}", check.stderr);
    }
}
