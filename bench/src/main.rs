//! `pm-bench`: what an edit takes to reach the other device, through the real sync server.
//!
//! Starts the `sync-server` binary (the release build unless `--server` names another) on
//! loopback with a fresh data directory, sets up a programme as a coordinator would, invites a
//! class list of mentors and mentees at once (the bulk path operators use), lets every device
//! accept its invitation and pairs them; then in every pair at once the mentor types into the
//! shared notes of a meeting at a typist's pace and the time until her mentee's device shows each
//! keystroke is measured. Prints p50, p99 and the maximum. Run it with `scripts/bench.sh`.
//!
//! With `--idle N` it measures memory instead: N devices accept their invitations and stay
//! connected, idle; the server's resident memory is read before and after.
//!
//! Usage: `pm-bench [--pairs N] [--keystrokes K] [--idle N] [--server PATH]`

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mentoring::device::Device;
use mentoring::model::Settings;
use mentoring::session::{ProgrammeForm, Session};

/// Time between two keystrokes of one typist.
const KEYSTROKE_EVERY: Duration = Duration::from_millis(60);
/// Longest a keystroke may take to arrive before it counts as lost.
const ARRIVAL_LIMIT: Duration = Duration::from_secs(10);

struct Options {
    pairs: usize,
    keystrokes: usize,
    idle: usize,
    server: String,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        pairs: 10,
        keystrokes: 40,
        idle: 0,
        server: format!(
            "{}/../target/release/sync-server",
            env!("CARGO_MANIFEST_DIR")
        ),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--pairs" => o.pairs = value.parse().map_err(|_| "--pairs: a number")?,
            "--keystrokes" => o.keystrokes = value.parse().map_err(|_| "--keystrokes: a number")?,
            "--server" => o.server = value,
            "--idle" => o.idle = value.parse().map_err(|_| "--idle: a number")?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(binary: &str, dir: &std::path::Path, port: u16, key: &str) -> Server {
    let child = Command::new(binary)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir)
        .args(["--setup-key", key])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary}: {e} (build it: cargo build --release -p sync-server)")
        });
    let server = Server(child);
    let health = format!("http://127.0.0.1:{port}/health");
    for _ in 0..200 {
        if reqwest::get(&health)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not answer /health");
}

