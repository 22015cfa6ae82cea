//! The bridge to whichever shell runs the core: on a desktop the Tauri process ([`tauri`]), in a
//! phone's browser the core itself, in this page ([`browser`]). Screens call [`call`] and
//! [`on_event`] and do not know which.

mod browser;
mod tauri;

use std::sync::OnceLock;

use pm_domain::api::ErrorKind;
use pm_domain::commands::Command;
use serde::de::DeserializeOwned;

/// An error from a command: a code the window translates and the technical detail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CommandError {
    pub code: String,
    #[serde(default = "unknown_kind")]
    pub kind: ErrorKind,
    #[serde(default)]
    pub detail: String,
}

fn unknown_kind() -> ErrorKind {
    ErrorKind::Infrastructure
}

impl CommandError {
    fn bridge(detail: impl ToString) -> Self {
        CommandError {
            code: "bridge".into(),
            kind: ErrorKind::Infrastructure,
            detail: detail.to_string(),
        }
    }
}

/// Whether the page runs in the desktop app (Tauri puts its bridge on the window before the
/// page's scripts run).
fn in_tauri() -> bool {
    static IN_TAURI: OnceLock<bool> = OnceLock::new();
    *IN_TAURI.get_or_init(|| {
        js_sys::Reflect::has(&js_sys::global(), &"__TAURI__".into()).unwrap_or(false)
    })
}

/// Runs a command in the shell and reads its answer as the command's output type.
pub async fn call<C: Command>(command: &C) -> Result<C::Output, CommandError> {
    if in_tauri() {
        tauri::call(command).await
    } else {
        browser::call(command).await
    }
}

/// Runs `handler` with the payload of every `event` the shell sends (`sync-status`,
/// `doc-changed`), for the life of the page.
pub fn on_event<T: DeserializeOwned + 'static>(event: &'static str, handler: impl Fn(T) + 'static) {
    if in_tauri() {
        tauri::on_event(event, handler);
    } else {
        browser::on_event(event, handler);
    }
}

/// Whether the app may offer to turn on reminders here: a browser that has not been asked yet
/// (the desktop app shows them without asking).
pub fn reminders_can_be_offered() -> bool {
    !in_tauri() && browser::may_ask_for_notifications()
}

/// Asks the browser to allow reminders; `then` gets her answer.
pub fn turn_on_reminders(then: impl FnOnce(bool) + 'static) {
    browser::ask_for_notifications(then);
}

/// The invitation code a link opened the page with (`?join=CODE`, where `/join/CODE` leads):
/// read once, then taken out of the address, so that a reload later opens the app as usual.
fn invitation_in_address() -> Option<String> {
    static CODE: OnceLock<Option<String>> = OnceLock::new();
    CODE.get_or_init(|| {
        let window = web_sys::window()?;
        let location = window.location();
        let code = pm_domain::codes::from_link(&location.href().ok()?)?;
        if let (Ok(history), Ok(path)) = (window.history(), location.pathname()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
        Some(code)
    })
    .clone()
}

thread_local! {
    /// A code an invitation link brought while the app was running (a phone app opened by it).
    static LINKED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps the code of an invitation link the shell reports (`invitation-link`).
pub fn remember_invitation(code: String) {
    LINKED.with(|l| *l.borrow_mut() = Some(code));
}

/// The invitation code a link brought: the page's address, or a link the shell reported since.
pub fn invitation_from_link() -> Option<String> {
    LINKED
        .with(|l| l.borrow().clone())
        .or_else(invitation_in_address)
}
