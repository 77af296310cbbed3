//! Lines and pages as a reader sees them on paper, measured on the demo and
//! on a generated 300-matter corpus: space per gap of every justified line,
//! single characters alone on a last line, quantities, labels and web
//! addresses split across lines, pairs split across pages, thumb tabs, and
//! a long notice at one type size.

mod common;
use common::*;
use guide::layout::breaking;
use guide::layout::text::LOOSE;
use guide::model::Paper;
use guide::render::booklet::{self, Options, SetLine};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const A5: Options = Options {
    paper: Paper::A5,
    large_print: false,
};

/// The 300-matter corpus of `bench/gen_corpus.py` (seed fixed), made once.
fn corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| gen_corpus("print-lines-corpus-300", 300, "20260401"))
}

/// The booklet of `root` built by the binary; its PDF.
fn booklet_pdf(root: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("print-lines-{name}"));
    let _ = std::fs::remove_dir_all(&out);
    let mut args: Vec<&str> = vec!["build", "--only", "booklet", "--project"];
    args.push(root.to_str().unwrap());
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    let run = run_guide(Path::new(env!("CARGO_TARGET_TMPDIR")), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out.join("booklet.pdf")
}

fn lines(root: &Path, options: Options) -> Vec<SetLine> {
    booklet::set_lines(root, options).expect("the booklet is laid out")
}

fn loose(lines: &[SetLine]) -> Vec<&SetLine> {
    lines
        .iter()
        .filter(|l| !l.last && l.spread > LOOSE + 1e-3)
        .collect()
}

/// Measured after the total-fit breaker (2026-12-01): demo 3 of 262
/// lines over 0.1 em (worst 0.18), large print 69 of 767 (worst 0.25),
/// corpus 84 of 3,292 (worst 0.20); before it the corpus had lines of 4 em
/// and more. With last-resort breaks after a document number's year
/// (`国办发〔2015〕| 96号`) and after the sign between two quantities with
/// units (`48mm×| 33mm`): demo 3 (worst 0.11), large print 70 (worst
/// 0.25), corpus 6 (worst 0.17). With full-width marks that may give up
/// part of their blank half when a line is a little too long (all of a
/// line's alike, only where the other breaks leave a line looser than
/// 0.1 em) and a break before a full-width opening mark after a digit
/// (`19:30|（法定节假日除外）`): demo 0 of 256 (worst 0.086), large print 3
/// of 711 (worst 0.143), corpus 0 of 3,246 (worst 0.099); of all their
/// lines 8 of 1,292, 85 of 2,168 and 84 of 19,921 shrunk. The three left
/// are one line of office hours in large print, `办公时间：周一至周五
/// 9:30—13:30，15:30—| 19:30；周六 10:00—14:00`: on its 21.9-em line it
/// may break only after `13:30，` (16.6 em), after `15:30—` (20 em, 13
/// gaps outside the time ranges: 0.143 em each) or after `19:30；` (23.5
/// em, 1.6 em too long for the 1.5 em its three marks may give). Beyond 0.25 em a line is set flush left (none in the demo),
/// as are lines mostly of a web address (174 in the corpus).
/// `MEASURE=1 cargo test --test print_lines -- --nocapture` lists them.
#[test]
fn no_justified_line_spreads_more_than_a_tenth_of_an_em_per_gap() {
    let large = Options {
        large_print: true,
        ..A5
    };
    // (share of lines allowed over 0.1 em, worst em per gap, share of
    // lines shrunk)
    for (name, root, options, share, most, shrunk_share) in [
        ("demo", demo(), A5, 0.0, 0.1, 0.01),
        ("demo, large print", demo(), large, 0.005, 0.15, 0.05),
        ("corpus", corpus().to_path_buf(), A5, 0.0, 0.1, 0.01),
    ] {
        let all = lines(&root, options);
        let justified = all.iter().filter(|l| !l.last).count();
        assert!(justified > 100, "{name}: {justified} lines");
        let bad = loose(&all);
        let worst = all
            .iter()
            .filter(|l| !l.last)
            .map(|l| l.spread)
            .fold(0.0, f32::max);
        // A line set ragged is mostly a web address, or one of very few
        // that could only have been justified with holes.
        let holes: Vec<&SetLine> = all
            .iter()
            .filter(|l| {
                let latin = l.text.chars().filter(|c| c.is_ascii_graphic()).count();
                l.ragged && latin * 3 < l.text.chars().count()
            })
            .collect();
        eprintln!(
            "{name}: {justified} justified lines, {} over {LOOSE} em per gap, worst {worst:.3} em; {} set ragged ({} not a web address); {} runts",
            bad.len(),
            all.iter().filter(|l| l.ragged).count(),
            holes.len(),
            all.iter().filter(|l| l.runt).count()
        );
        // Shrinking stays the exception, so that marks look alike from
        // line to line.
        let shrunk: Vec<f32> = all.iter().map(|l| l.shrink).filter(|&s| s > 0.0).collect();
        eprintln!(
            "{name}: {} of {} lines shrunk, {} by more than half what they may",
            shrunk.len(),
            all.len(),
            shrunk.iter().filter(|&&s| s > 0.5).count(),
        );
        assert!(
            shrunk.len() as f32 <= shrunk_share * all.len() as f32,
            "{name}: {} of {} lines shrunk",
            shrunk.len(),
            all.len()
        );
        if std::env::var_os("MEASURE").is_some() {
            for w in all
                .windows(2)
                .filter(|w| !w[0].last && w[0].spread > LOOSE + 1e-3)
            {
                eprintln!("  {:.3} {} | {}", w[0].spread, w[0].text, w[1].text);
            }
            for l in all.iter().filter(|l| l.shrink > 0.0) {
                eprintln!("  shrunk {:.2} p.{} {}", l.shrink, l.page, l.text);
            }
        }
        assert!(
            (bad.len() as f32) <= share * justified as f32 && worst <= most,
            "{name}: {} of {justified} lines spread more than {LOOSE} em, worst {worst}, e.g. {:?}",
            bad.len(),
            &bad[..bad.len().min(5)]
        );
        assert!(
            holes.len() * 200 <= justified,
            "{name}: {} lines set ragged: {holes:?}",
            holes.len()
        );
    }
}

