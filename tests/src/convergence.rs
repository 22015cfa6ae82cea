//! A randomized convergence harness: six devices (coordinator, mentor, mentee, the mentee's phone,
//! a circle's teacher and a student), each a real process on its own data directory, sync through
//! the real server while a seeded schedule mixes what people do with what goes wrong (a device
//! offline, a network partition, `kill -9` of the server or of a device, a full disk). An oracle
//! records every operation and whether it returned success; at the end every device that may hold a
//! document holds the same one, and every acknowledged edit is there.
//!
//! A schedule is a plain list of [`Step`]s made from a seed, so a failing run is replayed from its
//! seed, and [`shrink`] looks for a shorter list that still fails.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout};

use crate::{SyncServer, binary, health};

/// The people in every run, by index into the world's devices.
pub const COORDINATOR: usize = 0;
pub const MENTOR: usize = 1;
pub const MENTEE: usize = 2;
pub const MENTEE_PHONE: usize = 3;
pub const TEACHER: usize = 4;
pub const STUDENT: usize = 5;
const NAMES: [&str; 6] = [
    "coordinator",
    "mentor",
    "mentee",
    "mentee-phone",
    "teacher",
    "student",
];
/// People who join during a run (and may withdraw again): devices 6 and 7.
const LATE: [usize; 2] = [6, 7];

/// A text field people type in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// A pair meeting's shared notes (the meeting by index among those planned).
    PairShared(u8),
    /// The writer's own notes on a pair meeting.
    PairPrivate(u8),
    CircleShared(u8),
    /// The writer's own reflection on a circle session.
    CirclePrivate(u8),
}

/// One thing that happens in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Types `n` new characters at `at` per mille of the field.
    Type {
        who: usize,
        field: Field,
        at: u16,
        n: u8,
    },
    /// Deletes up to `len` characters at `at` per mille of the field.
    Erase {
        who: usize,
        field: Field,
        at: u16,
        len: u8,
    },
    SetPlace {
        who: usize,
        meeting: u8,
        value: u8,
    },
    AddGoal {
        who: usize,
    },
    PlanMeeting {
        who: usize,
    },
    PlanSession,
    Attend {
        session: u8,
        present: bool,
    },
    /// A late joiner accepts her invitation.
    Join(usize),
    Withdraw(usize),
    Offline(usize),
    Online(usize),
    /// The network between a device and the server breaks (connections drop, new ones fail).
    Partition(usize),
    Heal(usize),
    /// `kill -9` of a device's process, and reopening it on the same data.
    CrashDevice(usize),
    /// `kill -9` of the server, and starting it again.
    KillServer,
    /// The server's disk fills up; the server is killed and restarts on the full disk.
    FillServerDisk,
    FreeServerDisk,
    FillDeviceDisk(usize),
    FreeDeviceDisk(usize),
}

impl Step {
    pub fn is_fault(&self) -> bool {
        matches!(
            self,
            Step::Offline(_)
                | Step::Partition(_)
                | Step::CrashDevice(_)
                | Step::KillServer
                | Step::FillServerDisk
                | Step::FillDeviceDisk(_)
        )
    }
}

