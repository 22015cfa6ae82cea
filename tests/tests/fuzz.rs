//! The real server takes arbitrary input without a panic, a hang or a server error:
//! - every JSON endpoint gets random bytes, random JSON, and objects with the field names the
//!   endpoints know holding values of random types, with no credential, a made-up one, and a real
//!   one; each answer is a 2xx or 4xx;
//! - the sync socket of a real device gets sync-shaped messages with random types, peers,
//!   document ids and payloads (and random bytes); a message it cannot take closes the connection
//!   with a code and a reason, and the device can connect again.
//!
//! Afterwards the server still answers and its log holds no panic.
//!
//! `PM_FUZZ_CASES` sets the number of cases (2,000 in the test command; the soak script runs more).

use std::time::Duration;

use mentoring::model::{Role, Settings};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use system_tests::programme::{coordinator, participant};
use system_tests::{SyncServer, health};

const ENDPOINTS: [&str; 14] = [
    "/api/programmes",
    "/api/invitations",
    "/api/invitations/revoke",
    "/api/invitations/lookup",
    "/api/invitations/accept",
    "/api/invitations/decline",
    "/api/devices/link",
    "/api/devices/join",
    "/api/devices/remove",
    "/api/documents",
    "/api/groups",
    "/api/groups/dissolve",
    "/api/withdraw",
    "/api/programmes/x/status",
];

/// The field names the server's requests use.
const FIELDS: [&str; 24] = [
    "code",
    "name",
    "programme",
    "role",
    "person",
    "id",
    "entry",
    "kind",
    "group",
    "owner",
    "members",
    "label",
    "peer",
    "setup_key",
    "coordinator_name",
    "school",
    "valid_days",
    "attempt",
    "credential",
    "group_doc",
    "notes_doc",
    "invitation",
    "programme_name",
    "state",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec!["mentor", "mentee", "private", "", "0", "ABCD-EFGH"])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(FIELDS.to_vec()).prop_map(str::to_owned),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A request body: raw bytes, any JSON, or an object of known fields with values of any type.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::btree_map(
            prop::sample::select(FIELDS.to_vec()).prop_map(str::to_owned),
            json_value(),
            1..8
        )
        .prop_map(|m| Value::Object(m.into_iter().collect())
            .to_string()
            .into_bytes()),
    ]
}

fn cases() -> u32 {
    std::env::var("PM_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_json_endpoint_answers_arbitrary_input_with_a_clear_refusal_never_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    // Many wrong codes from one address get throttled (429): a fine answer too.
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (carla, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let mentee = participant(
        &tmp.path().join("mentee"),
        &server,
        &carla,
        &programme,
        Role::Mentee,
        "Aylin",
    )
    .await;
    let credentials = [
        None,
        Some("made-up".to_owned()),
        Some(carla.credential()),
        Some(mentee.credential()),
    ];
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let strategy = (
        prop::sample::select(ENDPOINTS.to_vec()),
        0..credentials.len(),
        prop::bool::weighted(0.8),
        body(),
    );
    let mut runner = TestRunner::new(Config::default());
    let mut answers = std::collections::BTreeMap::<u16, usize>::new();
    for case in 0..cases() {
        let (path, who, as_json, body) = strategy.new_tree(&mut runner).unwrap().current();
        let url = format!("http://127.0.0.1:{}{path}", server.port);
        let request = if path.ends_with("/status") {
            client.get(&url)
        } else {
            client.post(&url).body(body.clone())
        };
        let request = if as_json {
            request.header("content-type", "application/json")
        } else {
            request
        };
        let request = match &credentials[who] {
            Some(c) => request.bearer_auth(c),
            None => request,
        };
        let shown = String::from_utf8_lossy(&body).into_owned();
        let answer = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("case {case}: {path} with {shown:?} got no answer: {e}"));
        let status = answer.status().as_u16();
        *answers.entry(status).or_default() += 1;
        assert!(
            status < 500,
            "case {case}: {path} (credential {who}) answered {status} to {shown:?}"
        );
    }
    assert!(
        health(server.port).await.is_some(),
        "the server still answers"
    );
    assert!(
        !server.log_text().contains("panicked"),
        "the server's log shows a panic:\n{}",
        server.log_text()
    );
    println!("{} cases; answers by status: {answers:?}", cases());
}

/// A well-formed envelope (her own peer, the server, a document) around random sync data: what
/// gets past the frame checker into samod.
fn envelope(peer: String, documents: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec!["request", "sync"]),
        prop::sample::select(documents),
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            // A sync message's first byte (0x42) followed by noise.
            prop::collection::vec(any::<u8>(), 0..300).prop_map(|mut v| {
                v.insert(0, 0x42);
                v
            }),
        ],
    )
        .prop_map(move |(kind, document, data)| {
            let mut out = Vec::new();
            let mut e = minicbor::Encoder::new(&mut out);
            let _ = e.map(5);
            let _ = e.str("type").and_then(|e| e.str(kind));
            let _ = e.str("senderId").and_then(|e| e.str(&peer));
            let _ = e
                .str("targetId")
                .and_then(|e| e.str("peer-mentoring-sync-server"));
            let _ = e.str("documentId").and_then(|e| e.str(&document));
            let _ = e.str("data").and_then(|e| e.bytes(&data));
            out
        })
}