#[test]
fn no_character_stands_alone_on_a_last_line() {
    for root in [demo(), corpus().to_path_buf()] {
        let all = lines(&root, A5);
        let runts: Vec<&SetLine> = all.iter().filter(|l| l.runt).collect();
        assert!(
            runts.is_empty(),
            "{} runts, e.g. {:?}",
            runts.len(),
            &runts[..runts.len().min(5)]
        );
    }
}

#[test]
fn a_page_never_holds_only_the_update_line_and_a_heading_keeps_two_lines() {
    for root in [demo(), corpus().to_path_buf()] {
        let all = lines(&root, A5);
        let pages = all.last().map_or(0, |l| l.page);
        for p in 1..=pages {
            let on: Vec<&SetLine> = all.iter().filter(|l| l.page == p).collect();
            if on.is_empty() {
                continue;
            }
            assert!(
                !on.iter().all(|l| l.text.starts_with("本页更新于")),
                "page {p} holds only {:?}",
                on
            );
            // A numbered section heading (一、申请材料) never ends a page,
            // nor comes just before its page's last line unless that line
            // ends its paragraph.
            let heading = |l: &SetLine| {
                l.text.split_once('、').is_some_and(|(n, _)| {
                    !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c))
                })
            };
            let n = on.len();
            assert!(
                !heading(on[n - 1]) || n == 1,
                "page {p} ends with {:?}",
                on[n - 1]
            );
            if n >= 2 {
                assert!(
                    !heading(on[n - 2]) || on[n - 1].last,
                    "page {p} ends with {:?} and one line of what follows",
                    on[n - 2]
                );
            }
        }
    }
}

