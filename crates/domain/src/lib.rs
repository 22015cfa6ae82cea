//! # pm-domain
//!
//! The words and rules of Peer Mentoring as plain values: people and programmes ([`model`]), the
//! toolbox's meeting guide ([`guide`]), Mentoring Circles' rules ([`circle`]), matching mentors
//! with mentees ([`matching`]), who may read or write which document ([`access`]), invitation
//! codes ([`codes`]), class lists to invite from ([`class_list`]), every text the app shows in Dutch and English ([`i18n`]), the values the
//! window shows ([`api`]), what devices and the server say to each other ([`wire`]), calendar
//! files ([`ics`]) and mail drafts ([`mail`]).
//!
//! Architecture invariant: this crate compiles for the webview (wasm32) with no feature switches,
//! and never touches a window, a socket, a file or a clock it is not given.

pub mod access;
pub mod api;
pub mod circle;
pub mod class_list;
pub mod codes;
pub mod commands;
pub mod guide;
pub mod i18n;
pub mod ics;
pub mod mail;
pub mod matching;
pub mod model;
pub mod wire;
