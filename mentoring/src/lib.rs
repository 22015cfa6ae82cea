//! # mentoring
//!
//! What a person does in Peer Mentoring ([`session`]: pairs, circles, joining, the coordinator's
//! work), the window's commands answered for any shell ([`answer`]), and the façade over the crates below it, so call sites say `mentoring::docs` rather
//! than which crate holds it:
//!
//! - `pm-domain`: words and rules as plain values ([`model`], [`guide`], [`circle`],
//!   [`matching`], [`access`], [`codes`], [`i18n`], [`api`], [`wire`], [`ics`], [`mail`]);
//! - `pm-documents`: the Automerge documents and what is read from them ([`docs`], [`views`],
//!   [`monitoring`], [`demo`]);
//! - `pm-certificate`: the printable PDFs ([`pdf`]);
//! - `pm-store`: the SQLite store ([`store`]);
//! - `pm-device`: the sync engine, the device and the server's HTTP client ([`sync`],
//!   [`device`], [`client`]).

pub use pm_certificate as pdf;
pub use pm_device::{client, device, runtime, sync};
pub use pm_documents::{contact, demo, docs, monitoring, views};
pub use pm_domain::{
    access, api, circle, class_list, codes, commands, guide, i18n, ics, mail, matching, model, wire,
};
pub use pm_store as store;

pub mod answer;
pub mod session;
