//! One device's websocket: frames are checked ([`crate::frames`]) and handed to samod; samod's
//! replies go back out. A bad frame, a shutdown, or samod ending the connection closes the socket
//! with a code and a reason.

use std::sync::atomic::Ordering;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::channel::mpsc;
use futures::{SinkExt, StreamExt};
use samod::Transport;

use crate::access::Identity;
use crate::frames::{self, Refusal};
use crate::server::App;

const GOING_AWAY: u16 = 1001;
/// How often a connection records that its device was seen (for the coordinator's "last sync").
const SEEN_EVERY: std::time::Duration = std::time::Duration::from_secs(30);
const NORMAL: u16 = 1000;

/// Serves one upgraded websocket until it closes.
pub async fn serve(app: App, socket: WebSocket, identity: Identity) {
    app.open_connections.fetch_add(1, Ordering::SeqCst);
    let peer = Some(samod::PeerId::from(identity.peer.as_str()));
    let mut last_seen: Option<std::time::Instant> = None;
    let (mut to_device, mut from_device) = socket.split();
    let (mut to_repo, repo_inbox) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(16);
    let (repo_outbox, mut from_repo) = mpsc::channel::<Vec<u8>>(16);
    let mut transport = Transport::new(repo_inbox, repo_outbox);
    if let Some(peer) = peer.clone() {
        transport = transport.with_expected_peer_id(peer);
    }
    if app.acceptor.accept(transport).is_err() {
        close(&mut to_device, GOING_AWAY, "server shutting down").await;
        app.open_connections.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let mut shutdown = app.shutdown.clone();
    let (code, reason) = loop {
        tokio::select! {
            incoming = from_device.next() => match incoming {
                Some(Ok(Message::Binary(bytes))) => {
                    if let Err(refusal) = frames::check_binary(&bytes, app.max_message_bytes) {
                        break refuse(&peer, refusal);
                    }
                    if last_seen.is_none_or(|t| t.elapsed() > SEEN_EVERY) {
                        last_seen = Some(std::time::Instant::now());
                        if let Err(e) = app.registry.seen(&identity.peer) {
                            tracing::warn!(error = %e, "could not record when a device was seen");
                        }
                    }
                    if to_repo.send(Ok(bytes.to_vec())).await.is_err() {
                        break (NORMAL, String::new());
                    }
                }
                Some(Ok(Message::Text(_))) => break refuse(&peer, frames::text_refusal()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None => break (NORMAL, String::new()),
                Some(Err(e)) => {
                    let refusal = Refusal { code: frames::TOO_BIG, reason: format!("unreadable frame: {e}") };
                    break refuse(&peer, refusal);
                }
            },
            outgoing = from_repo.next() => match outgoing {
                Some(bytes) => {
                    if to_device.send(Message::Binary(bytes.into())).await.is_err() {
                        break (NORMAL, String::new());
                    }
                }
                None => break (NORMAL, "sync session ended".to_owned()),
            },
            _ = shutdown.changed() => {
                break (GOING_AWAY, "server shutting down".to_owned());
            }
        }
    };
    // Ending samod's inbound stream ends the samod connection.
    to_repo.close_channel();
    close(&mut to_device, code, &reason).await;
    tracing::debug!(?peer, code, %reason, "connection closed");
    app.open_connections.fetch_sub(1, Ordering::SeqCst);
}

fn refuse(peer: &Option<samod::PeerId>, refusal: Refusal) -> (u16, String) {
    tracing::warn!(?peer, code = refusal.code, reason = %refusal.reason, "refused a frame; closing the connection");
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
