//! The window's one Tauri command, `command`: a command's name and parameters go to
//! `mentoring::answer`, with this desktop as its [`Host`]: exported files go to the export folder,
//! mail opens in the system's mail program.

use std::path::{Path, PathBuf};

use mentoring::answer::{CommandError, Host, answer};
use mentoring::api::{AppInfo, ErrorKind, SavedFile};
use mentoring::session::Session;
use serde_json::Value;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::window::Shell;

/// The desktop, as the commands see it.
struct Desktop<'a> {
    shell: &'a Shell,
    app: &'a AppHandle,
}

impl Host for Desktop<'_> {
    fn session(&self) -> Result<Session, CommandError> {
        self.shell
            .device()
            .map(Session::new)
            .map_err(|e| CommandError::new("storage_unavailable", ErrorKind::Infrastructure, e))
    }

    fn about(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.shell.launch.data_dir.display().to_string(),
            server: self.shell.launch.server.as_ref().map(|u| u.to_string()),
            device_id: self.shell.device().ok().map(|d| d.peer_id()),
            startup_error: self.shell.device().err(),
        }
    }

    fn save_file(&self, name: &str, bytes: &[u8]) -> Result<SavedFile, CommandError> {
        let path = write_export(&self.shell.launch.export_dir, name, bytes)?;
        Ok(SavedFile {
            path: path.display().to_string(),
        })
    }

    fn open_mail(&self, mailto: &str) -> Result<(), CommandError> {
        self.app
            .opener()
            .open_url(mailto, None::<&str>)
            .map_err(|e| CommandError::new("no_mail_client", ErrorKind::Infrastructure, e))
    }

    fn start_again(&self) {
        crate::window::start_again(self.app);
    }
}

/// The one command the window calls: `name` is a command's name, `params` its parameters.
#[tauri::command]
pub async fn command(
    app: AppHandle,
    shell: State<'_, Shell>,
    name: String,
    params: Value,
) -> Result<Value, CommandError> {
    let desktop = Desktop {
        shell: &shell,
        app: &app,
    };
    answer(&desktop, &name, params).await
}

/// Writes a file into the export folder: whole or not at all (written aside, then renamed).
fn write_export(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, CommandError> {
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
