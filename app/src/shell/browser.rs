//! The phone's shell: the same core the desktop runs in its Tauri process (`mentoring`), here in
//! the page. Documents are kept in the browser's IndexedDB, sync runs over the browser's
//! websocket with single-use sync tickets, the server's API over fetch; the server is the one
//! that served the page. Exported files are downloaded; mail opens through its `mailto:` link.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use mentoring::answer::{self, Host};
use mentoring::api::Reminder;
use mentoring::api::{AppInfo, ErrorKind, SavedFile};
use mentoring::commands::{self as cmd, Command};
use mentoring::device::Device;
use mentoring::session::Session;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;
use url::Url;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;

use super::CommandError;

/// The IndexedDB database the device keeps its data in.
const DATABASE: &str = "peer-mentoring";

type Opened = Result<Arc<Device>, String>;
type Listener = Rc<dyn Fn(Value)>;

thread_local! {
    /// The device, opened once, on first use.
    static DEVICE: Shared<LocalBoxFuture<'static, Opened>> = open().boxed_local().shared();
    static LISTENERS: RefCell<Vec<(&'static str, Listener)>> = RefCell::default();
}

/// The address that served this page: the sync server.
fn origin() -> Option<Url> {
    let origin = web_sys::window()?.location().origin().ok()?;
    Url::parse(&origin).ok()
}

async fn open() -> Opened {
    keep_app_offline();
    hold_the_device().await?;
    let device = Device::open_in_browser(DATABASE)
        .await
        .map_err(|e| e.to_string())?;
    let session = Session::new(device.clone());
    if let Some(server) = origin()
        && let Err(e) = session.remember_launch_server(&server)
    {
        tracing::warn!(error = %e, "could not remember the server address");
    }
    session.connect_saved().map_err(|e| e.to_string())?;
    follow(device.clone(), session);
    ask_to_keep_storage();
    Ok(device)
}

/// Takes the browser's lock on this device for as long as the page lives (Web Locks): a second
/// tab of the app must not open the same IndexedDB database and dial as the same device beside
/// the first. Browsers without Web Locks open without it.
async fn hold_the_device() -> Result<(), String> {
    let Some(window) = web_sys::window() else {
        return Ok(());
    };
    let navigator: wasm_bindgen::JsValue = window.navigator().into();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).unwrap_or_default();
    let Ok(request) = js_sys::Reflect::get(&locks, &"request".into())
        .and_then(|r| r.dyn_into::<js_sys::Function>())
    else {
        return Ok(());
    };
    let (granted, answer) = futures::channel::oneshot::channel::<bool>();
    let held = Closure::once_into_js(move |lock: wasm_bindgen::JsValue| -> js_sys::Promise {
        let got = !lock.is_null();
        let _ = granted.send(got);
        if got {
            // Never settles: the lock is held until the page goes.
            js_sys::Promise::new(&mut |_, _| {})
        } else {
            js_sys::Promise::resolve(&wasm_bindgen::JsValue::UNDEFINED)
        }
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &true.into());
    if request
        .call3(&locks, &DATABASE.into(), &options, &held)
        .is_err()
    {
        return Ok(());
    }
    match answer.await {
        Ok(false) => Err(ALREADY_OPEN.to_owned()),
        _ => Ok(()),
    }
}

/// Shown when the app is already open in another tab of this browser.
const ALREADY_OPEN: &str = "de app is al open in een ander tabblad of venster; ga daarheen of sluit het / the app is already open in another tab or window; go there or close it";

/// Sends the device's sync status and document changes to the screens, and keeps in touch with
/// the server while online.
fn follow(device: Arc<Device>, session: Session) {
    spawn_local(async move {
        if session.keep_in_touch().await == mentoring::session::Ended::Erased {
            start_again();
        }
    });
    let host = Browser {
        device: Ok(device.clone()),
    };
    spawn_local(async move {
        loop {
            remind(&host).await;
            mentoring::runtime::sleep(REMIND_EVERY).await;
        }
    });
    let mut status = device.status();
    spawn_local(async move {
        loop {
            let current = status.borrow_and_update().clone();
            emit("sync-status", &current);
            if status.changed().await.is_err() {
                break;
            }
        }
    });
    let mut changes = device.changes();
    spawn_local(async move {
        loop {
            match changes.recv().await {
                Ok(doc_id) => emit("doc-changed", &doc_id),
                Err(RecvError::Lagged(_)) => emit("doc-changed", &"*"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// How often the page looks for meetings to remind her of (the day before each).
const REMIND_EVERY: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// The browser host on the device, once it is open.
fn device_host() -> Browser {
    Browser {
        device: DEVICE
            .with(|d| d.peek().cloned())
            .unwrap_or_else(|| Err("not open yet".into())),
    }
}

/// Whether this browser has notifications at all (Safari on an iPhone has them only for an
/// app added to the home screen).
fn has_notifications() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &"Notification".into()).unwrap_or(false)
}

/// Whether she allowed this site's notifications.
fn notifications_allowed() -> bool {
    has_notifications()
        && web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
}

/// Whether the page may still ask her to allow notifications (she has not answered yet).
pub(super) fn may_ask_for_notifications() -> bool {
    has_notifications()
        && web_sys::Notification::permission() == web_sys::NotificationPermission::Default
}

/// Asks her to allow notifications (from a tap: browsers ask only then); `then` runs with her
/// answer, after which reminders come as notifications.
pub(super) fn ask_for_notifications(then: impl FnOnce(bool) + 'static) {
    let Ok(asked) = web_sys::Notification::request_permission() else {
        then(false);
        return;
    };
    spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(asked).await;
        let allowed = notifications_allowed();
        if allowed {
            remind(&device_host()).await;
        }
        then(allowed);
    });
}

/// Shows a notification for each of tomorrow's meetings she was not yet reminded of, and
/// marks as given the ones the browser showed; only once she allowed them.
async fn remind(host: &Browser) {
    if !notifications_allowed() || host.device.is_err() {
        return;
    }
    let empty = serde_json::Value::Object(Default::default());
    let Ok(answer) = answer::answer(host, cmd::DueReminders::NAME, empty).await else {
        return;
    };
    let reminders: Vec<Reminder> = serde_json::from_value(answer).unwrap_or_default();
    let mut shown = Vec::new();
    for reminder in reminders {
        match show(&reminder).await {
            Ok(()) => shown.push(reminder),
            Err(e) => tracing::info!(error = ?e, "a reminder could not be shown"),
        }
    }
    if !shown.is_empty() {
        let params =
            serde_json::to_value(cmd::MarkReminded { reminders: shown }).unwrap_or_default();
        let _ = answer::answer(host, cmd::MarkReminded::NAME, params).await;
    }
}

/// Shows one reminder: through the service worker (a phone's browser allows only that), else
/// as a page notification.
async fn show(reminder: &Reminder) -> Result<(), wasm_bindgen::JsValue> {
    let options = web_sys::NotificationOptions::new();
    options.set_body(&reminder.body);
    options.set_icon("./icon-192.png");
    options.set_tag(&reminder.meeting);
    let window = web_sys::window().ok_or("no window")?;
    // `ready` waits for a service worker; without one (it could not be installed) it never ends.
    let ready = window.navigator().service_worker().ready();
    if let Ok(ready) = ready
        && let Some(registration) = mentoring::runtime::within(
            std::time::Duration::from_secs(10),
            wasm_bindgen_futures::JsFuture::from(ready),
        )
        .await
    {
        let registration: web_sys::ServiceWorkerRegistration = registration?.dyn_into()?;
        let shown = registration.show_notification_with_options(&reminder.title, &options)?;
        wasm_bindgen_futures::JsFuture::from(shown).await?;
        return Ok(());
    }
    web_sys::Notification::new_with_options(&reminder.title, &options).map(|_| ())
}

/// Lets the service worker (`web/sw.js`) keep the app's files, so that it starts offline.
fn keep_app_offline() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().service_worker().register("./sw.js");
    spawn_local(async move {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
            tracing::warn!(error = ?e, "the app cannot be kept for offline use");
        }
    });
}

/// Asks the browser not to evict this site's storage (it may say no; the data can then still be
/// rebuilt from the server once synced).
fn ask_to_keep_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(promise) = window.navigator().storage().persist() {
        spawn_local(async move {
            let kept = wasm_bindgen_futures::JsFuture::from(promise).await;
            tracing::info!(kept = ?kept.map(|v| v.as_bool()), "asked to keep this site's storage");
        });
    }
}

