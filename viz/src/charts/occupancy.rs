//! Prison occupancy by region over time as a heat map, with the climate events that damaged
//! prisons marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figure::{Chart, FONT, LABEL, SMALL, TITLE, err, with_source};

/// Occupancy (%) by region and year.
#[derive(Clone, Debug)]
pub struct OccupancyMap {
    /// Region names (rows).
    pub regions: Vec<String>,
    /// Years (columns).
    pub years: Vec<i32>,
    /// `values[region][year index]` in %.
    pub values: Vec<Vec<f64>>,
    /// (region index, year) of events that damaged prisons.
    pub events: Vec<(usize, i32)>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

/// A sequential colour from pale yellow (low) to dark purple (high), readable in grey scale.
fn heat(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let stops = [
        (255.0, 245.0, 200.0),
        (240.0, 150.0, 60.0),
        (190.0, 50.0, 80.0),
        (70.0, 20.0, 90.0),
    ];
    let x = t * (stops.len() - 1) as f64;
    let i = (x.floor() as usize).min(stops.len() - 2);
    let f = x - i as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * f) as u8;
    RGBColor(
        mix(stops[i].0, stops[i + 1].0),
        mix(stops[i].1, stops[i + 1].1),
        mix(stops[i].2, stops[i + 1].2),
    )
}

impl Chart for OccupancyMap {
    fn name(&self) -> String {
        "occupancy_by_region".into()
    }

    fn title(&self) -> String {
        crate::i18n::tr(
            self.lang,
            "Prison occupancy by region (% of beds; triangles: prisons damaged)",
        )
        .into()
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let (y0, y1) = (
            *self.years.first().unwrap_or(&2025),
            *self.years.last().unwrap_or(&2050),
        );
        let n = self.regions.len().max(1);
        let lo = 60.0;
        let hi = self
            .values
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
            .fold(200.0f64, f64::max);
        let names = self.regions.clone();
        let mut chart = ChartBuilder::on(&plot)
            .caption(self.title(), (FONT, TITLE))
            .margin(16)
            .margin_right(170)
            .x_label_area_size(60)
            .y_label_area_size(200)
            .build_cartesian_2d(
                f64::from(y0) - 0.5..f64::from(y1) + 0.5,
                -0.5..n as f64 - 0.5,
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(crate::i18n::tr(self.lang, "Year"))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_labels(n)
            .y_label_formatter(&|v| crate::figure::row_label(&names, *v, false))
            .label_style((FONT, SMALL))
            .axis_desc_style((FONT, LABEL))
            .disable_mesh()
            .draw()
            .map_err(err)?;
        for (r, row) in self.values.iter().enumerate() {
            for (k, v) in row.iter().enumerate() {
                if !v.is_finite() {
                    continue;
                }
                let y = f64::from(self.years[k]);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(y - 0.5, r as f64 - 0.5), (y + 0.5, r as f64 + 0.5)],
                        heat((v - lo) / (hi - lo)).filled(),
                    )))
                    .map_err(err)?;
            }
        }
        chart
            .draw_series(self.events.iter().map(|(r, y)| {
                TriangleMarker::new((f64::from(*y), *r as f64 + 0.25), 9, BLACK.filled())
            }))
            .map_err(err)?;
        // Colour key.
        for (i, label) in [
            (0.0, format!("{lo:.0}%")),
            (0.5, format!("{:.0}%", (lo + hi) / 2.0)),
            (1.0, format!("{hi:.0}%")),
        ] {
            let x = (60.0 + 260.0 * i) as i32;
            plot.draw(&Rectangle::new([(x, 70), (x + 24, 90)], heat(i).filled()))
                .map_err(err)?;
            plot.draw(&Text::new(label, (x + 30, 72), (FONT, SMALL)))
                .map_err(err)?;
        }
        Ok(())
    }
}
