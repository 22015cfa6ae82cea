//! The same loads against our server and the reference server, alternating, in one run; one
//! table with the ratios. Every load starts a fresh server, so memory figures are its own.
//!
//! - typing: `devices` connected, of which `pairs` pairs type in their pair's notes (bursts of
//!   a word at 60 ms a keystroke, a pause between words) and the rest read a programme document
//!   and stay connected; edit → other device p50, p99 and max.
//! - first sync: a coordinator's device uploads `documents` documents with a history; `readers`
//!   devices come online with that backlog at once and fetch them all; documents per second.
//! - idle: `idle` devices connect, join and stay idle; resident memory per connection.
//!
//! On our server every device is provisioned through the API with a credential of its own and
//! every document is registered; the reference server has no accounts and takes any document.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mentoring::model::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::provision::{self, Api, Device};
use crate::servers::{Binaries, Kind, Server};
use crate::wire::{self, Peer, Traffic};

/// Time between two keystrokes within a word, the pause between words, and letters per word.
const KEYSTROKE_EVERY: Duration = Duration::from_millis(60);
const PAUSE_BETWEEN_WORDS: Duration = Duration::from_millis(400);
const WORD: u64 = 6;
/// Longest a keystroke may take to arrive before it counts as lost.
const ARRIVAL_LIMIT: Duration = Duration::from_secs(10);
/// A pause between setting a load up and measuring it. Typing that started the instant 360
/// devices had fetched a document and 64 had joined saw its first keystrokes wait about 0.55 s
/// (at 400 devices; with both processes idle meanwhile; not found why), which would measure the
/// setup rather than the typing.
const SETTLE: Duration = Duration::from_secs(3);
/// Students who join while a load's devices are connected.
const JOINING: usize = 64;
/// Connections opened at the same moment.
const CONNECTING_AT_ONCE: usize = 64;

#[derive(Debug, Clone)]
pub struct Loads {
    pub devices: usize,
    pub pairs: usize,
    pub keystrokes: u64,
    pub documents: usize,
    pub readers: usize,
    pub idle: usize,
    pub rounds: usize,
}

/// One figure of one server.
#[derive(Debug, Clone)]
struct Figure {
    load: String,
    measure: &'static str,
    /// Lower is better (a time, memory, bytes), or higher (a rate).
    lower_is_better: bool,
    unit: &'static str,
    ours: Vec<f64>,
    reference: Vec<f64>,
}

#[derive(Default)]
struct Table(Vec<Figure>);

impl Table {
    fn add(
        &mut self,
        kind: Kind,
        load: &str,
        measure: &'static str,
        unit: &'static str,
        lower: bool,
        value: f64,
    ) {
        let i = match self
            .0
            .iter()
            .position(|f| f.load == load && f.measure == measure)
        {
            Some(i) => i,
            None => {
                self.0.push(Figure {
                    load: load.into(),
                    measure,
                    lower_is_better: lower,
                    unit,
                    ours: Vec::new(),
                    reference: Vec::new(),
                });
                self.0.len() - 1
            }
        };
        match kind {
            Kind::Ours => self.0[i].ours.push(value),
            Kind::Reference => self.0[i].reference.push(value),
        }
        println!(
            "BENCH | {} | {load} | {measure} | {value:.2} {unit}",
            kind.label()
        );
    }

    fn print(&self) {
        println!();
        println!("| load | measure | sync-server | reference (JS) | ours vs reference |");
        println!("|---|---|---|---|---|");
        for f in &self.0 {
            let median = |v: &[f64]| {
                let mut v = v.to_vec();
                v.sort_by(f64::total_cmp);
                v.get(v.len() / 2).copied()
            };
            let (ours, reference) = (median(&f.ours), median(&f.reference));
            let show =
                |v: Option<f64>| v.map_or("–".into(), |v| format!("{} {}", round(v), f.unit));
            let ratio = match (ours, reference) {
                (Some(o), Some(r)) if o > 0.0 && r > 0.0 => {
                    let better = if f.lower_is_better { r / o } else { o / r };
                    format!(
                        "{better:.2}× {}",
                        if better >= 1.0 { "better" } else { "worse" }
                    )
                }
                _ => "–".into(),
            };
            println!(
                "| {} | {} | {} | {} | {ratio} |",
                f.load,
                f.measure,
                show(ours),
                show(reference)
            );
        }
    }
}

