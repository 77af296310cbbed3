//! One-time notices: blank ones from `build`, filled ones from `guide
//! notice`, and the register they are numbered and kept in.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn pdftext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed for these tests");
    String::from_utf8(out.stdout).unwrap()
}

/// The numbered material lines of a notice: “1. 居民身份证（…）” → name.
fn listed(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let n = out.len() + 1;
        if let Some(rest) = line.strip_prefix(&format!("{n}. ")) {
            let end = ["（原件", "（复印件", "（电子版"]
                .iter()
                .filter_map(|p| rest.find(p))
                .min()
                .unwrap();
            out.push(rest[..end].to_owned());
        }
    }
    out
}

/// Runs `guide` in `cwd` at Unix time `epoch`: "today" of the data and the
/// notice clock (`GUIDE_TEST_NOW`, which debug builds honour) alike.
pub fn run_notice_at<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S], epoch: &str) -> Output {
    common::run_guide_env(
        cwd,
        args,
        &[("SOURCE_DATE_EPOCH", epoch), ("GUIDE_TEST_NOW", epoch)],
    )
}

/// `guide notice ARGS` on the demo, with a register in `dir` (created by
/// the first notice).
fn demo_notice(dir: &Path, epoch: &str, args: &[&str]) -> Output {
    let mut all: Vec<std::ffi::OsString> = vec!["notice".into(), "--project".into(), demo().into()];
    all.extend(["--register".into(), dir.join("notices.db").into()]);
    if !matches!(args.first(), Some(&("list" | "show" | "reprint" | "visit"))) {
        all.push("--new-register".into());
    }
    all.extend(args.iter().map(Into::into));
    run_notice_at(dir, &all, epoch)
}

#[test]
fn a_blank_notice_lists_every_material_of_every_situation() {
    let (_dir, out) = build_demo("notices", &[]);
    let text = pdftext(&out.join("notices/passport.pdf"));
    assert_eq!(
        listed(&text),
        [
            "居民身份证",
            "中国公民出入境证件申请表",
            "居民户口簿",
            "监护人居民身份证",
            "监护关系证明",
            "原普通护照",
            "登记备案人员出国（境）审批意见"
        ]
    );
    assert!(text.contains("〔仅限：未满16周岁的申请人〕"));
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for part in [
        "一次性告知单",
        "20个工作日内补正",
        "《中华人民共和国行政许可法》第三十二条",
        "（存根）",
        "一式两份",
        "（盖章）",
        "已收到本告知单。申请人（签字）：",
        "投诉电话",
    ] {
        assert!(text.contains(part), "blank notice lacks {part}");
    }
    let n = std::fs::read_dir(out.join("notices")).unwrap().count();
    assert_eq!(n, common::demo_matters(), "one notice per matter");
}

#[test]
fn a_filled_notice_lists_exactly_the_missing_materials_and_is_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &[
            "passport",
            "-s",
            "minor",
            "-m",
            "guardianship-proof",
            "-m",
            "户口簿",
            "-m",
            "1",
            "--applicant",
            "阿依古丽·买买提",
            "--clerk",
            "李娜",
            "--window",
            "B12",
            "-o",
            "n.pdf",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "乌政服告〔2026〕1号\n");
    let text = pdftext(&dir.path().join("n.pdf"));
    // In the matter's order, whatever order the clerk typed them in.
    assert_eq!(listed(&text), ["居民身份证", "居民户口簿", "监护关系证明"]);
    assert!(text.contains("乌政服告〔2026〕1号"));
    assert!(text.contains("阿依古丽·买买提"));
    assert!(text.contains("2026年6月1日"));
    // The clerk's name is printed once on the applicant's copy (and once on
    // the office's stub); the applicant signs the stub, not the copy taken
    // away.
    assert!(text.contains("经办人： 李娜"), "{text}");
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(!flat.contains("经办人（签字）"), "{text}");
    let (copy, stub) = flat.split_once("（存根）").unwrap();
    assert_eq!(copy.matches("李娜").count(), 1, "{text}");
    assert!(!copy.contains("申请人（签字）"), "{text}");
    assert!(stub.contains("已收到本告知单。申请人（签字）："), "{text}");
}

#[test]
fn numbers_are_sequential_and_start_again_each_year() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["passport", "-m", "1", "--applicant", "张三"];
    let dec31 = "1798675200"; // 2026-12-31 08:00 Beijing time
    let jan1 = "1798732800"; // 2026-12-31 16:00 UTC = 2027-01-01 00:00 Beijing time
    let mut numbers = Vec::new();
    for epoch in [dec31, dec31, jan1, jan1] {
        let out = demo_notice(dir.path(), epoch, &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        numbers.push(out.stdout.trim().to_owned());
    }
    assert_eq!(
        numbers,
        [
            "乌政服告〔2026〕1号",
            "乌政服告〔2026〕2号",
            "乌政服告〔2027〕1号",
            "乌政服告〔2027〕2号"
        ]
    );
}

