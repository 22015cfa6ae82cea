//! # sync-server
//!
//! The Peer Mentoring sync server. Devices connect to it over a websocket at `/sync` and exchange
//! Automerge documents with it using the automerge-repo protocol (through samod); it stores every
//! document it may keep in one SQLite file in its data directory. It is a relay with a memory, not
//! an authority: devices work without it and merge through it.
//!
//! ```text
//! sync-server [--listen 127.0.0.1:3030] [--data-dir ./sync-data] [--max-message-bytes 16777216]
//!             [--setup-key KEY] [--max-connections 10000] [--max-connections-per-device 4]
//!             [--idle-timeout-secs 90] [--send-timeout-secs 15] [--header-timeout-secs 10]
//!             [--wrong-codes-per-address 20] [--wrong-codes-total 200]
//! ```
//!
//! Every flag can also be set in the environment (`PM_SYNC_LISTEN`, `PM_SYNC_DATA_DIR`,
//! `PM_SYNC_MAX_MESSAGE_BYTES`, `PM_SYNC_SETUP_KEY`); logging follows `RUST_LOG` (default `info`). SIGINT or SIGTERM
//! stops accepting, closes connections with "going away", flushes storage and exits with 0.
//!
//! The binary (`main.rs`) reads the configuration and runs [`run`]; tests may run it in their own
//! process too, on a loopback port.

mod access;
mod api;
mod changes;
mod chunks;
mod connection;
mod db;
mod doorbell;
mod follower;
mod frames;
mod limits;
mod postgres;
mod registry;
mod routes;
mod seen;
mod server;
mod setup;
mod state;
mod tickets;
mod web_app;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

pub use server::{DATABASE_FILE, ServerError, migrate, run, shutdown_signal};

/// Command-line and environment configuration.
#[derive(Debug, Clone, Parser)]
#[command(name = "sync-server", version, about = "Peer Mentoring sync server")]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "PM_SYNC_LISTEN", default_value = "127.0.0.1:3030")]
    pub listen: SocketAddr,
    /// Directory for the server's SQLite database (created if missing) and its setup key.
    #[arg(
        long,
        env = "PM_SYNC_DATA_DIR",
        default_value = "sync-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// A Postgres database (`postgres://user@host/db`, or `postgres://user@/db?host=/socket/dir`)
    /// instead of SQLite: several servers given the same one serve the same programmes.
    #[arg(long, env = "PM_SYNC_DATABASE", global = true)]
    pub database: Option<String>,
    /// `migrate`: make or update the database's schema, then stop.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Largest sync message accepted, in bytes; bigger ones close the connection with code 1009.
    #[arg(long, env = "PM_SYNC_MAX_MESSAGE_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_message_bytes: usize,
    /// Key a coordinator needs to set up a programme (default: made once, kept in the data
    /// directory's database and written to setup-key.txt there).
    #[arg(long, env = "PM_SYNC_SETUP_KEY")]
    pub setup_key: Option<String>,
    /// Open sync connections the server takes in total.
    #[arg(long, env = "PM_SYNC_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,
    /// Open sync connections one device may have at once.
    #[arg(long, env = "PM_SYNC_MAX_CONNECTIONS_PER_DEVICE", default_value_t = 4)]
    pub max_connections_per_device: usize,
    /// Seconds a sync connection may stay silent (pings go out every third of it).
    #[arg(long, env = "PM_SYNC_IDLE_TIMEOUT_SECS", default_value_t = 90)]
    pub idle_timeout_secs: u64,
    /// Seconds a device may take to read a message before its connection is closed.
    #[arg(long, env = "PM_SYNC_SEND_TIMEOUT_SECS", default_value_t = 15)]
    pub send_timeout_secs: u64,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, env = "PM_SYNC_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Wrong codes (invitation, linking, setup key) one address may try before it must wait.
    #[arg(long, env = "PM_SYNC_WRONG_CODES_PER_ADDRESS", default_value_t = 20)]
    pub wrong_codes_per_address: u32,
    /// Wrong codes all addresses together may try before only clean addresses may try.
    #[arg(long, env = "PM_SYNC_WRONG_CODES_TOTAL", default_value_t = 200)]
    pub wrong_codes_total: u32,
    /// The web app's folder (trunk's `app/dist`): served at `/app/`, and invitation links open it.
    #[arg(long, env = "PM_SYNC_APP_DIR")]
    pub app_dir: Option<PathBuf>,
    /// Days an invitation (the name and e-mail address it was made out to) is kept after it was
    /// accepted, declined or withdrawn, or after it expired.
    #[arg(long, env = "PM_SYNC_INVITATION_RETENTION_DAYS", default_value_t = 30)]
    pub invitation_retention_days: u32,
}

/// What the binary does instead of serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Makes or brings up to date the database's schema (several servers may start at once;
    /// each also does this when it starts), then stops.
    Migrate,
}

impl Config {
    /// The configuration the flags' defaults (and any `PM_SYNC_*` settings) give, on `listen`
    /// with `data_dir`: for a server run inside another program, such as a test.
    pub fn with_defaults(listen: SocketAddr, data_dir: PathBuf) -> Config {
        Config {
            listen,
            data_dir,
            ..Config::parse_from(["sync-server"])
        }
    }
}