fn round(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

pub async fn run(binaries: &Binaries, loads: &Loads, with_reference: bool) -> Result<(), String> {
    let kinds: &[Kind] = if with_reference {
        &[Kind::Ours, Kind::Reference]
    } else {
        &[Kind::Ours]
    };
    let mut table = Table::default();
    for round in 0..loads.rounds.max(1) {
        // Alternate which goes first, so neither always meets a warm machine.
        let order: Vec<Kind> = if round % 2 == 0 {
            kinds.to_vec()
        } else {
            kinds.iter().rev().copied().collect()
        };
        if loads.pairs > 0 {
            for &kind in &order {
                typing(&mut table, binaries, kind, loads).await?;
            }
        }
        if loads.documents > 0 && loads.readers > 0 {
            for &kind in &order {
                first_sync(&mut table, binaries, kind, loads).await?;
            }
        }
        if loads.idle > 0 {
            for &kind in &order {
                idle(&mut table, binaries, kind, loads.idle).await?;
            }
        }
    }
    table.print();
    Ok(())
}

/// The devices of one load: on our server, provisioned with credentials (`mentors`, `mentees`,
/// `others` mentees); on the reference server, bare peer ids.
struct People {
    api: Option<Arc<Api>>,
    programme: String,
    coordinator: Option<Device>,
    devices: Vec<Option<Device>>,
}

async fn people(server: &Server, count: usize) -> Result<People, String> {
    if server.kind == Kind::Reference {
        return Ok(People {
            api: None,
            programme: String::new(),
            coordinator: None,
            devices: vec![None; count],
        });
    }
    let api = Arc::new(Api::new(&server.http()));
    let (programme, coordinator) = api.programme().await?;
    // Even places mentors, odd places mentees: pairs are (0, 1), (2, 3), …
    let mentors = api
        .students(&coordinator, &programme, Role::Mentor, count.div_ceil(2), 0)
        .await?;
    let mentees = api
        .students(&coordinator, &programme, Role::Mentee, count / 2, count)
        .await?;
    let mut devices = Vec::with_capacity(count);
    let mut mentees = mentees.into_iter();
    for mentor in mentors {
        devices.push(Some(mentor));
        if let Some(mentee) = mentees.next() {
            devices.push(Some(mentee));
        }
    }
    Ok(People {
        api: Some(api),
        programme,
        coordinator: Some(coordinator),
        devices,
    })
}

/// Connects every device, `CONNECTING_AT_ONCE` at a time, in order.
async fn connect_all(
    server: &Server,
    devices: &[Option<Device>],
    traffic: &Arc<Traffic>,
) -> Result<Vec<Peer>, String> {
    let gate = Arc::new(tokio::sync::Semaphore::new(CONNECTING_AT_ONCE));
    let mut connecting = tokio::task::JoinSet::new();
    for (i, device) in devices.iter().enumerate() {
        let (gate, url, traffic) = (gate.clone(), server.websocket_for(i), traffic.clone());
        let device = device.clone();
        connecting.spawn(async move {
            let _turn = gate.acquire_owned().await.map_err(|e| e.to_string())?;
            let me = device
                .as_ref()
                .map_or(format!("bench-peer-{i}"), |d| d.peer.clone());
            let credential = device.as_ref().map(|d| d.credential.as_str());
            Peer::connect(&url, credential, me, traffic)
                .await
                .map(|p| (i, p))
        });
    }
    let mut peers = Vec::with_capacity(devices.len());
    while let Some(done) = connecting.join_next().await {
        peers.push(done.map_err(|e| e.to_string())??);
    }
    peers.sort_by_key(|(i, _)| *i);
    Ok(peers.into_iter().map(|(_, p)| p).collect())
}

/// The coordinator's device, which makes the documents every device of the load may read.
async fn uploader(
    people: &People,
    server: &Server,
    traffic: &Arc<Traffic>,
) -> Result<Peer, String> {
    let me = people
        .coordinator
        .as_ref()
        .map_or("bench-coordinator".into(), |c| c.peer.clone());
    let credential = people.coordinator.as_ref().map(|c| c.credential.as_str());
    Peer::connect(&server.websocket(), credential, me, traffic.clone()).await
}

/// A document every device of the load may read (registered by the coordinator on our
/// server), sent by the uploader; its id.
async fn shared_document(
    people: &People,
    uploader: &Peer,
    doc: automerge::AutoCommit,
) -> Result<String, String> {
    let id = provision::document_id();
    if let (Some(api), Some(coordinator)) = (&people.api, &people.coordinator) {
        api.programme_document(coordinator, &people.programme, &id)
            .await?;
    }
    uploader.upload(&id, doc).await?;
    Ok(id)
}

async fn typing(
    table: &mut Table,
    binaries: &Binaries,
    kind: Kind,
    loads: &Loads,
) -> Result<(), String> {
    let server = Server::start(kind, binaries).await?;
    let devices = loads.devices.max(loads.pairs * 2);
    let load = format!("{devices} devices, {} pairs typing", loads.pairs);
    let people = people(&server, devices).await?;
    let traffic = Arc::new(Traffic::default());
    let peers = connect_all(&server, &people.devices, &traffic).await?;

    // Every pair's notes: formed by the coordinator on our server, made by the mentor on the
    // reference server; both devices of the pair hold them.
    let mut notes = Vec::new();
    for p in 0..loads.pairs {
        let (mentor, mentee) = (&peers[2 * p], &peers[2 * p + 1]);
        let id = match (
            &people.api,
            &people.coordinator,
            &people.devices[2 * p],
            &people.devices[2 * p + 1],
        ) {
            (Some(api), Some(coordinator), Some(a), Some(b)) => {
                let id = api.pair(coordinator, &people.programme, a, b).await?;
                mentor
                    .fetch(&id)
                    .await
                    .map_err(|e| format!("the mentor of pair {p} fetching its notes: {e}"))?;
                id
            }
            _ => {
                let id = provision::document_id();
                mentor
                    .upload(&id, wire::document_with_history(1, 20))
                    .await?;
                id
            }
        };
        mentee
            .fetch(&id)
            .await
            .map_err(|e| format!("the mentee of pair {p} fetching its notes: {e}"))?;
        notes.push(id);
    }
    // Everyone else reads a programme document and stays connected.
    if peers.len() > loads.pairs * 2 {
        let uploader = uploader(&people, &server, &traffic).await?;
        let programme_doc =
            shared_document(&people, &uploader, wire::document_with_history(20, 50)).await?;
        let mut reading = Vec::new();
        for peer in &peers[loads.pairs * 2..] {
            reading.push(peer.fetch(&programme_doc));
        }
        for read in futures::future::join_all(reading).await {
            read.map_err(|e| format!("a reader fetching the programme document: {e}"))?;
        }
    }

    // Students joining while everyone is connected (our server only: the reference has no
    // accounts). Every acceptance changes who may see what.
    if let (Some(api), Some(coordinator)) = (&people.api, &people.coordinator) {
        let cpu = server.cpu_seconds();
        let started = Instant::now();
        api.students(
            coordinator,
            &people.programme,
            Role::Mentee,
            JOINING,
            2 * devices,
        )
        .await?;
        let each = started.elapsed().as_secs_f64() * 1000.0 / JOINING as f64;
        table.add(
            kind,
            &load,
            "an acceptance while all are connected",
            "ms",
            true,
            each,
        );
        table.add(
            kind,
            &load,
            "server CPU per acceptance",
            "ms",
            true,
            (server.cpu_seconds() - cpu) * 1000.0 / JOINING as f64,
        );
    }

    // Typing starts once the burst of setting up has settled (see SETTLE).
    tokio::time::sleep(SETTLE).await;
    let (cpu, bytes) = (server.cpu_seconds(), traffic.total());
    let started = Instant::now();
    let mut typists = Vec::new();
    for (p, id) in notes.iter().enumerate() {
        let seen = peers[2 * p + 1].keystrokes(id).await?;
        typists.push(type_and_wait(
            &peers[2 * p],
            id.clone(),
            seen,
            loads.keystrokes,
            p as u64,
        ));
    }
    let mut arrivals: Vec<Duration> = futures::future::join_all(typists)
        .await
        .into_iter()
        .flatten()
        .collect();
    let took = started.elapsed().as_secs_f64();
    arrivals.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let lost = arrivals.iter().filter(|a| **a >= ARRIVAL_LIMIT).count();
    table.add(
        kind,
        &load,
        "edit → other device p50",
        "ms",
        true,
        ms(percentile(&arrivals, 0.50)),
    );
    table.add(
        kind,
        &load,
        "edit → other device p99",
        "ms",
        true,
        ms(percentile(&arrivals, 0.99)),
    );
    table.add(
        kind,
        &load,
        "edit → other device max",
        "ms",
        true,
        ms(arrivals.last().copied().unwrap_or_default()),
    );
    table.add(
        kind,
        &load,
        "server CPU while typing",
        "% of a core",
        true,
        (server.cpu_seconds() - cpu) / took * 100.0,
    );
    table.add(
        kind,
        &load,
        "bytes on the wire per edit",
        "B",
        true,
        (traffic.total() - bytes) as f64 / arrivals.len().max(1) as f64,
    );
    peak_and_retries(table, kind, &load, &server, &traffic);
    if lost > 0 {
        eprintln!(
            "{}: {lost} keystrokes did not arrive within {ARRIVAL_LIMIT:?}",
            kind.label()
        );
    }
    drop(peers);
    Ok(())
}

/// One typist: words of `WORD` letters at `KEYSTROKE_EVERY`, a pause between words, each
/// pause a quarter shorter or longer at random and her first keystroke somewhere in the first
/// word's time (people do not type in step: typists started together and kept in step, every
/// pair's keystroke reached the server in the same millisecond); for each keystroke the time
/// until her partner's device has it. `seed` makes a run repeatable.
async fn type_and_wait(
    typist: &Peer,
    id: String,
    mut seen: tokio::sync::watch::Receiver<u64>,
    keystrokes: u64,
    seed: u64,
) -> Vec<Duration> {
    let mut rng = StdRng::seed_from_u64(seed);
    let word_time = KEYSTROKE_EVERY * (WORD as u32 - 1) + PAUSE_BETWEEN_WORDS;
    tokio::time::sleep(word_time.mul_f64(rng.random::<f64>())).await;
    let mut arrivals = Vec::with_capacity(keystrokes as usize);
    for n in 1..=keystrokes {
        let sent = Instant::now();
        if typist.type_keystroke(&id, n).is_err() {
            break;
        }
        // The borrow `wait_for` returns is let go at once: held across the pause below, it
        // blocked the partner's task (and with it a runtime thread) in `send_if_modified`.
        let arrived = matches!(
            tokio::time::timeout(ARRIVAL_LIMIT, seen.wait_for(|k| *k >= n)).await,
            Ok(Ok(_))
        );
        arrivals.push(if arrived {
            sent.elapsed()
        } else {
            ARRIVAL_LIMIT
        });
        let pause = if n % WORD == 0 {
            PAUSE_BETWEEN_WORDS
        } else {
            KEYSTROKE_EVERY
        };
        let pause = pause.mul_f64(rng.random_range(0.75..1.25));
        tokio::time::sleep(pause.saturating_sub(sent.elapsed())).await;
    }
    arrivals
}

async fn first_sync(
    table: &mut Table,
    binaries: &Binaries,
    kind: Kind,
    loads: &Loads,
) -> Result<(), String> {
    let server = Server::start(kind, binaries).await?;
    let load = format!(
        "{} documents to {} devices at once",
        loads.documents, loads.readers
    );
    let people = people(&server, loads.readers).await?;
    let traffic = Arc::new(Traffic::default());
    // Meeting notes as they are after a few meetings: 40 edits of 30 characters each.
    let uploader = uploader(&people, &server, &traffic).await?;
    let mut ids = Vec::with_capacity(loads.documents);
    for _ in 0..loads.documents {
        ids.push(shared_document(&people, &uploader, wire::document_with_history(40, 30)).await?);
    }
    let readers = connect_all(&server, &people.devices, &traffic).await?;
    let (cpu, bytes) = (server.cpu_seconds(), traffic.total());
    let started = Instant::now();
    let mut fetching = Vec::new();
    for reader in &readers {
        for id in &ids {
            fetching.push(reader.fetch(id));
        }
    }
    for fetched in futures::future::join_all(fetching).await {
        fetched?;
    }
    let took = started.elapsed().as_secs_f64();
    let synced = (loads.documents * loads.readers) as f64;
    table.add(
        kind,
        &load,
        "first sync",
        "documents/s",
        false,
        synced / took,
    );
    table.add(
        kind,
        &load,
        "server CPU per document",
        "ms",
        true,
        (server.cpu_seconds() - cpu) * 1000.0 / synced,
    );
    table.add(
        kind,
        &load,
        "bytes on the wire per document",
        "B",
        true,
        (traffic.total() - bytes) as f64 / synced,
    );
    peak_and_retries(table, kind, &load, &server, &traffic);
    drop(readers);
    Ok(())
}

async fn idle(
    table: &mut Table,
    binaries: &Binaries,
    kind: Kind,
    count: usize,
) -> Result<(), String> {
    let server = Server::start(kind, binaries).await?;
    let load = format!("{count} idle devices");
    let people = people(&server, count).await?;
    // Settle after provisioning, then read memory before the connections.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = server.memory_kib().0;
    let traffic = Arc::new(Traffic::default());
    let started = Instant::now();
    let peers = connect_all(&server, &people.devices, &traffic).await?;
    let connected = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = server.memory_kib().0;
    table.add(kind, &load, "connected and joined", "s", true, connected);
    table.add(
        kind,
        &load,
        "server RSS",
        "MiB",
        true,
        after as f64 / 1024.0,
    );
    table.add(
        kind,
        &load,
        "RSS per connection",
        "KiB",
        true,
        after.saturating_sub(before) as f64 / count as f64,
    );
    drop(peers);
    Ok(())
}

/// What every load ends with: the server's peak memory, and how often a fetch was asked again.
fn peak_and_retries(table: &mut Table, kind: Kind, load: &str, server: &Server, traffic: &Traffic) {
    table.add(
        kind,
        load,
        "server peak RSS",
        "MiB",
        true,
        server.memory_kib().1 as f64 / 1024.0,
    );
    unavailable(traffic, kind);
}

/// Says how often a document was asked for again: answered unavailable (a document shared with
/// a device a moment before it asks may be), or not answered within 5 s.
fn unavailable(traffic: &Traffic, kind: Kind) {
    let retries = traffic.retries.load(std::sync::atomic::Ordering::Relaxed);
    if retries > 0 {
        println!(
            "BENCH | {} | {retries} fetches were asked again (answered unavailable, or no answer within 5 s)",
            kind.label()
        );
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}
