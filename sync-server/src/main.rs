//! The sync server's binary: reads its configuration from flags and the environment, logs to
//! stderr, and serves until SIGINT or SIGTERM (see the library's documentation).

use std::process::ExitCode;

use clap::Parser;
use sync_server::{Command, Config, migrate, run, shutdown_signal};

fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Some(Command::Migrate) = config.command {
        return match migrate(&config) {
            Ok(done) => {
                tracing::info!("{done}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                tracing::error!(error = %e, "the database's schema could not be made");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config, shutdown_signal())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the sync server stopped with an error");
            ExitCode::FAILURE
        }
    }
}
