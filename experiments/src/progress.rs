//! Progress on stderr: a bar when stderr is a terminal, nothing otherwise (logs stay clean).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over `total` steps labelled `what`; hidden unless stderr is a terminal
/// and `quiet` is off.
pub fn bar(total: u64, what: &str, quiet: bool) -> ProgressBar {
    let pb = ProgressBar::new(total);
    if quiet || !std::io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
        return pb;
    }
    pb.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40.cyan/blue}] {pos}/{len} {msg} ({per_sec}, {eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    pb.set_prefix(what.to_string());
    pb
}

/// Progress of a batch of runs: a bar on a terminal; otherwise (batch jobs, Slurm logs) a line
/// on stderr every tenth of the work or every minute, with runs per second and time left.
pub struct RunProgress {
    bar: ProgressBar,
    total: u64,
    done: std::sync::atomic::AtomicU64,
    started: std::time::Instant,
    /// Next line-mode report: (runs done, seconds since start) thresholds.
    next_line: std::sync::Mutex<(u64, f64)>,
    lines: bool,
}

impl RunProgress {
    /// Progress over `total` runs labelled `what`; silent when `quiet`.
    pub fn new(total: u64, what: &str, quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        RunProgress {
            bar: bar(total, what, quiet),
            total,
            done: std::sync::atomic::AtomicU64::new(0),
            started: std::time::Instant::now(),
            next_line: std::sync::Mutex::new((total.div_ceil(10), 60.0)),
            lines: !quiet && !terminal && total > 0,
        }
    }

    /// One more run done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.bar.set_position(done);
        if !self.lines {
            return;
        }
        let secs = self.started.elapsed().as_secs_f64();
        let mut next = self.next_line.lock().expect("not poisoned");
        if done >= next.0 || secs >= next.1 || done == self.total {
            let rate = done as f64 / secs.max(1e-9);
            let left = (self.total - done) as f64 / rate;
            eprintln!(
                "{done}/{} runs, {rate:.2} runs/s, {} left",
                self.total,
                human_seconds(left)
            );
            *next = (done + self.total.div_ceil(10), secs + 60.0);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Seconds as `1h02m`, `3m05s`, `12s` or `0.4s`.
pub fn human_seconds(s: f64) -> String {
    if s < 10.0 {
        return format!("{:.1}s", s.max(0.0));
    }
    let s = s.round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// The command line's [`crate::simulate::Watch`]: a bar sized when the work starts (see
/// [`bar`]) and, with `--reps auto`, a line after each batch saying the precision reached.
pub struct BarWatch {
    bar: std::sync::OnceLock<ProgressBar>,
    quiet: bool,
    /// What a batch line says the half-width is of ("90% CI half-width" or "effects' 90% CI
    /// half-width").
    measured: &'static str,
    /// What it is relative to ("the level", "the baseline level").
    relative_to: &'static str,
}

impl BarWatch {
    /// A watch whose batch lines read "N replications: MEASURED at most X% of RELATIVE_TO".
    pub fn new(quiet: bool, measured: &'static str, relative_to: &'static str) -> Self {
        BarWatch {
            bar: std::sync::OnceLock::new(),
            quiet,
            measured,
            relative_to,
        }
    }
}

impl crate::simulate::Watch for BarWatch {
    fn start(&self, total: u64, unit: &'static str) {
        let _ = self.bar.set(bar(total, unit, self.quiet));
    }

    fn advance(&self, done: u64) {
        if let Some(b) = self.bar.get() {
            b.set_position(done);
        }
    }

    fn batch(&self, replications: u32, worst: f64) {
        if !self.quiet
            && let Some(b) = self.bar.get()
        {
            b.println(format!(
                "  {replications} replications: {} at most {:.2}% of {}",
                self.measured,
                100.0 * worst,
                self.relative_to
            ));
        }
    }

    fn finish(&self) {
        if let Some(b) = self.bar.get() {
            b.finish_and_clear();
        }
    }
}
