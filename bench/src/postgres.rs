//! A Postgres cluster of the bench's own, for our server on Postgres (`--postgres N`): made with
//! `initdb` in a temporary directory by an unprivileged user (initdb refuses root), listening on
//! a socket in that directory only; a fresh database for every load.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug)]
pub struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    databases: AtomicUsize,
}

/// Debian keeps Postgres' programs out of `PATH`.
fn program(name: &str) -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dir| dir.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    versions.sort();
    versions
        .into_iter()
        .rev()
        .map(|v| v.join("bin").join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn as_owner(name: &str) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program(name));
        command
    } else {
        Command::new(program(name))
    }
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let out = command.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

impl Cluster {
    pub fn start() -> Result<Cluster, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir.path().join("socket")).map_err(|e| e.to_string())?;
        if is_root() {
            run(
                {
                    let mut c = Command::new("chmod");
                    c.arg("a+x").arg(dir.path());
                    c
                },
                "chmod",
            )?;
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["-R", "postgres:postgres"]).arg(dir.path());
                    c
                },
                "chown",
            )?;
        }
        let mut initdb = as_owner("initdb");
        initdb.arg("-D").arg(dir.path().join("data")).args([
            "-U",
            "pm",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        ]);
        run(initdb, "initdb")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| e.to_string())?;
        let mut pg_ctl = as_owner("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(dir.path().join("data"))
            .arg("-l")
            .arg(dir.path().join("postgres.log"))
            .arg("-o")
            .arg(format!(
                "-c listen_addresses='' -k {} -p {port} -c max_connections=200",
                dir.path().join("socket").display()
            ))
            .args(["-w", "start"]);
        run(pg_ctl, "pg_ctl start")?;
        Ok(Cluster {
            dir,
            port,
            databases: AtomicUsize::new(0),
        })
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("socket")
    }

    /// A new, empty database; its address.
    pub fn database(&self) -> Result<String, String> {
        let name = format!("bench_{}", self.databases.fetch_add(1, Ordering::SeqCst));
        let mut psql = Command::new(program("psql"));
        psql.arg("-h")
            .arg(self.socket())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "pm",
                "-d",
                "postgres",
                "-c",
            ])
            .arg(format!("CREATE DATABASE {name}"));
        run(psql, "createdb")?;
        Ok(format!(
            "postgres://pm@/{name}?host={}&port={}",
            self.socket().display(),
            self.port
        ))
    }

    /// CPU time the cluster's processes used so far, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        let Some(postmaster) = std::fs::read_to_string(self.data().join("postmaster.pid"))
            .ok()
            .and_then(|pid| {
                pid.lines()
                    .next()
                    .and_then(|l| l.trim().parse::<u32>().ok())
            })
        else {
            return 0.0;
        };
        let mut total = crate::servers::cpu_seconds(postmaster);
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if crate::servers::parent(pid) == Some(postmaster) {
                total += crate::servers::cpu_seconds(pid);
            }
        }
        total
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_owner("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "fast", "stop"])
            .output();
    }
}
