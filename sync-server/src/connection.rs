//! One device's websocket: frames are checked and screened ([`crate::frames`]) and handed to
//! samod; samod's replies go back out. A bad frame, a shutdown, a revoked credential, a device
//! that stops reading or goes silent, or samod ending the connection closes the socket with a
//! code and a reason.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::channel::mpsc;
use futures::{SinkExt, StreamExt};
use pm_domain::access::Access;
use samod::Transport;

use crate::access::Identity;
use crate::frames::{self, Refusal, Screen, Verdict};
use crate::server::SERVER_PEER_ID;
use crate::state::App;
use crate::state::ConnectionSlot;

const GOING_AWAY: u16 = 1001;
const NORMAL: u16 = 1000;
/// How often a connection records that its device was seen (for the coordinator's "last sync").
const SEEN_EVERY: Duration = Duration::from_secs(30);
/// Decisions remembered per connection before the cache starts afresh.
const ACCESS_CACHE: usize = 4096;

/// Serves one upgraded websocket until it closes. `slot` counts it against the caps.
pub async fn serve(app: App, socket: WebSocket, identity: Identity, slot: ConnectionSlot) {
    let peer = samod::PeerId::from(identity.peer.as_str());
    let (mut to_device, mut from_device) = socket.split();
    let (mut to_repo, repo_inbox) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(16);
    let (repo_outbox, mut from_repo) = mpsc::channel::<Vec<u8>>(16);
    let transport = Transport::new(repo_inbox, repo_outbox).with_expected_peer_id(peer.clone());
    if app.acceptor.accept(transport).is_err() {
        close(&mut to_device, GOING_AWAY, "server shutting down").await;
        return;
    }
    let limits = app.connection_limits;
    let mut screen = Screen::new(&identity.peer, Instant::now());
    let mut access: HashMap<String, Access> = HashMap::new();
    let mut registry = app.registry.changes();
    let mut seen = app.registry.change_mark();
    registry.borrow_and_update();
    let mut shutdown = app.shutdown.clone();
    let mut last_seen: Option<Instant> = None;
    let mut heard = Instant::now();
    let mut ping = tokio::time::interval(limits.ping_every);
    ping.reset();
    // Answers the screen makes itself (doc-unavailable, pings) go out through the writer too.
    let (mut answers, mut answers_out) = mpsc::channel::<Message>(16);
    // The writer always drains samod's replies, so samod never waits on us while we wait on it
    // (two bounded queues, one per direction, that each wait on the other would deadlock a
    // device that sends a burst of changes).
    let writer = async {
        loop {
            let message = tokio::select! {
                outgoing = from_repo.next() => match outgoing {
                    Some(bytes) => Message::Binary(bytes.into()),
                    None => return (NORMAL, "sync session ended".to_owned()),
                },
                Some(answer) = answers_out.next() => answer,
            };
            if !send_message(&mut to_device, message, limits.send_timeout).await {
                return too_slow(&identity);
            }
        }
    };
    let reader = async {
        loop {
            tokio::select! {
                incoming = from_device.next() => {
                    heard = Instant::now();
                    match incoming {
                        Some(Ok(Message::Binary(bytes))) => {
                            let frame = match frames::check_binary(&bytes, app.max_message_bytes) {
                                Ok(frame) => frame,
                                Err(refusal) => return refuse(&identity, refusal),
                            };
                            let verdict = screen.judge(&frame, heard, |doc| {
                                if access.len() >= ACCESS_CACHE {
                                    access.clear();
                                }
                                *access
                                    .entry(doc.to_owned())
                                    .or_insert_with(|| app.gate.access(doc, &identity.peer))
                                    != Access::None
                            });
                            match verdict {
                                Verdict::Pass => {
                                    if last_seen.is_none_or(|t| t.elapsed() > SEEN_EVERY) {
                                        last_seen = Some(Instant::now());
                                        app.seen.heard(&identity.peer);
                                    }
                                    if to_repo.send(Ok(bytes.to_vec())).await.is_err() {
                                        return (NORMAL, String::new());
                                    }
                                }
                                Verdict::Unavailable(doc) => {
                                    let answer = frames::doc_unavailable(SERVER_PEER_ID, &identity.peer, &doc);
                                    if !answer_with(&mut answers, Message::Binary(answer.into()), limits.send_timeout).await {
                                        return too_slow(&identity);
                                    }
                                }
                                Verdict::Drop => {}
                                Verdict::Refuse(refusal) => return refuse(&identity, refusal),
                            }
                        }
                        Some(Ok(Message::Text(_))) => return refuse(&identity, frames::text_refusal()),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                        Some(Ok(Message::Close(_))) | None => return (NORMAL, String::new()),
                        Some(Err(e)) if frames::peer_went_away(&e.to_string()) => {
                            tracing::debug!(peer = %identity.peer, error = %e, "the device went away without closing");
                            return (NORMAL, String::new());
                        }
                        Some(Err(e)) => {
                            let refusal = Refusal { code: frames::TOO_BIG, reason: format!("unreadable frame: {e}") };
                            return refuse(&identity, refusal);
                        }
                    }
                },
                changed = registry.changed() => {
                    if changed.is_err() {
                        return (GOING_AWAY, "server shutting down".to_owned());
                    }
                    let (touched, mark) = app.registry.touched_since(seen);
                    seen = mark;
                    if touched.concerns(Some(&identity.person), None) {
                        access.clear();
                    }
                    if touched.touches_person(&identity.person) {
                        match app.registry.device_active(&identity.peer) {
                            Ok(true) => {}
                            Ok(false) => {
                                tracing::info!(peer = %identity.peer, "credential revoked; closing its connection");
                                return (frames::POLICY, "this device no longer has access".to_owned());
                            }
                            Err(e) => tracing::error!(error = %e, "could not check a device's credential"),
                        }
                    }
                }
                _ = ping.tick() => {
                    if heard.elapsed() > limits.idle_timeout {
                        return (GOING_AWAY, "idle for too long".to_owned());
                    }
                    if !answer_with(&mut answers, Message::Ping(Vec::new().into()), limits.send_timeout).await {
                        return too_slow(&identity);
                    }
                }
                _ = shutdown.changed() => {
                    return (GOING_AWAY, "server shutting down".to_owned());
                }
            }
        }
    };
    let (code, reason) = tokio::select! {
        ended = writer => ended,
        ended = reader => ended,
    };
    // Ending samod's inbound stream ends the samod connection.
    to_repo.close_channel();
    if tokio::time::timeout(limits.send_timeout, close(&mut to_device, code, &reason))
        .await
        .is_err()
    {
        tracing::debug!(peer = %identity.peer, "the device did not take the close frame");
    }
    tracing::debug!(peer = %identity.peer, code, %reason, "connection closed");
    drop(slot);
}

