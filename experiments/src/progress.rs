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
