//! A bare automerge-repo peer, for load: one websocket, the `join` handshake, and the sync
//! protocol for the documents it holds, in memory, in one task. It speaks to our server (with a
//! device's credential) and to the reference JavaScript server (without) alike, so both carry the
//! same load; every peer adds the bytes it sends and receives to a shared [`Traffic`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use futures::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Bytes on the wire (websocket payloads), both ways, of every peer that shares it.
#[derive(Debug, Default)]
pub struct Traffic {
    pub sent: AtomicU64,
    pub received: AtomicU64,
    /// Fetches asked again: answered `doc-unavailable`, or not answered in time.
    pub retries: AtomicU64,
}

impl Traffic {
    pub fn total(&self) -> u64 {
        self.sent.load(Ordering::Relaxed) + self.received.load(Ordering::Relaxed)
    }
}

/// The key a typist counts her keystrokes under, and the text she types into.
const KEYSTROKE: &str = "bench_keystroke";
const TEXT: &str = "bench_text";

enum Command {
    Upload {
        document: String,
        doc: Box<AutoCommit>,
        done: oneshot::Sender<()>,
    },
    Fetch {
        document: String,
        done: oneshot::Sender<Result<(), String>>,
    },
    Type {
        document: String,
        keystroke: u64,
    },
    Watch {
        document: String,
        reply: oneshot::Sender<watch::Receiver<u64>>,
    },
}

/// A document this peer holds, and its sync with the server.
struct Held {
    doc: AutoCommit,
    state: sync::State,
    uploading: Option<oneshot::Sender<()>>,
    fetching: Option<oneshot::Sender<Result<(), String>>>,
    keystroke: watch::Sender<u64>,
}

impl Held {
    fn new(doc: AutoCommit) -> Held {
        Held {
            doc,
            state: sync::State::new(),
            uploading: None,
            fetching: None,
            keystroke: watch::channel(0).0,
        }
    }
}

/// Times a fetch is asked again after `doc-unavailable` or no answer in [`FETCH_WAIT`].
const FETCH_TRIES: u32 = 10;
const FETCH_WAIT: Duration = Duration::from_secs(5);

/// A connected peer; dropping it closes the connection.
pub struct Peer {
    commands: mpsc::UnboundedSender<Command>,
    traffic: Arc<Traffic>,
    _task: tokio::task::JoinHandle<()>,
}

impl Peer {
    /// Connects to `url` (`ws://…`), with the device's credential if there is one, and completes
    /// the `join` handshake.
    pub async fn connect(
        url: &str,
        credential: Option<&str>,
        me: String,
        traffic: Arc<Traffic>,
    ) -> Result<Peer, String> {
        let mut request = url.into_client_request().map_err(|e| e.to_string())?;
        if let Some(credential) = credential {
            let value = format!("Bearer {credential}")
                .parse()
                .map_err(|_| "a credential that is not a header")?;
            request.headers_mut().insert("authorization", value);
        }
        let (mut socket, _) = tokio_tungstenite::connect_async_with_config(request, None, true)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let join = encode(|e| {
            e.map(3)?
                .str("type")?
                .str("join")?
                .str("senderId")?
                .str(&me)?;
            e.str("supportedProtocolVersions")?.array(1)?.str("1")?;
            Ok(())
        });
        send(&mut socket, join, &traffic).await?;
        let server = loop {
            match socket.next().await {
                Some(Ok(Message::Binary(bytes))) => {
                    traffic
                        .received
                        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    let message = Incoming::read(&bytes)?;
                    if message.kind == "peer" {
                        break message.sender;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(format!("handshake: {e}")),
                None => return Err("closed during the handshake".into()),
            }
        };
        let (commands, receiver) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(socket, me, server, receiver, traffic.clone()));
        Ok(Peer {
            commands,
            traffic,
            _task: task,
        })
    }

    /// Sends a document this peer made; returns once the server has all of it.
    pub async fn upload(&self, document: &str, doc: AutoCommit) -> Result<(), String> {
        let (done, answer) = oneshot::channel();
        self.command(Command::Upload {
            document: document.into(),
            doc: Box::new(doc),
            done,
        })?;
        answer.await.map_err(|_| "the connection ended".to_string())
    }

    /// Asks the server for a document; returns once this peer has everything the server has.
    /// A document the server answers unavailable is asked for again, with a growing pause, as
    /// devices do (it may have been shared with her a moment ago); each retry is counted.
    pub async fn fetch(&self, document: &str) -> Result<(), String> {
        let mut pause = Duration::from_millis(20);
        let mut tries = 0;
        loop {
            let (done, answer) = oneshot::channel();
            self.command(Command::Fetch {
                document: document.into(),
                done,
            })?;
            let answered = tokio::time::timeout(FETCH_WAIT, answer).await;
            match answered {
                Ok(Ok(Ok(()))) => return Ok(()),
                Ok(Ok(Err(_))) | Err(_) if tries < FETCH_TRIES => {
                    tries += 1;
                    self.traffic.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(1));
                }
                Ok(Ok(Err(unavailable))) => return Err(unavailable),
                Err(_) => {
                    return Err(format!(
                        "{document}: no answer in {FETCH_WAIT:?}, {tries} times"
                    ));
                }
                Ok(Err(_)) => return Err("the connection ended".into()),
            }
        }
    }

