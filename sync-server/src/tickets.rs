//! Sync tickets: a browser cannot set an `Authorization` header on a WebSocket, so a device
//! trades its credential (an HTTPS POST with the bearer header) for a ticket and presents the
//! ticket at the upgrade (`/sync?ticket=…`). A ticket is random (256 bits), good once, for
//! [`TICKET_LIFETIME`], and kept only as its hash; at most [`PER_DEVICE`] wait per device,
//! [`PER_PERSON`] per person (who may link many devices) and [`IN_TOTAL`] in all, so a peer
//! cannot make the server hold more, nor use up the room of others. The long-lived credential
//! never appears in a URL. Plain rules over a clock the caller passes in ([`Tickets`]); servers
//! that share a Postgres database keep their tickets in it under the same rules ([`TicketDesk`]),
//! so a ticket one server gave opens the socket on any.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pm_documents::docs::new_id;
use sha2::{Digest, Sha256};

use crate::access::Identity;
use crate::db::{Database, DbError, params};

/// How long a ticket may wait to be used.
pub const TICKET_LIFETIME: Duration = Duration::from_secs(30);
/// Unused tickets one device may hold at once (a new one then replaces its oldest).
pub const PER_DEVICE: usize = 4;
/// Unused tickets all devices of one person may hold at once (the same way).
pub const PER_PERSON: usize = 8;
/// Unused tickets all devices together may hold.
pub const IN_TOTAL: usize = 10_000;

/// Why no ticket was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    #[error("too many unused sync tickets; try again in a moment")]
    Full,
    #[error("the database did not answer; try again in a moment")]
    Database,
}

/// The tickets waiting to be used.
#[derive(Debug, Default)]
pub struct Tickets {
    /// Ticket hash to whom it lets in and until when.
    waiting: HashMap<[u8; 32], (Identity, Instant)>,
}

impl Tickets {
    /// A new ticket for `identity`, valid from `now` for [`TICKET_LIFETIME`].
    pub fn issue(&mut self, identity: Identity, now: Instant) -> Result<String, TicketError> {
        self.waiting.retain(|_, (_, until)| *until > now);
        self.make_room(|who| who.peer == identity.peer, PER_DEVICE);
        self.make_room(|who| who.person == identity.person, PER_PERSON);
        if self.waiting.len() >= IN_TOTAL {
            return Err(TicketError::Full);
        }
        let ticket = format!("{}{}", new_id(), new_id());
        self.waiting
            .insert(digest(&ticket), (identity, now + TICKET_LIFETIME));
        Ok(ticket)
    }

    /// Drops the oldest of the tickets `whose` picks out while they are `cap` or more.
    fn make_room(&mut self, whose: impl Fn(&Identity) -> bool, cap: usize) {
        let mut theirs: Vec<([u8; 32], Instant)> = self
            .waiting
            .iter()
            .filter(|(_, (who, _))| whose(who))
            .map(|(hash, (_, until))| (*hash, *until))
            .collect();
        theirs.sort_by_key(|(_, until)| *until);
        let surplus = (theirs.len() + 1).saturating_sub(cap);
        for (hash, _) in theirs.into_iter().take(surplus) {
            self.waiting.remove(&hash);
        }
    }

    /// Whom `ticket` lets in, if it is one that waits and has not expired; it is used up either way.
    pub fn redeem(&mut self, ticket: &str, now: Instant) -> Option<Identity> {
        let (identity, until) = self.waiting.remove(&digest(ticket))?;
        (until > now).then_some(identity)
    }
}

/// Where tickets wait: in this server's memory (it serves alone), or in the database several
/// servers share.
pub enum TicketDesk {
    Here(Mutex<Tickets>),
    Shared(Database),
}

