//! The justice funnel of one year: offences, recorded, cleared, charged, convicted, imprisoned.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figure::{Chart, FONT, LABEL, SMALL, TITLE, colour, err, with_source};

/// Counts at each step of the funnel.
#[derive(Clone, Debug)]
pub struct Funnel {
    /// Year.
    pub year: i32,
    /// (step, count), from the widest.
    pub steps: Vec<(String, f64)>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

impl Chart for Funnel {
    fn name(&self) -> String {
        format!("justice_funnel_{}", self.year)
    }

    fn title(&self) -> String {
        crate::t!(self.lang, "Justice funnel, {}", self.year)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let n = self.steps.len().max(1);
        let max = self.steps.iter().map(|s| s.1).fold(1.0f64, f64::max);
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title(), (FONT, TITLE))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d(-max * 0.55..max * 0.55, -0.5..n as f64 - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .disable_axes()
            .label_style((FONT, SMALL))
            .axis_desc_style((FONT, LABEL))
            .draw()
            .map_err(err)?;
        for (i, (step, count)) in self.steps.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let w = (count / 2.0).max(max * 0.004);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(-w, y - 0.38), (w, y + 0.38)],
                    colour(i).mix(0.85).filled(),
                )))
                .map_err(err)?;
            let share = if i == 0 {
                String::new()
            } else {
                format!(
                    " ({:.1}% of offences)",
                    100.0 * count / self.steps[0].1.max(1.0)
                )
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{step}: {count:.0}{share}"),
                    (-max * 0.53, y + 0.5),
                    (FONT, LABEL),
                )))
                .map_err(err)?;
        }
        Ok(())
    }
}