    /// Types one character into a document this peer holds, counted as keystroke `keystroke`.
    pub fn type_keystroke(&self, document: &str, keystroke: u64) -> Result<(), String> {
        self.command(Command::Type {
            document: document.into(),
            keystroke,
        })
    }

    /// The last keystroke of a document this peer has seen arrive.
    pub async fn keystrokes(&self, document: &str) -> Result<watch::Receiver<u64>, String> {
        let (reply, answer) = oneshot::channel();
        self.command(Command::Watch {
            document: document.into(),
            reply,
        })?;
        answer.await.map_err(|_| "the connection ended".to_string())
    }

    fn command(&self, command: Command) -> Result<(), String> {
        self.commands
            .send(command)
            .map_err(|_| "the connection ended".to_string())
    }
}

/// A document made of `changes` changes of `chars` characters each, as a meeting's notes grow.
pub fn document_with_history(changes: usize, chars: usize) -> AutoCommit {
    let mut doc = AutoCommit::new();
    let text = doc
        .put_object(ROOT, TEXT, ObjType::Text)
        .expect("a text in a new document");
    let line: String = "Notities van het gesprek. "
        .chars()
        .cycle()
        .take(chars)
        .collect();
    for _ in 0..changes {
        let end = doc.text(&text).map(|t| t.chars().count()).unwrap_or(0);
        doc.splice_text(&text, end, 0, &line)
            .expect("text at its end");
        doc.commit();
    }
    doc
}

async fn send(socket: &mut Socket, frame: Vec<u8>, traffic: &Traffic) -> Result<(), String> {
    traffic
        .sent
        .fetch_add(frame.len() as u64, Ordering::Relaxed);
    socket
        .send(Message::Binary(frame.into()))
        .await
        .map_err(|e| format!("send: {e}"))
}

