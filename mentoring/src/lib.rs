//! # mentoring
//!
//! The domain of Peer Mentoring and everything a device needs to keep it: the words of the programme
//! ([`model`]), the toolbox's meeting guide ([`guide`]), every text the app shows in Dutch and
//! English ([`i18n`]), and the view values handed to the webview ([`api`]) are plain Rust and
//! compile for the webview too. With the `native` feature (devices and
//! the sync server) come the Automerge documents ([`docs`]), the SQLite store ([`store`]), the sync
//! engine around samod ([`sync`]) and the device that ties them together ([`device`]).
//!
//! Rules are plain functions over plain values: they never touch a window, a socket or a file.

pub mod access;
pub mod api;
pub mod circle;
pub mod codes;
pub mod guide;
pub mod i18n;
pub mod ics;
pub mod mail;
pub mod matching;
pub mod model;
pub mod wire;

#[cfg(feature = "native")]
pub mod client;
#[cfg(feature = "native")]
pub mod demo;
#[cfg(feature = "native")]
pub mod device;
#[cfg(feature = "native")]
pub mod docs;
#[cfg(feature = "native")]
pub mod monitoring;
#[cfg(feature = "native")]
pub mod pdf;
#[cfg(feature = "native")]
pub mod session;
#[cfg(feature = "native")]
pub mod store;
#[cfg(feature = "native")]
pub mod sync;
#[cfg(feature = "native")]
pub mod views;
