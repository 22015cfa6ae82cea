//! Tells devices that their directory may have changed, instead of each asking every few
//! seconds. One task follows the registry's changes, works out whose directory each can alter
//! ([`Registry::audience`], one query per change, however many devices wait) and notes, per
//! person, the number of the last change that concerned her. A device holds
//! `GET /api/directory/changes?after=MARK` (its directory's mark) and is answered as soon as a
//! change numbered at or after its mark concerns her.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use crate::changes::Audience;
use crate::registry::Registry;

/// The changes that concerned each person; cheap to share.
#[derive(Default)]
pub struct Doorbell {
    rung: Mutex<Rung>,
    /// Moves on after every change followed.
    followed: watch::Sender<u64>,
}

#[derive(Default)]
struct Rung {
    /// The number of the last change that concerned everyone, plus one (0: none yet).
    everyone: u64,
    /// The same, for each person.
    people: HashMap<String, u64>,
}

impl Doorbell {
    fn rung(&self) -> MutexGuard<'_, Rung> {
        // Every update is whole before the lock is let go.
        self.rung.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes that the changes numbered up to `last` concerned `audience`.
    pub fn ring(&self, audience: Audience, last: u64) {
        {
            let mut rung = self.rung();
            match audience {
                Audience::Everyone => rung.everyone = last + 1,
                Audience::People(people) => {
                    for person in people {
                        rung.people.insert(person, last + 1);
                    }
                }
            }
        }
        self.followed.send_modify(|n| *n += 1);
    }

    /// Whether a change numbered at or after `after` concerned `person`.
    pub fn concerns(&self, person: &str, after: u64) -> bool {
        let rung = self.rung();
        let last = rung
            .people
            .get(person)
            .copied()
            .unwrap_or(0)
            .max(rung.everyone);
        last > after
    }

    /// Fires after every change followed.
    pub fn followed(&self) -> watch::Receiver<u64> {
        self.followed.subscribe()
    }
}

/// Follows the registry's changes until the registry goes.
pub async fn follow(registry: Registry, doorbell: Arc<Doorbell>) {
    let mut changes = registry.changes();
    let mut mark = registry.change_mark();
    while changes.changed().await.is_ok() {
        let (touched, end) = registry.touched_since(mark);
        if end == mark {
            continue;
        }
        let asking = registry.clone();
        let audience = tokio::task::spawn_blocking(move || asking.audience(&touched)).await;
        let audience = match audience {
            Ok(Ok(audience)) => audience,
            // Better every device asks once more than one misses her change.
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "whom a change concerns is unknown; telling everyone");
                Audience::Everyone
            }
            Err(_) => Audience::Everyone,
        };
        doorbell.ring(audience, end - 1);
        mark = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_who_it_names_from_its_number_on() {
        let bell = Doorbell::default();
        assert!(!bell.concerns("anna", 0));
        bell.ring(Audience::People(["anna".to_string()].into()), 4);
        assert!(bell.concerns("anna", 4), "change 4 is at or after mark 4");
        assert!(
            !bell.concerns("anna", 5),
            "her directory at mark 5 has change 4 in it"
        );
        assert!(!bell.concerns("bo", 0));
        bell.ring(Audience::Everyone, 7);
        assert!(bell.concerns("bo", 7));
        assert!(!bell.concerns("bo", 8));
    }
}
