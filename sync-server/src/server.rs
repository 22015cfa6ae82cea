//! The HTTP side: routes, start-up and clean shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use mentoring::store::Store;
use mentoring::sync::SYNC_PATH;
use samod::{AcceptorHandle, Repo};
use tokio::sync::watch;

use crate::Config;
use crate::access::Gate;
use crate::connection;

/// The server's file in its data directory.
pub const DATABASE_FILE: &str = "sync-server.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] mentoring::store::StoreError),
    #[error("cannot listen on {0}: {1}")]
    Listen(std::net::SocketAddr, std::io::Error),
    #[error("the sync engine stopped")]
    Stopped,
    #[error("serving failed: {0}")]
    Serve(std::io::Error),
}

/// What every request handler shares.
#[derive(Clone)]
pub struct App {
    pub acceptor: AcceptorHandle,
    pub gate: Gate,
    pub max_message_bytes: usize,
    pub open_connections: Arc<AtomicUsize>,
    /// Becomes true when the server is shutting down.
    pub shutdown: watch::Receiver<bool>,
}

/// Runs the server until `stop` resolves, then shuts down cleanly.
pub async fn run(
    config: Config,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| ServerError::DataDir(config.data_dir.display().to_string(), e))?;
    let db_path = config.data_dir.join(DATABASE_FILE);
    let store = Store::open(&db_path)?;
    let gate = Gate;
    let repo = Repo::build_tokio()
        .with_storage(store.clone())
        .with_peer_id(samod::PeerId::from("peer-mentoring-sync-server"))
        .with_share_policy({
            let gate = gate.clone();
            move |doc, peer| gate.share(doc, peer)
        })
        .load()
        .await;
    let url = url::Url::parse(&format!("ws://{}{SYNC_PATH}", config.listen))
        .map_err(|_| ServerError::Stopped)?;
    let acceptor = repo.make_acceptor(url).map_err(|_| ServerError::Stopped)?;
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let app = App {
        acceptor,
        gate,
        max_message_bytes: config.max_message_bytes,
        open_connections: Arc::default(),
        shutdown: shutdown_rx,
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServerError::Listen(config.listen, e))?;
    let (chunks, bytes) = store.chunk_stats()?;
    tracing::info!(
        listen = %config.listen,
        data = %db_path.display(),
        chunks,
        bytes,
        "sync server listening; websocket at {SYNC_PATH}, health at /health"
    );
    let open = app.open_connections.clone();
    let router = Router::new()
        .route("/health", get(health))
        .route(SYNC_PATH, get(sync))
        .with_state(app);
    let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
        stop.await;
        tracing::info!("shutting down: no new connections; closing open ones");
        let _ = shutdown_tx.send(true);
    });
    serve.await.map_err(ServerError::Serve)?;
    // Websocket handlers close their sockets on the shutdown signal; give them a moment to finish.
    for _ in 0..50 {
        if open.load(Ordering::SeqCst) == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    repo.stop().await;
    store.checkpoint()?;
    tracing::info!("storage flushed; bye");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    connections: usize,
}

async fn health(State(app): State<App>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        connections: app.open_connections.load(Ordering::SeqCst),
    })
}

async fn sync(State(app): State<App>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    let identity = match app.gate.authenticate(&headers) {
        Ok(identity) => identity,
        Err(e) => return (StatusCode::UNAUTHORIZED, e.to_string()).into_response(),
    };
    // Let frames up to four times the limit through the websocket layer, so that an oversized
    // message is refused by us with a clear close reason instead of a bare protocol error.
    let transport_limit = app.max_message_bytes.saturating_mul(4);
    upgrade
        .max_message_size(transport_limit)
        .max_frame_size(transport_limit)
        .on_upgrade(move |socket| connection::serve(app, socket, identity))
}
