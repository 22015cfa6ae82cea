//! The routes: the API (`/api/…`, handled in [`crate::api`]), the sync socket (`/sync`, handed to
//! [`crate::connection`] once the credential is checked and a connection slot is free), the
//! invitation link's page (the web app where it is served), the web app at `/app/` ([`crate::web_app`]) and `/health`.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use pm_domain::wire::SYNC_PATH;
use pm_store::StorageHealth;

use crate::access::{AuthError, bearer};
use crate::state::App;
use crate::{api, connection, web_app};

/// Largest JSON body the API reads.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The sync socket's read and write buffers to start with.
const SOCKET_BUFFER_BYTES: usize = 4 * 1024;
/// A class list (at most 500 people) may be bigger.
const BULK_BODY_BYTES: usize = 256 * 1024;

/// Every route the server answers.
pub(crate) fn routes(app: App) -> Router {
    Router::new()
        .route("/health", get(health))
        .route(SYNC_PATH, get(sync))
        .route("/join/{code}", get(join_page))
        .route(
            "/app",
            get(|| async { axum::response::Redirect::permanent(web_app::APP_PATH) }),
        )
        .route(web_app::APP_PATH, get(app_page))
        .route("/app/{name}", get(app_file))
        .route("/api/programmes", post(api::create_programme))
        .route("/api/programmes/{id}/status", get(api::programme_status))
        .route("/api/invitations", post(api::create_invitation))
        .route(
            "/api/invitations/bulk",
            // A class list is bigger than the other requests.
            post(api::create_invitations).layer(DefaultBodyLimit::max(BULK_BODY_BYTES)),
        )
        .route("/api/invitations/revoke", post(api::revoke_invitation))
        .route("/api/invitations/lookup", post(api::lookup_invitation))
        .route("/api/invitations/accept", post(api::accept_invitation))
        .route("/api/invitations/decline", post(api::decline_invitation))
        .route("/api/devices", get(api::devices))
        .route("/api/devices/link", post(api::link_device))
        .route("/api/devices/recovery-code", post(api::recovery_code))
        .route("/api/devices/join", post(api::join_device))
        .route("/api/devices/remove", post(api::remove_device))
        .route("/api/sync-tickets", post(api::sync_ticket))
        .route("/api/documents", post(api::register_document))
        .route("/api/directory", get(api::directory))
        .route("/api/directory/changes", get(api::directory_changes))
        .route("/api/me/name", post(api::rename))
        .route("/api/programmes/matching", post(api::set_matching))
        .route("/api/erase", post(api::erase))
        .route("/api/people/erase", post(api::erase_person))
        .route("/api/programmes/archive", post(api::archive_programme))
        .route("/api/programmes/erase", post(api::erase_programme))
        .route("/api/groups", post(api::create_group))
        .route("/api/groups/dissolve", post(api::dissolve_group))
        .route("/api/withdraw", post(api::withdraw))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(app)
}

async fn app_page(State(app): State<App>) -> Response {
    web_app::serve(app.web_app.as_deref(), "").await
}

async fn app_file(State(app): State<App>, Path(name): Path<String>) -> Response {
    web_app::serve(app.web_app.as_deref(), &name).await
}

/// The page an invitation link opens: the web app on its join page where this server serves
/// it, else the code and how to use it in the desktop app.
async fn join_page(State(app): State<App>, Path(code): Path<String>) -> Response {
    let code: String = code
        .chars()
        // The code's alphabet, with its check symbols (`*~$=`).
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '~' | '$' | '='))
        .take(20)
        .collect();
    if app.web_app.is_some() {
        return web_app::join(&code).into_response();
    }
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
    .into_response()
}

#[derive(serde::Serialize)]
struct Health {
    /// "ok", or "degraded" while writes the disk refused are held in memory.
    status: &'static str,
    version: &'static str,
    connections: usize,
    /// Document writes held in memory, waiting for the disk or the database.
    waiting_writes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    storage_error: Option<String>,
    /// "sqlite", or "postgres" when servers share a database.
    database: &'static str,
    /// Whether the database answers now.
    database_reachable: bool,
}

/// Answers 200 also when degraded: the server still serves everything from memory, and a
/// supervisor that restarted it on a failing health check would lose what is waiting.
async fn health(State(app): State<App>) -> Json<Health> {
    let (database, database_error) = match app.registry.database_check().await {
        (engine, Ok(())) => (engine, None),
        (engine, Err(e)) => (engine, Some(e.to_string())),
    };
    let (status, waiting_writes, storage_error) = match app.chunks.health() {
        StorageHealth::Ok if database_error.is_none() => ("ok", 0, None),
        StorageHealth::Ok => ("degraded", 0, database_error.clone()),
        StorageHealth::Failing { waiting, error } => ("degraded", waiting, Some(error)),
    };
    Json(Health {
        status,
        version: env!("CARGO_PKG_VERSION"),
        connections: app.connections.open(),
        waiting_writes,
        storage_error,
        database,
        database_reachable: database_error.is_none(),
    })
}

/// How a browser presents its sync ticket: `/sync?ticket=…`.
#[derive(serde::Deserialize)]
struct TicketQuery {
    ticket: Option<String>,
}

async fn sync(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<TicketQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    // The credential in a header (devices), or else a single-use ticket (browsers).
    let identity = match (bearer(&headers), query.ticket) {
        (None, Some(ticket)) => {
            let redeemed = app.tickets.redeem(&ticket);
            // Still hers now: a device removed (or a person withdrawn) since the ticket was
            // issued is refused as its credential would be.
            match redeemed {
                Some(identity)
                    if app
                        .registry
                        .person_of_peer(&identity.peer)
                        .ok()
                        .flatten()
                        .is_some_and(|person| person == identity.person) =>
                {
                    Ok(identity)
                }
                _ => Err(AuthError::Invalid),
            }
        }
        _ => app.gate.authenticate(&headers),
    };
    let identity = match identity {
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
        // An idle connection holds its buffers: tungstenite's default of 128 KiB each way was most
        // of what an idle device cost the server (bench/README.md). They grow when a message needs
        // it.
        .read_buffer_size(SOCKET_BUFFER_BYTES)
        .write_buffer_size(SOCKET_BUFFER_BYTES)
        .on_upgrade(move |socket| connection::serve(app, socket, identity, slot))
}
