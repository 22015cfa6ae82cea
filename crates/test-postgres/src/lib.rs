//! # pm-test-postgres
//!
//! A Postgres cluster of its own, for the system tests and the benchmarks of several sync
//! servers on one database: made with `initdb` in a directory the caller gives, owned by the
//! unprivileged `postgres` user when run as root (initdb refuses root), listening on a socket in
//! that directory only (no TCP), trusting local connections. Debian's `postgresql` package
//! (`scripts/setup.sh`) provides the programs; they are looked for in `/usr/lib/postgresql/*/bin`,
//! where Debian keeps them, then on `PATH`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A running cluster; stopped at once when dropped.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    port: u16,
}

/// The newest installed version's program `name`.
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

/// `name`, run as the cluster's owner.
fn as_owner(name: &str) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program(name));
        command
    } else {
        Command::new(program(name))
    }
}

/// Runs `command`; its output, or what went wrong.
fn run(mut command: Command, what: &str) -> Result<String, String> {
    let out = command.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

impl Cluster {
    /// Makes a cluster in `dir` (created if missing) and starts it.
    pub fn start(dir: &Path) -> Result<Cluster, String> {
        std::fs::create_dir_all(dir.join("socket")).map_err(|e| e.to_string())?;
        if is_root() {
            // The owner must reach the directory through the temporary ones above it.
            let mut up = Some(dir);
            while let Some(d) = up {
                if d == Path::new("/") || d == Path::new("/tmp") {
                    break;
                }
                let mut chmod = Command::new("chmod");
                chmod.arg("a+x").arg(d);
                run(chmod, "chmod")?;
                up = d.parent();
            }
            let mut chown = Command::new("chown");
            chown.args(["-R", "postgres:postgres"]).arg(dir);
            run(chown, "chown")?;
        }
        let mut initdb = as_owner("initdb");
        initdb.arg("-D").arg(dir.join("data")).args([
            "-U",
            "pm",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        ]);
        run(initdb, "initdb")?;
        let cluster = Cluster {
            dir: dir.to_owned(),
            port: free_port()?,
        };
        cluster.start_again()?;
        Ok(cluster)
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("socket")
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The address of `database` (user `pm`), as a sync server's `--database` takes it.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://pm@/{database}?host={}&port={}",
            self.socket().display(),
            self.port
        )
    }

    /// Starts the cluster (again), waiting until it takes connections.
    pub fn start_again(&self) -> Result<(), String> {
        let mut pg_ctl = as_owner("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("postgres.log"))
            .arg("-o")
            .arg(format!(
                "-c listen_addresses='' -k {} -p {} -c max_connections=200",
                self.socket().display(),
                self.port
            ))
            .args(["-w", "start"]);
        run(pg_ctl, "pg_ctl start").map(drop)
    }

    /// Stops the cluster the way a crash does: no checkpoint, every backend killed.
    pub fn crash(&self) -> Result<(), String> {
        let mut pg_ctl = as_owner("pg_ctl");
        pg_ctl
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"]);
        run(pg_ctl, "pg_ctl stop -m immediate").map(drop)
    }

    /// Runs SQL in the `postgres` database with psql; its rows, unaligned.
    pub fn sql(&self, sql: &str) -> Result<String, String> {
        let mut psql = Command::new(program("psql"));
        psql.arg("-h").arg(self.socket()).args([
            "-p",
            &self.port.to_string(),
            "-U",
            "pm",
            "-d",
            "postgres",
            "-At",
            "-c",
            sql,
        ]);
        run(psql, "psql")
    }

    /// The postmaster's process id, while the cluster runs.
    pub fn postmaster(&self) -> Option<u32> {
        std::fs::read_to_string(self.data().join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_owner("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .output();
    }
}
