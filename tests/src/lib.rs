//! # system-tests
//!
//! Helpers for tests that cross process boundaries: they start the real `sync-server` binary on a
//! free loopback port with its own data directory, and (in the app tests) the real app under
//! tauri-driver. The binaries are taken from the workspace's target directory; build them first
//! (`scripts/test.sh` does).

pub mod app;
pub mod convergence;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mentoring::api::{SyncState, SyncStatus};
use mentoring::device::Device;

/// The directory holding the workspace's built binaries (`target/debug`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/debug/deps/<test> -> target/debug
    exe.parent()
        .and_then(Path::parent)
        .expect("test executable is in target/<profile>/deps")
        .to_owned()
}

/// The path of a workspace binary, or a panic telling how to build it.
pub fn binary(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: build it first (scripts/test.sh does, or `cargo build --workspace`)",
        path.display()
    );
    path
}

/// A loopback port nobody is listening on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Sends SIGTERM to a child process (a clean stop, unlike `Child::kill`).
pub fn terminate(child: &Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}

/// Polls `check` until it returns true or `timeout` passes.
pub async fn eventually<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < timeout {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out after {timeout:?} waiting for: {what}");
}

/// Waits until a device's sync status satisfies `pred`; returns that status.
pub async fn wait_status(
    device: &Device,
    what: &str,
    pred: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let mut status = device.status();
    let wait = status.wait_for(|s| pred(s));
    match tokio::time::timeout(Duration::from_secs(30), wait).await {
        Ok(Ok(s)) => s.clone(),
        _ => panic!(
            "timed out waiting for {what}; sync status is {:?}",
            *device.status().borrow()
        ),
    }
}

/// Waits until a change made just before this call is known to be on the server: synced, nothing
/// pending, and a sync mark recorded after the call.
pub async fn settled(device: &Device) {
    let since = chrono::Utc::now();
    wait_status(device, "everything on the server", |s| {
        s.state == SyncState::Synced
            && s.pending_changes == 0
            && s.last_synced
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t >= since)
    })
    .await;
}

pub fn is(state: SyncState) -> impl Fn(&SyncStatus) -> bool {
    move |s| s.state == state
}

/// A sync server the fixtures can work against: the real binary ([`SyncServer`], for scenarios
/// that kill, restart or read its log) or the same server inside the test process
/// ([`InProcessServer`], quicker, for the rest).
pub trait Served {
    fn url(&self) -> url::Url;
    /// The key a coordinator needs to set up a programme.
    fn setup_key(&self) -> String;
}

impl Served for SyncServer {
    fn url(&self) -> url::Url {
        SyncServer::url(self)
    }

    fn setup_key(&self) -> String {
        programme::setup_key(self)
    }
}

/// The sync server's library serving on a loopback port inside the test process (its own
/// task on the test's runtime), with a fixed setup key; stopped cleanly when dropped.
pub struct InProcessServer {
    pub port: u16,
    key: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl InProcessServer {
    /// Starts serving `data_dir` on a free port and waits until it answers /health.
    pub async fn start(data_dir: &Path) -> InProcessServer {
        let port = free_port();
        let key = format!("in-process-{port}");
        let config = sync_server::Config {
            setup_key: Some(key.clone()),
            ..sync_server::Config::with_defaults(([127, 0, 0, 1], port).into(), data_dir.to_owned())
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let serving = sync_server::run(config, async {
                let _ = stopped.await;
            });
            if let Err(e) = serving.await {
                eprintln!("the in-process sync server stopped: {e}");
            }
        });
        eventually(
            Duration::from_secs(20),
            "the in-process server answers",
            || async move { health(port).await.is_some() },
        )
        .await;
        InProcessServer {
            port,
            key,
            stop: Some(stop),
        }
    }
}

impl InProcessServer {
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:{}", self.port)).expect("a loopback address")
    }
}

impl Served for InProcessServer {
    fn url(&self) -> url::Url {
        InProcessServer::url(self)
    }

    fn setup_key(&self) -> String {
        self.key.clone()
    }
}

impl Drop for InProcessServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A running sync-server process.
pub struct SyncServer {
    child: Option<Child>,
    pub port: u16,
    pub data_dir: PathBuf,
    pub log: PathBuf,
    extra: Vec<String>,
}

