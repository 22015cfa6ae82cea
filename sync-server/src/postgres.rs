//! Postgres, for an organisation that outgrows one server: the registry (through
//! [`crate::db::Db`]) and samod's chunks in one database that several servers share.
//!
//! Every query runs on a runtime of its own (two threads, a pool of connections), so a caller on
//! any thread — a request handler, the chunk writer, a test without a runtime — may wait for it
//! without blocking the connections' own tasks. The tables are the truth; `NOTIFY pm_changes`,
//! sent after a commit, only wakes the other servers ([`crate::follower`]).
//!
//! Rows other servers must follow (chunks, registry changes) carry the id of the transaction
//! that wrote them. A reader remembers the oldest transaction still running when it last read
//! ([`Snapshot`]) and reads from there on: a transaction that commits late is never skipped.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::runtime::Handle;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::db::{Db, DbError, Row, Value};

/// The channel that wakes other servers.
pub const CHANNEL: &str = "pm_changes";
/// The `application_name` of a server's listening connection.
pub const LISTENER_NAME: &str = "pm-sync-listen";

/// What `migrate` makes: the registry's tables and those only Postgres needs.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS chunks (
    doc TEXT NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL, data BYTEA NOT NULL,
    writer TEXT NOT NULL,
    xid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    PRIMARY KEY (doc, kind, hash));
CREATE INDEX IF NOT EXISTS chunks_xid ON chunks (xid);
CREATE TABLE IF NOT EXISTS registry_changes (
    id BIGSERIAL PRIMARY KEY, writer TEXT NOT NULL, touched TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    xid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint));
