//! Rules the build checks over the source tree (rust-analyzer's `tidy` style): plain tests that
//! read the files, so that ARCHITECTURE.md's invariants hold in the code and its code map stays
//! current.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_owned()
}

/// Every Rust source file of the workspace's crates.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    for krate in ["mentoring", "sync-server", "src-tauri", "app", "tests"] {
        walk(&root().join(krate).join("src"), &mut out);
    }
    out.sort();
    assert!(out.len() > 40, "the sources are found: {out:?}");
    out
}

/// A file's code without its comments (line comments only: the code base uses no block comments).
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_module_says_what_it_is_for() {
    let undocumented: Vec<String> = sources()
        .into_iter()
        .filter(|p| {
            !std::fs::read_to_string(p)
                .unwrap_or_default()
                .trim_start()
                .starts_with("//!")
        })
        .map(|p| relative(&p))
        .collect();
    assert!(
        undocumented.is_empty(),
        "these files start without a //! doc: {undocumented:?}"
    );
}

/// ARCHITECTURE.md: only these modules name samod types.
#[test]
fn only_the_named_modules_name_samod() {
    let allowed = [
        "mentoring/src/sync.rs",
        "mentoring/src/store.rs",
        "sync-server/src/server.rs",
        "sync-server/src/state.rs",
        "sync-server/src/api.rs",
        "sync-server/src/connection.rs",
        "sync-server/src/access.rs",
        "sync-server/src/frames.rs",
    ];
    let naming: Vec<String> = sources()
        .into_iter()
        .filter(|p| !p.starts_with(root().join("tests")))
        .filter(|p| code(p).contains("samod"))
        .map(|p| relative(&p))
        .filter(|p| !allowed.contains(&p.as_str()))
        .collect();
    assert!(
        naming.is_empty(),
        "these modules name samod, which ARCHITECTURE.md does not allow: {naming:?}"
    );
}

/// ARCHITECTURE.md: the shared crate never depends on a shell's framework.
#[test]
fn the_shared_crate_names_no_shell_framework() {
    for path in sources()
        .into_iter()
        .filter(|p| p.starts_with(root().join("mentoring")))
    {
        let code = code(&path);
        for framework in ["tauri::", "leptos::", "axum::"] {
            assert!(
                !code.contains(framework),
                "{} names {framework}",
                relative(&path)
            );
        }
    }
    let manifest = std::fs::read_to_string(root().join("mentoring/Cargo.toml")).unwrap();
    for framework in ["tauri", "leptos", "axum"] {
        assert!(
            !manifest
                .lines()
                .any(|l| l.trim_start().starts_with(framework)),
            "mentoring depends on {framework}"
        );
    }
}

/// ARCHITECTURE.md's code map names every module of the shared crate and the server.
#[test]
fn the_code_map_names_every_module() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut missing = Vec::new();
    for dir in ["mentoring/src", "sync-server/src"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if ["lib", "main"].contains(&name.as_str()) {
                continue;
            }
            if !map.contains(&format!("`{name}`")) {
                missing.push(format!("{dir}/{name}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name: {missing:?}"
    );
}

/// No work is left as a TODO without the issue that tracks it.
#[test]
fn every_todo_names_its_issue() {
    let loose: Vec<String> = sources()
        .into_iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains("TODO") && !l.contains("issue"))
                .map(|(i, _)| format!("{}:{}", relative(&p), i + 1))
                .collect::<Vec<_>>()
        })
        .filter(|at| !at.starts_with("tests/tests/tidy.rs"))
        .collect();
    assert!(loose.is_empty(), "TODOs without an issue: {loose:?}");
}
