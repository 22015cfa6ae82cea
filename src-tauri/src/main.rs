//! # peer-mentoring
//!
//! The app a mentor, mentee or coordinator runs: a Tauri window showing the Leptos frontend
//! (`app/`), and behind it the person's [`Device`](mentoring::device::Device): her documents in a
//! local SQLite file, synced with the sync server when it can be reached. This crate only starts
//! things and translates: commands in [`commands`] call the `mentoring` crate and hand back its
//! view values.
//!
//! ```text
//! peer-mentoring [--data-dir DIR] [--server http://127.0.0.1:3030] [--export-dir DIR]
//! ```
//! (or `PEER_MENTORING_DATA_DIR`, `PEER_MENTORING_SERVER`, `PEER_MENTORING_EXPORT_DIR`; the server
//! is remembered.)

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod launch;

use std::sync::Arc;

use mentoring::api::SyncState;
use mentoring::device::Device;
use mentoring::session::{ActionError, Session};
use tauri::{Emitter, Manager};

/// What the commands work on: the open device, or why it could not be opened.
pub struct Shell {
    pub device: Result<Arc<Device>, String>,
    pub launch: launch::Launch,
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let given = match launch::Given::read(std::env::args().skip(1)) {
        Ok(given) => given,
        Err(e) => {
            eprintln!("peer-mentoring: {e}");
            std::process::exit(2);
        }
    };
    let app = tauri::Builder::default()
        .setup(move |app| {
            let launch = given.resolve(
                app.path().app_data_dir().ok(),
                app.path().download_dir().ok(),
            );
            let device = tauri::async_runtime::block_on(open_device(&launch));
            if let Ok(device) = &device {
                follow_device(app.handle().clone(), device.clone());
            }
            app.manage(Shell { device, launch });
            Ok(())
        })
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![commands::command])
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
            && let Ok(device) = &handle.state::<Shell>().device
        {
            tauri::async_runtime::block_on(device.close());
        }
    });
}

async fn open_device(launch: &launch::Launch) -> Result<Arc<Device>, String> {
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

/// How often a connected device asks the server whether it may have new documents (a pair
/// just formed, a programme just joined).
const DIRECTORY_EVERY: std::time::Duration = std::time::Duration::from_secs(8);

/// Forwards the device's sync status and document changes to the window as events, and while
/// online sends waiting registrations and fetches newly shared documents.
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
    let mut online = device.status();
    tauri::async_runtime::spawn(async move {
        loop {
            let connected = matches!(
                online.borrow_and_update().state,
                SyncState::Syncing | SyncState::Synced
            );
            if connected {
                if let Err(e) = session.flush_registrations().await {
                    tracing::debug!(error = %e, "registrations wait");
                }
                match session.sync_directory().await {
                    Ok(()) | Err(ActionError::NoServer) => {}
                    Err(e) => tracing::debug!(error = %e, "directory not refreshed"),
                }
            }
            let _ = tokio::time::timeout(DIRECTORY_EVERY, online.changed()).await;
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
