//! The window's commands (`mentoring::commands`), answered: one Tauri command, `command`, takes a
//! command's name and parameters and hands them to the dispatcher of its area ([`profile`],
//! [`joining`], [`coordinator`], [`pair`], [`circle`]). Each answer is the command's output, or an
//! error with a code the window words in the person's language.

mod circle;
mod coordinator;
mod joining;
mod pair;
mod profile;

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate};
use mentoring::api::ErrorKind;
use mentoring::commands::Command;
use mentoring::session::{ActionError, Session};
use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, State};

use crate::Shell;

/// An error as the window receives it: a stable code it translates, its kind, and the technical
/// detail.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub code: String,
    pub kind: ErrorKind,
    pub detail: String,
}

impl CommandError {
    fn new(code: &str, kind: ErrorKind, detail: impl ToString) -> Self {
        CommandError {
            code: code.to_owned(),
            kind,
            detail: detail.to_string(),
        }
    }
}

impl From<ActionError> for CommandError {
    fn from(e: ActionError) -> Self {
        if matches!(e, ActionError::Device(_)) {
            tracing::warn!(error = %e, "a command failed");
        }
        CommandError {
            code: e.code(),
            kind: e.kind(),
            detail: e.to_string(),
        }
    }
}

type Answer<T> = Result<T, CommandError>;

/// The one command the window calls: `name` is a [`Command::NAME`], `params` its parameters.
#[tauri::command]
pub async fn command(
    app: AppHandle,
    shell: State<'_, Shell>,
    name: String,
    params: Value,
) -> Answer<Value> {
    let shell: &Shell = &shell;
    if let Some(answer) = profile::dispatch(shell, &name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = joining::dispatch(shell, &name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = coordinator::dispatch(shell, &name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = pair::dispatch(shell, &app, &name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = circle::dispatch(shell, &name, params).await {
        return answer;
    }
    Err(CommandError::new(
        "bad_request",
        ErrorKind::Invalid,
        format!("no command {name:?}"),
    ))
}

/// Reads a command's parameters, runs its handler, and hands back its output as JSON.
async fn answer<C, F>(params: Value, handler: impl FnOnce(C) -> F) -> Answer<Value>
where
    C: Command,
    F: Future<Output = Answer<C::Output>>,
{
    let request: C = serde_json::from_value(params).map_err(|e| {
        CommandError::new(
            "bad_request",
            ErrorKind::Invalid,
            format!("{}: {e}", C::NAME),
        )
    })?;
    let output = handler(request).await?;
    serde_json::to_value(output)
        .map_err(|e| CommandError::new("bridge", ErrorKind::Infrastructure, e))
}

/// An area's dispatcher: each command type with the handler that answers it.
macro_rules! route {
    ($name:expr, $params:expr, { $($command:ty => $handler:expr),* $(,)? }) => {{
        let name: &str = $name;
        $(
            if name == <$command as mentoring::commands::Command>::NAME {
                return Some(super::answer::<$command, _>($params, $handler).await);
            }
        )*
        None
    }};
}
use route;

fn session(shell: &Shell) -> Answer<Session> {
    shell
        .device
        .clone()
        .map(Session::new)
        .map_err(|e| CommandError::new("storage_unavailable", ErrorKind::Infrastructure, e))
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// Writes a file into the export folder: whole or not at all (written aside, then renamed).
fn write_export(dir: &Path, name: &str, bytes: &[u8]) -> Answer<PathBuf> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CommandError::new("export_failed", ErrorKind::Infrastructure, e))?;
    let path = dir.join(name);
    let partial = dir.join(format!(".{name}.part"));
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| {
            CommandError::new(
                "export_failed",
                ErrorKind::Infrastructure,
                format!("{}: {e}", path.display()),
            )
        })?;
    Ok(path)
}
