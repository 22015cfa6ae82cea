//! Our server on Postgres (`--postgres N`): a cluster of the bench's own
//! (`pm_test_postgres`) in a temporary directory, a fresh database for every load, and what its
//! processes cost.

use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug)]
pub struct Cluster {
    cluster: pm_test_postgres::Cluster,
    databases: AtomicUsize,
    _dir: tempfile::TempDir,
}

impl Cluster {
    pub fn start() -> Result<Cluster, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        Ok(Cluster {
            cluster: pm_test_postgres::Cluster::start(dir.path())?,
            databases: AtomicUsize::new(0),
            _dir: dir,
        })
    }

    /// A new, empty database; its address.
    pub fn database(&self) -> Result<String, String> {
        let name = format!("bench_{}", self.databases.fetch_add(1, Ordering::SeqCst));
        self.cluster.sql(&format!("CREATE DATABASE {name}"))?;
        Ok(self.cluster.url(&name))
    }

    /// CPU time the cluster's processes used so far, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        let Some(postmaster) = self.cluster.postmaster() else {
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
}