fn cbor_message() -> impl Strategy<Value = Vec<u8>> {
    let text = prop_oneof![
        ".{0,20}".prop_map(|s: String| s),
        prop::sample::select(vec![
            "join",
            "request",
            "sync",
            "ephemeral",
            "doc-unavailable",
            "remote-heads-changed",
            "remote-subscription-change",
            "leave",
            "peer-mentoring-sync-server",
        ])
        .prop_map(str::to_owned),
    ];
    let value = prop_oneof![
        text.clone().prop_map(Field::Text),
        prop::collection::vec(any::<u8>(), 0..300).prop_map(Field::Bytes),
        any::<u64>().prop_map(Field::Number),
        prop::collection::vec(text.clone(), 0..4).prop_map(Field::List),
    ];
    let key = prop::sample::select(vec![
        "type",
        "senderId",
        "targetId",
        "documentId",
        "data",
        "sessionId",
        "count",
        "supportedProtocolVersions",
        "metadata",
        "other",
    ]);
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200),
        6 => prop::collection::vec((key, value), 0..7).prop_map(|fields| {
            let mut out = Vec::new();
            let mut e = minicbor::Encoder::new(&mut out);
            let _ = e.map(fields.len() as u64);
            for (k, v) in fields {
                let _ = e.str(k);
                let _ = match v {
                    Field::Text(t) => e.str(&t).map(|_| ()),
                    Field::Bytes(b) => e.bytes(&b).map(|_| ()),
                    Field::Number(n) => e.u64(n).map(|_| ()),
                    Field::List(l) => e.array(l.len() as u64).and_then(|e| {
                        for t in &l {
                            e.str(t)?;
                        }
                        Ok(())
                    }),
                };
            }
            out
        }),
    ]
}

#[derive(Debug, Clone)]
enum Field {
    Text(String),
    Bytes(Vec<u8>),
    Number(u64),
    List(Vec<String>),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sync_socket_answers_arbitrary_messages_with_a_close_code_never_a_crash() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    let tmp = tempfile::tempdir().unwrap();
    let server = SyncServer::start(&tmp.path().join("server"), &[]).await;
    let (carla, programme) = coordinator(
        &tmp.path().join("coordinator"),
        &server,
        Settings::default(),
    )
    .await;
    let credential = carla.credential();
    let peer = carla.device.peer_id();
    carla.device.disconnect();
    let connect = || async {
        let mut request = format!("ws://127.0.0.1:{}/sync", server.port)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {credential}").parse().unwrap(),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the device can connect");
        let mut join = Vec::new();
        let mut e = minicbor::Encoder::new(&mut join);
        e.map(3).unwrap().str("type").unwrap().str("join").unwrap();
        e.str("senderId").unwrap().str(&peer).unwrap();
        e.str("supportedProtocolVersions")
            .unwrap()
            .array(1)
            .unwrap()
            .str("1")
            .unwrap();
        socket.send(Message::Binary(join.into())).await.unwrap();
        socket
    };
    let mut socket = connect().await;
    let mut runner = TestRunner::new(Config::default());
    let documents = vec![
        programme,
        samod::DocumentId::new(&mut rand::rng()).to_string(),
    ];
    let strategy = prop_oneof![cbor_message(), envelope(peer.clone(), documents)];
    let (mut closed, mut codes) = (0, std::collections::BTreeMap::<u16, usize>::new());
    // A refusal may come a moment after the message that caused it: the last few are shown.
    let mut recent = std::collections::VecDeque::new();
    for case in 0..cases() {
        let message = strategy.new_tree(&mut runner).unwrap().current();
        recent.push_back(message.clone());
        if recent.len() > 4 {
            recent.pop_front();
        }
        if socket
            .send(Message::Binary(message.clone().into()))
            .await
            .is_err()
        {
            socket = connect().await;
            continue;
        }
        // Whatever the server answers, or its closing of the connection, comes quickly.
        let deadline = tokio::time::Instant::now() + Duration::from_millis(20);
        while let Ok(Some(frame)) = tokio::time::timeout_at(deadline, socket.next()).await {
            match frame {
                Ok(Message::Close(Some(close))) => {
                    let code = u16::from(close.code);
                    assert!(
                        [1007, 1008, 1009].contains(&code) && !close.reason.is_empty(),
                        "case {case}: closed with {code} {:?} after these messages:\n{}",
                        close.reason,
                        recent
                            .iter()
                            .map(|m| format!("{m:02x?}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                    recent.clear();
                    *codes.entry(code).or_default() += 1;
                    closed += 1;
                    socket = connect().await;
                    break;
                }
                Ok(_) => {}
                Err(_) => {
                    socket = connect().await;
                    recent.clear();
                    break;
                }
            }
        }
    }
    assert!(
        health(server.port).await.is_some(),
        "the server still answers"
    );
    assert!(
        !server.log_text().contains("panicked"),
        "the server's log shows a panic:\n{}",
        server.log_text()
    );
    println!(
        "{} messages; the server closed {closed} connections: {codes:?}",
        cases()
    );
}