async fn run(
    mut socket: Socket,
    me: String,
    server: String,
    mut commands: mpsc::UnboundedReceiver<Command>,
    traffic: Arc<Traffic>,
) {
    let mut held: HashMap<String, Held> = HashMap::new();
    loop {
        let out = tokio::select! {
            command = commands.recv() => match command {
                Some(command) => obey(&mut held, command, &me, &server),
                None => break,
            },
            frame = socket.next() => match frame {
                Some(Ok(Message::Binary(bytes))) => {
                    traffic.received.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    match Incoming::read(&bytes) {
                        Ok(message) => receive(&mut held, message, &me, &server),
                        Err(_) => break,
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => Vec::new(),
            },
        };
        for frame in out {
            if send(&mut socket, frame, &traffic).await.is_err() {
                return;
            }
        }
    }
}

fn obey(
    held: &mut HashMap<String, Held>,
    command: Command,
    me: &str,
    server: &str,
) -> Vec<Vec<u8>> {
    match command {
        Command::Upload {
            document,
            doc,
            done,
        } => {
            let entry = held
                .entry(document.clone())
                .or_insert_with(|| Held::new(*doc));
            entry.uploading = Some(done);
            outgoing(entry, "sync", me, server, &document)
        }
        Command::Fetch { document, done } => {
            let entry = held
                .entry(document.clone())
                .or_insert_with(|| Held::new(AutoCommit::new()));
            entry.fetching = Some(done);
            let out = outgoing(entry, "request", me, server, &document);
            // The server may have sent it already (it announces what it shares).
            settle(entry);
            out
        }
        Command::Type {
            document,
            keystroke,
        } => {
            let Some(entry) = held.get_mut(&document) else {
                return Vec::new();
            };
            let doc = &mut entry.doc;
            let text = match doc.get(ROOT, TEXT) {
                Ok(Some((Value::Object(ObjType::Text), id))) => id,
                _ => doc
                    .put_object(ROOT, TEXT, ObjType::Text)
                    .expect("a text in the document"),
            };
            let end = doc.text(&text).map(|t| t.chars().count()).unwrap_or(0);
            let letter = char::from(b'a' + (keystroke % 26) as u8).to_string();
            let typed = doc
                .splice_text(&text, end, 0, &letter)
                .and_then(|_| doc.put(ROOT, KEYSTROKE, keystroke));
            if typed.is_err() {
                return Vec::new();
            }
            doc.commit();
            outgoing(entry, "sync", me, server, &document)
        }
        Command::Watch { document, reply } => {
            let entry = held
                .entry(document)
                .or_insert_with(|| Held::new(AutoCommit::new()));
            let _ = reply.send(entry.keystroke.subscribe());
            Vec::new()
        }
    }
}

fn receive(
    held: &mut HashMap<String, Held>,
    message: Incoming,
    me: &str,
    server: &str,
) -> Vec<Vec<u8>> {
    let Some(document) = message.document.clone() else {
        return Vec::new();
    };
    // A document the server offers before this peer asked (it announces what it shares with
    // her) is taken, as an automerge-repo client takes it.
    let entry = match held.entry(document.clone()) {
        std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
        std::collections::hash_map::Entry::Vacant(entry) if message.kind == "sync" => {
            entry.insert(Held::new(AutoCommit::new()))
        }
        std::collections::hash_map::Entry::Vacant(_) => return Vec::new(),
    };
    match message.kind.as_str() {
        "sync" | "request" => {
            let Ok(sync_message) = sync::Message::decode(&message.data) else {
                return Vec::new();
            };
            if entry
                .doc
                .sync()
                .receive_sync_message(&mut entry.state, sync_message)
                .is_err()
            {
                return Vec::new();
            }
            let out = outgoing(entry, "sync", me, server, &document);
            settle(entry);
            out
        }
        "doc-unavailable" => {
            // The server keeps nothing of this sync: asked again, it starts over.
            entry.state = sync::State::new();
            if let Some(fetching) = entry.fetching.take() {
                let _ = fetching.send(Err(format!("{document} is unavailable")));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Answers whoever waits on a document once the sync got where they wait for.
fn settle(entry: &mut Held) {
    let typed = match entry.doc.get(ROOT, KEYSTROKE) {
        Ok(Some((Value::Scalar(value), _))) => match value.as_ref() {
            ScalarValue::Uint(n) => Some(*n),
            ScalarValue::Int(n) => u64::try_from(*n).ok(),
            _ => None,
        },
        _ => None,
    };
    if let Some(n) = typed {
        entry.keystroke.send_if_modified(|seen| {
            let newer = n > *seen;
            *seen = (*seen).max(n);
            newer
        });
    }
    let heads = entry.doc.get_heads();
    if entry.uploading.is_some() && heads.iter().all(|h| entry.state.shared_heads.contains(h)) {
        let _ = entry.uploading.take().map(|done| done.send(()));
    }
    if entry.fetching.is_some()
        && let Some(theirs) = entry.state.their_heads.clone()
        && !theirs.is_empty()
        && theirs
            .iter()
            .all(|h| entry.doc.get_change_by_hash(h).is_some())
    {
        let _ = entry.fetching.take().map(|done| done.send(Ok(())));
    }
}

/// The sync messages this peer owes the server for one document (the first as `kind`).
fn outgoing(entry: &mut Held, kind: &str, me: &str, server: &str, document: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(message) = entry.doc.sync().generate_sync_message(&mut entry.state) {
        let kind = if out.is_empty() { kind } else { "sync" };
        let data = message.encode();
        out.push(encode(|e| {
            e.map(5)?.str("type")?.str(kind)?.str("senderId")?.str(me)?;
            e.str("targetId")?
                .str(server)?
                .str("documentId")?
                .str(document)?;
            e.str("data")?.bytes(&data)?;
            Ok(())
        }));
    }
    out
}

fn encode(
    f: impl FnOnce(
        &mut minicbor::Encoder<&mut Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<std::convert::Infallible>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut minicbor::Encoder::new(&mut out)).expect("encoding into memory cannot fail");
    out
}

/// What this peer reads of a message from the server.
#[derive(Debug, Default)]
struct Incoming {
    kind: String,
    sender: String,
    document: Option<String>,
    data: Vec<u8>,
}

impl Incoming {
    fn read(bytes: &[u8]) -> Result<Incoming, String> {
        let bad = |e: minicbor::decode::Error| format!("a message that is not CBOR: {e}");
        let mut d = minicbor::Decoder::new(bytes);
        let entries = d.map().map_err(bad)?.ok_or("an indefinite map")?;
        let mut message = Incoming::default();
        for _ in 0..entries {
            let key = d.str().map_err(bad)?;
            match (key, d.datatype().map_err(bad)?) {
                ("type", minicbor::data::Type::String) => {
                    message.kind = d.str().map_err(bad)?.into()
                }
                ("senderId", minicbor::data::Type::String) => {
                    message.sender = d.str().map_err(bad)?.into()
                }
                ("documentId", minicbor::data::Type::String) => {
                    message.document = Some(d.str().map_err(bad)?.into())
                }
                ("data", minicbor::data::Type::Bytes) => {
                    message.data = d.bytes().map_err(bad)?.to_vec()
                }
                _ => d.skip().map_err(bad)?,
            }
        }
        Ok(message)
    }
}
