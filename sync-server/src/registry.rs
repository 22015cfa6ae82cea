//! What the server knows about people and documents, in its SQLite file: programmes, members,
//! devices and their (hashed) credentials, invitations, groups, and for each document only what
//! [`pm_domain::access`] needs (kind, programme, group, owner). Never any content.
//!
//! Every change bumps a version that share-policy streams watch, so access follows a change (a
//! dissolved pair, a withdrawn person) while connections stay open.
//!
//! The SQL is written once, for both engines [`Database`] can hold (see `crate::db`).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use pm_domain::access::{Actor, DocEntry, Membership};
use pm_domain::model::{DocKind, Role};
use pm_domain::wire::PersonName;
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::changes::{Audience, ChangeLog, Touched};
use crate::db::{Database, Db, DbError, params};

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("registry database error: {0}")]
    Db(#[from] DbError),
}

/// The registry's tables in SQLite.
pub(crate) const SQLITE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS registry_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS programmes (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, school TEXT NOT NULL,
    coordinator TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
    programme TEXT NOT NULL, person TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
    active INTEGER NOT NULL, invitation TEXT, joined_at TEXT NOT NULL,
    PRIMARY KEY (programme, person));
CREATE TABLE IF NOT EXISTS devices (
    peer TEXT PRIMARY KEY, person TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, last_seen TEXT);
CREATE TABLE IF NOT EXISTS invitations (
    id TEXT PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE, programme TEXT NOT NULL,
    role TEXT NOT NULL, name TEXT NOT NULL, expires_at TEXT NOT NULL,
    state TEXT NOT NULL, person TEXT, decided_at TEXT);
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY, programme TEXT NOT NULL, kind TEXT NOT NULL, active INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS group_members (
    grp TEXT NOT NULL, person TEXT NOT NULL, PRIMARY KEY (grp, person));
CREATE TABLE IF NOT EXISTS doc_access (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, programme TEXT NOT NULL, grp TEXT, owner TEXT);
CREATE TABLE IF NOT EXISTS link_codes (
    code_hash TEXT PRIMARY KEY, person TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS erased_credentials (
    credential_hash TEXT PRIMARY KEY, erased_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS erased_documents (id TEXT PRIMARY KEY, erased_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS members_person ON members(person);
CREATE INDEX IF NOT EXISTS group_members_person ON group_members(person);
CREATE INDEX IF NOT EXISTS doc_access_programme ON doc_access(programme);
CREATE INDEX IF NOT EXISTS devices_person ON devices(person);
";

/// Columns added to [`SQLITE_SCHEMA`] after the first release, for databases made before them.
pub(crate) const SQLITE_MIGRATIONS: [&str; 10] = [
    "ALTER TABLE devices ADD COLUMN label TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE groups ADD COLUMN group_doc TEXT",
    "ALTER TABLE groups ADD COLUMN notes_doc TEXT",
    "ALTER TABLE invitations ADD COLUMN attempt_hash TEXT",
    "ALTER TABLE link_codes ADD COLUMN attempt_hash TEXT",
    "ALTER TABLE link_codes ADD COLUMN peer TEXT",
    "ALTER TABLE link_codes ADD COLUMN kind TEXT NOT NULL DEFAULT 'link'",
    "ALTER TABLE programmes ADD COLUMN matching INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE invitations ADD COLUMN email TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE programmes ADD COLUMN archived_at TEXT",
];

/// The same tables in Postgres, with every column [`SQLITE_MIGRATIONS`] adds (a Postgres
/// registry starts after them, so it needs none). Truth values stay numbers (0 or 1).
pub(crate) const POSTGRES_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS registry_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS programmes (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, school TEXT NOT NULL,
    coordinator TEXT NOT NULL, created_at TEXT NOT NULL,
    matching BIGINT NOT NULL DEFAULT 0, archived_at TEXT);
CREATE TABLE IF NOT EXISTS members (
    programme TEXT NOT NULL, person TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
    active BIGINT NOT NULL, invitation TEXT, joined_at TEXT NOT NULL,
    PRIMARY KEY (programme, person));
CREATE TABLE IF NOT EXISTS devices (
    peer TEXT PRIMARY KEY, person TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, last_seen TEXT, label TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS invitations (
    id TEXT PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE, programme TEXT NOT NULL,
    role TEXT NOT NULL, name TEXT NOT NULL, expires_at TEXT NOT NULL,
    state TEXT NOT NULL, person TEXT, decided_at TEXT,
    attempt_hash TEXT, email TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY, programme TEXT NOT NULL, kind TEXT NOT NULL, active BIGINT NOT NULL,
    group_doc TEXT, notes_doc TEXT);
CREATE TABLE IF NOT EXISTS group_members (
    grp TEXT NOT NULL, person TEXT NOT NULL, PRIMARY KEY (grp, person));
CREATE TABLE IF NOT EXISTS doc_access (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, programme TEXT NOT NULL, grp TEXT, owner TEXT);
CREATE TABLE IF NOT EXISTS link_codes (
    code_hash TEXT PRIMARY KEY, person TEXT NOT NULL, expires_at TEXT NOT NULL,
    attempt_hash TEXT, peer TEXT, kind TEXT NOT NULL DEFAULT 'link');
CREATE TABLE IF NOT EXISTS erased_credentials (
    credential_hash TEXT PRIMARY KEY, erased_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS erased_documents (id TEXT PRIMARY KEY, erased_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS members_person ON members(person);
CREATE INDEX IF NOT EXISTS group_members_person ON group_members(person);
CREATE INDEX IF NOT EXISTS doc_access_programme ON doc_access(programme);
CREATE INDEX IF NOT EXISTS devices_person ON devices(person);
";

/// What a linking code is for: linking a device she has at hand now (minutes), or recovering
/// her data on a device that lost it, with a code she kept (a year). Each person has at most one
/// of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Recovery,
}

impl LinkKind {
    fn as_str(self) -> &'static str {
        match self {
            LinkKind::Link => "link",
            LinkKind::Recovery => "recovery",
        }
    }
}

/// SHA-256 of a secret, hex. Credentials and codes are long random strings, so a fast hash is
/// enough to make a stolen database useless for logging in.
pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::Coordinator => "coordinator",
        Role::Mentor => "mentor",
        Role::Mentee => "mentee",
        Role::Student => "student",
        Role::Professional => "professional",
        Role::Facilitator => "facilitator",
    }
}

fn role_from(code: &str) -> Option<Role> {
    [
        Role::Coordinator,
        Role::Mentor,
        Role::Mentee,
        Role::Student,
        Role::Professional,
        Role::Facilitator,
    ]
    .into_iter()
    .find(|r| role_code(*r) == code)
}

/// How long the server remembers which documents and credentials were erased (so a device
/// that comes back drops its copies), in days.
const ERASED_KEPT_DAYS: i64 = 365;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An invitation as the invitee may see it before deciding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub programme: String,
    pub programme_name: String,
    pub school: String,
    pub coordinator_name: String,
    pub role: Role,
    pub name: String,
    pub expires_at: String,
    pub state: InvitationState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Open,
    Accepted,
    Declined,
    Revoked,
}

impl InvitationState {
    fn code(self) -> &'static str {
        match self {
            InvitationState::Open => "open",
            InvitationState::Accepted => "accepted",
            InvitationState::Declined => "declined",
            InvitationState::Revoked => "revoked",
        }
    }

    fn parse(s: &str) -> InvitationState {
        match s {
            "accepted" => InvitationState::Accepted,
            "declined" => InvitationState::Declined,
            "revoked" => InvitationState::Revoked,
            _ => InvitationState::Open,
        }
    }
}

/// A member of a programme as the coordinator's dashboard sees her.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MemberStatus {
    pub person: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub invitation: Option<String>,
    pub last_seen: Option<String>,
}

/// An invitation as the coordinator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvitationStatus {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: &'static str,
    pub expires_at: String,
    pub person: Option<String>,
}

/// An invitation as the coordinator makes it (its code is kept only as a hash).
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub programme: &'a str,
    pub role: Role,
    pub name: &'a str,
    pub email: &'a str,
    pub expires_at: &'a str,
}

/// What erasing a person came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    /// Her registry rows are gone; these documents of hers are to be deleted from storage.
    Erased(Vec<String>),
    /// She coordinates a programme: that ends by erasing the programme, not her alone.
    Coordinator,
}

/// Whose directories list `person`: her groups' members, her programmes' coordinators, a
/// coordinator's members, a matching programme's participants.
fn seers(db: &mut dyn Db, person: &str) -> Result<BTreeSet<String>, DbError> {
    let found = db.texts(
        "SELECT m2.person FROM members m1
             JOIN members m2 ON m2.programme = m1.programme
             JOIN programmes p ON p.id = m1.programme
             WHERE m1.person = ?1
               AND (m1.role = 'coordinator' OR m2.role = 'coordinator' OR p.matching = 1)
         UNION
         SELECT g2.person FROM group_members g1
             JOIN group_members g2 ON g2.grp = g1.grp WHERE g1.person = ?1",
        params![person],
    )?;
    Ok(found.into_iter().collect())
}

/// Remembers erased documents (a year), so devices that hold them drop them.
fn remember_erased_documents(
    db: &mut dyn Db,
    documents: &[String],
    at: &str,
) -> Result<(), DbError> {
    for id in documents {
        db.execute(
            "INSERT INTO erased_documents (id, erased_at) VALUES (?1, ?2)
             ON CONFLICT DO NOTHING",
            params![id, at],
        )?;
    }
    Ok(())
}

