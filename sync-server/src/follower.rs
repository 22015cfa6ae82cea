//! Several servers, one truth: what the other servers on the same Postgres database write
//! reaches this one. A registry change written elsewhere (a withdrawal, a removed device, a
//! dissolved pair) enters this server's change log, so its gate takes its access decisions again
//! and its devices' directories are rung; a document's chunks written elsewhere are merged into
//! the document if this server holds it, so its devices get the edit.
//!
//! The tables are the truth. `NOTIFY` only wakes this reader sooner; it also reads every
//! [`CHECK_EVERY`], and all it missed when it connects again after losing its listening
//! connection. When the database itself started again, its transaction ids no longer say what
//! is new (`crate::postgres::Snapshot`): every decision is taken again and every document held
//! takes in all its chunks.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use samod::{DocumentId, Repo};

use crate::changes::Touched;
use crate::postgres::{Postgres, Snapshot};
use crate::registry::Registry;

/// How often the tables are read without a wake-up.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Follows the other servers' writes until the server stops.
pub async fn follow(pg: Postgres, registry: Registry, repo: Repo) {
    let mut snapshot = loop {
        match pg.snapshot_now().await {
            Ok(snapshot) => break snapshot,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the database; trying again");
                tokio::time::sleep(CHECK_EVERY).await;
            }
        }
    };
    loop {
        let mut listening = match pg.listen().await {
            Ok(listening) => Some(listening),
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen to the other servers; reading every second");
                None
            }
        };
        // What was written while nobody listened.
        catch_up(&pg, &mut snapshot, &registry, &repo).await;
        let mut every = tokio::time::interval(CHECK_EVERY);
        every.tick().await;
        loop {
            let woken = async {
                match listening.as_mut() {
                    Some(l) => l.woken.recv().await.is_some(),
                    None => std::future::pending().await,
                }
            };
            // Without a listening connection, each second tries to listen again and reads.
            tokio::select! {
                heard = woken => if !heard {
                    tracing::warn!("the listening connection to the database was lost; connecting again");
                    break;
                },
                _ = every.tick() => if listening.is_none() {
                    break;
                },
            }
            catch_up(&pg, &mut snapshot, &registry, &repo).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reads what the other servers wrote since `snapshot` and takes it in; the snapshot moves on
/// only once all of it was taken in.
async fn catch_up(pg: &Postgres, snapshot: &mut Snapshot, registry: &Registry, repo: &Repo) {
    let started = std::time::Instant::now();
    let mut next = snapshot.clone();
    if take_in(pg, &mut next, registry, repo).await {
        *snapshot = next;
    }
    tracing::debug!(
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "caught up with the other servers"
    );
}

/// After the database started again: every access decision is taken again, and every document
/// this server holds takes in all its chunks; whether all of it was.
async fn take_in_everything(pg: &Postgres, registry: &Registry, repo: &Repo) -> bool {
    tracing::info!("the database started again; taking in everything the other servers wrote");
    registry.take_in(Touched::everyone());
    let mut all_taken = true;
    for handle in repo.held() {
        match pg.load_range(handle.document_id().to_string()).await {
            Ok(chunks) => {
                let chunks: Vec<Vec<u8>> = chunks.into_iter().map(|(_, data)| data).collect();
                all_taken &= handle.absorb(&chunks);
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a document's chunks; trying again");
                all_taken = false;
            }
        }
    }
    all_taken
}

/// Reads what the other servers wrote since `snapshot` and takes it in; whether all of it was.
async fn take_in(pg: &Postgres, snapshot: &mut Snapshot, registry: &Registry, repo: &Repo) -> bool {
    let written = match pg.written_since(snapshot).await {
        Ok(written) => written,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read what other servers wrote; trying again");
            return false;
        }
    };
    if written.restarted {
        return take_in_everything(pg, registry, repo).await;
    }
    for (_, touched, _) in written.changes {
        // Better every decision is taken again than one is missed.
        let touched =
            serde_json::from_str::<Touched>(&touched).unwrap_or_else(|_| Touched::everyone());
        registry.take_in(touched);
    }
    if written.chunks.is_empty() {
        return true;
    }
    // Only the documents this server holds take the chunks in: their data is read, no other.
    let written_to: HashSet<DocumentId> = written
        .chunks
        .iter()
        .filter_map(|(_, doc, _)| doc.parse().ok())
        .collect();
    let held = repo.loaded(&written_to);
    if held.is_empty() {
        return true;
    }
    let held_ids: HashSet<String> = held.iter().map(|h| h.document_id().to_string()).collect();
    let wanted: Vec<String> = written
        .chunks
        .into_iter()
        .filter(|(_, doc, _)| held_ids.contains(doc))
        .map(|(key, _, _)| key)
        .collect();
    let chunks = match pg.chunks(wanted).await {
        Ok(chunks) => chunks,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the chunks other servers wrote; trying again");
            return false;
        }
    };
    let mut by_document: HashMap<String, Vec<Vec<u8>>> = HashMap::new();
    for (key, data) in chunks {
        let doc = key.split('/').next().unwrap_or_default().to_owned();
        by_document.entry(doc).or_default().push(data);
    }
    // A document still loading from the table may have read it before these were written:
    // they are read again at the next check.
    let mut all_taken = true;
    for handle in held {
        if let Some(chunks) = by_document.get(&handle.document_id().to_string()) {
            all_taken &= handle.absorb(chunks);
        }
    }
    all_taken
}
