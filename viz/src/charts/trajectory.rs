//! Indicator trajectories: the median across replications with 50% and 90% bands per arm, the
//! SDG target as a marker at its year, published figures as points (filled when held out,
//! hollow when they set a parameter), 2030 highlighted; and a small-multiples overview.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::data::Band;
use crate::figure::{Chart, FONT, LABEL, SMALL, TITLE, draw_legend, err, range, with_source};
use crate::i18n::tr;
use crate::style::{LINE, MIN_TEXT, arm_colour as colour, axis_number_in};
use crate::t;

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
    /// Published figures: (year, value, in-sample).
    pub published: Vec<(i32, f64, bool)>,
    /// Source line.
    pub source: String,
    /// Language of the text.
    pub lang: crate::i18n::Lang,
}

/// Draws the bands, medians, 2030 highlight and target on `area`, with fonts scaled by `k`.
fn draw_bands<DB: DrawingBackend>(
    t: &Trajectory,
    area: &DrawingArea<DB, Shift>,
    k: f64,
) -> Result<(), String> {
    // Text scales with the panel but never below the house minimum; lines keep their width.
    let size = |s: u32| ((f64::from(s) * k) as u32).max(MIN_TEXT);
    let line = ((f64::from(LINE) * k).round() as u32).max(2);
    let years = t.arms.iter().flat_map(|(_, b)| b.years.iter().copied());
    let (y0, y1) = (
        years.clone().min().unwrap_or(2025),
        years.max().unwrap_or(2050),
    );
    let values = t
        .arms
        .iter()
        .flat_map(|(_, b)| b.q.iter().flat_map(|q| [q[0], q[4]]))
        .chain(t.target.map(|t| t.1))
        .chain(t.published.iter().map(|p| p.1));
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
        .max_light_lines(crate::style::MINOR_GRID_LINES)
        .x_desc(tr(t.lang, "Year"))
        .y_desc(&t.unit)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| axis_number_in(*v, t.lang))
        .label_style((FONT, size(SMALL)))
        .axis_desc_style((FONT, size(LABEL)))
        .draw()
        .map_err(err)?;
    if (y0..=y1).contains(&2030) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(2029.5, lo), (2030.5, hi)],
                RGBColor(255, 236, 179).filled(),
            )))
            .map_err(err)?
            .label(tr(t.lang, "2030, the SDG target year"))
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 6), (x + 24, y + 6)],
                    RGBColor(255, 236, 179).filled(),
                )
            });
    }
    // What the bands are: the spread of single simulated futures, not a confidence interval.
    let first = colour(0);
    for (alpha, label) in [
        (0.45, tr(t.lang, "50% of simulated futures")),
        (0.2, tr(t.lang, "90% of simulated futures")),
    ] {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 24, y + 6)], first.mix(alpha).filled())
            });
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
            .draw_series(LineSeries::new(median, c.stroke_width(line)))
            .map_err(err)?
            .label(t!(t.lang, "{} (median)", arm))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], c.stroke_width(3)));
    }
    if let Some((year, value)) = t.target {
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (f64::from(year), value),
                size(14) as i32,
                BLACK.filled(),
            )))
            .map_err(err)?
            .label(t!(t.lang, "target {}", year))
            .legend(|(x, y)| TriangleMarker::new((x + 12, y), 8, BLACK.filled()));
    }
    for (in_sample, label) in [
        (false, tr(t.lang, "published, held out")),
        (true, tr(t.lang, "published, used to set inputs")),
    ] {
        let points: Vec<(f64, f64)> = t
            .published
            .iter()
            .filter(|p| p.2 == in_sample && (y0..=y1).contains(&p.0))
            .map(|p| (f64::from(p.0), p.1))
            .collect();
        if points.is_empty() {
            continue;
        }
        let r = size(9) as i32;
        let style = move |filled: bool| {
            if filled {
                BLACK.filled()
            } else {
                BLACK.stroke_width(2)
            }
        };
        chart
            .draw_series(
                points
                    .into_iter()
                    .map(move |p| Circle::new(p, r, style(!in_sample))),
            )
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| Circle::new((x + 12, y), 6, style(!in_sample)));
    }
    let marks: Vec<(f64, f64)> = t
        .arms
        .iter()
        .flat_map(|(_, b)| b.years.iter().zip(&b.q).map(|(y, q)| (f64::from(*y), q[2])))
        .chain(t.target.map(|(y, v)| (f64::from(y), v)))
        .chain(t.published.iter().map(|p| (f64::from(p.0), p.1)))
        .collect();
    let corner = emptiest_corner(&marks, (f64::from(y0), f64::from(y1)), (lo, hi));
    draw_legend(&mut chart, size(SMALL), corner)?;
    Ok(())
}

/// The legend corner that covers the fewest data points (medians, target, published figures),
/// upper right when several tie: a legend must never hide a value the reader compares.
fn emptiest_corner(
    marks: &[(f64, f64)],
    (x0, x1): (f64, f64),
    (lo, hi): (f64, f64),
) -> SeriesLabelPosition {
    // The legend box is about a third of the width and a quarter of the height.
    let covered = |right: bool, upper: bool| {
        marks
            .iter()
            .filter(|(x, y)| {
                let fx = (x - x0) / (x1 - x0).max(1e-9);
                let fy = (y - lo) / (hi - lo).max(1e-12);
                (if right { fx > 0.62 } else { fx < 0.38 })
                    && (if upper { fy > 0.7 } else { fy < 0.3 })
            })
            .count()
    };
    [
        (SeriesLabelPosition::UpperRight, true, true),
        (SeriesLabelPosition::UpperLeft, false, true),
        (SeriesLabelPosition::LowerRight, true, false),
        (SeriesLabelPosition::LowerLeft, false, false),
    ]
    .into_iter()
    .min_by_key(|(_, right, upper)| covered(*right, *upper))
    .map_or(SeriesLabelPosition::UpperRight, |c| c.0)
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
    /// Language of the text.
    pub lang: crate::i18n::Lang,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A rising series fills the upper right: the legend goes where no value is.
    #[test]
    fn the_legend_avoids_the_data() {
        let rising: Vec<(f64, f64)> = (0..20)
            .map(|i| (2002.0 + f64::from(i), f64::from(i)))
            .collect();
        let corner = emptiest_corner(&rising, (2002.0, 2021.0), (0.0, 19.0));
        assert!(
            matches!(corner, SeriesLabelPosition::UpperLeft),
            "{corner:?}"
        );
        let falling: Vec<(f64, f64)> = rising.iter().map(|(x, y)| (*x, 19.0 - y)).collect();
        let corner = emptiest_corner(&falling, (2002.0, 2021.0), (0.0, 19.0));
        assert!(
            matches!(corner, SeriesLabelPosition::UpperRight),
            "{corner:?}"
        );
    }
}