/// Takes a person's devices and codes away, remembering the credentials (hashed) as erased, so
/// her devices learn it and erase themselves.
fn erase_devices(db: &mut dyn Db, person: &str, at: &str) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO erased_credentials (credential_hash, erased_at)
         SELECT credential_hash, CAST(?2 AS TEXT) FROM devices WHERE person = ?1
         ON CONFLICT DO NOTHING",
        params![person, at],
    )?;
    db.execute("DELETE FROM devices WHERE person = ?1", params![person])?;
    db.execute("DELETE FROM link_codes WHERE person = ?1", params![person])?;
    Ok(())
}

/// A person id the server makes (128 random bits, hex), never one a client proposes.
fn new_person() -> String {
    pm_documents::docs::new_id()
}

/// What accepting an invitation came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accept {
    Member(String),
    /// The invitation was no longer open.
    Used,
    /// She is in this programme already.
    AlreadyMember,
}

/// A device as its owner sees it in her list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub peer: String,
    pub label: String,
    pub added_at: String,
    pub last_seen: Option<String>,
}

/// A group to form, with the ids of its two documents.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub id: String,
    pub programme: String,
    pub kind: &'static str,
    pub members: Vec<String>,
    pub group_doc: String,
    pub notes_doc: String,
}

/// A formed group as stored: programme, kind, active, group document, notes document.
type FormedRow = (String, String, bool, Option<String>, Option<String>);

/// What forming a group came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formed {
    New,
    /// This very group was formed before (a retry); its notes document.
    Already(String),
    /// The group id or a document id is taken by something else.
    Conflict,
}

/// What became of a document's registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registration {
    /// Registered now, or already with the same description.
    Done,
    /// The id is registered with another description.
    Conflict,
    /// She already has this one-per-group document: the id of the one registered first.
    Taken(String),
}

/// The registry; cheap to clone.
#[derive(Clone)]
pub struct Registry {
    db: Database,
    version: Arc<watch::Sender<u64>>,
    log: Arc<Mutex<ChangeLog>>,
}

impl Registry {
    pub fn open(path: &Path) -> Result<Registry, RegistryError> {
        let db = Database::sqlite(path)?;
        Registry::with_database(db)
    }

