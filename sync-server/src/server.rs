//! Start-up, the accept loop (a header-read timeout and a cap on open sockets, so idle or slow
//! clients cannot hold the server) and clean shutdown.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use pm_domain::wire::SYNC_PATH;
use pm_store::Store;
use samod::Repo;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::Config;
use crate::access::Gate;
use crate::chunks::{ChunkStore, Chunks};
use crate::db::{Database, DbError};
use crate::limits::{Guard, Limits, Rate};
use crate::postgres::Postgres;
use crate::registry::{Registry, RegistryError};
use crate::seen::Seen;
use crate::state::{App, ConnectionLimits};
use crate::{routes, setup};

/// The server's file in its data directory.
pub const DATABASE_FILE: &str = "sync-server.sqlite";
/// The peer id the server's sync engine announces.
pub const SERVER_PEER_ID: &str = "peer-mentoring-sync-server";

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] pm_store::StoreError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("the database: {0}")]
    Database(#[from] DbError),
    #[error(
        "--database takes a postgres:// address (leave it out for SQLite in the data directory)"
    )]
    DatabaseAddress,
    #[error("cannot write the setup key to {0}: {1}")]
    SetupKey(String, std::io::Error),
    #[error("the setup key may not be empty")]
    EmptySetupKey,
    #[error("cannot listen on {0}: {1}")]
    Listen(std::net::SocketAddr, std::io::Error),
    #[error("cannot start the thread that writes documents: {0}")]
    Writer(std::io::Error),
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
    let (store, registry, postgres) = open_storage(&config)?;
    let chunks = Chunks::start(store).map_err(ServerError::Writer)?;
    let setup_key = setup::setup_key(&config, &registry)?;
    let gate = Gate::new(registry.clone());
    let doorbell = Arc::new(crate::doorbell::Doorbell::default());
    let doorbell_task = tokio::spawn(crate::doorbell::follow(registry.clone(), doorbell.clone()));
    let repo = Repo::build_tokio()
        .with_storage(chunks.clone())
        .with_peer_id(samod::PeerId::from(SERVER_PEER_ID))
        // A connection joins a document when its device asks for it: devices ask for every
        // document in their directory, and a server joining every connection to every document
        // does work that grows with connections times documents (bench/README.md).
        .with_document_connections(samod::DocumentConnections::OnRequest)
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
    let retrying = chunks.clone();
    let retry_task = tokio::spawn(async move {
        let mut every = tokio::time::interval(STORE_RETRY_EVERY);
        loop {
            every.tick().await;
            retrying.retry();
        }
    });
    // Other servers on the same database: their writes reach this one.
    let follower_task = postgres.clone().map(|pg| {
        let (registry, repo) = (registry.clone(), repo.clone());
        tokio::spawn(async move {
            // A server that stopped following would serve stale documents and access: a panic
            // in it is logged and it starts again.
            loop {
                let following = crate::follower::follow(pg.clone(), registry.clone(), repo.clone());
                if futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(following))
                    .await
                    .is_ok()
                {
                    return;
                }
                tracing::error!("following the other servers failed; starting again");
                tokio::time::sleep(crate::follower::CHECK_EVERY).await;
            }
        })
    });
    // Retention: at start, then every hour.
    let retaining = registry.clone();
    let sweeping = chunks.clone();
    let keep_days = config.invitation_retention_days;
    let retention_task = tokio::spawn(async move {
        let mut every = tokio::time::interval(RETENTION_EVERY);
        loop {
            every.tick().await;
            match retaining.apply_retention(keep_days) {
                Ok(0) => {}
                Ok(n) => tracing::info!(invitations = n, "invitations past retention erased"),
                Err(e) => {
                    tracing::error!(error = %e, "applying retention failed; trying again later")
                }
            }
            sweep_erased(&retaining, &sweeping);
            retaining.forget_old_changes();
        }
    });
    let seen = Arc::new(Seen::default());
    let heard = seen.clone();
    let seeing = registry.clone();
    let seen_task = tokio::spawn(async move {
        let mut every = tokio::time::interval(Seen::WRITE_EVERY);
        loop {
            every.tick().await;
            write_seen(&seeing, &heard).await;
        }
    });
    let app = App {
        acceptor,
        repo: repo.clone(),
        chunks: chunks.clone(),
        registry: registry.clone(),
        gate,
        doorbell,
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
        seen: seen.clone(),
        tickets: Arc::new(match &postgres {
            Some(pg) => crate::tickets::TicketDesk::Shared(Database::Postgres(pg.clone())),
            None => crate::tickets::TicketDesk::Here(std::sync::Mutex::default()),
        }),
        web_app: config
            .app_dir
            .clone()
            .map(|dir| Arc::new(crate::web_app::WebApp::new(dir))),
        shutdown: shutdown_rx,
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServerError::Listen(config.listen, e))?;
    let (stored, bytes) = chunks.stats().unwrap_or_default();
    tracing::info!(
        listen = %config.listen,
        database = %database_name(&config),
        chunks = stored,
        bytes,
        "sync server listening; websocket at {SYNC_PATH}, health at /health"
    );
    let connections = app.connections.clone();
    let router = routes::routes(app);
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
    retry_task.abort();
    retention_task.abort();
    seen_task.abort();
    doorbell_task.abort();
    if let Some(task) = follower_task {
        task.abort();
    }
    write_seen(&registry, &seen).await;
    let flushing = chunks.clone();
    let flushed = tokio::task::spawn_blocking(move || flushing.flush(FLUSH_PATIENCE)).await;
    if !matches!(flushed, Ok(true)) {
        tracing::error!(
            "document writes were still waiting for the database when the server stopped"
        );
    }
    chunks.retry();
    if let Err(e) = chunks.checkpoint() {
        tracing::warn!(error = %e, "could not write the log back into the database file");
    }
    tracing::info!("storage flushed; bye");
    Ok(())
}

