//! Start-up, the routes, the accept loop (a header-read timeout and a cap on open sockets, so
//! idle or slow clients cannot hold the server) and clean shutdown.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use pm_domain::wire::SYNC_PATH;
use pm_store::{StorageHealth, Store};
use samod::Repo;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::Config;
use crate::access::Gate;
use crate::limits::{Guard, Limits, Rate};
use crate::registry::{Registry, RegistryError};
use crate::state::{App, ConnectionLimits, SetupKey};
use crate::{api, connection};

/// The server's file in its data directory.
pub const DATABASE_FILE: &str = "sync-server.sqlite";
/// The peer id the server's sync engine announces.
pub const SERVER_PEER_ID: &str = "peer-mentoring-sync-server";
/// Largest JSON body the API reads.
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] pm_store::StoreError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("cannot write the setup key to {0}: {1}")]
    SetupKey(String, std::io::Error),
    #[error("the setup key may not be empty")]
    EmptySetupKey,
    #[error("cannot listen on {0}: {1}")]
    Listen(std::net::SocketAddr, std::io::Error),
    #[error("the sync engine stopped")]
    Stopped,
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
    restrict_to_owner(&db_path);
    let setup_key = setup_key(&config, &registry)?;
    let gate = Gate::new(registry.clone());
    let repo = Repo::build_tokio()
        .with_storage(store.clone())
        .with_peer_id(samod::PeerId::from(SERVER_PEER_ID))
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
    let idle_timeout = Duration::from_secs(config.idle_timeout_secs.max(3));
    // Writes the disk refused are tried again on a timer, not only when the next one comes.
    let retrying = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(STORE_RETRY_EVERY);
        loop {
            every.tick().await;
            retrying.retry();
        }
    });
    let app = App {
        acceptor,
        repo: repo.clone(),
        store: store.clone(),
        registry,
        gate,
        guard: Arc::new(Guard::new(limits(&config))),
        setup_key: Arc::new(setup_key),
        max_message_bytes: config.max_message_bytes,
        connection_limits: ConnectionLimits {
            max_total: config.max_connections,
            max_per_device: config.max_connections_per_device,
            ping_every: idle_timeout / 3,
            idle_timeout,
            send_timeout: Duration::from_secs(config.send_timeout_secs.max(1)),
        },
        connections: Arc::default(),
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
    let connections = app.connections.clone();
    let router = routes(app);
    let sockets = Arc::new(Semaphore::new(config.max_connections.saturating_add(1024)));
    let header_timeout = Duration::from_secs(config.header_timeout_secs.max(1));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = sockets.clone().try_acquire_owned() else {
            tracing::warn!("too many open sockets; refusing a new one");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // A socket that sends nothing is closed after the header timeout too.
            let mut first = [0u8; 1];
            if !matches!(
                tokio::time::timeout(header_timeout, stream.peek(&mut first)).await,
                Ok(Ok(1..))
            ) {
                return;
            }
            let service = hyper::service::service_fn(
                move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(client));
                    let router = router.clone();
                    async move { Ok::<_, Infallible>(router.oneshot(request).await.into_response()) }
                },
            );
            let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .into_owned();
            let _ = watcher.watch(connection).await;
            drop(permit);
        });
    }
    tracing::info!("shutting down: no new connections; closing open ones");
    let _ = shutdown_tx.send(true);
    // Websocket handlers close their sockets on the shutdown signal; give them a moment.
    for _ in 0..50 {
        if connections.open() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
    repo.stop().await;
    store.checkpoint()?;
    tracing::info!("storage flushed; bye");
    Ok(())
}

fn routes(app: App) -> Router {
    Router::new()
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
        .route("/api/devices", get(api::devices))
        .route("/api/devices/link", post(api::link_device))
        .route("/api/devices/join", post(api::join_device))
        .route("/api/devices/remove", post(api::remove_device))
        .route("/api/documents", post(api::register_document))
        .route("/api/directory", get(api::directory))
        .route("/api/groups", post(api::create_group))
        .route("/api/groups/dissolve", post(api::dissolve_group))
        .route("/api/withdraw", post(api::withdraw))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app)
}

