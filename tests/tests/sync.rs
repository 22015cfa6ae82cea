//! Two devices (a mentor's and a mentee's), each with its own SQLite file, syncing through the real
//! sync-server process on loopback.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use mentoring::api::SyncState;
use mentoring::device::Device;
use mentoring::docs::{self, GroupDoc, MeetingDoc, NotesDoc, ProgrammeDoc};
use mentoring::model::Settings;
use system_tests::{SyncServer, eventually, health, is, wait_status};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const FIRST_NOTE: &str = "Eerste weken: veel nieuwe mensen, veel groepswerk.";
const MENTOR_ADDS: &str = "Mentor vertelt: ";
const MENTEE_ADDS: &str = " Mentee: herkenbaar, vooral het groepswerk!";

fn set_note(d: &mut automerge::Automerge, meeting: &str, text: &str) -> Result<(), docs::DocError> {
    docs::write_text(d, &docs::shared_note_path(meeting), &[], text).map(|_| ())
}

fn get_note(d: &mut automerge::Automerge, meeting: &str) -> Result<String, docs::DocError> {
    docs::read_text(d, &docs::shared_note_path(meeting)).map(|(text, _)| text)
}

struct Pair {
    group: String,
    notes: String,
    meeting: String,
}

/// The mentor sets up a programme, a pair with meeting 1, and its notes; the mentee fetches them.
async fn set_up_pair(mentor: &Device, mentee: &Device) -> Pair {
    let quarters = [
        ("2026-09-01", "2026-11-08"),
        ("2026-11-09", "2027-01-31"),
        ("2027-02-01", "2027-04-18"),
        ("2027-04-19", "2027-07-10"),
    ]
    .map(|(a, b)| (a.to_owned(), b.to_owned()));
    let programme = mentor
        .create(
            &ProgrammeDoc::new(
                "Peer mentoring ICT",
                "Hogeschool",
                "2026-2027",
                Settings::default(),
                &quarters,
            ),
            "Peer mentoring ICT",
            false,
        )
        .await
        .unwrap();
    let mut group =
        GroupDoc::new_pair(&programme, "", ("p-mentor", "Sanne"), ("p-mentee", "Aylin"));
    let notes = mentor
        .create(&NotesDoc::new(&group.group_id), "notes", false)
        .await
        .unwrap();
    group.notes_doc = notes.clone();
    let meeting = docs::new_id();
    group
        .meetings
        .insert(meeting.clone(), MeetingDoc::planned(Some("topic-1".into())));
    let group = mentor.create(&group, "Sanne & Aylin", false).await.unwrap();
    let m = meeting.clone();
    mentor
        .with_doc(&notes, move |d| set_note(d, &m, FIRST_NOTE))
        .await
        .unwrap();
    wait_status(mentor, "mentor synced after setup", is(SyncState::Synced)).await;
    for (id, title) in [
        (&programme, "programme"),
        (&group, "pair"),
        (&notes, "notes"),
    ] {
        assert!(
            mentee.fetch(id, title).await.unwrap(),
            "mentee can fetch the {title}"
        );
    }
    Pair {
        group,
        notes,
        meeting,
    }
}

async fn note(device: &Device, pair: &Pair) -> String {
    let m = pair.meeting.clone();
    device
        .with_doc(&pair.notes, move |d| get_note(d, &m))
        .await
        .unwrap()
}

async fn heads(device: &Device, id: &str) -> Vec<String> {
    let mut heads = device
        .with_doc(id, |d| {
            Ok(d.get_heads()
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>())
        })
        .await
        .unwrap();
    heads.sort();
    heads
}

async fn meeting(device: &Device, pair: &Pair) -> MeetingDoc {
    device.read::<GroupDoc>(&pair.group).await.unwrap().meetings[&pair.meeting].clone()
}

