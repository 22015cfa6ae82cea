//! Driving the real app: the `peer-mentoring` binary in its real webview (WebKitGTK), through
//! tauri-driver and WebKitWebDriver (needs a display: the test script runs under Xvfb); and the
//! phone's web app in Debian's Chromium, headless, emulating a phone, through chromedriver.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::{binary, eventually, free_port, terminate};

/// One running app instance with its own data directory, and the WebDriver session on it.
pub struct App {
    pub client: Client,
    driver: Option<Child>,
    pub data_dir: PathBuf,
    /// Chromium's profile folder, for a phone: its processes are ended with the driver.
    browser_profile: Option<PathBuf>,
}

impl App {
    /// Starts the app with `data_dir`, talking to `server` if given. Files it exports go to
    /// `<data_dir>.exports`.
    pub async fn start(data_dir: &Path, server: Option<&url::Url>) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the app tests need a display: run them through scripts/test.sh (Xvfb) or xvfb-run"
        );
        let port = free_port();
        let native_port = free_port();
        let log = std::fs::File::create(data_dir.with_extension("driver.log")).expect("driver log");
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .stdout(log.try_clone().expect("driver log"))
            .stderr(log)
            .spawn()
            .expect("start tauri-driver (scripts/setup.sh installs it)");
        let mut app = App {
            client: connect(port, data_dir, server).await,
            driver: Some(driver),
            data_dir: data_dir.to_owned(),
            browser_profile: None,
        };
        app.wait_for("body").await;
        app.client
            .set_window_size(1280, 800)
            .await
            .expect("window size");
        app
    }

    /// Opens `url` in headless Chromium emulating a phone: 360×740 CSS pixels, touch, a phone's
    /// user agent, and a browser profile of its own in `profile_dir` (so a reload keeps its
    /// IndexedDB and service worker).
    pub async fn phone(profile_dir: &Path, url: &str) -> App {
        std::fs::create_dir_all(profile_dir).expect("browser profile folder");
        let port = free_port();
        let log =
            std::fs::File::create(profile_dir.with_extension("driver.log")).expect("driver log");
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            // Chromium's own log, with the page's console, goes into the driver's log.
            .arg("--enable-chrome-logs")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start chromedriver (scripts/setup.sh installs chromium-driver)");
        let capabilities = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", profile_dir.display()),
                ],
                "mobileEmulation": {
                    "deviceMetrics": { "width": 360, "height": 740, "pixelRatio": 2.0, "touch": true },
                    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
                },
            },
        });
        let client = session(port, capabilities, "Chromium").await;
        client.goto(url).await.expect("open the web app");
        let mut app = App {
            client,
            driver: Some(driver),
            data_dir: profile_dir.to_owned(),
            browser_profile: Some(profile_dir.to_owned()),
        };
        app.wait_for(".brand").await;
        app
    }

    /// Waits (up to 60 s) until the web app's service worker is installed and in charge of the
    /// page: from then on the app starts with no network.
    pub async fn wait_until_offline_ready(&mut self) {
        let start = Instant::now();
        loop {
            let ready = self
                .client
                .execute(
                    "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if ready {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the service worker took charge of the page"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits (up to 20 s) until no element matches `css`.
    pub async fn wait_gone(&mut self, css: &str) {
        let start = Instant::now();
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{css} still there after 20 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Loads the page again, as a person pulling down to refresh.
    pub async fn reload(&mut self) {
        self.client.refresh().await.expect("reload");
        self.wait_for(".brand").await;
    }

    /// Waits (up to 20 s) for an element matching `css`, and returns it.
    pub async fn wait_for(&mut self, css: &str) -> fantoccini::elements::Element {
        let start = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                return el;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let body = self.body_text().await;
                let source = self.client.source().await.unwrap_or_default();
                let source: String = source.chars().take(3000).collect();
                panic!("no element {css} after 20 s; the page says:\n{body}\nsource:\n{source}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to 30 s) until the attribute `attr` of the element `css` equals `value`.
    pub async fn wait_attr(&mut self, css: &str, attr: &str, value: &str) {
        let start = Instant::now();
        loop {
            let (current, text) = match self.client.find(Locator::Css(css)).await {
                Ok(el) => (
                    el.attr(attr).await.ok().flatten(),
                    el.text().await.unwrap_or_default(),
                ),
                Err(_) => (None, String::new()),
            };
            if current.as_deref() == Some(value) {
                return;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!(
                    "{css} [{attr}] is {current:?}, not {value:?}, after 30 s (it says {text:?})"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the whole page.
    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no body: {e})"),
        }
    }

    /// The text of the element `css`.
    pub async fn text(&mut self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_default()
    }

    /// Clicks the element `css`, scrolled to the middle of the window first (so the sticky top
    /// bar does not cover it), as a person would.
    pub async fn click(&mut self, css: &str) {
        let el = self.wait_for(css).await;
        let start = Instant::now();
        loop {
            let _ = self
                .client
                .execute(
                    "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
                    vec![css.into()],
                )
                .await;
            match el.click().await {
                Ok(_) => return,
                Err(e) if start.elapsed() > Duration::from_secs(10) => panic!("click {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    /// Resizes the window to `width`×`height` CSS pixels and writes a PNG screenshot to
    /// `test-output/screenshots/<name>.png` in the workspace.
    pub async fn screenshot(&mut self, name: &str, width: u32, height: u32) -> PathBuf {
        self.client
            .set_window_size(width, height)
            .await
            .expect("window size");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Runs axe-core (`tests/a11y`, the version its package.json pins) on the screen as it is,
    /// at a phone's size (360×740) and a laptop's (1280×800), and fails listing every WCAG 2.1
    /// A or AA violation it finds. The window is left at the laptop's size.
    pub async fn assert_accessible(&mut self, screen: &str) {
        let axe = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("a11y/node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core (scripts/setup.sh installs it in tests/a11y)");
        let mut found = Vec::new();
        for (width, height) in [(360, 740), (1280, 800)] {
            self.client
                .set_window_size(width, height)
                .await
                .expect("window size");
            tokio::time::sleep(Duration::from_millis(300)).await;
            let loaded = self
                .client
                .execute(
                    &format!("if (!window.axe) {{ {axe}\n }} return !!window.axe;"),
                    vec![],
                )
                .await
                .expect("axe-core loads in the page");
            assert_eq!(loaded.as_bool(), Some(true), "axe-core is in the page");
            let answer = self
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     axe.run(document, { runOnly: { type: 'tag',
                         values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                       .then(r => done(JSON.stringify(r.violations.map(v => ({
                           id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)
                       })))))
                       .catch(e => done('axe failed: ' + e));",
                    vec![],
                )
                .await
                .expect("axe runs");
            let text = answer.as_str().unwrap_or_default().to_owned();
            let violations: Vec<serde_json::Value> =
                serde_json::from_str(&text).unwrap_or_else(|_| panic!("axe on {screen}: {text}"));
            for v in violations {
                found.push(format!("{width}×{height} {v}"));
            }
        }
        assert!(
            found.is_empty(),
            "{screen}: {} WCAG 2.1 A/AA violation(s):\n{}",
            found.len(),
            found.join("\n")
        );
    }

    /// Types `text` into the element `css` (appending at the caret).
    pub async fn type_into(&mut self, css: &str, text: &str) {
        self.click(css).await;
        let el = self.wait_for(css).await;
        el.send_keys(text).await.expect("type");
    }

    /// Sets the value of a form field the way a picker would (date and time inputs), firing
    /// `input` and `change`.
    pub async fn set_value(&mut self, css: &str, value: &str) {
        self.wait_for(css).await;
        let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                      el.dispatchEvent(new Event('input', {bubbles: true})); \
                      el.dispatchEvent(new Event('change', {bubbles: true}));";
        self.client
            .execute(script, vec![css.into(), value.into()])
            .await
            .expect("set value");
    }

    /// The value of a form field.
    pub async fn value(&mut self, css: &str) -> String {
        self.wait_for(css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Waits (up to 30 s) until the text of `css` (its value, for form fields) contains `needle`.
    pub async fn wait_text(&mut self, css: &str, needle: &str) {
        let start = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                let text = el.text().await.unwrap_or_default();
                let value = el.prop("value").await.ok().flatten().unwrap_or_default();
                if text.contains(needle) || value.contains(needle) {
                    return;
                }
            }
            if start.elapsed() > Duration::from_secs(30) {
                let body = self.body_text().await;
                panic!(
                    "timed out after 30s waiting for {css} to contain {needle:?}; the page says:\n{body}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to 30 s) until the value of the form field `css` is exactly `value`.
    pub async fn wait_value(&mut self, css: &str, value: &str) {
        let client = self.client.clone();
        let what = format!("{css} to hold {value:?}");
        eventually(Duration::from_secs(30), &what, || {
            let client = client.clone();
            async move {
                let Ok(el) = client.find(Locator::Css(css)).await else {
                    return false;
                };
                el.prop("value").await.ok().flatten().as_deref() == Some(value)
            }
        })
        .await;
    }

    /// Every translated label on screen: (key, shown text, has placeholders).
    pub async fn labels(&self) -> Vec<(String, String, bool)> {
        let script = "return [...document.querySelectorAll('[data-i18n]')] \
                      .map(e => [e.dataset.i18n, e.textContent, e.hasAttribute('data-i18n-args')]);";
        let value = self.client.execute(script, vec![]).await.expect("labels");
        serde_json::from_value(value).expect("labels as (key, text, args)")
    }

    /// Kills the app process with SIGKILL, as a phone's operating system or a dead battery would:
    /// nothing gets a chance to finish. The WebDriver session dies with it.
    pub fn kill_app(mut self) {
        let wanted = format!("--data-dir\0{}\0", self.data_dir.display());
        let mut killed = 0;
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                continue;
            };
            let cmdline = String::from_utf8_lossy(&cmdline);
            if cmdline.contains("peer-mentoring") && cmdline.contains(&wanted) {
                let status = Command::new("kill")
                    .args(["-9", &pid.to_string()])
                    .status()
                    .expect("kill");
                assert!(status.success(), "kill -9 {pid}");
                killed += 1;
            }
        }
        assert_eq!(killed, 1, "one app process for {}", self.data_dir.display());
        self.stop_driver();
    }

    /// Ends the session (closing the app) and stops tauri-driver cleanly.
    /// Closes the app (or the phone's browser). The page must not have said that it could not
    /// start (an error or rejected promise the page did not handle shows as `#boot-error`).
    pub async fn stop(mut self) {
        let boot_error = match self.client.find(Locator::Css("#boot-error")).await {
            Ok(el) => Some(el.text().await.unwrap_or_default()),
            Err(_) => None,
        };
        let _ = self.client.clone().close().await;
        self.stop_driver();
        assert_eq!(
            boot_error, None,
            "the page showed an error it did not handle"
        );
    }

    fn stop_driver(&mut self) {
        // chromedriver leaves Chromium running when it is stopped without closing the session
        // (a failing test): end every process of this phone's browser profile.
        if let Some(profile) = self.browser_profile.take() {
            let _ = Command::new("pkill")
                .args(["-9", "-f"])
                .arg(format!("user-data-dir={}", profile.display()))
                .status();
        }
        if let Some(mut driver) = self.driver.take() {
            // SIGTERM lets tauri-driver stop WebKitWebDriver too; SIGKILL would orphan it.
            terminate(&driver);
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = driver.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = driver.kill();
            let _ = driver.wait();
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop_driver();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.data_dir.with_extension("driver.log"))
                .unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            eprintln!("--- app log ({}) ---", self.data_dir.display());
            for line in tail.into_iter().rev() {
                eprintln!("{line}");
            }
        }
    }
}

/// Where the app tests write screenshots: `test-output/screenshots` in the workspace.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("test-output")
        .join("screenshots")
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    home.join("bin").join("tauri-driver")
}

async fn connect(port: u16, data_dir: &Path, server: Option<&url::Url>) -> Client {
    let mut args = vec![
        "--data-dir".to_owned(),
        data_dir.display().to_string(),
        "--export-dir".to_owned(),
        data_dir.with_extension("exports").display().to_string(),
    ];
    if let Some(server) = server {
        args.extend(["--server".to_owned(), server.to_string()]);
    }
    let capabilities = serde_json::json!({
        "browserName": "wry",
        "tauri:options": {
            "application": binary("peer-mentoring"),
            "args": args,
        }
    });
    session(port, capabilities, "the app").await
}

/// A WebDriver session on the driver at `port`, retried while the driver starts.
async fn session(port: u16, capabilities: serde_json::Value, what: &str) -> Client {
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    loop {
        let attempt = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await;
        match attempt {
            Ok(client) => return client,
            Err(e) if start.elapsed() > Duration::from_secs(30) => {
                panic!("no WebDriver session with {what} after 30 s: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}