fn emit(event: &'static str, payload: &impl Serialize) {
    let Ok(value) = serde_json::to_value(payload) else {
        return;
    };
    let listeners: Vec<Listener> = LISTENERS.with(|l| {
        l.borrow()
            .iter()
            .filter(|(name, _)| *name == event)
            .map(|(_, listener)| listener.clone())
            .collect()
    });
    for listener in listeners {
        listener(value.clone());
    }
}

pub(super) fn on_event<T: DeserializeOwned + 'static>(
    event: &'static str,
    handler: impl Fn(T) + 'static,
) {
    let listener: Listener = Rc::new(move |value| {
        if let Ok(payload) = serde_json::from_value(value) {
            handler(payload);
        }
    });
    LISTENERS.with(|l| l.borrow_mut().push((event, listener)));
}

pub(super) async fn call<C: Command>(command: &C) -> Result<C::Output, CommandError> {
    let params = serde_json::to_value(command).map_err(CommandError::bridge)?;
    let host = Browser {
        device: DEVICE.with(Clone::clone).await,
    };
    match answer::answer(&host, C::NAME, params).await {
        Ok(value) => serde_json::from_value(value).map_err(CommandError::bridge),
        Err(e) => Err(CommandError {
            code: e.code,
            kind: e.kind,
            detail: e.detail,
        }),
    }
}