/// Where the registry and the chunks are kept: SQLite in the data directory, or the Postgres
/// database `--database` names (its schema made or brought up to date first).
fn open_storage(config: &Config) -> Result<(ChunkStore, Registry, Option<Postgres>), ServerError> {
    match &config.database {
        Some(url) => {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ServerError::DatabaseAddress);
            }
            let pg = Postgres::connect(url)?;
            pg.migrate(crate::registry::POSTGRES_SCHEMA)?;
            let registry = Registry::with_database(Database::Postgres(pg.clone()))?;
            Ok((ChunkStore::Postgres(pg.clone()), registry, Some(pg)))
        }
        None => {
            let db_path = config.data_dir.join(DATABASE_FILE);
            let store = Store::open(&db_path)?;
            let registry = Registry::open(&db_path)?;
            // A file made by an older version may still be readable by others.
            for suffix in ["", "-wal", "-shm"] {
                let file = std::path::PathBuf::from(format!("{}{suffix}", db_path.display()));
                if file.exists() {
                    setup::restrict_to_owner(&file);
                }
            }
            Ok((ChunkStore::Sqlite(store), registry, None))
        }
    }
}

/// The database as the log names it (a Postgres address without its password).
fn database_name(config: &Config) -> String {
    match &config.database {
        Some(url) => match url::Url::parse(url) {
            Ok(mut url) => {
                let _ = url.set_password(None);
                url.to_string()
            }
            Err(_) => "postgres".into(),
        },
        None => config.data_dir.join(DATABASE_FILE).display().to_string(),
    }
}

/// Makes or brings up to date the database's schema, and stops: `sync-server migrate`.
pub fn migrate(config: &Config) -> Result<String, ServerError> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| ServerError::DataDir(config.data_dir.display().to_string(), e))?;
    let (_, _, postgres) = open_storage(config)?;
    Ok(match postgres {
        Some(_) => format!(
            "the Postgres database {} has schema version {}",
            database_name(config),
            crate::postgres::SCHEMA_VERSION
        ),
        None => format!(
            "the SQLite database {} is up to date",
            database_name(config)
        ),
    })
}

/// Writes when devices were last heard from, off the worker threads.
async fn write_seen(registry: &Registry, seen: &Arc<Seen>) {
    let heard = seen.take();
    if heard.is_empty() {
        return;
    }
    let registry = registry.clone();
    let written = tokio::task::spawn_blocking(move || registry.seen(&heard)).await;
    if !matches!(written, Ok(Ok(()))) {
        tracing::warn!("could not record when devices were last heard from");
    }
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

/// How often writes the disk refused are tried again.
const STORE_RETRY_EVERY: Duration = Duration::from_secs(5);
/// How long a stopping server waits for the document writes it queued.
const FLUSH_PATIENCE: Duration = Duration::from_secs(10);
/// How often invitations past retention are looked for.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Deletes what is left of erased documents: an erasure whose registry part was committed but
/// whose chunks were not deleted (a crash between the two, a disk that refused) is finished
/// here, at start and every hour.
fn sweep_erased(registry: &Registry, chunks: &Chunks) {
    let left: Vec<String> = match registry.erased_ids("") {
        Ok(ids) => ids
            .into_iter()
            .filter(|id| chunks.holds_document(id))
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "could not list erased documents; trying again later");
            return;
        }
    };
    if left.is_empty() {
        return;
    }
    match chunks.erase_documents(&left) {
        Ok(()) => tracing::info!(documents = left.len(), "erased documents' chunks deleted"),
        Err(e) => {
            tracing::error!(error = %e, "erased documents' chunks not deleted yet; trying again later")
        }
    }
}