/// The server's resident memory, in KiB (Linux).
fn rss_kib(server: &Server) -> u64 {
    std::fs::read_to_string(format!("/proc/{}/status", server.0.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn person() -> Session {
    Session::new(Device::open_in_memory().await.expect("a device in memory"))
}

/// Retries `f` until it returns `Some`, for at most 30 s.
async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = f().await {
            return value;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One pair's typing: the mentor types `keystrokes` characters; the time each takes to show on
/// the mentee's device.
async fn type_in_pair(
    mentor: Arc<Session>,
    mentee: Arc<Session>,
    group: String,
    meeting: String,
    keystrokes: usize,
) -> Vec<Duration> {
    let today = chrono::Local::now().date_naive();
    let mut changes = mentee.device().changes();
    let mut text = String::new();
    let mut base = String::new();
    let mut arrivals = Vec::with_capacity(keystrokes);
    for i in 0..keystrokes {
        text.push(char::from(b'a' + (i % 26) as u8));
        let sent = Instant::now();
        let written = mentor
            .write_shared_note(&group, &meeting, &base, &text)
            .await
            .expect("the mentor types");
        base = written.edit_base;
        loop {
            let seen = mentee
                .meeting_page(&group, &meeting, today)
                .await
                .is_ok_and(|p| p.shared_notes.text == text);
            if seen {
                arrivals.push(sent.elapsed());
                break;
            }
            if sent.elapsed() > ARRIVAL_LIMIT {
                eprintln!("a keystroke did not arrive within {ARRIVAL_LIMIT:?}");
                arrivals.push(ARRIVAL_LIMIT);
                break;
            }
            let _ = tokio::time::timeout(Duration::from_millis(100), changes.recv()).await;
        }
        tokio::time::sleep(KEYSTROKE_EVERY.saturating_sub(sent.elapsed())).await;
    }
    arrivals
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

#[tokio::main]
async fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("pm-bench: {e}");
            std::process::exit(2);
        }
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let port = free_port();
    let key = "bench-setup-key";
    let server = start_server(&o.server, &dir.path().join("server"), port, key).await;
    let url = format!("http://127.0.0.1:{port}/");
    let today = chrono::Local::now().date_naive();

    // The coordinator sets up the programme and invites a class list at once.
    let coordinator = person().await;
    let programme = coordinator
        .create_programme(
            ProgrammeForm {
                server: url.clone(),
                setup_key: key.into(),
                coordinator_name: "Coördinator".into(),
                name: "Benchmark".into(),
                school: "School".into(),
                academic_year: String::new(),
                quarters: Vec::new(),
                settings: Settings::default(),
            },
            today,
        )
        .await
        .expect("a programme");
    if o.idle > 0 {
        idle_devices(&coordinator, &programme, &url, &server, o.idle).await;
        return;
    }
    let list: String = (0..o.pairs)
        .flat_map(|i| {
            [
                format!("Mentor {i},mentor{i}@bench.example,mentor\n"),
                format!("Mentee {i},mentee{i}@bench.example,mentee\n"),
            ]
        })
        .collect();
    let provisioned = Instant::now();
    let invited = coordinator
        .import_class_list(&programme, &list, 14)
        .await
        .expect("the class list is invited");
    assert!(invited.problems.is_empty(), "{:?}", invited.problems);
    let mut people = Vec::new();
    for (i, invitation) in invited.invited.iter().enumerate() {
        let session = person().await;
        let name = if i % 2 == 0 {
            format!("Mentor {}", i / 2)
        } else {
            format!("Mentee {}", i / 2)
        };
        session
            .accept_invitation(&url, &invitation.code, &name)
            .await
            .expect("accepted");
        people.push(Arc::new(session));
    }
    coordinator
        .refresh_status(&programme)
        .await
        .expect("the coordinator's status");
    let mut pairs = Vec::new();
    for pair in people.chunks(2) {
        let (mentor, mentee) = (pair[0].clone(), pair[1].clone());
        let mentor_id = mentor.profile().expect("a profile").person_id;
        let mentee_id = mentee.profile().expect("a profile").person_id;
        let group = coordinator
            .form_pair(&programme, &mentor_id, &mentee_id, today)
            .await
            .expect("a pair");
        eventually("the mentor has her pair", || {
            let (mentor, group) = (mentor.clone(), group.clone());
            async move {
                (mentor.sync_directory().await.is_ok() && mentor.device().has(&group)).then_some(())
            }
        })
        .await;
        let meeting = mentor
            .plan_meeting(&group, &today.to_string(), "14:00", "Bibliotheek")
            .await
            .expect("a meeting");
        eventually("the mentee has the meeting", || {
            let (mentee, group, meeting) = (mentee.clone(), group.clone(), meeting.clone());
            async move {
                let _ = mentee.sync_directory().await;
                mentee
                    .meeting_page(&group, &meeting, today)
                    .await
                    .is_ok()
                    .then_some(())
            }
        })
        .await;
        pairs.push((mentor, mentee, group, meeting));
    }
    let setup = provisioned.elapsed();

    let typing = Instant::now();
    let tasks: Vec<_> = pairs
        .into_iter()
        .map(|(mentor, mentee, group, meeting)| {
            tokio::spawn(type_in_pair(mentor, mentee, group, meeting, o.keystrokes))
        })
        .collect();
    let mut arrivals = Vec::new();
    for task in tasks {
        arrivals.extend(task.await.expect("a typist"));
    }
    let took = typing.elapsed();
    arrivals.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "BENCH | edit -> other device | {} pairs, {} keystrokes each, one every {} ms | \
         p50 {:.1} ms | p99 {:.1} ms | max {:.1} ms | {} edits in {:.1} s | setup of {} devices {:.1} s",
        o.pairs,
        o.keystrokes,
        KEYSTROKE_EVERY.as_millis(),
        ms(percentile(&arrivals, 0.50)),
        ms(percentile(&arrivals, 0.99)),
        ms(arrivals.last().copied().unwrap_or_default()),
        arrivals.len(),
        took.as_secs_f64(),
        o.pairs * 2,
        setup.as_secs_f64(),
    );
}

/// `count` devices accept their invitations (class lists of at most 500) and stay connected,
/// idle; prints the server's resident memory before and after.
async fn idle_devices(
    coordinator: &Session,
    programme: &str,
    url: &str,
    server: &Server,
    count: usize,
) {
    let before = rss_kib(server);
    let mut devices = Vec::with_capacity(count);
    let started = Instant::now();
    for first in (0..count).step_by(mentoring::class_list::MAX_PEOPLE) {
        let last = (first + mentoring::class_list::MAX_PEOPLE).min(count);
        let list: String = (first..last)
            .map(|i| format!("Leerling {i},l{i}@bench.example,mentee\n"))
            .collect();
        let invited = coordinator
            .import_class_list(programme, &list, 14)
            .await
            .expect("the class list is invited");
        // As in a classroom: many accept at the same moment (32 at a time here).
        let gate = Arc::new(tokio::sync::Semaphore::new(32));
        let mut accepting = tokio::task::JoinSet::new();
        for (offset, invitation) in invited.invited.iter().enumerate() {
            let (gate, url, code) = (gate.clone(), url.to_owned(), invitation.code.clone());
            let name = format!("Leerling {}", first + offset);
            accepting.spawn(async move {
                let _turn = gate.acquire_owned().await.expect("the gate stays open");
                let session = person().await;
                session
                    .accept_invitation(&url, &code, &name)
                    .await
                    .expect("accepted");
                session
            });
        }
        while let Some(session) = accepting.join_next().await {
            devices.push(session.expect("a device"));
        }
    }
    // Connected and done with their first sync: idle from here on.
    for session in &devices {
        let mut status = session.device().status();
        let _ = tokio::time::timeout(Duration::from_secs(60), async {
            while !matches!(
                status.borrow_and_update().state,
                mentoring::api::SyncState::Synced
            ) {
                if status.changed().await.is_err() {
                    return;
                }
            }
        })
        .await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = rss_kib(server);
    println!(
        "BENCH | idle connections | {count} devices connected in {:.1} s | server RSS {:.0} MiB before, {:.0} MiB after | {:.1} KiB per connection",
        started.elapsed().as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after.saturating_sub(before)) as f64 / count as f64,
    );
    drop(devices);
}
