//! Throttling of wrong secrets (invitation codes, linking codes, the setup key). Only wrong
//! attempts are counted, so sixty students behind one school address who type valid codes are
//! never slowed down by each other; an address that made too many wrong attempts is refused
//! before its next code is even looked up, so guessing stays hopeless. Wrong attempts are counted
//! per address, per programme (codes of a programme that are no longer open) and for everyone
//! together; while the total is used up, only addresses with no recent wrong attempt may try.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bucket of `capacity` attempts that refills one attempt every `refill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub capacity: u32,
    pub refill: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    fn full(rate: Rate, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(rate.capacity),
            updated: now,
        }
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed / rate.refill.as_secs_f64().max(1e-9))
            .min(f64::from(rate.capacity));
        self.updated = now;
    }

    /// How long until one attempt is available (zero if one is).
    fn wait(&mut self, rate: Rate, now: Instant) -> Duration {
        self.refill(rate, now);
        if self.tokens >= 1.0 {
            Duration::ZERO
        } else {
            rate.refill.mul_f64(1.0 - self.tokens)
        }
    }

    fn take(&mut self, rate: Rate, now: Instant) {
        self.refill(rate, now);
        self.tokens = (self.tokens - 1.0).max(0.0);
    }

    fn is_full(&mut self, rate: Rate, now: Instant) -> bool {
        self.refill(rate, now);
        self.tokens >= f64::from(rate.capacity)
    }
}

/// The limits an operator may tune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_address: Rate,
    pub per_programme: Rate,
    pub total: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_address: Rate {
                capacity: 20,
                refill: Duration::from_secs(30),
            },
            per_programme: Rate {
                capacity: 50,
                refill: Duration::from_secs(10),
            },
            total: Rate {
                capacity: 200,
                refill: Duration::from_millis(100),
            },
        }
    }
}

/// Buckets per key, forgetting full ones once there are many.
struct Buckets<K> {
    rate: Rate,
    map: HashMap<K, Bucket>,
}

impl<K: Hash + Eq + Clone> Buckets<K> {
    fn new(rate: Rate) -> Self {
        Buckets {
            rate,
            map: HashMap::new(),
        }
    }

    fn wait(&mut self, key: &K, now: Instant) -> Duration {
        let rate = self.rate;
        self.map
            .get_mut(key)
            .map_or(Duration::ZERO, |b| b.wait(rate, now))
    }

    fn clean(&mut self, key: &K, now: Instant) -> bool {
        let rate = self.rate;
        self.map.get_mut(key).is_none_or(|b| b.is_full(rate, now))
    }

    fn take(&mut self, key: K, now: Instant) {
        let rate = self.rate;
        if self.map.len() >= 10_000 {
            self.map.retain(|_, b| !b.is_full(rate, now));
        }
        self.map
            .entry(key)
            .or_insert_with(|| Bucket::full(rate, now))
            .take(rate, now);
    }
}

/// The counters of wrong attempts.
pub struct Guard {
    limits: Limits,
    state: Mutex<GuardState>,
}

struct GuardState {
    per_address: Buckets<IpAddr>,
    per_programme: Buckets<String>,
    total: Bucket,
}

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        Guard {
            limits,
            state: Mutex::new(GuardState {
                per_address: Buckets::new(limits.per_address),
                per_programme: Buckets::new(limits.per_programme),
                total: Bucket::full(limits.total, Instant::now()),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, GuardState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `client` may try a secret now, or how long it must wait.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let mut state = self.state();
        let wait = state.per_address.wait(&client, now);
        if !wait.is_zero() {
            return Err(wait);
        }
        let total_wait = state.total.wait(self.limits.total, now);
        if !total_wait.is_zero() && !state.per_address.clean(&client, now) {
            return Err(total_wait);
        }
        Ok(())
    }

    /// Whether a code of `programme` that is no longer open may be answered now.
    pub fn check_programme(&self, programme: &str) -> Result<(), Duration> {
        let wait = self
            .state()
            .per_programme
            .wait(&programme.to_owned(), Instant::now());
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Counts a wrong secret from `client`.
    pub fn wrong(&self, client: IpAddr) {
        let now = Instant::now();
        let mut state = self.state();
        state.per_address.take(client, now);
        state.total.take(self.limits.total, now);
    }

    /// Counts a code of `programme` that was no longer open.
    pub fn spent(&self, programme: &str) {
        let now = Instant::now();
        let mut state = self.state();
        state.per_programme.take(programme.to_owned(), now);
        state.total.take(self.limits.total, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        let rate = |capacity, secs| Rate {
            capacity,
            refill: Duration::from_secs(secs),
        };
        Limits {
            per_address: rate(3, 60),
            per_programme: rate(2, 60),
            total: rate(5, 60),
        }
    }

    #[test]
    fn right_attempts_are_never_counted_and_wrong_ones_block_their_address() {
        let guard = Guard::new(small());
        let school: IpAddr = "10.0.0.1".parse().unwrap();
        let guesser: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..1000 {
            assert!(guard.check(school).is_ok(), "valid codes cost nothing");
        }
        for _ in 0..3 {
            assert!(guard.check(guesser).is_ok());
            guard.wrong(guesser);
        }
        let wait = guard.check(guesser).unwrap_err();
        assert!(wait > Duration::from_secs(50), "{wait:?}");
        assert!(
            guard.check(school).is_ok(),
            "another address is not blocked"
        );
    }

    #[test]
    fn when_the_total_is_used_up_only_clean_addresses_may_try() {
        let guard = Guard::new(small());
        let addresses: Vec<IpAddr> = (1..=5)
            .map(|i| format!("10.0.1.{i}").parse().unwrap())
            .collect();
        for a in &addresses {
            guard.wrong(*a);
        }
        for a in &addresses {
            assert!(
                guard.check(*a).is_err(),
                "{a} guessed while the total is used up"
            );
        }
        assert!(guard.check("10.0.2.1".parse().unwrap()).is_ok());
    }

    #[test]
    fn spent_codes_are_counted_per_programme() {
        let guard = Guard::new(small());
        guard.spent("p");
        guard.spent("p");
        assert!(guard.check_programme("p").is_err());
        assert!(guard.check_programme("q").is_ok());
    }
}
