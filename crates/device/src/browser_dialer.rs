//! The browser's dialer of the sync server's websocket. A browser cannot set an `Authorization`
//! header on a websocket, so each attempt first trades the device's credential (HTTPS, bearer
//! header) for a single-use sync ticket and presents that at the upgrade as `/sync?ticket=…`; the
//! credential never appears in an address. Only in a browser build.

use std::pin::Pin;

use futures::channel::mpsc;
use futures::future::{BoxFuture, poll_fn};
use futures::{Sink, SinkExt, StreamExt};
use gloo_net::websocket::futures::WebSocket;
use gloo_net::websocket::{Message, State};
use samod::{DialError, Transport};
use send_wrapper::SendWrapper;
use url::Url;

use crate::client::{ApiFailure, ServerApi};
use crate::runtime;
use crate::sync::{DIAL_TIMEOUT, DialFailure};

/// Dials the sync server's websocket with a fresh sync ticket for each attempt.
pub(crate) struct TicketDialer {
    /// The server's base address (for the ticket).
    pub(crate) server: Url,
    /// Its sync socket's address.
    pub(crate) url: Url,
    pub(crate) credential: Option<String>,
}

fn transient(reason: impl ToString) -> DialError<DialFailure> {
    DialError::TransientFailure(reason.to_string().into())
}

impl samod::Dialer for TicketDialer {
    type Error = DialFailure;

    fn url(&self) -> Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<DialFailure>>> {
        let (server, mut url, credential) = (
            self.server.clone(),
            self.url.clone(),
            self.credential.clone(),
        );
        // The browser's socket and fetch live on this page's one thread.
        Box::pin(SendWrapper::new(async move {
            let credential = credential.ok_or_else(|| {
                DialError::PermanentFailure(DialFailure("this device has no credential".into()))
            })?;
            let ticket = match ServerApi::new(&server).sync_ticket(&credential).await {
                Ok(ticket) => ticket.ticket,
                Err(ApiFailure::Refused(e))
                    if matches!(e.code.as_str(), "unauthorized" | "device_erased") =>
                {
                    return Err(DialError::PermanentFailure(DialFailure(format!(
                        "the server refused this device ({})",
                        e.message
                    ))));
                }
                Err(e) => return Err(transient(e)),
            };
            url.query_pairs_mut().append_pair("ticket", &ticket);
            let mut socket = WebSocket::open(url.as_str()).map_err(transient)?;
            // Wait until the socket is open (or failed): the sink is ready from then on.
            let _ = runtime::within(
                DIAL_TIMEOUT,
                poll_fn(|cx| Pin::new(&mut socket).poll_ready(cx)),
            )
            .await
            .ok_or_else(|| transient("timed out"))?;
            if !matches!(socket.state(), State::Open) {
                return Err(transient("the sync server could not be reached"));
            }
            let (sink, stream) = socket.split();
            let stream = stream.filter_map(|message| async move {
                match message {
                    Ok(Message::Bytes(bytes)) => Some(Ok(bytes)),
                    Ok(Message::Text(_)) => {
                        Some(Err(DialFailure("the server sent a text frame".into())))
                    }
                    Err(e) => Some(Err(DialFailure(e.to_string()))),
                }
            });
            // samod's sink must be `Send`: it feeds a channel, and a task on the page writes the
            // socket. When the socket fails the task ends, the channel closes, and samod redials.
            let (outbox, mut outgoing) = mpsc::channel::<Vec<u8>>(16);
            let mut sink = sink;
            wasm_bindgen_futures::spawn_local(async move {
                while let Some(bytes) = outgoing.next().await {
                    if let Err(e) = sink.send(Message::Bytes(bytes)).await {
                        tracing::info!(error = %e, "the sync socket closed");
                        break;
                    }
                }
                let _ = sink.close().await;
            });
            Ok(Transport::new(SendWrapper::new(Box::pin(stream)), outbox))
        }))
    }
}
