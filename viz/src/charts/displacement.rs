//! Displacement over time: people newly displaced each month and the displaced stock, with the
//! climate events that displaced people marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figure::{
    Chart, FONT, LABEL, SMALL, TITLE, colour, draw_legend, err, range, with_source,
};

/// Monthly displacement series.
#[derive(Clone, Debug)]
pub struct Displacement {
    /// Time in fractional years (mid-month).
    pub time: Vec<f64>,
    /// Newly displaced people in the month.
    pub newly: Vec<f64>,
    /// Displaced people at the end of the month.
    pub stock: Vec<f64>,
    /// (time, hazard name) of events that displaced people.
    pub events: Vec<(f64, String)>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

impl Chart for Displacement {
    fn name(&self) -> String {
        "displacement".into()
    }

    fn title(&self) -> String {
        crate::i18n::tr(
            self.lang,
            "Climate displacement: newly displaced each month and displaced stock",
        )
        .into()
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let (t0, t1) = range(self.time.iter().copied(), false);
        let (_, hi) = range(self.newly.iter().chain(&self.stock).copied(), true);
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title(), (FONT, TITLE))
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(110)
            .build_cartesian_2d(t0..t1, 0.0..hi * 1.08)
            .map_err(err)?;
        chart
            .configure_mesh()
            .max_light_lines(crate::style::MINOR_GRID_LINES)
            .x_desc(crate::i18n::tr(self.lang, "Year"))
            .y_desc(crate::i18n::tr(self.lang, "People"))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| crate::style::axis_number_in(*v, self.lang))
            .label_style((FONT, SMALL))
            .axis_desc_style((FONT, LABEL))
            .draw()
            .map_err(err)?;
        let (c0, c1) = (colour(1), colour(0));
        chart
            .draw_series(
                self.time
                    .iter()
                    .zip(&self.newly)
                    .map(|(t, v)| Rectangle::new([(t - 0.04, 0.0), (t + 0.04, *v)], c0.filled())),
            )
            .map_err(err)?
            .label(crate::i18n::tr(self.lang, "newly displaced (month)"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], c0.filled()));
        chart
            .draw_series(LineSeries::new(
                self.time.iter().copied().zip(self.stock.iter().copied()),
                c1.stroke_width(3),
            ))
            .map_err(err)?
            .label(crate::i18n::tr(self.lang, "displaced stock"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c1.stroke_width(3)));
        chart
            .draw_series(
                self.events
                    .iter()
                    .map(|(t, _)| TriangleMarker::new((*t, hi * 1.04), 6, BLACK.filled())),
            )
            .map_err(err)?
            .label(crate::i18n::tr(self.lang, "hazard event"))
            .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, BLACK.filled()));
        draw_legend(&mut chart, SMALL, SeriesLabelPosition::MiddleRight)?;
        Ok(())
    }
}
