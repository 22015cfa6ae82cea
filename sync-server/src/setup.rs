//! The setup key a coordinator needs to start a programme (kept only as a hash; made once and
//! written to a file only the server's user can read) and the server's private files.

use crate::Config;
use crate::registry::Registry;
use crate::server::ServerError;
use crate::state::SetupKey;

/// Makes a file readable and writable by the server's user only.
pub(crate) fn restrict_to_owner(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            tracing::warn!(file = %path.display(), error = %e, "could not restrict a file to its owner");
        }
    }
}

/// The key a coordinator needs to set up a programme, kept only as a hash: from the
/// configuration, or made once and shown to the administrator in `setup-key.txt` (mode 0600).
pub(crate) fn setup_key(config: &Config, registry: &Registry) -> Result<SetupKey, ServerError> {
    const SETTING: &str = "setup_key_sha256";
    if let Some(key) = &config.setup_key {
        if key.trim().is_empty() {
            return Err(ServerError::EmptySetupKey);
        }
        let digest = SetupKey::digest_of(key);
        registry.set_setting(SETTING, &hex(&digest))?;
        return Ok(SetupKey::from_digest(digest));
    }
    let file = config.data_dir.join("setup-key.txt");
    if let Some(digest) = registry.setting(SETTING)?.and_then(|h| unhex(&h)) {
        if file.exists() {
            tracing::info!(file = %file.display(), "the setup key for new programmes is in this file");
        } else {
            tracing::info!(
                "the setup key was shown once in setup-key.txt; to set a new one, start with --setup-key"
            );
        }
        return Ok(SetupKey::from_digest(digest));
    }
    let key = pm_domain::codes::display(&pm_domain::codes::new_code());
    write_private(&file, &format!("{key}\n"))
        .map_err(|e| ServerError::SetupKey(file.display().to_string(), e))?;
    let digest = SetupKey::digest_of(&key);
    registry.set_setting(SETTING, &hex(&digest))?;
    tracing::info!(file = %file.display(), "the setup key for new programmes is in this file");
    Ok(SetupKey::from_digest(digest))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}
