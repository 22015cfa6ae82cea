//! The desktop app's binary: starts [`peer_mentoring_lib::run`].

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    peer_mentoring_lib::run();
}
