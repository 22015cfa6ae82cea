//! The hostile-client suite: each test is an attack a modified app, a script or a stolen phone
//! could make against the real `sync-server` binary on 127.0.0.1, with raw HTTP and raw
//! websocket frames where that is what an attacker would use. Each prints a row for the attack
//! table (`ATTACK | what | expected | result | figures`).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use mentoring::api::SyncState;
use mentoring::device::{Device, DeviceError};
use mentoring::docs::{self, GroupDoc, ProfileDoc, ProgrammeDoc};
use mentoring::model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use system_tests::programme::{People, Person, mentor_and_mentee, setup_key, today};
use system_tests::{SyncServer, eventually, is, settled, wait_status};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn row(attack: &str, expected: &str, result: &str, figures: &str) {
    println!("ATTACK | {attack} | {expected} | {result} | {figures}");
}

/// A coordinator, a mentor and a mentee in a pair, with a planned meeting and notes.
struct World {
    server: SyncServer,
    programme: String,
    coordinator: Person,
    mentor: Person,
    mentee: Person,
    group: String,
    meeting: String,
    _tmp: tempfile::TempDir,
}

async fn world(extra: &[&str]) -> World {
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), extra).await;
    let People {
        coordinator,
        programme,
        mentor,
        mentee,
    } = mentor_and_mentee(tmp.path(), &server).await;
    let group = coordinator
        .session
        .form_pair(&programme, &mentor.id(), &mentee.id(), today())
        .await
        .unwrap();
    settled(&coordinator.device).await;
    for person in [&mentor, &mentee] {
        person.session.sync_directory().await.unwrap();
    }
    let day = today() + chrono::Duration::days(7);
    let meeting = mentor
        .session
        .plan_meeting(&group, &day.to_string(), "14:30", "Bibliotheek")
        .await
        .unwrap();
    settled(&mentor.device).await;
    eventually(
        Duration::from_secs(20),
        "the mentee has the meeting",
        || async {
            mentee
                .session
                .meeting_page(&group, &meeting, today())
                .await
                .is_ok()
        },
    )
    .await;
    World {
        server,
        programme,
        coordinator,
        mentor,
        mentee,
        group,
        meeting,
        _tmp: tmp,
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn http_from(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .local_address(address)
        .build()
        .unwrap()
}

async fn post(
    client: &reqwest::Client,
    server: &SyncServer,
    path: &str,
    credential: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = client
        .post(format!("{}{}", server.url(), &path[1..]))
        .json(&body);
    if let Some(c) = credential {
        request = request.bearer_auth(c);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(server: &SyncServer, path: &str, credential: &str) -> (StatusCode, Value) {
    let response = http()
        .get(format!("{}{}", server.url(), &path[1..]))
        .bearer_auth(credential)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The document ids a credential's directory lists, with their kinds and owners.
async fn directory(server: &SyncServer, credential: &str) -> Vec<(String, String, Option<String>)> {
    let (status, body) = get(server, "/api/directory", credential).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_owned(),
                d["entry"]["kind"].as_str().unwrap().to_owned(),
                d["entry"]["owner"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn invite(world: &World, role: Role, name: &str) -> String {
    world
        .coordinator
        .session
        .invite(&world.programme, role, name, "", 14)
        .await
        .unwrap()
        .code
}

/// A second device of `person`, made through the linking API: (peer, credential).
async fn linked_device(server: &SyncServer, person: &Person, peer: &str) -> String {
    let (status, link) = post(
        &http(),
        server,
        "/api/devices/link",
        Some(&person.credential()),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let (status, joined) = post(
        &http(),
        server,
        "/api/devices/join",
        None,
        json!({"code": link["code"], "peer": peer, "label": "script"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["person"].as_str(), Some(person.id().as_str()));
    joined["credential"].as_str().unwrap().to_owned()
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn raw_socket(server: &SyncServer, credential: &str) -> Socket {
    let mut request = format!("ws://127.0.0.1:{}/sync", server.port)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {credential}").parse().unwrap(),
    );
    tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade")
        .0
}

async fn upgrade_status(server: &SyncServer, credential: &str) -> u16 {
    let mut request = format!("ws://127.0.0.1:{}/sync", server.port)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {credential}").parse().unwrap(),
    );
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(e) => panic!("unexpected upgrade error: {e}"),
    }
}

fn cbor(
    f: impl FnOnce(
        &mut minicbor::Encoder<&mut Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<std::convert::Infallible>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut minicbor::Encoder::new(&mut out)).unwrap();
    out
}

fn join(peer: &str) -> Vec<u8> {
    cbor(|e| {
        e.map(3)?
            .str("type")?
            .str("join")?
            .str("senderId")?
            .str(peer)?;
        e.str("supportedProtocolVersions")?.array(1)?.str("1")?;
        Ok(())
    })
}

fn request(peer: &str, document: &str) -> Vec<u8> {
    cbor(|e| {
        e.map(5)?
            .str("type")?
            .str("request")?
            .str("senderId")?
            .str(peer)?;
        e.str("targetId")?.str("peer-mentoring-sync-server")?;
        e.str("documentId")?
            .str(document)?
            .str("data")?
            .bytes(&[])?;
        Ok(())
    })
}

fn ephemeral(peer: &str, document: &str, session: &str, count: u64) -> Vec<u8> {
    cbor(|e| {
        e.map(7)?
            .str("type")?
            .str("ephemeral")?
            .str("senderId")?
            .str(peer)?;
        e.str("targetId")?.str("peer-mentoring-sync-server")?;
        e.str("documentId")?
            .str(document)?
            .str("sessionId")?
            .str(session)?;
        e.str("count")?.u64(count)?.str("data")?.bytes(&[7; 64])?;
        Ok(())
    })
}

/// Keystrokes the mentor types while another device stops reading.
const KEYSTROKES: usize = 10_000;

fn random_doc_id() -> String {
    samod::DocumentId::new(&mut rand::rng()).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_becomes_someone_else_or_changes_a_role() {
    let w = world(&[]).await;
    let victim = w.mentee.id();
    let client = http();

    // Accept with another member's person id in the body.
    let code = invite(&w, Role::Mentee, "Eve").await;
    let (status, accepted) = post(
        &client,
        &w.server,
        "/api/invitations/accept",
        None,
        json!({"code": code, "person": victim, "name": "Eve", "peer": "device-eve"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    let eve = accepted["person"].as_str().unwrap().to_owned();
    assert_ne!(eve, victim, "the server made Eve her own person");
    let eve_credential = accepted["credential"].as_str().unwrap().to_owned();
    let listed = directory(&w.server, &eve_credential).await;
    assert!(
        !listed
            .iter()
            .any(|(_, _, owner)| owner.as_deref() == Some(victim.as_str())),
        "Eve's directory lists none of Aylin's documents: {listed:?}"
    );
    row(
        "impersonation at accept",
        "a new person; nothing of the victim's",
        "new person id; 0 victim documents",
        &format!("{} documents listed", listed.len()),
    );

    // Programme creation naming an existing person as coordinator.
    let (status, created) = post(
        &client,
        &w.server,
        "/api/programmes",
        None,
        json!({"setup_key": setup_key(&w.server), "programme": "0123456789abcdef0123456789abcdef",
               "name": "Nep", "school": "", "coordinator": victim, "coordinator_name": "Eve",
               "peer": "device-eve-2"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_ne!(created["person"].as_str(), Some(victim.as_str()));
    row(
        "impersonation at programme creation",
        "a new person",
        "new person id",
        "",
    );

    // An invitee accepting a mentor invitation "as" the mentee, then with her own credential.
    let code = invite(&w, Role::Mentor, "Mallory").await;
    let (status, _) = post(
        &client,
        &w.server,
        "/api/invitations/accept",
        None,
        json!({"code": code, "person": victim, "name": "Mallory", "peer": "device-mallory"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let code = invite(&w, Role::Mentor, "Eve again").await;
    let (status, body) = post(
        &client,
        &w.server,
        "/api/invitations/accept",
        Some(&eve_credential),
        json!({"code": code, "name": "Eve", "peer": "device-eve"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, status_body) = get(
        &w.server,
        &format!("/api/programmes/{}/status", programme_id(&w).await),
        &w.coordinator.credential(),
    )
    .await;
    let role_of = |person: &str| {
        status_body["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["person"] == person)
            .map(|m| m["role"].clone())
    };
    assert_eq!(role_of(&victim), Some(json!("mentee")));
    assert_eq!(role_of(&eve), Some(json!("mentee")));
    row(
        "role change by an invitee",
        "roles unchanged",
        "mentee stays mentee; second accept 409",
        "",
    );
    assert!(
        !w.server.log_text().contains(&eve_credential),
        "credentials never reach the log"
    );
}

async fn programme_id(w: &World) -> String {
    w.coordinator
        .device
        .read::<ProgrammeDoc>(&w.programme)
        .await
        .unwrap()
        .programme_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_are_formed_once_and_the_coordinator_never_reaches_notes() {
    let w = world(&[]).await;
    let client = http();
    let coordinator = w.coordinator.credential();
    let programme = programme_id(&w).await;
    let group: GroupDoc = w.coordinator.device.read(&w.group).await.unwrap();
    let notes_kind = |listed: &[(String, String, Option<String>)]| {
        listed.iter().filter(|(_, kind, _)| kind == "notes").count()
    };

    let members = vec![w.mentor.id(), w.mentee.id(), w.coordinator.id()];
    let (status, body) = post(
        &client,
        &w.server,
        "/api/groups",
        Some(&coordinator),
        json!({"programme": programme, "group": group.group_id, "kind": "pair",
               "members": members, "group_doc": w.group}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a coordinator is never a member: {body}"
    );
    let (status, body) = post(
        &client,
        &w.server,
        "/api/groups",
        Some(&coordinator),
        json!({"programme": programme, "group": group.group_id, "kind": "pair",
               "members": [w.mentor.id()], "group_doc": w.group}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a formed group is not re-formed: {body}"
    );
    let (status, _) = post(
        &client,
        &w.server,
        "/api/documents",
        Some(&coordinator),
        json!({"id": random_doc_id(), "entry": {"kind": "notes", "programme": programme,
               "group": group.group_id, "owner": null}}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another programme's coordinator on the same server.
    let other = Person::new(&w._tmp.path().join("other")).await;
    let (status, created) = post(
        &client,
        &w.server,
        "/api/programmes",
        None,
        json!({"setup_key": setup_key(&w.server), "programme": "fedcba9876543210fedcba9876543210",
               "name": "Ander", "school": "", "coordinator_name": "Olga",
               "peer": other.device.peer_id()}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let olga = created["credential"].as_str().unwrap();
    for (path, body) in [
        (
            "/api/groups",
            json!({"programme": "fedcba9876543210fedcba9876543210", "group": group.group_id,
                   "kind": "pair", "members": [], "group_doc": random_doc_id()}),
        ),
        (
            "/api/groups",
            json!({"programme": programme, "group": group.group_id, "kind": "pair",
                   "members": [w.mentor.id()], "group_doc": random_doc_id()}),
        ),
        ("/api/groups/dissolve", json!({"group": group.group_id})),
    ] {
        let (status, body) = post(&client, &w.server, path, Some(olga), body).await;
        assert!(status.is_client_error(), "{path}: {status} {body}");
    }
    assert_eq!(notes_kind(&directory(&w.server, &coordinator).await), 0);
    assert_eq!(notes_kind(&directory(&w.server, olga).await), 0);
    assert_eq!(
        notes_kind(&directory(&w.server, &w.mentee.credential()).await),
        1
    );
    row(
        "group re-forming, cross-programme group ids, coordinator reaching notes",
        "all refused; members unchanged",
        "400/409/403 and 4xx; coordinator lists 0 notes",
        "",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]

async fn writes_by_readers_reach_no_one_and_a_decoy_notes_pointer_is_not_followed() {
    let w = world(&[]).await;

    // The app refuses to change what she may only read.
    let refused = w
        .mentee
        .device
        .change::<ProgrammeDoc, _>(&w.programme, |p| {
            p.name = "Gehackt".into();
            Ok(())
        })
        .await;
    assert!(
        matches!(refused, Err(DeviceError::ReadOnly(_))),
        "{refused:?}"
    );

    // A modified app writes anyway: the programme by the mentee, a profile by the coordinator.
    w.mentee
        .device
        .with_doc(&w.programme, |d| {
            mentoring::docs::change::<ProgrammeDoc, _>(d, |p| {
                p.name = "Gehackt".into();
                Ok(())
            })
        })
        .await
        .unwrap();
    // Her device says so, and does not count it as waiting to be sent.
    wait_status(
        &w.mentee.device,
        "her refused change shown as not accepted, nothing pending",
        |s| s.not_accepted_changes > 0 && s.pending_changes == 0 && s.state == SyncState::Synced,
    )
    .await;
    let profile = w
        .mentee
        .session
        .device()
        .documents()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "profile")
        .expect("her profile")
        .doc_id;
    w.coordinator.session.sync_directory().await.unwrap();
    eventually(
        Duration::from_secs(20),
        "the coordinator has the profile",
        || async { w.coordinator.device.has(&profile) },
    )
    .await;
    w.coordinator
        .device
        .with_doc(&profile, |d| {
            mentoring::docs::change::<ProfileDoc, _>(d, |p| {
                p.about = "herschreven".into();
                Ok(())
            })
        })
        .await
        .unwrap();

    // An honest write after them arrives; the refused ones never do.
    let page = w
        .mentee
        .session
        .meeting_page(&w.group, &w.meeting, today())
        .await
        .unwrap();
    w.mentee
        .session
        .write_shared_note(
            &w.group,
            &w.meeting,
            &page.shared_notes.edit_base,
            "eerlijk",
        )
        .await
        .unwrap();
    let started = Instant::now();
    eventually(
        Duration::from_secs(20),
        "the honest note arrives",
        || async {
            w.mentor
                .session
                .meeting_page(&w.group, &w.meeting, today())
                .await
                .is_ok_and(|p| p.shared_notes.text.contains("eerlijk"))
        },
    )
    .await;
    let honest = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let name = |p: &Person| {
        let programme = w.programme.clone();
        let device = p.device.clone();
        async move { device.read::<ProgrammeDoc>(&programme).await.unwrap().name }
    };
    assert_eq!(name(&w.coordinator).await, "Peer mentoring HBO-ICT");
    assert_eq!(name(&w.mentor).await, "Peer mentoring HBO-ICT");
    let about = w
        .mentee
        .device
        .read::<ProfileDoc>(&profile)
        .await
        .unwrap()
        .about;
    assert_ne!(about, "herschreven");
    row(
        "writes by read-only roles",
        "never on another device or the server",
        "programme and profile unchanged everywhere",
        &format!("honest edit arrived in {} ms", honest.as_millis()),
    );

    // The mentee (who may write the pair's group) points its notes at a document of her own.
    let own_private = w
        .mentee
        .device
        .documents()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "private")
        .expect("her private notes")
        .doc_id;
    let decoy = own_private.clone();
    w.mentee
        .device
        .change::<GroupDoc, _>(&w.group, move |g| {
            g.notes_doc = decoy;
            Ok(())
        })
        .await
        .unwrap();
    settled(&w.mentee.device).await;
    eventually(
        Duration::from_secs(20),
        "the mentor sees the changed pointer",
        || async {
            w.mentor
                .device
                .read::<GroupDoc>(&w.group)
                .await
                .is_ok_and(|g| g.notes_doc == own_private)
        },
    )
    .await;
    let page = w
        .mentor
        .session
        .meeting_page(&w.group, &w.meeting, today())
        .await
        .unwrap();
    assert!(
        page.shared_notes.text.contains("eerlijk"),
        "the mentor still reads the pair's notes"
    );
    row(
        "decoy notes pointer",
        "devices use the notes the server registered",
        "the mentor reads and writes the real notes",
        "",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_unknown_documents_and_ephemeral_messages_leaves_no_state() {
    let w = world(&[]).await;
    let peer = "device-flood";
    let credential = linked_device(&w.server, &w.mentee, peer).await;
    let baseline = w.server.rss_kib();
    let socket = raw_socket(&w.server, &credential).await;
    let (mut tx, mut rx) = socket.split();
    let answered = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = answered.clone();
    let drain = tokio::spawn(async move {
        while let Some(Ok(message)) = rx.next().await {
            if matches!(message, Message::Binary(_)) {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    });
    tx.send(Message::Binary(join(peer).into())).await.unwrap();
    let programme = w.programme.clone();
    let flood = tokio::spawn(async move {
        for i in 0..20_000u64 {
            if tx
                .send(Message::Binary(request(peer, &random_doc_id()).into()))
                .await
                .is_err()
            {
                return (i, tx);
            }
            if i % 4 == 0 {
                let message = ephemeral(peer, &programme, &format!("s{i}"), i);
                if tx.send(Message::Binary(message.into())).await.is_err() {
                    return (i, tx);
                }
            }
        }
        (20_000, tx)
    });
    // An honest edit during the flood.
    let page = w
        .mentor
        .session
        .meeting_page(&w.group, &w.meeting, today())
        .await
        .unwrap();
    w.mentor
        .session
        .write_shared_note(
            &w.group,
            &w.meeting,
            &page.shared_notes.edit_base,
            "tijdens de vloed",
        )
        .await
        .unwrap();
    let started = Instant::now();
    eventually(
        Duration::from_secs(20),
        "the honest edit arrives",
        || async {
            w.mentee
                .session
                .meeting_page(&w.group, &w.meeting, today())
                .await
                .is_ok_and(|p| p.shared_notes.text.contains("tijdens de vloed"))
        },
    )
    .await;
    let honest = started.elapsed();
    let (sent, mut tx) = flood.await.unwrap();
    let during = w.server.rss_kib();
    // Every request is answered before she hangs up.
    eventually(
        Duration::from_secs(30),
        "every request answered doc-unavailable",
        || async { answered.load(std::sync::atomic::Ordering::Relaxed) >= 20_000 },
    )
    .await;
    let _ = tx.close().await;
    drain.await.unwrap();
    let answers = answered.load(std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = w.server.rss_kib();
    row(
        "flood of unknown document ids and ephemeral messages",
        "no state kept; honest edit < 1 s",
        &format!("{answers} doc-unavailable answers; RSS back near baseline"),
        &format!(
            "{sent} requests + {} ephemeral; RSS {} → {} → {} MB; honest edit {} ms",
            sent / 4,
            baseline / 1024,
            during / 1024,
            after / 1024,
            honest.as_millis()
        ),
    );
    assert_eq!(sent, 20_000, "the flood was sent whole");
    assert!(
        answers >= 20_000,
        "every request was answered doc-unavailable: {answers}"
    );
    assert!(
        honest < Duration::from_secs(1),
        "honest edit took {honest:?}"
    );
    assert!(
        after < baseline + 8 * 1024,
        "the server keeps no state for the flood: {baseline} KiB before, {after} KiB after"
    );
    assert!(!w.server.log_text().contains("tijdens de vloed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]

async fn a_reader_that_stops_reading_is_disconnected_while_others_sync() {
    let w = world(&["--send-timeout-secs", "2"]).await;
    let peer = "device-stalled";
    let credential = linked_device(&w.server, &w.mentee, peer).await;
    let socket = raw_socket(&w.server, &credential).await;
    let baseline = w.server.rss_kib();
    // It keeps asking and never reads a single answer, until the server ends the connection; it
    // holds the socket open all along, so only the server can end it.
    let (mut tx, rx) = socket.split();
    let stalled = tokio::spawn(async move {
        tx.send(Message::Binary(join(peer).into())).await.unwrap();
        let mut sent = 0u64;
        loop {
            let message = Message::Binary(request(peer, &random_doc_id()).into());
            match tokio::time::timeout(Duration::from_secs(60), tx.send(message)).await {
                Ok(Ok(())) => sent += 1,
                Ok(Err(_)) => break,
                Err(_) => panic!("the server neither read nor closed for 60 s"),
            }
        }
        (sent, tx, rx)
    });
    // Meanwhile the mentor types 10,000 keystrokes into the pair's notes, each its own change.
    let notes = w
        .mentor
        .device
        .documents()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "notes")
        .expect("the pair's notes")
        .doc_id;
    let meeting = w.meeting.clone();
    let shared_length = |device: &Arc<Device>| {
        let (notes, meeting) = (notes.clone(), meeting.clone());
        let device = device.clone();
        async move {
            device
                .with_doc(&notes, move |d| {
                    docs::read_text(d, &docs::shared_note_path(&meeting)).map(|(t, _)| t.len())
                })
                .await
                .unwrap_or(0)
        }
    };
    let mut peak = baseline;
    let started = Instant::now();
    for i in 0..KEYSTROKES {
        let meeting = w.meeting.clone();
        w.mentor
            .device
            .with_doc(&notes, move |d| {
                let path = docs::shared_note_path(&meeting);
                let (mut text, heads) = docs::read_text(d, &path)?;
                text.push(if i % 50 == 49 { ' ' } else { 'a' });
                docs::write_text(d, &path, &heads, &text)
            })
            .await
            .unwrap();
        if i % 1000 == 0 {
            peak = peak.max(w.server.rss_kib());
        }
    }
    let edits = started.elapsed();
    eventually(
        Duration::from_secs(30),
        "the stalled reader is disconnected",
        || async { w.server.log_text().contains("a device stopped reading") },
    )
    .await;
    // Every keystroke reaches the mentee (checked every half second: a read is not free). Each
    // keystroke is its own change, and the CRDT engine's sync costs time in proportion to the
    // history per change, so on a debug build this takes minutes; the figures are reported.
    let typed = shared_length(&w.mentor.device).await;
    assert_eq!(typed, KEYSTROKES);
    let arrived = Instant::now();
    let mut received = 0;
    while arrived.elapsed() < Duration::from_secs(300) {
        received = shared_length(&w.mentee.device).await;
        if received == typed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(
        received,
        typed,
        "keystrokes the mentee received after 300 s; mentor {:?}; mentee {:?}",
        *w.mentor.device.status().borrow(),
        *w.mentee.device.status().borrow()
    );
    let caught_up = arrived.elapsed();
    let (sent, _tx, _rx) = stalled.await.unwrap();
    peak = peak.max(w.server.rss_kib());
    row(
        "a reader that stops reading while another device makes 10,000 edits",
        "disconnected; memory bounded; others sync",
        "disconnected after the send timeout; all edits arrived",
        &format!(
            "{sent} unanswered requests; {KEYSTROKES} edits took {} s, mentee caught up {} ms later; RSS {} → peak {} MB",
            edits.as_secs(),
            caught_up.as_millis(),
            baseline / 1024,
            peak / 1024
        ),
    );
    assert!(
        peak < baseline + 200 * 1024,
        "RSS grew from {baseline} to {peak} KiB"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sockets_and_slowloris_headers_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tmp = tempfile::tempdir().unwrap();
    let server =
        SyncServer::start(&tmp.path().join("server"), &["--header-timeout-secs", "2"]).await;
    let baseline = server.rss_kib();
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let mut idle = Vec::new();
    for _ in 0..2000 {
        match tokio::net::TcpStream::connect(("127.0.0.1", server.port)).await {
            Ok(s) => idle.push(s),
            Err(e) => panic!(
                "opening 2,000 sockets needs `ulimit -n` ≥ 4096 (scripts/test.sh sets it): {e}\n{limits}"
            ),
        }
    }
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
            .await
            .unwrap();
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(s);
    }
    let during = server.rss_kib();
    assert!(
        system_tests::health(server.port).await.is_some(),
        "the server still answers"
    );
    let trickle = tokio::spawn(async move {
        let mut cut = 0;
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            cut = 0;
            for s in &mut slow {
                if s.write_all(b"X-a: b\r\n").await.is_err() {
                    cut += 1;
                }
            }
        }
        cut
    });
    let started = Instant::now();
    let reads = idle.iter_mut().map(|s| async move {
        let mut buf = [0u8; 64];
        matches!(
            tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await,
            Ok(Ok(0) | Err(_))
        )
    });
    let closed = futures::future::join_all(reads)
        .await
        .into_iter()
        .filter(|closed| *closed)
        .count();
    let waited = started.elapsed();
    let cut = trickle.await.unwrap();
    row(
        "2,000 idle sockets and 50 slowloris headers",
        "closed after the header timeout; server answers",
        &format!("{closed} idle closed, {cut} slow cut"),
        &format!(
            "RSS {} → {} MB; all closed within {} ms",
            baseline / 1024,
            during / 1024,
            waited.as_millis()
        ),
    );
    assert_eq!(closed, 2000, "every idle socket was closed");
    assert_eq!(cut, 50, "every slow header was cut off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_device_and_a_withdrawn_member_lose_access_at_once() {
    let w = world(&[]).await;
    // Aylin links her laptop: her private notes reach it.
    let page = w
        .mentee
        .session
        .meeting_page(&w.group, &w.meeting, today())
        .await
        .unwrap();
    w.mentee
        .session
        .write_private_note(
            &w.group,
            &w.meeting,
            &page.private_notes.edit_base,
            "alleen voor mij",
        )
        .await
        .unwrap();
    settled(&w.mentee.device).await;
    let laptop = Person::new(&w._tmp.path().join("laptop")).await;
    let code = w.mentee.session.link_code().await.unwrap().code;
    laptop
        .session
        .join_as_linked_device(w.server.url().as_str(), &code, "laptop")
        .await
        .unwrap();
    assert_eq!(laptop.id(), w.mentee.id(), "the laptop is hers");
    eventually(
        Duration::from_secs(20),
        "her private note on the laptop",
        || async {
            laptop
                .session
                .meeting_page(&w.group, &w.meeting, today())
                .await
                .is_ok_and(|p| p.private_notes.text == "alleen voor mij")
        },
    )
    .await;
    let again = laptop
        .session
        .join_as_linked_device(w.server.url().as_str(), &code, "laptop")
        .await;
    assert!(again.is_err(), "a linking code works once");
    let devices = w.mentee.session.devices().await.unwrap().devices;
    assert_eq!(devices.len(), 2);

    // She removes it: its connection closes within a second; upgrade and API are refused.
    wait_status(&laptop.device, "laptop online", is(SyncState::Synced)).await;
    let before = system_tests::health(w.server.port).await.unwrap()["connections"]
        .as_u64()
        .unwrap();
    let started = Instant::now();
    w.mentee
        .session
        .remove_device(&laptop.device.peer_id())
        .await
        .unwrap();
    let laptop_credential = laptop.credential();
    laptop.device.disconnect();
    eventually(
        Duration::from_secs(1),
        "the laptop's connection closes",
        || async {
            system_tests::health(w.server.port).await.unwrap()["connections"]
                .as_u64()
                .unwrap()
                < before
        },
    )
    .await;
    let closed_in = started.elapsed();
    assert_eq!(upgrade_status(&w.server, &laptop_credential).await, 401);
    assert_eq!(
        get(&w.server, "/api/directory", &laptop_credential).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Sanne withdraws: the same for her phone.
    let mentor_credential = w.mentor.credential();
    let before = system_tests::health(w.server.port).await.unwrap()["connections"]
        .as_u64()
        .unwrap();
    let started = Instant::now();
    w.mentor.session.withdraw(&w.programme).await.ok();
    eventually(
        Duration::from_secs(1),
        "the mentor's connection closes",
        || async {
            system_tests::health(w.server.port).await.unwrap()["connections"]
                .as_u64()
                .unwrap()
                < before
        },
    )
    .await;
    let withdrawn_in = started.elapsed();
    assert_eq!(upgrade_status(&w.server, &mentor_credential).await, 401);
    assert_eq!(
        get(&w.server, "/api/directory", &mentor_credential).await.0,
        StatusCode::UNAUTHORIZED
    );
    row(
        "removed device and withdrawn member",
        "connection closed < 1 s; upgrade and API 401",
        "closed; 401 and 401",
        &format!(
            "removal closed it in {} ms, withdrawal in {} ms",
            closed_in.as_millis(),
            withdrawn_in.as_millis()
        ),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_students_join_from_one_address_while_a_guesser_finds_nothing() {
    let w = world(&[]).await;
    let mut codes = Vec::new();
    for i in 0..60 {
        codes.push(invite(&w, Role::Mentee, &format!("Student {i}")).await);
    }
    let guesser = tokio::spawn({
        let url = w.server.url();
        async move {
            let client = http_from("127.0.0.2".parse().unwrap());
            let (mut unknown, mut throttled, mut found) = (0, 0, 0);
            for _ in 0..3000 {
                let response = client
                    .post(format!("{url}api/invitations/lookup"))
                    .json(&json!({"code": mentoring::codes::new_code()}))
                    .send()
                    .await
                    .unwrap();
                match response.status() {
                    StatusCode::NOT_FOUND => unknown += 1,
                    StatusCode::TOO_MANY_REQUESTS => throttled += 1,
                    _ => found += 1,
                }
            }
            (unknown, throttled, found)
        }
    });
    let client = http();
    let started = Instant::now();
    let mut joined = 0;
    for (i, code) in codes.iter().enumerate() {
        let (status, body) = post(
            &client,
            &w.server,
            "/api/invitations/lookup",
            None,
            json!({"code": code}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "lookup {i}: {body}");
        let (status, body) = post(
            &client,
            &w.server,
            "/api/invitations/accept",
            None,
            json!({"code": code, "name": format!("Student {i}"), "peer": format!("device-student-{i}")}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "accept {i}: {body}");
        joined += 1;
    }
    let event = started.elapsed();
    let (unknown, throttled, found) = guesser.await.unwrap();
    row(
        "introduction event next to a guessing run",
        "60 of 60 join within 60 s; guesses all refused",
        &format!("{joined} joined; {found} guesses found"),
        &format!(
            "event took {} ms; guesser: {unknown} unknown, {throttled} throttled",
            event.as_millis()
        ),
    );
    assert_eq!(joined, 60);
    assert!(event < Duration::from_secs(60));
    assert_eq!(found, 0);
    assert!(throttled > 2900, "wrong codes are throttled: {throttled}");
    let log = w.server.log_text();
    assert!(
        !codes.iter().any(|c| log.contains(c.as_str())),
        "codes never reach the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_key_is_hashed_private_throttled_and_never_empty() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let key = setup_key(&server);
    let mode = |f: &str| {
        std::fs::metadata(server.data_dir.join(f))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("setup-key.txt"), 0o600);
    assert_eq!(mode("sync-server.sqlite"), 0o600);
    let database = std::fs::read(server.data_dir.join("sync-server.sqlite")).unwrap();
    let wal = std::fs::read(server.data_dir.join("sync-server.sqlite-wal")).unwrap_or_default();
    for bytes in [database, wal] {
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "the key is stored hashed"
        );
    }
    let client = http();
    let attempt = |typed: String| {
        let client = client.clone();
        let server = &server;
        async move {
            post(
                &client,
                server,
                "/api/programmes",
                None,
                json!({"setup_key": typed, "programme": "00112233445566778899aabbccddeeff",
                       "name": "X", "school": "", "coordinator_name": "X", "peer": "device-x"}),
            )
            .await
            .0
        }
    };
    assert_eq!(attempt(String::new()).await, StatusCode::FORBIDDEN);
    let mut statuses = Vec::new();
    for i in 0..30 {
        statuses.push(attempt(format!("WRONG-{i}")).await);
    }
    assert!(
        statuses[..19].iter().all(|s| *s == StatusCode::FORBIDDEN),
        "{statuses:?}"
    );
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS);
    row(
        "setup key guessing",
        "hashed at rest, 0600, throttled, empty refused",
        "403 then 429",
        &format!(
            "{} of 30 wrong keys throttled",
            statuses
                .iter()
                .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
                .count()
        ),
    );
    assert!(!server.log_text().contains(&key));
    let empty = std::process::Command::new(system_tests::binary("sync-server"))
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(tmp.path().join("other"))
        .args(["--setup-key", " "])
        .output()
        .unwrap();
    assert!(
        !empty.status.success(),
        "an empty setup key is refused at start"
    );
}

/// The status of an upgrade to `url` with no header, and the socket if it opened.
async fn upgrade_without_header(url: &str) -> (u16, Option<Socket>) {
    match tokio_tungstenite::connect_async(url).await {
        Ok((socket, response)) => (response.status().as_u16(), Some(socket)),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            (response.status().as_u16(), None)
        }
        Err(e) => panic!("unexpected upgrade error: {e}"),
    }
}

/// A browser cannot put its credential in a websocket header: it trades it for a ticket that
/// opens the sync socket once. Tickets are asked for with the credential only, are good once,
/// cannot be made up, and neither they nor the credential reach a URL the server logs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_ticket_opens_the_socket_once_for_its_own_device_only() {
    let w = world(&[]).await;
    let credential = w.mentee.credential();
    let client = http();
    let (status, _) = post(&client, &w.server, "/api/sync-tickets", None, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no credential, no ticket");
    let (status, _) = post(
        &client,
        &w.server,
        "/api/sync-tickets",
        Some("0123456789abcdef"),
        json!({}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a made-up credential, no ticket"
    );
    let (status, answer) = post(
        &client,
        &w.server,
        "/api/sync-tickets",
        Some(&credential),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let ticket = answer["ticket"].as_str().unwrap().to_owned();
    assert_eq!(answer["expires_in_secs"], 30);

    let url = format!("ws://127.0.0.1:{}/sync?ticket={ticket}", w.server.port);
    let (status, socket) = upgrade_without_header(&url).await;
    assert_eq!(status, 101, "the ticket opens the socket");
    // The socket is hers: the server answers her join, and a join as another device closes it.
    let peer = w.mentee.device.peer_id();
    let (mut tx, mut rx) = socket.expect("a socket").split();
    tx.send(Message::Binary(join(&peer).into())).await.unwrap();
    let answered = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = rx.next().await {
            if let Message::Binary(_) = message {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(
        answered,
        "the server speaks with her over the ticket's socket"
    );

    let (again, _) = upgrade_without_header(&url).await;
    assert_eq!(again, 401, "a ticket is good once");
    let made_up = format!(
        "ws://127.0.0.1:{}/sync?ticket={}",
        w.server.port,
        "ab".repeat(32)
    );
    assert_eq!(upgrade_without_header(&made_up).await.0, 401);

    let (_, second) = post(
        &client,
        &w.server,
        "/api/sync-tickets",
        Some(&credential),
        json!({}),
    )
    .await;
    let other = w.mentor.device.peer_id();
    let url = format!(
        "ws://127.0.0.1:{}/sync?ticket={}",
        w.server.port,
        second["ticket"].as_str().unwrap()
    );
    let (_, socket) = upgrade_without_header(&url).await;
    let (mut tx, mut rx) = socket.expect("a socket").split();
    tx.send(Message::Binary(join(&other).into())).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(message) = rx.next().await {
            if matches!(message, Ok(Message::Close(_)) | Err(_)) {
                return true;
            }
        }
        true
    })
    .await
    .unwrap_or(false);
    assert!(
        closed,
        "a ticket's socket is bound to the device that asked for it"
    );

    // A ticket of a device removed before it was used opens nothing.
    let browser = linked_device(&w.server, &w.mentee, "device-mentee-browser").await;
    let (_, third) = post(
        &client,
        &w.server,
        "/api/sync-tickets",
        Some(&browser),
        json!({}),
    )
    .await;
    let (status, _) = post(
        &client,
        &w.server,
        "/api/devices/remove",
        Some(&credential),
        json!({"peer": "device-mentee-browser"}),
    )
    .await;
    assert!(status.is_success(), "{status}");
    let url = format!(
        "ws://127.0.0.1:{}/sync?ticket={}",
        w.server.port,
        third["ticket"].as_str().unwrap()
    );
    assert_eq!(
        upgrade_without_header(&url).await.0,
        401,
        "a removed device's ticket"
    );

    let log = w.server.log_text();
    assert!(!log.contains(&credential), "the credential is never logged");
    assert!(!log.contains(&ticket), "a ticket is never logged");
    row(
        "browser sync tickets",
        "ticket with credential only; opens once; bound to its device; dies with it; not logged",
        "401 without; 101 once, then 401; other peer closed; removed device 401; absent from the log",
        "",
    );
}

/// Devices are told of registry changes instead of asking every few seconds: a held question is
/// answered at once when a change concerns her (her partner's new name), not for a change that
/// does not (another school's new programme), and not at all for a credential the server does
/// not know.
#[tokio::test]
async fn a_device_is_told_at_once_of_a_change_that_concerns_her_and_of_no_other() {
    let w = world(&[]).await;
    let http = reqwest::Client::new();
    let api = |path: &str| w.server.url().join(path).unwrap();
    let mentee = w.mentee.credential();
    let directory: Value = http
        .get(api("/api/directory"))
        .bearer_auth(&mentee)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mark = directory["mark"]
        .as_u64()
        .expect("the directory has a mark");
    let changes = api(&format!("/api/directory/changes?after={mark}"));

    let stranger = http
        .get(changes.clone())
        .bearer_auth("not-a-credential")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);

    let held = tokio::spawn({
        let (http, changes, mentee) = (http.clone(), changes.clone(), mentee.clone());
        async move {
            let answer: Value = http
                .get(changes)
                .bearer_auth(mentee)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (answer, Instant::now())
        }
    });
    // Another coordinator sets up her own programme: nothing of Aylin's changes.
    let (_other, _) = system_tests::programme::coordinator(
        &w._tmp.path().join("other-coordinator"),
        &w.server,
        mentoring::model::Settings::default(),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !held.is_finished(),
        "a change that does not concern her wakes her device"
    );

    // Her mentor takes another name: Aylin's directory lists it.
    let renamed = Instant::now();
    let status = http
        .post(api("/api/me/name"))
        .bearer_auth(w.mentor.credential())
        .json(&json!({"name": "Sanne de Vries"}))
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");
    let (answer, answered) = tokio::time::timeout(Duration::from_secs(5), held)
        .await
        .expect("her device is told within seconds")
        .unwrap();
    assert_eq!(answer, json!({"changed": true}));
    let after = answered.duration_since(renamed);
    assert!(after < Duration::from_secs(2), "told after {after:?}");
    println!(
        "ATTACK | a held directory question | told of her partner's new name only | ok | told after {after:?}"
    );

    // Her device, keeping in touch as the app does, is told too and shows the next new name
    // well before its fallback of asking every 8 s would have.
    let session = w.mentee.session.clone();
    let touch = tokio::spawn(async move { session.keep_in_touch().await });
    let stored = |device: &Arc<Device>| {
        device
            .store()
            .setting("directory")
            .unwrap()
            .unwrap_or_default()
    };
    eventually(
        Duration::from_secs(20),
        "her device keeps in touch",
        || async { stored(&w.mentee.device).contains("Sanne de Vries") },
    )
    .await;
    // Its question is held now; the name changes once more.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let renamed = Instant::now();
    http.post(api("/api/me/name"))
        .bearer_auth(w.mentor.credential())
        .json(&json!({"name": "Sanne Bakker"}))
        .send()
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "the mentor's next name on her device",
        || async { stored(&w.mentee.device).contains("Sanne Bakker") },
    )
    .await;
    let on_device = renamed.elapsed();
    assert!(
        on_device < Duration::from_secs(3),
        "on her device after {on_device:?}"
    );
    println!(
        "ATTACK | a partner's new name | on her device at once, told by the server | ok | after {on_device:?}"
    );
    touch.abort();
}
