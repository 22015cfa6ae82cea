//! Several sync servers on one Postgres database serve the same programmes: a cluster of the
//! test's own (initdb in a temporary directory, a socket only), real server processes, devices
//! on each. Edits cross servers; concurrent edits through both, past samod's compaction,
//! converge, and a server started afterwards serves them; a withdrawal on one server closes the
//! connection on the other; losing the listening connection, or Postgres itself, loses nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use mentoring::api::SyncState;
use mentoring::model::{GoalKind, Role, Settings};
use system_tests::postgres::TestPostgres;
use system_tests::programme::{Person, coordinator, participant, today};
use system_tests::{SyncServer, eventually, is, wait_status};

/// A pair across two servers: Carla (coordinator) and Sanne (mentor) on `a`, Aylin (mentee) on
/// `b`.
struct Pair {
    carla: Person,
    programme: String,
    mentor: Person,
    mentee: Person,
    group: String,
}

async fn server(dir: &Path, pg: &TestPostgres) -> SyncServer {
    SyncServer::start(dir, &["--database", &pg.url]).await
}

async fn pair(dir: &Path, a: &SyncServer, b: &SyncServer) -> Pair {
    let (carla, programme) = coordinator(&dir.join("carla"), a, Settings::default()).await;
    let mentor = participant(
        &dir.join("sanne"),
        a,
        &carla,
        &programme,
        Role::Mentor,
        "Sanne",
    )
    .await;
    // She accepts on the other server: the invitation was made on the first.
    let mentee = participant(
        &dir.join("aylin"),
        b,
        &carla,
        &programme,
        Role::Mentee,
        "Aylin",
    )
    .await;
    carla.session.refresh_status(&programme).await.unwrap();
    let group = carla
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    wait_status(&carla.device, "coordinator synced", is(SyncState::Synced)).await;
    for person in [&mentor, &mentee] {
        person.session.sync_directory().await.unwrap();
    }
    Pair {
        carla,
        programme,
        mentor,
        mentee,
        group,
    }
}

async fn goals(person: &Person, group: &str) -> Vec<String> {
    let mut texts: Vec<String> = person
        .session
        .home(today())
        .await
        .ok()
        .and_then(|home| home.groups.into_iter().find(|g| g.group == group))
        .map(|g| g.goals.into_iter().map(|g| g.text).collect())
        .unwrap_or_default();
    texts.sort();
    texts
}

/// Waits until mentor and mentee have the same `count` goals.
async fn both_have(p: &Pair, count: usize) {
    eventually(
        Duration::from_secs(30),
        &format!("both have all {count} goals"),
        || async {
            let (m, e) = (
                goals(&p.mentor, &p.group).await,
                goals(&p.mentee, &p.group).await,
            );
            m.len() == count && m == e
        },
    )
    .await;
}

async fn add_goal(person: &Person, group: &str, text: &str) {
    person
        .session
        .add_goal(group, GoalKind::Goal, text, None, today())
        .await
        .unwrap();
}

/// How long until `person` has a goal with `text`.
async fn until_seen(person: &Person, group: &str, text: &str) -> Duration {
    let started = Instant::now();
    while !goals(person, group).await.iter().any(|g| g == text) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{text} did not arrive within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    started.elapsed()
}

