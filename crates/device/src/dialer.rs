//! The desktop's dialer of the sync server's websocket (tokio-tungstenite), presenting the
//! device's credential in the `Authorization` header. Not in a browser build: a browser cannot set
//! that header and dials with a sync ticket instead.

use futures::{SinkExt, StreamExt, TryStreamExt, future::BoxFuture};
use samod::{DialError, Transport};
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest};
use url::Url;

use crate::runtime;
use crate::sync::{DIAL_TIMEOUT, DialFailure};

/// Dials the sync server's websocket, presenting the device's credential if it has one.
pub(crate) struct WebSocketDialer {
    pub(crate) url: Url,
    pub(crate) credential: Option<String>,
}

impl samod::Dialer for WebSocketDialer {
    type Error = DialFailure;

    fn url(&self) -> Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<DialFailure>>> {
        let url = self.url.clone();
        let credential = self.credential.clone();
        Box::pin(async move {
            let mut request = url
                .as_str()
                .into_client_request()
                .map_err(|e| DialError::PermanentFailure(DialFailure(e.to_string())))?;
            if let Some(credential) = credential {
                let value = format!("Bearer {credential}").parse().map_err(|_| {
                    DialError::PermanentFailure(DialFailure("bad credential".into()))
                })?;
                request.headers_mut().insert("authorization", value);
            }
            let (socket, _) = runtime::within(
                DIAL_TIMEOUT,
                // Nagle's algorithm off, as on the server's side: a keystroke's small message
                // leaves at once instead of waiting for the previous one's acknowledgement.
                tokio_tungstenite::connect_async_with_config(request, None, true),
            )
            .await
            .ok_or_else(|| DialError::TransientFailure("timed out".into()))?
            .map_err(|e| match e {
                tungstenite::Error::Http(response)
                    if matches!(response.status().as_u16(), 401 | 403) =>
                {
                    DialError::PermanentFailure(DialFailure(format!(
                        "the server refused this device ({})",
                        response.status()
                    )))
                }
                other => DialError::transient(other),
            })?;
            let (sink, stream) = socket.split();
            let stream = stream
                .try_filter_map(|message| async move {
                    match message {
                        Message::Binary(bytes) => Ok(Some(bytes.to_vec())),
                        Message::Text(_) => Err(tungstenite::Error::Io(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "the server sent a text frame",
                        ))),
                        Message::Close(frame) => {
                            if let Some(frame) = frame {
                                tracing::warn!(code = %frame.code, reason = %frame.reason, "the sync server closed the connection");
                            }
                            Ok(None)
                        }
                        Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => Ok(None),
                    }
                })
                .boxed();
            let sink = sink.with(|bytes: Vec<u8>| async move {
                Ok::<_, tungstenite::Error>(Message::Binary(bytes.into()))
            });
            Ok(Transport::new(stream, Box::pin(sink)))
        })
    }
}
