//! Routes of `cjsim serve`. Every error is JSON `{"error": ..., "errors": [{field, message}]}`:
//! 400 (bad request), 401 (access token missing), 403 (foreign origin or host), 404 (no such
//! page or job), 405 (wrong method), 409 (results not ready), 413 (body too large), 415 (not
//! JSON), 429 (this client's queue is full) or 503 (the queue is full).
//!
//! Every request passes [`guard`] first: the Host header must name this server (a web page
//! elsewhere cannot reach it through DNS rebinding), state-changing requests must be
//! `application/json` from this origin (a cross-site form or `text/plain` fetch cannot send
//! them), and when the server listens beyond loopback an access token is required. Every answer
//! carries `nosniff`, no framing and a Content-Security-Policy.
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/` | the dashboard page |
//! | GET | `/api/scenarios` | scenarios on offer, warming pathways, population sizes |
//! | GET | `/api/catalogue` | interventions: mechanism, default coverage, effect, cost, evidence |
//! | GET | `/api/i18n` | the interface's languages, the default one, and every text's translations |
//! | POST | `/api/run` | queue a run (body: [`RunRequest`]); 202 with the job's status; takes the status's query, and `speculative=1` for a guess at the next request (run after the requested ones) |
//! | GET | `/api/status/{id}` | queued (with position), running (with progress), done, failed, cancelled; `?wait=MS&early=1` waits up to MS (at most 1,000) for news; `&include=1` carries it (`results`, `early_results`) |
//! | GET | `/api/results/{id}` | headline numbers, scorecard, costs and SVG charts |
//! | GET | `/api/early/{id}` | the same up to 2030, without the charts, while a one-replication arm runs on (instant mode) |
//! | POST | `/api/cancel/{id}` | cancel a queued or running job |
//! | GET | `/api/stats` | workers, running, queued, peak running, cache hits |

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::jobs::{Jobs, Priority, Refused, State as JobState, StatusView};
use super::request::{self, FieldError, RunRequest};

/// Largest request body (bytes). A run request is well under 2 KB; larger bodies get 413
/// before anything reads them. Bodies up to this size are read, and then every field is bounded
/// before it is looked at (an overlong name is answered with 400 and no suggestion).
pub const MAX_BODY_BYTES: usize = 4 << 20;

/// Header that carries the access token (or `?token=` in the page's URL).
pub const TOKEN_HEADER: &str = "x-cjsim-token";

/// Shared state of the handlers.
#[derive(Clone)]
pub struct App {
    /// The run queue.
    pub jobs: Arc<Jobs>,
    /// Scenarios on offer.
    pub scenarios: Arc<Vec<scenarios::Scenario>>,
    /// The address the server is bound to.
    pub addr: SocketAddr,
    /// Access token required of every request (set when bound beyond loopback).
    pub token: Option<Arc<String>>,
    /// The page's language until the user picks another.
    pub lang: viz::Lang,
}

/// The page: HTML, style and script in one file, no external requests.
pub const PAGE: &str = include_str!("page.html");

/// The router.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/scenarios", get(list_scenarios))
        .route("/api/catalogue", get(catalogue))
        .route("/api/i18n", get(i18n))
        .route("/api/run", post(run))
        .route("/api/status/{id}", get(status))
        .route("/api/results/{id}", get(results))
        .route("/api/early/{id}", get(early))
        .route("/api/cancel/{id}", post(cancel))
        .route("/api/stats", get(stats))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// The host names this server answers to: its bound address, and for loopback the usual
/// names of the local machine.
fn allowed_host(app: &App, host: &str) -> bool {
    let port = app.addr.port();
    let ip = app.addr.ip();
    if app.token.is_some() {
        // Bound beyond loopback: reachable under names this process cannot know; the token
        // is what keeps other pages out.
        return true;
    }
    let mut names = vec![format!("{ip}:{port}")];
    if let IpAddr::V6(v6) = ip {
        names.push(format!("[{v6}]:{port}"));
    }
    if ip.is_loopback() {
        names.extend([
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ]);
    }
    names.iter().any(|n| n.eq_ignore_ascii_case(host))
}

/// Checks host, origin, content type and token before any handler runs; adds the security
/// headers to every answer.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = match refusal(&app, &request) {
        None => next.run(request).await,
        Some(refused) => refused,
    };
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    response
}

/// Why `request` may not reach a handler, as the answer to give; `None` when it may.
fn refusal(app: &App, request: &Request) -> Option<Response> {
    let headers = request.headers();
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).unwrap_or("");
    if !allowed_host(app, host) {
        return Some(error(
            StatusCode::FORBIDDEN,
            format!(
                "this server answers only to http://{}/ (the Host header named another host)",
                app.addr
            ),
            Vec::new(),
        ));
    }
    if let Some(token) = &app.token {
        let query_token = request.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("token="))
                .map(str::to_string)
        });
        let given = headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or(query_token);
        if !given.is_some_and(|g| same_secret(&g, token)) {
            return Some(error(
                StatusCode::UNAUTHORIZED,
                "an access token is required: open the address cjsim serve printed (with \
                 ?token=...), or send the x-cjsim-token header"
                    .into(),
                Vec::new(),
            ));
        }
    }
    let changes_state = request.method() == Method::POST;
    if changes_state {
        if let Some(origin) = text(header::ORIGIN) {
            let origin_host = origin
                .strip_prefix("http://")
                .unwrap_or("")
                .trim_end_matches('/');
            if origin_host != host || !allowed_host(app, origin_host) {
                return Some(error(
                    StatusCode::FORBIDDEN,
                    format!("requests from {origin} may not change anything here"),
                    Vec::new(),
                ));
            }
        }
        if text(header::HeaderName::from_static("sec-fetch-site")) == Some("cross-site") {
            return Some(error(
                StatusCode::FORBIDDEN,
                "cross-site requests may not change anything here".into(),
                Vec::new(),
            ));
        }
        let json = text(header::CONTENT_TYPE).is_some_and(|c| {
            c.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
        if !json {
            return Some(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "requests that change anything must be Content-Type: application/json".into(),
                Vec::new(),
            ));
        }
    }
    None
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed here (see the API table in the README)".into(),
        Vec::new(),
    )
}

fn error(status: StatusCode, message: String, errors: Vec<FieldError>) -> Response {
    (
        status,
        axum::Json(json!({ "error": message, "errors": errors })),
    )
        .into_response()
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "no such page".into(), Vec::new())
}

/// The page's Content-Security-Policy: only its own inline script and style (by hash), no
/// external anything, no framing.
fn page_policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        let hash = |open: &str, close: &str| -> String {
            let start = PAGE.find(open).map(|i| i + open.len()).unwrap_or(0);
            let end = PAGE[start..].find(close).map_or(start, |i| start + i);
            let digest = Sha256::digest(&PAGE.as_bytes()[start..end]);
            format!("'sha256-{}'", base64(&digest))
        };
        format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; \
             connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            hash("<script>", "</script>"),
            hash("<style>", "</style>")
        )
    })
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, page_policy()),
        ],
        PAGE,
    )
        .into_response()
}

#[derive(Serialize)]
struct ScenarioView {
    name: String,
    summary: String,
    origin: String,
    start_year: i32,
    years: u32,
    regions: usize,
    targets: usize,
}

async fn list_scenarios(State(app): State<App>) -> Response {
    let list: Vec<ScenarioView> = app
        .scenarios
        .iter()
        .map(|s| ScenarioView {
            name: s.params.scenario.name.clone(),
            summary: scenarios::BUILTINS
                .iter()
                .find(|b| s.origin == format!("builtin:{}", b.name))
                .map_or_else(
                    || s.params.scenario.description.clone(),
                    |b| b.summary.to_string(),
                ),
            origin: s.origin.clone(),
            start_year: s.params.scenario.start_year,
            years: s.params.scenario.years,
            regions: s.params.regions.len(),
            targets: s.targets.len(),
        })
        .collect();
    axum::Json(json!({
        "scenarios": list,
        "pathways": request::PATHWAYS,
        "sizes": request::SIZES.iter().map(|(n, a)| json!({"name": n, "agents": a})).collect::<Vec<_>>(),
        "max_replications": request::MAX_REPLICATIONS,
    }))
    .into_response()
}

/// The languages of the interface, the server's default (`--lang`), and the translations of
/// every text of the page and the results: `{"texts": {"English": {"fr": ..., "es": ...}}}`.
async fn i18n(State(app): State<App>) -> Response {
    let texts: serde_json::Map<String, serde_json::Value> = viz::i18n::CATALOGUE
        .iter()
        .map(|(en, fr, es)| ((*en).to_string(), json!({ "fr": fr, "es": es })))
        .collect();
    let languages: Vec<serde_json::Value> = viz::Lang::ALL
        .iter()
        .map(|l| json!({ "code": l.code(), "name": l.name() }))
        .collect();
    axum::Json(json!({
        "default": app.lang.code(),
        "languages": languages,
        "texts": texts,
    }))
    .into_response()
}

async fn catalogue() -> Response {
    let list: Vec<serde_json::Value> = scenarios::catalogue::CATALOGUE
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "mechanism": e.mechanism,
                "targeting": e.targeting,
                "coverage": e.coverage,
                "effect": e.effect,
                "effect_unit": e.effect_unit,
                "ramp_months": e.ramp_months,
                "unit_cost": e.unit_cost,
                "cost_basis": e.cost_basis,
                "source": e.source,
            })
        })
        .collect();
    axum::Json(list).into_response()
}

async fn run(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    query: Result<Query<StatusQuery>, QueryRejection>,
    guess: Result<Query<GuessQuery>, QueryRejection>,
    body: Result<axum::Json<RunRequest>, JsonRejection>,
) -> Response {
    let (Ok(Query(q)), Ok(Query(guess))) = (query, guess) else {
        return error(StatusCode::BAD_REQUEST, RUN_QUERY_HELP.into(), Vec::new());
    };
    let priority = if guess.speculative == Some(1) {
        Priority::Speculative
    } else {
        Priority::Requested
    };
    let req = match body {
        Ok(axum::Json(r)) => r,
        Err(rejection) => {
            let status = match rejection.status() {
                s @ (StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE) => s,
                _ => StatusCode::BAD_REQUEST,
            };
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("the request body is larger than {MAX_BODY_BYTES} bytes")
            } else {
                let text = rejection.body_text();
                let short: String = text.chars().take(400).collect();
                format!("malformed request: {short}")
            };
            return error(status, message, Vec::new());
        }
    };
    let valid = match request::validate(&req, &app.scenarios) {
        Ok(v) => v,
        Err(errors) => {
            let message = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ");
            return error(StatusCode::BAD_REQUEST, message, errors);
        }
    };
    let jobs = Arc::clone(&app.jobs);
    // Enqueueing takes a lock that workers hold only briefly; keep it off the async threads.
    let client = peer.ip();
    let submitted = tokio::task::spawn_blocking(move || jobs.submit(valid, client, priority)).await;
    match submitted {
        // Answered as a status request with the same query is (at once without `wait`), so
        // that a run whose results are at hand (the cache) or come quickly needs no second
        // request.
        Ok(Ok(view)) => {
            let answer = Answer {
                code: StatusCode::ACCEPTED,
                cached: view.cached,
            };
            answer_with_news(&app, &view.id, &q, answer).await
        }
        Ok(Err(Refused::ClientFull)) => error(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "you already have {} runs waiting; wait for them or cancel some",
                super::jobs::MAX_QUEUED_PER_CLIENT
            ),
            Vec::new(),
        ),
        Ok(Err(Refused::Full)) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "{} runs are already waiting; try again shortly",
                super::jobs::MAX_QUEUE
            ),
            Vec::new(),
        ),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error: {e}"),
            Vec::new(),
        ),
    }
}

fn no_job(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("no job {}", sim_core::params::clip(id)),
        Vec::new(),
    )
}

/// Longest a status request may wait for news (milliseconds).
const MAX_STATUS_WAIT_MS: u64 = 1_000;

/// `?wait=MS&early=1&include=1` of `GET /api/status/{id}` (and of `POST /api/run`).
#[derive(Debug, Default, Deserialize)]
struct StatusQuery {
    /// Milliseconds to wait for news (at most [`MAX_STATUS_WAIT_MS`]); 0 or absent: answer at
    /// once.
    wait: Option<u64>,
    /// 1 when the caller already holds the job's early results, so that they are no news.
    early: Option<u8>,
    /// 1 to carry the news itself: the results of a finished job (`results`), or the early
    /// results the caller lacks (`early_results`), as `GET /api/results` and `GET /api/early`
    /// answer them. The page then needs one request per piece of news instead of two: on this
    /// 2-core machine each browser request costs some milliseconds of the cores the run needs.
    include: Option<u8>,
}

/// The query's wording in errors.
const STATUS_QUERY_HELP: &str =
    "the query takes wait (0 to 1000 milliseconds), early (0 or 1) and include (0 or 1)";

/// `POST /api/run`'s own query key, read beside the status's ([`StatusQuery`]), which the
/// run request takes too.
#[derive(Debug, Default, Deserialize)]
struct GuessQuery {
    /// 1: the page's guess at the next request (the neighbouring position of the slider last
    /// moved), queued behind the requested runs and run when none waits or runs, cancelled by
    /// the next request unless it is that request (see [`Priority::Speculative`]).
    speculative: Option<u8>,
}

/// The run query's wording in errors.
const RUN_QUERY_HELP: &str = "the query takes wait (0 to 1000 milliseconds), early (0 or 1), \
     include (0 or 1) and speculative (0 or 1)";

/// A job's status. With `wait`, the answer waits until there is news (the job has left the
/// queue and finished, failed or been cancelled, or has early results the caller lacks) or the
/// wait is over, whichever comes first: the page learns of a result as soon as it exists
/// instead of at its next poll, and asks far less often while a run goes on.
async fn status(
    State(app): State<App>,
    Path(id): Path<String>,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return error(
            StatusCode::BAD_REQUEST,
            STATUS_QUERY_HELP.into(),
            Vec::new(),
        );
    };
    let answer = Answer {
        code: StatusCode::OK,
        cached: false,
    };
    answer_with_news(&app, &id, &q, answer).await
}

/// How a status is answered: the HTTP code, and whether the job was found in the cache of
/// identical requests (known only to the request that asked for it).
#[derive(Clone, Copy)]
struct Answer {
    code: StatusCode,
    cached: bool,
}

/// Job `id`'s status once there is news or `q.wait` is over (see [`status`]), with the news
/// itself when `q.include` asks for it.
async fn answer_with_news(app: &App, id: &str, q: &StatusQuery, answer: Answer) -> Response {
    let wait = std::time::Duration::from_millis(q.wait.unwrap_or(0).min(MAX_STATUS_WAIT_MS));
    let deadline = tokio::time::Instant::now() + wait;
    let held_early = q.early == Some(1);
    loop {
        // Registered before the status is read: news published in between still wakes us.
        let notified = app.jobs.news().notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let Some(mut v) = app.jobs.status(id) else {
            return no_job(id);
        };
        v.cached = answer.cached;
        let finished = !matches!(v.status, JobState::Queued | JobState::Running);
        let news = finished || (v.early && !held_early);
        if news || tokio::time::Instant::now() >= deadline {
            return with_news(
                app,
                id,
                v,
                q.include == Some(1) && news,
                held_early,
                answer.code,
            );
        }
        tokio::select! {
            () = &mut notified => {}
            () = tokio::time::sleep_until(deadline) => {}
        }
    }
}

/// Status `v` of job `id` as JSON; with `include`, a finished job's results (`results`) or the
/// early results not yet `held` (`early_results`) go in the same object, as stored.
fn with_news(
    app: &App,
    id: &str,
    v: StatusView,
    include: bool,
    held: bool,
    code: StatusCode,
) -> Response {
    let stored = match v.status {
        _ if !include => None,
        JobState::Done => app
            .jobs
            .result(id)
            .and_then(Result::ok)
            .map(|j| ("results", j)),
        JobState::Running if v.early && !held => app
            .jobs
            .early(id)
            .and_then(Result::ok)
            .map(|j| ("early_results", j)),
        _ => None,
    };
    let Some((field, json)) = stored else {
        return (code, axum::Json(v)).into_response();
    };
    let Ok(head) = serde_json::to_string(&v) else {
        return (code, axum::Json(v)).into_response();
    };
    // The view is a JSON object: its closing brace gives way to the stored object, which is
    // JSON as the results' endpoints send it, so nothing is parsed again.
    let body = format!(
        "{},\"{field}\":{}}}",
        head.strip_suffix('}').unwrap_or(&head),
        json.as_str()
    );
    (code, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn results(State(app): State<App>, Path(id): Path<String>) -> Response {
    stored_json(&id, "results yet", app.jobs.result(&id))
}

/// Early results while the run goes on: the comparison up to the target year, without the
/// charts, with `pending_until` the horizon still being simulated.
async fn early(State(app): State<App>, Path(id): Path<String>) -> Response {
    stored_json(&id, "early results", app.jobs.early(&id))
}

/// A job's stored JSON as it is; 409 with the job's status when it has none (`missing` says
/// what is missing); 404 for an unknown job.
fn stored_json(
    id: &str,
    missing: &str,
    answer: Option<Result<std::sync::Arc<String>, StatusView>>,
) -> Response {
    match answer {
        Some(Ok(json)) => (
            [(header::CONTENT_TYPE, "application/json")],
            json.as_str().to_owned(),
        )
            .into_response(),
        Some(Err(view)) => (
            StatusCode::CONFLICT,
            axum::Json(json!({
                "error": format!("job {id} has no {missing} ({:?})", view.status).to_lowercase(),
                "errors": [],
                "status": view,
            })),
        )
            .into_response(),
        None => no_job(id),
    }
}

async fn cancel(State(app): State<App>, Path(id): Path<String>) -> Response {
    match app.jobs.cancel(&id) {
        Some(v) => axum::Json(v).into_response(),
        None => no_job(&id),
    }
}

async fn stats(State(app): State<App>) -> Response {
    axum::Json(app.jobs.stats()).into_response()
}