/// The browser, as the commands see it.
struct Browser {
    device: Opened,
}

impl Host for Browser {
    fn session(&self) -> Result<Session, answer::CommandError> {
        self.device.clone().map(Session::new).map_err(|e| {
            answer::CommandError::new("storage_unavailable", ErrorKind::Infrastructure, e)
        })
    }

    fn about(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: format!("IndexedDB: {DATABASE}"),
            server: origin().map(|u| u.to_string()),
            device_id: self.device.as_ref().ok().map(|d| d.peer_id()),
            startup_error: self.device.as_ref().err().cloned(),
        }
    }

    fn save_file(&self, name: &str, bytes: &[u8]) -> Result<SavedFile, answer::CommandError> {
        download(name, bytes).map_err(|e| {
            answer::CommandError::new("export_failed", ErrorKind::Infrastructure, e)
        })?;
        Ok(SavedFile {
            path: name.to_owned(),
        })
    }

    fn open_mail(&self, mailto: &str) -> Result<(), answer::CommandError> {
        web_sys::window()
            .ok_or("no window")
            .and_then(|w| w.location().set_href(mailto).map_err(|_| "refused"))
            .map_err(|e| answer::CommandError::new("no_mail_client", ErrorKind::Infrastructure, e))
    }

    fn start_again(&self) {
        start_again();
    }
}

/// Opens the app afresh (the device was erased: the page starts as on a new phone).
fn start_again() {
    if let Some(window) = web_sys::window()
        && let Err(e) = window.location().reload()
    {
        tracing::warn!(error = ?e, "the page could not be reloaded");
    }
}

/// Hands a file to the browser's downloads.
fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    let failed = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| "not a link")?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Some browsers read the file after `click` returns: let it go a minute later.
    spawn_local(async move {
        mentoring::runtime::sleep(std::time::Duration::from_secs(60)).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}
