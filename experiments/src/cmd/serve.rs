//! `cjsim serve`: the live workshop dashboard on a local web server.

use std::net::IpAddr;

use clap::Args;

use crate::error::{CliError, CliResult};
use crate::serve::{self, ServeConfig};

/// Arguments of `cjsim serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Only loopback (127.0.0.1) unless given: with e.g. 0.0.0.0 anyone
    /// who can reach this machine can run simulations on it.
    #[arg(long)]
    pub bind: Option<IpAddr>,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Runs at once (each uses every core); further requests wait in a queue.
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Also offer this scenario file (repeatable).
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<String>,
    /// Language the page opens in: en, fr or es (each visitor can switch in the page).
    #[arg(long, default_value = "en", value_parser = crate::cmd::run::parse_lang)]
    pub lang: viz::Lang,
}

/// Runs `cjsim serve` until Ctrl-C.
pub fn run(args: ServeArgs) -> CliResult<()> {
    crate::limits::threads("--workers", Some(args.workers))?;
    let mut config = ServeConfig::local(args.port)?;
    config.workers = args.workers;
    config.lang = args.lang;
    if let Some(ip) = args.bind {
        config.bind = ip;
    }
    for file in &args.scenarios {
        let s = scenarios::load_file(std::path::Path::new(file))?;
        if config
            .scenarios
            .iter()
            .any(|o| o.params.scenario.name == s.params.scenario.name)
        {
            return Err(CliError::BadInput(format!(
                "--scenario {file}: a scenario named {:?} is already offered; rename it (scenario.name)",
                s.params.scenario.name
            )));
        }
        config.scenarios.push(s);
    }
    let server = serve::start(config)?;
    let url = server.url();
    println!("cjsim serve: dashboard at {url} (Ctrl-C stops it)");
    if !server.addr.ip().is_loopback() {
        println!(
            "  listening on {}: anyone who can reach this machine and has the address above \
             (with its access token) can use the dashboard",
            server.addr
        );
    }
    if args.open {
        let opened = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok();
        if !opened {
            println!("  could not open a browser; open {url} yourself");
        }
    }
    server.wait();
    Ok(())
}