/// A seeded schedule of `len` steps. Faults are undone a few steps later (and all of them at the
/// end of the run), so every step list is a schedule that can be run.
pub fn schedule(seed: u64, len: usize, disks: bool) -> Vec<Step> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut steps = Vec::with_capacity(len);
    let mut undo: Vec<(usize, Step)> = Vec::new();
    let mut joined = BTreeSet::new();
    let pair_writers = [MENTOR, MENTEE, MENTEE_PHONE];
    let circle_writers = [TEACHER, STUDENT];
    let devices = [COORDINATOR, MENTOR, MENTEE, MENTEE_PHONE, TEACHER, STUDENT];
    for i in 0..len {
        if let Some(pos) = undo.iter().position(|(at, _)| *at <= i) {
            steps.push(undo.remove(pos).1);
            continue;
        }
        let pick = |rng: &mut StdRng, from: &[usize]| from[rng.random_range(0..from.len())];
        let roll = rng.random_range(0..100);
        let step = match roll {
            0..=21 => {
                let field = if rng.random_bool(0.6) {
                    Field::PairShared(rng.random())
                } else {
                    Field::PairPrivate(rng.random())
                };
                Step::Type {
                    who: pick(&mut rng, &pair_writers),
                    field,
                    at: rng.random_range(0..=1000),
                    n: rng.random_range(1..=6),
                }
            }
            22..=29 => {
                let field = if rng.random_bool(0.6) {
                    Field::CircleShared(rng.random())
                } else {
                    Field::CirclePrivate(rng.random())
                };
                Step::Type {
                    who: pick(&mut rng, &circle_writers),
                    field,
                    at: rng.random_range(0..=1000),
                    n: rng.random_range(1..=6),
                }
            }
            30..=39 => {
                let (who, field) = match rng.random_range(0..4) {
                    0 => (
                        pick(&mut rng, &pair_writers),
                        Field::PairShared(rng.random()),
                    ),
                    1 => (
                        pick(&mut rng, &pair_writers),
                        Field::PairPrivate(rng.random()),
                    ),
                    2 => (
                        pick(&mut rng, &circle_writers),
                        Field::CircleShared(rng.random()),
                    ),
                    _ => (
                        pick(&mut rng, &circle_writers),
                        Field::CirclePrivate(rng.random()),
                    ),
                };
                Step::Erase {
                    who,
                    field,
                    at: rng.random_range(0..=1000),
                    len: rng.random_range(1..=4),
                }
            }
            40..=44 => Step::SetPlace {
                who: pick(&mut rng, &pair_writers),
                meeting: rng.random(),
                value: rng.random_range(0..5),
            },
            45..=48 => Step::AddGoal {
                who: pick(&mut rng, &pair_writers),
            },
            49..=51 => Step::PlanMeeting {
                who: pick(&mut rng, &[MENTOR, MENTEE]),
            },
            52..=53 => Step::PlanSession,
            54..=57 => Step::Attend {
                session: rng.random(),
                present: rng.random(),
            },
            58..=60 => {
                let k = pick(&mut rng, &LATE);
                if joined.insert(k) {
                    Step::Join(k)
                } else {
                    Step::Withdraw(k)
                }
            }
            _ => {
                let busy: BTreeSet<usize> = undo
                    .iter()
                    .filter_map(|(_, s)| match s {
                        Step::Online(d) | Step::Heal(d) | Step::FreeDeviceDisk(d) => Some(*d),
                        _ => None,
                    })
                    .collect();
                let server_busy = undo.iter().any(|(_, s)| *s == Step::FreeServerDisk);
                let later = i + rng.random_range(1..=8);
                let who = pick(&mut rng, &devices);
                match rng.random_range(0..100) {
                    _ if busy.contains(&who) => Step::CrashDevice(who),
                    0..=24 => {
                        undo.push((later, Step::Online(who)));
                        Step::Offline(who)
                    }
                    25..=49 => {
                        undo.push((later, Step::Heal(who)));
                        Step::Partition(who)
                    }
                    50..=69 => Step::CrashDevice(who),
                    70..=84 => Step::KillServer,
                    85..=92 if disks && !server_busy => {
                        undo.push((later, Step::FreeServerDisk));
                        Step::FillServerDisk
                    }
                    _ if disks => {
                        undo.push((later, Step::FreeDeviceDisk(who)));
                        Step::FillDeviceDisk(who)
                    }
                    _ => Step::KillServer,
                }
            }
        };
        steps.push(step);
    }
    undo.sort_by_key(|(at, _)| *at);
    steps.extend(undo.into_iter().map(|(_, s)| s));
    steps
}

// ---------------------------------------------------------------------------------------------
// The parts of a world: device processes, a gate per device, and disks that can fill up.

/// A device in its own process (`device-host`), driven over its stdin and stdout.
pub struct Host {
    child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Host {
    pub async fn start(dir: &Path, log: &Path) -> Host {
        match Host::try_start(dir, log).await {
            Ok(host) => host,
            Err(e) => panic!("{e}"),
        }
    }

    /// Starts a device process; why it did not come up, if it did not.
    pub async fn try_start(dir: &Path, log_path: &Path) -> Result<Host, String> {
        std::fs::create_dir_all(dir).expect("device directory");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_path)
            .expect("device log");
        let mut child = tokio::process::Command::new(binary("device-host"))
            .arg(dir)
            .env(
                "RUST_LOG",
                "info,mentoring::session=debug,samod=warn,samod_core=warn",
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("start device-host");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut host = Host {
            child,
            stdin,
            stdout,
        };
        let ready = tokio::time::timeout(Duration::from_secs(30), host.stdout.next_line()).await;
        if !matches!(ready, Ok(Ok(Some(_)))) {
            let log = std::fs::read_to_string(log_path).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let last = match lines.iter().rposition(|l| l.contains("panicked at")) {
                Some(i) => lines.get(i + 1).copied().unwrap_or("").to_owned(),
                None => lines[lines.len().saturating_sub(5)..].join("\n"),
            };
            return Err(format!(
                "the device in {} did not start: {last}",
                dir.display()
            ));
        }
        Ok(host)
    }

    /// Sends one request; its answer, or why there is none.
    pub async fn call(&mut self, request: Value) -> Result<Value, String> {
        let mut line = request.to_string();
        line.push('\n');
        self.stdin
            .write_all(line.as_bytes())
            .await
            .map_err(|e| format!("device gone: {e}"))?;
        let answer = tokio::time::timeout(Duration::from_secs(60), self.stdout.next_line())
            .await
            .map_err(|_| "no answer within 60 s".to_owned())?
            .map_err(|e| e.to_string())?
            .ok_or("device gone")?;
        let answer: Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
        match answer.get("ok") {
            Some(value) => Ok(value.clone()),
            None => Err(answer["err"].as_str().unwrap_or("?").to_owned()),
        }
    }

    /// `kill -9`.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// A TCP gate between one device and the server: open, it passes everything; cut, it drops every
/// connection and refuses new ones, the way a broken network does.
pub struct Gate {
    pub port: u16,
    cut: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Gate {
    pub async fn start(upstream: u16) -> Gate {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (cut, _) = tokio::sync::watch::channel(false);
        let watch = cut.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if *watch.borrow() {
                    continue;
                }
                let mut cut = watch.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) =
                        tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await
                    else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.wait_for(|c| *c) => {}
                    }
                });
            }
        });
        Gate { port, cut, task }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    pub fn set_cut(&self, cut: bool) {
        self.cut.send_replace(cut);
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A small disk of its own (a tmpfs mounted on a directory) that a step can fill up.
pub struct Disk {
    dir: PathBuf,
}

impl Disk {
    /// Mounts a 32 MiB tmpfs on `dir`; `None` where mounting is not allowed.
    pub fn mount(dir: &Path) -> Option<Disk> {
        std::fs::create_dir_all(dir).ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=32m", "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| Disk {
            dir: dir.to_owned(),
        })
    }

    /// Whether this machine lets the harness mount disks (it needs root).
    pub fn available(scratch: &Path) -> bool {
        Disk::mount(&scratch.join("probe")).is_some()
    }

    /// Writes a filler file until the disk refuses more.
    pub fn fill(&self) {
        use std::io::Write;
        let Ok(mut file) = std::fs::File::create(self.dir.join("filler")) else {
            return;
        };
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while file.write_all(&small).is_ok() {}
        let _ = file.sync_all();
    }

    pub fn free(&self) {
        let _ = std::fs::remove_file(self.dir.join("filler"));
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.dir)
            .status();
    }
}

