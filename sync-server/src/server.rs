//! The HTTP side: routes, start-up and clean shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use mentoring::store::Store;
use mentoring::sync::SYNC_PATH;
use samod::{AcceptorHandle, Repo};
use tokio::sync::watch;

use crate::Config;
use crate::access::Gate;
use crate::limits::Limiter;
use crate::registry::{Registry, RegistryError};
use crate::{api, connection};

/// The server's file in its data directory.
pub const DATABASE_FILE: &str = "sync-server.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] mentoring::store::StoreError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("cannot write the setup key to {0}: {1}")]
    SetupKey(String, std::io::Error),
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
    pub repo: Repo,
    pub registry: Registry,
    pub gate: Gate,
    pub limiter: Arc<Limiter>,
    /// Needed to set up a programme on this server.
    pub setup_key: String,
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
    let registry = Registry::open(&db_path)?;
    let setup_key = setup_key(&config, &registry)?;
    let gate = Gate::new(registry.clone());
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
        repo: repo.clone(),
        registry,
        gate,
        limiter: Arc::default(),
        setup_key,
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
        .route("/join/{code}", get(join_page))
        .route("/api/programmes", post(api::create_programme))
        .route("/api/programmes/{id}/status", get(api::programme_status))
        .route("/api/invitations", post(api::create_invitation))
        .route("/api/invitations/revoke", post(api::revoke_invitation))
        .route("/api/invitations/lookup", post(api::lookup_invitation))
        .route("/api/invitations/accept", post(api::accept_invitation))
        .route("/api/invitations/decline", post(api::decline_invitation))
        .route("/api/documents", post(api::register_document))
        .route("/api/directory", get(api::directory))
        .route("/api/groups", post(api::create_group))
        .route("/api/groups/dissolve", post(api::dissolve_group))
        .route("/api/withdraw", post(api::withdraw))
        .with_state(app);
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let serve = axum::serve(listener, service).with_graceful_shutdown(async move {
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

/// The key a coordinator needs to set up a programme: from the configuration, or made once and
/// kept in the registry. Written to `setup-key.txt` in the data directory for the administrator.
fn setup_key(config: &Config, registry: &Registry) -> Result<String, ServerError> {
    let key = match &config.setup_key {
        Some(key) => key.trim().to_owned(),
        None => match registry.setting("setup_key")? {
            Some(key) => key,
            None => {
                let key = mentoring::codes::display(&mentoring::codes::new_code());
                registry.set_setting("setup_key", &key)?;
                key
            }
        },
    };
    let file = config.data_dir.join("setup-key.txt");
    std::fs::write(&file, format!("{key}\n"))
        .map_err(|e| ServerError::SetupKey(file.display().to_string(), e))?;
    tracing::info!(file = %file.display(), "the setup key for new programmes is in this file");
    Ok(key)
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

/// The page an invitation link opens: the code, and how to use it in the app.
async fn join_page(Path(code): Path<String>) -> Html<String> {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(20)
        .collect();
    Html(format!(
        "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Peer Mentoring</title>\
         <body style=\"font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem\">\
         <h1>Peer Mentoring</h1>\
         <p>Je bent uitgenodigd voor een mentoringprogramma. Open de Peer Mentoring-app, kies \
         <em>Ik heb een uitnodigingscode</em> en vul deze code in:</p>\
         <p style=\"font-size: 1.6rem; font-weight: 700; letter-spacing: .1em\">{code}</p>\
         <p>Je ziet dan wat het programma is en kiest zelf of je meedoet.</p>\
         <hr><p lang=\"en\">You have been invited to a mentoring programme. Open the Peer Mentoring app, \
         choose <em>I have an invitation code</em> and enter the code above. You will see what the \
         programme is and decide yourself whether to take part.</p></body></html>"
    ))
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
        Err(e) => {
            tracing::warn!(error = %e, "refused a sync connection");
            return (StatusCode::UNAUTHORIZED, e.to_string()).into_response();
        }
    };
    // Let frames up to four times the limit through the websocket layer, so that an oversized
    // message is refused by us with a clear close reason instead of a bare protocol error.
    let transport_limit = app.max_message_bytes.saturating_mul(4);
    upgrade
        .max_message_size(transport_limit)
        .max_frame_size(transport_limit)
        .on_upgrade(move |socket| connection::serve(app, socket, identity))
}