fn limits(config: &Config) -> Limits {
    let defaults = Limits::default();
    Limits {
        per_address: Rate {
            capacity: config.wrong_codes_per_address.max(1),
            ..defaults.per_address
        },
        total: Rate {
            capacity: config.wrong_codes_total.max(1),
            ..defaults.total
        },
        ..defaults
    }
}

/// Makes a file readable and writable by the server's user only.
fn restrict_to_owner(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            tracing::warn!(file = %path.display(), error = %e, "could not restrict a file to its owner");
        }
    }
}

/// The key a coordinator needs to set up a programme, kept only as a hash: from the
/// configuration, or made once and shown to the administrator in `setup-key.txt` (mode 0600).
fn setup_key(config: &Config, registry: &Registry) -> Result<SetupKey, ServerError> {
    const SETTING: &str = "setup_key_sha256";
    if let Some(key) = &config.setup_key {
        if key.trim().is_empty() {
            return Err(ServerError::EmptySetupKey);
        }
        let digest = SetupKey::digest_of(key);
        registry.set_setting(SETTING, &hex(&digest))?;
        return Ok(SetupKey::from_digest(digest));
    }
    let file = config.data_dir.join("setup-key.txt");
    if let Some(digest) = registry.setting(SETTING)?.and_then(|h| unhex(&h)) {
        if file.exists() {
            tracing::info!(file = %file.display(), "the setup key for new programmes is in this file");
        } else {
            tracing::info!(
                "the setup key was shown once in setup-key.txt; to set a new one, start with --setup-key"
            );
        }
        return Ok(SetupKey::from_digest(digest));
    }
    let key = pm_domain::codes::display(&pm_domain::codes::new_code());
    write_private(&file, &format!("{key}\n"))
        .map_err(|e| ServerError::SetupKey(file.display().to_string(), e))?;
    let digest = SetupKey::digest_of(&key);
    registry.set_setting(SETTING, &hex(&digest))?;
    tracing::info!(file = %file.display(), "the setup key for new programmes is in this file");
    Ok(SetupKey::from_digest(digest))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
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

/// How often writes the disk refused are tried again.
const STORE_RETRY_EVERY: Duration = Duration::from_secs(5);

#[derive(serde::Serialize)]
struct Health {
    /// "ok", or "degraded" while writes the disk refused are held in memory.
    status: &'static str,
    version: &'static str,
    connections: usize,
    /// Document writes held in memory, waiting for the disk.
    waiting_writes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    storage_error: Option<String>,
}

/// Answers 200 also when degraded: the server still serves everything from memory, and a
/// supervisor that restarted it on a failing health check would lose what is waiting.
async fn health(State(app): State<App>) -> Json<Health> {
    let storage = app.store.health().borrow().clone();
    let (status, waiting_writes, storage_error) = match storage {
        StorageHealth::Ok => ("ok", 0, None),
        StorageHealth::Failing { waiting, error } => ("degraded", waiting, Some(error)),
    };
    Json(Health {
        status,
        version: env!("CARGO_PKG_VERSION"),
        connections: app.connections.open(),
        waiting_writes,
        storage_error,
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
    let slot = match app
        .connections
        .admit(&identity.peer, &app.connection_limits)
    {
        Ok(slot) => slot,
        Err(e) => {
            tracing::warn!(error = %e, "refused a sync connection");
            return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
        }
    };
    // The size limit is enforced while a message is read, not after it was buffered.
    upgrade
        .max_message_size(app.max_message_bytes)
        .max_frame_size(app.max_message_bytes)
        .on_upgrade(move |socket| connection::serve(app, socket, identity, slot))
}
