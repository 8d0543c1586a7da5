//! `cjsim serve`: the workshop dashboard. One page (no external requests: script, style and
//! charts all come from this binary) and a JSON API under `/api/`, on an axum server bound to
//! loopback unless told otherwise. Runs go through [`jobs::Jobs`], off the request path.

pub mod api;
pub mod jobs;
pub mod request;
pub mod results;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::error::{CliError, CliResult};

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Address to bind; loopback unless `--bind` says otherwise.
    pub bind: IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Runs at once; further requests queue.
    pub workers: usize,
    /// Scenarios offered: the built-ins, then any given with `--scenario`.
    pub scenarios: Vec<scenarios::Scenario>,
    /// Access token every request must carry; required when bound beyond loopback.
    pub token: Option<String>,
    /// The page's language until the user picks another (`--lang`).
    pub lang: viz::Lang,
}

impl ServeConfig {
    /// Loopback, `port`, one run at a time, the built-in scenarios.
    pub fn local(port: u16) -> CliResult<Self> {
        Ok(ServeConfig {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            workers: 1,
            scenarios: builtin_scenarios()?,
            token: None,
            lang: viz::Lang::En,
        })
    }
}

/// Every built-in scenario, resolved.
pub fn builtin_scenarios() -> CliResult<Vec<scenarios::Scenario>> {
    scenarios::BUILTINS
        .iter()
        .map(|b| scenarios::builtin(b.name).map_err(CliError::from))
        .collect()
}

/// A running server.
pub struct Server {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The access token, when one is required.
    pub token: Option<String>,
    jobs: Arc<jobs::Jobs>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// The page's address (with the access token when one is required).
    pub fn url(&self) -> String {
        match &self.token {
            Some(t) => format!("http://{}/?token={t}", self.addr),
            None => format!("http://{}/", self.addr),
        }
    }

    /// The run queue (for statistics in tests).
    pub fn jobs(&self) -> &jobs::Jobs {
        &self.jobs
    }

    /// Blocks until the server stops (Ctrl-C).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.jobs.shutdown();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds and starts serving in a background thread; returns once the socket is bound, so that
/// a taken port or a bad address is an error here, not later.
pub fn start(config: ServeConfig) -> CliResult<Server> {
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        CliError::BadInput(format!(
            "cannot listen on {addr}: {e}{}",
            if e.kind() == std::io::ErrorKind::AddrInUse {
                " (choose another --port)"
            } else {
                ""
            }
        ))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| CliError::Internal(format!("socket: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::Internal(format!("socket: {e}")))?;
    let jobs = jobs::Jobs::start(config.workers.max(1));
    let token = if config.bind.is_loopback() {
        config.token.clone()
    } else {
        Some(
            config
                .token
                .clone()
                .unwrap_or_else(|| crate::outdir::random_hex(16)),
        )
    };
    let state = api::App {
        jobs: Arc::clone(&jobs),
        scenarios: Arc::new(config.scenarios),
        addr,
        token: token.clone().map(Arc::new),
        lang: config.lang,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start the server runtime: {e}")))?;
    let thread = std::thread::Builder::new()
        .name("cjsim-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        eprintln!("error: cannot serve: {e}");
                        return;
                    }
                };
                let shutdown = async move {
                    tokio::select! {
                        _ = stopped => {}
                        _ = tokio::signal::ctrl_c() => {}
                    }
                };
                let app = api::router(state).into_make_service_with_connect_info::<SocketAddr>();
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
                {
                    eprintln!("error: the server stopped: {e}");
                }
            });
        })
        .map_err(|e| CliError::Internal(format!("cannot start the server thread: {e}")))?;
    Ok(Server {
        addr,
        token,
        jobs,
        stop: Some(stop),
        thread: Some(thread),
    })
}