/// The lines of each page of `pdf`, as pdftotext reads them.
fn page_lines(pdf: &Path) -> Vec<Vec<String>> {
    pdf_text(pdf, &[])
        .split('\u{c}')
        .map(|p| p.lines().map(str::to_owned).collect())
        .collect()
}

#[test]
fn quantities_labels_and_web_addresses_are_never_split() {
    let labels = [
        "事项类型",
        "行使层级",
        "实施主体",
        "实施编码",
        "基本编码",
        "通办范围",
        "数量限制",
        "中介服务",
    ];
    for (name, root) in [("demo", demo()), ("corpus", corpus().to_path_buf())] {
        let all = lines(&root, A5);
        let mut split = Vec::new();
        // Each line that goes on to the next one of its paragraph.
        for w in all.windows(2).filter(|w| !w[0].last) {
            let (a, b) = (w[0].text.as_str(), w[1].text.as_str());
            let tail: String = {
                let v: Vec<char> = a.chars().collect();
                v[v.len().saturating_sub(16)..].iter().collect()
            };
            let head: String = b.chars().take(16).collect();
            let joined = format!("{tail}{head}");
            let at = tail.len();
            // Inside a glued piece, only at its last-resort point
            // (7个|工作日).
            let permitted = breaking::opportunities(&joined)
                .iter()
                .any(|b| b.at == at && b.glued);
            let glued = !permitted
                && breaking::glued(&joined)
                    .iter()
                    .any(|r| r.start < at && at < r.end);
            // A web address never breaks at a hyphen.
            let url = tail.ends_with('-') && tail.contains('/');
            let label = labels.iter().any(|l| {
                l.char_indices()
                    .skip(1)
                    .any(|(k, _)| a.ends_with(&l[..k]) && b.starts_with(&l[k..]))
            });
            if glued || url || label {
                split.push(format!("{tail}|{head}"));
            }
        }
        assert!(
            split.is_empty(),
            "{name}: {} splits: {:?}",
            split.len(),
            &split[..split.len().min(10)]
        );
    }
}

#[test]
fn phones_and_time_limits_stay_on_one_page() {
    for (name, root) in [("demo", demo()), ("corpus", corpus().to_path_buf())] {
        let pdf = booklet_pdf(&root, &format!("pairs-{}", name), &[]);
        let pages: Vec<String> = pdf_text(&pdf, &[])
            .split('\u{c}')
            .map(str::to_owned)
            .collect();
        for (a, b) in [
            ("咨询电话：", "投诉电话："),
            ("法定办结时限：", "承诺办结时限："),
        ] {
            for (i, w) in pages.windows(2).enumerate() {
                let split =
                    w[0].contains(a) && !w[0].contains(b) && w[1].contains(b) && !w[1].contains(a);
                assert!(!split, "{name}: {a} on page {} and {b} on the next", i + 1);
            }
        }
    }
}

/// The categories of the project at `root`, in booklet order.
fn categories(root: &Path) -> Vec<String> {
    let (p, _) = guide::load::load(root).unwrap();
    p.categories().iter().map(|(n, _)| n.to_string()).collect()
}

#[test]
fn a_contents_section_head_keeps_its_first_entry() {
    for root in [demo(), corpus().to_path_buf()] {
        let cats = categories(&root);
        let pdf = booklet_pdf(&root, "toc", &[]);
        for (i, lines) in page_lines(&pdf).iter().enumerate() {
            // Contents pages: entries end with their page number.
            let body: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
            if !lines.iter().any(|l| l.contains("目")) && i > 12 {
                break;
            }
            // The last line before the footer (page number, edition note).
            let Some(last) = body
                .iter()
                .rev()
                .find(|l| !l.contains("以网站最新版本为准") && l.trim().parse::<usize>().is_err())
            else {
                continue;
            };
            let title = last
                .trim()
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim();
            assert!(
                !cats.iter().any(|c| c == title) || body.len() < 3,
                "page {}: section head {title:?} ends the page",
                i + 1
            );
        }
    }
}

