//! Published figures a scenario is compared with (`[[observed]]`): an indicator's value in a
//! year, where it comes from, and whether it set a parameter (in-sample) or is held out to test
//! the model (out-of-sample). The report draws them on the indicator's chart and tables them
//! beside the simulated value; a hindcast lists the series it is judged on.

/// One published value.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// Column of `indicators_yearly.csv`.
    pub indicator: String,
    /// Calendar year of the value.
    pub year: i32,
    /// The published value, in the indicator's units.
    pub value: f64,
    /// Whether the figure set a parameter (in-sample) rather than being held out.
    pub in_sample: bool,
    /// Where the figure comes from.
    pub source: String,
}

impl Observed {
    /// `in-sample` or `out-of-sample`, as written in scenario files and `observed.csv`.
    pub fn role(&self) -> &'static str {
        if self.in_sample {
            "in-sample"
        } else {
            "out-of-sample"
        }
    }
}

/// The values `role` may take.
pub const ROLES: [&str; 2] = ["in-sample", "out-of-sample"];

/// Most published figures one scenario may list.
pub const MAX_OBSERVED: usize = 1000;