impl SyncServer {
    /// Starts the server on a free port with `data_dir`, and waits until it answers /health.
    pub async fn start(data_dir: &Path, extra: &[&str]) -> SyncServer {
        let mut server = SyncServer {
            child: None,
            port: free_port(),
            data_dir: data_dir.to_owned(),
            log: data_dir.with_extension("log"),
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        server.restart().await;
        server
    }

    /// Starts the server again on the same port and data directory.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "server is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("server log file");
        let child = Command::new(binary("sync-server"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(&self.extra)
            .env(
                "RUST_LOG",
                std::env::var("PM_SERVER_LOG").unwrap_or_else(|_| "info".into()),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sync-server");
        self.child = Some(child);
        let port = self.port;
        eventually(
            Duration::from_secs(20),
            "sync-server /health",
            || async move { health(port).await.is_some() },
        )
        .await;
    }

    /// Stops the server with SIGTERM and checks that it exits cleanly.
    pub fn stop(&mut self) {
        let mut child = self.child.take().expect("server is running");
        terminate(&child);
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("wait for sync-server") {
                assert!(
                    status.success(),
                    "sync-server exited with {status}; log:\n{}",
                    self.log_text()
                );
                return;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let _ = child.kill();
                panic!("sync-server did not stop within 15 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `kill -9`: the server stops at once, losing whatever it held only in memory.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server's base address, as a device is configured with it.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:{}", self.port)).expect("server url")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The server's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The server's resident memory now, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid().unwrap_or(0)))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }
}

impl Drop for SyncServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- sync-server log ---\n{}", self.log_text());
        }
        if let Some(mut child) = self.child.take() {
            terminate(&child);
            let _ = child.wait();
        }
    }
}

/// GET /health on a local server; the JSON body if it answered 200.
pub async fn health(port: u16) -> Option<serde_json::Value> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream
        .write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.0 200") && !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    serde_json::from_str(body).ok()
}

/// A programme on a real server, set up the way people do it: a coordinator creates it with the
/// server's setup key, invites people, and they accept on their own devices.
pub mod programme {
    use std::path::Path;
    use std::sync::Arc;

    use mentoring::device::Device;
    use mentoring::model::{Role, Settings};
    use mentoring::session::{ProgrammeForm, Session};

    use crate::{Served, SyncServer};

    pub fn today() -> chrono::NaiveDate {
        chrono::Local::now().date_naive()
    }

    /// The key the server wrote into its data directory.
    pub fn setup_key(server: &SyncServer) -> String {
        std::fs::read_to_string(server.data_dir.join("setup-key.txt"))
            .expect("the server writes its setup key")
            .trim()
            .to_owned()
    }

    /// A person on her own device.
    pub struct Person {
        pub device: Arc<Device>,
        pub session: Session,
    }

    impl Person {
        pub async fn new(dir: &Path) -> Person {
            let device = Device::open(dir).await.expect("open device");
            Person {
                session: Session::new(device.clone()),
                device,
            }
        }

        pub fn id(&self) -> String {
            self.session.profile().expect("profile").person_id
        }

        pub fn credential(&self) -> String {
            self.device
                .store()
                .setting("credential")
                .expect("settings")
                .expect("a credential")
        }
    }

    /// Pairs the mentor and the mentee with these names, who accepted their invitations: the
    /// coordinator asks the server who accepted, then forms the pair. The pair's group document.
    pub async fn pair_by_name(
        coordinator: &Person,
        programme: &str,
        mentor: &str,
        mentee: &str,
    ) -> String {
        coordinator
            .session
            .refresh_status(programme)
            .await
            .expect("status");
        let people = coordinator
            .session
            .dashboard(programme, today())
            .await
            .expect("dashboard")
            .people;
        let person = |name: &str| {
            people
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.person.clone())
                .unwrap_or_else(|| panic!("{name} accepted"))
        };
        coordinator
            .session
            .form_pair(programme, &person(mentor), &person(mentee), today())
            .await
            .expect("form the pair")
    }

    /// A coordinator who set up a programme; returns her and the programme document.
    pub async fn coordinator(
        dir: &Path,
        server: &impl Served,
        settings: Settings,
    ) -> (Person, String) {
        let person = Person::new(dir).await;
        let form = ProgrammeForm {
            server: server.url().to_string(),
            setup_key: server.setup_key(),
            coordinator_name: "Carla".into(),
            name: "Peer mentoring HBO-ICT".into(),
            school: "Hogeschool Windesheim".into(),
            academic_year: String::new(),
            quarters: Vec::new(),
            settings,
        };
        let programme = person
            .session
            .create_programme(form, today())
            .await
            .expect("create programme");
        (person, programme)
    }

    /// A coordinator with a mentor (Sanne) and a mentee (Aylin) who accepted their invitations on
    /// their own devices (in `dir`/coordinator, /mentor and /mentee), and the coordinator's view
    /// of them fetched: where most pair scenarios start.
    pub struct People {
        pub coordinator: Person,
        pub programme: String,
        pub mentor: Person,
        pub mentee: Person,
    }

    pub async fn mentor_and_mentee(dir: &Path, server: &impl Served) -> People {
        let (coordinator, programme) =
            coordinator(&dir.join("coordinator"), server, Settings::default()).await;
        let mentor = participant(
            &dir.join("mentor"),
            server,
            &coordinator,
            &programme,
            Role::Mentor,
            "Sanne",
        )
        .await;
        let mentee = participant(
            &dir.join("mentee"),
            server,
            &coordinator,
            &programme,
            Role::Mentee,
            "Aylin",
        )
        .await;
        coordinator
            .session
            .refresh_status(&programme)
            .await
            .expect("the coordinator fetches who accepted");
        People {
            coordinator,
            programme,
            mentor,
            mentee,
        }
    }

    /// Someone invited by the coordinator who accepts on her own device.
    pub async fn participant(
        dir: &Path,
        server: &impl Served,
        coordinator: &Person,
        programme: &str,
        role: Role,
        name: &str,
    ) -> Person {
        let invitation = coordinator
            .session
            .invite(programme, role, name, "", 14)
            .await
            .expect("invite");
        let person = Person::new(dir).await;
        person
            .session
            .accept_invitation(server.url().as_str(), &invitation.code, name)
            .await
            .expect("accept");
        person
    }
}