#[test]
fn thumb_tabs_show_the_whole_category() {
    for root in [demo(), corpus().to_path_buf()] {
        let cats = categories(&root);
        let pdf = booklet_pdf(&root, "tabs", &[]);
        let xml = pdf_text(&pdf, &["-bbox"]);
        let mut seen = std::collections::BTreeSet::new();
        for page in xml.split("<page ").skip(1) {
            let width: f32 = attr(page, "width");
            // Characters within the tab (14 pt from the edge): by column
            // (right first), then down.
            let mut chars: Vec<(f32, f32, String)> = page
                .split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let (x0, x1, y0) = (attr(w, "xMin"), attr(w, "xMax"), attr(w, "yMin"));
                    let t = w.split_once('>')?.1.split_once('<')?.0.to_owned();
                    (x0 >= width - 14.5 || x1 <= 14.5).then_some(((x0 * 2.0).round() / 2.0, y0, t))
                })
                .collect();
            if chars.is_empty() {
                continue;
            }
            chars.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
            let label: String = chars.iter().map(|c| c.2.as_str()).collect();
            assert!(
                cats.contains(&label),
                "tab reads {label:?}, categories {cats:?}"
            );
            seen.insert(label);
        }
        assert_eq!(seen.len(), cats.len(), "every category has its tab");
    }
}

fn attr(s: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let at = s.find(&key).unwrap() + key.len();
    s[at..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn a_long_notice_keeps_its_type_size_and_runs_to_a_second_page() {
    let mut mats = String::from("materials:\n");
    for i in 1..=40 {
        mats.push_str(&format!(
            "  - name: 第{i}号证明材料\n    form: 原件\n    note: 须由出具单位盖章并注明用途，复印件须由申请人逐页签名确认与原件一致。\n"
        ));
    }
    let long = BASIC.replace(
        "materials:\n  - ref: id-card\n  - ref: photo\n  - name: 授权委托书\n    form: 原件\n    when: [agent]\n",
        &mats,
    );
    let p = TestProject::new()
        .file(
            "guides/hukou/basic.yaml",
            &long.replace("situations:\n  - id: agent\n    label: 委托他人代办\n", ""),
        )
        .file("materials.yaml", "[]\n");
    let out = p.run(&[
        "notice",
        "basic",
        "--applicant",
        "张三",
        "-m",
        "1",
        "-m",
        "2",
        "-o",
        "short.pdf",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut args = vec!["notice", "basic", "--applicant", "张三", "-o", "long.pdf"];
    let numbers: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    for n in &numbers {
        args.extend(["-m", n.as_str()]);
    }
    let out = p.run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let number = out.stdout.trim().to_owned();

    // The height of the first material's line: the same type size.
    let height = |pdf: &str| -> f32 {
        let xml = pdf_text(&p.path().join(pdf), &["-bbox"]);
        let w = xml
            .split("<word ")
            .find(|w| w.contains(">1.<") || w.contains(">1.第1号"))
            .unwrap_or_else(|| panic!("{xml}"));
        attr(w, "yMax") - attr(w, "yMin")
    };
    assert!((height("short.pdf") - height("long.pdf")).abs() < 0.01);

    let text = pdf_text(&p.path().join("long.pdf"), &[]);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let n = pages.len();
    assert!(n >= 2, "{text}");
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert!(
            page.contains("一次性告知单（续）"),
            "page {}: {page}",
            i + 1
        );
        assert!(page.contains(&number), "page {}: {page}", i + 1);
        assert!(
            page.contains(&format!("第{}页/共{n}页", i + 1)),
            "page {}: {page}",
            i + 1
        );
    }
    // The stub stays at the end.
    assert!(pages[n - 1].contains("（存根）"));
    assert!(pages[..n - 1].iter().all(|p| !p.contains("（存根）")));
}
