//! The phone's web app, served at `/app/` from the folder trunk built (`--app-dir`): the page,
//! its wasm bundle and script (their names carry a content hash, so browsers may keep them for
//! good), its manifest, icons and service worker (asked for again each time, so a new version
//! reaches phones). Only plain file names inside that folder are served.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Where the web app lives on the server.
pub const APP_PATH: &str = "/app/";

/// How a browser may keep a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Its name changes with its content: keep it for a year.
    Forever,
    /// The same name gets new content with a new version: ask again each time.
    Revalidate,
}

/// What a request for `name` under `/app/` serves: the file's name in the folder, its media
/// type and how it may be kept; `None` for anything that is not a plain file name of a known type.
pub fn asset(name: &str) -> Option<(String, &'static str, Caching)> {
    let name = if name.is_empty() { "index.html" } else { name };
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !name.starts_with('.');
    if !plain {
        return None;
    }
    let (_, extension) = name.rsplit_once('.')?;
    let media = match extension {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    // trunk names the bundle `app-<16 hex digits>.js`, `…_bg.wasm`, `style-<hash>.css`.
    let hashed = name
        .split(['-', '_', '.'])
        .any(|part| part.len() == 16 && part.chars().all(|c| c.is_ascii_hexdigit()));
    let caching = if hashed {
        Caching::Forever
    } else {
        Caching::Revalidate
    };
    Some((name.to_owned(), media, caching))
}

/// The web app's folder, its files read once and then served from memory (a request costs no
/// copy of the bundle, however many come at once; the folder is read again after a restart).
pub struct WebApp {
    dir: PathBuf,
    files: Mutex<HashMap<String, Bytes>>,
}

impl WebApp {
    pub fn new(dir: PathBuf) -> WebApp {
        WebApp {
            dir,
            files: Mutex::default(),
        }
    }

    async fn file(&self, name: &str) -> std::io::Result<Bytes> {
        if let Some(bytes) = self
            .files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
        {
            return Ok(bytes.clone());
        }
        let bytes = Bytes::from(tokio::fs::read(self.dir.join(name)).await?);
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned(), bytes.clone());
        Ok(bytes)
    }
}

/// Answers `/app/<name>` from the web app's folder.
pub async fn serve(app: Option<&WebApp>, name: &str) -> Response {
    let Some(app) = app else {
        return (
            StatusCode::NOT_FOUND,
            "this sync server does not serve the web app (start it with --app-dir)",
        )
            .into_response();
    };
    let Some((file, media, caching)) = asset(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app.file(&file).await {
        Ok(bytes) => {
            let cache = match caching {
                Caching::Forever => "public, max-age=31536000, immutable",
                Caching::Revalidate => "no-cache",
            };
            let mut response = Response::new(Body::from(bytes));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, media.parse().expect("a media type"));
            headers.insert(
                header::CACHE_CONTROL,
                cache.parse().expect("a cache policy"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".parse().expect("a value"),
            );
            if media.starts_with("text/html") {
                // Never inside another site's frame (her devices page, her notes).
                headers.insert(
                    header::CONTENT_SECURITY_POLICY,
                    "frame-ancestors 'none'".parse().expect("a policy"),
                );
            }
            if file == "sw.js" {
                // The worker may look after the whole app, not only the folder its file is in.
                headers.insert("service-worker-allowed", APP_PATH.parse().expect("a path"));
            }
            response
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(file = %file, error = %e, "cannot read a web app file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An invitation link opens the web app on its join page, with the code.
pub fn join(code: &str) -> Redirect {
    let code: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
    Redirect::to(&format!("{APP_PATH}?join={code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_link_keeps_the_codes_check_symbol() {
        let response = join("ABCD-EFGH-JKMN-$").into_response();
        assert_eq!(
            response.headers()[axum::http::header::LOCATION],
            "/app/?join=ABCD-EFGH-JKMN-%24"
        );
    }

    #[test]
    fn only_plain_files_of_known_types_are_served() {
        assert_eq!(
            asset(""),
            Some((
                "index.html".into(),
                "text/html; charset=utf-8",
                Caching::Revalidate
            ))
        );
        assert_eq!(
            asset("app-147911a6ba19326a_bg.wasm").map(|a| a.2),
            Some(Caching::Forever)
        );
        assert_eq!(asset("sw.js").map(|a| a.2), Some(Caching::Revalidate));
        for hostile in [
            "../sync-server.sqlite",
            "..",
            ".env",
            "a/b.js",
            "setup-key.txt",
            "%2e%2e/x.js",
            "x.js\0",
            "index.html/",
        ] {
            assert_eq!(asset(hostile), None, "{hostile}");
        }
    }
}
