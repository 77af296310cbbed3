//! A fresh machine: the README's two commands, `.ci/run` calling exactly the
//! test command, the install instructions and the .deb a hall server
//! installs. (The commands themselves were run on a fresh clone in a clean
//! Debian chroot; these tests keep the pieces from drifting apart.)

use std::path::Path;
use std::process::Command;

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// The commands of the README's first code block, without their comments.
fn readme_commands() -> Vec<String> {
    let readme = read("README.md");
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_readme_opens_with_the_two_commands() {
    assert_eq!(
        readme_commands(),
        [
            "cargo run --release -- build --project guides",
            "scripts/test"
        ]
    );
}

#[test]
fn ci_runs_fmt_clippy_and_exactly_the_readmes_test_command() {
    let run = read(".ci/run");
    let commands: Vec<&str> = run
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| !l.starts_with("set ") && !l.starts_with("cd "))
        .collect();
    assert_eq!(
        commands,
        [
            // The PostgreSQL tests fail, not skip, without their server.
            "export CI=true",
            "cargo fmt --check",
            "cargo clippy --all-targets --locked -- -D warnings",
            "scripts/test"
        ]
    );
}

#[test]
fn the_test_script_installs_what_is_missing_and_runs_every_test_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = read("scripts/test");
    for want in [
        "poppler-utils",
        "chromium",
        "npm",
        "npm ci --prefix tests/browser",
        "postgresql",
        // A PostgreSQL server of its own, stopped and removed at the end.
        "scripts/test-postgres start",
        "trap cleanup EXIT",
        "export GUIDE_TEST_POSTGRES",
        "cargo test --locked --no-fail-fast \"$@\"",
    ] {
        assert!(script.contains(want), "scripts/test lacks {want}");
    }
    // `apt-get update` only when something is missing.
    let update = script.find("apt-get update").unwrap();
    let branch = script.find("if ((${#need[@]})); then").unwrap();
    assert!(branch < update);
    for name in [
        "scripts/test",
        "scripts/test-postgres",
        "scripts/package-deb",
        ".ci/run",
    ] {
        let syntax = Command::new("bash")
            .arg("-n")
            .arg(root.join(name))
            .status()
            .unwrap();
        assert!(syntax.success(), "{name}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(root.join(name))
                .unwrap()
                .permissions()
                .mode();
            assert!(mode & 0o111 != 0, "{name} is executable");
        }
    }
}

#[test]
fn the_readme_says_how_an_office_and_ci_install_guide() {
    let readme = read("README.md");
    for want in [
        "cargo install --locked --git",
        "cargo install --locked --path .",
        "**CI**",
        "scripts/package-deb",
        "guide-serve.service",
    ] {
        assert!(readme.contains(want), "README lacks {want}");
    }
    assert!(
        !readme.contains("BUILD_MINUTES"),
        "the build time is filled in"
    );
}

#[test]
fn the_deb_holds_the_binary_the_docs_and_the_serve_unit() {
    let cargo = read("Cargo.toml");
    let deb = cargo.split("[package.metadata.deb]").nth(1).unwrap();
    for want in [
        r#"["target/release/guide", "usr/bin/", "755"]"#,
        r#"["README.md", "usr/share/doc/guide/", "644"]"#,
        r#"["docs/format.md", "usr/share/doc/guide/", "644"]"#,
        r#"unit-name = "guide-serve""#,
        r#"unit-scripts = "packaging""#,
    ] {
        assert!(deb.contains(want), "deb metadata lacks {want}");
    }
    let unit = read("packaging/guide-serve.service");
    assert!(unit.contains("\nExecStart=/usr/bin/guide serve "), "{unit}");
    assert!(unit.contains("--register /var/lib/guide/"), "{unit}");
    assert!(
        unit.contains("\n[Install]\nWantedBy=multi-user.target\n"),
        "{unit}"
    );
}
