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

/// The workspace's crates, as folders relative to the root.
fn crates() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("crates"))
        .expect("crates/")
        .flatten()
        .map(|e| format!("crates/{}", e.file_name().to_string_lossy()))
        .collect();
    out.extend(["mentoring", "sync-server", "src-tauri", "app", "tests"].map(String::from));
    out.sort();
    out
}

/// The crates that compile for the webview and hold no runtime: plain values and documents.
const PLAIN_CRATES: [&str; 4] = [
    "crates/domain",
    "crates/documents",
    "crates/certificate",
    "crates/archive",
];

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
    for krate in crates() {
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
        "crates/device/src/sync.rs",
        "crates/device/src/dialer.rs",
        "crates/device/src/browser_dialer.rs",
        "crates/store/src/browser.rs",
        "crates/store/src/lib.rs",
        "crates/store/src/memory.rs",
        "crates/store/src/sqlite.rs",
        "sync-server/src/server.rs",
        "sync-server/src/state.rs",
        "sync-server/src/api.rs",
        "sync-server/src/connection.rs",
        "sync-server/src/access.rs",
        "sync-server/src/frames.rs",
        "sync-server/src/chunks.rs",
        "sync-server/src/follower.rs",
        "bench/src/provision.rs",
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

/// ARCHITECTURE.md: the domain, documents, certificate and archive crates name no shell framework, no
/// runtime and no storage, so they compile for the webview and their rules run anywhere.
#[test]
fn the_plain_crates_name_no_shell_runtime_or_storage() {
    let forbidden = [
        "tauri", "leptos", "axum", "tokio", "rusqlite", "samod", "reqwest",
    ];
    for krate in PLAIN_CRATES {
        for path in sources()
            .into_iter()
            .filter(|p| p.starts_with(root().join(krate)))
        {
            let code = code(&path);
            for name in forbidden {
                assert!(
                    !code.contains(&format!("{name}::")),
                    "{} names {name}",
                    relative(&path)
                );
            }
        }
        let manifest = std::fs::read_to_string(root().join(krate).join("Cargo.toml")).unwrap();
        for name in forbidden {
            assert!(
                !manifest.lines().any(|l| l.trim_start().starts_with(name)),
                "{krate} depends on {name}"
            );
        }
    }
}

/// ARCHITECTURE.md: the server depends on the domain, documents and store crates only, never on
/// what a person does on a device (the session, its HTTP client, the PDFs).
#[test]
fn the_server_depends_on_no_device_crate() {
    let manifest = std::fs::read_to_string(root().join("sync-server/Cargo.toml")).unwrap();
    for name in [
        "mentoring",
        "pm-device",
        "pm-certificate",
        "pm-archive",
        "reqwest",
        "pdf-writer",
    ] {
        assert!(
            !manifest.lines().any(|l| l.trim_start().starts_with(name)),
            "sync-server depends on {name}"
        );
    }
}

/// Every error code the window can be handed has a text in Dutch and in English, so no one
/// reads a bare code. The codes are the literals of `ActionError::code`, `CodeError::code` and
/// `ApiFailure::code`, and every code the server's API answers with.
#[test]
fn every_error_code_has_a_text_in_both_languages() {
    use mentoring::i18n::{has, t};
    use mentoring::model::Language;
    fn code_fn_literals(file: &str, function: &str) -> Vec<String> {
        let text = code(&root().join(file));
        let start = text
            .find(function)
            .unwrap_or_else(|| panic!("{function} in {file}"));
        let body = &text[start..];
        let end = body.find("\n    }\n").unwrap_or(body.len());
        body[..end]
            .split("=> \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    }
    let mut codes = code_fn_literals("mentoring/src/session/mod.rs", "pub fn code(&self)");
    codes.extend(code_fn_literals(
        "crates/domain/src/codes.rs",
        "pub fn code(self)",
    ));
    codes.extend(code_fn_literals(
        "crates/device/src/client.rs",
        "pub fn code(&self)",
    ));
    for path in sources() {
        let shell = code(&path);
        codes.extend(
            shell
                .split("CommandError::new(")
                .skip(1)
                .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
                .map(str::to_owned),
        );
    }
    for file in ["sync-server/src/api.rs", "sync-server/src/server.rs"] {
        let text = code(&root().join(file));
        for after in text.split("StatusCode::").skip(1) {
            let after = after.trim_start_matches(|c: char| c.is_ascii_uppercase() || c == '_');
            if let Some(rest) = after.trim_start().strip_prefix(',')
                && let Some(literal) = rest.trim_start().strip_prefix('"')
            {
                codes.push(literal.split('"').next().unwrap_or_default().to_owned());
            }
        }
    }
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 40, "the codes are found: {codes:?}");
    let untranslated: Vec<&String> = codes
        .iter()
        .filter(|c| {
            let key = format!("error.{c}");
            !has(&key) || t(Language::Nl, &key).is_empty() || t(Language::En, &key).is_empty()
        })
        .collect();
    assert!(
        untranslated.is_empty(),
        "error codes without a text in both languages: {untranslated:?}"
    );
}

/// ARCHITECTURE.md's code map names every crate, and every module of the library crates and
/// the server.
#[test]
fn the_code_map_names_every_module() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut missing = Vec::new();
    for krate in crates() {
        if !map.contains(&format!("`{krate}/`")) {
            missing.push(krate.clone());
        }
        if ["app", "tests", "src-tauri"].contains(&krate.as_str()) {
            continue;
        }
        let dir = format!("{krate}/src");
        for entry in std::fs::read_dir(root().join(&dir)).unwrap().flatten() {
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

/// Every command of the contract is answered by exactly one of `mentoring::answer`'s area dispatchers, and
/// the dispatchers answer nothing else.
#[test]
fn every_command_has_one_dispatcher() {
    let contract = code(&root().join("crates/domain/src/commands.rs"));
    let mut declared: Vec<String> = contract
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.split("=> ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    declared.sort();
    let mut routed = Vec::new();
    for entry in std::fs::read_dir(root().join("mentoring/src/answer"))
        .unwrap()
        .flatten()
    {
        let text = code(&entry.path());
        routed.extend(
            text.lines()
                .filter_map(|l| l.trim().strip_prefix("cmd::")?.split_once(" => |"))
                .map(|(command, _)| command.to_owned()),
        );
    }
    routed.sort();
    assert!(declared.len() > 50, "the commands are found: {declared:?}");
    assert_eq!(
        declared, routed,
        "commands declared vs. commands dispatched"
    );
}

/// The window's pages import components, never another page (no cycles between screens).
#[test]
fn pages_never_import_pages() {
    let pages = root().join("app/src/pages");
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&pages).expect("app/src/pages").flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "mod.rs") {
            continue;
        }
        let code = code(&path);
        if code.contains("crate::pages") || code.contains("super::") {
            offenders.push(relative(&path));
        }
    }
    assert!(
        offenders.is_empty(),
        "pages that import pages: {offenders:?}"
    );
    let components = root().join("app/src/components");
    for entry in std::fs::read_dir(&components)
        .expect("app/src/components")
        .flatten()
    {
        let code = code(&entry.path());
        assert!(
            !code.contains("crate::pages"),
            "{} imports a page",
            relative(&entry.path())
        );
    }
}

/// Architecture Invariant: a screen loads what it shows through `Ctx::shown` (a resource asked
/// again after every change), never through an effect that writes a signal; `shown` is the only
/// place in the window that follows `refresh`.
#[test]
fn screens_load_through_resources() {
    let mut offenders = Vec::new();
    for dir in ["app/src/pages", "app/src/components"] {
        for entry in std::fs::read_dir(root().join(dir)).expect(dir).flatten() {
            let code = code(&entry.path());
            if code.contains("refresh.track()") || code.contains("ctx.load(") {
                offenders.push(relative(&entry.path()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "screens that load through effects instead of Ctx::shown: {offenders:?}"
    );
    assert!(code(&root().join("app/src/main.rs")).contains("LocalResource::new"));
}

/// Architecture Invariant: Tauri's `generate_context!` (which writes the embedded window files
/// into the build folder, skipping files that exist) is expanded in one compilation only, never
/// in a unit-test build beside it: two at once shared the folder, one embedded a file the other
/// was still writing, and the window came up blank.
#[test]
fn the_window_files_are_embedded_by_one_compilation() {
    let naming: Vec<String> = sources()
        .into_iter()
        .filter(|p| code(p).contains("generate_context!"))
        .map(|p| relative(&p))
        .collect();
    assert_eq!(naming, ["src-tauri/src/window.rs"]);
    let lib = code(&root().join("src-tauri/src/lib.rs"));
    assert!(
        lib.contains("#[cfg(not(test))]\nmod window;"),
        "src-tauri's window module is left out of its unit-test build"
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
