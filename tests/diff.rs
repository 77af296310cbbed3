//! `guide diff`: what changed for citizens, between folders and between git
//! revisions.

mod common;
use common::*;

fn changed_basic() -> String {
    BASIC
        .replace("  - ref: photo\n", "  - ref: photo\n    originals: 1\n")
        .replace("  - name: 授权委托书\n    form: 原件", "  - name: 代办委托书\n    form: 原件")
        .replace("steps:\n  - name: 受理\n", "steps:\n  - name: 受理\n  - name: 发证\n")
        .replace("promised: {value: 10, unit: 工作日}", "promised: {value: 5, unit: 工作日}")
        .replace("charged: false", "charged: true\n  items:\n    - name: 工本费\n      standard: 20元/证\n      basis: 某价格文件")
        .replace("    - address: 测试市人民路1号", "    - address: 测试市人民路1号\n      window: 8号窗口")
}

#[test]
fn diff_of_two_folders_in_citizens_terms() {
    let old = TestProject::new().file(
        "guides/hukou/gone.yaml",
        &BASIC
            .replace("id: basic", "id: gone")
            .replace("居住证申领", "旧事项"),
    );
    let new = TestProject::new()
        .file("guides/hukou/basic.yaml", &changed_basic())
        .file(
            "guides/hukou/fresh.yaml",
            &BASIC
                .replace("id: basic", "id: fresh")
                .replace("居住证申领", "新事项"),
        );
    let out = run_guide(
        old.path(),
        &[
            "diff",
            old.path().to_str().unwrap(),
            new.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 1, "changes found: {}", out.stderr);
    assert_eq!(
        out.stdout,
        "新增事项（1）
  + 新事项（fresh）
取消事项（1）
  - 旧事项（gone）
变更事项（1）
  * 居住证申领（basic）
      材料“近期免冠照片”：原件2份，必要 → 原件1份，必要
      材料“授权委托书”改名：授权委托书 → 代办委托书
      收费：不收费 → 工本费：20元/证（依据：某价格文件）
      承诺办结时限：10个工作日（承诺件） → 5个工作日（承诺件）
      办理流程：受理 → 受理 → 发证
      办理地点：测试市人民路1号 → 测试市人民路1号　8号窗口
"
    );
}

#[test]
fn no_change_exits_0_and_markdown_and_json_are_offered() {
    let p = TestProject::new();
    let same = run_guide(p.path(), &["diff", ".", "."]);
    assert_eq!((same.code, same.stdout.as_str()), (0, "没有变化。\n"));
    let new = TestProject::new().file("guides/hukou/basic.yaml", &changed_basic());
    let md = run_guide(
        p.path(),
        &[
            "diff",
            ".",
            new.path().to_str().unwrap(),
            "--format",
            "markdown",
        ],
    );
    assert!(
        md.stdout
            .starts_with("## 政策变更\n\n### 居住证申领（`basic`）\n\n- 材料“近期免冠照片”"),
        "{}",
        md.stdout
    );
    let json = run_guide(
        p.path(),
        &[
            "diff",
            ".",
            new.path().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["changed"][0]["id"], "basic");
    assert_eq!(v["changed"][0]["changes"][2]["field"], "fees");
    assert_eq!(v["changed"][0]["changes"][2]["label"], "收费");
    assert_eq!(
        v["changed"][0]["changes"][2]["new"],
        "工本费：20元/证（依据：某价格文件）"
    );
}

#[test]
fn json_fields_are_stable_keys_with_the_words_beside_them() {
    let p = TestProject::new();
    let new = TestProject::new().file("guides/hukou/basic.yaml", &changed_basic());
    let json = run_guide(
        p.path(),
        &[
            "diff",
            ".",
            new.path().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let pairs: Vec<(String, String)> = v["changed"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("materials.counts", "材料“近期免冠照片”"),
        ("materials.renamed", "材料“授权委托书”改名"),
        ("fees", "收费"),
        ("time_limit.promised", "承诺办结时限"),
        ("steps", "办理流程"),
        ("handling.locations.address", "办理地点"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, want);
}

/// `guide diff` of `BASIC` against `BASIC` with `from` replaced by `to`.
fn diff_text(from: &str, to: &str) -> String {
    let old = TestProject::new();
    let new = TestProject::new().basic_with(from, to);
    let out = run_guide(old.path(), &["diff", ".", new.path().to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.stdout
}

#[test]
fn a_change_of_hours_is_not_told_as_a_move() {
    let hours = "    - address: 测试市人民路1号\n      hours: 周一至周五 9:00—17:00";
    let old = TestProject::new().basic_with("    - address: 测试市人民路1号", hours);
    let later = hours.replace("17:00", "18:00");
    let new = TestProject::new().basic_with("    - address: 测试市人民路1号", &later);
    let out = run_guide(old.path(), &["diff", ".", new.path().to_str().unwrap()]);
    assert_eq!(
        out.stdout,
        "变更事项（1）\n  * 居住证申领（basic）\n      办公时间：周一至周五 9:00—17:00 → 周一至周五 9:00—18:00\n"
    );
    let moved = diff_text("address: 测试市人民路1号", "address: 测试市人民路9号");
    assert!(
        moved.contains("      办理地点：测试市人民路1号 → 测试市人民路9号\n")
            && !moved.contains("办公时间"),
        "{moved}"
    );
    let second = diff_text(
        "    - address: 测试市人民路1号",
        "    - address: 测试市人民路1号\n    - address: 测试市新华路2号",
    );
    assert!(
        second.contains("办理地点和时间：测试市人民路1号 → 测试市人民路1号；测试市新华路2号"),
        "{second}"
    );
}

#[test]
fn diff_between_two_git_commits_leaves_the_working_tree_alone() {
    // The project sits in a subfolder of the repository, as in a policy office.
    let repo = tempfile::tempdir().unwrap();
    let p = TestProject::new();
    let proj = repo.path().join("指南");
    std::fs::create_dir_all(proj.join("guides/hukou")).unwrap();
    for f in ["guide.yaml", "materials.yaml", "guides/hukou/basic.yaml"] {
        std::fs::copy(p.path().join(f), proj.join(f)).unwrap();
    }
    git_init(repo.path());
    std::fs::write(proj.join("guides/hukou/basic.yaml"), changed_basic()).unwrap();
    git(repo.path(), &["commit", "-q", "-am", "减少时限"]);
    // An uncommitted edit must neither be read nor disturbed.
    std::fs::write(
        proj.join("guides/hukou/basic.yaml"),
        BASIC.replace("居住证申领", "未提交的名字"),
    )
    .unwrap();
    let out = run_guide(&proj, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("承诺办结时限：10个工作日（承诺件） → 5个工作日（承诺件）"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("未提交的名字"));
    assert!(
        std::fs::read_to_string(proj.join("guides/hukou/basic.yaml"))
            .unwrap()
            .contains("未提交的名字")
    );
    // Against the working tree: the uncommitted rename shows.
    let wt = run_guide(&proj, &["diff", "HEAD"]);
    assert!(
        wt.stdout.contains("事项名称：居住证申领 → 未提交的名字"),
        "{}",
        wt.stdout
    );
    // From a subfolder of the project, as from anywhere inside it.
    let sub = run_guide(&proj.join("guides/hukou"), &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(sub.stdout, out.stdout, "{}", sub.stderr);
    let bad = run_guide(&proj, &["diff", "no-such-rev"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no-such-rev"), "{}", bad.stderr);
}