#[test]
fn windows_issuing_at_once_get_distinct_consecutive_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notices.db");
    let (procs, each) = (6, 5);
    let children: Vec<_> = (0..procs)
        .map(|w| {
            let db = db.clone();
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                for i in 0..each {
                    let out = Command::new(bin())
                        .args([
                            "notice",
                            "passport",
                            "-m",
                            "1",
                            "--applicant",
                            "张三",
                            "--window",
                        ])
                        .arg(w.to_string())
                        .arg("--project")
                        .arg(demo())
                        .arg("--register")
                        .arg(&db)
                        .arg("--new-register")
                        .arg("-o")
                        .arg(dir.join(format!("{w}-{i}.pdf")))
                        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
                        .env("GUIDE_TEST_NOW", TODAY_EPOCH)
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    got.push(String::from_utf8(out.stdout).unwrap().trim().to_owned());
                }
                got
            })
        })
        .collect();
    let mut all: Vec<String> = children
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    all.sort();
    let mut want: Vec<String> = (1..=procs * each)
        .map(|i| format!("乌政服告〔2026〕{i}号"))
        .collect();
    want.sort();
    assert_eq!(all, want);
}

#[test]
fn a_reprint_is_byte_identical_and_show_says_what_was_told() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &[
            "passport",
            "-m",
            "id-card",
            "--applicant",
            "张三",
            "--phone",
            "13800000000",
            "-o",
            "first.pdf",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let number = out.stdout.trim().to_owned();
    let re = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &["reprint", &number, "-o", "again.pdf"],
    );
    assert_eq!(re.code, 0, "{}", re.stderr);
    assert!(
        std::fs::read(dir.path().join("first.pdf")).unwrap()
            == std::fs::read(dir.path().join("again.pdf")).unwrap()
    );
    let show = demo_notice(dir.path(), TODAY_EPOCH, &["show", &number]);
    insta::assert_snapshot!(show.stdout);
    let list = demo_notice(dir.path(), TODAY_EPOCH, &["list", "--matter", "passport"]);
    assert_eq!(
        list.stdout,
        format!("{number}\t2026-06-01\t普通护照签发\t张三\t缺1项\n")
    );
    let none = demo_notice(dir.path(), TODAY_EPOCH, &["list", "--since", "2026-06-02"]);
    assert_eq!(none.stdout, "");
}

#[test]
fn a_wrong_material_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &[
            "passport",
            "-m",
            "id-crad",
            "-m",
            "护照表",
            "-m",
            "原普通护照",
            "--applicant",
            "张三",
        ],
    );
    assert_eq!(out.code, 2, "a clerk's typo is a usage error");
    insta::assert_snapshot!(out.stderr);
    assert!(!dir.path().join("notices.db").exists(), "no register made");
}

#[test]
fn a_name_the_font_cannot_print_is_refused_before_anything_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &["passport", "-m", "1", "--applicant", "王𪚥", "-o", "x.pdf"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("U+2A6A5"), "{}", out.stderr);
    assert!(!dir.path().join("x.pdf").exists());
    assert!(!dir.path().join("notices.db").exists(), "no register made");
}

