//! `pm-bench`: what the sync server and the app's core take, on release builds.
//!
//! - `pm-bench compare`: the same loads (pairs typing among many connected devices, a backlog
//!   of documents fetched at once, idle connections) against our `sync-server` and the
//!   reference JavaScript server, alternating, in one run; one table with the ratios.
//! - `pm-bench devices`: pairs of whole app devices typing through our server; what the
//!   mentee's meeting page shows, keystroke by keystroke.
//! - `pm-bench app`: the app's core on a device with a year of data: cold start to the first
//!   screen, a save until durable, merging two devices' offline edits.
//!
//! Run them with `scripts/bench.sh` (bench/README.md has the figures).

mod app;
mod compare;
mod devices;
mod postgres;
mod provision;
mod servers;
mod wire;

use std::path::PathBuf;

use servers::Binaries;

const USAGE: &str = "usage: pm-bench compare [--devices N] [--pairs N] [--keystrokes N] [--documents N] [--readers N] [--idle N] [--rounds N] [--no-reference]
       pm-bench devices [--pairs N] [--keystrokes N]
       pm-bench app
options for every command: --server PATH (our sync-server; the release build by default), --reference DIR (bench/reference),
  --postgres N (ours as N processes on one Postgres database, a cluster of the bench's own; devices take turns among them)";

fn number(value: Option<String>, flag: &str) -> Result<usize, String> {
    value
        .ok_or(format!("{flag} needs a value"))?
        .parse()
        .map_err(|_| format!("{flag}: a number"))
}

#[tokio::main]
async fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut binaries = Binaries {
        ours: root.join("../target/release/sync-server"),
        reference: root.join("reference"),
        postgres: None,
        instances: 1,
    };
    let mut postgres_instances = 0;
    let mut loads = compare::Loads {
        devices: 100,
        pairs: 20,
        keystrokes: 60,
        documents: 100,
        readers: 10,
        idle: 1000,
        rounds: 1,
    };
    let mut with_reference = true;
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_else(|| "compare".into());
    let parsed = (|| -> Result<(), String> {
        while let Some(flag) = args.next() {
            match flag.as_str() {
                "--server" => binaries.ours = args.next().ok_or("--server needs a path")?.into(),
                "--reference" => {
                    binaries.reference = args.next().ok_or("--reference needs a path")?.into()
                }
                "--devices" => loads.devices = number(args.next(), &flag)?,
                "--pairs" => loads.pairs = number(args.next(), &flag)?,
                "--keystrokes" => loads.keystrokes = number(args.next(), &flag)? as u64,
                "--documents" => loads.documents = number(args.next(), &flag)?,
                "--readers" => loads.readers = number(args.next(), &flag)?,
                "--idle" => loads.idle = number(args.next(), &flag)?,
                "--rounds" => loads.rounds = number(args.next(), &flag)?,
                "--no-reference" => with_reference = false,
                "--postgres" => postgres_instances = number(args.next(), &flag)?,
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(())
    })();
    if let Err(e) = parsed {
        eprintln!("pm-bench: {e}\n{USAGE}");
        std::process::exit(2);
    }
    if postgres_instances > 0 {
        match postgres::Cluster::start() {
            Ok(cluster) => {
                println!("our server: {postgres_instances} process(es) on one Postgres database");
                binaries.postgres = Some(std::sync::Arc::new(cluster));
                binaries.instances = postgres_instances;
            }
            Err(e) => {
                eprintln!("pm-bench: cannot start Postgres: {e}");
                std::process::exit(1);
            }
        }
    }
    let outcome = match command.as_str() {
        "compare" => {
            if with_reference && !servers::reference_installed(&binaries.reference) {
                Err(format!(
                    "the reference server is not installed in {} (scripts/setup.sh installs it)",
                    binaries.reference.display()
                ))
            } else {
                compare::run(&binaries, &loads, with_reference).await
            }
        }
        "devices" => devices::run(&binaries, loads.pairs, loads.keystrokes as usize).await,
        "app" => app::run().await.map_err(|e| e.to_string()),
        other => Err(format!("unknown command {other}\n{USAGE}")),
    };
    // The bench's Postgres cluster stops with it.
    drop(binaries);
    if let Err(e) = outcome {
        eprintln!("pm-bench: {e}");
        std::process::exit(1);
    }
}