async fn converged(a: &Device, b: &Device, pair: &Pair) -> bool {
    heads(a, &pair.notes).await == heads(b, &pair.notes).await
        && heads(a, &pair.group).await == heads(b, &pair.group).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_edits_on_two_devices_merge_and_survive_a_server_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let mut server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let mentor = Device::open(&tmp.path().join("mentor")).await.unwrap();
    let mentee = Device::open(&tmp.path().join("mentee")).await.unwrap();
    mentor.connect(&server.url(), None).unwrap();
    mentee.connect(&server.url(), None).unwrap();
    let pair = set_up_pair(&mentor, &mentee).await;
    assert_eq!(note(&mentee, &pair).await, FIRST_NOTE);

    // Both go offline (the server is gone) and edit the same note and the same meeting.
    server.stop();
    wait_status(&mentor, "mentor offline", is(SyncState::Offline)).await;
    wait_status(&mentee, "mentee offline", is(SyncState::Offline)).await;
    let m = pair.meeting.clone();
    mentor
        .with_doc(&pair.notes, move |d| {
            set_note(d, &m, &format!("{MENTOR_ADDS}{FIRST_NOTE}"))
        })
        .await
        .unwrap();
    let m = pair.meeting.clone();
    mentor
        .change::<GroupDoc, _>(&pair.group, move |g| {
            g.meeting_mut(&m)?.place = "Bibliotheek, stilteruimte".into();
            Ok(())
        })
        .await
        .unwrap();
    let m = pair.meeting.clone();
    mentee
        .with_doc(&pair.notes, move |d| {
            set_note(d, &m, &format!("{FIRST_NOTE}{MENTEE_ADDS}"))
        })
        .await
        .unwrap();
    let m = pair.meeting.clone();
    mentee
        .change::<GroupDoc, _>(&pair.group, move |g| {
            g.meeting_mut(&m)?.time = Some("14:30".into());
            Ok(())
        })
        .await
        .unwrap();
    let offline = wait_status(&mentor, "mentor counts unsent changes", |s| {
        s.state == SyncState::Offline && s.pending_changes == 2
    })
    .await;
    assert!(offline.last_synced.is_some(), "{offline:?}");
    assert_ne!(note(&mentor, &pair).await, note(&mentee, &pair).await);

    // The server comes back; both devices reconnect by themselves and converge.
    server.restart().await;
    wait_status(&mentor, "mentor synced again", is(SyncState::Synced)).await;
    wait_status(&mentee, "mentee synced again", is(SyncState::Synced)).await;
    eventually(
        Duration::from_secs(20),
        "both devices hold the same documents",
        || converged(&mentor, &mentee, &pair),
    )
    .await;
    let expected = format!("{MENTOR_ADDS}{FIRST_NOTE}{MENTEE_ADDS}");
    for device in [&mentor, &mentee] {
        assert_eq!(note(device, &pair).await, expected);
        let meeting = meeting(device, &pair).await;
        assert_eq!(meeting.place, "Bibliotheek, stilteruimte");
        assert_eq!(meeting.time.as_deref(), Some("14:30"));
    }
    assert_eq!(mentor.status().borrow().pending_changes, 0);

    // The server restarts on the same data directory and both devices are reopened from disk.
    server.stop();
    mentor.close().await;
    mentee.close().await;
    drop((mentor, mentee));
    server.restart().await;
    let mentor = Device::open(&tmp.path().join("mentor")).await.unwrap();
    let mentee = Device::open(&tmp.path().join("mentee")).await.unwrap();
    assert_eq!(mentor.documents().unwrap().len(), 3);
    for device in [&mentor, &mentee] {
        assert_eq!(
            note(device, &pair).await,
            expected,
            "note survives reopening"
        );
        assert_eq!(meeting(device, &pair).await.time.as_deref(), Some("14:30"));
    }
    mentor.connect(&server.url(), None).unwrap();
    mentee.connect(&server.url(), None).unwrap();
    let m = pair.meeting.clone();
    mentee
        .change::<GroupDoc, _>(&pair.group, move |g| {
            g.meeting_mut(&m)?.date = Some("2026-09-22".into());
            Ok(())
        })
        .await
        .unwrap();
    eventually(
        Duration::from_secs(20),
        "a new edit reaches the other device",
        || {
            let mentor = mentor.clone();
            let pair = &pair;
            async move { meeting(&mentor, pair).await.date.as_deref() == Some("2026-09-22") }
        },
    )
    .await;
    // And a server that never saw the devices' local files still has everything: a third device
    // fetches the pair from the restarted server alone.
    let third = Device::open(&tmp.path().join("laptop")).await.unwrap();
    third.connect(&server.url(), None).unwrap();
    assert!(third.fetch(&pair.notes, "notes").await.unwrap());
    assert_eq!(note(&third, &pair).await, expected);
}

async fn raw_socket(
    server: &SyncServer,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = format!("ws://127.0.0.1:{}/sync", server.port);
    tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket")
        .0
}

/// Sends `message` and returns the close frame the server answers with.
async fn close_after(server: &SyncServer, message: Message) -> (CloseCode, String) {
    let mut socket = raw_socket(server).await;
    socket.send(message).await.expect("send");
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(frame) = socket.next().await {
            match frame {
                Ok(Message::Close(Some(frame))) => return (frame.code, frame.reason.to_string()),
                Ok(Message::Close(None)) | Err(_) => break,
                Ok(_) => {}
            }
        }
        panic!("the server closed without a reason");
    })
    .await;
    answer.expect("the server answered within 10 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_frames_are_refused_with_a_reason_and_others_keep_syncing() {
    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(
        &tmp.path().join("server"),
        &["--max-message-bytes", "65536"],
    )
    .await;
    let device = Device::open(&tmp.path().join("device")).await.unwrap();
    device.connect(&server.url(), None).unwrap();
    let notes = device
        .create(&NotesDoc::new("g"), "notes", false)
        .await
        .unwrap();
    wait_status(&device, "device synced", is(SyncState::Synced)).await;

    let (code, reason) = close_after(
        &server,
        Message::Binary(b"\xff\x00 not cbor".to_vec().into()),
    )
    .await;
    assert_eq!(code, CloseCode::Invalid);
    assert!(reason.starts_with("malformed sync message"), "{reason}");

    let (code, reason) = close_after(&server, Message::Text("hello".into())).await;
    assert_eq!(code, CloseCode::Unsupported);
    assert!(reason.contains("text frames"), "{reason}");

    let (code, reason) = close_after(&server, Message::Binary(vec![0u8; 100_000].into())).await;
    assert_eq!(code, CloseCode::Size);
    assert!(
        reason.contains("100000 bytes exceeds the limit of 65536"),
        "{reason}"
    );

    // The server is still up, and the connected device still syncs.
    let health = health(server.port).await.expect("health");
    assert_eq!(health["status"], "ok");
    device
        .with_doc(&notes, |d| set_note(d, "m", "nog steeds in sync"))
        .await
        .unwrap();
    let other = Device::open(&tmp.path().join("other")).await.unwrap();
    other.connect(&server.url(), None).unwrap();
    assert!(other.fetch(&notes, "notes").await.unwrap());
    let text = other.with_doc(&notes, |d| get_note(d, "m")).await.unwrap();
    assert_eq!(text, "nog steeds in sync");
    let log = server.log_text();
    assert_eq!(log.matches("refused a frame").count(), 3, "{log}");
}