#[test]
fn a_mistake_in_another_matter_does_not_hold_up_a_notice() {
    let other = BASIC
        .replace("id: basic", "id: other")
        .replace("ref: id-card", "ref: nothing");
    let p = TestProject::new().file("guides/hukou/other.yaml", &other);
    assert_eq!(p.check().code, 1, "the project has an error");
    let out = p.run(&[
        "notice",
        "basic",
        "-m",
        "1",
        "--applicant",
        "张三",
        "-o",
        "n.pdf",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let broken = p.run(&[
        "notice",
        "other",
        "-m",
        "1",
        "--applicant",
        "张三",
        "-o",
        "m.pdf",
    ]);
    assert_eq!(broken.code, 1, "but not a notice of the broken matter");
    assert!(
        broken.stderr.contains("error[unknown-ref]"),
        "{}",
        broken.stderr
    );
}

#[test]
fn nothing_on_a_notice_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let all = [
        "passport",
        "-s",
        "minor",
        "-s",
        "renew",
        "-s",
        "registered-staff",
    ];
    let mut args: Vec<&str> = all.to_vec();
    for m in ["1", "2", "3", "4", "5", "6", "7"] {
        args.extend(["-m", m]);
    }
    args.extend([
        "--applicant",
        "阿依古丽·买买提·阿不都热依木·克里木江",
        "-o",
        "n.pdf",
    ]);
    let out = demo_notice(dir.path(), TODAY_EPOCH, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text: String = pdftext(&dir.path().join("n.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for whole in [
        "阿依古丽·买买提·阿不都热依木·克里木江",
        "未满16周岁的申请人；持有旧护照（换发）；登记备案的国家工作人员",
        "7项",
    ] {
        assert!(text.contains(whole), "{whole} cut: {text}");
    }
    // A name too long for any type size is refused, not printed in part.
    let long = "Maximilian-Alexander von Habsburg-Lothringen ".repeat(3);
    let refused = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &[
            "passport",
            "-m",
            "1",
            "--applicant",
            long.trim(),
            "-o",
            "x.pdf",
        ],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn the_register_must_exist_to_be_read_and_the_output_folder_to_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let list = demo_notice(dir.path(), TODAY_EPOCH, &["list"]);
    assert_eq!(list.code, 2);
    assert!(
        !dir.path().join("notices.db").exists(),
        "a typo does not create a register"
    );
    let out = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &[
            "passport",
            "-m",
            "1",
            "--applicant",
            "张三",
            "-o",
            "no/such/dir/x.pdf",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        !dir.path().join("notices.db").exists(),
        "nothing registered"
    );
}

#[test]
fn a_notice_over_two_pages_numbers_them_and_repeats_its_number() {
    let mut mats = String::from("materials:\n");
    for i in 1..=40 {
        mats.push_str(&format!(
            "  - name: 第{i}号证明材料\n    form: 原件\n    note: 须由出具单位盖章并注明用途，复印件须由申请人逐页签名确认与原件一致，外文材料须附中文译本。\n"
        ));
    }
    let text = BASIC.replace(
        "materials:\n  - ref: id-card\n  - ref: photo\n  - name: 授权委托书\n    form: 原件\n    when: [agent]\n",
        &mats,
    );
    let p = TestProject::new()
        .file(
            "guides/hukou/basic.yaml",
            &text.replace("situations:\n  - id: agent\n    label: 委托他人代办\n", ""),
        )
        .file("materials.yaml", "[]\n");
    let mut args = vec!["notice", "basic", "--applicant", "张三", "-o", "n.pdf"];
    let numbers: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    for n in &numbers {
        args.extend(["-m", n.as_str()]);
    }
    let out = p.run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let number = out.stdout.trim().to_owned();
    let text = pdftext(&p.path().join("n.pdf"));
    // The stub may take a page of its own: every page says how many.
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 2, "{text}");
    for i in 1..=pages {
        assert!(
            text.contains(&format!("{number} · 第 {i} 页，共 {pages} 页")),
            "{text}"
        );
    }
}

#[test]
fn a_clerk_finds_a_notice_by_its_short_number() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["passport", "-m", "1", "--applicant", "张三"];
    let dec31 = "1798675200"; // 2026-12-31 08:00 Beijing time
    let jan1 = "1798732800"; // 2027-01-01 00:00 Beijing time
    for epoch in [dec31, dec31, jan1] {
        let out = demo_notice(dir.path(), epoch, &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    for short in [
        "0002",
        "2",
        "2026-0002",
        "〔2026〕2号",
        "乌政服告〔2026〕2号",
    ] {
        let show = demo_notice(dir.path(), jan1, &["show", short]);
        assert_eq!(show.code, 0, "{short}: {}", show.stderr);
        assert!(
            show.stdout.starts_with("乌政服告〔2026〕2号\n"),
            "{short}: {}",
            show.stdout
        );
    }
    // 0001 is a notice of 2026 and one of 2027: the clerk is told both.
    let both = demo_notice(dir.path(), jan1, &["show", "0001"]);
    assert_eq!(both.code, 1, "{}", both.stderr);
    assert_eq!(
        both.stderr,
        "“0001”可以指 2 张告知单：乌政服告〔2026〕1号、乌政服告〔2027〕1号。请写出年份（例如 2026-1）或完整编号\n"
    );
    let none = demo_notice(dir.path(), jan1, &["show", "2027-0005"]);
    assert_eq!(none.code, 1);
    assert_eq!(none.stderr, "登记簿里没有编号为“2027-0005”的告知单\n");
    // A reprint takes the short forms too.
    let re = demo_notice(dir.path(), jan1, &["reprint", "2027-1", "-o", "r.pdf"]);
    assert_eq!(re.code, 0, "{}", re.stderr);
    assert!(dir.path().join("r.pdf").exists());
}

#[test]
fn the_register_lists_in_pages_of_fifty() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..52 {
        let out = demo_notice(
            dir.path(),
            TODAY_EPOCH,
            &["passport", "-m", "1", "--applicant", "张三"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let all = demo_notice(dir.path(), TODAY_EPOCH, &["list"]);
    assert_eq!(all.stdout.lines().count(), 52, "no --page: all of them");
    assert_eq!(all.stderr, "");
    let second = demo_notice(dir.path(), TODAY_EPOCH, &["list", "--page", "2"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let numbers: Vec<&str> = second
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(numbers, ["乌政服告〔2026〕51号", "乌政服告〔2026〕52号"]);
    assert_eq!(second.stderr, "第 2 页，共 2 页（共 52 张告知单）\n");
    let zero = demo_notice(dir.path(), TODAY_EPOCH, &["list", "--page", "0"]);
    assert_eq!(zero.code, 2);
}

#[test]
fn a_second_visit_is_recorded_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let out = demo_notice(
        dir.path(),
        TODAY_EPOCH,
        &[
            "passport",
            "-s",
            "minor",
            "-m",
            "guardianship-proof",
            "-m",
            "户口簿",
            "-m",
            "1",
            "--applicant",
            "张三",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let next_day = "1780329600"; // 2026-06-02 00:00 Beijing time
    let visit = |args: &[&str]| {
        let mut all = vec!["visit", "0001"];
        all.extend(args);
        demo_notice(dir.path(), next_day, &all)
    };
    // 已补正 with something never brought: refused, nothing recorded.
    let early = visit(&["-b", "1", "--result", "已补正"]);
    assert_eq!(early.code, 2, "{}", early.stderr);
    assert!(
        early
            .stderr
            .contains("告知的“居民户口簿”、“监护关系证明”还没有带来，不能记为已补正"),
        "{}",
        early.stderr
    );
    let wrong = visit(&["-b", "照片", "--result", "仍缺"]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong.stderr.starts_with("没有材料“照片”"),
        "{}",
        wrong.stderr
    );
    assert!(
        wrong
            .stderr
            .contains("这张告知单告知补正的材料：\n   1  居民身份证")
    );
    let bad = visit(&["--result", "办完了"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--result 应写 已补正、已受理 或 仍缺"));

    let first = visit(&[
        "-b",
        "居民身份证",
        "-b",
        "户口簿",
        "--result",
        "仍缺",
        "--clerk",
        "李娜",
    ]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout, "乌政服告〔2026〕1号\n");
    assert_eq!(
        first.stderr,
        "已登记告知单 乌政服告〔2026〕1号 的第 2 次来办：仍缺\n尚未带来：监护关系证明\n"
    );
    let second = visit(&["-b", "3", "--result", "已补正", "--window", "B12"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let show = demo_notice(dir.path(), next_day, &["show", "2026-0001"]);
    let visits = show.stdout.split("数据版本").nth(1).unwrap();
    assert_eq!(
        visits.lines().skip(1).collect::<Vec<_>>(),
        [
            "来办记录（2 次）：",
            "  2026-06-02 00:00:00　仍缺　带来：居民身份证；居民户口簿　经办人：李娜",
            "  2026-06-02 00:00:00　已补正　带来：监护关系证明　窗口：B12",
        ]
    );
    let accepted = visit(&["--result", "已受理"]);
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    let after = visit(&["--result", "仍缺"]);
    assert_eq!(after.code, 2);
    assert!(after.stderr.contains("已于 2026-06-02 00:00:00 记为已受理"));
    // A visit never creates a register.
    let other = tempfile::tempdir().unwrap();
    let none = demo_notice(other.path(), next_day, &["visit", "1", "--result", "仍缺"]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(!other.path().join("notices.db").exists());
}

#[test]
fn a_notice_is_a_tagged_pdf_a_2b_with_an_srgb_output_intent() {
    let (_dir, out) = build_demo("notices", &[]);
    let pdf = out.join("notices/passport.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let cat = doc.catalog().unwrap();
    let intents = match cat.get(b"OutputIntents").unwrap() {
        lopdf::Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap().clone(),
        o => o.as_array().unwrap().clone(),
    };
    let oi = doc
        .get_dictionary(intents[0].as_reference().unwrap())
        .unwrap();
    assert_eq!(oi.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    assert!(oi.get(b"DestOutputProfile").is_ok());
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>"), "XMP: PDF/A-2");
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert_eq!(cat.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
    assert!(cat.get(b"StructTreeRoot").is_ok(), "tagged");
}
