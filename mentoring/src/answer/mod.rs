//! The window's commands (`crate::commands`), answered, for any shell: [`answer`] takes a
//! command's name and parameters and hands them to the dispatcher of its area ([`profile`],
//! [`joining`], [`coordinator`], [`pair`], [`circle`]), whose functions translate them into
//! [`Session`] calls. Each answer is the command's output, or an error with a code the window
//! words in the person's language. What differs between a desktop and a browser (where exported
//! files go, how a mail program opens, what the app says about itself) is the shell's [`Host`].

mod circle;
mod coordinator;
mod joining;
mod pair;
mod profile;

use chrono::{Local, NaiveDate};
use serde::Serialize;
use serde_json::Value;

use crate::api::{AppInfo, ErrorKind, SavedFile};
use crate::commands::Command;
use crate::session::{ActionError, Session};

/// What a shell gives the commands.
pub trait Host: Sync {
    /// The session commands act in, or why the device could not be opened.
    fn session(&self) -> Result<Session, CommandError>;

    /// What the app says about itself (version, where its data lives, the server it was given).
    fn about(&self) -> AppInfo;

    /// Saves an exported file (calendar, CSV, PDF) where she will find it, whole or not at all.
    fn save_file(&self, name: &str, bytes: &[u8]) -> Result<SavedFile, CommandError>;

    /// Opens her mail program with a prepared message (a `mailto:` address, already checked).
    fn open_mail(&self, mailto: &str) -> Result<(), CommandError>;

    /// Starts the app again, shortly after the answer went out (the device was erased).
    fn start_again(&self);
}

/// An error as the window receives it: a stable code it translates, its kind, and the technical
/// detail.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub code: String,
    pub kind: ErrorKind,
    pub detail: String,
}

impl CommandError {
    pub fn new(code: &str, kind: ErrorKind, detail: impl ToString) -> Self {
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

/// Answers one command: `name` is a [`Command::NAME`], `params` its parameters.
pub async fn answer(host: &dyn Host, name: &str, params: Value) -> Answer<Value> {
    if let Some(answer) = profile::dispatch(host, name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = joining::dispatch(host, name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = coordinator::dispatch(host, name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = pair::dispatch(host, name, params.clone()).await {
        return answer;
    }
    if let Some(answer) = circle::dispatch(host, name, params).await {
        return answer;
    }
    Err(CommandError::new(
        "bad_request",
        ErrorKind::Invalid,
        format!("no command {name:?}"),
    ))
}

/// Reads a command's parameters, runs its handler, and hands back its output as JSON.
async fn respond<C, F>(params: Value, handler: impl FnOnce(C) -> F) -> Answer<Value>
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
            if name == <$command as crate::commands::Command>::NAME {
                return Some(super::respond::<$command, _>($params, $handler).await);
            }
        )*
        None
    }};
}
use route;

fn today() -> NaiveDate {
    Local::now().date_naive()
}
