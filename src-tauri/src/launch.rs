//! How the app was started: where its data lives and which sync server it talks to.

use std::path::PathBuf;

use url::Url;

/// The launch options, resolved.
#[derive(Debug, Clone)]
pub struct Launch {
    pub data_dir: PathBuf,
    pub server: Option<Url>,
    /// Where calendar files and other exports are written.
    pub export_dir: PathBuf,
}

/// The launch options as given, before defaults.
#[derive(Debug, Clone, Default)]
pub struct Given {
    data_dir: Option<PathBuf>,
    server: Option<Url>,
    export_dir: Option<PathBuf>,
}

impl Given {
    /// Reads `--data-dir`/`--server` from `args`, falling back to `PEER_MENTORING_DATA_DIR` and
    /// `PEER_MENTORING_SERVER`.
    pub fn read(args: impl Iterator<Item = String>) -> Result<Given, String> {
        let mut given = Given {
            data_dir: std::env::var_os("PEER_MENTORING_DATA_DIR").map(PathBuf::from),
            server: None,
            export_dir: std::env::var_os("PEER_MENTORING_EXPORT_DIR").map(PathBuf::from),
        };
        let mut server = std::env::var("PEER_MENTORING_SERVER").ok();
        let mut args = args.peekable();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--data-dir" => given.data_dir = Some(PathBuf::from(value()?)),
                "--server" => server = Some(value()?),
                "--export-dir" => given.export_dir = Some(PathBuf::from(value()?)),
                // Arguments added by the platform or by WebDriver are not ours to judge.
                _ => {}
            }
        }
        if let Some(server) = server.filter(|s| !s.is_empty()) {
            let url = Url::parse(&server).map_err(|e| format!("--server {server}: {e}"))?;
            given.server = Some(url);
        }
        Ok(given)
    }

    /// Fills in the platform's app data and downloads directories when none were given.
    pub fn resolve(self, app_data_dir: Option<PathBuf>, downloads: Option<PathBuf>) -> Launch {
        let data_dir = self
            .data_dir
            .or(app_data_dir)
            .unwrap_or_else(|| PathBuf::from("peer-mentoring-data"));
        Launch {
            export_dir: self
                .export_dir
                .or(downloads)
                .unwrap_or_else(|| data_dir.join("exports")),
            data_dir,
            server: self.server,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn flags_are_read_in_both_forms() {
        let given = Given::read(args(&[
            "--data-dir",
            "/tmp/x",
            "--server=http://127.0.0.1:3030",
        ]))
        .unwrap();
        let launch = given.resolve(None, None);
        assert_eq!(launch.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(launch.export_dir, PathBuf::from("/tmp/x/exports"));
        assert_eq!(launch.server.unwrap().as_str(), "http://127.0.0.1:3030/");
    }

    #[test]
    fn a_bad_server_address_is_a_clear_error() {
        let err = Given::read(args(&["--server", "not a url"])).unwrap_err();
        assert!(err.starts_with("--server not a url"), "{err}");
        assert!(Given::read(args(&["--data-dir"])).is_err());
    }
}
