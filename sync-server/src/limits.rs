//! Throttling of invitation-code attempts: a token bucket per client address and one for all
//! clients together, so that guessing codes (60 bits) is hopeless from one address or many.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bucket of `capacity` attempts that refills one attempt every `refill`.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    pub fn full(capacity: u32, now: Instant) -> Bucket {
        Bucket {
            tokens: f64::from(capacity),
            updated: now,
        }
    }

    /// Takes one attempt, or says how long until one is available.
    pub fn take(&mut self, capacity: u32, refill: Duration, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed / refill.as_secs_f64()).min(f64::from(capacity));
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(refill.mul_f64(1.0 - self.tokens))
        }
    }
}

/// The limits for invitation-code attempts.
pub struct Limiter {
    per_client: Mutex<HashMap<IpAddr, Bucket>>,
    everyone: Mutex<Bucket>,
}

/// Attempts one address may make at once, and how fast they come back.
const CLIENT_BURST: u32 = 10;
const CLIENT_REFILL: Duration = Duration::from_secs(6);
/// Attempts all addresses together may make at once, and how fast they come back.
const GLOBAL_BURST: u32 = 200;
const GLOBAL_REFILL: Duration = Duration::from_millis(250);

impl Default for Limiter {
    fn default() -> Self {
        Limiter {
            per_client: Mutex::default(),
            everyone: Mutex::new(Bucket::full(GLOBAL_BURST, Instant::now())),
        }
    }
}

impl Limiter {
    /// Allows one attempt from `client`, or says how long to wait.
    pub fn attempt(&self, client: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let mut buckets = self.per_client.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 10_000 {
            // Forget full buckets of clients that stopped trying.
            buckets.retain(|_, b| {
                now.saturating_duration_since(b.updated) < CLIENT_REFILL * CLIENT_BURST
            });
        }
        buckets
            .entry(client)
            .or_insert_with(|| Bucket::full(CLIENT_BURST, now))
            .take(CLIENT_BURST, CLIENT_REFILL, now)?;
        self.everyone
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take(GLOBAL_BURST, GLOBAL_REFILL, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_throttled_then_allowed_again_after_the_refill() {
        let start = Instant::now();
        let mut bucket = Bucket::full(3, start);
        let refill = Duration::from_secs(6);
        for _ in 0..3 {
            assert!(bucket.take(3, refill, start).is_ok());
        }
        let wait = bucket.take(3, refill, start).unwrap_err();
        assert!(wait <= refill && wait > Duration::from_secs(5), "{wait:?}");
        assert!(
            bucket
                .take(3, refill, start + Duration::from_secs(3))
                .is_err()
        );
        assert!(
            bucket
                .take(3, refill, start + Duration::from_secs(7))
                .is_ok()
        );
    }

    #[test]
    fn each_client_has_its_own_bucket() {
        let limiter = Limiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..CLIENT_BURST {
            assert!(limiter.attempt(a).is_ok());
        }
        assert!(limiter.attempt(a).is_err());
        assert!(limiter.attempt(b).is_ok());
    }
}
