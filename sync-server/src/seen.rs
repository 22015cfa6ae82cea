//! When each device was last heard from (the coordinator's "last synced"), kept in memory and
//! written to the registry in one transaction every [`Seen::WRITE_EVERY`] and at shutdown.
//! Writing it from each connection as it came (an UPDATE, a sync of the disk, under the
//! registry's lock, on a worker thread) held every device's edits up: the first keystrokes after
//! a quiet spell, 400 devices connected, waited 550 ms.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Default)]
pub struct Seen {
    heard: Mutex<HashMap<String, String>>,
}

impl Seen {
    /// How often what was heard is written.
    pub const WRITE_EVERY: Duration = Duration::from_secs(15);
    /// Devices remembered before a write is due anyway; more are written at the next.
    const MOST: usize = 100_000;

    /// A device was heard from now.
    pub fn heard(&self, peer: &str) {
        let mut heard = self.heard.lock().unwrap_or_else(|p| p.into_inner());
        if heard.len() < Self::MOST || heard.contains_key(peer) {
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            heard.insert(peer.to_owned(), now);
        }
    }

    /// What was heard since the last time, to be written: device and when.
    pub fn take(&self) -> Vec<(String, String)> {
        let mut heard = self.heard.lock().unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut *heard).into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_device_is_written_once_with_the_last_time_it_was_heard() {
        let seen = Seen::default();
        seen.heard("phone");
        seen.heard("laptop");
        seen.heard("phone");
        let mut taken = seen.take();
        taken.sort();
        assert_eq!(
            taken
                .iter()
                .map(|(peer, _)| peer.as_str())
                .collect::<Vec<_>>(),
            ["laptop", "phone"]
        );
        assert!(
            seen.take().is_empty(),
            "what was written is not written again"
        );
    }
}
