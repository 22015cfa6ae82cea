//! # pm-documents
//!
//! Peer Mentoring's Automerge documents: their schemas and edits ([`docs`]), the screens' values
//! built from them ([`views`]), a participant's line to the contact person ([`contact`]), the coordinator's monitoring ([`monitoring`], progress and
//! evaluations, never note content) and the local demo pair ([`demo`]).
//!
//! Architecture invariant: plain functions over documents in memory; no storage, network or
//! runtime, so this crate compiles for the webview (wasm32) too.

pub mod contact;
pub mod demo;
pub mod docs;
pub mod monitoring;
pub mod views;
