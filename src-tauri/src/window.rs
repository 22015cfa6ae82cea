//! The window and the device behind it: reads the launch options, opens the device, starts the
//! Tauri window with the one command (`crate::commands`), and forwards the device's status and
//! changes to the window as events. Not in the crate's unit-test build, so that Tauri's
//! `generate_context!` (which writes the embedded window files into the build folder) runs in one
//! compilation only: two at once shared that folder, one read a file the other was still writing,
//! and the window came up blank.

use std::sync::{Arc, RwLock};

use mentoring::device::Device;
use mentoring::session::Session;
use tauri::{Emitter, Manager};

/// What the commands work on: the open device, or why it could not be opened.
pub struct Shell {
    /// Replaced when the app starts again on an erased device.
    pub device: RwLock<Result<Arc<Device>, String>>,
    pub launch: crate::launch::Launch,
}

impl Shell {
    pub fn device(&self) -> Result<Arc<Device>, String> {
        self.device
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Starts again on this device after it was erased: opens the (now empty) device afresh, follows
/// it, and reloads the window, which then shows the first screen.
pub fn start_again(app: &tauri::AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        let device = open_device(&shell.launch).await;
        if let Ok(device) = &device {
            follow_device(app.clone(), device.clone());
        }
        *shell.device.write().unwrap_or_else(|p| p.into_inner()) = device;
        for window in app.webview_windows().values() {
            if let Err(e) = window.eval("location.reload()") {
                tracing::warn!(error = %e, "the window could not be reloaded");
            }
        }
    });
}

/// Starts the app: on a desktop from `main`, on a phone (a future `tauri android`/`tauri ios`
/// build, see ARCHITECTURE.md) from the platform's entry point.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let given = match crate::launch::Given::read(std::env::args().skip(1)) {
        Ok(given) => given,
        Err(e) => {
            eprintln!("peer-mentoring: {e}");
            std::process::exit(2);
        }
    };
    let builder = tauri::Builder::default();
    // On a phone, invitation links (`https://<server>/join/<code>`, tauri.conf.json) open the app.
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_deep_link::init());
    let app = builder
        .setup(move |app| {
            #[cfg(mobile)]
            follow_invitation_links(app);
            let launch = given.resolve(
                app.path().app_data_dir().ok(),
                app.path().download_dir().ok(),
            );
            let device = tauri::async_runtime::block_on(open_device(&launch));
            if let Ok(device) = &device {
                follow_device(app.handle().clone(), device.clone());
            }
            app.manage(Shell {
                device: RwLock::new(device),
                launch,
            });
            console_to_stdout(app);
            Ok(())
        })
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(tauri::generate_handler![crate::commands::command])
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("peer-mentoring: cannot start the window: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event
            && let Ok(device) = handle.state::<Shell>().device()
        {
            tauri::async_runtime::block_on(device.close());
        }
    });
}

/// Sends the code of each invitation link that opens the app to the window (`invitation-link`),
/// which shows its join page with the code.
#[cfg(mobile)]
fn follow_invitation_links(app: &tauri::App) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            if let Some(code) = mentoring::codes::from_link(url.as_str()) {
                let _ = handle.emit("invitation-link", code);
            }
        }
    });
}

/// Writes the webview's console (errors included) to stdout: a window that cannot start says
/// why in the log instead of staying blank without a word.
fn console_to_stdout(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    for window in app.webview_windows().values() {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_enable_write_console_messages_to_stdout(true);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

async fn open_device(launch: &crate::launch::Launch) -> Result<Arc<Device>, String> {
    let device = Device::open(&launch.data_dir)
        .await
        .map_err(|e| e.to_string())?;
    let session = Session::new(device.clone());
    if let Some(server) = &launch.server
        && let Err(e) = session.remember_launch_server(server)
    {
        tracing::warn!(error = %e, "could not remember the server address");
    }
    session.connect_saved().map_err(|e| e.to_string())?;
    Ok(device)
}

/// How often the app looks for meetings to remind her of (the day before each).
const REMIND_EVERY: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Shows the system's notification for each of tomorrow's meetings she was not yet reminded of.
async fn remind(app: &tauri::AppHandle, session: &Session) {
    use tauri_plugin_notification::{NotificationExt, PermissionState};
    if !matches!(
        app.notification().permission_state(),
        Ok(PermissionState::Granted)
    ) {
        return;
    }
    let today = chrono::Local::now().date_naive();
    match session.due_reminders(today).await {
        Ok(reminders) => {
            for reminder in reminders {
                let shown = app
                    .notification()
                    .builder()
                    .title(&reminder.title)
                    .body(&reminder.body)
                    .show();
                match shown {
                    Ok(()) => {
                        if let Err(e) = session.mark_reminded(std::slice::from_ref(&reminder)) {
                            tracing::warn!(error = %e, "a reminder shown could not be marked");
                        }
                    }
                    Err(e) => tracing::info!(error = %e, "a reminder could not be shown"),
                }
            }
        }
        Err(e) => tracing::debug!(error = %e, "no reminders now"),
    }
}

/// Forwards the device's sync status and document changes to the window as events, and keeps
/// in touch with the server while online (`Session::keep_in_touch`).
fn follow_device(app: tauri::AppHandle, device: Arc<Device>) {
    let mut status = device.status();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        while status.changed().await.is_ok() {
            let current = status.borrow_and_update().clone();
            let _ = handle.emit("sync-status", current);
        }
    });
    let session = Session::new(device.clone());
    let restarting = app.clone();
    tauri::async_runtime::spawn(async move {
        if session.keep_in_touch().await == mentoring::session::Ended::Erased {
            start_again(&restarting);
        }
    });
    let session = Session::new(device.clone());
    let reminding = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            remind(&reminding, &session).await;
            tokio::time::sleep(REMIND_EVERY).await;
        }
    });
    let mut changes = device.changes();
    tauri::async_runtime::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(doc_id) => {
                    let _ = app.emit("doc-changed", doc_id);
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let _ = app.emit("doc-changed", "*");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}
