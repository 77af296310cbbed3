//! The commands other than `check`'s diagnostics: exit codes, JSON output,
//! `list`, `show`, `init`, `schema`, and finding the project.

mod common;
use common::*;
use std::process::{Command, Stdio};

#[test]
fn exit_code_is_0_for_a_clean_project_even_with_warnings() {
    let p = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "effective: 2026-01-01\nreview_by: 2026-01-02",
    );
    assert_eq!(p.check().code, 0);
}

#[test]
fn deny_warnings_makes_warnings_fail() {
    let p = TestProject::new().basic_with(
        "effective: 2026-01-01",
        "effective: 2026-01-01\nreview_by: 2026-01-02",
    );
    assert_eq!(p.run(&["check", "--deny-warnings"]).code, 1);
}

#[test]
fn exit_code_is_1_for_errors() {
    let p = TestProject::new().basic_with("ref: id-card", "ref: nothing");
    assert_eq!(p.check().code, 1);
}

#[test]
fn exit_code_is_2_for_usage_errors() {
    let p = TestProject::new();
    assert_eq!(p.run(&["check", "--no-such-flag"]).code, 2);
    assert_eq!(p.run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(p.run(&["show", "no-such-matter"]).code, 2);
}

#[test]
fn no_project_here_is_a_usage_error_saying_what_to_do() {
    let out = TestProject::empty().check();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("没有找到 guide.yaml"), "{}", out.stderr);
    assert!(out.stderr.contains("guide init"), "{}", out.stderr);
    let elsewhere = TestProject::empty();
    let out = TestProject::new().run(&["check", "--project", elsewhere.path().to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn exit_code_is_3_when_the_tool_itself_fails() {
    // The report cannot be written: a failure of the machine, not of the data.
    let p = TestProject::new().basic_with("ref: id-card", "ref: nothing");
    let status = Command::new(bin())
        .args(["check", "--format", "json"])
        .current_dir(p.path())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
}

#[test]
fn project_is_found_from_a_subfolder_or_given_with_project() {
    let p = TestProject::new().basic_with("ref: id-card", "ref: nothing");
    let sub = p.path().join("guides/hukou");
    assert_eq!(p.run_in(&sub, &["check"]).code, 1);
    let elsewhere = tempfile::tempdir().unwrap();
    let root = p.path().to_str().unwrap();
    assert_eq!(
        p.run_in(elsewhere.path(), &["check", "--project", root])
            .code,
        1
    );
}

#[test]
fn json_format_is_one_object_per_diagnostic() {
    let p = TestProject::new().basic_with("ref: id-card", "ref: id-crad");
    let out = p.run(&["check", "--format", "json"]);
    assert_eq!(out.code, 1);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(
        lines,
        vec![
            serde_json::json!({
                "severity": "error",
                "code": "unknown-ref",
                "message": "材料目录里没有 `id-crad`",
                "file": "guides/hukou/basic.yaml",
                "line": 10,
                "column": 10,
                "end": {"line": 10, "column": 17},
                "hint": "你是不是想写 `id-card`？"
            }),
            serde_json::json!({
                "severity": "warning",
                "code": "unused-material",
                "message": "目录材料 `id-card`（居民身份证）没有被任何事项引用",
                "file": "materials.yaml",
                "line": 1,
                "column": 7,
                "end": {"line": 1, "column": 14},
                "hint": "在事项的 `materials` 里用 `ref` 引用它，或从目录中删去"
            })
        ]
    );
}

#[test]
fn list_shows_every_matter_and_filters_by_category() {
    let other = BASIC
        .replace("id: basic", "id: other")
        .replace("category: 户籍", "category: 社保");
    let p = TestProject::new().file("guides/shebao/other.yaml", &other);
    let out = p.run(&["list"]);
    assert_eq!(
        out.stdout,
        "basic\t居住证申领\t户籍\t测试市公安局\nother\t居住证申领\t社保\t测试市公安局\n"
    );
    let out = p.run(&["list", "--category", "社保"]);
    assert_eq!(out.stdout, "other\t居住证申领\t社保\t测试市公安局\n");
}

#[test]
fn commands_that_read_data_refuse_invalid_data() {
    let p = TestProject::new().basic_with("ref: id-card", "ref: nothing");
    let out = p.run(&["show", "basic"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[unknown-ref]"), "{}", out.stderr);
}

fn demo_show(args: &[&str]) -> Output {
    let mut all = vec!["show"];
    all.extend(args);
    run_guide(&demo(), &all)
}

#[test]
fn show_passport_for_an_adult() {
    let out = demo_show(&["passport"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_passport_for_a_minor_adds_the_guardian_materials() {
    let out = demo_show(&["passport", "--situation", "minor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn show_with_an_unknown_situation_lists_the_valid_ones() {
    let out = demo_show(&["passport", "--situation", "child"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn show_materials_follow_the_situation() {
    let p = TestProject::new();
    let plain = p.run(&["show", "basic"]).stdout;
    let agent = p.run(&["show", "basic", "--situation", "agent"]).stdout;
    assert!(
        plain.contains("申请材料（共 2 项）") && !plain.contains("授权委托书"),
        "{plain}"
    );
    assert!(
        agent.contains("申请材料（共 3 项）") && agent.contains("3. 授权委托书"),
        "{agent}"
    );
}

#[test]
fn init_makes_a_project_that_passes_check_with_schemas_wired() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("新项目");
    let out = Command::new(bin())
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success());
    let check = run_guide(&target, &["check", "--deny-warnings"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let example =
        std::fs::read_to_string(target.join("guides/example/residence-permit.yaml")).unwrap();
    assert!(
        example.starts_with("# yaml-language-server: $schema=../../schema/guide.schema.json\n")
    );
    for name in ["guide", "materials", "config"] {
        let text =
            std::fs::read_to_string(target.join(format!("schema/{name}.schema.json"))).unwrap();
        let _: serde_json::Value = serde_json::from_str(&text).unwrap();
    }
    // A second init does not overwrite anything.
    let again = Command::new(bin())
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// The keys `check` accepts at one place, as its "unknown key" hint lists them.
fn accepted_keys(p: &TestProject) -> Vec<String> {
    let out = p.run(&["check", "--format", "json"]);
    let first: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().expect("a diagnostic")).unwrap();
    let hint = first["hint"].as_str().unwrap();
    let mut keys: Vec<String> = hint
        .trim_start_matches("这里可以用的键：")
        .split('、')
        .map(|k| k.trim_matches('`').to_owned())
        .collect();
    keys.sort();
    keys
}

fn schema_keys(which: &str, pointer: &str) -> Vec<String> {
    let out = Command::new(bin())
        .args(["schema", which])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut keys: Vec<String> = s
        .pointer(pointer)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

#[test]
fn schema_has_exactly_the_keys_the_checker_accepts() {
    let p = TestProject::new().basic_with("id: basic", "id: basic\nqqqq: 1");
    assert_eq!(schema_keys("guide", "/properties"), accepted_keys(&p));
    let p = TestProject::new().basic_with("  - ref: photo", "  - ref: photo\n    qqqq: 1");
    assert_eq!(
        schema_keys("guide", "/properties/materials/items/properties"),
        accepted_keys(&p)
    );
    let p = TestProject::new().file(
        "materials.yaml",
        &CATALOGUE.replace("  name: 居民身份证", "  name: 居民身份证\n  qqqq: 1"),
    );
    assert_eq!(
        schema_keys("materials", "/items/properties"),
        accepted_keys(&p)
    );
    let p = TestProject::new().file("guide.yaml", &format!("{CONFIG}qqqq: 1\n"));
    assert_eq!(schema_keys("config", "/properties"), accepted_keys(&p));
}

#[test]
fn the_demo_project_is_clean_with_warnings_denied() {
    let out = Command::new(bin())
        .args(["check", "--deny-warnings", "--project"])
        .arg(demo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    let n: usize = stderr
        .split("检查了 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n >= 12, "{stderr}");
}

#[test]
fn codes_and_phones_keep_their_leading_zeros_even_unquoted() {
    let p = TestProject::new().basic_with("kind: 公共服务", "kind: 公共服务\ncode: 0012345");
    let out = p.run(&["show", "basic"]);
    assert!(out.stdout.contains("实施编码：0012345"), "{}", out.stdout);
}

#[test]
fn show_is_not_held_up_by_a_mistake_in_another_matter() {
    let other = BASIC
        .replace("id: basic", "id: other")
        .replace("ref: id-card", "ref: nothing");
    let p = TestProject::new().file("guides/hukou/other.yaml", &other);
    assert_eq!(p.run(&["show", "basic"]).code, 0);
    assert_eq!(p.run(&["show", "other"]).code, 1);
}

/// A marriage office: 结婚登记 (alias 领结婚证) and 离婚登记 under
/// `guides/marriage/`, and a matter in the folder `guides/market/`.
fn marriage_office() -> TestProject {
    let matter = |id: &str, name: &str, aliases: &str, category: &str| {
        BASIC
            .replace("id: basic", &format!("id: {id}"))
            .replace(
                "name: 居住证申领",
                &format!("name: {name}\naliases: {aliases}"),
            )
            .replace("category: 户籍", &format!("category: {category}"))
    };
    TestProject::new()
        .file(
            "guides/marriage/marriage.yaml",
            &matter("marriage", "结婚登记", "[领结婚证, 办结婚证]", "婚姻"),
        )
        .file(
            "guides/marriage/divorce.yaml",
            &matter("divorce", "离婚登记", "[协议离婚]", "婚姻"),
        )
        .file(
            "guides/market/llc.yaml",
            &matter("llc", "有限责任公司设立登记", "[开公司]", "市场主体"),
        )
}

#[test]
fn show_finds_a_matter_by_its_chinese_name_or_alias() {
    let p = marriage_office();
    for query in ["结婚登记", "领结婚证", "marriage", "结婚"] {
        let out = p.run(&["show", query]);
        assert_eq!(out.code, 0, "{query}: {}", out.stderr);
        assert!(
            out.stdout.starts_with("结婚登记（marriage）\n"),
            "{query}: {}",
            out.stdout
        );
    }
}

#[test]
fn show_lists_the_matters_a_part_of_a_name_could_mean() {
    let out = marriage_office().run(&["show", "登记"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "“登记”可能是这几个事项，请写出完整名称或 id：\n  有限责任公司设立登记（llc）\n  离婚登记（divorce）\n  结婚登记（marriage）\n"
    );
}

#[test]
fn show_suggests_matters_never_folder_names() {
    let p = marriage_office();
    let out = p.run(&["show", "结婚证登记"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("你是不是想找：结婚登记（marriage）"),
        "{}",
        out.stderr
    );
    for folder in ["market", "marriag"] {
        let out = p.run(&["show", folder]);
        assert_eq!(out.code, 2, "{folder}");
        assert!(
            !out.stderr.contains("：market") && !out.stderr.contains("、market"),
            "a folder is no matter: {}",
            out.stderr
        );
    }
    let out = p.run(&["show", "marriag"]);
    assert!(
        out.stderr.contains("结婚登记（marriage）"),
        "{}",
        out.stderr
    );
}

#[test]
fn init_keeps_applicants_data_and_outputs_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    for f in [
        "dist/booklet.pdf",
        "notices.db",
        "notices.db-wal",
        "notices.db-shm",
        "register/notices.db",
        "示政服告〔2026〕0001号.pdf",
    ] {
        let path = dir.path().join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "x").unwrap();
    }
    git(dir.path(), &["add", "."]);
    let added = git(dir.path(), &["diff", "--cached", "--name-only"]);
    assert_eq!(
        added,
        ".gitignore\nguide.yaml\nguides/example/residence-permit.yaml\nmaterials.yaml\nschema/config.schema.json\nschema/guide.schema.json\nschema/materials.schema.json",
        "{ignore}"
    );
}

#[test]
fn list_follows_the_categories_of_guide_yaml_like_the_booklet() {
    let p = marriage_office();
    // Without `categories`: folder order (hukou, market, marriage).
    let cats = |out: &Output| -> Vec<String> {
        let mut v: Vec<String> = out
            .stdout
            .lines()
            .map(|l| l.split('\t').nth(2).unwrap().to_owned())
            .collect();
        v.dedup();
        v
    };
    assert_eq!(cats(&p.run(&["list"])), ["户籍", "市场主体", "婚姻"]);
    let config = format!("{CONFIG}categories: [婚姻, 户籍, 市场主体]\n");
    let p = p.file("guide.yaml", &config);
    let out = p.run(&["list"]);
    assert_eq!(cats(&out), ["婚姻", "户籍", "市场主体"]);
    // Within a category, file order, as in the booklet.
    assert!(out.stdout.starts_with("divorce\t"), "{}", out.stdout);
    assert_eq!(p.check().code, 0, "{}", p.check().stderr);
}
