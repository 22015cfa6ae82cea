//! Sync tickets: a browser cannot set an `Authorization` header on a WebSocket, so a device
//! trades its credential (an HTTPS POST with the bearer header) for a ticket and presents the
//! ticket at the upgrade (`/sync?ticket=…`). A ticket is random (256 bits), good once, for
//! [`TICKET_LIFETIME`], and kept only as its hash; at most [`PER_DEVICE`] wait per device,
//! [`PER_PERSON`] per person (who may link many devices) and [`IN_TOTAL`] in all, so a peer
//! cannot make the server hold more, nor use up the room of others. The long-lived credential
//! never appears in a URL. Plain rules over a clock the caller passes in.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use pm_documents::docs::new_id;
use sha2::{Digest, Sha256};

use crate::access::Identity;

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
