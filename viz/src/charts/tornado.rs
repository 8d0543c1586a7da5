//! Sensitivity of an indicator to the swept parameters (tornado chart of sensitivity indices).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figure::{Chart, colour, err, labelled_rows, range, with_source};

/// One factor's index: (factor, value, optional confidence interval).
pub type FactorIndex = (String, f64, Option<(f64, f64)>);

/// Sensitivity indices of one indicator.
#[derive(Clone, Debug)]
pub struct Tornado {
    /// Indicator and year described.
    pub subject: String,
    /// Name of the index (e.g. "Sobol total index", "Morris mu*").
    pub index: String,
    /// (factor, value, optional interval), any order; drawn largest first.
    pub factors: Vec<FactorIndex>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
    /// Whether replication noise explains most of the output's variance across points: then
    /// the indices measure noise, and the bars are drawn grey with a warning in the title.
    pub noisy: bool,
}

impl Chart for Tornado {
    fn name(&self) -> String {
        let clean: String = self
            .subject
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        format!("tornado_{clean}")
    }

    fn title(&self) -> String {
        if self.noisy {
            crate::t!(
                self.lang,
                "Sensitivity of {}: {} (mostly replication noise: do not interpret; add replications)",
                self.subject,
                self.index
            )
        } else {
            crate::t!(self.lang, "Sensitivity of {}: {}", self.subject, self.index)
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let mut rows = self.factors.clone();
        rows.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let n = rows.len().max(1);
        let (lo, hi) = range(
            rows.iter()
                .flat_map(|r| [r.1, r.2.map_or(r.1, |i| i.0), r.2.map_or(r.1, |i| i.1)]),
            true,
        );
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = labelled_rows(&plot, &self.title(), &self.index, &labels, (lo, hi), 380)?;
        for (i, (_, v, interval)) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.35), (*v, y + 0.35)],
                    if self.noisy {
                        RGBColor(170, 170, 170).filled()
                    } else {
                        colour(0).mix(0.8).filled()
                    },
                )))
                .map_err(err)?;
            if let Some((a, b)) = interval {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(*a, y), (*b, y)],
                        colour(7).stroke_width(3),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