CREATE INDEX IF NOT EXISTS registry_changes_xid ON registry_changes (xid);
CREATE TABLE IF NOT EXISTS sync_tickets (
    hash TEXT PRIMARY KEY, peer TEXT NOT NULL, person TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sync_tickets_peer ON sync_tickets (peer);
CREATE INDEX IF NOT EXISTS sync_tickets_person ON sync_tickets (person);
";

/// The oldest transaction still running (what a reader reads from next time), and when the
/// database last started: after a crash it may hand out again transaction ids it gave to
/// transactions whose log it lost, so a reader's place means nothing across a restart.
const OLDEST_RUNNING: &str = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                                     pg_postmaster_start_time()::text";

/// The schema's version, kept in `registry_settings`.
pub const SCHEMA_VERSION: &str = "1";

/// Transactions that collided with another server's are tried this often before giving up.
const ATTEMPTS: u32 = 20;

/// A database several servers share; cheap to clone.
#[derive(Clone)]
pub struct Postgres {
    inner: Arc<Inner>,
}

struct Inner {
    handle: Handle,
    pool: Pool,
    url: String,
    /// This server's name on the rows it writes.
    writer: String,
    _stop: std::sync::mpsc::SyncSender<()>,
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host/db`, or `?host=/socket/dir`), checking that the
    /// database answers.
    pub fn connect(url: &str) -> Result<Postgres, DbError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| DbError::Postgres(format!("the database address is not valid: {e}")))?;
        let (handle_tx, handle_rx) = std::sync::mpsc::sync_channel(1);
        let (stop_tx, stop_rx) = std::sync::mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("postgres".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("postgres-io")
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = handle_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let _ = handle_tx.send(Ok(runtime.handle().clone()));
                // Runs until the last handle goes (its sender is dropped).
                let _ = stop_rx.recv();
                runtime.shutdown_timeout(Duration::from_secs(1));
            })
            .map_err(|e| DbError::Postgres(e.to_string()))?;
        let handle = handle_rx
            .recv()
            .map_err(|e| DbError::Postgres(e.to_string()))?
            .map_err(DbError::Postgres)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(|e| DbError::Postgres(e.to_string()))?;
        let pg = Postgres {
            inner: Arc::new(Inner {
                handle,
                pool,
                url: url.to_owned(),
                writer: pm_documents::docs::new_id(),
                _stop: stop_tx,
            }),
        };
        pg.batch("SELECT 1")?;
        Ok(pg)
    }

    /// Runs `work` on the database's runtime and waits for it, from any thread.
    fn block<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, DbError> {
        let (done, answer) = std::sync::mpsc::sync_channel(1);
        self.inner.handle.spawn(async move {
            let _ = done.send(work.await);
        });
        answer
            .recv()
            .map_err(|_| DbError::Postgres("the database's runtime stopped".into()))
    }

    /// Runs `work` on the database's runtime.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Result<T, DbError> {
        self.inner
            .handle
            .spawn(work)
            .await
            .map_err(|_| DbError::Postgres("the database's runtime stopped".into()))
    }

    /// Whether the database answers, within two seconds.
    pub async fn ping(&self) -> Result<(), DbError> {
        let pool = self.inner.pool.clone();
        let answered = tokio::time::timeout(
            Duration::from_secs(2),
            self.run(async move {
                let client = Self::client(&pool).await?;
                client.batch_execute("SELECT 1").await.map_err(pg_error)
            }),
        )
        .await;
        match answered {
            Ok(answer) => answer?,
            Err(_) => Err(DbError::Postgres(
                "the database did not answer within 2 s".into(),
            )),
        }
    }

    async fn client(pool: &Pool) -> Result<deadpool_postgres::Object, DbError> {
        pool.get().await.map_err(|e| {
            DbError::Postgres(format!(
                "no connection to the database: {}",
                with_causes(&e)
            ))
        })
    }

    /// Runs statements outside a transaction.
    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        let pool = self.inner.pool.clone();
        let sql = sql.to_owned();
        self.block(async move {
            let client = Self::client(&pool).await?;
            client.batch_execute(&sql).await.map_err(pg_error)
        })?
    }

    /// Makes or updates the schema (the registry's and the chunks'), once even when several
    /// servers start together, and the storage id every server shares.
    pub fn migrate(&self, registry_schema: &str) -> Result<(), DbError> {
        let sql = format!(
            "SET client_min_messages = warning; BEGIN; SELECT pg_advisory_xact_lock(727272); {registry_schema} {SCHEMA}
             INSERT INTO chunks (doc, kind, hash, data, writer)
                 VALUES ('storage-adapter-id', '', '', convert_to('{id}', 'UTF8'), 'migrate')
                 ON CONFLICT DO NOTHING;
             INSERT INTO registry_settings (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}')
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value;
             COMMIT;",
            id = pm_documents::docs::new_id(),
        );
        self.batch(&sql)
    }

    /// Runs `f` as one transaction (serializable when it writes), again when it collided with
    /// another server's or its connection was lost before it committed.
    pub fn transaction<T, E: From<DbError>>(
        &self,
        writes: bool,
        mut f: impl FnMut(&mut dyn Db) -> Result<T, E>,
    ) -> Result<T, E> {
        let begin = if writes {
            "BEGIN ISOLATION LEVEL SERIALIZABLE"
        } else {
            "BEGIN READ ONLY"
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let pool = self.inner.pool.clone();
            let begun = self.block(async move {
                let client = Self::client(&pool).await?;
                client.batch_execute(begin).await.map_err(pg_error)?;
                Ok::<_, DbError>(client)
            })?;
            let client = match begun {
                Ok(client) => client,
                // A pooled connection the database closed (a restart) is found out here; the
                // pool makes a new one.
                Err(_) if attempt < 3 => continue,
                Err(e) => return Err(e.into()),
            };
            let mut session = PgDb {
                pg: self,
                client: Some(client),
                retry: false,
            };
            let result = f(&mut session);
            let ended = session.end(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
            let again = session.retry && attempt < ATTEMPTS;
            match (result, ended) {
                (Ok(done), Ok(())) => return Ok(done),
                _ if again => {
                    std::thread::sleep(Duration::from_millis(u64::from(attempt) * 5));
                }
                (Ok(_), Err(e)) => return Err(e.into()),
                (Err(e), _) => return Err(e),
            }
        }
    }

    /// This server's name on the rows it writes.
    pub fn writer(&self) -> &str {
        &self.inner.writer
    }

    /// Wakes the other servers (`NOTIFY`, outside any data transaction). A wake-up that does
    /// not get through is only a delay: they read the tables every second.
    pub fn wake_others(&self) {
        if let Err(e) = self.batch(&format!("NOTIFY {CHANNEL}")) {
            tracing::warn!(error = %e, "could not wake the other servers; they find it within a second");
        }
    }

    /// Forgets registry changes every server has long read.
    pub fn forget_old_changes(&self) -> Result<(), DbError> {
        self.batch("DELETE FROM registry_changes WHERE at < now() - interval '1 hour'")
    }

    // -- samod's chunks -----------------------------------------------------------------------

    /// Writes a group of chunks in one transaction (`None` deletes), then wakes the other
    /// servers. A put of a key that is there already changes nothing: samod's keys name their
    /// content.
    pub fn write_chunks(&self, group: &[(String, Option<Vec<u8>>)]) -> Result<(), DbError> {
        let pool = self.inner.pool.clone();
        let writer = self.inner.writer.clone();
        let mut group: Vec<(ChunkKey, Option<Vec<u8>>)> = group
            .iter()
            .map(|(key, data)| (ChunkKey::parse(key), data.clone()))
            .collect();
        // Every server writes keys in the same order, so two that write the same keys (the same
        // changes, taken in from each other) wait for each other rather than deadlock. Stable:
        // writes of one key keep their order.
        group.sort_by(|a, b| {
            (&a.0.doc, &a.0.kind, &a.0.hash).cmp(&(&b.0.doc, &b.0.kind, &b.0.hash))
        });
        self.block(async move {
            let mut client = Self::client(&pool).await?;
            let tx = client.transaction().await.map_err(pg_error)?;
            let put = tx
                .prepare_cached(
                    "INSERT INTO chunks (doc, kind, hash, data, writer) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING",
                )
                .await
                .map_err(pg_error)?;
            let delete = tx
                .prepare_cached("DELETE FROM chunks WHERE doc = $1 AND kind = $2 AND hash = $3")
                .await
                .map_err(pg_error)?;
            for (key, data) in &group {
                match data {
                    Some(data) => {
                        tx.execute(&put, &[&key.doc, &key.kind, &key.hash, data, &writer])
                            .await
                    }
                    None => tx.execute(&delete, &[&key.doc, &key.kind, &key.hash]).await,
                }
                .map_err(pg_error)?;
            }
            tx.commit().await.map_err(pg_error)?;
            client
                .batch_execute(&format!("NOTIFY {CHANNEL}"))
                .await
                .map_err(pg_error)
        })?
    }

    /// One chunk.
    pub async fn load(&self, key: String) -> Result<Option<Vec<u8>>, DbError> {
        let pool = self.inner.pool.clone();
        self.run(async move {
            let key = ChunkKey::parse(&key);
            let client = Self::client(&pool).await?;
            let statement = client
                .prepare_cached(
                    "SELECT data FROM chunks WHERE doc = $1 AND kind = $2 AND hash = $3",
                )
                .await
                .map_err(pg_error)?;
            let row = client
                .query_opt(&statement, &[&key.doc, &key.kind, &key.hash])
                .await
                .map_err(pg_error)?;
            Ok(row.map(|r| r.get::<_, Vec<u8>>(0)))
        })
        .await?
    }

    /// Every chunk under a prefix (a document, or a document's kind of chunk), by key.
    pub async fn load_range(&self, prefix: String) -> Result<Vec<(String, Vec<u8>)>, DbError> {
        let pool = self.inner.pool.clone();
        self.run(async move {
            let parts: Vec<&str> = prefix.split('/').filter(|p| !p.is_empty()).collect();
            let client = Self::client(&pool).await?;
            let rows =
                match parts.as_slice() {
                    [] => {
                        client
                            .query("SELECT doc, kind, hash, data FROM chunks", &[])
                            .await
                    }
                    [doc] => {
                        client
                            .query(
                                "SELECT doc, kind, hash, data FROM chunks WHERE doc = $1",
                                &[doc],
                            )
                            .await
                    }
                    [doc, kind, ..] => client
                        .query(
                            "SELECT doc, kind, hash, data FROM chunks WHERE doc = $1 AND kind = $2",
                            &[doc, kind],
                        )
                        .await,
                }
                .map_err(pg_error)?;
            Ok(rows
                .iter()
                .map(keyed_chunk)
                .filter(|(key, _)| key.starts_with(&prefix))
                .collect())
        })
        .await?
    }

    /// Deletes every chunk of these documents.
    pub fn erase_documents(&self, doc_ids: &[String]) -> Result<(), DbError> {
        let pool = self.inner.pool.clone();
        let ids = doc_ids.to_vec();
        self.block(async move {
            let client = Self::client(&pool).await?;
            client
                .execute("DELETE FROM chunks WHERE doc = ANY($1)", &[&ids])
                .await
                .map_err(pg_error)?;
            Ok(())
        })?
    }

    /// Whether any chunk of a document is stored.
    pub fn holds_document(&self, doc_id: &str) -> Result<bool, DbError> {
        let pool = self.inner.pool.clone();
        let id = doc_id.to_owned();
        self.block(async move {
            let client = Self::client(&pool).await?;
            let row = client
                .query_opt("SELECT 1 FROM chunks WHERE doc = $1 LIMIT 1", &[&id])
                .await
                .map_err(pg_error)?;
            Ok(row.is_some())
        })?
    }

    /// How many chunks, and how many bytes of them.
    pub fn chunk_stats(&self) -> Result<(i64, i64), DbError> {
        let pool = self.inner.pool.clone();
        self.block(async move {
            let client = Self::client(&pool).await?;
            let row = client
                .query_one(
                    "SELECT count(*), coalesce(sum(length(data)), 0)::bigint FROM chunks",
                    &[],
                )
                .await
                .map_err(pg_error)?;
            Ok((row.get(0), row.get(1)))
        })?
    }

    /// What other servers wrote since `snapshot`: chunks and registry changes, in one snapshot of
    /// the database. The snapshot moves on.
    pub async fn written_since(&self, snapshot: &mut Snapshot) -> Result<Written, DbError> {
        let pool = self.inner.pool.clone();
        let writer = self.inner.writer.clone();
        let from = snapshot.from;
        let (written, oldest_running, started) = self
            .run(async move {
                let mut client = Self::client(&pool).await?;
                let tx = client
                    .build_transaction()
                    .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .await
                    .map_err(pg_error)?;
                let now = tx.query_one(OLDEST_RUNNING, &[]).await.map_err(pg_error)?;
                let (oldest, started): (i64, String) = (now.get(0), now.get(1));
                let chunks = tx
                    .query(
                        "SELECT doc, kind, hash, xid FROM chunks WHERE xid >= $1 AND writer <> $2",
                        &[&from, &writer],
                    )
                    .await
                    .map_err(pg_error)?;
                let changes = tx
                    .query(
                        "SELECT id, touched, xid FROM registry_changes
                         WHERE xid >= $1 AND writer <> $2 ORDER BY id",
                        &[&from, &writer],
                    )
                    .await
                    .map_err(pg_error)?;
                tx.commit().await.map_err(pg_error)?;
                let mut written = Written::default();
                for r in &chunks {
                    let key = ChunkKey {
                        doc: r.get(0),
                        kind: r.get(1),
                        hash: r.get(2),
                    };
                    written
                        .chunks
                        .push((key.to_string(), key.doc.clone(), r.get(3)));
                }
                for r in &changes {
                    written.changes.push((r.get(0), r.get(1), r.get(2)));
                }
                Ok::<_, DbError>((written, oldest, started))
            })
            .await??;
        if started != snapshot.started {
            // The database started again: read everything from now on, and the caller takes
            // in again what it holds.
            *snapshot = Snapshot {
                from: oldest_running,
                seen: HashMap::new(),
                started,
            };
            return Ok(Written {
                restarted: true,
                ..Written::default()
            });
        }
        Ok(snapshot.advance(written, oldest_running))
    }

    /// The data of these chunks (by key), those that are still there.
    pub async fn chunks(&self, keys: Vec<String>) -> Result<Vec<(String, Vec<u8>)>, DbError> {
        let pool = self.inner.pool.clone();
        self.run(async move {
            let keys: Vec<ChunkKey> = keys.iter().map(|k| ChunkKey::parse(k)).collect();
            let docs: Vec<&str> = keys.iter().map(|k| k.doc.as_str()).collect();
            let kinds: Vec<&str> = keys.iter().map(|k| k.kind.as_str()).collect();
            let hashes: Vec<&str> = keys.iter().map(|k| k.hash.as_str()).collect();
            let client = Self::client(&pool).await?;
            let rows = client
                .query(
                    "SELECT c.doc, c.kind, c.hash, c.data FROM chunks c
                     JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(doc, kind, hash)
                       ON c.doc = k.doc AND c.kind = k.kind AND c.hash = k.hash",
                    &[&docs, &kinds, &hashes],
                )
                .await
                .map_err(pg_error)?;
            Ok(rows.iter().map(keyed_chunk).collect())
        })
        .await?
    }

    /// Where a reader starts: now.
    pub async fn snapshot_now(&self) -> Result<Snapshot, DbError> {
        let pool = self.inner.pool.clone();
        let (from, started) = self
            .run(async move {
                let client = Self::client(&pool).await?;
                let row = client
                    .query_one(OLDEST_RUNNING, &[])
                    .await
                    .map_err(pg_error)?;
                Ok::<(i64, String), DbError>((row.get(0), row.get(1)))
            })
            .await??;
        Ok(Snapshot {
            from,
            seen: HashMap::new(),
            started,
        })
    }

    /// A connection of its own, outside the pool, that hears `NOTIFY pm_changes`: a wake-up
    /// arrives on [`Listening::woken`], which closes when the connection is lost.
    pub async fn listen(&self) -> Result<Listening, DbError> {
        let mut config: tokio_postgres::Config =
            self.inner.url.parse().map_err(|e| {
                DbError::Postgres(format!("the database address is not valid: {e}"))
            })?;
        // Operators (and tests) tell it apart from the pool's connections by this name.
        config.application_name(LISTENER_NAME);
        self.run(async move {
            let (client, mut connection) = config.connect(NoTls).await.map_err(pg_error)?;
            let (tx, woken) = tokio::sync::mpsc::channel(1);
            tokio::spawn(async move {
                loop {
                    let message = futures::future::poll_fn(|cx| connection.poll_message(cx)).await;
                    match message {
                        // Full means a wake-up is waiting already: they coalesce.
                        Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => {
                            let _ = tx.try_send(());
                        }
                        Some(Ok(_)) => {}
                        Some(Err(_)) | None => return,
                    }
                }
            });
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .await
                .map_err(pg_error)?;
            Ok(Listening {
                _client: client,
                woken,
            })
        })
        .await?
    }
}

/// A listening connection: it stays open while this is kept.
pub struct Listening {
    _client: tokio_postgres::Client,
    pub woken: tokio::sync::mpsc::Receiver<()>,
}

/// What other servers wrote: chunks (key, document, transaction) and registry changes
/// (number, what they touched, transaction); or that the database started again since the last
/// read, so what was written before is to be read whole.
#[derive(Debug, Default)]
pub struct Written {
    pub chunks: Vec<(String, String, i64)>,
    pub changes: Vec<(i64, String, i64)>,
    pub restarted: bool,
}

/// Where a reader of other servers' rows is: the oldest transaction that was still running when
/// it last read, and what it read since (which it may read again, and skips).
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    from: i64,
    seen: HashMap<String, i64>,
    /// When the database had started.
    started: String,
}

impl Snapshot {
    /// Drops what was read before, remembers what is new, and moves on to `oldest_running`.
    fn advance(&mut self, written: Written, oldest_running: i64) -> Written {
        let mut new = Written::default();
        for chunk in written.chunks {
            if self
                .seen
                .insert(format!("c {}", chunk.0), chunk.2)
                .is_none()
            {
                new.chunks.push(chunk);
            }
        }
        for change in written.changes {
            if self
                .seen
                .insert(format!("r {}", change.0), change.2)
                .is_none()
            {
                new.changes.push(change);
            }
        }
        self.from = self.from.max(oldest_running);
        let from = self.from;
        self.seen.retain(|_, xid| *xid >= from);
        new
    }
}

/// A row `doc, kind, hash, data` as samod's key and data.
fn keyed_chunk(row: &tokio_postgres::Row) -> (String, Vec<u8>) {
    let key = ChunkKey {
        doc: row.get(0),
        kind: row.get(1),
        hash: row.get(2),
    };
    (key.to_string(), row.get(3))
}

/// A samod storage key as the chunks table keeps it: document, kind, hash (the storage id's key
/// is a document of its own with neither).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ChunkKey {
    doc: String,
    kind: String,
    hash: String,
}

impl ChunkKey {
    fn parse(key: &str) -> ChunkKey {
        let mut parts = key.splitn(3, '/');
        ChunkKey {
            doc: parts.next().unwrap_or_default().to_owned(),
            kind: parts.next().unwrap_or_default().to_owned(),
            hash: parts.next().unwrap_or_default().to_owned(),
        }
    }
}

impl std::fmt::Display for ChunkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.doc)?;
        for part in [&self.kind, &self.hash] {
            if !part.is_empty() {
                write!(f, "/{part}")?;
            }
        }
        Ok(())
    }
}

fn pg_error(e: tokio_postgres::Error) -> DbError {
    match e.code() {
        Some(code)
            if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            DbError::Conflict
        }
        _ => DbError::Postgres(
            e.as_db_error()
                .map_or_else(|| with_causes(&e), |d| d.to_string()),
        ),
    }
}

/// An error with what caused it ("error connecting to server: No such file or directory").
fn with_causes(e: &dyn StdError) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    text
}

/// `?1` becomes `$1`, outside quoted text.
fn dollar_parameters(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

/// A transaction on one pooled connection.
struct PgDb<'a> {
    pg: &'a Postgres,
    client: Option<deadpool_postgres::Object>,
    /// Whether the transaction collided or lost its connection, so it may be tried again.
    retry: bool,
}

/// What a statement gave.
enum Outcome {
    Count(u64),
    Rows(Vec<Row>),
}

impl PgDb<'_> {
    /// Runs one statement (`rows`: a query) on the transaction's connection.
    fn statement(&mut self, sql: &str, params: &[Value], rows: bool) -> Result<Outcome, DbError> {
        let Some(client) = self.client.take() else {
            self.retry = true;
            return Err(DbError::Postgres(
                "the connection to the database was lost".into(),
            ));
        };
        let sql = dollar_parameters(sql);
        let params = params.to_vec();
        let (client, result) = self.pg.block(async move {
            let result = async {
                let statement = client.prepare_cached(&sql).await?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                if rows {
                    let found = client.query(&statement, &refs).await?;
                    Ok(Outcome::Rows(found.iter().map(to_row).collect()))
                } else {
                    client.execute(&statement, &refs).await.map(Outcome::Count)
                }
            }
            .await;
            (client, result)
        })?;
        let lost = client.is_closed();
        if !lost {
            self.client = Some(client);
        }
        result.map_err(|e| {
            let e = pg_error(e);
            if matches!(e, DbError::Conflict) || lost {
                self.retry = true;
            }
            e
        })
    }

    /// Ends the transaction: `COMMIT` or `ROLLBACK`.
    fn end(&mut self, how: &'static str) -> Result<(), DbError> {
        let Some(client) = self.client.take() else {
            self.retry = true;
            return Err(DbError::Postgres(
                "the connection to the database was lost".into(),
            ));
        };
        let ended = self
            .pg
            .block(async move { client.batch_execute(how).await })?;
        ended.map_err(|e| {
            let e = pg_error(e);
            if matches!(e, DbError::Conflict) {
                self.retry = true;
            }
            e
        })
    }
}

/// A row as the registry reads it: numbers and truth values as numbers, the rest as text.
fn to_row(row: &tokio_postgres::Row) -> Row {
    Row((0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            let value = if *ty == Type::INT8 {
                row.try_get::<_, Option<i64>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Int)
            } else if *ty == Type::INT4 {
                row.try_get::<_, Option<i32>>(i)
                    .ok()
                    .flatten()
                    .map(|n| Value::Int(n.into()))
            } else if *ty == Type::INT2 {
                row.try_get::<_, Option<i16>>(i)
                    .ok()
                    .flatten()
                    .map(|n| Value::Int(n.into()))
            } else if *ty == Type::BOOL {
                row.try_get::<_, Option<bool>>(i)
                    .ok()
                    .flatten()
                    .map(Value::from)
            } else {
                row.try_get::<_, Option<String>>(i)
                    .ok()
                    .flatten()
                    .map(Value::Text)
            };
            value.unwrap_or(Value::Null)
        })
        .collect())
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) if *ty == Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) if *ty == Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) if *ty == Type::BOOL => (*n != 0).to_sql(ty, out),
            Value::Int(n) if *ty == Type::INT8 => n.to_sql(ty, out),
            Value::Int(n) => n.to_string().as_str().to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl Db for PgDb<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, DbError> {
        match self.statement(sql, params, false)? {
            Outcome::Count(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
            Outcome::Rows(rows) => Ok(rows.len()),
        }
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        match self.statement(sql, params, true)? {
            Outcome::Rows(rows) => Ok(rows),
            Outcome::Count(_) => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_the_postgres_way_outside_quoted_text() {
        assert_eq!(
            dollar_parameters("SELECT '?1' FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1' FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn a_storage_key_is_kept_as_document_kind_and_hash() {
        for key in [
            "doc/incremental/abc",
            "doc/snapshot/def",
            "storage-adapter-id",
        ] {
            assert_eq!(ChunkKey::parse(key).to_string(), key);
        }
        let k = ChunkKey::parse("d/incremental/h");
        assert_eq!(
            (k.doc.as_str(), k.kind.as_str(), k.hash.as_str()),
            ("d", "incremental", "h")
        );
    }

    #[test]
    fn a_reader_skips_what_it_read_and_keeps_what_a_late_commit_may_still_bring() {
        let mut at = Snapshot::default();
        let written = |keys: &[(&str, i64)]| Written {
            chunks: keys
                .iter()
                .map(|(k, xid)| (k.to_string(), "d".to_string(), *xid))
                .collect(),
            changes: vec![],
            restarted: false,
        };
        let first = at.advance(written(&[("d/incremental/a", 10)]), 10);
        assert_eq!(first.chunks.len(), 1);
        // Transaction 10 was still running: its rows are read again, and skipped.
        let again = at.advance(
            written(&[("d/incremental/a", 10), ("d/incremental/b", 11)]),
            12,
        );
        assert_eq!(again.chunks.len(), 1);
        assert_eq!(again.chunks[0].0, "d/incremental/b");
        assert_eq!(at.from, 12);
        assert!(
            at.seen.is_empty(),
            "nothing older than the oldest running is remembered"
        );
    }
}