    /// A registry in `db`, whose tables are made (or brought up to date) first.
    pub fn with_database(db: Database) -> Result<Registry, RegistryError> {
        match db {
            Database::Sqlite(_) => {
                db.batch(SQLITE_SCHEMA)?;
                for migration in SQLITE_MIGRATIONS {
                    match db.batch(migration) {
                        Ok(()) => {}
                        Err(e) if e.to_string().contains("duplicate column") => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            // `migrate` made it (`crate::postgres::Postgres::migrate`).
            Database::Postgres(_) => {}
        }
        Ok(Registry {
            db,
            version: Arc::new(watch::channel(0).0),
            log: Arc::new(Mutex::new(ChangeLog::default())),
        })
    }

    fn log(&self) -> MutexGuard<'_, ChangeLog> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the log back into the database file, so what was deleted is gone from both.
    pub fn checkpoint(&self) -> Result<(), RegistryError> {
        if let Database::Sqlite(_) = self.db {
            self.db.batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        }
        Ok(())
    }

    /// Which engine keeps the registry, and whether it answers now (`/health`).
    pub async fn database_check(&self) -> (&'static str, Result<(), DbError>) {
        match &self.db {
            Database::Sqlite(_) => (
                "sqlite",
                self.db.read(|db| db.query("SELECT 1", &[]).map(drop)),
            ),
            Database::Postgres(pg) => ("postgres", pg.ping().await),
        }
    }

    /// Takes a committed change into the log: one made here, or by another server on the same
    /// database (`crate::follower`).
    pub fn take_in(&self, touched: Touched) {
        self.log().push(touched);
        self.version.send_modify(|v| *v += 1);
    }

    /// Forgets the changes other servers have long read (Postgres).
    pub fn forget_old_changes(&self) {
        if let Database::Postgres(pg) = &self.db
            && let Err(e) = pg.forget_old_changes()
        {
            tracing::warn!(error = %e, "could not forget old registry changes; trying again later");
        }
    }

    /// Fires after every change that can alter who may see what; [`Registry::touched_since`]
    /// says whose access and which documents' it can alter.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Where the log of changes ends now: a reader starts here.
    pub fn change_mark(&self) -> u64 {
        self.log().end()
    }

    /// What the changes since `mark` touched, and the mark to read on from. A reader who fell
    /// so far behind that the log forgot some of them hears that everyone was touched.
    pub fn touched_since(&self, mark: u64) -> (Touched, u64) {
        let log = self.log();
        (log.since(mark), log.end())
    }

    /// Runs `f` as one write transaction. What `touched` says it touched is, on Postgres,
    /// recorded in the same transaction for the other servers (`crate::follower`), so a change
    /// is never committed without them learning of it; once committed, this server takes it in
    /// and the others are woken.
    fn write_touching<T>(
        &self,
        mut f: impl FnMut(&mut dyn Db) -> Result<T, RegistryError>,
        touched: impl Fn(&T) -> Option<Touched>,
    ) -> Result<T, RegistryError> {
        let (done, touched) = self.db.write(|db| {
            let done = f(db)?;
            let touched = touched(&done);
            if let (Some(touched), Database::Postgres(pg)) = (&touched, &self.db) {
                let json =
                    serde_json::to_string(touched).map_err(|e| DbError::Postgres(e.to_string()))?;
                db.execute(
                    "INSERT INTO registry_changes (writer, touched) VALUES (?1, ?2)",
                    params![pg.writer(), json],
                )?;
            }
            Ok::<_, RegistryError>((done, touched))
        })?;
        if let Some(touched) = touched {
            if let Database::Postgres(pg) = &self.db {
                pg.wake_others();
            }
            self.take_in(touched);
        }
        Ok(done)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, RegistryError> {
        self.db.read(|db| {
            let row = db.query_opt(
                "SELECT value FROM registry_settings WHERE key = ?1",
                params![key],
            )?;
            Ok(row.map(|r| r.text(0)).transpose()?)
        })
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), RegistryError> {
        self.db.write(|db| {
            db.execute(
                "INSERT INTO registry_settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    // -- Programmes, members, devices -----------------------------------------------------------

    /// Creates a programme with its coordinator: `person` if she is known here already, else a
    /// new person. Returns the coordinator's person id, or `None` if the programme exists.
    pub fn create_programme(
        &self,
        programme: &str,
        name: &str,
        school: &str,
        person: Option<&str>,
        coordinator_name: &str,
    ) -> Result<Option<String>, RegistryError> {
        let coordinator = person.map_or_else(new_person, str::to_owned);
        let at = now();
        let created = self.write_touching(
            |db| {
                let inserted = db.execute(
                    "INSERT INTO programmes (id, name, school, coordinator, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                    params![programme, name, school, &coordinator, &at],
                )?;
                if inserted == 0 {
                    return Ok::<_, RegistryError>(false);
                }
                db.execute(
                    "INSERT INTO members (programme, person, role, name, active, joined_at)
                 VALUES (?1, ?2, 'coordinator', ?3, 1, ?4)",
                    params![programme, &coordinator, coordinator_name, &at],
                )?;
                Ok(true)
            },
            |created| created.then(|| Touched::person(&coordinator)),
        )?;
        Ok(created.then_some(coordinator))
    }

    /// Gives a device of `person` a credential (stored hashed). A device id already bound to
    /// someone else is refused (false).
    pub fn add_device(
        &self,
        peer: &str,
        person: &str,
        credential: &str,
        label: &str,
    ) -> Result<bool, RegistryError> {
        let credential_hash = hash(credential);
        let at = now();
        self.db.write(|db| {
            let owner =
                db.query_opt("SELECT person FROM devices WHERE peer = ?1", params![peer])?;
            if let Some(owner) = owner
                && owner.text(0)? != person
            {
                return Ok(false);
            }
            db.execute(
                "INSERT INTO devices (peer, person, credential_hash, created_at, label)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(peer) DO UPDATE SET credential_hash = excluded.credential_hash",
                params![peer, person, &credential_hash, &at, label],
            )?;
            Ok(true)
        })
    }

    /// A person's devices: (peer, label, added, last seen).
    pub fn devices(&self, person: &str) -> Result<Vec<DeviceRow>, RegistryError> {
        self.db.read(|db| {
            let rows = db.query(
                "SELECT peer, label, created_at, last_seen FROM devices WHERE person = ?1
                 ORDER BY created_at, peer",
                params![person],
            )?;
            let devices = rows
                .iter()
                .map(|r| {
                    Ok(DeviceRow {
                        peer: r.text(0)?,
                        label: r.text(1)?,
                        added_at: r.text(2)?,
                        last_seen: r.opt_text(3)?,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            Ok(devices)
        })
    }

    /// Takes a device's credential away; false if it is not hers. Her open linking and recovery
    /// codes go too: a device taken from her may have made one (she makes a new one).
    pub fn remove_device(&self, person: &str, peer: &str) -> Result<bool, RegistryError> {
        let n = self.write_touching(
            |db| {
                let n = db.execute(
                    "DELETE FROM devices WHERE person = ?1 AND peer = ?2",
                    params![person, peer],
                )?;
                if n > 0 {
                    db.execute("DELETE FROM link_codes WHERE person = ?1", params![person])?;
                }
                Ok(n)
            },
            |n| (*n > 0).then(|| Touched::person(person)),
        )?;
        Ok(n > 0)
    }

    /// Whether a device still holds a credential (it was not removed, and its person did not
    /// leave every programme).
    pub fn device_active(&self, peer: &str) -> Result<bool, RegistryError> {
        self.db.read(|db| {
            Ok(db
                .query_opt("SELECT 1 FROM devices WHERE peer = ?1", params![peer])?
                .is_some())
        })
    }

    /// Keeps a single-use code (hashed) that links another device to `person` until `expires_at`,
    /// in place of her earlier code of the same kind.
    pub fn create_link_code(
        &self,
        person: &str,
        code: &str,
        expires_at: &str,
        kind: LinkKind,
    ) -> Result<(), RegistryError> {
        let code_hash = hash(code);
        let at = now();
        self.db.write(|db| {
            db.execute(
                "DELETE FROM link_codes WHERE (person = ?1 AND kind = ?3) OR expires_at < ?2",
                params![person, &at, kind.as_str()],
            )?;
            db.execute(
                "INSERT INTO link_codes (code_hash, person, expires_at, kind)
                 VALUES (?1, ?2, ?3, ?4)",
                params![&code_hash, person, expires_at, kind.as_str()],
            )?;
            Ok(())
        })
    }

    /// Uses up a linking code: the person it links to, if it is known and not expired.
    pub fn take_link_code(
        &self,
        code: &str,
        attempt: &str,
        peer: &str,
    ) -> Result<Option<String>, RegistryError> {
        let (code_hash, attempt_hash, at) = (hash(code), hash(attempt), now());
        // Spent, not deleted: the same attempt from the same device may come again.
        self.db.write(|db| {
            let row = db.query_opt(
                "UPDATE link_codes SET attempt_hash = ?2, peer = ?3
                 WHERE code_hash = ?1 AND peer IS NULL AND expires_at >= ?4 RETURNING person",
                params![&code_hash, &attempt_hash, peer, &at],
            )?;
            Ok(row.map(|r| r.text(0)).transpose()?)
        })
    }

    /// The person a link code linked `peer` to with this attempt secret (a retry after the
    /// answer was lost), while that device is still hers.
    pub fn linked_by(
        &self,
        code: &str,
        attempt: &str,
        peer: &str,
    ) -> Result<Option<String>, RegistryError> {
        if attempt.is_empty() {
            return Ok(None);
        }
        let (code_hash, attempt_hash) = (hash(code), hash(attempt));
        self.db.read(|db| {
            let row = db.query_opt(
                "SELECT l.person FROM link_codes l
                 JOIN devices d ON d.peer = l.peer AND d.person = l.person
                 WHERE l.code_hash = ?1 AND l.attempt_hash = ?2 AND l.peer = ?3",
                params![&code_hash, &attempt_hash, peer],
            )?;
            Ok(row.map(|r| r.text(0)).transpose()?)
        })
    }

    /// The device and person a credential belongs to.
    pub fn device_for(&self, credential: &str) -> Result<Option<(String, String)>, RegistryError> {
        let credential_hash = hash(credential);
        self.db.read(|db| {
            let row = db.query_opt(
                "SELECT peer, person FROM devices WHERE credential_hash = ?1",
                params![&credential_hash],
            )?;
            Ok(row
                .map(|r| Ok::<_, DbError>((r.text(0)?, r.text(1)?)))
                .transpose()?)
        })
    }

    pub fn person_of_peer(&self, peer: &str) -> Result<Option<String>, RegistryError> {
        self.db.read(|db| {
            let row = db.query_opt("SELECT person FROM devices WHERE peer = ?1", params![peer])?;
            Ok(row.map(|r| r.text(0)).transpose()?)
        })
    }

    /// Records when devices were heard from (device, time), in one transaction.
    pub fn seen(&self, heard: &[(String, String)]) -> Result<(), RegistryError> {
        self.db.write(|db| {
            for (peer, at) in heard {
                db.execute(
                    "UPDATE devices SET last_seen = ?2 WHERE peer = ?1",
                    params![peer, at],
                )?;
            }
            Ok(())
        })
    }

    /// What the access rules need to know about a person.
    pub fn actor(&self, person: &str) -> Result<Actor, RegistryError> {
        self.db.read(|db| {
            let rows = db.query(
                "SELECT m.programme, m.role, m.active, p.archived_at IS NOT NULL
                 FROM members m JOIN programmes p ON p.id = m.programme WHERE m.person = ?1",
                params![person],
            )?;
            let mut memberships = Vec::new();
            for r in &rows {
                let (programme, role, active, archived) =
                    (r.text(0)?, r.text(1)?, r.flag(2)?, r.flag(3)?);
                if let Some(role) = role_from(&role) {
                    memberships.push(Membership {
                        programme,
                        role,
                        active,
                        archived,
                    });
                }
            }
            let groups = db.texts(
                "SELECT gm.grp FROM group_members gm JOIN groups g ON g.id = gm.grp
                 WHERE gm.person = ?1 AND g.active = 1",
                params![person],
            )?;
            Ok(Actor {
                person: person.to_owned(),
                memberships,
                groups,
            })
        })
    }

    /// The role of a person in a programme, if she is an active member.
    pub fn role(&self, programme: &str, person: &str) -> Result<Option<Role>, RegistryError> {
        let role = self.db.read(|db| {
            let row = db.query_opt(
                "SELECT role FROM members WHERE programme = ?1 AND person = ?2 AND active = 1",
                params![programme, person],
            )?;
            Ok::<_, RegistryError>(row.map(|r| r.text(0)).transpose()?)
        })?;
        Ok(role.as_deref().and_then(role_from))
    }

    /// Ends a person's part in a programme: she loses access to all of it at once, and once she
    /// is in no programme any more her devices lose their credentials.
    pub fn withdraw(&self, programme: &str, person: &str) -> Result<bool, RegistryError> {
        let n = self.write_touching(
            |db| {
                let n = db.execute(
                    "UPDATE members SET active = 0
                 WHERE programme = ?1 AND person = ?2 AND active = 1",
                    params![programme, person],
                )?;
                db.execute(
                    "DELETE FROM devices WHERE person = ?1 AND NOT EXISTS
                     (SELECT 1 FROM members WHERE person = ?1 AND active = 1)",
                    params![person],
                )?;
                // Out of every programme: no code may bring her devices back either.
                db.execute(
                    "DELETE FROM link_codes WHERE person = ?1 AND NOT EXISTS
                     (SELECT 1 FROM members WHERE person = ?1 AND active = 1)",
                    params![person],
                )?;
                Ok(n)
            },
            |n| (*n > 0).then(|| Touched::person(person)),
        )?;
        Ok(n > 0)
    }

    pub fn members(&self, programme: &str) -> Result<Vec<MemberStatus>, RegistryError> {
        self.db.read(|db| {
            let rows = db.query(
                "SELECT m.person, m.name, m.role, m.active, m.invitation,
                        (SELECT max(d.last_seen) FROM devices d WHERE d.person = m.person)
                 FROM members m WHERE m.programme = ?1 ORDER BY m.joined_at",
                params![programme],
            )?;
            let mut members = Vec::new();
            for r in &rows {
                let Some(role) = role_from(&r.text(2)?) else {
                    continue;
                };
                members.push(MemberStatus {
                    person: r.text(0)?,
                    name: r.text(1)?,
                    role,
                    active: r.flag(3)?,
                    invitation: r.opt_text(4)?,
                    last_seen: r.opt_text(5)?,
                });
            }
            Ok(members)
        })
    }

    // -- Invitations ----------------------------------------------------------------------------

    pub fn create_invitation(&self, i: &NewInvitation<'_>) -> Result<(), RegistryError> {
        self.create_invitations(std::slice::from_ref(i))
    }

    /// Records invitations all at once, in one transaction: all or none.
    pub fn create_invitations(&self, all: &[NewInvitation<'_>]) -> Result<(), RegistryError> {
        let code_hashes: Vec<String> = all.iter().map(|i| hash(i.code)).collect();
        self.db.write(|db| {
            for (i, code_hash) in all.iter().zip(&code_hashes) {
                db.execute(
                    "INSERT INTO invitations
                         (id, code_hash, programme, role, name, email, expires_at, state)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open')",
                    params![
                        i.id,
                        code_hash,
                        i.programme,
                        role_code(i.role),
                        i.name,
                        i.email,
                        i.expires_at
                    ],
                )?;
            }
            Ok(())
        })
    }

    pub fn invitation(&self, code: &str) -> Result<Option<Invitation>, RegistryError> {
        let code_hash = hash(code);
        self.db.read(|db| {
            let Some(r) = db.query_opt(
                "SELECT i.id, i.programme, p.name, p.school,
                        (SELECT m.name FROM members m
                         WHERE m.programme = p.id AND m.person = p.coordinator),
                        i.role, i.name, i.expires_at, i.state
                 FROM invitations i JOIN programmes p ON p.id = i.programme
                 WHERE i.code_hash = ?1",
                params![&code_hash],
            )?
            else {
                return Ok(None);
            };
            let Some(role) = role_from(&r.text(5)?) else {
                return Ok(None);
            };
            Ok(Some(Invitation {
                id: r.text(0)?,
                programme: r.text(1)?,
                programme_name: r.text(2)?,
                school: r.text(3)?,
                coordinator_name: r.opt_text(4)?.unwrap_or_default(),
                role,
                name: r.text(6)?,
                expires_at: r.text(7)?,
                state: InvitationState::parse(&r.text(8)?),
            }))
        })
    }

    /// Accepts an open invitation: for `person` if she is known here already (a second
    /// programme), else for a new person. Returns her person id.
    /// `attempt` is a secret the device made for this acceptance and sends again when it retries
    /// (after a lost answer or a crash): see [`Registry::accepted_by`].
    pub fn accept(
        &self,
        invitation: &Invitation,
        person: Option<&str>,
        name: &str,
        attempt: &str,
    ) -> Result<Accept, RegistryError> {
        let person = person.map_or_else(new_person, str::to_owned);
        let attempt_hash = (!attempt.is_empty()).then(|| hash(attempt));
        let at = now();
        let accepted = self.write_touching(
            |db| {
                let member = db.query_opt(
                    "SELECT 1 FROM members WHERE programme = ?1 AND person = ?2",
                    params![&invitation.programme, &person],
                )?;
                if member.is_some() {
                    return Ok::<_, RegistryError>(Accept::AlreadyMember);
                }
                let taken = db.execute(
                    "UPDATE invitations
                 SET state = 'accepted', person = ?2, decided_at = ?3, attempt_hash = ?4
                 WHERE id = ?1 AND state = 'open'",
                    params![&invitation.id, &person, &at, attempt_hash.as_deref()],
                )?;
                if taken == 0 {
                    return Ok(Accept::Used);
                }
                db.execute(
                "INSERT INTO members (programme, person, role, name, active, invitation, joined_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
                params![
                    &invitation.programme,
                    &person,
                    role_code(invitation.role),
                    name,
                    &invitation.id,
                    &at
                ],
            )?;
                Ok(Accept::Member(person.clone()))
            },
            |accepted| matches!(accepted, Accept::Member(_)).then(|| Touched::person(&person)),
        )?;
        Ok(accepted)
    }

    /// The person who accepted the invitation with `code` in the attempt `attempt`, if she is
    /// still a member: the same acceptance, retried.
    pub fn accepted_by(&self, code: &str, attempt: &str) -> Result<Option<String>, RegistryError> {
        if attempt.is_empty() {
            return Ok(None);
        }
        let (code_hash, attempt_hash) = (hash(code), hash(attempt));
        self.db.read(|db| {
            let row = db.query_opt(
                "SELECT i.person FROM invitations i
                 JOIN members m
                     ON m.programme = i.programme AND m.person = i.person AND m.active = 1
                 WHERE i.code_hash = ?1 AND i.state = 'accepted' AND i.attempt_hash = ?2",
                params![&code_hash, &attempt_hash],
            )?;
            Ok(row.map(|r| r.text(0)).transpose()?)
        })
    }

    /// Declines an open invitation; the name and address it was made out to are not kept.
    pub fn decline(&self, invitation: &Invitation) -> Result<bool, RegistryError> {
        let at = now();
        let n = self.db.write(|db| {
            db.execute(
                "UPDATE invitations SET state = 'declined', name = '', email = '', decided_at = ?2
                 WHERE id = ?1 AND state = 'open'",
                params![&invitation.id, &at],
            )
        })?;
        if n > 0 {
            self.checkpoint()?;
        }
        Ok(n > 0)
    }

    pub fn revoke_invitation(&self, programme: &str, id: &str) -> Result<bool, RegistryError> {
        let at = now();
        let n = self.db.write(|db| {
            db.execute(
                "UPDATE invitations SET state = 'revoked', decided_at = ?3
                 WHERE id = ?1 AND programme = ?2 AND state = 'open'",
                params![id, programme, &at],
            )
        })?;
        Ok(n > 0)
    }

    pub fn invitations(&self, programme: &str) -> Result<Vec<InvitationStatus>, RegistryError> {
        self.db.read(|db| {
            let rows = db.query(
                "SELECT id, name, email, role, state, expires_at, person FROM invitations
                 WHERE programme = ?1 ORDER BY expires_at, name, id",
                params![programme],
            )?;
            let mut invitations = Vec::new();
            for r in &rows {
                let Some(role) = role_from(&r.text(3)?) else {
                    continue;
                };
                invitations.push(InvitationStatus {
                    id: r.text(0)?,
                    name: r.text(1)?,
                    email: r.text(2)?,
                    role,
                    state: InvitationState::parse(&r.text(4)?).code(),
                    expires_at: r.text(5)?,
                    person: r.opt_text(6)?,
                });
            }
            Ok(invitations)
        })
    }

    // -- Groups and documents ---------------------------------------------------------------------

    /// Forms a group once, with its group and notes documents, in one transaction: either all
    /// of it is recorded or nothing is. The same request again (a retry after a lost answer)
    /// finds the group it formed; anything else with a known group id is refused.
    pub fn form_group(&self, group: &NewGroup) -> Result<Formed, RegistryError> {
        let formed = self.write_touching(
            |db| {
                let existing = db.query_opt(
                "SELECT programme, kind, active, group_doc, notes_doc FROM groups WHERE id = ?1",
                params![&group.id],
            )?;
                if let Some(r) = existing {
                    let (programme, kind, active, group_doc, notes_doc): FormedRow = (
                        r.text(0)?,
                        r.text(1)?,
                        r.flag(2)?,
                        r.opt_text(3)?,
                        r.opt_text(4)?,
                    );
                    let mut members = db.texts(
                        "SELECT person FROM group_members WHERE grp = ?1",
                        params![&group.id],
                    )?;
                    members.sort();
                    let mut asked = group.members.clone();
                    asked.sort();
                    asked.dedup();
                    let same = programme == group.programme
                        && kind == group.kind
                        && active
                        && members == asked
                        && group_doc.as_deref() == Some(group.group_doc.as_str());
                    return Ok::<_, RegistryError>(match notes_doc {
                        Some(notes) if same => Formed::Already(notes),
                        _ => Formed::Conflict,
                    });
                }
                let taken = db
                    .query_opt(
                        "SELECT count(*) FROM doc_access WHERE id IN (?1, ?2)",
                        params![&group.group_doc, &group.notes_doc],
                    )?
                    .map(|r| r.int(0))
                    .transpose()?
                    .unwrap_or(0);
                if taken > 0 {
                    return Ok(Formed::Conflict);
                }
                db.execute(
                    "INSERT INTO groups (id, programme, kind, active, group_doc, notes_doc)
                 VALUES (?1, ?2, ?3, 1, ?4, ?5)",
                    params![
                        &group.id,
                        &group.programme,
                        group.kind,
                        &group.group_doc,
                        &group.notes_doc
                    ],
                )?;
                for person in &group.members {
                    db.execute(
                        "INSERT INTO group_members (grp, person) VALUES (?1, ?2)
                     ON CONFLICT DO NOTHING",
                        params![&group.id, person],
                    )?;
                }
                for (doc, kind) in [(&group.group_doc, "group"), (&group.notes_doc, "notes")] {
                    db.execute(
                        "INSERT INTO doc_access (id, kind, programme, grp, owner)
                     VALUES (?1, ?2, ?3, ?4, NULL)",
                        params![doc, kind, &group.programme, &group.id],
                    )?;
                }
                Ok(Formed::New)
            },
            |formed| {
                (*formed == Formed::New).then(|| Touched {
                    people: group.members.iter().cloned().collect(),
                    documents: [group.group_doc.clone(), group.notes_doc.clone()].into(),
                    everyone: false,
                })
            },
        )?;
        Ok(formed)
    }

    /// The programme a group belongs to, and whether it is still active.
    pub fn group(&self, group: &str) -> Result<Option<(String, bool)>, RegistryError> {
        self.db.read(|db| {
            let row = db.query_opt(
                "SELECT programme, active FROM groups WHERE id = ?1",
                params![group],
            )?;
            Ok(row
                .map(|r| Ok::<_, DbError>((r.text(0)?, r.flag(1)?)))
                .transpose()?)
        })
    }

    /// Dissolves a group: its members lose access to its documents at once.
    pub fn dissolve_group(&self, group: &str) -> Result<bool, RegistryError> {
        let n = self.write_touching(
            |db| {
                let n = db.execute(
                    "UPDATE groups SET active = 0 WHERE id = ?1 AND active = 1",
                    params![group],
                )?;
                let members = db.texts(
                    "SELECT person FROM group_members WHERE grp = ?1",
                    params![group],
                )?;
                Ok((n, members))
            },
            |(n, members)| {
                (*n > 0).then(|| Touched {
                    people: members.iter().cloned().collect(),
                    ..Touched::default()
                })
            },
        )?;
        Ok(n.0 > 0)
    }

    /// Records a document's description: refused if the id is taken by another description, or
    /// (for her private notes on a group, of which she has one) if another document already is.
    pub fn register(&self, id: &str, doc: &DocEntry) -> Result<Registration, RegistryError> {
        let (registration, _) = self.write_touching(
            |db| {
                // An erased document stays erased: its id is not taken again.
                let erased =
                    db.query_opt("SELECT 1 FROM erased_documents WHERE id = ?1", params![id])?;
                if erased.is_some() {
                    return Ok::<_, RegistryError>((Registration::Conflict, false));
                }
                if doc.kind == DocKind::Private {
                    let taken = db.query_opt(
                        "SELECT id FROM doc_access WHERE kind = ?1 AND programme = ?2
                     AND grp IS NOT DISTINCT FROM ?3 AND owner IS NOT DISTINCT FROM ?4
                     AND id != ?5 ORDER BY id LIMIT 1",
                        params![
                            doc.kind.as_str(),
                            &doc.programme,
                            doc.group.as_deref(),
                            doc.owner.as_deref(),
                            id
                        ],
                    )?;
                    if let Some(existing) = taken {
                        return Ok((Registration::Taken(existing.text(0)?), false));
                    }
                }
                let existing = db.query_opt(
                    "SELECT kind, programme, grp, owner FROM doc_access WHERE id = ?1",
                    params![id],
                )?;
                if let Some(r) = existing {
                    let same = (r.text(0)?, r.text(1)?, r.opt_text(2)?, r.opt_text(3)?)
                        == (
                            doc.kind.as_str().to_owned(),
                            doc.programme.clone(),
                            doc.group.clone(),
                            doc.owner.clone(),
                        );
                    let registration = if same {
                        Registration::Done
                    } else {
                        Registration::Conflict
                    };
                    return Ok((registration, false));
                }
                db.execute(
                    "INSERT INTO doc_access (id, kind, programme, grp, owner)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        id,
                        doc.kind.as_str(),
                        &doc.programme,
                        doc.group.as_deref(),
                        doc.owner.as_deref()
                    ],
                )?;
                Ok((Registration::Done, true))
            },
            |(_, inserted)| inserted.then(|| Touched::document(id)),
        )?;
        Ok(registration)
    }

    pub fn document(&self, id: &str) -> Result<Option<DocEntry>, RegistryError> {
        self.db.read(|db| {
            let Some(r) = db.query_opt(
                "SELECT kind, programme, grp, owner FROM doc_access WHERE id = ?1",
                params![id],
            )?
            else {
                return Ok(None);
            };
            let Some(kind) = DocKind::parse(&r.text(0)?) else {
                return Ok(None);
            };
            Ok(Some(DocEntry {
                kind,
                programme: r.text(1)?,
                group: r.opt_text(2)?,
                owner: r.opt_text(3)?,
            }))
        })
    }

    /// Whether participants of a programme choose each other (so they see each other's names).
    pub fn set_matching(&self, programme: &str, matching: bool) -> Result<(), RegistryError> {
        self.write_touching(
            |db| {
                let n = db.execute(
                    "UPDATE programmes SET matching = ?2 WHERE id = ?1 AND matching != ?2",
                    params![programme, matching],
                )?;
                // Participants of a matching programme see each other's names.
                let members = db.texts(
                    "SELECT person FROM members WHERE programme = ?1",
                    params![programme],
                )?;
                Ok((n, members))
            },
            |(n, members)| {
                (*n > 0).then(|| Touched {
                    people: members.iter().cloned().collect(),
                    ..Touched::default()
                })
            },
        )?;
        Ok(())
    }

    /// The names a person sees: her own, her groups' members', her programmes' coordinators';
    /// a coordinator sees her programmes' members; in a matching programme, its active
    /// participants. One entry per person.
    pub fn people_near(&self, person: &str) -> Result<Vec<PersonName>, RegistryError> {
        let rows = self.db.read(|db| {
            db.query(
                "SELECT m.person, m.name, m.role FROM members m WHERE m.person = ?1
                 UNION ALL
                 SELECT m.person, m.name, m.role FROM members me
                 JOIN members m ON m.programme = me.programme
                 JOIN programmes p ON p.id = me.programme
                 WHERE me.person = ?1 AND me.active = 1 AND (
                     me.role = 'coordinator' OR m.role = 'coordinator'
                     OR (p.matching = 1 AND m.active = 1 AND m.role IN ('mentor', 'mentee')))
                 UNION ALL
                 SELECT m.person, m.name, m.role FROM group_members mine
                 JOIN group_members other ON other.grp = mine.grp
                 JOIN groups g ON g.id = mine.grp
                 JOIN members m ON m.person = other.person AND m.programme = g.programme
                 WHERE mine.person = ?1",
                params![person],
            )
        })?;
        let mut seen = std::collections::HashSet::new();
        let mut people = Vec::new();
        for r in &rows {
            let (person, name) = (r.text(0)?, r.text(1)?);
            let Some(role) = role_from(&r.text(2)?) else {
                continue;
            };
            if seen.insert(person.clone()) {
                people.push(PersonName { person, name, role });
            }
        }
        Ok(people)
    }

    /// She changed her name: every programme she is in knows her by the new one.
    pub fn rename(&self, person: &str, name: &str) -> Result<(), RegistryError> {
        // Names show in the directories of the people she works with.
        self.write_touching(
            |db| {
                Ok(db.execute(
                    "UPDATE members SET name = ?2 WHERE person = ?1",
                    params![person, name],
                )?)
            },
            |_| Some(Touched::person(person)),
        )?;
        self.checkpoint()
    }

    /// Whose directory a change can alter: the people it touched and those who see them (their
    /// groups' members, their programmes' coordinators, a coordinator's members, a matching
    /// programme's participants), and for a document, who may list it (its owner, its group's
    /// members, its programme's coordinators, or the whole programme for a programme's own).
    pub fn audience(&self, touched: &Touched) -> Result<Audience, RegistryError> {
        if touched.everyone {
            return Ok(Audience::Everyone);
        }
        self.db.read(|db| {
            let mut people = touched.people.clone();
            for person in &touched.people {
                people.extend(seers(db, person)?);
            }
            for document in &touched.documents {
                people.extend(db.texts(
                    "SELECT owner FROM doc_access WHERE id = ?1 AND owner IS NOT NULL
                     UNION
                     SELECT gm.person FROM doc_access d JOIN group_members gm ON gm.grp = d.grp
                         WHERE d.id = ?1
                     UNION
                     SELECT m.person FROM doc_access d JOIN members m ON m.programme = d.programme
                         WHERE d.id = ?1
                           AND (m.role = 'coordinator' OR (d.grp IS NULL AND d.owner IS NULL))",
                    params![document],
                )?);
            }
            Ok(Audience::People(people))
        })
    }

    /// Erases a person from the registry in one transaction: her memberships, group places,
    /// devices (their credentials are remembered, hashed, as erased so her other devices learn
    /// it and erase their copies), linking and recovery codes, the invitations she accepted,
    /// and the access entries of the documents she owns, whose ids are returned so their
    /// chunks can be deleted. A coordinator is refused: her programme ends by being erased.
    pub fn erase_person(&self, person: &str) -> Result<Erasure, RegistryError> {
        let at = now();
        let erased = self.write_touching(
            |db| {
                let coordinates = db.query_opt(
                    "SELECT 1 FROM members WHERE person = ?1 AND role = 'coordinator'",
                    params![person],
                )?;
                if coordinates.is_some() {
                    return Ok(None);
                }
                // Who saw her, found before her rows go: their directories lose her name.
                let saw_her = seers(db, person)?;
                let documents = db.texts(
                    "SELECT id FROM doc_access WHERE owner = ?1 ORDER BY id",
                    params![person],
                )?;
                remember_erased_documents(db, &documents, &at)?;
                db.execute("DELETE FROM doc_access WHERE owner = ?1", params![person])?;
                erase_devices(db, person, &at)?;
                db.execute(
                    "DELETE FROM group_members WHERE person = ?1",
                    params![person],
                )?;
                db.execute("DELETE FROM invitations WHERE person = ?1", params![person])?;
                db.execute("DELETE FROM members WHERE person = ?1", params![person])?;
                Ok(Some((saw_her, documents)))
            },
            |erased| {
                erased.as_ref().map(|(saw_her, documents)| {
                    let mut touched = Touched::person(person);
                    touched.people.extend(saw_her.iter().cloned());
                    touched.documents.extend(documents.iter().cloned());
                    touched
                })
            },
        )?;
        Ok(match erased {
            Some((_, documents)) => Erasure::Erased(documents),
            None => Erasure::Coordinator,
        })
    }

    /// Ends a programme: from now on everything in it is read-only for everyone. False if it
    /// was archived already.
    pub fn archive_programme(&self, programme: &str) -> Result<bool, RegistryError> {
        let at = now();
        let n = self.write_touching(
            |db| {
                Ok(db.execute(
                    "UPDATE programmes SET archived_at = ?2 WHERE id = ?1 AND archived_at IS NULL",
                    params![programme, &at],
                )?)
            },
            |n| (*n > 0).then(Touched::everyone),
        )?;
        Ok(n > 0)
    }

    /// Whether a programme was archived.
    pub fn archived(&self, programme: &str) -> Result<bool, RegistryError> {
        self.db.read(|db| {
            let row = db.query_opt(
                "SELECT archived_at IS NOT NULL FROM programmes WHERE id = ?1",
                params![programme],
            )?;
            Ok(row.map(|r| r.flag(0)).transpose()?.unwrap_or(false))
        })
    }

    /// Erases a programme from the registry in one transaction: its documents' access entries
    /// (their ids are returned, to delete their chunks, and remembered so devices drop them),
    /// groups, invitations, members and the programme itself; people who are in no other
    /// programme lose their devices' credentials (remembered as erased, so those devices erase
    /// themselves) and codes, except the coordinator who erases it (`keeps`): her device keeps
    /// what she keeps of it, and she may set up the next year's.
    pub fn erase_programme(
        &self,
        programme: &str,
        keeps: &str,
    ) -> Result<Vec<String>, RegistryError> {
        let at = now();
        self.write_touching(
            |db| {
                let documents = db.texts(
                    "SELECT id FROM doc_access WHERE programme = ?1 ORDER BY id",
                    params![programme],
                )?;
                let people = db.texts(
                    "SELECT person FROM members WHERE programme = ?1",
                    params![programme],
                )?;
                remember_erased_documents(db, &documents, &at)?;
                db.execute(
                    "DELETE FROM doc_access WHERE programme = ?1",
                    params![programme],
                )?;
                db.execute(
                    "DELETE FROM group_members
                 WHERE grp IN (SELECT id FROM groups WHERE programme = ?1)",
                    params![programme],
                )?;
                db.execute(
                    "DELETE FROM groups WHERE programme = ?1",
                    params![programme],
                )?;
                db.execute(
                    "DELETE FROM invitations WHERE programme = ?1",
                    params![programme],
                )?;
                db.execute(
                    "DELETE FROM members WHERE programme = ?1",
                    params![programme],
                )?;
                db.execute("DELETE FROM programmes WHERE id = ?1", params![programme])?;
                for person in people.iter().filter(|p| p.as_str() != keeps) {
                    let elsewhere = db.query_opt(
                        "SELECT 1 FROM members WHERE person = ?1 AND active = 1",
                        params![person],
                    )?;
                    if elsewhere.is_none() {
                        erase_devices(db, person, &at)?;
                    }
                }
                Ok(documents)
            },
            |_| Some(Touched::everyone()),
        )
    }

    /// Whether `person` left `programme` and is active in no programme (so only its coordinator
    /// can still have her erased).
    pub fn left_for_good(&self, programme: &str, person: &str) -> Result<bool, RegistryError> {
        self.db.read(|db| {
            Ok(db
                .query_opt(
                    "SELECT 1 FROM members WHERE programme = ?1 AND person = ?2 AND active = 0
                     AND NOT EXISTS (SELECT 1 FROM members WHERE person = ?2 AND active = 1)",
                    params![programme, person],
                )?
                .is_some())
        })
    }

    /// Whether a credential belonged to a device whose person was erased.
    pub fn credential_erased(&self, credential: &str) -> Result<bool, RegistryError> {
        let credential_hash = hash(credential);
        self.db.read(|db| {
            Ok(db
                .query_opt(
                    "SELECT 1 FROM erased_credentials WHERE credential_hash = ?1",
                    params![&credential_hash],
                )?
                .is_some())
        })
    }

    /// Documents erased at or after `since` (RFC 3339), for devices to drop. A device that
    /// never asked (an empty `since`) has nothing to drop, and learns nothing of others.
    pub fn erased_since(&self, since: &str) -> Result<Vec<String>, RegistryError> {
        if since.is_empty() {
            return Ok(Vec::new());
        }
        self.erased_ids(since)
    }

    /// Every document erased at or after `since` (the server's own sweep asks for all: `""`).
    pub fn erased_ids(&self, since: &str) -> Result<Vec<String>, RegistryError> {
        self.db.read(|db| {
            Ok(db.texts(
                "SELECT id FROM erased_documents WHERE erased_at >= ?1 ORDER BY erased_at, id",
                params![since],
            )?)
        })
    }

    /// Retention: invitations (names, e-mail addresses) go `keep_days` after they were
    /// accepted, declined or withdrawn, or after they expired; the record of what was erased
    /// goes after a year. Returns how many invitations went.
    pub fn apply_retention(&self, keep_days: u32) -> Result<usize, RegistryError> {
        let now = chrono::Utc::now();
        let stamp =
            |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let cutoff = stamp(now - chrono::Duration::days(i64::from(keep_days)));
        let year_ago = stamp(now - chrono::Duration::days(ERASED_KEPT_DAYS));
        let n = self.db.write(|db| {
            let n = db.execute(
                "DELETE FROM invitations WHERE (state != 'open' AND decided_at < ?1)
                     OR (state = 'open' AND expires_at < ?1)",
                params![&cutoff],
            )?;
            db.execute(
                "DELETE FROM erased_documents WHERE erased_at < ?1",
                params![&year_ago],
            )?;
            db.execute(
                "DELETE FROM erased_credentials WHERE erased_at < ?1",
                params![&year_ago],
            )?;
            Ok::<_, RegistryError>(n)
        })?;
        if n > 0 {
            self.checkpoint()?;
        }
        Ok(n)
    }

    /// Every document in the programmes a person is in, with its description.
    pub fn documents_near(&self, person: &str) -> Result<Vec<(String, DocEntry)>, RegistryError> {
        self.db.read(|db| {
            let rows = db.query(
                "SELECT d.id, d.kind, d.programme, d.grp, d.owner FROM doc_access d
                 WHERE d.programme IN
                     (SELECT programme FROM members WHERE person = ?1 AND active = 1)
                 ORDER BY d.id",
                params![person],
            )?;
            let mut documents = Vec::new();
            for r in &rows {
                let Some(kind) = DocKind::parse(&r.text(1)?) else {
                    continue;
                };
                documents.push((
                    r.text(0)?,
                    DocEntry {
                        kind,
                        programme: r.text(2)?,
                        group: r.opt_text(3)?,
                        owner: r.opt_text(4)?,
                    },
                ));
            }
            Ok(documents)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Postgres registry starts with every column an SQLite one has after its migrations,
    /// of the same type, with the same default, and the same indexes.
    #[test]
    fn the_postgres_schema_has_every_column_and_index_of_the_sqlite_one() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        let tables = registry
            .db
            .read(|db| {
                db.texts(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                    &[],
                )
            })
            .unwrap();
        let postgres: std::collections::BTreeMap<&str, &str> = POSTGRES_SCHEMA
            .split("CREATE TABLE IF NOT EXISTS ")
            .skip(1)
            .map(|t| {
                let (name, body) = t.split_once(" (").unwrap();
                (name, body.split(");").next().unwrap())
            })
            .collect();
        assert_eq!(
            postgres.keys().copied().collect::<Vec<_>>(),
            tables,
            "the same tables"
        );
        for table in &tables {
            let body = format!(
                " {}",
                postgres[table.as_str()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
            let columns = registry
                .db
                .read(|db| db.query(&format!("PRAGMA table_info({table})"), &[]))
                .unwrap();
            for column in columns {
                let name = column.text(1).unwrap();
                let kind = match column.text(2).unwrap().as_str() {
                    "INTEGER" => "BIGINT",
                    _ => "TEXT",
                };
                let mut wanted = format!(" {name} {kind}");
                if column.flag(3).unwrap() {
                    wanted.push_str(" NOT NULL");
                }
                if let Some(default) = column.opt_text(4).unwrap() {
                    wanted.push_str(&format!(" DEFAULT {default}"));
                }
                assert!(
                    body.contains(&wanted),
                    "{table} in Postgres lacks `{wanted}`"
                );
            }
        }
        for index in SQLITE_SCHEMA
            .lines()
            .filter(|l| l.starts_with("CREATE INDEX"))
        {
            assert!(POSTGRES_SCHEMA.contains(index), "Postgres lacks `{index}`");
        }
    }

    #[test]
    fn a_credential_is_stored_only_as_its_hash_and_finds_its_device() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        let c = registry
            .create_programme("p", "ICT", "School", None, "Carla")
            .unwrap()
            .unwrap();
        assert_eq!(c.len(), 32, "the server makes the person id");
        assert!(
            registry
                .create_programme("p", "again", "", None, "X")
                .unwrap()
                .is_none()
        );
        assert!(
            registry
                .add_device("dev-1", &c, "secret-credential", "laptop")
                .unwrap()
        );
        assert!(
            !registry
                .add_device("dev-1", "someone-else", "other", "")
                .unwrap()
        );
        assert_eq!(
            registry.device_for("secret-credential").unwrap(),
            Some(("dev-1".into(), c.clone()))
        );
        assert_eq!(registry.device_for("wrong").unwrap(), None);
        let bytes = std::fs::read(dir.path().join("r.sqlite")).unwrap();
        let wal = std::fs::read(dir.path().join("r.sqlite-wal")).unwrap_or_default();
        for file in [bytes, wal] {
            assert!(!file.windows(17).any(|w| w == b"secret-credential"));
        }
    }

    #[test]
    fn an_invitation_is_accepted_once_and_makes_a_member() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        registry
            .create_programme("p", "ICT", "School", None, "Carla")
            .unwrap();
        registry
            .create_invitation(&NewInvitation {
                id: "i1",
                code: "CODE",
                programme: "p",
                role: Role::Mentor,
                name: "Sanne",
                email: "sanne@school.example",
                expires_at: "2099-01-01T00:00:00Z",
            })
            .unwrap();
        let invitation = registry.invitation("CODE").unwrap().unwrap();
        assert_eq!(invitation.coordinator_name, "Carla");
        let Accept::Member(m) = registry.accept(&invitation, None, "Sanne", "").unwrap() else {
            panic!("not accepted");
        };
        assert_eq!(
            registry.accept(&invitation, None, "Someone", "").unwrap(),
            Accept::Used
        );
        assert_eq!(registry.role("p", &m).unwrap(), Some(Role::Mentor));
        registry.add_device("dev-m", &m, "cred-m", "").unwrap();
        let changes = registry.changes();
        assert!(registry.withdraw("p", &m).unwrap());
        assert!(changes.has_changed().unwrap());
        assert_eq!(registry.role("p", &m).unwrap(), None);
        assert!(
            !registry.device_active("dev-m").unwrap(),
            "a person in no programme keeps no credential"
        );
        assert_eq!(registry.device_for("cred-m").unwrap(), None);
    }

    /// Every public method of the registry, in the order a programme's year goes, with what
    /// each answered (times the registry makes itself left out).
    fn a_year_of(r: &Registry) -> Vec<String> {
        let mut said = Vec::new();
        macro_rules! note {
            ($e:expr) => {
                said.push(format!("{} = {:?}", stringify!($e), $e))
            };
        }
        let expires = "2999-01-01T00:00:00Z";
        let invitation = |id, code, role, name| NewInvitation {
            id,
            code,
            programme: "p",
            role,
            name,
            email: "",
            expires_at: expires,
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        note!(r.set_setting("k", "v").unwrap());
        note!(r.set_setting("k", "w").unwrap());
        note!(r.setting("k").unwrap());
        note!(r.setting("none").unwrap());
        note!(
            r.create_programme("p", "ICT", "School", Some("carla"), "Carla")
                .unwrap()
        );
        note!(
            r.create_programme("p", "again", "", Some("x"), "X")
                .unwrap()
        );
        note!(r.add_device("dev-c", "carla", "cred-c", "laptop").unwrap());
        note!(r.add_device("dev-c", "other", "cred-x", "").unwrap());
        note!(r.device_for("cred-c").unwrap());
        note!(r.person_of_peer("dev-c").unwrap());
        note!(r.device_active("dev-c").unwrap());
        note!(
            r.create_invitation(&invitation("i1", "code-1", Role::Mentor, "Sanne"))
                .unwrap()
        );
        note!(
            r.create_invitations(&[
                invitation("i2", "code-2", Role::Mentee, "Aylin"),
                invitation("i3", "code-3", Role::Mentee, "Bo"),
                invitation("i4", "code-4", Role::Mentee, "Dee"),
            ])
            .unwrap()
        );
        let sanne = r.invitation("code-1").unwrap().unwrap();
        note!(&sanne);
        note!(r.accept(&sanne, Some("sanne"), "Sanne", "att-1").unwrap());
        note!(r.accept(&sanne, Some("sanne"), "Sanne", "att-1").unwrap());
        note!(r.accepted_by("code-1", "att-1").unwrap());
        note!(r.accepted_by("code-1", "wrong").unwrap());
        let aylin = r.invitation("code-2").unwrap().unwrap();
        note!(r.accept(&aylin, Some("aylin"), "Aylin", "att-2").unwrap());
        note!(
            r.decline(&r.invitation("code-3").unwrap().unwrap())
                .unwrap()
        );
        note!(r.revoke_invitation("p", "i4").unwrap());
        note!(r.invitation("code-4").unwrap().map(|i| i.state));
        note!(r.invitations("p").unwrap());
        note!(r.role("p", "sanne").unwrap());
        note!(r.role("p", "nobody").unwrap());
        note!(r.actor("sanne").unwrap());
        note!(r.add_device("dev-s", "sanne", "cred-s", "phone").unwrap());
        note!(r.add_device("dev-a", "aylin", "cred-a", "phone").unwrap());
        note!(
            r.seen(&[("dev-s".into(), "2026-01-01T00:00:00Z".into())])
                .unwrap()
        );
        let mut members = r.members("p").unwrap();
        members.sort_by(|a, b| a.person.cmp(&b.person));
        note!(members);
        note!(
            r.devices("sanne")
                .unwrap()
                .into_iter()
                .map(|d| (d.peer, d.label, d.last_seen))
                .collect::<Vec<_>>()
        );
        note!(
            r.create_link_code("sanne", "link-1", expires, LinkKind::Link)
                .unwrap()
        );
        note!(r.take_link_code("link-1", "att-l", "dev-s2").unwrap());
        note!(r.take_link_code("link-1", "att-l", "dev-s3").unwrap());
        note!(
            r.add_device("dev-s2", "sanne", "cred-s2", "tablet")
                .unwrap()
        );
        note!(r.linked_by("link-1", "att-l", "dev-s2").unwrap());
        note!(
            r.create_link_code("sanne", "rec-1", expires, LinkKind::Recovery)
                .unwrap()
        );
        let pair = NewGroup {
            id: "g1".into(),
            programme: "p".into(),
            kind: "pair",
            members: vec!["sanne".into(), "aylin".into()],
            group_doc: "gd".into(),
            notes_doc: "nd".into(),
        };
        note!(r.form_group(&pair).unwrap());
        note!(r.form_group(&pair).unwrap());
        note!(
            r.form_group(&NewGroup {
                members: vec!["sanne".into()],
                ..pair.clone()
            })
            .unwrap()
        );
        note!(r.group("g1").unwrap());
        let entry = |kind, group: Option<&str>, owner: Option<&str>| DocEntry {
            kind,
            programme: "p".into(),
            group: group.map(str::to_owned),
            owner: owner.map(str::to_owned),
        };
        note!(
            r.register("doc-p", &entry(DocKind::Programme, None, None))
                .unwrap()
        );
        note!(
            r.register("doc-p", &entry(DocKind::Programme, None, None))
                .unwrap()
        );
        note!(
            r.register("doc-p", &entry(DocKind::Roster, None, None))
                .unwrap()
        );
        note!(
            r.register(
                "priv-1",
                &entry(DocKind::Private, Some("g1"), Some("sanne"))
            )
            .unwrap()
        );
        note!(
            r.register(
                "priv-2",
                &entry(DocKind::Private, Some("g1"), Some("sanne"))
            )
            .unwrap()
        );
        note!(r.document("priv-1").unwrap());
        note!(r.document("none").unwrap());
        note!(r.documents_near("sanne").unwrap());
        let near = |person| {
            sorted(
                r.people_near(person)
                    .unwrap()
                    .into_iter()
                    .map(|p| format!("{p:?}"))
                    .collect(),
            )
        };
        note!(near("aylin"));
        note!(r.set_matching("p", true).unwrap());
        note!(near("aylin"));
        note!(r.rename("aylin", "Aylin K.").unwrap());
        note!(near("sanne"));
        note!(r.audience(&Touched::person("aylin")).unwrap());
        note!(r.audience(&Touched::document("priv-1")).unwrap());
        note!(r.audience(&Touched::document("doc-p")).unwrap());
        note!(r.dissolve_group("g1").unwrap());
        note!(r.dissolve_group("g1").unwrap());
        note!(r.group("g1").unwrap());
        note!(r.actor("aylin").unwrap());
        note!(r.remove_device("sanne", "dev-s2").unwrap());
        note!(r.remove_device("sanne", "dev-s2").unwrap());
        note!(
            r.register(
                "priv-a",
                &entry(DocKind::Private, Some("g1"), Some("aylin"))
            )
            .unwrap()
        );
        note!(r.withdraw("p", "sanne").unwrap());
        note!(r.withdraw("p", "sanne").unwrap());
        note!(r.device_for("cred-s").unwrap());
        note!(r.left_for_good("p", "sanne").unwrap());
        note!(r.left_for_good("p", "aylin").unwrap());
        note!(r.erase_person("carla").unwrap());
        note!(r.erase_person("aylin").unwrap());
        note!(r.credential_erased("cred-a").unwrap());
        note!(r.credential_erased("cred-s").unwrap());
        note!(r.erased_ids("").unwrap());
        note!(r.archived("p").unwrap());
        note!(r.archive_programme("p").unwrap());
        note!(r.archive_programme("p").unwrap());
        note!(r.archived("p").unwrap());
        note!(r.apply_retention(30).unwrap());
        note!(sorted(r.erase_programme("p", "carla").unwrap()));
        note!(sorted(r.erased_ids("").unwrap()));
        note!(r.erased_since("").unwrap());
        note!(r.device_for("cred-s").unwrap());
        note!(r.device_for("cred-c").unwrap());
        note!(r.credential_erased("cred-s").unwrap());
        note!(r.touched_since(0).1);
        said
    }

    /// The registry's SQL is written once for both engines: every method answers the same on
    /// Postgres (a cluster of the test's own) as on SQLite.
    #[test]
    fn every_method_answers_the_same_on_postgres_as_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = a_year_of(&Registry::open(&dir.path().join("r.sqlite")).unwrap());
        let cluster = pm_test_postgres::Cluster::start(&dir.path().join("pg"))
            .expect("a Postgres cluster (scripts/setup.sh installs Postgres)");
        let pg = crate::postgres::Postgres::connect(&cluster.url("postgres")).unwrap();
        pg.migrate(POSTGRES_SCHEMA).unwrap();
        let postgres = a_year_of(&Registry::with_database(Database::Postgres(pg)).unwrap());
        for (s, p) in sqlite.iter().zip(&postgres) {
            assert_eq!(s, p, "SQLite (left) and Postgres (right) differ");
        }
        assert_eq!(sqlite.len(), postgres.len());
    }

    fn contains(file: &std::path::Path, needle: &str) -> bool {
        let mut bytes = std::fs::read(file).unwrap();
        bytes.extend(std::fs::read(format!("{}-wal", file.display())).unwrap_or_default());
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn invitations_go_after_retention_and_a_declined_one_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        registry
            .create_programme("p", "ICT", "School", None, "Carla")
            .unwrap();
        let invite = |id: &str, code: &str, name: &str, email: &str, expires: &str| {
            registry
                .create_invitation(&NewInvitation {
                    id,
                    code,
                    programme: "p",
                    role: Role::Mentee,
                    name,
                    email,
                    expires_at: expires,
                })
                .unwrap();
        };
        invite(
            "i1",
            "C1",
            "Sanne",
            "sanne@school.example",
            "2099-01-01T00:00:00Z",
        );
        invite(
            "i2",
            "C2",
            "Bo",
            "bo@school.example",
            "2099-01-01T00:00:00Z",
        );
        invite(
            "i3",
            "C3",
            "Eva",
            "eva@school.example",
            "2000-01-01T00:00:00Z",
        );
        let sanne = registry.invitation("C1").unwrap().unwrap();
        let Accept::Member(person) = registry.accept(&sanne, None, "Sanne", "").unwrap() else {
            panic!("not accepted");
        };
        let bo = registry.invitation("C2").unwrap().unwrap();
        assert!(registry.decline(&bo).unwrap());
        let listed = registry.invitations("p").unwrap();
        let declined = listed.iter().find(|i| i.id == "i2").unwrap();
        assert_eq!((declined.name.as_str(), declined.email.as_str()), ("", ""));
        assert_eq!(declined.state, "declined");
        assert_eq!(
            registry.apply_retention(30).unwrap(),
            1,
            "only the invitation that expired long ago goes now"
        );
        registry
            .db
            .write(|db| {
                db.execute(
                    "UPDATE invitations SET decided_at = '2000-01-01T00:00:00Z'",
                    &[],
                )
            })
            .unwrap();
        assert_eq!(registry.apply_retention(30).unwrap(), 2);
        assert!(registry.invitations("p").unwrap().is_empty());
        assert_eq!(
            registry.role("p", &person).unwrap(),
            Some(Role::Mentee),
            "she stays a member"
        );
        registry.checkpoint().unwrap();
        let file = dir.path().join("r.sqlite");
        assert!(!contains(&file, "sanne@school.example"));
        assert!(!contains(&file, "bo@school.example"));
    }

    #[test]
    fn erasing_a_person_leaves_nothing_of_her_in_the_registry_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.sqlite");
        let registry = Registry::open(&file).unwrap();
        let coordinator = registry
            .create_programme("p", "ICT", "School", None, "Carla")
            .unwrap()
            .unwrap();
        registry
            .create_invitation(&NewInvitation {
                id: "i1",
                code: "C1",
                programme: "p",
                role: Role::Mentee,
                name: "Şeyma Eraseme",
                email: "seyma@school.example",
                expires_at: "2099-01-01T00:00:00Z",
            })
            .unwrap();
        let invitation = registry.invitation("C1").unwrap().unwrap();
        let Accept::Member(seyma) = registry
            .accept(&invitation, None, "Şeyma Eraseme", "")
            .unwrap()
        else {
            panic!("not accepted");
        };
        registry.add_device("dev-s", &seyma, "cred-s", "").unwrap();
        let private = DocEntry {
            kind: DocKind::Private,
            programme: "p".into(),
            group: None,
            owner: Some(seyma.clone()),
        };
        assert_eq!(
            registry.register("doc-private", &private).unwrap(),
            Registration::Done
        );
        let names = |person: &str| -> Vec<String> {
            registry
                .people_near(person)
                .unwrap()
                .into_iter()
                .map(|p| p.name)
                .collect()
        };
        assert!(names(&coordinator).contains(&"Şeyma Eraseme".to_owned()));
        registry.checkpoint().unwrap();
        assert!(contains(&file, "Eraseme"), "the scan finds her before");

        assert_eq!(
            registry.erase_person(&coordinator).unwrap(),
            Erasure::Coordinator,
            "a coordinator ends with her programme"
        );
        assert_eq!(
            registry.erase_person(&seyma).unwrap(),
            Erasure::Erased(vec!["doc-private".into()])
        );
        assert_eq!(registry.device_for("cred-s").unwrap(), None);
        assert!(registry.credential_erased("cred-s").unwrap());
        assert!(!registry.credential_erased("cred-other").unwrap());
        assert_eq!(registry.erased_ids("").unwrap(), vec!["doc-private"]);
        assert!(
            registry.erased_since("").unwrap().is_empty(),
            "a device that never asked learns nothing"
        );
        assert_eq!(
            registry.register("doc-private", &private).unwrap(),
            Registration::Conflict,
            "an erased id is not taken again"
        );
        assert_eq!(
            registry.erased_since("2999-01-01T00:00:00Z").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(registry.document("doc-private").unwrap(), None);
        assert_eq!(names(&coordinator), vec!["Carla"]);
        registry.checkpoint().unwrap();
        assert!(!contains(&file, "Eraseme"));
        assert!(!contains(&file, "seyma@school.example"));
    }

    #[test]
    fn a_group_is_formed_once_and_a_retry_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        let group = NewGroup {
            id: "g".into(),
            programme: "p".into(),
            kind: "pair",
            members: vec!["a".into(), "b".into()],
            group_doc: "gd".into(),
            notes_doc: "nd".into(),
        };
        assert_eq!(registry.form_group(&group).unwrap(), Formed::New);
        let retry = NewGroup {
            notes_doc: "nd2".into(),
            members: vec!["b".into(), "a".into()],
            ..group.clone()
        };
        assert_eq!(
            registry.form_group(&retry).unwrap(),
            Formed::Already("nd".into())
        );
        let with_coordinator = NewGroup {
            members: vec!["a".into(), "b".into(), "c".into()],
            ..retry.clone()
        };
        assert_eq!(
            registry.form_group(&with_coordinator).unwrap(),
            Formed::Conflict
        );
        let elsewhere = NewGroup {
            programme: "q".into(),
            ..retry
        };
        assert_eq!(registry.form_group(&elsewhere).unwrap(), Formed::Conflict);
        let mut members = registry.actor("c").unwrap().groups;
        members.extend(registry.actor("a").unwrap().groups);
        assert_eq!(members, vec!["g".to_owned()], "nothing changed by refusals");
    }

    /// Open connections decide again only what a change touched: each change that alters who
    /// may see what must name her (or the document, or everyone), or she would keep access.
    #[test]
    fn every_change_of_access_names_whom_and_what_it_touched() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        let touched = |mark: &mut u64| {
            let (touched, next) = registry.touched_since(*mark);
            *mark = next;
            touched
        };
        let mut mark = registry.change_mark();
        let carla = registry
            .create_programme("p", "ICT", "School", None, "Carla")
            .unwrap()
            .unwrap();
        assert_eq!(touched(&mut mark), Touched::person(&carla));
        registry
            .create_invitation(&NewInvitation {
                id: "i1",
                code: "CODE",
                programme: "p",
                role: Role::Mentee,
                name: "Sanne",
                email: "",
                expires_at: "2099-01-01T00:00:00Z",
            })
            .unwrap();
        let invitation = registry.invitation("CODE").unwrap().unwrap();
        let Accept::Member(sanne) = registry.accept(&invitation, None, "Sanne", "").unwrap() else {
            panic!("not accepted");
        };
        assert_eq!(touched(&mut mark), Touched::person(&sanne));
        registry.add_device("dev-s", &sanne, "cred-s", "").unwrap();

        let group = NewGroup {
            id: "g".into(),
            programme: "p".into(),
            kind: "pair",
            members: vec![sanne.clone(), "mentor".into()],
            group_doc: "gd".into(),
            notes_doc: "nd".into(),
        };
        registry.form_group(&group).unwrap();
        let formed = touched(&mut mark);
        assert!(formed.touches_person(&sanne) && formed.touches_person("mentor"));
        assert!(formed.documents.contains("gd") && formed.documents.contains("nd"));
        assert!(!formed.touches_person(&carla));

        let entry = DocEntry {
            kind: DocKind::Profile,
            programme: "p".into(),
            group: None,
            owner: Some(sanne.clone()),
        };
        registry.register("profile", &entry).unwrap();
        assert_eq!(touched(&mut mark), Touched::document("profile"));

        registry.dissolve_group("g").unwrap();
        let dissolved = touched(&mut mark);
        assert!(dissolved.touches_person(&sanne) && dissolved.touches_person("mentor"));

        assert!(registry.remove_device(&sanne, "dev-s").unwrap());
        assert_eq!(touched(&mut mark), Touched::person(&sanne));
        assert!(registry.withdraw("p", &sanne).unwrap());
        assert_eq!(touched(&mut mark), Touched::person(&sanne));
        assert!(!registry.withdraw("p", &sanne).unwrap());
        assert_eq!(
            touched(&mut mark),
            Touched::default(),
            "a withdrawal that changed nothing touches nobody"
        );
        assert!(registry.archive_programme("p").unwrap());
        assert!(touched(&mut mark).everyone);
    }

    #[test]
    fn a_linking_code_works_once_and_not_after_it_expired() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        registry
            .create_link_code("e", "LINK1", "2099-01-01T00:00:00Z", LinkKind::Link)
            .unwrap();
        let take = |code, attempt, peer| registry.take_link_code(code, attempt, peer).unwrap();
        assert_eq!(take("LINK1", "secret", "phone"), Some("e".into()));
        assert_eq!(take("LINK1", "secret", "phone"), None, "spent");
        assert_eq!(take("LINK1", "other", "laptop"), None, "spent");
        registry
            .create_link_code("e", "OLD", "2000-01-01T00:00:00Z", LinkKind::Link)
            .unwrap();
        assert_eq!(take("OLD", "secret", "phone"), None);
    }

    #[test]
    fn a_recovery_code_outlives_linking_codes_and_a_new_one_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        let code = |name, kind| {
            registry
                .create_link_code("e", name, "2099-01-01T00:00:00Z", kind)
                .unwrap()
        };
        let take = |name, peer| registry.take_link_code(name, "secret", peer).unwrap();
        code("KEEP", LinkKind::Recovery);
        code("LINK", LinkKind::Link);
        code("LINK2", LinkKind::Link);
        assert_eq!(
            take("LINK", "a"),
            None,
            "a new linking code replaces the last"
        );
        assert_eq!(
            take("KEEP", "b"),
            Some("e".into()),
            "the recovery code stays"
        );
        assert_eq!(take("KEEP", "c"), None, "once");
        code("FIRST", LinkKind::Recovery);
        code("SECOND", LinkKind::Recovery);
        assert_eq!(
            take("FIRST", "d"),
            None,
            "a new recovery code replaces the last"
        );
        assert_eq!(take("SECOND", "d"), Some("e".into()));
        assert_eq!(take("LINK2", "f"), Some("e".into()));
    }

    #[test]
    fn removing_a_device_or_leaving_every_programme_ends_her_codes() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        registry
            .create_programme("p", "ICT", "School", None, "Carla")
            .unwrap();
        registry
            .create_invitation(&NewInvitation {
                id: "i1",
                code: "CODE",
                programme: "p",
                role: Role::Mentee,
                name: "Aylin",
                email: "",
                expires_at: "2099-01-01T00:00:00Z",
            })
            .unwrap();
        let invitation = registry.invitation("CODE").unwrap().unwrap();
        let Accept::Member(e) = registry.accept(&invitation, None, "Aylin", "").unwrap() else {
            panic!("not accepted");
        };
        registry.add_device("e-phone", &e, "cred-e", "").unwrap();
        let code = |name| {
            registry
                .create_link_code(&e, name, "2099-01-01T00:00:00Z", LinkKind::Recovery)
                .unwrap()
        };
        let take = |name, peer| registry.take_link_code(name, "secret", peer).unwrap();
        // A stolen phone made a recovery code; she removes the phone: the code is dead.
        code("STOLEN");
        assert!(registry.remove_device(&e, "e-phone").unwrap());
        assert_eq!(take("STOLEN", "thief"), None);
        // Leaving her last programme ends her codes as well as her credentials.
        code("KEPT");
        assert!(registry.withdraw("p", &e).unwrap());
        assert_eq!(take("KEPT", "later"), None);
    }
}
