//! The servers under load: ours (`sync-server`) and the reference JavaScript server
//! (`@automerge/automerge-repo-sync-server`, pinned in `bench/reference/`), each started as its own
//! process on 127.0.0.1 with a fresh data directory, and what the kernel says about them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::postgres::Cluster;

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

/// A running server, stopped when dropped (with its data directory): one process, or for ours
/// on Postgres as many as `Binaries::instances`, on one fresh database.
pub struct Server {
    pub kind: Kind,
    /// The first process's port: the API is asked there.
    pub port: u16,
    ports: Vec<u16>,
    children: Vec<Child>,
    cluster: Option<Arc<Cluster>>,
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
    /// Ours on Postgres (this cluster) instead of SQLite.
    pub postgres: Option<Arc<Cluster>>,
    /// Processes of ours on the one database (with `postgres`); devices take turns among them.
    pub instances: usize,
}

impl Server {
    /// Starts a server of `kind` and waits until it answers.
    pub async fn start(kind: Kind, binaries: &Binaries) -> Result<Server, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("a temporary directory: {e}"))?;
        let cluster = binaries.postgres.clone().filter(|_| kind == Kind::Ours);
        let database = cluster.as_ref().map(|c| c.database()).transpose()?;
        let instances = if database.is_some() {
            binaries.instances.max(1)
        } else {
            1
        };
        let mut server = Server {
            kind,
            port: 0,
            ports: Vec::new(),
            children: Vec::new(),
            cluster,
            _dir: dir,
        };
        for instance in 0..instances {
            let port = free_port()?;
            let data = server._dir.path().join(format!("instance-{instance}"));
            let mut command = match kind {
                Kind::Ours => {
                    let mut c = Command::new(&binaries.ours);
                    c.args(["--listen", &format!("127.0.0.1:{port}")])
                        .arg("--data-dir")
                        .arg(&data)
                        .args(["--setup-key", SETUP_KEY])
                        // Room for the largest idle load; the default is 10,000.
                        .args(["--max-connections", "30000"])
                        .env("RUST_LOG", "warn");
                    if let Some(database) = &database {
                        c.args(["--database", database]);
                    }
                    c
                }
                Kind::Reference => {
                    let mut c = Command::new("node");
                    c.arg("--require")
                        .arg(binaries.reference.join("loopback.cjs"))
                        .arg(binaries.reference.join(
                            "node_modules/@automerge/automerge-repo-sync-server/src/index.js",
                        ))
                        .current_dir(server._dir.path())
                        .env("PORT", port.to_string())
                        .env("DATA_DIR", server._dir.path().join("data"));
                    c
                }
            };
            // PM_BENCH_SERVER_LOG=DIR keeps each process's log there (RUST_LOG as set).
            let log = match std::env::var_os("PM_BENCH_SERVER_LOG") {
                Some(dir) => {
                    if let Ok(level) = std::env::var("RUST_LOG") {
                        command.env("RUST_LOG", level);
                    }
                    std::fs::File::create(PathBuf::from(dir).join(format!("server-{port}.log")))
                        .map(Stdio::from)
                        .unwrap_or_else(|_| Stdio::null())
                }
                None => Stdio::null(),
            };
            let child = command
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", kind.label()))?;
            server.children.push(child);
            server.ports.push(port);
            let health = match kind {
                Kind::Ours => format!("http://127.0.0.1:{port}/health"),
                Kind::Reference => format!("http://127.0.0.1:{port}/"),
            };
            let mut answered = false;
            for _ in 0..300 {
                if reqwest::get(&health)
                    .await
                    .is_ok_and(|r| r.status().is_success())
                {
                    answered = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if !answered {
                return Err(format!("{} did not answer at {health}", kind.label()));
            }
        }
        server.port = server.ports[0];
        Ok(server)
    }

    /// The websocket device `i` connects to: the processes take turns.
    pub fn websocket_for(&self, i: usize) -> String {
        let port = self.ports[i % self.ports.len()];
        match self.kind {
            Kind::Ours => format!("ws://127.0.0.1:{port}/sync"),
            Kind::Reference => format!("ws://127.0.0.1:{port}/"),
        }
    }

    pub fn http(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn websocket(&self) -> String {
        self.websocket_for(0)
    }

    /// Resident memory now and at its peak, in KiB, of all its processes (Postgres' own is
    /// not counted).
    pub fn memory_kib(&self) -> (u64, u64) {
        let mut total = (0, 0);
        for child in &self.children {
            let status =
                std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kib| kib.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            total.0 += field("VmRSS:");
            total.1 += field("VmHWM:");
        }
        total
    }

    /// CPU time used so far (user and system), in seconds, of all its processes and, on
    /// Postgres, the cluster's.
    pub fn cpu_seconds(&self) -> f64 {
        let servers: f64 = self.children.iter().map(|c| cpu_seconds(c.id())).sum();
        servers + self.cluster.as_ref().map_or(0.0, |c| c.cpu_seconds())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The parent of a process, from `/proc/<pid>/stat`.
pub fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// User and system time of a process, from `/proc/<pid>/stat` (clock ticks of 1/100 s).
pub fn cpu_seconds(pid: u32) -> f64 {
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
