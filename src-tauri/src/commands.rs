//! The commands the window may call. Each one translates: it takes what the person asked for,
//! calls the `mentoring` crate, and returns its view values or an error the window can word.

use std::sync::Arc;

use mentoring::api::SyncStatus;
use mentoring::device::Device;
use serde::Serialize;
use tauri::State;

use crate::Shell;

/// An error as the window receives it: a stable code it translates, and the technical detail.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub detail: String,
}

impl CommandError {
    fn new(code: &'static str, detail: impl ToString) -> Self {
        CommandError {
            code,
            detail: detail.to_string(),
        }
    }
}

fn device(shell: &Shell) -> Result<Arc<Device>, CommandError> {
    shell
        .device
        .clone()
        .map_err(|e| CommandError::new("storage_unavailable", e))
}

#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub server: Option<String>,
    pub device_id: Option<String>,
    pub startup_error: Option<String>,
}

#[tauri::command]
pub fn app_info(shell: State<'_, Shell>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: shell.launch.data_dir.display().to_string(),
        server: shell.launch.server.as_ref().map(|u| u.to_string()),
        device_id: shell.device.as_ref().ok().map(|d| d.peer_id()),
        startup_error: shell.device.as_ref().err().cloned(),
    }
}

#[tauri::command]
pub fn sync_status(shell: State<'_, Shell>) -> Result<SyncStatus, CommandError> {
    Ok(device(&shell)?.status().borrow().clone())
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentEntry {
    pub id: String,
    pub kind: String,
    pub title: String,
}

#[tauri::command]
pub fn documents(shell: State<'_, Shell>) -> Result<Vec<DocumentEntry>, CommandError> {
    let entries = device(&shell)?
        .documents()
        .map_err(|e| CommandError::new("storage_failed", e))?;
    Ok(entries
        .into_iter()
        .map(|e| DocumentEntry {
            id: e.doc_id,
            kind: e.kind,
            title: e.title,
        })
        .collect())
}
