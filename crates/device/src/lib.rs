//! # pm-device
//!
//! What runs on a person's device: the sync engine around samod ([`sync`]), the device that ties
//! its store and engine together and keeps edits durable ([`device`]), and the HTTP client of
//! the sync server's API ([`client`]).
//!
//! Architecture invariant: the only crate besides `pm-store` (its storage trait) and the server's
//! connection handling that names samod.

#[cfg(target_arch = "wasm32")]
mod browser_dialer;
pub mod client;
pub mod device;
#[cfg(not(target_arch = "wasm32"))]
mod dialer;
pub mod runtime;
pub mod sync;
