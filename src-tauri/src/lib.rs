//! # peer-mentoring
//!
//! The app a mentor, mentee or coordinator runs: a Tauri window showing the Leptos frontend
//! (`app/`), and behind it the person's [`Device`](mentoring::device::Device): her documents in a
//! local SQLite file, synced with the sync server when it can be reached. This crate only starts
//! things and translates: `window` starts the window and the device, `commands` hands the window's
//! commands to `mentoring::answer`, [`launch`] reads the launch options.
//!
//! ```text
//! peer-mentoring [--data-dir DIR] [--server http://127.0.0.1:3030] [--export-dir DIR]
//! ```
//! (or `PEER_MENTORING_DATA_DIR`, `PEER_MENTORING_SERVER`, `PEER_MENTORING_EXPORT_DIR`; the server
//! is remembered.)

pub mod launch;

#[cfg(not(test))]
mod commands;
#[cfg(not(test))]
mod window;

#[cfg(not(test))]
pub use window::run;