// ---------------------------------------------------------------------------------------------
// What the oracle knows.

/// Every attempt to change one text field, and whether it returned success.
#[derive(Default, Debug)]
struct TextRecord {
    /// Character typed, and whether typing it was acknowledged.
    typed: BTreeMap<char, bool>,
    erase_tried: BTreeSet<char>,
    erased: BTreeSet<char>,
}

/// A text field by document place: group, meeting, and whose private text (empty for shared).
type TextKey = (String, String, String);

#[derive(Default)]
struct Oracle {
    texts: BTreeMap<TextKey, TextRecord>,
    goals: BTreeMap<String, bool>,
    meetings: BTreeSet<String>,
    sessions: BTreeSet<String>,
    places: BTreeMap<String, BTreeSet<String>>,
    attendance: BTreeMap<String, BTreeSet<bool>>,
    joined: BTreeMap<usize, bool>,
    withdrew: BTreeMap<usize, bool>,
}

/// What one run did and found.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub seed: u64,
    pub steps: usize,
    pub operations: usize,
    pub acknowledged: usize,
    pub faults: usize,
    /// Acknowledged edits missing at the end.
    pub lost: usize,
    /// Documents that differ between devices that may hold them.
    pub divergent: usize,
    /// Times the server's `/health` said "degraded" just before its full disk was freed.
    pub degraded: usize,
    pub problems: Vec<String>,
    pub seconds: f64,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seed {}: {} steps, {} operations ({} acknowledged), {} faults, lost {}, divergent {}, degraded {}, {:.1} s",
            self.seed,
            self.steps,
            self.operations,
            self.acknowledged,
            self.faults,
            self.lost,
            self.divergent,
            self.degraded,
            self.seconds
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// A world and a run.

struct Peer {
    dir: PathBuf,
    host: Option<Host>,
    gate: Gate,
    disk: Option<Disk>,
    person: String,
}

struct World {
    _scratch: tempfile::TempDir,
    server: SyncServer,
    server_disk: Option<Disk>,
    peers: Vec<Peer>,
    programme: String,
    pair: String,
    circle: String,
    meetings: Vec<String>,
    sessions: Vec<String>,
    oracle: Oracle,
    report: Report,
}

fn char_for(step: usize, i: usize) -> char {
    char::from_u32(0x4E00 + (step as u32) * 8 + i as u32).unwrap_or('?')
}

