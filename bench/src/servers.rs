//! The servers under load: ours (`sync-server`) and the reference JavaScript server
//! (`@automerge/automerge-repo-sync-server`, pinned in `bench/reference/`), each started as its own
//! process on 127.0.0.1 with a fresh data directory, and what the kernel says about them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Which server a figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ours,
    Reference,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Ours => "sync-server",
            Kind::Reference => "reference (JS)",
        }
    }
}

/// A running server, stopped when dropped (with its data directory).
pub struct Server {
    pub kind: Kind,
    pub port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

/// The setup key our server is started with.
pub const SETUP_KEY: &str = "bench-setup-key";

/// Where the binaries are.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub ours: PathBuf,
    /// The reference server's directory (`bench/reference`, with its `node_modules`).
    pub reference: PathBuf,
}

impl Server {
    /// Starts a server of `kind` and waits until it answers.
    pub async fn start(kind: Kind, binaries: &Binaries) -> Result<Server, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("a temporary directory: {e}"))?;
        let port = free_port()?;
        let mut command =
            match kind {
                Kind::Ours => {
                    let mut c = Command::new(&binaries.ours);
                    c.args(["--listen", &format!("127.0.0.1:{port}")])
                        .arg("--data-dir")
                        .arg(dir.path())
                        .args(["--setup-key", SETUP_KEY])
                        // Room for the largest idle load; the default is 10,000.
                        .args(["--max-connections", "30000"])
                        .env("RUST_LOG", "warn");
                    c
                }
                Kind::Reference => {
                    let mut c = Command::new("node");
                    c.arg("--require")
                        .arg(binaries.reference.join("loopback.cjs"))
                        .arg(binaries.reference.join(
                            "node_modules/@automerge/automerge-repo-sync-server/src/index.js",
                        ))
                        .current_dir(dir.path())
                        .env("PORT", port.to_string())
                        .env("DATA_DIR", dir.path().join("data"));
                    c
                }
            };
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", kind.label()))?;
        let server = Server {
            kind,
            port,
            child,
            _dir: dir,
        };
        let health = match kind {
            Kind::Ours => format!("http://127.0.0.1:{port}/health"),
            Kind::Reference => format!("http://127.0.0.1:{port}/"),
        };
        for _ in 0..300 {
            if reqwest::get(&health)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!("{} did not answer at {health}", kind.label()))
    }

    pub fn http(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn websocket(&self) -> String {
        match self.kind {
            Kind::Ours => format!("ws://127.0.0.1:{}/sync", self.port),
            Kind::Reference => format!("ws://127.0.0.1:{}/", self.port),
        }
    }

    /// Resident memory now and at its peak, in KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// CPU time used so far (user and system), in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User and system time of a process, from `/proc/<pid>/stat` (clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Fields 14 and 15 of the line (utime, stime); the list starts at field 3.
    (ticks(11) + ticks(12)) as f64 / 100.0
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// The reference server is installed (`npm ci` in `bench/reference`).
pub fn reference_installed(dir: &Path) -> bool {
    dir.join("node_modules/@automerge/automerge-repo-sync-server/src/index.js")
        .exists()
}
