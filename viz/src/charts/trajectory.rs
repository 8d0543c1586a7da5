//! Indicator trajectories: the median across replications with 50% and 90% bands per arm, the
//! SDG target as a marker at its year, 2030 highlighted; and a small-multiples overview.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::data::Band;
use crate::figure::{
    Chart, FONT, LABEL, SMALL, TITLE, colour, draw_legend, err, range, with_source,
};

/// One indicator over time, per arm.
#[derive(Clone, Debug)]
pub struct Trajectory {
    /// Indicator column.
    pub indicator: String,
    /// Title.
    pub title: String,
    /// Axis unit.
    pub unit: String,
    /// (arm, band) in legend order.
    pub arms: Vec<(String, Band)>,
    /// Target (year, threshold).
    pub target: Option<(i32, f64)>,
    /// Source line.
    pub source: String,
}

/// Draws the bands, medians, 2030 highlight and target on `area`, with fonts scaled by `k`.
fn draw_bands<DB: DrawingBackend>(
    t: &Trajectory,
    area: &DrawingArea<DB, Shift>,
    k: f64,
) -> Result<(), String> {
    let size = |s: u32| ((f64::from(s) * k) as u32).max(10);
    let years = t.arms.iter().flat_map(|(_, b)| b.years.iter().copied());
    let (y0, y1) = (
        years.clone().min().unwrap_or(2025),
        years.max().unwrap_or(2050),
    );
    let values = t
        .arms
        .iter()
        .flat_map(|(_, b)| b.q.iter().flat_map(|q| [q[0], q[4]]))
        .chain(t.target.map(|t| t.1));
    let (lo, hi) = range(values, true);
    let x = f64::from(y0) - 0.5..f64::from(y1) + 0.5;
    let mut chart = ChartBuilder::on(area)
        .caption(&t.title, (FONT, size(TITLE)))
        .margin(size(16))
        .x_label_area_size(size(60))
        .y_label_area_size(size(90))
        .build_cartesian_2d(x, lo..hi)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("Year")
        .y_desc(&t.unit)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, size(SMALL)))
        .axis_desc_style((FONT, size(LABEL)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    if (y0..=y1).contains(&2030) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(2029.5, lo), (2030.5, hi)],
                RGBColor(255, 236, 179).filled(),
            )))
            .map_err(err)?;
    }
    for (i, (arm, b)) in t.arms.iter().enumerate() {
        let c = colour(i);
        for (outer, alpha) in [((0usize, 4usize), 0.15), ((1, 3), 0.3)] {
            let mut poly: Vec<(f64, f64)> = b
                .years
                .iter()
                .zip(&b.q)
                .filter(|(_, q)| q[outer.0].is_finite() && q[outer.1].is_finite())
                .map(|(y, q)| (f64::from(*y), q[outer.0]))
                .collect();
            let upper: Vec<(f64, f64)> = b
                .years
                .iter()
                .zip(&b.q)
                .filter(|(_, q)| q[outer.0].is_finite() && q[outer.1].is_finite())
                .map(|(y, q)| (f64::from(*y), q[outer.1]))
                .rev()
                .collect();
            poly.extend(upper);
            if poly.len() > 2 {
                chart
                    .draw_series(std::iter::once(Polygon::new(poly, c.mix(alpha).filled())))
                    .map_err(err)?;
            }
        }
        let median: Vec<(f64, f64)> = b
            .years
            .iter()
            .zip(&b.q)
            .filter(|(_, q)| q[2].is_finite())
            .map(|(y, q)| (f64::from(*y), q[2]))
            .collect();
        chart
            .draw_series(LineSeries::new(median, c.stroke_width(size(4))))
            .map_err(err)?
            .label(arm.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(4)));
    }
    if let Some((year, value)) = t.target {
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (f64::from(year), value),
                size(14) as i32,
                BLACK.filled(),
            )))
            .map_err(err)?
            .label(format!("target {year}"))
            .legend(|(x, y)| TriangleMarker::new((x + 12, y), 8, BLACK.filled()));
    }
    draw_legend(&mut chart, size(SMALL), SeriesLabelPosition::UpperRight)?;
    Ok(())
}

impl Chart for Trajectory {
    fn name(&self) -> String {
        format!("trajectory_{}", self.indicator)
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        draw_bands(self, &plot, 1.0)
    }
}

/// Several trajectories on one page.
#[derive(Clone, Debug)]
pub struct Overview {
    /// Title.
    pub title: String,
    /// The panels (up to six).
    pub panels: Vec<Trajectory>,
    /// Source line.
    pub source: String,
}

impl Chart for Overview {
    fn name(&self) -> String {
        "overview".into()
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = with_source(area, &self.source)?;
        let plot = plot.titled(&self.title, (FONT, TITLE)).map_err(err)?;
        let cells = plot.split_evenly((2, 3));
        for (cell, panel) in cells.iter().zip(&self.panels) {
            draw_bands(panel, cell, 0.55)?;
        }
        Ok(())
    }
}
