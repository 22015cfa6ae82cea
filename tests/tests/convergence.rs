//! The randomized convergence harness ([`system_tests::convergence`]) on fixed seeds: six devices in
//! their own processes, the real server, and a schedule of edits mixed with crashes, partitions and
//! full disks. A failure prints the seed and the shortest schedule found that still fails.
//!
//! `scripts/soak.sh N` runs N random seeds (the ignored `soak` test); `replay` runs one seed again
//! (`PM_SEED=<seed>`).

use system_tests::convergence::{disks_available, run_seed, schedule};

/// Steps per schedule.
const STEPS: usize = 40;

fn steps() -> usize {
    std::env::var("PM_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(STEPS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_edit_survives_crashes_partitions_and_full_disks_on_fixed_seeds() {
    let disks = disks_available();
    if !disks {
        println!("disk faults skipped: mounting a small disk needs root");
    }
    let mut failures = Vec::new();
    for seed in [1, 2, 3] {
        match run_seed(seed, steps(), disks).await {
            Ok(report) => println!("{report}"),
            Err(failure) => failures.push(failure),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/soak.sh"]
async fn soak() {
    let runs: u64 = std::env::var("PM_SOAK_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let first: u64 = std::env::var("PM_SOAK_FIRST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::from(rand::random::<u32>()));
    let disks = disks_available();
    let (mut operations, mut acknowledged, mut faults, mut lost, mut divergent) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for seed in first..first + runs {
        match run_seed(seed, steps(), disks).await {
            Ok(report) => {
                println!("{report}");
                operations += report.operations;
                acknowledged += report.acknowledged;
                faults += report.faults;
            }
            Err(failure) => {
                println!("{failure}");
                lost += failure.matches("acknowledged and").count();
                divergent += failure.matches(" differs between ").count();
                failures.push(failure);
            }
        }
    }
    println!(
        "SOAK | runs {runs} | seeds {first}..{} | steps per run {} | operations {operations} | acknowledged {acknowledged} | faults injected {faults} | disk faults {} | failed runs {} | lost {lost} | divergent {divergent}",
        first + runs,
        steps(),
        if disks { "on" } else { "off (no root)" },
        failures.len()
    );
    assert!(failures.is_empty(), "{} runs failed", failures.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "replays PM_SEED"]
async fn replay() {
    let seed: u64 = std::env::var("PM_SEED")
        .expect("PM_SEED")
        .parse()
        .expect("PM_SEED is a number");
    let disks = disks_available();
    for (i, step) in schedule(seed, steps(), disks).iter().enumerate() {
        println!("{i:3}. {step:?}");
    }
    match run_seed(seed, steps(), disks).await {
        Ok(report) => println!("{report}"),
        Err(failure) => panic!("{failure}"),
    }
}