/// A moment as the shared desk keeps it: text that sorts as time does.
fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl TicketDesk {
    /// A new ticket for `identity`, valid for [`TICKET_LIFETIME`].
    pub fn issue(&self, identity: Identity) -> Result<String, TicketError> {
        let db = match self {
            TicketDesk::Here(tickets) => {
                return tickets
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .issue(identity, Instant::now());
            }
            TicketDesk::Shared(db) => db,
        };
        let now = chrono::Utc::now();
        let until = now + chrono::Duration::from_std(TICKET_LIFETIME).unwrap_or_default();
        let ticket = format!("{}{}", new_id(), new_id());
        let hash = crate::registry::hash(&ticket);
        let most = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let issued = db.write(|db| {
            db.execute(
                "DELETE FROM sync_tickets WHERE expires_at <= ?1",
                params![stamp(now)],
            )?;
            // Room for the new one: the oldest of hers go first, as in memory.
            db.execute(
                "DELETE FROM sync_tickets WHERE hash IN (SELECT hash FROM sync_tickets
                     WHERE peer = ?1 ORDER BY expires_at DESC, hash OFFSET ?2)",
                params![&identity.peer, most(PER_DEVICE - 1)],
            )?;
            db.execute(
                "DELETE FROM sync_tickets WHERE hash IN (SELECT hash FROM sync_tickets
                     WHERE person = ?1 ORDER BY expires_at DESC, hash OFFSET ?2)",
                params![&identity.person, most(PER_PERSON - 1)],
            )?;
            let waiting = db
                .query_opt("SELECT count(*) FROM sync_tickets", &[])?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(0);
            if waiting >= most(IN_TOTAL) {
                return Ok(false);
            }
            db.execute(
                "INSERT INTO sync_tickets (hash, peer, person, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![&hash, &identity.peer, &identity.person, stamp(until)],
            )?;
            Ok::<_, DbError>(true)
        });
        match issued {
            Ok(true) => Ok(ticket),
            Ok(false) => Err(TicketError::Full),
            Err(e) => {
                tracing::warn!(error = %e, "a sync ticket could not be issued");
                Err(TicketError::Database)
            }
        }
    }

    /// Whom `ticket` lets in, if it waits and has not expired; it is used up either way.
    pub fn redeem(&self, ticket: &str) -> Option<Identity> {
        let db = match self {
            TicketDesk::Here(tickets) => {
                return tickets
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .redeem(ticket, Instant::now());
            }
            TicketDesk::Shared(db) => db,
        };
        let hash = crate::registry::hash(ticket);
        let now = stamp(chrono::Utc::now());
        let row = db
            .write(|db| {
                db.query_opt(
                    "DELETE FROM sync_tickets WHERE hash = ?1 RETURNING peer, person, expires_at",
                    params![&hash],
                )
            })
            .ok()??;
        let (peer, person, until) = (row.text(0).ok()?, row.text(1).ok()?, row.text(2).ok()?);
        (until > now).then_some(Identity { peer, person })
    }
}

fn digest(ticket: &str) -> [u8; 32] {
    Sha256::digest(ticket.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(peer: &str) -> Identity {
        Identity {
            peer: peer.into(),
            person: format!("person-of-{peer}"),
        }
    }

    #[test]
    fn a_ticket_lets_its_device_in_once() {
        let mut tickets = Tickets::default();
        let now = Instant::now();
        let ticket = tickets.issue(device("phone"), now).unwrap();
        assert_eq!(ticket.len(), 64);
        assert_eq!(tickets.redeem(&ticket, now), Some(device("phone")));
        assert_eq!(tickets.redeem(&ticket, now), None, "used up");
    }

    #[test]
    fn an_expired_or_made_up_ticket_lets_no_one_in() {
        let mut tickets = Tickets::default();
        let now = Instant::now();
        let ticket = tickets.issue(device("phone"), now).unwrap();
        assert_eq!(tickets.redeem(&ticket, now + TICKET_LIFETIME), None);
        assert_eq!(tickets.redeem("0".repeat(64).as_str(), now), None);
        assert_eq!(tickets.redeem("", now), None);
    }

    #[test]
    fn a_device_holds_a_few_tickets_and_everyone_a_bounded_number() {
        let mut tickets = Tickets::default();
        let now = Instant::now();
        let first = tickets.issue(device("phone"), now).unwrap();
        for i in 1..=PER_DEVICE {
            tickets
                .issue(device("phone"), now + Duration::from_millis(i as u64))
                .unwrap();
        }
        assert_eq!(tickets.waiting.len(), PER_DEVICE, "the oldest made room");
        assert_eq!(tickets.redeem(&first, now), None);
        // One person's many linked devices together hold no more than her share.
        let mut tickets = Tickets::default();
        for i in 0..PER_PERSON * 3 {
            let device = Identity {
                peer: format!("linked-{i}"),
                person: "mallory".into(),
            };
            tickets.issue(device, now).unwrap();
        }
        assert_eq!(tickets.waiting.len(), PER_PERSON);
        for i in 0..IN_TOTAL {
            let _ = tickets.issue(device(&format!("device-{i}")), now);
        }
        assert_eq!(tickets.waiting.len(), IN_TOTAL);
        assert_eq!(
            tickets.issue(device("one-more"), now),
            Err(TicketError::Full)
        );
        // Once they expire, there is room again.
        assert!(
            tickets
                .issue(device("later"), now + TICKET_LIFETIME)
                .is_ok()
        );
    }
}