/// A new phone of `person`'s, linked with `code` through `server`: what it gets, it gets from
/// that server alone.
async fn new_phone(dir: &Path, server: &SyncServer, code: &str) -> Person {
    let phone = Person::new(dir).await;
    phone
        .session
        .join_as_linked_device(server.url().as_str(), code, "nieuwe telefoon")
        .await
        .unwrap();
    phone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_cross_servers_converge_past_compaction_and_a_server_started_later_serves_them() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = TestPostgres::start(&tmp.path().join("pg"));
    let mut a = server(&tmp.path().join("a"), &pg).await;
    let mut b = server(&tmp.path().join("b"), &pg).await;
    let p = pair(tmp.path(), &a, &b).await;

    // One at a time, each way: how long an edit takes from one server's device to the other's.
    let mut took = Vec::new();
    for i in 0..5 {
        let (from, to) = if i % 2 == 0 {
            (&p.mentor, &p.mentee)
        } else {
            (&p.mentee, &p.mentor)
        };
        let text = format!("doel {i}");
        add_goal(from, &p.group, &text).await;
        took.push(until_seen(to, &p.group, &text).await);
    }
    took.sort();
    println!("an edit through one server reached a device on the other in {took:?}");
    assert!(
        took[2] < Duration::from_secs(1),
        "half the edits crossed within a second: {took:?}"
    );

    // Both type at once, 30 goals each: past samod's compaction (more than 10 chunks).
    let typing = |person: &'static str| {
        let who = if person == "sanne" {
            &p.mentor
        } else {
            &p.mentee
        };
        let group = p.group.clone();
        async move {
            for i in 0..30 {
                add_goal(who, &group, &format!("{person} {i:02}")).await;
            }
        }
    };
    tokio::join!(typing("sanne"), typing("aylin"));
    both_have(&p, 65).await;
    let snapshots: u32 = pg
        .sql("SELECT count(*) FROM chunks WHERE kind = 'snapshot'")
        .trim()
        .parse()
        .unwrap();
    assert!(snapshots > 0, "samod compacted the documents");
    let expected = goals(&p.mentor, &p.group).await;

    // Both servers go; a third starts on the same database. Aylin's new phone, linked through
    // it, gets every goal: from the database, since no device of hers is connected.
    let code = p.mentee.session.link_code().await.unwrap().code;
    a.stop();
    b.stop();
    let c = server(&tmp.path().join("c"), &pg).await;
    let phone = new_phone(&tmp.path().join("phone"), &c, &code).await;
    eventually(
        Duration::from_secs(30),
        "the new phone has every goal",
        || async { goals(&phone, &p.group).await == expected },
    )
    .await;
    let _ = (&p.carla, &p.programme);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawal_through_one_server_closes_her_connection_on_the_other_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = TestPostgres::start(&tmp.path().join("pg"));
    let a = server(&tmp.path().join("a"), &pg).await;
    let b = server(&tmp.path().join("b"), &pg).await;
    let p = pair(tmp.path(), &a, &b).await;
    wait_status(&p.mentee.device, "mentee synced", is(SyncState::Synced)).await;
    let connections = |port| async move {
        system_tests::health(port).await.unwrap()["connections"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(connections(b.port).await, 1, "Aylin's device is on b");

    // Carla, on a, withdraws Aylin from the programme.
    let started = Instant::now();
    p.carla
        .session
        .remove_person(&p.programme, &p.mentee.id())
        .await
        .unwrap();
    eventually(
        Duration::from_secs(1),
        "her connection on b closes",
        || async { connections(b.port).await == 0 },
    )
    .await;
    println!(
        "a withdrawal on a closed her connection on b in {} ms",
        started.elapsed().as_millis()
    );
    let directory = reqwest::Client::new()
        .get(b.url().join("/api/directory").unwrap())
        .bearer_auth(p.mentee.credential())
        .send()
        .await
        .unwrap();
    assert_eq!(directory.status(), 401, "b no longer knows her device");
    let _ = &p.mentor;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn losing_the_listening_connection_or_postgres_itself_loses_no_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = TestPostgres::start(&tmp.path().join("pg"));
    let mut a = server(&tmp.path().join("a"), &pg).await;
    let mut b = server(&tmp.path().join("b"), &pg).await;
    let p = pair(tmp.path(), &a, &b).await;
    add_goal(&p.mentor, &p.group, "voor").await;
    until_seen(&p.mentee, &p.group, "voor").await;

    // The servers' listening connections are cut: edits still cross (a server reads the tables
    // every second, and everything it missed when it listens again).
    let cut = pg.sql(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE application_name = 'pm-sync-listen'",
    );
    assert_eq!(cut.trim(), "2", "both servers were listening");
    add_goal(&p.mentor, &p.group, "zonder luisteren").await;
    let took = until_seen(&p.mentee, &p.group, "zonder luisteren").await;
    println!("with its listening connection cut, an edit crossed in {took:?}");
    eventually(Duration::from_secs(10), "both listen again", || async {
        pg.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pm-sync-listen'")
            .trim()
            == "2"
    })
    .await;

    // Postgres crashes while both of them write; it comes back.
    pg.crash();
    for i in 0..5 {
        add_goal(&p.mentor, &p.group, &format!("sanne tijdens {i}")).await;
        add_goal(&p.mentee, &p.group, &format!("aylin tijdens {i}")).await;
    }
    eventually(
        Duration::from_secs(10),
        "a server shows that it cannot write",
        || async {
            let health = system_tests::health(a.port).await.unwrap();
            health["status"] == "degraded" && health["database_reachable"] == false
        },
    )
    .await;
    pg.start_again();
    both_have(&p, 12).await;
    // Transaction ids may be handed out again after a crash: each server noticed the restart
    // and took in everything, rather than trusting its place among them.
    for server in [&a, &b] {
        assert!(
            server
                .log_text()
                .contains("the database started again; taking in everything"),
            "the server noticed that the database started again"
        );
    }
    eventually(
        Duration::from_secs(10),
        "the servers are well again",
        || async {
            let health = system_tests::health(a.port).await.unwrap();
            health["status"] == "ok" && health["database_reachable"] == true
        },
    )
    .await;
    let expected = goals(&p.mentor, &p.group).await;
    wait_status(&p.mentor.device, "mentor synced", is(SyncState::Synced)).await;
    wait_status(&p.mentee.device, "mentee synced", is(SyncState::Synced)).await;

    // It is in the database, not only in the servers' memory: both stop, a third serves a new
    // phone of Sanne's.
    let code = p.mentor.session.link_code().await.unwrap().code;
    a.stop();
    b.stop();
    let c = server(&tmp.path().join("c"), &pg).await;
    let phone = new_phone(&tmp.path().join("phone"), &c, &code).await;
    eventually(
        Duration::from_secs(30),
        "the new phone has every goal",
        || async { goals(&phone, &p.group).await == expected },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_makes_the_schema_once_even_when_run_twice_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = TestPostgres::start(&tmp.path().join("pg"));
    let migrate = |dir: &str| {
        std::process::Command::new(system_tests::binary("sync-server"))
            .args(["migrate", "--database", &pg.url, "--data-dir"])
            .arg(tmp.path().join(dir))
            .output()
            .unwrap()
    };
    let (first, second) = std::thread::scope(|s| {
        let first = s.spawn(|| migrate("one"));
        let second = s.spawn(|| migrate("two"));
        (first.join().unwrap(), second.join().unwrap())
    });
    for out in [&first, &second] {
        assert!(
            out.status.success(),
            "migrate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        pg.sql("SELECT value FROM registry_settings WHERE key = 'schema_version'")
            .trim(),
        "1"
    );
    assert_eq!(
        pg.sql("SELECT count(*) FROM chunks WHERE doc = 'storage-adapter-id'")
            .trim(),
        "1",
        "one storage id for every server"
    );
    let wrong = std::process::Command::new(system_tests::binary("sync-server"))
        .args(["migrate", "--database", "mysql://nobody@localhost/db"])
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("postgres://"),
        "a wrong address is explained"
    );
}

/// A browser trades its credential for a single-use ticket before it opens the sync socket; a
/// proxy may send the two requests to different servers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browsers_sync_ticket_from_one_server_opens_the_socket_on_the_other_once() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = TestPostgres::start(&tmp.path().join("pg"));
    let a = server(&tmp.path().join("a"), &pg).await;
    let b = server(&tmp.path().join("b"), &pg).await;
    let (carla, _) = coordinator(&tmp.path().join("carla"), &a, Settings::default()).await;
    let ticket = |server: &SyncServer| {
        let url = server.url().join("/api/sync-tickets").unwrap();
        let credential = carla.credential();
        async move {
            let answer: serde_json::Value = reqwest::Client::new()
                .post(url)
                .bearer_auth(credential)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            answer["ticket"].as_str().unwrap().to_owned()
        }
    };
    let upgrade = |server: &SyncServer, ticket: &str| {
        let url = format!("ws://127.0.0.1:{}/sync?ticket={ticket}", server.port);
        async move {
            match tokio_tungstenite::connect_async(url).await {
                Ok((_, response)) => response.status().as_u16(),
                Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                    response.status().as_u16()
                }
                Err(e) => panic!("unexpected upgrade error: {e}"),
            }
        }
    };
    let from_a = ticket(&a).await;
    assert_eq!(
        upgrade(&b, &from_a).await,
        101,
        "a's ticket opens b's socket"
    );
    assert_eq!(upgrade(&a, &from_a).await, 401, "once, on any server");
    assert_eq!(upgrade(&b, &from_a).await, 401);
    assert_eq!(
        upgrade(&b, "made-up").await,
        401,
        "a made-up ticket opens nothing"
    );
    // Her tickets are capped per device on the database as in memory: the oldest goes.
    let mut tickets = Vec::new();
    for _ in 0..5 {
        tickets.push(ticket(&b).await);
    }
    assert_eq!(
        upgrade(&a, &tickets[0]).await,
        401,
        "the oldest of five went"
    );
    assert_eq!(upgrade(&a, &tickets[4]).await, 101);
}
