//! Routes of `cjsim serve`. Every error is JSON `{"error": ..., "errors": [{field, message}]}`
//! with status 400 (bad request), 404 (no such job), 409 (results not ready) or 503 (queue full).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/` | the dashboard page |
//! | GET | `/api/scenarios` | scenarios on offer, warming pathways, population sizes |
//! | GET | `/api/catalogue` | interventions: mechanism, default coverage, effect, cost, evidence |
//! | POST | `/api/run` | queue a run (body: [`RunRequest`]); 202 with the job's status |
//! | GET | `/api/status/{id}` | queued (with position), running (with progress), done, failed, cancelled |
//! | GET | `/api/results/{id}` | headline numbers, scorecard, costs and SVG charts |
//! | POST | `/api/cancel/{id}` | cancel a queued or running job |
//! | GET | `/api/stats` | workers, running, queued, peak running, cache hits |

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::json;

use super::jobs::{Jobs, Refused};
use super::request::{self, FieldError, RunRequest};

/// Shared state of the handlers.
#[derive(Clone)]
pub struct App {
    /// The run queue.
    pub jobs: Arc<Jobs>,
    /// Scenarios on offer.
    pub scenarios: Arc<Vec<scenarios::Scenario>>,
}

/// The page: HTML, style and script in one file, no external requests.
pub const PAGE: &str = include_str!("page.html");

/// The router.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/scenarios", get(list_scenarios))
        .route("/api/catalogue", get(catalogue))
        .route("/api/run", post(run))
        .route("/api/status/{id}", get(status))
        .route("/api/results/{id}", get(results))
        .route("/api/cancel/{id}", post(cancel))
        .route("/api/stats", get(stats))
        .fallback(not_found)
        .with_state(app)
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

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 img-src data:; connect-src 'self'",
            ),
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
    body: Result<axum::Json<RunRequest>, JsonRejection>,
) -> Response {
    let req = match body {
        Ok(axum::Json(r)) => r,
        Err(rejection) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("malformed request: {}", rejection.body_text()),
                Vec::new(),
            );
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
    let submitted = tokio::task::spawn_blocking(move || jobs.submit(valid)).await;
    match submitted {
        Ok(Ok(view)) => (StatusCode::ACCEPTED, axum::Json(view)).into_response(),
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

fn no_job(id: u64) -> Response {
    error(StatusCode::NOT_FOUND, format!("no job {id}"), Vec::new())
}

async fn status(State(app): State<App>, Path(id): Path<u64>) -> Response {
    match app.jobs.status(id) {
        Some(v) => axum::Json(v).into_response(),
        None => no_job(id),
    }
}

async fn results(State(app): State<App>, Path(id): Path<u64>) -> Response {
    match app.jobs.result(id) {
        Some(Ok(json)) => (
            [(header::CONTENT_TYPE, "application/json")],
            json.as_str().to_owned(),
        )
            .into_response(),
        Some(Err(view)) => (
            StatusCode::CONFLICT,
            axum::Json(json!({
                "error": format!("job {id} has no results ({:?})", view.status).to_lowercase(),
                "errors": [],
                "status": view,
            })),
        )
            .into_response(),
        None => no_job(id),
    }
}

async fn cancel(State(app): State<App>, Path(id): Path<u64>) -> Response {
    match app.jobs.cancel(id) {
        Some(v) => axum::Json(v).into_response(),
        None => no_job(id),
    }
}

async fn stats(State(app): State<App>) -> Response {
    axum::Json(app.jobs.stats()).into_response()
}