/// A TCP proxy in front of the server that fails the first request whose request line contains a
/// given text, the way a bad network or an overloaded server would; everything else (including
/// websockets) passes through untouched.
pub struct FlakyProxy {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

/// How [`FlakyProxy`] fails its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The server gets the request and answers; the answer is lost on the way back.
    DropResponse,
    /// The request never reaches the server; the client gets a 503.
    Unavailable,
}

impl FlakyProxy {
    pub async fn start(upstream: u16, target: &'static str, fault: Fault) -> FlakyProxy {
        use std::sync::atomic::{AtomicBool, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let spent = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let spent = spent.clone();
                tokio::spawn(async move {
                    let Ok(server) = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await
                    else {
                        return;
                    };
                    let (mut from_client, to_client) = client.into_split();
                    let to_client = Arc::new(tokio::sync::Mutex::new(to_client));
                    let (mut from_server, mut to_server) = server.into_split();
                    let failing = Arc::new(AtomicBool::new(false));
                    let (failing_up, to_client_up) = (failing.clone(), to_client.clone());
                    let up = async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match from_client.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => n,
                            };
                            let text = String::from_utf8_lossy(&buf[..n]);
                            if text.contains(target) && !spent.swap(true, Ordering::SeqCst) {
                                failing_up.store(true, Ordering::SeqCst);
                                if fault == Fault::Unavailable {
                                    let answer = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
                                    let _ = to_client_up
                                        .lock()
                                        .await
                                        .write_all(answer.as_bytes())
                                        .await;
                                    return;
                                }
                            }
                            if to_server.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    };
                    let down = async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match from_server.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => n,
                            };
                            if failing.load(Ordering::SeqCst) {
                                // The answer is lost: the client sees the connection drop.
                                return;
                            }
                            if to_client.lock().await.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    };
                    tokio::select! {
                        () = up => {}
                        () = down => {}
                    }
                });
            }
        });
        FlakyProxy { port, task }
    }

    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://127.0.0.1:{}", self.port)).unwrap()
    }
}

impl Drop for FlakyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A Postgres cluster of the test's own (`pm_test_postgres`), whose failures fail the test.
pub mod postgres {
    use std::path::Path;

    use pm_test_postgres::Cluster;

    pub struct TestPostgres {
        cluster: Cluster,
        /// The address a sync server is given (`--database`).
        pub url: String,
    }

    impl TestPostgres {
        /// Makes a cluster in `dir` and starts it.
        pub fn start(dir: &Path) -> TestPostgres {
            let cluster = Cluster::start(dir).expect("a Postgres cluster of the test's own");
            TestPostgres {
                url: cluster.url("postgres"),
                cluster,
            }
        }

        /// Starts the cluster again.
        pub fn start_again(&self) {
            self.cluster.start_again().expect("Postgres starts again");
        }

        /// Stops the cluster the way a crash does.
        pub fn crash(&self) {
            self.cluster.crash().expect("Postgres stops at once");
        }

        /// Runs SQL with psql; its rows, unaligned.
        pub fn sql(&self, sql: &str) -> String {
            self.cluster.sql(sql).expect("psql")
        }
    }
}