/// Queues an answer of the server's own for the writer, giving up after `timeout`. False if the
/// writer did not take it (the device stopped reading).
async fn answer_with(
    answers: &mut mpsc::Sender<Message>,
    message: Message,
    timeout: Duration,
) -> bool {
    matches!(
        tokio::time::timeout(timeout, answers.send(message)).await,
        Ok(Ok(()))
    )
}

/// Sends one message, giving up after `timeout` (a device that stops reading is not buffered for
/// without limit). False if it did not go out.
async fn send_message(
    to_device: &mut futures::stream::SplitSink<WebSocket, Message>,
    message: Message,
    timeout: Duration,
) -> bool {
    matches!(
        tokio::time::timeout(timeout, to_device.send(message)).await,
        Ok(Ok(()))
    )
}

fn too_slow(identity: &Identity) -> (u16, String) {
    tracing::info!(peer = %identity.peer, "a device stopped reading; disconnected");
    (frames::POLICY, "too slow to read".to_owned())
}

fn refuse(identity: &Identity, refusal: Refusal) -> (u16, String) {
    tracing::warn!(peer = %identity.peer, code = refusal.code, reason = %refusal.reason, "refused a frame; closing the connection");
    (refusal.code, refusal.reason)
}

async fn close(
    to_device: &mut futures::stream::SplitSink<WebSocket, Message>,
    code: u16,
    reason: &str,
) {
    // A close reason may be at most 123 bytes (RFC 6455).
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let frame = CloseFrame {
        code,
        reason: reason[..end].into(),
    };
    let _ = to_device.send(Message::Close(Some(frame))).await;
    let _ = to_device.close().await;
}