/// Retries `call` until it succeeds (for setting up, not for the schedule).
async fn must(host: &mut Host, request: Value) -> Value {
    let start = Instant::now();
    loop {
        match host.call(request.clone()).await {
            Ok(v) => return v,
            Err(e) if start.elapsed() > Duration::from_secs(60) => {
                panic!("{request} kept failing: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

impl World {
    fn host(&mut self, who: usize) -> &mut Host {
        self.peers[who].host.as_mut().expect("device is running")
    }

    /// The first of these devices that is running (the first if none is: its reads then fail).
    fn running<const N: usize>(&self, devices: [usize; N]) -> usize {
        devices
            .into_iter()
            .find(|&d| self.peers[d].host.is_some())
            .unwrap_or(devices[0])
    }

    /// Sends a request to a device; an error if it is not running.
    async fn call(&mut self, who: usize, request: Value) -> Result<Value, String> {
        match self.peers[who].host.as_mut() {
            Some(host) => host.call(request).await,
            None => Err("device not running".into()),
        }
    }

    async fn set_up(seed: u64, disks: bool) -> World {
        let scratch = tempfile::tempdir().expect("scratch directory");
        let root = scratch.path().to_owned();
        let server_dir = root.join("server");
        let server_disk = if disks {
            Disk::mount(&server_dir)
        } else {
            None
        };
        let server = SyncServer::start(&server_dir, &[]).await;
        let mut peers = Vec::new();
        for (i, name) in NAMES.iter().chain(&["late-1", "late-2"]).enumerate() {
            let dir = root.join(name);
            let disk = if disks { Disk::mount(&dir) } else { None };
            let host = if i < NAMES.len() {
                Some(Host::start(&dir.join("data"), &dir.with_extension("log")).await)
            } else {
                None
            };
            peers.push(Peer {
                dir,
                host,
                gate: Gate::start(server.port).await,
                disk,
                person: String::new(),
            });
        }
        let mut world = World {
            _scratch: scratch,
            server,
            server_disk,
            peers,
            programme: String::new(),
            pair: String::new(),
            circle: String::new(),
            meetings: Vec::new(),
            sessions: Vec::new(),
            oracle: Oracle::default(),
            report: Report {
                seed,
                ..Report::default()
            },
        };
        let key = crate::programme::setup_key(&world.server);
        let url = world.peers[COORDINATOR].gate.url();
        world.programme = must(
            world.host(COORDINATOR),
            json!({"cmd": "create_programme", "server": url, "setup_key": key}),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
        for (who, role) in [
            (MENTOR, "mentor"),
            (MENTEE, "mentee"),
            (TEACHER, "facilitator"),
            (STUDENT, "student"),
        ] {
            world.join(who, role).await.expect("accept invitation");
        }
        let code = must(world.host(MENTEE), json!({"cmd": "link_code"})).await;
        let url = world.peers[MENTEE_PHONE].gate.url();
        world.peers[MENTEE_PHONE].person = must(
            world.host(MENTEE_PHONE),
            json!({"cmd": "link", "server": url, "code": code, "label": "Telefoon"}),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
        let programme = world.programme.clone();
        must(
            world.host(COORDINATOR),
            json!({"cmd": "refresh_status", "programme": programme}),
        )
        .await;
        let (mentor, mentee) = (
            world.peers[MENTOR].person.clone(),
            world.peers[MENTEE].person.clone(),
        );
        world.pair = must(
            world.host(COORDINATOR),
            json!({"cmd": "form_pair", "programme": programme, "mentor": mentor, "mentee": mentee}),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
        let (teacher, student) = (
            world.peers[TEACHER].person.clone(),
            world.peers[STUDENT].person.clone(),
        );
        world.circle = must(
            world.host(COORDINATOR),
            json!({"cmd": "create_circle", "programme": programme, "teacher": teacher, "student": student}),
        )
        .await
        .as_str()
        .unwrap()
        .to_owned();
        for who in [MENTOR, MENTEE, MENTEE_PHONE, TEACHER, STUDENT] {
            world.sees(who).await;
        }
        let (pair, circle) = (world.pair.clone(), world.circle.clone());
        let first = must(
            world.host(MENTOR),
            json!({"cmd": "plan_meeting", "group": pair, "date": date(7)}),
        )
        .await;
        world.meetings.push(first.as_str().unwrap().to_owned());
        let session = must(
            world.host(TEACHER),
            json!({"cmd": "plan_session", "group": circle, "date": date(14)}),
        )
        .await;
        world.sessions.push(session.as_str().unwrap().to_owned());
        world
    }

    /// The coordinator invites device `who`'s person, who accepts through her own gate.
    async fn join(&mut self, who: usize, role: &str) -> Result<(), String> {
        let programme = self.programme.clone();
        let name = NAMES.get(who).copied().unwrap_or("late");
        let code = self
            .call(
                COORDINATOR,
                json!({"cmd": "invite", "programme": programme, "role": role, "name": name}),
            )
            .await?;
        let url = self.peers[who].gate.url();
        let person = self
            .call(
                who,
                json!({"cmd": "accept", "server": url, "code": code, "name": name}),
            )
            .await?;
        self.peers[who].person = person.as_str().unwrap_or_default().to_owned();
        Ok(())
    }

    /// Waits until device `who` has the group it belongs to.
    async fn sees(&mut self, who: usize) {
        let group = if who == TEACHER || who == STUDENT {
            self.circle.clone()
        } else {
            self.pair.clone()
        };
        let start = Instant::now();
        loop {
            let _ = self.call(who, json!({"cmd": "sync_directory"})).await;
            if self
                .call(who, json!({"cmd": "meetings", "group": group}))
                .await
                .is_ok()
            {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{} never received its group",
                NAMES[who]
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn field_place(&self, who: usize, field: Field) -> (bool, TextKey, &'static str) {
        let pick = |list: &[String], i: u8| list[i as usize % list.len()].clone();
        let me = self.peers[who].person.clone();
        match field {
            Field::PairShared(m) => (
                false,
                (self.pair.clone(), pick(&self.meetings, m), String::new()),
                "shared",
            ),
            Field::PairPrivate(m) => (
                false,
                (self.pair.clone(), pick(&self.meetings, m), me),
                "private",
            ),
            Field::CircleShared(s) => (
                true,
                (self.circle.clone(), pick(&self.sessions, s), String::new()),
                "shared",
            ),
            Field::CirclePrivate(s) => (
                true,
                (self.circle.clone(), pick(&self.sessions, s), me),
                "private",
            ),
        }
    }

    /// Does one step; records operations in the oracle.
    async fn perform(&mut self, index: usize, step: &Step) {
        if step.is_fault() {
            self.report.faults += 1;
        }
        match *step {
            Step::Type { who, field, at, n } => {
                let (circle, key, which) = self.field_place(who, field);
                let text: String = (0..n as usize).map(|i| char_for(index, i)).collect();
                let result = self
                    .op(who, json!({"cmd": "type", "circle": circle, "group": key.0, "meeting": key.1, "which": which, "at": at, "text": text}))
                    .await;
                let record = self.oracle.texts.entry(key).or_default();
                for c in text.chars() {
                    record.typed.insert(c, result.is_ok());
                }
            }
            Step::Erase {
                who,
                field,
                at,
                len,
            } => {
                let (circle, key, which) = self.field_place(who, field);
                // What she is about to delete is what she sees there now.
                let seen = self
                    .op(who, json!({"cmd": "read_text", "circle": circle, "group": key.0, "meeting": key.1, "which": which}))
                    .await;
                let result = self
                    .op(who, json!({"cmd": "erase", "circle": circle, "group": key.0, "meeting": key.1, "which": which, "at": at, "len": len}))
                    .await;
                let record = self.oracle.texts.entry(key).or_default();
                match result {
                    Ok(gone) => record.erased.extend(gone.as_str().unwrap_or("").chars()),
                    Err(_) => {
                        // It may have gone through: anything she could have deleted may be gone.
                        if let Ok(seen) = seen {
                            record
                                .erase_tried
                                .extend(seen.as_str().unwrap_or("").chars());
                        }
                    }
                }
            }
            Step::SetPlace {
                who,
                meeting,
                value,
            } => {
                let m = self.meetings[meeting as usize % self.meetings.len()].clone();
                let place = format!("Lokaal {value}");
                self.oracle
                    .places
                    .entry(m.clone())
                    .or_default()
                    .insert(place.clone());
                let pair = self.pair.clone();
                let _ = self
                    .op(who, json!({"cmd": "set_field", "group": pair, "meeting": m, "field": "place", "value": place}))
                    .await;
            }
            Step::AddGoal { who } => {
                let text = format!("Doel {index}");
                let pair = self.pair.clone();
                let ok = self
                    .op(who, json!({"cmd": "add_goal", "group": pair, "text": text}))
                    .await
                    .is_ok();
                self.oracle.goals.insert(text, ok);
            }
            Step::PlanMeeting { who } => {
                let pair = self.pair.clone();
                let days = 7 + index as i64 % 60;
                if let Ok(id) = self
                    .op(
                        who,
                        json!({"cmd": "plan_meeting", "group": pair, "date": date(days)}),
                    )
                    .await
                {
                    let id = id.as_str().unwrap_or_default().to_owned();
                    self.oracle.meetings.insert(id.clone());
                    self.meetings.push(id);
                }
            }
            Step::PlanSession => {
                let circle = self.circle.clone();
                let days = 14 + index as i64 % 60;
                if let Ok(id) = self
                    .op(
                        TEACHER,
                        json!({"cmd": "plan_session", "group": circle, "date": date(days)}),
                    )
                    .await
                {
                    let id = id.as_str().unwrap_or_default().to_owned();
                    self.oracle.sessions.insert(id.clone());
                    self.sessions.push(id);
                }
            }
            Step::Attend { session, present } => {
                let s = self.sessions[session as usize % self.sessions.len()].clone();
                self.oracle
                    .attendance
                    .entry(s.clone())
                    .or_default()
                    .insert(present);
                let (circle, student) = (self.circle.clone(), self.peers[STUDENT].person.clone());
                let _ = self
                    .op(TEACHER, json!({"cmd": "attend", "group": circle, "meeting": s, "person": student, "present": present}))
                    .await;
            }
            Step::Join(k) => {
                self.report.operations += 1;
                if self.peers[k].host.is_none() {
                    let dir = &self.peers[k].dir;
                    self.peers[k].host =
                        Some(Host::start(&dir.join("data"), &dir.with_extension("log")).await);
                }
                let ok = self.join(k, "mentee").await.is_ok();
                if ok {
                    self.report.acknowledged += 1;
                }
                self.oracle.joined.insert(k, ok);
            }
            Step::Withdraw(k) => {
                if self.peers[k].host.is_some() && !self.peers[k].person.is_empty() {
                    let programme = self.programme.clone();
                    let ok = self
                        .op(k, json!({"cmd": "withdraw", "programme": programme}))
                        .await
                        .is_ok();
                    self.oracle.withdrew.insert(k, ok);
                }
            }
            Step::Offline(who) => {
                let _ = self.call(who, json!({"cmd": "offline"})).await;
            }
            Step::Online(who) => {
                let _ = self.call(who, json!({"cmd": "online"})).await;
            }
            Step::Partition(who) => self.peers[who].gate.set_cut(true),
            Step::Heal(who) => self.peers[who].gate.set_cut(false),
            Step::CrashDevice(who) => self.crash(who).await,
            Step::KillServer => {
                self.server.kill();
                self.server.restart().await;
            }
            Step::FillServerDisk => {
                if let Some(disk) = &self.server_disk {
                    disk.fill();
                    self.server.kill();
                    self.server.restart().await;
                }
            }
            Step::FreeServerDisk => {
                if let Some(disk) = &self.server_disk {
                    let status = health(self.server.port).await;
                    if status.is_some_and(|h| h["status"] == "degraded") {
                        self.report.degraded += 1;
                    }
                    disk.free();
                }
            }
            Step::FillDeviceDisk(who) => {
                if let Some(disk) = &self.peers[who].disk {
                    disk.fill();
                }
            }
            Step::FreeDeviceDisk(who) => {
                if let Some(disk) = &self.peers[who].disk {
                    disk.free();
                }
            }
        }
    }

    /// An operation a person does; counted, and acknowledged if it returned success.
    async fn op(&mut self, who: usize, request: Value) -> Result<Value, String> {
        self.report.operations += 1;
        let result = match self.peers[who].host.as_mut() {
            Some(host) => host.call(request).await,
            None => Err("device not running".into()),
        };
        if result.is_ok() {
            self.report.acknowledged += 1;
        }
        if let Err(e) = &result
            && (e.contains("no answer") || e.contains("device gone"))
        {
            let log = std::fs::read_to_string(self.peers[who].dir.with_extension("log"))
                .unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            println!(
                "seed {}: {} did not answer ({e}); the end of its log:\n{}",
                self.report.seed,
                NAMES.get(who).unwrap_or(&"late"),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
            // A device that stopped answering is crashed and reopened.
            self.crash(who).await;
        }
        result
    }

    async fn crash(&mut self, who: usize) {
        if let Some(mut host) = self.peers[who].host.take() {
            host.kill().await;
            let dir = &self.peers[who].dir;
            match Host::try_start(&dir.join("data"), &dir.with_extension("log")).await {
                Ok(host) => self.peers[who].host = Some(host),
                Err(e) => self.report.problems.push(e),
            }
        }
    }

    /// Undoes every fault, then waits until every device holds what it may hold, the same as
    /// every other device that may hold it; then checks the oracle.
    async fn check(&mut self) {
        if let Some(disk) = &self.server_disk {
            disk.free();
        }
        for peer in &self.peers {
            peer.gate.set_cut(false);
            if let Some(disk) = &peer.disk {
                disk.free();
            }
        }
        if !self.server.is_running() {
            self.server.kill();
            self.server.restart().await;
        }
        let running: Vec<usize> = (0..self.peers.len())
            .filter(|&i| self.peers[i].host.is_some() && !self.peers[i].person.is_empty())
            .collect();
        for &who in &running {
            let _ = self.call(who, json!({"cmd": "online"})).await;
        }
        let start = Instant::now();
        let (snapshots, divergent) = loop {
            let mut snapshots = BTreeMap::new();
            for &who in &running {
                let _ = self.call(who, json!({"cmd": "sync_directory"})).await;
                if let Ok(s) = self.call(who, json!({"cmd": "snapshot"})).await {
                    snapshots.insert(who, s);
                }
            }
            let divergent = divergence(&snapshots);
            if (divergent.is_empty() && snapshots.len() == running.len())
                || start.elapsed() > Duration::from_secs(120)
            {
                break (snapshots, divergent);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        self.report.divergent = divergent.len();
        self.report.problems.extend(divergent);
        self.check_privacy(&snapshots);
        self.check_oracle().await;
    }

    fn check_privacy(&mut self, snapshots: &BTreeMap<usize, Value>) {
        for (&who, snapshot) in snapshots {
            let Some(held) = snapshot["held"].as_object() else {
                continue;
            };
            for (id, doc) in held {
                let owner = &doc["content"]["owner"];
                if doc["content"]["kind"] == "private"
                    && owner.as_str() != Some(self.peers[who].person.as_str())
                {
                    self.report.problems.push(format!(
                        "{} holds {id}, the private notes of {owner}",
                        NAMES.get(who).unwrap_or(&"late")
                    ));
                }
            }
        }
    }

    async fn check_oracle(&mut self) {
        let texts = std::mem::take(&mut self.oracle.texts);
        for ((group, meeting, owner), record) in &texts {
            let circle = group == &self.circle;
            let readers: Vec<usize> = if !owner.is_empty() {
                (0..self.peers.len())
                    .filter(|&i| &self.peers[i].person == owner)
                    .collect()
            } else if circle {
                vec![TEACHER, STUDENT]
            } else {
                vec![MENTOR, MENTEE, MENTEE_PHONE]
            };
            let which = if owner.is_empty() {
                "shared"
            } else {
                "private"
            };
            let mut shown = BTreeMap::new();
            for reader in readers {
                if self.peers[reader].host.is_none() {
                    continue;
                }
                match self
                    .call(reader, json!({"cmd": "read_text", "circle": circle, "group": group, "meeting": meeting, "which": which}))
                    .await
                {
                    Ok(t) => {
                        shown.insert(reader, t.as_str().unwrap_or_default().to_owned());
                    }
                    Err(e) => self.report.problems.push(format!(
                        "{} could not read the {which} notes of {meeting}: {e}",
                        NAMES.get(reader).unwrap_or(&"late")
                    )),
                }
            }
            let Some(text) = shown.values().next().cloned() else {
                continue;
            };
            if shown.values().any(|t| *t != text) {
                self.report.divergent += 1;
                self.report.problems.push(format!(
                    "the {which} notes of {meeting} read differently on her devices: {shown:?}"
                ));
            }
            let present: BTreeSet<char> = text.chars().collect();
            for (c, acked) in &record.typed {
                let may_be_gone = record.erased.contains(c) || record.erase_tried.contains(c);
                if *acked && !may_be_gone && !present.contains(c) {
                    self.report.lost += 1;
                    self.report.problems.push(format!(
                        "typed '{c}' in the {which} notes of {meeting} was acknowledged and is gone: {text:?}"
                    ));
                }
            }
            for c in &present {
                // Whitespace separates her notes brought over from a second private document.
                if c.is_whitespace() {
                    continue;
                }
                if !record.typed.contains_key(c) {
                    self.report.problems.push(format!(
                        "'{c}' in the {which} notes of {meeting} was never typed there: {text:?}"
                    ));
                } else if record.erased.contains(c) {
                    self.report.lost += 1;
                    self.report.problems.push(format!(
                        "deleting '{c}' from the {which} notes of {meeting} was acknowledged and it is back: {text:?}"
                    ));
                }
            }
        }
        let pair = self.pair.clone();
        let reader = self.running([MENTOR, MENTEE, MENTEE_PHONE]);
        let goals = self
            .call(reader, json!({"cmd": "goals", "group": pair}))
            .await
            .unwrap_or_default();
        let goals: BTreeSet<&str> = goals
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (goal, acked) in &self.oracle.goals {
            if *acked && !goals.contains(goal.as_str()) {
                self.report.lost += 1;
                self.report
                    .problems
                    .push(format!("goal {goal:?} was acknowledged and is gone"));
            }
        }
        let meetings = self
            .call(reader, json!({"cmd": "meetings", "group": pair}))
            .await
            .unwrap_or_default();
        for m in &self.oracle.meetings {
            if meetings.get(m).is_none() {
                self.report.lost += 1;
                self.report
                    .problems
                    .push(format!("meeting {m} was planned and is gone"));
            }
        }
        for (m, places) in &self.oracle.places {
            let place = meetings[m]["place"].as_str().unwrap_or_default();
            if !place.is_empty() && !places.contains(place) {
                self.report
                    .problems
                    .push(format!("meeting {m} has place {place:?}, which nobody set"));
            }
        }
        let circle = self.circle.clone();
        let reader = self.running([STUDENT, TEACHER]);
        let sessions = self
            .call(reader, json!({"cmd": "meetings", "group": circle}))
            .await
            .unwrap_or_default();
        for s in &self.oracle.sessions {
            if sessions.get(s).is_none() {
                self.report.lost += 1;
                self.report
                    .problems
                    .push(format!("circle session {s} was planned and is gone"));
            }
        }
        let student = self.peers[STUDENT].person.clone();
        for (s, values) in &self.oracle.attendance {
            if let Some(present) = sessions[s]["attendance"][&student].as_bool()
                && !values.contains(&present)
            {
                self.report
                    .problems
                    .push(format!("attendance in {s} is {present}, which nobody set"));
            }
        }
        for k in LATE {
            let joined = self.oracle.joined.get(&k) == Some(&true);
            let withdrew = self.oracle.withdrew.get(&k).copied();
            if !joined || self.peers[k].host.is_none() {
                continue;
            }
            let snapshot = self.call(k, json!({"cmd": "snapshot"})).await;
            let active = snapshot
                .as_ref()
                .ok()
                .and_then(|s| s["active_in"].as_array())
                .is_some_and(|a| !a.is_empty());
            match withdrew {
                None if !active => self.report.problems.push(format!(
                    "late joiner {k} accepted and is not in the programme"
                )),
                Some(true) if active => self.report.problems.push(format!(
                    "late joiner {k} withdrew and is still in the programme"
                )),
                _ => {}
            }
        }
        self.oracle.texts = texts;
    }

    /// Copies every log of a failed run to `test-output/convergence-<seed>/`.
    fn keep_logs(&self) {
        let out = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../test-output")
            .join(format!("convergence-{}", self.report.seed));
        let _ = std::fs::create_dir_all(&out);
        let _ = std::fs::copy(&self.server.log, out.join("server.log"));
        for (i, peer) in self.peers.iter().enumerate() {
            let name = NAMES.get(i).copied().unwrap_or("late");
            let _ = std::fs::copy(
                peer.dir.with_extension("log"),
                out.join(format!("{name}.log")),
            );
        }
    }

    async fn stop(mut self) {
        for peer in &mut self.peers {
            if let Some(mut host) = peer.host.take() {
                host.kill().await;
            }
        }
        self.server.kill();
        // Unmount the disks only once nothing has files open on them.
        drop(self.server_disk.take());
        for peer in &mut self.peers {
            drop(peer.disk.take());
        }
    }
}

/// Documents that differ between devices that may hold them, as problems.
fn divergence(snapshots: &BTreeMap<usize, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut holders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (&who, s) in snapshots {
        for id in s["directory"].as_array().into_iter().flatten() {
            if let Some(id) = id.as_str() {
                holders.entry(id).or_default().push(who);
            }
        }
    }
    for (id, who) in holders {
        let versions: Vec<(usize, &Value)> = who
            .iter()
            .map(|&w| (w, &snapshots[&w]["held"][id]))
            .collect();
        let name = |w: usize| NAMES.get(w).copied().unwrap_or("late");
        if let Some((w, _)) = versions.iter().find(|(_, v)| v.is_null()) {
            problems.push(format!("{} may hold {id} and does not", name(*w)));
            continue;
        }
        let (first, reference) = versions[0];
        for (w, v) in &versions[1..] {
            if v["heads"] != reference["heads"] || v["content"] != reference["content"] {
                problems.push(format!(
                    "{id} differs between {} and {}",
                    name(first),
                    name(*w)
                ));
            }
        }
    }
    problems
}

/// A step or check slower than this is reported (a run is a few seconds).
const SLOW: Duration = Duration::from_secs(5);

fn date(days_ahead: i64) -> String {
    (chrono::Local::now().date_naive() + chrono::Duration::days(days_ahead)).to_string()
}

/// Runs one schedule in a new world and checks it.
pub async fn run(seed: u64, steps: &[Step], disks: bool) -> Report {
    let start = Instant::now();
    let mut world = World::set_up(seed, disks).await;
    for (i, step) in steps.iter().enumerate() {
        let began = Instant::now();
        world.perform(i, step).await;
        if began.elapsed() > SLOW {
            println!("seed {seed}: step {i} {step:?} took {:?}", began.elapsed());
        }
    }
    let began = Instant::now();
    world.check().await;
    if began.elapsed() > SLOW {
        println!("seed {seed}: converging took {:?}", began.elapsed());
    }
    world.report.steps = steps.len();
    world.report.seconds = start.elapsed().as_secs_f64();
    let report = world.report.clone();
    if !report.passed() {
        world.keep_logs();
    }
    world.stop().await;
    report
}

/// Looks for a shorter schedule that still fails, by leaving out ever smaller pieces of it
/// (at most `budget` runs); returns the shortest failing schedule found.
pub async fn shrink(seed: u64, steps: Vec<Step>, disks: bool, budget: usize) -> Vec<Step> {
    let mut best = steps;
    let mut runs = 0;
    let mut piece = best.len() / 2;
    while piece >= 1 && runs < budget {
        let mut start = 0;
        while start < best.len() && runs < budget {
            let mut candidate = best.clone();
            candidate.drain(start..(start + piece).min(best.len()));
            runs += 1;
            if !run(seed, &candidate, disks).await.passed() {
                best = candidate;
            } else {
                start += piece;
            }
        }
        piece /= 2;
    }
    best
}

/// Whether disk faults can be injected here (mounting needs root).
pub fn disks_available() -> bool {
    let scratch = tempfile::tempdir().expect("scratch directory");
    Disk::available(scratch.path())
}

/// Everything a failing seed needs to be looked at again.
pub fn describe_failure(report: &Report, shortest: &[Step]) -> String {
    let mut text = format!(
        "FAILED {report}\nshortest failing schedule ({} steps):",
        shortest.len()
    );
    for (i, step) in shortest.iter().enumerate() {
        text.push_str(&format!("\n  {i:3}. {step:?}"));
    }
    text.push_str(&format!(
        "\nreplay: PM_SEED={} cargo test --test convergence -- --ignored --nocapture replay",
        report.seed
    ));
    text
}

/// Shared by the test command's fixed seeds and the soak script.
pub async fn run_seed(seed: u64, len: usize, disks: bool) -> Result<Report, String> {
    let steps = schedule(seed, len, disks);
    let report = run(seed, &steps, disks).await;
    if report.passed() {
        return Ok(report);
    }
    let shortest = shrink(seed, steps, disks, 12).await;
    Err(describe_failure(&report, &shortest))
}
